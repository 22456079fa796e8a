"""Finish WeasyPrint's PDF/X-4 for a print shop: CMYK only, a slug with crop marks outside the bleed, pages in fours.

WeasyPrint 70 gets most of the way: print.css gives every colour in device-cmyk(), and the page
boxes carry a 3 mm bleed. What it cannot do is done here, with pikepdf, in a fixed order:

1. Colours. WeasyPrint still writes DeviceRGB for what no stylesheet sets (its ``0 0 0 rg``
   resets); every ``rg``/``RG`` left becomes ``k``/``K`` by pipeline/render/cmyk.py's rules
   (black is 100 % K), and an RGB picture is converted to CMYK on the output profile.
2. Pages in fours. A saddle-stitched brochure is folded sheets of four pages; blank pages are
   added before the back cover, as printers do (the back cover stays the last page).
3. Slug and crop marks. The MediaBox grows by a 10 mm slug beyond the BleedBox (TrimBox and
   BleedBox stay as WeasyPrint set them); the page is clipped to its BleedBox, so nothing but
   the marks reaches the slug; crop marks are drawn in the slug, 1 mm clear of the bleed, in
   registration colour (a separation named All, which prints on every plate).

The print shop's preflight (pipeline/preflight/print_file.py) then has to find nothing, or the
edition fails.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

from pipeline.preflight.print_file import family
from pipeline.preflight.streams import drawings, images
from pipeline.render.cmyk import image_to_cmyk, to_cmyk
from pipeline.render.pdf_save import save_pdf

MM = 72 / 25.4
SLUG_MM = 10.0  # beyond the bleed
MARK_GAP_MM = 1.0  # between the bleed's edge and a crop mark
MARK_LENGTH_MM = 6.0
MARK_WIDTH_PT = 0.25
REGISTRATION = Name("/PipelineRegistration")


def _number(value: float) -> Decimal:
    return Decimal(f"{value:.4f}").normalize() if value else Decimal(0)


def _cmyk_operands(operands: list[Any], profile: Path) -> list[Decimal]:
    r, g, b = (max(0, min(255, round(float(v) * 255))) for v in operands)
    return [_number(v) for v in to_cmyk((r, g, b), profile)]


def rgb_operators_to_cmyk(pdf: pikepdf.Pdf, profile: Path) -> int:
    """Rewrite every ``r g b rg``/``RG`` in pages, forms, patterns and appearances; returns how many."""
    changed = 0
    for drawing in drawings(pdf):
        instructions = pikepdf.parse_content_stream(drawing.owner)
        out: list[Any] = []
        count = 0
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInstruction):
                op = str(instruction.operator)
                if op in ("rg", "RG") and len(instruction.operands) == 3:
                    new_op = pikepdf.Operator("k" if op == "rg" else "K")
                    out.append(
                        pikepdf.ContentStreamInstruction(_cmyk_operands(list(instruction.operands), profile), new_op)
                    )
                    count += 1
                    continue
            out.append(instruction)
        if not count:
            continue
        data = pikepdf.unparse_content_stream(out)
        if isinstance(drawing.owner, pikepdf.Page):
            drawing.owner.obj.Contents = pdf.make_stream(data)
        else:
            drawing.owner.write(data)
        changed += count
    return changed


def rgb_images_to_cmyk(pdf: pikepdf.Pdf, profile: Path) -> int:
    """Convert RGB (or RGB-indexed) images to CMYK on the output profile, perceptual; returns how many."""
    changed = 0
    for _page, _name, image in images(pdf):
        if image.get("/ImageMask", False) or family(image.get("/ColorSpace")) != "rgb":
            continue
        picture = image_to_cmyk(pikepdf.PdfImage(image).as_pil_image(), profile)
        image.write(zlib.compress(picture.tobytes(), 9), filter=Name.FlateDecode)
        image.ColorSpace = Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/Decode", "/DecodeParms", "/Intent"):
            if key in image:
                del image[key]
        changed += 1
    return changed


def pad_to_fours(pdf: pikepdf.Pdf) -> int:
    """Blank pages before the back cover until the count is a multiple of four; returns how many."""
    missing = -len(pdf.pages) % 4
    last = pdf.pages[-1].obj
    for _ in range(missing):
        blank = pikepdf.Dictionary(
            Type=Name.Page,
            MediaBox=pikepdf.Array(list(last.MediaBox)),
            TrimBox=pikepdf.Array(list(last.TrimBox)),
            BleedBox=pikepdf.Array(list(last.BleedBox)),
            Resources=pikepdf.Dictionary(),
            Contents=pdf.make_stream(b""),
        )
        pdf.pages.insert(len(pdf.pages) - 1, pikepdf.Page(pdf.make_indirect(blank)))
    return missing


def _registration(pdf: pikepdf.Pdf) -> pikepdf.Object:
    tint = pikepdf.Dictionary(
        FunctionType=2,
        Domain=pikepdf.Array([0, 1]),
        C0=pikepdf.Array([0, 0, 0, 0]),
        C1=pikepdf.Array([1, 1, 1, 1]),
        N=1,
    )
    return pdf.make_indirect(pikepdf.Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))


def _crop_marks(trim: list[float], bleed: list[float]) -> str:
    """Eight strokes on the trim lines' extensions, from just outside the bleed into the slug."""
    x0, y0, x1, y1 = trim
    gap = MARK_GAP_MM * MM
    length = MARK_LENGTH_MM * MM
    left, bottom = x0 - bleed[0] + gap, y0 - bleed[1] + gap
    right, top = bleed[2] - x1 + gap, bleed[3] - y1 + gap
    lines = [
        (x0 - left - length, y0, x0 - left, y0),  # bottom left, horizontal
        (x0, y0 - bottom - length, x0, y0 - bottom),  # bottom left, vertical
        (x1 + right, y0, x1 + right + length, y0),
        (x1, y0 - bottom - length, x1, y0 - bottom),
        (x0 - left - length, y1, x0 - left, y1),
        (x0, y1 + top, x0, y1 + top + length),
        (x1 + right, y1, x1 + right + length, y1),
        (x1, y1 + top, x1, y1 + top + length),
    ]
    return "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n" for a, b, c, d in lines)


