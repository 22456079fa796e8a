"""The brochure's pagination for the editions that cite it: its page map, and the word each printed page begins with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pipeline.errors import RenderError
from pipeline.model import Document, block_words
from pipeline.preflight.words import AUTO_HYPHEN
from pipeline.render.context import RenderContext
from pipeline.render.outline import build_outline

# The sidecar the brochure leaves beside its cache entry: {"pages": N, "blocks": {id: [first, last]},
# "starts": [word index or null, one per page]}.
SIDECAR = "brochure.json"

# A line-end hyphen the layout added; a box ending in one continues its word on the next line.
LINE_END_HYPHENS = (AUTO_HYPHEN, "-")


def body_words(doc: Document) -> list[str]:
    """The words every edition sets as running text, in reading order.

    That is every block's words but the title block's when the cover prints it (the outline's
    ``title``): the brochure's <main>, and the EPUB's introduction and chapters.
    """
    title = build_outline(doc).title
    return [w for b in doc.blocks if b is not title for w in block_words(b)]


def _body_text(box: Any, text_box: Any, inside: bool = False) -> Iterator[str]:
    """The text of the boxes inside <main>, in document order; generated content (list markers,
    ::before and ::after) is the layout's, not the text's."""
    tag = box.element_tag or ""
    if "::" in tag:
        return
    inside = inside or tag == "main"
    if isinstance(box, text_box):
        if inside:
            yield box.text
        return
    for child in getattr(box, "children", None) or ():
        yield from _body_text(child, text_box, inside)


def _consume(text: str, chars: list[str], pos: int) -> int | None:
    """Match a box's text (whitespace gone) against the body's characters from ``pos``.

    Returns where the match ends, or None when the box is not body text (a layout's own words).
    Case is ignored (a layout may transform it); a hyphen the line break added is skipped, and so is
    a soft hyphen (the brochure's line breaker marks its breaks inside words with one).
    """
    stripped = "".join(text.split()).replace("\u00ad", "")
    for k, c in enumerate(stripped):
        if pos < len(chars) and c.casefold() == chars[pos]:
            pos += 1
        elif k == len(stripped) - 1 and c in LINE_END_HYPHENS:
            pass
        else:
            return None
    return pos


def page_starts(pages: list[Any], words: list[str]) -> list[int | None]:
    """For each laid-out page (WeasyPrint's ``document.pages``), the index in ``words`` of the
    first word that begins on it; None for a page no word begins on (cover, contents, back cover).

    A word belongs to the page its first letter is set on: a word hyphenated across a page
    break is the previous page's, and the next page begins with the word after it.
    """
    from weasyprint.formatting_structure.boxes import TextBox

    chars = [c.casefold() for w in words for c in w]
    owner = [i for i, w in enumerate(words) for _ in w]  # the word each character belongs to
    page_of: list[int | None] = [None] * len(words)
    pos = 0
    for number, page in enumerate(pages, start=1):
        for text in _body_text(page._page_box, TextBox):  # WeasyPrint keeps a page's boxes there
            end = _consume(text, chars, pos)
            if end is None:
                continue
            for k in range(pos, end):
                if page_of[owner[k]] is None:
                    page_of[owner[k]] = number
            pos = end
    starts: list[int | None] = [None] * len(pages)
    for index, on_page in enumerate(page_of):
        if on_page is not None and starts[on_page - 1] is None:
            starts[on_page - 1] = index
    return starts


def write_page_map(ctx: RenderContext, pages: list[Any], blocks: dict[str, list[int]]) -> None:
    """Leave the brochure's page map for the editions that read it (large print, EPUB)."""
    if ctx.sidecar is None:
        return
    data = {"pages": len(pages), "blocks": blocks, "starts": page_starts(pages, body_words(ctx.doc))}
    from pipeline.atomic import write_bytes

    write_bytes(ctx.sidecar, json.dumps(data).encode())


def read_page_map(ctx: RenderContext) -> dict[str, Any] | None:
    """The brochure's page map, for an edition that declares it reads the brochure (None otherwise)."""
    if "brochure" not in ctx.inputs or ctx.sidecar is None:
        return None
    path = ctx.sidecar.with_name(SIDECAR)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not {"pages", "blocks", "starts"} <= data.keys():
        raise RenderError("the brochure's page map is missing or damaged; run `pipeline build --force`.", path)
    return data
