"""Four repairs of WeasyPrint 70's PDF tags: page furniture as artifacts, page-split elements
joined, nested lists inside their items, the language of parts.

1. WeasyPrint 70 tags text in page-margin boxes as marked content with an MCID but links
no structure element to it (see weasyprint/pdf/tags.py: "It could be included in tree
as Artifact, but that's only allowed in PDF 2.0"). Such content is neither real
content in the structure tree nor an artifact, which PDF/UA-1 (7.1-3) forbids, and a
screen reader may read page numbers into the text. This pass rewrites every marked
content sequence whose MCID no structure element reaches into ``/Artifact`` with the
``/Pagination`` type, and drops those MCIDs from the parent tree.

2. WeasyPrint builds the structure tree page by page, so a paragraph (and the sections
around it) that a page break splits becomes two P elements (two Sect, two Part). A screen
reader then announces a new paragraph at every page break. The layout knows which
elements continue onto the next page (``continuation_depths``); this pass moves the
continuation's children into the element they continue and removes the duplicate.

3. WeasyPrint tags a list nested in a list item as the next child of the outer list (L, LI, L,
LI), where PDF (14.8.4.3.3) wants an L's children to be list items and a nested list to stand in
its item's body. This pass moves each such L into the LBody of the LI before it.

4. WeasyPrint 70 writes the document's language (the catalog's /Lang, from ``<html lang>``) but not
an element's own: a Sami sentence in a Swedish text (``<span lang="se">``) would be read aloud as
Swedish. ``language_of_parts`` gives the structure element of every element with a ``lang`` its
/Lang (PDF 14.9.2) while WeasyPrint builds the tree.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.render.pdf_save import save_pdf


@contextlib.contextmanager
def language_of_parts() -> Iterator[None]:
    """While WeasyPrint writes a tagged PDF, an element's ``lang`` becomes its structure element's /Lang."""
    import pydyf
    import weasyprint.pdf.tags as tags

    original = tags._build_box_tree

    def build_box_tree(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)
        tag = getattr(element, "tag", "")
        lang = element.get("lang") if element is not None and tag not in ("html", "body") else None
        for built in original(box, parent, *args):  # the box's own element (its children are inside it)
            if lang and "Lang" not in built:
                built["Lang"] = pydyf.String(lang)
            yield built

    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        tags._build_box_tree = original


def _reachable_mcids(pdf: Any) -> set[tuple[int, int]]:
    import pikepdf

    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    found: set[tuple[int, int]] = set()
    stack: list[tuple[Any, Any]] = [(pdf.Root.StructTreeRoot, None)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, page = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        page = node.get("/Pg", page)
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    found.add((page_index[kid.get("/Pg", page).objgen], int(kid.MCID)))
                elif "/S" in kid and kid.objgen not in seen:
                    seen.add(kid.objgen)
                    stack.append((kid, page))
            elif page is not None and not isinstance(kid, pikepdf.Array):
                found.add((page_index[page.objgen], int(kid)))
    return found


def continuation_depths(document: Any) -> list[int]:
    """For each page, how many nested block elements continue from the previous page (0: none).

    Compares the chain of last block boxes on page n-1 with the chain of first block boxes
    on page n; the common prefix of identical HTML elements is what the page break split.
    """
    from weasyprint.formatting_structure import boxes

    def chain(page: Any, last: bool) -> list[Any]:
        out = []
        kids = [c for c in page._page_box.children if not isinstance(c, boxes.MarginBox)]
        box = (kids[-1] if last else kids[0]) if kids else None
        while box is not None:
            if box.element_tag not in ("html", "body"):
                out.append(box.element)
            kids = [c for c in getattr(box, "children", []) if isinstance(c, boxes.BlockLevelBox)]
            box = (kids[-1] if last else kids[0]) if kids else None
        return out

    depths = [0]
    for previous, page in zip(document.pages, document.pages[1:], strict=False):
        a, b = chain(previous, True), chain(page, False)
        depth = 0
        while depth < min(len(a), len(b)) and a[depth] is b[depth] and a[depth] is not None:
            depth += 1
        depths.append(depth)
    return depths


def fix_tagging(path: Path, continuations: list[int]) -> tuple[int, int]:
    """Rewrite the tagged PDF at ``path`` in place: (artifacts marked, split elements joined); nested
    lists are put inside their items."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return 0, 0
        marked = _mark_orphans(pdf)
        joined = _join_split_elements(pdf, continuations)
        nested = _nest_lists(pdf)
        if marked or joined or nested:
            save_pdf(pdf, path)
    return marked, joined


def _struct_kids(node: Any) -> list[Any]:
    import pikepdf

    kids = node.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _first_struct_kid(node: Any) -> Any:
    return next(iter(_struct_kids_from(node, reverse=False)), None)


def _last_struct_kid(node: Any) -> Any:
    return next(iter(_struct_kids_from(node, reverse=True)), None)


def _struct_kids_from(node: Any, reverse: bool) -> Iterator[Any]:
    """A node's structure-element kids from its first (or last) on, lazily: a section may hold
    thousands, and a page's repair only needs the one at its end."""
    import pikepdf

    kids = node.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    order = range(len(kids) - 1, -1, -1) if reverse else range(len(kids))
    for i in order:
        kid = kids[i]
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid


