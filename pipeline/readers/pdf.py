"""Reader for PDFs: decide title, headings, lists, run-in leads and paragraphs from the text layer's layout."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.languages import language_defaults
from pipeline.model import Document, Meta
from pipeline.normalise.dehyphenate import join_lines
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report
from pipeline.normalise.segment import ALWAYS_BULLETS, Unit, list_marker
from pipeline.normalise.structure import build_blocks
from pipeline.normalise.styles import SIZE_TOLERANCE, Style, body_style, heading_levels, more_prominent
from pipeline.readers import Reading
from pipeline.readers.pdf_blocks import Block, build
from pipeline.readers.pdf_chars import read_chars
from pipeline.readers.pdf_furniture import find_furniture
from pipeline.readers.pdf_inlines import mark_inlines
from pipeline.readers.pdf_layout import Page, TextLine, Word, layout, style_of
from pipeline.readers.pdf_matter import contents_pages, cover_pages, title_heads, title_lines
from pipeline.readers.pdf_tags import read_tags

# A heading is a block of at most this many lines that does not end like a sentence part.
HEADING_MAX_LINES = 3
HEADING_NOT_AFTER = ".,;:"


class _Body:
    """The body text's style and font family, and the tests that compare with it."""

    def __init__(self, lines: list[TextLine]) -> None:
        self.style = body_style((ln.style, len(ln.text)) for ln in lines)
        families: Counter[str] = Counter()
        for ln in lines:
            if ln.style == self.style:
                families[ln.family] += len(ln.text)
        self.family = families.most_common(1)[0][0] if families else ""

    def is_body(self, line: TextLine) -> bool:
        s = line.style
        return (
            abs(s.size - self.style.size) <= SIZE_TOLERANCE and s.bold == self.style.bold and line.family == self.family
        )

    def stands_out(self, style: Style) -> bool:
        return more_prominent(style, self.style)


def read_pdf(data: bytes, path: Path, meta: Meta, report: Report) -> Reading:
    """Bytes of a PDF → a Document (before the document passes) and its rebuilt lines."""
    text = read_text(data, path)
    _report_drops(text.lines, text.dropped, report)
    _report_layout(text, report)
    tags = read_tags(data, text.kept) if text.tagged else None
    if tags is not None:
        report.add("pdf-tags", 0, "structure tree", "used", "where text goes on to a new page or column")
    blocks = build(text.kept, tags)
    units = _units(blocks, set(text.title), text.body, report)
    model_blocks = build_blocks(units, report, language_defaults(meta.language).swedish_rules)
    doc = Document(meta, tuple(mark_inlines(model_blocks, text.kept, report)))
    return Reading(doc, tuple((ln.no, ln.text) for ln in text.kept))


@dataclass
class Text:
    """A PDF's lines in reading order, those dropped (with why), and the title and body text found."""

    pages: list[Page]
    lines: list[TextLine]
    dropped: dict[TextLine, str]
    title: list[TextLine]
    body: _Body
    tagged: bool

    @property
    def kept(self) -> list[TextLine]:
        return [ln for ln in self.lines if ln not in self.dropped]


def read_text(data: bytes, path: Path) -> Text:
    """The rebuilt lines; page furniture, contents pages, covers and title pages found and set apart. The
    kept lines are numbered 1.. in reading order: the numbers of the wording guard and the report.
    """
    chars = read_chars(data, path)
    pages = layout(chars.pages, chars.fonts)
    lines = [ln for page in pages for ln in page.lines]
    dropped = find_furniture(pages)
    dropped.update(contents_pages(pages, dropped))
    body = _Body([ln for ln in lines if ln not in dropped])
    title = title_lines(pages, dropped)
    dropped.update(cover_pages(pages, dropped, title, body.is_body))
    dropped.update(title_heads(pages, dropped, title))
    text = Text(pages, lines, dropped, title, body, chars.tagged)
    for no, ln in enumerate(text.kept, start=1):
        ln.no = no
    return text


