"""Near-empty pages: a section's last page that holds only a line or three of its text.

A chapter that ends with two lines alone on a page looks like a mistake, and the reader turns a
leaf for almost nothing. After a layout, ``near_empty(document, tree)`` finds such pages (the
definition is the typography check's: 1 to ``NEAR_EMPTY_MAX_LINES`` body lines, see
pipeline/preflight/typography.py) and ``push_lines`` asks the next layout to carry more of the text
over to that page: it raises the CSS ``widows`` of the paragraph that ends the page before, so at
least ``NEAR_EMPTY_MAX_LINES + 1`` lines stand on the short page. This is the typesetter's own
remedy (a longer widow, the page before "run short"); no word moves between paragraphs and the line
breaks inside each paragraph stay as they were. (Pulling the lines back instead, by setting
paragraphs before the page a line shorter, TeX's looseness -1, was tried on the brochure's total-fit
breaks: none of the 73 paragraphs of three or more lines in the two seeds has a shorter solution
within the tolerance, since the breaker already prefers tight lines to loose ones.)

The paragraph before keeps at least ``KEEP_BEFORE`` lines on its page (its orphans rule and one
more), or goes over whole; a heading is never left at the foot of a page by it, and nothing is
carried over a chapter's start. Where none of this can be done, the page is left as it is and the
typography check still reports it.

Elements are named by their index in the tree's document order (``list(root.iter())`` before any
change), the same in every parse of one HTML, so a decision found in one layout applies to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.preflight.typography import NEAR_EMPTY_MAX_LINES

KEEP_BEFORE = 3  # lines the paragraph before keeps on its page (orphans 2, and one more)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Piece:
    """The lines one body element has on one page."""

    element: Any
    lines: int


def line_boxes(document: Any) -> Iterator[tuple[int, Any, list[Any]]]:
    """(page index, element, its line boxes on that page) for every block that holds lines, in reading order."""
    from weasyprint.formatting_structure import boxes

    def walk(box: Any, page: int) -> Iterator[tuple[int, Any, list[Any]]]:
        children = getattr(box, "children", ())
        lines = [child for child in children if isinstance(child, boxes.LineBox)]
        element = getattr(box, "element", None)
        if lines and isinstance(box, boxes.BlockContainerBox) and element is not None:
            yield page, element, lines
        for child in children:
            if not isinstance(child, boxes.LineBox):
                yield from walk(child, page)

    for number, page in enumerate(document.pages):
        yield from walk(page._page_box, number)


def body_pieces(document: Any, tree: list[Any]) -> list[list[Piece]]:
    """For each page, the body elements (inside ``main``) with line boxes on it, in order, with their lines."""
    main = next((el for el in tree if el.tag == "main"), None)
    body = {id(el) for el in main.iter()} if main is not None else {id(el) for el in tree}
    pages: list[list[Piece]] = [[] for _ in document.pages]
    for page, element, lines in line_boxes(document):
        if id(element) in body:
            pages[page].append(Piece(element, len(lines)))
    return pages


def near_empty(pages: list[list[Piece]]) -> list[int]:
    """Indexes of pages whose body holds 1 to NEAR_EMPTY_MAX_LINES lines."""
    return [i for i, pieces in enumerate(pages) if 0 < sum(p.lines for p in pieces) <= NEAR_EMPTY_MAX_LINES]


def _parts(tree: list[Any]) -> dict[int, int]:
    """Each body element's part: the index of the child of ``main`` that holds it (a chapter)."""
    main = next((el for el in tree if el.tag == "main"), None)
    return {id(el): n for n, child in enumerate(main if main is not None else ()) for el in child.iter()}


def push_lines(pages: list[list[Piece]], tree: list[Any], widows: dict[int, int]) -> int:
    """Add to ``widows`` (element index → widows) what fills each near-empty page; how many were added.

    The paragraph that ends the page before gives the lines the short page lacks, keeping
    ``KEEP_BEFORE`` on its page; where it cannot, it goes over whole. Nothing is carried over a
    chapter's start (a forced page break), nor a heading.
    """
    index = {id(el): i for i, el in enumerate(tree)}
    parts = _parts(tree)
    added = 0
    for page in near_empty(pages):
        if page == 0 or not pages[page - 1]:
            continue
        before = pages[page - 1]
        last = before[-1]  # the element that ends the page before, perhaps going on on this page
        first = pages[page][0].element
        if last.element.tag in HEADINGS or parts.get(id(last.element)) != parts.get(id(first)):
            continue
        here = sum(p.lines for p in pages[page])
        need = NEAR_EMPTY_MAX_LINES + 1 - here
        on_page = next((p.lines for p in pages[page] if p.element is last.element), 0)
        if last.lines - need >= KEEP_BEFORE:
            wanted = on_page + need
        elif len(before) > 1 and before[-2].element.tag not in HEADINGS:
            wanted = on_page + last.lines  # more than CSS can leave behind: the paragraph goes over whole
        else:
            continue
        number = index[id(last.element)]
        if widows.get(number, 0) < wanted:
            widows[number] = wanted
            added += 1
    return added


def apply_widows(tree: list[Any], widows: dict[int, int]) -> None:
    """Write ``widows`` into the elements' style attributes (``tree`` as listed before any change)."""
    for number, count in widows.items():
        element = tree[number]
        style = element.get("style")
        own = f"widows: {count}"
        element.set("style", f"{style}; {own}" if style else own)
