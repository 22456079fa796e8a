"""Emphasis in a PDF's body text: words in a bolder or an italic font become the model's Strong and Emph inlines.

The structure pass builds blocks from the lines' text alone; this step lays each body block's text over the
printed words it came from, character by character (the line join only leaves out line-end hyphens, soft
hyphens and list markers), and marks the runs that the printed words set off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.model import Block, Emph, Inline, Inlines, ListBlock, Paragraph, RunInLead, Slogan, Strong, Text, plain
from pipeline.normalise.report import Report
from pipeline.readers.pdf_chars import Font
from pipeline.readers.pdf_layout import TextLine, Word

# Marks, as bits of an int.
EMPH, STRONG = 1, 2
_NAMES = {EMPH: "emphasis", STRONG: "strong", EMPH | STRONG: "strong emphasis"}
_WHY = {
    EMPH: "set in an italic font inside body text",
    STRONG: "set in a bolder font inside body text",
    EMPH | STRONG: "set in a bold italic font inside body text",
}
# At most this many printed characters in a row are not in the model's text: a list marker ("100."), a
# line-end hyphen. Anything else means the text and the words do not line up, and the block stays plain.
MAX_SKIP = 4

Printed = list[tuple[str, int]]  # the non-space characters of a block's printed words, each with its marks


def mark_inlines(blocks: Sequence[Block], lines: Sequence[TextLine], report: Report) -> list[Block]:
    """``blocks`` (in reading order, each at its first line's number) with the emphasis their words show.

    Only body text is marked: paragraphs, list items, the text after a run-in lead, and a slogan's
    italics. A title, a heading or a run-in lead is display type, set bold or large as a whole.
    """
    by_no = {ln.no: ln for ln in lines}
    ends = [b.line for b in blocks[1:]] + [max(by_no, default=0) + 1]
    out: list[Block] = []
    for block, end in zip(blocks, ends, strict=True):
        if isinstance(block, (Paragraph, ListBlock, RunInLead, Slogan)):
            words = [w for no in range(block.line, end) if no in by_no for w in by_no[no].words]
            marked = _marked(block, words)
            if marked is not None:
                _report(marked, report)
                block = marked
        out.append(block)
    return out


def _marked(block: Paragraph | ListBlock | RunInLead | Slogan, words: list[Word]) -> Block | None:
    """The block with its emphasis, or None when it has none (or its text does not line up with its words)."""
    printed = _printed(words)
    if printed is None:
        return None
    cursor = _Cursor(printed)
    if isinstance(block, ListBlock):
        items = []
        for item in block.items:
            marked = cursor.mark(item)
            if marked is None:
                return None
            items.append(marked)
        return replace(block, items=tuple(items))
    if isinstance(block, RunInLead):  # the lead is display type; the cursor walks past it
        lead, rest = cursor.mark(block.lead), cursor.mark(block.inlines)
        return replace(block, inlines=rest) if lead is not None and rest is not None else None
    inlines = cursor.mark(block.inlines)
    return replace(block, inlines=inlines) if inlines is not None else None


def _printed(words: list[Word]) -> Printed | None:
    """The words' characters with their marks; None when nothing in them is marked.

    The block's own style is no mark: when all its letters are bold (a slogan) or italic, boldness or
    slant is how the block is set. A mark covers a whole word, from its first letter or digit to its last,
    when most of those are set so (a word is never split); punctuation around the word joins the mark
    only when it is set so too ("byråkratin." with a roman full stop). A word of signs alone ("–") takes
    the marks of the words on both sides of it.
    """
    if len({(f.bold, f.italic) for w in words for f in (w.fonts or (w.font,))}) < 2:
        return None  # set in one weight and slant throughout (most blocks)
    letters = [w.font_at(i) for w in words for i, ch in enumerate(w.text) if ch.isalpha()]
    if not letters:
        return None
    plain_bold = not all(f.bold for f in letters)
    plain_italic = not all(f.italic for f in letters)

    def mark(font: Font) -> int:
        return (STRONG if font.bold and plain_bold else 0) | (EMPH if font.italic and plain_italic else 0)

    if not any(mark(w.font) or (w.fonts and any(mark(f) for f in w.fonts)) for w in words):
        return None
    per_word: list[list[int]] = []
    cores: list[int | None] = []  # the mark of each word's letters and digits (None: it has none)
    for w in words:
        own = [mark(w.font_at(i)) for i in range(len(w.text))]
        core = [i for i, ch in enumerate(w.text) if ch.isalnum()]
        if not core:
            per_word.append(own)
            cores.append(None)
            continue
        m = 0
        for bit in (EMPH, STRONG):
            if 2 * sum(1 for i in core if own[i] & bit) > len(core):
                m |= bit
        per_word.append([m if core[0] <= i <= core[-1] else own[i] & m for i in range(len(own))])
        cores.append(m)
    out: Printed = []
    for k, w in enumerate(words):
        marks = per_word[k]
        if cores[k] is None:
            around = _neighbour(cores, k, -1) & _neighbour(cores, k, 1)
            marks = [m & around for m in marks]
        out.extend((ch, m) for ch, m in zip(w.text, marks, strict=True) if not ch.isspace())
    return out if any(m for _, m in out) else None


def _neighbour(cores: list[int | None], k: int, step: int) -> int:
    """The mark of the nearest word with letters or digits before (step -1) or after (+1) word ``k``."""
    k += step
    while 0 <= k < len(cores):
        found = cores[k]
        if found is not None:
            return found
        k += step
    return 0


class _Cursor:
    """Walks a block's printed characters while its model text is laid over them, part after part."""

    def __init__(self, printed: Printed) -> None:
        self.printed = printed
        self.at = 0

    def mark(self, inlines: Inlines) -> Inlines | None:
        """The text of ``inlines`` with the marks of the printed characters it lines up with; None if it does not."""
        value = plain(inlines)
        marks: list[int | None] = []
        for ch in value:
            if ch.isspace():
                marks.append(None)
                continue
            found = self._find(ch)
            if found is None:
                return None
            marks.append(found)
        if not any(marks):
            return inlines
        return _nodes(value, _space_marks(marks))

    def _find(self, ch: str) -> int | None:
        for k in range(self.at, min(len(self.printed), self.at + MAX_SKIP + 1)):
            if self.printed[k][0] == ch:
                self.at = k + 1
                return self.printed[k][1]
        return None


def _space_marks(marks: list[int | None]) -> list[int]:
    """A space inside a marked run is marked: it takes the marks the characters on both sides share."""
    after = [0] * len(marks)  # the marks of the next character that is no space
    upcoming = 0
    for i in range(len(marks) - 1, -1, -1):
        after[i] = upcoming
        m = marks[i]
        if m is not None:
            upcoming = m
    out = [0] * len(marks)
    before = 0
    for i, m in enumerate(marks):
        if m is None:
            out[i] = before & after[i]
        else:
            out[i] = before = m
    return out


def _nodes(value: str, marks: list[int]) -> Inlines:
    """Runs of equally marked characters as Text, Strong(Text) and Emph(Strong(Text)) (as the Word reader)."""
    out: list[Inline] = []
    start = 0
    for i in range(1, len(value) + 1):
        if i == len(value) or marks[i] != marks[start]:
            node: Inline = Text(value[start:i])
            if marks[start] & STRONG:
                node = Strong((node,))
            if marks[start] & EMPH:
                node = Emph((node,))
            out.append(node)
            start = i
    return tuple(out)


def _report(block: Block, report: Report) -> None:
    """Each marked run, for the editor: what it says and why."""
    parts: list[Inlines] = []
    if isinstance(block, ListBlock):
        parts.extend(block.items)
    elif isinstance(block, (Paragraph, RunInLead, Slogan)):
        parts.append(block.inlines)
    for inlines in parts:
        for node in inlines:
            if isinstance(node, (Emph, Strong)):
                marks = _marks_of(node)
                report.add("pdf-emphasis", block.line, plain((node,)), _NAMES[marks], _WHY[marks])


def _marks_of(node: Emph | Strong) -> int:
    """The marks of a node as ``_nodes`` builds them (Strong, Emph, or Emph around Strong)."""
    if isinstance(node, Strong):
        return STRONG
    return EMPH | (STRONG if any(isinstance(child, Strong) for child in node.children) else 0)
