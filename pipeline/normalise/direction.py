"""Passages written in the other direction than their text: where they run, and the pass that marks them.

One rule for both directions. In a left-to-right text, a run of right-to-left script (an Arabic
sentence, a Yiddish word in Hebrew letters inside a Swedish paragraph) becomes a ``Span`` with
``dir="rtl"`` in the model, so that every edition sets it as its own direction (``<span dir="rtl">``,
which isolates it). In a right-to-left text, a left-to-right run with separators (a telephone number,
"10 000", "Agenda 2030") is isolated where it is set (render/bidi.py) by ``ltr_runs`` below; the model
stays as the editor wrote it. A language span (``[...]{lang=yi}``) whose language is written in the
other direction than its surroundings gets that direction (languages.py).
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.languages import direction
from pipeline.model import Document, Emph, Inline, Inlines, Span, Strong, Text, map_block_inlines

# Strong left-to-right letters, European and Arabic-Indic digits.
_LTR_CLASSES = frozenset({"L", "EN", "AN"})
# Strong right-to-left letters: Hebrew (R) and Arabic-script (AL).
_RTL_CLASSES = frozenset({"R", "AL"})
# What may stand inside a run, between two of its letters or digits.
_JOINERS = frozenset(" \u00a0\u202f-.,:/'’&+@_#")
# What may stand inside a right-to-left run besides its letters: marks (Hebrew points, Arabic
# vowels), digits, a non-joiner, and the punctuation between words ("،", "؛", a maqaf).
_RTL_INSIDE = frozenset({"NSM", "EN", "AN", "CS", "ES", "ET", "BN"})
# What may close a run after a digit.
_AFTER_DIGIT = frozenset("%‰")
_PLAIN_NUMBER = re.compile(r"\d+")


def _ltr(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _LTR_CLASSES


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _RTL_CLASSES


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each left-to-right run of right-to-left text that needs isolating: more than a
    plain number (the bidi algorithm orders that well; see render/bidi.py)."""
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


def rtl_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of right-to-left script in left-to-right text: from its first
    right-to-left letter to its last (and that letter's marks), words, digits and the punctuation
    between them included; a full stop after it is the surrounding sentence's."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if not _rtl(text[i]):
            i += 1
            continue
        end = k = i + 1
        while k < n and (_rtl(text[k]) or text[k] in _JOINERS or unicodedata.bidirectional(text[k]) in _RTL_INSIDE):
            if _rtl(text[k]) or (unicodedata.bidirectional(text[k]) == "NSM" and k == end):
                end = k + 1
            k += 1
        runs.append((i, end))
        i = end
    return runs


def _split(text: str) -> Inlines:
    """A left-to-right text node with each right-to-left run in a ``Span(dir="rtl")``."""
    out: list[Inline] = []
    last = 0
    for start, end in rtl_runs(text):
        if start > last:
            out.append(Text(text[last:start]))
        out.append(Span((Text(text[start:end]),), dir="rtl"))
        last = end
    if last < len(text):
        out.append(Text(text[last:]))
    return tuple(out)


def _inlines(inlines: Inlines, around: str) -> Inlines:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend(_split(node.text) if around == "ltr" else (node,))
        elif isinstance(node, Emph):
            out.append(Emph(_inlines(node.children, around)))
        elif isinstance(node, Strong):
            out.append(Strong(_inlines(node.children, around)))
        else:
            own = node.dir or (direction(node.lang) if node.lang else around)
            out.append(Span(_inlines(node.children, own), node.lang, node.dir or (own if own != around else "")))
    return tuple(out)


def mark_directions(doc: Document) -> Document:
    """Every passage in the other direction than the text around it, marked with its direction."""
    around = direction(doc.meta.language)
    return doc.with_blocks(
        [map_block_inlines(block, lambda inlines: _inlines(inlines, around)) for block in doc.blocks]
    )
