"""A tagged PDF's text lines, rebuilt from character positions and tied to their paragraphs in the structure tree.

Geometry only: which characters stand on which line of which paragraph, on which page. What
counts as a defect is decided in pipeline/preflight/typography.py.

- Characters come from pdfium (pypdfium2): each glyph's advance box (its origin to origin plus
  advance, so a space's box is its normal width), its baseline, and the marked-content ID of the
  text object that draws it. Line breaks pdfium invents are left out. Where a justified line's
  extra space stands before a space glyph, pdfium reports a space of its own making (no width)
  in place of the real one; such a space keeps its place as a word space. A word space's
  normal width is its font's advance for the space at the text object's size and scale.
- Paragraphs come from the structure tree (pikepdf): every marked-content reference is owned by
  its nearest ``P``, ``H``, ``H1``–``H6`` or ``LI`` ancestor, and the blocks are numbered in the
  tree's order (reading order). Marked content no block reaches — running heads and page numbers
  (``/Artifact`` after pipeline/render/tagging.py), a list's bullet or number (``Lbl``) — is not
  text of a paragraph. A paragraph a page break splits is one ``P`` once tagging.py has joined it,
  so its lines on both pages belong to one block.
- The body is what the ``Part`` element (HTML ``main``) holds; the cover, title page, contents
  and back cover stand outside it. A PDF without a ``Part`` element is all body.
- A line is a block's characters on one page that share a baseline (within a quarter of the
  glyphs' height), in left-to-right order.
"""

from __future__ import annotations

import ctypes
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

BLOCK_TAGS = frozenset({"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "LI"})
HEADING_TAGS = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6"})
BODY_TAG = "Part"  # WeasyPrint tags HTML <main> as Part
LABEL_TAG = "Lbl"  # a list item's bullet or number
SPACES = frozenset(" \u00a0")  # word spaces: justification stretches both
BASELINE_TOLERANCE = 0.25  # of a glyph's height: further apart, two glyphs stand on two lines


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float  # the glyph's origin, in PDF points from the page's left edge
    right: float  # origin plus advance
    baseline: float  # points from the page's bottom edge
    height: float  # the font's ascent plus descent at this size
    space_width: float = 0.0  # a word space's normal width (its glyph's advance); 0 for other glyphs


@dataclass
class Line:
    page: int  # 1-based
    block: int  # index into Layout.blocks
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @property
    def right(self) -> float:
        return self.glyphs[-1].right

    @cached_property
    def word_space_ratios(self) -> list[float]:
        """Each word space as set, divided by the space glyph's own width (its normal width at its size)."""
        ratios = []
        i = 0
        while i < len(self.glyphs):
            if self.glyphs[i].char not in SPACES:
                i += 1
                continue
            end = i
            while end < len(self.glyphs) and self.glyphs[end].char in SPACES:
                end += 1
            normal = self.glyphs[i].space_width
            if 0 < i and end < len(self.glyphs) and normal > 0:
                ratios.append((self.glyphs[end].left - self.glyphs[i - 1].right) / normal)
            i = end
        return ratios


@dataclass
class Block:
    """A paragraph, heading or list item of the structure tree, with its lines in reading order."""

    index: int
    tag: str
    body: bool
    lines: list[Line] = field(default_factory=list)

    @property
    def heading(self) -> bool:
        return self.tag in HEADING_TAGS


@dataclass
class Layout:
    pages: int
    blocks: list[Block]

    def body_lines(self, page: int | None = None) -> list[Line]:
        """The body's lines in reading order (block by block), on one page or on all."""
        return [ln for b in self.blocks if b.body for ln in b.lines if page is None or ln.page == page]


@dataclass
class _Owner:
    block: int
    label: bool  # inside a list item's Lbl: not the item's text


def _struct_owners(pdf: Any) -> tuple[list[Block], dict[tuple[int, int], _Owner]]:
    """The blocks in tree order, and (page index, MCID) → the block that owns that marked content."""
    import pikepdf

    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    if "/StructTreeRoot" not in pdf.Root:
        return [], {}
    root = pdf.Root.StructTreeRoot
    has_body = False
    blocks: list[Block] = []
    owners: dict[tuple[int, int], _Owner] = {}
    seen: set[tuple[int, int]] = set()

    def kids_of(node: Any) -> list[Any]:
        kids = node.get("/K")
        return list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])

    def visit_tags(node: Any) -> None:  # first pass: is there a body element at all?
        nonlocal has_body
        for kid in kids_of(node):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                has_body = has_body or str(kid.S)[1:] == BODY_TAG
                visit_tags(kid)

    visit_tags(root)
    seen.clear()
    # Depth first, kids in order: (node, its page, owning block or -1, in the body, inside a label)
    stack: list[tuple[Any, Any, int, bool, bool]] = [(root, None, -1, not has_body, False)]
    while stack:
        node, page, block, body, label = stack.pop()
        page = node.get("/Pg", page)
        pending = []
        for kid in kids_of(node):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
                tag = str(kid.S)[1:]
                kid_body = body or tag == BODY_TAG
                kid_block = block
                if tag in BLOCK_TAGS:
                    kid_block = len(blocks)  # numbered when met, so in reading order below
                    blocks.append(Block(kid_block, tag, kid_body))
                pending.append((kid, page, kid_block, kid_body, label or tag == LABEL_TAG))
            elif block >= 0:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    where = kid.get("/Pg", page)
                    mcid = int(kid.MCID)
                elif isinstance(kid, int):
                    where, mcid = page, kid
                else:  # an object reference (a link's annotation): no text of its own
                    continue
                if where is not None and where.objgen in page_index:
                    owners[(page_index[where.objgen], mcid)] = _Owner(block, label)
        stack.extend(reversed(pending))
    return blocks, owners


