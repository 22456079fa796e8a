"""Every model word present, in order, in an edition's text (PDF through pypdfium2, EPUB and HTML as markup)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from pipeline.languages import LANGUAGES, SWEDISH_UI, direction
from pipeline.model import Document, block_words, document_words
from pipeline.normalise.direction import rtl_runs

AUTO_HYPHEN = "\u2010"  # WeasyPrint's automatic hyphen; the fonts draw "-" with the same glyph
PDFIUM_LINE_HYPHEN = "\x02"  # pdfium's mark for a "-" that ends a line; it joins the next line on
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphen, zero widths, joiners
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "td",
    "th", "tr", "ul", "title",
}  # fmt: skip


def pdf_pages(path: Path) -> list[str]:
    """The text of each page as pdfium reads it (lines end in CR LF)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_bounded().replace(PDFIUM_LINE_HYPHEN, "-"))
            text_page.close()
            page.close()
        return pages
    finally:
        pdf.close()


_LTR = frozenset({"L", "EN", "AN"})  # bidi classes read left to right: Latin letters, digits
_LTR_JOINERS = frozenset(" \u00a0\u202f-.,:/")  # what holds a left-to-right run together (bidi.py's kind)
_RTL = frozenset({"R", "AL"})  # right-to-left letters: Hebrew, Arabic script
_RTL_JOINERS = frozenset(" \u00a0")  # between the words of a right-to-left passage (marks join too)


def _runs_turned(glyphs: list[str], strong: frozenset[str], joiners: frozenset[str]) -> str:
    """A line's glyph texts in the order they stand, with each run of ``strong`` bidi classes (and what
    joins them) turned back glyph by glyph: a ligature's letters stay in their order ("لأ", "fi")."""

    def kind(text: str) -> str:
        if not text:  # a glyph of a cluster whose text another glyph carries
            return "joiner"
        ch = text[0]
        if unicodedata.bidirectional(ch) in strong:
            return "strong"
        joins = ch in joiners or (strong is _RTL and unicodedata.category(ch) == "Mn")
        return "joiner" if joins else "other"

    out: list[str] = []
    i, n = 0, len(glyphs)
    while i < n:
        if kind(glyphs[i]) != "strong":
            out.append(glyphs[i])
            i += 1
            continue
        end = k = i + 1
        while k < n and kind(glyphs[k]) != "other":
            if kind(glyphs[k]) == "strong":
                end = k + 1
            k += 1
        out.extend(reversed(glyphs[i:end]))
        i = end
    return "".join(out)


def _line_text(glyphs: list[Any], base: str) -> str:
    """One line's glyphs (pdfminer's LTChar; WeasyPrint draws the spaces) read in the line's direction,
    and each run set in the other direction turned back: a Latin name in Arabic text, a Yiddish
    passage in Swedish text."""
    if base == RTL:
        ordered = sorted(glyphs, key=lambda g: -(g.x0 + g.x1))
        return _runs_turned(_spaced(ordered), _LTR, _LTR_JOINERS)
    ordered = sorted(glyphs, key=lambda g: g.x0 + g.x1)
    return _runs_turned(_spaced(ordered), _RTL, _RTL_JOINERS)


# Glyphs further apart than this share of their size, with no space glyph between, stand in boxes of
# their own on one baseline: a running footer's page number and its title ("4" … "Alla Sveriges språk").
BOX_GAP = 0.6


def _spaced(ordered: list[Any]) -> list[str]:
    """The glyphs' texts, with a space where two stand apart with none drawn between them."""
    out: list[str] = []
    for prev, g in zip([None, *ordered], ordered, strict=False):
        if prev is not None and max(g.x0 - prev.x1, prev.x0 - g.x1) > BOX_GAP * max(g.size, prev.size):
            out.append(" ")
        out.append(g.get_text())
    return out