def _report_layout(text: Text, report: Report) -> None:
    """What the geometry read that an editor may want to check: pages read column by column, bullets
    that were drawn as shapes or set in a symbol font, characters of a symbol font that no font prints."""
    kept = text.kept
    first_on: dict[int, TextLine] = {}
    for ln in kept:
        first_on.setdefault(ln.page, ln)
    for page in text.pages:
        if page.columns > 1 and page.index in first_on:
            note = f"page {page.index + 1} is set in {page.columns} columns: read column by column"
            report.add("pdf-columns", first_on[page.index].no, "", f"{page.columns} columns", note)
    for ln in kept:
        first = ln.words[0]
        if first.drawn:
            report.add("pdf-bullet", ln.no, "(a drawn shape)", first.text, "a list bullet drawn as a graphic")
        elif first.symbol:
            code = f"U+{ord(first.symbol):04X}"
            report.add("pdf-bullet", ln.no, code, first.text, "a list bullet in a symbol font's private code")
        odd = sorted({ch for ch in ln.text if unicodedata.category(ch) == "Co"})
        if odd:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in odd)
            note = "a symbol font's private character: no font prints it; replace it in the text (text.md)"
            report.add("doubtful", ln.no, ln.text, codes, note)


def _report_drops(lines: list[TextLine], dropped: dict[TextLine, str], report: Report) -> None:
    """Each dropped line, reported at the kept line that follows it (at the last one for the end's), with
    its page in the note: dropped lines have no number of their own.
    """
    pending: list[TextLine] = []
    last = 0
    for ln in lines:
        if ln in dropped:
            pending.append(ln)
            continue
        _flush(pending, ln.no, dropped, report)
        last = ln.no
    _flush(pending, last, dropped, report)


def _flush(pending: list[TextLine], at: int, dropped: dict[TextLine, str], report: Report) -> None:
    for ln in pending:
        reason = dropped[ln]
        furniture = any(word in reason for word in ("running", "page number", "artifact"))
        kind = "drop-furniture" if furniture else "drop-matter"
        report.add(kind, at, ln.text, "", f"{reason}; on page {ln.page + 1}")
    pending.clear()


def _units(blocks: list[Block], title: set[TextLine], body: _Body, report: Report) -> list[Unit]:
    """Each block's kind, in this order: the title, a list, a heading (display type), a paragraph with a
    run-in lead, a paragraph. Heading levels come from the ranked heading styles.
    """
    units: list[tuple[Unit, Style | None]] = []  # with the style of a heading
    for block in (part for b in blocks for part in _split_lists(b)):
        if not units and title and any(ln in title for ln in block.lines):
            units.append((Unit("title", _lines(block.lines)), None))
            page = block.first.page + 1
            report.add("pdf-title", block.first.no, block.first.text, "title", f"the largest text on page {page}")
        elif len(units) == 1 and units[0][0].kind == "title" and all(ln in title for ln in block.lines):
            # The title's lines that geometry parted: centred lines of unequal length look indented.
            units[0][0].lines.extend(_lines(block.lines))
        elif _is_list(block, body):
            units.extend((u, None) for u in _items(block))
        elif _heading_like(block, body):
            units.append((Unit("heading", _lines(block.lines)), block.style))
        elif lead := _lead_words(block, body):
            units.append((Unit("run_in", _lines(block.lines), lead_words=lead), None))
            report.add("pdf-run-in", block.first.no, block.first.text, f"lead of {lead} words", _LEAD_NOTE)
        else:
            units.append((Unit("text", _lines(block.lines)), None))
    _slogans(units)
    levels = heading_levels([s for u, s in units if u.kind == "heading" and s is not None], body.style)
    for unit, style in units:
        if unit.kind == "heading" and style is not None:
            unit.level = levels.get(style, 2)
            report.add("pdf-heading", unit.first.no, unit.first.text, f"level {unit.level}", _describe(style, body))
    return [u for u, _ in units]


_LEAD_NOTE = "the paragraph opens in a display style that stands out from its text"


def _slogans(units: list[tuple[Unit, Style | None]]) -> None:
    """Display lines that are no headings: a heading needs text after it, so display type at the very
    end is a closing slogan (and any display lines just before it, text); a display line that
    exclaims in a style no other block uses is a call-out (a slogan) wherever it stands.
    """
    trailing = True
    for unit, _ in reversed(units):
        if unit.kind != "heading":
            break
        unit.kind, unit.evidence = ("slogan" if trailing else "text"), "display type closing the text"
        trailing = False
    uses = Counter(style for _, style in units if style is not None)
    for unit, style in units:
        if unit.kind == "heading" and style is not None and uses[style] == 1 and unit.lines[-1].text.endswith("!"):
            unit.kind, unit.evidence = "slogan", "an exclamation in a display style of its own"


