"""Structure: turn units into the model's blocks (title, heading levels, run-in leads, lists, slogan)."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.model import Block, Heading, ListBlock, Paragraph, RunInLead, Slogan, Title, plain, text
from pipeline.normalise.dehyphenate import join_lines
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report
from pipeline.normalise.segment import Unit, list_marker

PART, SECTION, SUBSECTION = 1, 2, 3
SLOGAN_MAX_WORDS = 10
_LEAD_FROM_STYLE = "lead set in its own style"


def slogan_words(text: str) -> int:
    """Words of a slogan, a dash between its halves not counted ("Vård att lita på – i hela länet")."""
    return sum(any(c.isalnum() for c in w) for w in text.split())


def heading_levels(run_length: int, depth: int = 2) -> list[int]:
    """Levels for a run of headings with no text between them, in a document ``depth`` levels deep.

    A heading immediately followed by text is a leaf: it has the deepest level the document uses
    (a section, or a subsection where some run shows three levels); each heading before it in the
    run is one level higher. So a run of two is a part and its first section in a two-level
    document, and a section and its first subsection in a three-level one.
    """
    last = max(SECTION, min(depth, SUBSECTION))
    return [max(PART, last - (run_length - 1 - k)) for k in range(run_length)]


def build_blocks(units: list[Unit], report: Report, swedish: bool = True) -> list[Block]:
    """The units as blocks; ``swedish``: line-end hyphens are judged with the Swedish lexicon (else kept)."""

    def join(lines: list[Line]) -> str:
        return join_lines(lines, report, swedish)

    blocks: list[Block] = []
    i = 0
    # Rule: a unit a layout reader marked as the title is the title; in plain text, the first
    # unit, when it is heading-like, is.
    if units and (units[0].kind == "title" or (units[0].kind == "heading" and not units[0].level)):
        title = join(units[0].lines)
        blocks.append(Title(text(title), line=units[0].first.no))
        cover = units[0].kind == "title" and bool(units[0].evidence)
        why = units[0].evidence or ("set as the title" if units[0].kind == "title" else "first heading-like line")
        report.add("title", units[0].first.no, title, title, why, confidence=0.6 if cover else 0.8)
        i = 1
    depth = _depth(units[i:])
    part_pages = _part_pages(units[i:])
    parts = _shows_parts(units[i:])
    heads = [k for k in range(i, len(units)) if units[k].kind == "heading"]
    while i < len(units):
        unit = units[i]
        if unit.kind == "heading":
            j = i
            while j < len(units) and units[j].kind == "heading":
                j += 1
            around = heading_levels(j - i, depth)
            levels, reason, doubt = around, "", 0.7
            if part_pages and unit.opens_part_page:
                levels, reason = _from_part(j - i), "its run opens a page the layout broke early: a part"
            elif parts and i == heads[0]:
                levels, reason = _from_part(j - i), "the first heading of a text with parts: a part"
            elif parts and j - i == 1 and i == heads[-1] and _signs_off(units[j:]):
                reason = "the last heading, over the closing signature or contact lines, of a text with parts: a part"
                levels, doubt = [PART], 0.6
            for u, inferred, usual in zip(units[i:j], levels, around, strict=True):
                level = u.level or inferred
                label = join(u.lines)
                blocks.append(Heading(level, text(label), line=u.first.no))
                name = {PART: "part", SECTION: "section"}.get(level, "subsection")
                why = u.evidence or ("level from its style" if u.level else "level from the headings around it")
                sure = 0.95 if "contents" in u.evidence else 0.9 if u.level else 0.7
                if inferred != usual and not u.level:
                    # the level is read from the page before or from where the heading stands, not
                    # from the headings around it: a guess an editor should check
                    why = f"{u.evidence}; {reason}" if u.evidence else reason
                    sure = min(sure, doubt)
                report.add("heading", u.first.no, label, f"level {level} ({name})", why, confidence=sure)
            i = j
            continue
        if unit.kind == "item":
            j = i
            ordered = unit.marker.isdigit()
            items = []
            while j < len(units) and units[j].kind == "item" and units[j].marker.isdigit() == ordered:
                items.append(_item_text(units[j], join))
                j += 1
            start = int(unit.marker) if ordered else 1
            blocks.append(ListBlock(ordered, tuple(text(t) for t in items), start, line=unit.first.no))
            report.add("list", unit.first.no, f"{len(items)} lines", "ordered list" if ordered else "bullet list")
            i = j
            continue
        if unit.kind == "slogan":  # a layout reader saw a call-out set in its own display style
            label = join(unit.lines)
            blocks.append(Slogan(text(label), line=unit.first.no))
            report.add("slogan", unit.first.no, label, "slogan", unit.evidence or "set as a call-out")
            i += 1
            continue
        if unit.kind == "run_in":
            lead_text, rest = _split_lead(unit, join)
            blocks.append(RunInLead(unit.level or SECTION, text(lead_text), text(rest), line=unit.first.no))
            report.add(
                "run-in-lead",
                unit.first.no,
                lead_text,
                f"lead of: {rest[:40]}…",
                unit.evidence or (_LEAD_FROM_STYLE if unit.lead_words else "heading-like line continued in lower case"),
                confidence=0.9 if unit.lead_words else 0.6,
            )
            i += 1
            continue
        blocks.append(Paragraph(text(join(unit.lines)), line=unit.first.no))
        i += 1
    return _closing_slogan(blocks, units, report)


def _from_part(run_length: int) -> list[int]:
    """Levels for a run of headings that opens a part: a part, then each one level deeper."""
    return [min(PART + k, SUBSECTION) for k in range(run_length)]


# Rule: a text shows parts when some run of headings has no text between them (a part and its
# first section). In such a text the first heading opens the first part, even when an introduction
# follows it before its first section ("Våra besked" / text / "Trygga gator och torg"): a text with
# parts does not open with a section outside any part.
def _shows_parts(units: list[Unit]) -> bool:
    run = 0
    for unit in units:
        run = run + 1 if unit.kind == "heading" else 0
        if run >= 2:
            return True
    return False


# Rule: in a text with parts, the last heading, alone and over the closing signature or contact
# lines ("Aino Keskitalo, ordförande", "Kontakt: info@…", the lines after the last sentence), heads
# the programme's closing, a part: a signature signs the whole programme, not a section of its last
# part. A guess from where the heading stands (confidence 0.6), among the decisions to check first.
def _signs_off(units: list[Unit]) -> bool:
    return any(
        u.closing and any("@" in line.text or "," in line.text or _has_digit(line.text) for line in u.lines)
        for u in units
    )


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def _part_pages(units: list[Unit]) -> bool:
    """Does the layout start parts on pages of their own (``Unit.opens_part_page``)? Only when some
    runs of headings open such pages and most do not: a layout that breaks before every heading
    shows no parts by it."""
    runs = [u for k, u in enumerate(units) if u.kind == "heading" and (k == 0 or units[k - 1].kind != "heading")]
    opening = sum(u.opens_part_page for u in runs)
    return 0 < opening <= len(runs) / 2


def _depth(units: list[Unit]) -> int:
    """How many heading levels the text shows: the longest run of headings with no text between
    that occurs at least twice (one odd run, such as a signature block read as headings, does not
    make a programme three levels deep)."""
    runs: list[int] = []
    run = 0
    for unit in [*units, Unit("text")]:
        if unit.kind == "heading":
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return max((n for n in set(runs) if sum(r >= n for r in runs) >= 2), default=2)


def _split_lead(unit: Unit, join: Callable[[list[Line]], str]) -> tuple[str, str]:
    """(lead, rest): the lead is the unit's first line, or its first ``lead_words`` words when a reader knows."""
    if not unit.lead_words:
        return unit.first.text, join(unit.lines[1:])
    words = join(unit.lines).split(" ")
    return " ".join(words[: unit.lead_words]), " ".join(words[unit.lead_words :])


