"""Paragraph detection: group repaired lines into units (paragraphs, headings, list items)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.normalise.lines import Line
from pipeline.normalise.measure import measure_column, width

SENTENCE_END = re.compile(r"[.!?:…][”’\")»]*$")
# "•", "‣", "◦", "▪", "●", "*" always start a list item; "-" and "–" only where a
# new unit may start (a dash at a line start is otherwise a wrapped aside).
ALWAYS_BULLETS = "•‣◦▪●*"
BULLET = re.compile(r"^([•‣◦▪●*\-–])\s+(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
HEADING_MAX_WORDS = 12
HEADING_MAX_SHARE = 0.75  # of the column width


@dataclass
class Unit:
    """A candidate block: its kind, its source lines, and what a layout reader knew about it.

    Readers of laid-out formats (PDF, Word) decide kinds and heading levels from fonts and
    styles and set ``level``; the text reader leaves it 0 and the structure pass infers it.
    """

    kind: str  # "title" | "heading" | "text" | "run_in" | "item"
    lines: list[Line] = field(default_factory=list)
    marker: str = ""  # for items: the bullet or the number
    level: int = 0  # for headings and run-in leads: 1 part, 2 section, 3 subsection; 0 = infer
    lead_words: int = 0  # for run-in leads known from their style: how many words the lead has

    @property
    def first(self) -> Line:
        return self.lines[0]


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def list_marker(text: str) -> tuple[str, str] | None:
    """(marker, item text) when ``text`` starts a list item."""
    if m := NUMBERED.match(text):
        return m.group(1), m.group(2)
    if m := BULLET.match(text):
        return m.group(1), m.group(2)
    return None


class Segmenter:
    """Decides, line by line, where a unit ends.

    ``fit_rule`` is on for files without blank lines between paragraphs (or
    with a blank line after every line): there a paragraph ends where the
    next line's first word would have fitted on the current line, after a
    sentence-final punctuation mark.
    """

    def __init__(self, lines: list[Line], fit_rule: bool) -> None:
        self.lines = lines
        self.fit_rule = fit_rule
        self.column = measure_column([line.text for line in lines])

    def heading_like(self, line: Line) -> bool:
        """Short, no final punctuation, starts with a capital or digit, not a list item."""
        text = line.text
        if not text or list_marker(text) or text[-1] in ".,;:!?…-–":
            return False
        if not (text[0].isupper() or text[0].isdigit()):
            return False
        return len(text.split()) <= HEADING_MAX_WORDS and width(text) <= HEADING_MAX_SHARE * self.column

    def fits(self, prev: Line, line: Line) -> bool:
        """Would ``line``'s first word have fitted after ``prev`` on the PDF page?"""
        first = line.text.split(" ")[0]
        return width(f"{prev.text} {first}") <= self.column

    def next_text(self, i: int) -> Line | None:
        """The next non-blank line after index ``i``, if no blank line comes between."""
        if i + 1 < len(self.lines) and not self.lines[i + 1].blank:
            return self.lines[i + 1]
        return None

    def units(self) -> list[Unit]:
        out: list[Unit] = []
        cur: Unit | None = None
        for i, line in enumerate(self.lines):
            if line.blank:
                cur = None
                continue
            at_start = cur is None or cur.kind == "heading" or ends_sentence(cur.lines[-1].text)
            nxt = self.next_text(i)
            marker = list_marker(line.text)
            if marker and not (line.text[0] in ALWAYS_BULLETS or at_start or (cur is not None and cur.kind == "item")):
                marker = None  # a dash or number that merely wrapped to the line start
            if marker:
                cur = Unit("item", [line], marker[0])
                out.append(cur)
                continue
            if at_start and self.heading_like(line) and nxt is not None and (nxt.text[0].islower()):
                cur = Unit("run_in", [line])
                out.append(cur)
                continue
            if at_start and self.heading_like(line) and (nxt is not None or self._followed_by_text(i)):
                cur = Unit("heading", [line])
                out.append(cur)
                continue
            starts_new = (
                cur is None
                or cur.kind == "heading"
                or (self.fit_rule and ends_sentence(cur.lines[-1].text) and self.fits(cur.lines[-1], line))
            )
            if starts_new:
                cur = Unit("text", [line])
                out.append(cur)
            else:
                assert cur is not None
                cur.lines.append(line)
        return out

    def _followed_by_text(self, i: int) -> bool:
        """A heading needs text after it (possibly after a blank line)."""
        return any(not line.blank for line in self.lines[i + 1 :])
