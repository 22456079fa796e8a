"""Line repair: whitespace inside lines, page-start spaces, and double-spaced files."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.normalise.chars import FORM_FEED, NO_BREAK_SPACE, SPACES
from pipeline.normalise.report import Report


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source file
    text: str
    tabbed: bool = False  # the extracted line had tabs between words (a heading sign)
    page_start: bool = False  # a new PDF page starts here (a form feed, or a space at the line start)

    @property
    def blank(self) -> bool:
        return not self.text


_SPACE_RUN = re.compile("[" + "".join(sorted(SPACES - {NO_BREAK_SPACE})) + "]{2,}|\t")


MAX_LINE_CHARS = 10_000  # an extracted line holds one printed line: a few hundred characters


def split_lines(text: str, path: Path | None = None) -> list[Line]:
    lines = [Line(no, raw) for no, raw in enumerate(text.split("\n"), start=1)]
    for line in lines:
        if len(line.text) > MAX_LINE_CHARS:
            raise PipelineError(
                f"line {line.no} is {len(line.text):,} characters long; text extracted from a PDF has one printed "
                f"line per line (at most {MAX_LINE_CHARS:,} characters are accepted).".replace(",", " "),
                path,
                line.no,
                hint="Extract the text again with line breaks, or save a reviewed text.md instead.",
            )
    return lines


# Rule: inside a line, tabs and runs of spaces are extraction artefacts of
# justified or tabulated PDF text; each becomes one space. A space at the very
# start of a line is where a new PDF page began; trailing spaces carry nothing.
def repair_whitespace(lines: list[Line], report: Report) -> list[Line]:
    out: list[Line] = []
    after_form_feed = False
    for line in lines:
        raw = line.text
        form_feed = raw.startswith(FORM_FEED)
        raw = raw.lstrip(FORM_FEED)
        tabbed = "\t" in raw.strip()
        page_start = (raw[:1] in SPACES or form_feed or after_form_feed) and bool(raw.strip())
        after_form_feed = (form_feed or after_form_feed) and not raw.strip()
        inner = _SPACE_RUN.sub(" ", raw.strip(" \t"))
        text = inner.strip()
        if raw != text:
            if tabbed or _SPACE_RUN.search(raw.strip(" \t")):
                report.add("whitespace", line.no, raw, text, "tabs or repeated spaces inside the line")
            elif page_start and raw[:1] in SPACES:
                report.add("page-start", line.no, raw, text, "space at the start of a page removed")
            elif raw.strip() and raw != raw.rstrip():
                report.add("trailing-space", line.no, raw, text)
        out.append(replace(line, text=text, tabbed=tabbed, page_start=page_start))
    return out


def is_double_spaced(lines: list[Line]) -> bool:
    """True when (nearly) every text line is followed by exactly one blank line (seed 001)."""
    text_lines = [i for i, line in enumerate(lines) if not line.blank]
    if len(text_lines) < 4:
        return False
    followed = sum(
        1
        for i in text_lines
        if i + 1 < len(lines) and lines[i + 1].blank and (i + 2 >= len(lines) or not lines[i + 2].blank)
    )
    if followed < 0.8 * len(text_lines):
        return False
    # An export with a blank line after every line still shows its wrapped paragraphs: some lines
    # run on into the next (in the round-trip corpus at least 28 % of them). When none does, every
    # line is a whole paragraph or heading and the blank lines between them are paragraph breaks.
    texts = [lines[i].text.strip() for i in text_lines]
    runs_on = sum(1 for a, b in pairwise(texts) if _runs_on(a, b))
    return runs_on >= RUN_ON_SHARE * (len(texts) - 1)


RUN_ON_SHARE = 0.05
_SENTENCE_END = re.compile(r"[.!?:;\"”’…)]$")


def _runs_on(line: str, following: str) -> bool:
    """Whether a line breaks inside a sentence: a hyphen at its end, or no sentence end and the
    next line goes on in lower case."""
    return line.endswith("-") or (not _SENTENCE_END.search(line) and following[:1].islower())


# Rule: in a double-spaced file the single blank lines carry no meaning and
# are removed; two or more blank lines in a row still mark a break. In a
# normally spaced file blank lines are paragraph breaks and stay.
def undouble(lines: list[Line], report: Report) -> list[Line]:
    while lines and lines[-1].blank:
        lines = lines[:-1]
    while lines and lines[0].blank:
        lines = lines[1:]
    if not is_double_spaced(lines):
        return collapse_blank_runs(lines)
    out: list[Line] = []
    i = 0
    removed = 0
    while i < len(lines):
        if not lines[i].blank:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].blank:
            j += 1
        if j - i >= 2:
            out.append(lines[i])
        else:
            removed += 1
        i = j
    report.add("double-spacing", 0, "blank line after every line", "single spacing", f"{removed} blank lines removed")
    return out


def collapse_blank_runs(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if line.blank and out and out[-1].blank:
            continue
        out.append(line)
    return out
