"""The brochure's pages in the EPUB: a page-break marker before the word each printed page begins with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.preflight.words import BLOCK_TAGS

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Placement:
    """Where each brochure page is marked in the EPUB's reading order."""

    cover: list[int] = field(default_factory=list)  # the cover page: at the head of the cover document
    front: list[int] = field(default_factory=list)  # title page, contents: at the head of the title page
    before: dict[int, list[int]] = field(default_factory=dict)  # body word index → pages that begin with it
    end: list[int] = field(default_factory=list)  # pages after the text (back cover): at the end of the last document


def placement(starts: list[int | None]) -> Placement:
    """Every page gets a marker (blank and textless pages too, as DAISY asks, so no number seems lost).

    A page that begins with a body word is marked before that word. The pages before the text
    (cover, title page and colophon, contents) go to the EPUB's own cover and title page; the pages
    after it (back cover) to the end of the text; a page inside the text that no word begins on
    (a blank page) is marked together with the next page.
    """
    text_pages = [n for n, start in enumerate(starts, start=1) if start is not None]
    first, last = (text_pages[0], text_pages[-1]) if text_pages else (len(starts) + 1, 0)
    out = Placement()
    waiting: list[int] = []
    for n, start in enumerate(starts, start=1):
        if n < first:
            (out.cover if n == 1 else out.front).append(n)
        elif start is not None:
            out.before[start] = [*waiting, n]
            waiting = []
        elif n < last:
            waiting.append(n)
        else:
            out.end.append(n)
    return out


def marker(etree: Any, page: int) -> Any:
    """An empty, invisible marker, as the DAISY Knowledge Base and EPUB 3.3 show it."""
    span = etree.Element(f"{{{XHTML}}}span")
    span.set(f"{{{OPS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", f"page-{page}")
    span.set("aria-label", str(page))
    return span


def _local(element: Any) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _slots(element: Any) -> Iterator[tuple[Any, str] | None]:
    """The element's text slots in document order: (element, "text") or (child, "tail"); None where a
    block starts or ends (a word boundary). The title page's own words are publication.toml's, not the text's."""
    if "titlepage" in element.get(f"{{{OPS}}}type", "").split():
        return
    block = _local(element) in BLOCK_TAGS
    if block:
        yield None
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _slots(child)
        yield child, "tail"
    if block:
        yield None


def _word_starts(body: Any) -> list[tuple[str, tuple[Any, str, int]]]:
    """Each whitespace-separated word of the body with the slot and offset where it begins."""
    words: list[tuple[list[str], tuple[Any, str, int]]] = []
    inside = False
    for slot in _slots(body):
        if slot is None:
            inside = False
            continue
        element, attr = slot
        for offset, char in enumerate(getattr(element, attr) or ""):
            if char.isspace():
                inside = False
            elif inside:
                words[-1][0].append(char)
            else:
                words.append(([char], (element, attr, offset)))
                inside = True
    return [("".join(chars), location) for chars, location in words]


def _insert(etree: Any, location: tuple[Any, str, int], pages: list[int]) -> None:
    """Markers where a word begins: inside its paragraph or list item, but before a heading (a marker
    inside a heading would become part of the heading's name)."""
    element, attr, offset = location
    holder = element if attr == "text" else element.getparent()
    heading = next((e for e in (holder, *holder.iterancestors()) if _local(e) in HEADINGS), None)
    spans = [marker(etree, page) for page in pages]
    if heading is not None:
        for span in spans:
            heading.addprevious(span)
        return
    text = getattr(element, attr) or ""
    setattr(element, attr, text[:offset])
    spans[-1].tail = text[offset:]
    if attr == "text":
        for index, span in enumerate(spans):
            element.insert(index, span)
    else:
        for span in reversed(spans):
            element.addnext(span)


def mark_document(
    xhtml: bytes, words: list[str], position: int, placed: Placement, head: list[int], tail: list[int]
) -> tuple[bytes, int, list[int]]:
    """One content document with its markers: ``head`` pages at the start of its body, a marker before
    each body word a page begins with (its first body word is ``words[position]``), ``tail`` pages at
    the end. Returns the document, the index of the next document's first body word, and the pages
    it marks, in order. A word the text does not hold (a layout's own) is passed over."""
    from lxml import etree

    root = etree.fromstring(xhtml)
    body = root.find(f"{{{XHTML}}}body")
    found: list[tuple[tuple[Any, str, int], list[int]]] = []
    for word, location in _word_starts(body):
        if position < len(words) and word == words[position]:
            if position in placed.before:
                found.append((location, placed.before[position]))
            position += 1
    if not (head or tail or found):
        return xhtml, position, []
    for location, pages in reversed(found):
        _insert(etree, location, pages)
    for index, page in enumerate(head):
        span = marker(etree, page)
        span.tail = "\n"
        body.insert(index, span)
    for page in tail:
        span = marker(etree, page)
        span.tail = "\n"
        body.append(span)
    pages = [*head, *(p for _loc, ps in found for p in ps), *tail]
    # The template's own prolog (declaration, doctype) and ending are kept as they were.
    start, end = xhtml.index(b"<html"), xhtml.rindex(b"</html>") + len(b"</html>")
    return xhtml[:start] + etree.tostring(root, encoding="utf-8") + xhtml[end:], position, pages


def mark_pages(
    documents: list[tuple[str, bytes]], words: list[str], starts: list[int | None]
) -> tuple[list[bytes], list[tuple[str, str]]]:
    """Mark the brochure's pages in the EPUB's content documents: the cover first, then the title page,
    then the chapters, in reading order. Returns the documents and the page list (href, label) in page order."""
    placed = placement(starts)
    out: list[bytes] = []
    where: dict[int, str] = {}
    position = 0
    for index, (name, xhtml) in enumerate(documents):
        head = placed.cover if index == 0 else placed.front if index == 1 else []
        tail = placed.end if index == len(documents) - 1 else []
        marked, position, pages = mark_document(xhtml, words, position, placed, head, tail)
        out.append(marked)
        where.update(dict.fromkeys(pages, name))
    page_list = [(f"{where[n]}#page-{n}", str(n)) for n in range(1, len(starts) + 1) if n in where]
    return out, page_list
