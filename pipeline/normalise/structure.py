"""Structure: turn units into the model's blocks (title, heading levels, run-in leads, lists, slogan)."""

from __future__ import annotations

from pipeline.model import Block, Heading, ListBlock, Paragraph, RunInLead, Slogan, Title, text
from pipeline.normalise.dehyphenate import join_lines
from pipeline.normalise.report import Report
from pipeline.normalise.segment import Unit, list_marker

PART, SECTION, SUBSECTION = 1, 2, 3
SLOGAN_MAX_WORDS = 10


def heading_levels(run_length: int) -> list[int]:
    """Levels for a run of headings with no text between them.

    A heading immediately followed by another heading is the higher level: a
    run of two is a part and its first section; a lone heading is a section.
    """
    first = max(PART, SECTION - (run_length - 1))
    return [min(first + k, SUBSECTION) for k in range(run_length)]


def build_blocks(units: list[Unit], report: Report) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    # Rule: the first unit of the text, when it is heading-like, is the title.
    if units and units[0].kind == "heading":
        line = units[0].first
        blocks.append(Title(text(line.text), line=line.no))
        report.add("title", line.no, line.text, line.text, "first heading-like line")
        i = 1
    while i < len(units):
        unit = units[i]
        if unit.kind == "heading":
            j = i
            while j < len(units) and units[j].kind == "heading":
                j += 1
            for u, level in zip(units[i:j], heading_levels(j - i), strict=True):
                blocks.append(Heading(level, text(u.first.text), line=u.first.no))
                name = {PART: "part", SECTION: "section"}.get(level, "subsection")
                report.add("heading", u.first.no, u.first.text, f"level {level} ({name})")
            i = j
            continue
        if unit.kind == "item":
            j = i
            ordered = unit.marker.isdigit()
            items = []
            while j < len(units) and units[j].kind == "item" and units[j].marker.isdigit() == ordered:
                items.append(_item_text(units[j], report))
                j += 1
            start = int(unit.marker) if ordered else 1
            blocks.append(ListBlock(ordered, tuple(text(t) for t in items), start, line=unit.first.no))
            report.add("list", unit.first.no, f"{len(items)} lines", "ordered list" if ordered else "bullet list")
            i = j
            continue
        if unit.kind == "run_in":
            lead = unit.first
            rest = join_lines(unit.lines[1:], report)
            blocks.append(RunInLead(SECTION, text(lead.text), text(rest), line=lead.no))
            report.add(
                "run-in-lead", lead.no, lead.text, f"lead of: {rest[:40]}…", "heading-like line continued in lower case"
            )
            i += 1
            continue
        blocks.append(Paragraph(text(join_lines(unit.lines, report)), line=unit.first.no))
        i += 1
    return _closing_slogan(blocks, units, report)


def _item_text(unit: Unit, report: Report) -> str:
    first = unit.first
    marker = list_marker(first.text)
    body = marker[1] if marker else first.text
    lines = [first.__class__(first.no, body), *unit.lines[1:]]
    return join_lines(lines, report)


# Rule: a closing one-line paragraph of a few words ("Jag har PATIENTFOKUS!")
# is the programme's slogan, set as a call-out.
def _closing_slogan(blocks: list[Block], units: list[Unit], report: Report) -> list[Block]:
    if len(blocks) < 2 or not units:
        return blocks
    last, unit = blocks[-1], units[-1]
    if isinstance(last, Paragraph) and len(unit.lines) == 1:
        words = unit.first.text.split()
        if len(words) <= SLOGAN_MAX_WORDS and not unit.first.text.endswith((".", ",", ";", ":")):
            report.add("slogan", unit.first.no, unit.first.text, "closing slogan")
            return [*blocks[:-1], Slogan(last.inlines, line=last.line)]
    return blocks
