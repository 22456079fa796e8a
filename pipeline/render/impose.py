"""Saddle-stitch imposition of the brochure PDF: two pages per sheet side, in booklet order.

Pages are placed as form XObjects with pikepdf (vector, never rasterised).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.errors import RenderError
from pipeline.languages import direction
from pipeline.render.context import RenderContext
from pipeline.render.pdf_save import save_pdf

BLANK = -1


def booklet_sequence(page_count: int) -> list[int]:
    """Reading order padded to a multiple of four, blanks placed before the back cover (0-based; -1 blank)."""
    if page_count < 2:
        return [0, BLANK, BLANK, BLANK][: max(4, page_count)] if page_count else []
    padded = -(-page_count // 4) * 4
    blanks = padded - page_count
    return [*range(page_count - 1), *([BLANK] * blanks), page_count - 1]


def imposition(sequence: list[int], rtl: bool = False) -> list[tuple[int, int]]:
    """Sheet sides in print order as (left, right) page indices of ``sequence``.

    Sheet k's front carries the outermost remaining pair (last, first), its back
    the next pair (second, second to last): duplex with a short-edge flip.
    A right-to-left booklet is bound on the right: every side is mirrored, so the
    front cover is the left half of the outer sheet (first, last), and each page
    still lies behind the one before it (the flip mirrors left and right too).
    """
    n = len(sequence)
    sides = []
    for k in range(n // 4):
        sides.append((sequence[n - 1 - 2 * k], sequence[2 * k]))
        sides.append((sequence[2 * k + 1], sequence[n - 2 - 2 * k]))
    return [(right, left) for left, right in sides] if rtl else sides


def impose(source: Path, target: Path, rtl: bool = False) -> int:
    import pikepdf

    with pikepdf.open(source) as pdf, pikepdf.new() as out:
        count = len(pdf.pages)
        if count == 0:
            raise RenderError("the brochure PDF has no pages to impose.", source)
        box = [float(v) for v in pdf.pages[0].trimbox]
        width, height = box[2] - box[0], box[3] - box[1]
        forms: dict[int, pikepdf.Object] = {}
        for left, right in imposition(booklet_sequence(count), rtl):
            sheet = out.add_blank_page(page_size=(2 * width, height))
            xobjects = pikepdf.Dictionary()
            content = []
            for index, x in ((left, 0.0), (right, width)):
                if index == BLANK:
                    continue
                if index not in forms:
                    forms[index] = out.copy_foreign(pdf.pages[index].as_form_xobject())
                # Named by page number, so that the file is the same on every build.
                name = pikepdf.Name(f"/Page{index + 1}")
                xobjects[name] = forms[index]
                content.append(f"q 1 0 0 1 {x - box[0]:.4f} {-box[1]:.4f} cm {name} Do Q")
            sheet.Resources = pikepdf.Dictionary(XObject=xobjects)
            sheet.Contents = out.make_stream("\n".join(content).encode())
        out.docinfo["/Title"] = pdf.docinfo.get("/Title", "")
        out.docinfo["/Creator"] = "partiprogram-pipeline (booklet imposition)"
        save_pdf(out, target)
        return len(out.pages)


def render_booklet(ctx: RenderContext) -> dict[str, Any]:
    source = ctx.inputs.get("brochure")
    if source is None or not source.is_file():
        raise RenderError("the booklet needs the brochure PDF, which was not built.", ctx.publication_folder)
    return {"pages": impose(source, ctx.target, direction(ctx.doc.meta.language) == "rtl")}
