"""The wording guard: the model must hold every source word, in order, none invented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from pipeline.model import Document, block_words, document_words
from pipeline.normalise.report import Report

_FOLD = str.maketrans(
    {"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'", "–": "-", "—": "-", "…": "...", "\u00ad": None}
)
_NOISE = re.compile(r"^(?:[\W_]+|\d{1,3}[.)])$")


def fold(words: list[str]) -> list[str]:
    """Undo glyph choices (quotes, dashes, ellipsis) and drop pure punctuation and list markers."""
    out = []
    for w in words:
        f = w.translate(_FOLD).replace("--", "-")
        if f and not _NOISE.match(f):
            out.append(f)
    return out


def source_words(lines: tuple[tuple[int, str], ...], report: Report) -> list[str]:
    """The words of the source's numbered lines, with the reported line-end joins applied."""
    joins = {e.line: e for e in report.edits if e.kind in ("dehyphenate", "keep-hyphen", "join-dash")}
    unglued = {(e.line, e.before): e.after for e in report.edits if e.kind == "unglue"}
    tokens: list[tuple[str, int, bool]] = []  # (word, line, last word of its line)
    for no, line in lines:
        words = [part for w in line.split() for part in unglued.get((no, w), w).split()]
        tokens.extend((w, no, k == len(words) - 1) for k, w in enumerate(words))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok, no, last = tokens[i]
        edit = joins.get(no) if last else None
        if edit is not None and i + 1 < len(tokens):
            left, _, right = edit.before.partition("⏎")
            nxt, nxt_no, nxt_last = tokens[i + 1]
            if tok.endswith(left) and nxt.startswith(right) and right:
                merged = (tok[: len(tok) - len(left)] + edit.after + nxt[len(right) :]).split()
                # the merged word may itself end in a line-end hyphen joined to the next line
                tokens[i + 1] = (merged[-1], nxt_no, nxt_last)
                out.extend(merged[:-1])
                i += 1
                continue
        out.append(tok)
        i += 1
    return out


def lost_words(lines: tuple[tuple[int, str], ...], report: Report, doc: Document) -> tuple[list[str], list[str]] | None:
    """None when the words match; else the first differing stretch (source, model)."""
    src, got = fold(source_words(lines, report)), fold(document_words(doc))
    if src == got:
        return None
    n = next((i for i, (a, b) in enumerate(zip(src, got, strict=False)) if a != b), min(len(src), len(got)))
    return src[max(0, n - 3) : n + 5], got[max(0, n - 3) : n + 5]


@dataclass(frozen=True)
class WordChange:
    """One stretch where two models' words differ: the words and lines of each (a line of 0: none)."""

    before: tuple[str, ...]
    before_line: int
    after: tuple[str, ...]
    after_line: int


def located_words(doc: Document) -> list[tuple[str, int]]:
    """The model's folded words, each with the source line of its block."""
    out: list[tuple[str, int]] = []
    for block in doc.blocks:
        out.extend((f, block.line) for w in block_words(block) for f in fold([w]))
    return out


def word_changes(before: Document, after: Document) -> list[WordChange]:
    """Every stretch of words ``after`` changed, dropped or added against ``before``, in order (difflib)."""
    a, b = located_words(before), located_words(after)
    # The words both share at the start and at the end are set aside first: an editor changes a
    # few words, and difflib's time grows with the product of the lengths it is given.
    head = 0
    while head < min(len(a), len(b)) and a[head][0] == b[head][0]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail][0] == b[len(b) - 1 - tail][0]:
        tail += 1
    old_words = [w for w, _ in a[head : len(a) - tail]]
    new_words = [w for w, _ in b[head : len(b) - tail]]
    out: list[WordChange] = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
            old, new = tuple(w for w, _ in a[i1:i2]), tuple(w for w, _ in b[j1:j2])
            out.append(WordChange(old, _line(a, i1), new, _line(b, j1)))
    return out


def _line(words: list[tuple[str, int]], i: int) -> int:
    """The line of word ``i``, or of the word before it when the stretch is empty at the end."""
    if i < len(words):
        return words[i][1]
    return words[-1][1] if words else 0