def glyph_pdf_pages(path: Path, base: str) -> list[str]:
    """The text of each page of a PDF with right-to-left text, line by line in reading order; ``base``
    is the direction of its lines (RTL for a right-to-left text, else a left-to-right text with
    right-to-left passages).

    pdfium's reading order breaks right-to-left lines (a word with a shadda split across two lines,
    digit groups swapped, a ligature's letters read last first; a Yiddish word inside a Swedish line
    read backwards, its points apart from their letters), so the glyphs are taken one by one
    with their positions and the text their ToUnicode entry gives (pdfminer.six): grouped into
    lines by baseline, each line read in its direction, and the runs in the other direction
    (Latin names and numbers in Arabic; Hebrew or Arabic in Swedish) turned back. A ligature's
    letters come whole from its one glyph. (WeasyPrint gives a
    cluster of several glyphs, such as lam-alef with a shadda, its text on one glyph and none on
    the others; as every glyph of a font has one entry, that glyph elsewhere reads as the cluster:
    extra letters in a running head, never a word of the text lost.)
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer, LTItem

    def glyphs_of(item: LTItem) -> Iterator[LTChar]:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            for child in item:
                yield from glyphs_of(child)

    pages = []
    for layout in extract_pages(str(path)):
        lines: list[list[LTChar]] = []
        # By baseline: a mark sits on its letter's, whatever its box.
        for g in sorted(glyphs_of(layout), key=lambda g: -g.matrix[5]):
            if lines and abs(lines[-1][0].matrix[5] - g.matrix[5]) < g.size / 2:
                lines[-1].append(g)
            else:
                lines.append([g])
        pages.append("\r\n".join(_line_text(line, base) for line in lines))
    return pages


# How an edition's text is read back: a left-to-right text by pdfium; a right-to-left text, and a
# left-to-right one with right-to-left passages, glyph by glyph (``glyph_pdf_pages``), their words
# compared as ``rtl_word`` spells them.
LTR, RTL, MIXED = "ltr", "rtl", "mixed"


def reading_of(doc: Document) -> str:
    """How ``doc``'s editions are read back: RTL, MIXED (right-to-left passages in it) or LTR."""
    if direction(doc.meta.language) == "rtl":
        return RTL
    return MIXED if any(rtl_runs(word) for word in document_words(doc)) else LTR


class _Text(HTMLParser):
    """Visible text of an (X)HTML document, with a space where a block starts or ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.hidden += 1
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def markup_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def epub_text(path: Path) -> str:
    """The text of the EPUB's spine documents, in reading order."""
    with zipfile.ZipFile(path) as epub:
        container = ElementTree.fromstring(epub.read("META-INF/container.xml"))
        rootfile = next(e for e in container.iter() if e.tag.endswith("rootfile")).attrib["full-path"]
        opf = ElementTree.fromstring(epub.read(rootfile))
        base = PurePosixPath(rootfile).parent
        manifest = {e.attrib["id"]: e.attrib["href"] for e in opf.iter() if e.tag.endswith("}item")}
        spine = [e.attrib["idref"] for e in opf.iter() if e.tag.endswith("}itemref")]
        texts = [epub.read(str(base / manifest[idref])).decode("utf-8") for idref in spine]
    return "\n".join(markup_text(t) for t in texts)


def html_text(path: Path) -> str:
    return markup_text(path.read_text(encoding="utf-8"))


# The large print's running head: the brochure pages its page covers ("[broschyr s. 3–5]").
# The label is in the text's language, the numbers in its digits (\d matches Arabic-Indic digits too).
_LABELS = sorted(
    {SWEDISH_UI["brochure_page"], *(d.ui.get("brochure_page", "") for d in LANGUAGES.values())} - {""},
    key=len,
    reverse=True,
)
_PAGE_REFERENCE = re.compile(rf"\[(?:{'|'.join(map(re.escape, _LABELS))}) \d+(?:\u2013\d+)?\]")


def _is_footer(line: str) -> bool:
    """A page number, or the large print's running head."""
    text = " ".join(line.split())
    return bool(re.fullmatch(r"\d+", text)) or _PAGE_REFERENCE.fullmatch(text) is not None


def _is_running_title(line: str, short_title: str) -> bool:
    """The running footer: the short title with or without its page number."""
    text = " ".join(line.split())
    return bool(short_title) and re.fullmatch(rf"(?:\d+ )?{re.escape(short_title)}(?: \d+)?", text) is not None


def _page_text(page: str, short_title: str) -> str:
    """A page without its footers. The running title is dropped once, where the brochure sets it and
    both readers read it: at the page's foot, among its last two lines. The same words as a line of
    the text (a text titled as its running footer) stay."""
    lines = [ln for ln in page.splitlines() if ln.strip() and not _is_footer(ln)]
    foot = range(len(lines) - 1, max(len(lines) - 3, -1), -1)
    running = next((k for k in foot if _is_running_title(lines[k], short_title)), None)
    return "\n".join(ln for k, ln in enumerate(lines) if k != running)


def join_pages(pages: list[str], short_title: str) -> str:
    """Pages without their footers, and words broken at a line end (or across a page) joined again."""
    kept = [_page_text(page, short_title) for page in pages]
    return re.sub(AUTO_HYPHEN + r"\s*\n", "", "\n".join(kept))


