"""Mark running heads and page numbers as artifacts in tagged PDFs.

WeasyPrint 70 tags text in page-margin boxes as marked content with an MCID but links
no structure element to it (see weasyprint/pdf/tags.py: "It could be included in tree
as Artifact, but that's only allowed in PDF 2.0"). Such content is neither real
content in the structure tree nor an artifact, which PDF/UA-1 (7.1-3) forbids, and a
screen reader may read page numbers into the text. This pass rewrites every marked
content sequence whose MCID no structure element reaches into ``/Artifact`` with the
``/Pagination`` type, and drops those MCIDs from the parent tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


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


def mark_orphans_as_artifacts(path: Path) -> int:
    """Rewrite the PDF at ``path`` in place; returns how many marked-content sequences became artifacts."""
    import pikepdf

    changed = 0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return 0
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
        if changed:
            pdf.save(path, deterministic_id=True, compress_streams=True)
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