def _join_split_elements(pdf: Any, continuations: list[int]) -> int:
    """Join each element a page break split (``continuations``) to the element it continues.

    Linear in the size of the tree: the top-level elements are listed once, each continued element
    is found by the page it starts on, and a joined element's kids are moved once.
    """
    import pikepdf

    document = pdf.Root.StructTreeRoot.K
    document = document[0] if isinstance(document, pikepdf.Array) else document
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    replaced: dict[tuple[int, int], Any] = {}

    def merge(prev: Any, nxt: Any, depth: int) -> None:
        """Move ``nxt``'s kids into ``prev`` (its first kid into ``prev``'s last, one level down,
        while the split goes deeper); the caller drops ``nxt`` itself."""
        prev_last, nxt_first = _last_struct_kid(prev), _first_struct_kid(nxt)
        deeper = (
            depth > 1 and prev_last is not None and nxt_first is not None and prev_last.get("/S") == nxt_first.get("/S")
        )
        page = nxt.get("/Pg")
        kids = nxt.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else [])
        if not isinstance(prev.get("/K"), pikepdf.Array):
            prev.K = pikepdf.Array([prev.K] if "/K" in prev else [])
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary):
                if deeper and kid.objgen == nxt_first.objgen:
                    merge(prev_last, nxt_first, depth - 1)
                    continue
                if "/S" in kid:
                    kid.P = prev
                prev.K.append(kid)
            else:  # a bare MCID belongs to nxt's page: make the page explicit
                prev.K.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid))
        replaced[nxt.objgen] = prev

    tops = _struct_kids(document)
    first_on_page: dict[int, int] = {}
    for k, element in enumerate(tops):
        if "/Pg" in element:
            first_on_page.setdefault(page_index.get(element.Pg.objgen, -1), k)
    before = list(range(-1, len(tops) - 1))  # the element before each one, as elements are joined away
    after = list(range(1, len(tops) + 1))
    for page_no, depth in enumerate(continuations):
        first = first_on_page.get(page_no)
        if depth == 0 or page_no == 0 or not first or before[first] < 0:
            continue
        # the element before it is the one the page break split (its tail holds the last page)
        prev, nxt = tops[before[first]], tops[first]
        if prev.get("/S") != nxt.get("/S"):
            continue
        merge(prev, nxt, depth)
        if after[first] < len(tops):
            before[after[first]] = before[first]
        after[before[first]] = after[first]
    if replaced:
        document.K = pikepdf.Array(
            [k for k in document.K if not (isinstance(k, pikepdf.Dictionary) and k.objgen in replaced)]
        )
        nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", [])
        for i in range(1, len(nums), 2):
            entry = nums[i]
            if isinstance(entry, pikepdf.Array):
                for k in range(len(entry)):
                    if isinstance(entry[k], pikepdf.Dictionary) and entry[k].objgen in replaced:
                        entry[k] = replaced[entry[k].objgen]
            elif isinstance(entry, pikepdf.Dictionary) and entry.objgen in replaced:
                nums[i] = replaced[entry.objgen]
    return len(replaced)


def _nest_lists(pdf: Any) -> int:
    """Each L that is a child of an L moves into the body (LBody) of the list item before it."""
    import pikepdf

    moved = 0
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = _struct_kids(node)
        stack.extend(kids)
        if node.get("/S") != "/L" or not any(k.get("/S") == "/L" for k in kids):
            continue
        kept: list[Any] = []
        item = None
        for kid in node.K if isinstance(node.K, pikepdf.Array) else [node.K]:
            body: Any = _last_struct_kid(item) if item is not None else None
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/L" and body is not None:
                if body.get("/S") == "/LBody":
                    if not isinstance(body.get("/K"), pikepdf.Array):
                        body.K = pikepdf.Array([body.K] if "/K" in body else [])
                    body.K.append(kid)
                    kid.P = body
                    moved += 1
                    continue
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/LI":
                item = kid
            kept.append(kid)
        node.K = pikepdf.Array(kept)
    return moved


def _mark_orphans(pdf: Any) -> int:
    """Marked content no structure element reaches becomes a pagination artifact."""
    import pikepdf

    changed = 0
    reachable = _reachable_mcids(pdf)
    orphans_by_page: dict[int, set[int]] = {}
    for index, page in enumerate(pdf.pages):
        ops = pikepdf.parse_content_stream(page)
        new_ops: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
        page_changed = False
        for instruction in ops:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                new_ops.append(instruction)  # an inline image: kept as it is
                continue
            operands, op = instruction.operands, instruction.operator
            if (
                str(op) == "BDC"
                and len(operands) == 2
                and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]
                and (index, int(operands[1].MCID)) not in reachable
            ):
                orphans_by_page.setdefault(index, set()).add(int(operands[1].MCID))
                artifact = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
                new_ops.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact, artifact], op))
                page_changed = True
                changed += 1
            else:
                new_ops.append(instruction)
        if page_changed:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new_ops))
    _drop_from_parent_tree(pdf, orphans_by_page)
    return changed


def _drop_from_parent_tree(pdf: Any, orphans_by_page: dict[int, set[int]]) -> None:
    """Parent-tree entries of artifacts point nowhere: replace them with null."""
    import pikepdf

    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums")
    if nums is None:
        return
    for i in range(0, len(nums), 2):
        key = int(nums[i])
        if key in orphans_by_page and isinstance(nums[i + 1], pikepdf.Array):
            array = nums[i + 1]
            for mcid in orphans_by_page[key]:
                if mcid < len(array):
                    array[mcid] = pikepdf.Object.parse(b"null")