def rtl_word(word: str) -> str:
    """A word of right-to-left text as its letters, for comparison with an extraction of a PDF.

    Combining marks are left out on both sides: a mark (a tanwin, a shadda, a hamza above) has a
    box of its own over its letter, so reading a line by boxes may put it a letter early or late.
    So is punctuation at either end: a full stop where a passage in the other direction ends stands
    at the passage's far side ("Vi vill ha fler lärare." in Yiddish text reads ".Vi … lärare").
    """
    letters = "".join(ch for ch in word if unicodedata.category(ch) != "Mn")
    start, end = 0, len(letters)
    while start < end and unicodedata.category(letters[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(letters[end - 1]).startswith("P"):
        end -= 1
    return letters[start:end]


def _key(word: str, reading: str) -> str:
    word = word.translate(INVISIBLE).replace("-", "").replace(AUTO_HYPHEN, "")
    return word if reading == LTR else rtl_word(word)


def _pieces(text: str, reading: str = LTR) -> tuple[list[str], list[bool]]:
    """The text's words as compared (hyphens taken out), and for each whether a line ends after it."""
    words: list[str] = []
    ends: list[bool] = []
    for line in text.translate(INVISIBLE).splitlines():
        split = [k for k in (_key(w, reading) for w in line.split()) if k]
        words.extend(split)
        ends.extend(k == len(split) - 1 for k in range(len(split)))
    return words, ends


def words_in_order(text: str, words: list[str], reading: str = LTR) -> tuple[int, str | None]:
    """How many of ``words`` appear in this order in ``text``, and the first one that does not (None: all).

    Hyphens are ignored on both sides: one glyph serves "-" and the automatic hyphen U+2010, so
    an extractor cannot tell a hyphen the text has from one a line break made. A word ending in
    a hyphen may meet its next word joined to it ("hälso-" + "och" read as "hälsooch"). A word
    too long for its line is broken without a hyphen: the pieces at the ends of lines are joined.
    Invisible characters (a Persian zero-width non-joiner) are ignored on both sides too; in a text
    with right-to-left script (``reading`` RTL or MIXED) each word is compared as ``rtl_word`` spells it.
    """
    hay, ends = _pieces(text, reading)
    needles = [_key(w, reading) for w in words]
    i = n = 0
    while n < len(needles):
        needle = needles[n]
        if not needle:  # nothing left to find (a lone hyphen; in right-to-left text a lone mark or comma)
            n += 1
            continue
        joined = needle + needles[n + 1] if words[n].endswith("-") and n + 1 < len(needles) else None
        while i < len(hay) and hay[i] != needle and hay[i] != joined:
            if ends[i] and needle.startswith(hay[i]) and (broken := _broken(hay, ends, i, needle)) is not None:
                i = broken
                break
            i += 1
        if i == len(hay):
            return n, words[n]
        n += 1 if hay[i] == needle else 2
        i += 1
    return len(needles), None


def _broken(hay: list[str], ends: list[bool], i: int, needle: str) -> int | None:
    """Where ``needle`` ends when it was broken across lines starting at ``hay[i]`` (None: it was not)."""
    have = hay[i]
    while ends[i] and i + 1 < len(hay) and len(have) < len(needle):
        i += 1
        have += hay[i]
        if not needle.startswith(have):
            return None
    if have != needle:
        return None
    hay[i] = needle  # the loop above then takes it as found
    return i


def edition_text(path: Path, short_title: str, suffix: str = "", reading: str = LTR) -> str:
    """The running text of an edition's file, whatever its format (``suffix``: the format's, when the
    file's own name does not say it, as a temporary file's does not)."""
    suffix = suffix or path.suffix
    if suffix.endswith(".pdf"):
        pages = pdf_pages(path) if reading == LTR else glyph_pdf_pages(path, RTL if reading == RTL else LTR)
        return join_pages(pages, short_title)
    if suffix.endswith(".epub"):
        return epub_text(path)
    return html_text(path)


def edition_words(doc: Document) -> list[tuple[str, int]]:
    """The model's words an edition's running text holds, each with its block's source line.

    A title block that says what the cover says is left out: the cover prints it, and a running
    footer says the same words, so the footers the extractor drops would take the cover's with them.
    """
    from pipeline.render.outline import build_outline

    title = build_outline(doc).title
    return [(w, block.line) for block in doc.blocks if block is not title for w in block_words(block)]


def lost_word(
    path: Path, words: list[str], short_title: str, suffix: str = "", reading: str = LTR
) -> tuple[int, str] | None:
    """The first model word an edition's file lacks (its index and the word), or None when it holds
    them all in order: the wording guard on an edition, for ``pipeline check`` and the build."""
    found, missing = words_in_order(edition_text(path, short_title, suffix, reading), words, reading)
    return None if missing is None else (found, missing)
