"""Left-to-right runs inside right-to-left text (a Latin name, a grouped number), isolated in markup.

The Unicode bidi algorithm orders a Latin name or a lone number inside Arabic text well, but not a
run with separators: "08-123 45 67" and "10 000" come out with their groups reversed (each digit
group is a number of its own, and the spaces between them take the paragraph's direction), and
WeasyPrint reverses even "08-123". Such a run is set in ``<span dir="ltr">``, which isolates it
(``unicode-bidi: isolate`` in HTML, WeasyPrint and EPUB reading systems alike). A plain number
needs nothing; a range such as "2022–2026" is left to the algorithm (read right to left, like the
sentence around it), so the PDF and the browser show it the same way.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from pipeline.normalise.direction import ltr_runs


def isolate(text: str) -> Markup:
    """``text`` escaped, each left-to-right run in a ``<span dir="ltr">``."""
    out: list[str] = []
    last = 0
    for start, end in ltr_runs(text):
        out.append(str(escape(text[last:start])))
        out.append(f'<span dir="ltr">{escape(text[start:end])}</span>')
        last = end
    out.append(str(escape(text[last:])))
    return Markup("".join(out))