def add_slug_and_marks(pdf: pikepdf.Pdf) -> None:
    """Grow each MediaBox by the slug, clip the page to its bleed, and draw crop marks in the slug."""
    registration = _registration(pdf)
    slug = SLUG_MM * MM
    for page in pdf.pages:
        obj = page.obj
        trim = [float(v) for v in obj.TrimBox]
        bleed = [float(v) for v in obj.BleedBox]
        obj.MediaBox = pikepdf.Array(
            [_number(v) for v in (bleed[0] - slug, bleed[1] - slug, bleed[2] + slug, bleed[3] + slug)]
        )
        resources = obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            resources = obj.Resources = pikepdf.Dictionary()
        if not isinstance(resources.get("/ColorSpace"), pikepdf.Dictionary):
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace[REGISTRATION] = registration
        w, h = bleed[2] - bleed[0], bleed[3] - bleed[1]
        page.contents_add(
            pdf.make_stream(f"q {bleed[0]:.3f} {bleed[1]:.3f} {w:.3f} {h:.3f} re W n\n".encode()), prepend=True
        )
        marks = f"Q\nq {REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J\n{_crop_marks(trim, bleed)}Q\n"
        page.contents_add(pdf.make_stream(marks.encode()))
        page.contents_coalesce()


def finish_print_file(path: Path, profile: Path) -> dict[str, int]:
    """Apply the steps of the module doc to the PDF at ``path`` in place; returns what was done."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        done = {
            "rgb_operators": rgb_operators_to_cmyk(pdf, profile),
            "rgb_images": rgb_images_to_cmyk(pdf, profile),
            "blank_pages": pad_to_fours(pdf),
        }
        add_slug_and_marks(pdf)
        done["pages"] = len(pdf.pages)
        save_pdf(pdf, path)
    return done