def _lines(lines: list[TextLine]) -> list[Line]:
    return [Line(ln.no, ln.text) for ln in lines]


def _describe(style: Style, body: _Body) -> str:
    weight = " bold" if style.bold else ""
    colour = " in colour" if style.accent else ""
    caps = " capitals" if style.caps else ""
    return (
        f"heading style {style.size:g} pt{weight}{colour}{caps} ranked among the headings'; body {body.style.size:g} pt"
    )


def _is_list(block: Block, body: _Body) -> bool:
    """A block opening with a bullet or number, set no larger than the body text."""
    return bool(list_marker(block.first.text)) and block.style.size <= body.style.size + SIZE_TOLERANCE


def _item_start(prev: TextLine, line: TextLine) -> bool:
    """Does ``line`` open a list inside a paragraph's block? A bullet always does; a number or dash does
    after a line that ends a sentence or announces the list (":"), standing apart from the text's edge.
    """
    if not list_marker(line.text):
        return False
    return line.text[0] in ALWAYS_BULLETS or (prev.text.endswith((".", ":", "!", "?")) and abs(line.x0 - prev.x0) > 1)


def _split_lists(block: Block) -> list[Block]:
    """A block whose lines go on into a list with no gap between is two blocks."""
    if len(block.lines) < 2 or list_marker(block.first.text):
        return [block]
    for i in range(1, len(block.lines)):
        if _item_start(block.lines[i - 1], block.lines[i]):
            return [Block(block.lines[:i]), Block(block.lines[i:])]
    return [block]


def _items(block: Block) -> list[Unit]:
    """One unit per item: a line opening with a marker at the first marker's place (or with its text where
    the first item's text stands: numbers are set flush right, "9." and "10.") starts an item.
    """
    units: list[Unit] = []
    marker_x = block.first.x0
    text_x = block.first.words[1].x0 if len(block.first.words) > 1 else marker_x
    for ln in block.lines:
        marker = list_marker(ln.text)
        aligned = abs(ln.x0 - marker_x) <= 1.5 or (len(ln.words) > 1 and abs(ln.words[1].x0 - text_x) <= 1.5)
        starts = marker is not None and (aligned or ln.text[0] in ALWAYS_BULLETS)
        if starts and marker is not None:
            units.append(Unit("item", [Line(ln.no, ln.text)], marker[0]))
        else:
            units[-1].lines.append(Line(ln.no, ln.text))
    return units


def _heading_like(block: Block, body: _Body) -> bool:
    text = block.lines[-1].text
    return (
        body.stands_out(block.style)
        and len(block.lines) <= HEADING_MAX_LINES
        and not text.endswith(tuple(HEADING_NOT_AFTER))
    )


def _lead_words(block: Block, body: _Body) -> int:
    """How many words open the block in a display style that stands out from the rest of its text
    (0: no run-in lead). The rest must be text, not display type.
    """
    words: list[Word] = [w for ln in block.lines for w in ln.words]
    key = _word_key(words[0])
    n = 0
    while n < len(words) and _word_key(words[n]) == key:
        n += 1
    if n == len(words):
        return 0
    lead, rest = style_of(words[:n]), style_of(words[n:])
    if not more_prominent(lead, rest) or body.stands_out(rest):
        return 0
    return _joined_count(block, n)


def _joined_count(block: Block, n: int) -> int:
    """How many words the first ``n`` printed words are once the shared line join has read them (a lead
    word broken over a line end, "kulturin-" + "stitution.", is one word).
    """
    lines = []
    for ln in block.lines:
        if n <= 0:
            break
        lines.append(Line(ln.no, " ".join(w.text for w in ln.words[:n])))
        n -= len(ln.words)
    return len(join_lines(lines, Report()).split(" "))


def _word_key(word: Word) -> tuple[float, bool, str]:
    return (round(word.size * 2) / 2, word.font.bold, word.font.family)
