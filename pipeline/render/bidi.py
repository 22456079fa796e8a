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

import re
import unicodedata

from markupsafe import Markup, escape

# Strong left-to-right letters, European and Arabic-Indic digits.
_LTR_CLASSES = frozenset({"L", "EN", "AN"})
# What may stand inside a run, between two of its letters or digits.
_JOINERS = frozenset(" \u00a0\u202f-.,:/'’&+@_#")
# What may close a run after a digit.
_AFTER_DIGIT = frozenset("%‰")
_PLAIN_NUMBER = re.compile(r"\d+")


def _ltr(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _LTR_CLASSES


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run that needs isolating: left-to-right, and more than a plain number."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if not _ltr(text[i]):
            i += 1
            continue
        end = k = i + 1
        while k < n and (_ltr(text[k]) or text[k] in _JOINERS):
            if _ltr(text[k]):
                end = k + 1
            k += 1
        if end < n and text[end] in _AFTER_DIGIT and text[end - 1].isdigit():
            end += 1
        if not _PLAIN_NUMBER.fullmatch(text[i:end]):
            runs.append((i, end))
        i = end
    return runs


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