def _space_width(raw: Any, text_object: Any, char: str) -> float:
    """A space's normal width on the page: its font's advance for it at the object's size and scale."""
    font = raw.FPDFTextObj_GetFont(text_object)
    size, width, matrix = ctypes.c_float(), ctypes.c_float(), raw.FS_MATRIX()
    if (
        not font
        or not raw.FPDFTextObj_GetFontSize(text_object, size)
        or not raw.FPDFPageObj_GetMatrix(text_object, matrix)
    ):
        return 0.0
    for code in dict.fromkeys((ord(char), ord(" "))):
        if raw.FPDFFont_GetGlyphWidth(font, code, size.value, width) and width.value > 0:
            return width.value * math.hypot(matrix.a, matrix.b)
    return 0.0


def _glyphs(path: Path, owners: dict[tuple[int, int], _Owner]) -> dict[tuple[int, int], list[Glyph]]:
    """(page index, block) → its glyphs on that page, in the order they are drawn."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: dict[tuple[int, int], list[Glyph]] = defaultdict(list)
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            box, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
            for i in range(raw.FPDFText_CountChars(text)):
                char = chr(raw.FPDFText_GetUnicode(text, i))
                if raw.FPDFText_IsGenerated(text, i) and char not in SPACES:
                    continue  # a line break pdfium guessed
                obj = raw.FPDFText_GetTextObject(text, i)
                owner = owners.get((index, raw.FPDFPageObj_GetMarkedContentID(obj))) if obj else None
                if owner is None or owner.label:
                    continue
                raw.FPDFText_GetLooseCharBox(text, i, box)
                raw.FPDFText_GetCharOrigin(text, i, x, y)
                space = _space_width(raw, obj, char) if char in SPACES else 0.0
                out[(index, owner.block)].append(Glyph(char, box.left, box.right, y.value, box.top - box.bottom, space))
            text.close()
            page.close()
    finally:
        pdf.close()
    return out


def _lines(page: int, block: int, glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline, top line first, each line left to right without outer spaces."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.baseline):
        row = rows[-1] if rows else None
        if row is not None and abs(row[0].baseline - glyph.baseline) <= BASELINE_TOLERANCE * max(glyph.height, 1):
            row.append(glyph)
        else:
            rows.append([glyph])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.left)
        while row and row[-1].char in SPACES:
            row.pop()
        while row and row[0].char in SPACES:
            row.pop(0)
        if row:
            lines.append(Line(page + 1, block, row))
    return lines


def read_layout(path: Path) -> Layout:
    """Every paragraph's lines, page by page; a PDF without a structure tree has no blocks."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
        blocks, owners = _struct_owners(pdf)
    for (page, block), glyphs in sorted(_glyphs(path, owners).items()):
        blocks[block].lines.extend(_lines(page, block, glyphs))
    return Layout(pages, blocks)
