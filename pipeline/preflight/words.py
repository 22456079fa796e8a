"""Every model word present, in order, in an edition's text (PDF through pypdfium2, EPUB and HTML as markup)."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from pipeline.model import Document, block_words
from pipeline.render.large_print import PAGE_REF_LABEL

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
_PAGE_REFERENCE = re.compile(rf"\[{re.escape(PAGE_REF_LABEL)} \d+(?:\u2013\d+)?\]")


def _is_footer(line: str, short_title: str) -> bool:
    """A page number, the running footer (the short title with or without its page number), or
    the large print's running head."""
    text = " ".join(line.split())
    return (
        bool(re.fullmatch(r"\d+", text))
        or _PAGE_REFERENCE.fullmatch(text) is not None
        or (bool(short_title) and re.fullmatch(rf"(?:\d+ )?{re.escape(short_title)}(?: \d+)?", text) is not None)
    )


def join_pages(pages: list[str], short_title: str) -> str:
    """Pages without their footers, and words broken at a line end (or across a page) joined again."""
    kept = ["\n".join(ln for ln in page.splitlines() if not _is_footer(ln, short_title)) for page in pages]
    return re.sub(AUTO_HYPHEN + r"\s*\n", "", "\n".join(kept))


def _pieces(text: str) -> tuple[list[str], list[bool]]:
    """The text's words with hyphens taken out, and for each whether a line ends after it."""
    words: list[str] = []
    ends: list[bool] = []
    for line in text.translate(INVISIBLE).splitlines():
        split = [w.replace("-", "").replace(AUTO_HYPHEN, "") for w in line.split()]
        words.extend(split)
        ends.extend(k == len(split) - 1 for k in range(len(split)))
    return words, ends


def words_in_order(text: str, words: list[str]) -> tuple[int, str | None]:
    """How many of ``words`` appear in this order in ``text``, and the first one that does not (None: all).

    Hyphens are ignored on both sides: one glyph serves "-" and the automatic hyphen U+2010, so
    an extractor cannot tell a hyphen the text has from one a line break made. A word ending in
    a hyphen may meet its next word joined to it ("hälso-" + "och" read as "hälsooch"). A word
    too long for its line is broken without a hyphen: the pieces at the ends of lines are joined.
    """
    hay, ends = _pieces(text)
    needles = [w.replace("-", "").replace(AUTO_HYPHEN, "") for w in words]
    i = n = 0
    while n < len(needles):
        needle = needles[n]
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


def edition_text(path: Path, short_title: str, suffix: str = "") -> str:
    """The running text of an edition's file, whatever its format (``suffix``: the format's, when the
    file's own name does not say it, as a temporary file's does not)."""
    suffix = suffix or path.suffix
    if suffix.endswith(".pdf"):
        return join_pages(pdf_pages(path), short_title)
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


def lost_word(path: Path, words: list[str], short_title: str, suffix: str = "") -> tuple[int, str] | None:
    """The first model word an edition's file lacks (its index and the word), or None when it holds
    them all in order: the wording guard on an edition, for ``pipeline check`` and the build."""
    found, missing = words_in_order(edition_text(path, short_title, suffix), words)
    return None if missing is None else (found, missing)
