"""The structure tree of a tagged PDF: which block element (paragraph, heading, list item) holds each text run."""

from __future__ import annotations

import io
from typing import Any

from pipeline.readers.pdf_layout import TextLine

# Structure types that are not blocks: their text belongs to the nearest block around them.
INLINE = frozenset(
    {"/Span", "/Strong", "/Em", "/Link", "/Lbl", "/Quote", "/Code", "/Reference", "/Note", "/NonStruct", "/Annot"}
)
# The tree is used only when it reaches (nearly) all the text: a partial tree is not evidence.
MIN_COVERAGE = 0.95


class Tags:
    """Block elements by (page, marked-content id), from the document's structure tree."""

    def __init__(self, blocks: dict[tuple[int, int], int]) -> None:
        self.blocks = blocks

    def block(self, page: int, mcid: int) -> int | None:
        return self.blocks.get((page, mcid)) if mcid >= 0 else None

    def same_block(self, a: TextLine, b: TextLine) -> bool | None:
        """Do ``a``'s last word and ``b``'s first word lie in one block element (None: the tree does not say)?"""
        ea, eb = self.block(a.page, a.words[-1].mcids[1]), self.block(b.page, b.words[0].mcids[0])
        return None if ea is None or eb is None else ea == eb


def read_tags(data: bytes, lines: list[TextLine]) -> Tags | None:
    """The structure tree's block elements, if the PDF has a tree that covers its text; else None."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            root = pdf.Root.get("/StructTreeRoot")
            if root is None:
                return None
            tags = Tags(_walk(pdf, root))
    except (pikepdf.PdfError, KeyError, ValueError, TypeError, AttributeError):
        return None  # a broken tree is no evidence; the layout decides alone
    runs = [(line.page, w.mcids[0]) for line in lines if not line.artifact for w in line.words]
    covered = sum(1 for page, mcid in runs if tags.block(page, mcid) is not None)
    return tags if runs and covered >= MIN_COVERAGE * len(runs) else None


def _walk(pdf: Any, root: Any) -> dict[tuple[int, int], int]:
    """(page, mcid) → the object number of the nearest block element above that marked content."""
    import pikepdf

    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    out: dict[tuple[int, int], int] = {}
    stack: list[tuple[Any, Any, int]] = [(root, None, 0)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, page, block = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        page = node.get("/Pg", page)
        kind = node.get("/S")
        if kind is not None and str(kind) not in INLINE:
            block = node.objgen[0]
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    kid_page = kid.get("/Pg", page)
                    if kid_page is not None and kid_page.objgen in page_index:
                        out[(page_index[kid_page.objgen], int(kid.MCID))] = block
                elif "/S" in kid and kid.objgen not in seen:
                    seen.add(kid.objgen)
                    stack.append((kid, page, block))
            elif isinstance(kid, int) and page is not None and page.objgen in page_index:
                out[(page_index[page.objgen], int(kid))] = block
    return out
