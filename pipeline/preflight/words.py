"""Every model word present, in order, in an edition's text (PDF through pypdfium2, EPUB and HTML as markup)."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

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


def _is_footer(line: str, short_title: str) -> bool:
    """A page number, or the running footer: the short title with or without its page number."""
    text = " ".join(line.split())
    return bool(re.fullmatch(r"\d+", text)) or (
        bool(short_title) and re.fullmatch(rf"(?:\d+ )?{re.escape(short_title)}(?: \d+)?", text) is not None
    )


def join_pages(pages: list[str], short_title: str) -> str:
    """Pages without their footers, and words broken at a line end (or across a page) joined again."""
    kept = ["\n".join(ln for ln in page.splitlines() if not _is_footer(ln, short_title)) for page in pages]
    return re.sub(AUTO_HYPHEN + r"\s*\n", "", "\n".join(kept))


def words_in_order(text: str, words: list[str]) -> tuple[int, str | None]:
    """How many of ``words`` appear in this order in ``text``, and the first one that does not (None: all).

    Hyphens are ignored on both sides: one glyph serves "-" and the automatic hyphen U+2010, so
    an extractor cannot tell a hyphen the text has from one a line break made. A word ending in
    a hyphen may meet its next word joined to it ("hälso-" + "och" read as "hälsooch").
    """
    hay = [w.replace("-", "").replace(AUTO_HYPHEN, "") for w in text.translate(INVISIBLE).split()]
    needles = [w.replace("-", "").replace(AUTO_HYPHEN, "") for w in words]
    i = n = 0
    while n < len(needles):
        joined = needles[n] + needles[n + 1] if words[n].endswith("-") and n + 1 < len(needles) else None
        while i < len(hay) and hay[i] != needles[n] and hay[i] != joined:
            i += 1
        if i == len(hay):
            return n, words[n]
        n += 1 if hay[i] == needles[n] else 2
        i += 1
    return len(needles), None


def edition_text(path: Path, short_title: str) -> str:
    """The running text of an edition's file, whatever its format."""
    if path.suffix == ".pdf":
        return join_pages(pdf_pages(path), short_title)
    if path.suffix == ".epub":
        return epub_text(path)
    return html_text(path)