def _item_text(unit: Unit, join: Callable[[list[Line]], str]) -> str:
    first = unit.first
    marker = list_marker(first.text)
    body = marker[1] if marker else first.text
    lines = [first.__class__(first.no, body), *unit.lines[1:]]
    return join(lines)


# Rule: a closing one-line paragraph of a few words ("Jag har PATIENTFOKUS!")
# is the programme's slogan, set as a call-out.
def _closing_slogan(blocks: list[Block], units: list[Unit], report: Report) -> list[Block]:
    if len(blocks) < 2 or not units:
        return blocks
    last, unit = blocks[-1], units[-1]
    if isinstance(last, Paragraph) and unit.kind == "text":
        closing = plain(last.inlines)
        # a short exclamation ("Jag har PATIENTFOKUS!", wrapped or not), or one short line of words
        # alone (not a signature "Namn, roll", nor a contact line with digits or an address)
        words_only = "," not in closing and "@" not in closing and not any(c.isdigit() for c in closing)
        shape = closing.endswith("!") or (len(unit.lines) == 1 and words_only)
        if shape and slogan_words(closing) <= SLOGAN_MAX_WORDS and not closing.endswith((".", ",", ";", ":")):
            report.add("slogan", unit.first.no, closing, "closing slogan", confidence=0.65)
            return [*blocks[:-1], Slogan(last.inlines, line=last.line)]
    return blocks
