"""The print shop's PDF/X-4, cut from the brochure's own pages: CMYK only, bleed, crop marks in a slug, pages in fours.

The brochure and the print file are the same pages, so they are laid out once: the brochure is laid out
with the print file's bleed painted beyond each page (pipeline/render/pdf.py, ``PRINT_BLEED_MM``) and
written at its trim size. This module makes the print file from the brochure PDF with pikepdf, in a
fixed order:

1. Boxes. The brochure's page becomes the TrimBox, and the BleedBox lies ``PRINT_BLEED_MM`` beyond it,
   over what the layout painted there (the cover's colour and circles run on into it).
2. Colours. Every ``rg``/``RG`` becomes ``k``/``K`` by pipeline/render/cmyk.py's rules (text 100 % K,
   greys as K tints, the theme colour on the output profile), and an RGB picture is converted to CMYK
   on the output profile.
3. Pages in fours. A saddle-stitched brochure is folded sheets of four pages; blank pages are
   added before the back cover, as printers do (the back cover stays the last page).
4. Slug and crop marks. The MediaBox grows by a 10 mm slug beyond the BleedBox; the page is
   clipped to its BleedBox, so nothing but the marks reaches the slug; crop marks are drawn in the
   slug, 1 mm clear of the bleed, in registration colour (a separation named All, which prints on
   every plate).
5. PDF/X-4. The FOGRA39 profile as the GTS_PDFX output intent, PDF/X-4 named in the XMP metadata,
   Trapped set, PDF 1.6; the brochure's structure tree stays.

The print shop's preflight (pipeline/preflight/print_file.py) then has to find nothing, or the
edition fails.
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

from pipeline.config import NAMESPACE
from pipeline.errors import RenderError
from pipeline.preflight.print_file import family, preflight
from pipeline.preflight.streams import drawings, images
from pipeline.render.cmyk import image_to_cmyk, to_cmyk
from pipeline.render.context import RenderContext
from pipeline.render.pdf import PRINT_BLEED_MM
from pipeline.render.pdf_save import save_pdf
from pipeline.resources import layout_file

# The output profile; the colours are converted on it and it is the file's output intent.
PRINT_PROFILE = "brochure/FOGRA39L_coated.icc"
EDITION_LABEL = "tryckoriginal"  # the file's description: "<title> – tryckoriginal"

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


def add_bleed(pdf: pikepdf.Pdf) -> None:
    """Each page's MediaBox (the brochure's trim) becomes its TrimBox, with a BleedBox ``PRINT_BLEED_MM`` beyond."""
    bleed = PRINT_BLEED_MM * MM
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
        page.obj.TrimBox = pikepdf.Array([_number(v) for v in (x0, y0, x1, y1)])
        page.obj.BleedBox = pikepdf.Array([_number(v) for v in (x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed)])
        page.obj.MediaBox = page.obj.BleedBox  # add_slug_and_marks grows it by the slug
        if "/CropBox" in page.obj:
            del page.obj.CropBox


def identify_pdfx4(pdf: pikepdf.Pdf, profile: Path, document_id: str) -> None:
    """The output intent (the CMYK profile, GTS_PDFX), PDF/X-4 in the XMP metadata, Trapped, the file's description."""
    from PIL import ImageCms

    condition = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()
    icc = pdf.make_stream(profile.read_bytes())
    icc.N = 4
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String(condition),
                Info=pikepdf.String(condition),
                DestOutputProfile=icc,
            )
        ]
    )
    title = str(pdf.docinfo.get("/Title", ""))
    pdf.docinfo["/Subject"] = f"{title} – {EDITION_LABEL}" if title else EDITION_LABEL
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp.load_from_docinfo(pdf.docinfo)
        xmp["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        xmp["pdf:Trapped"] = "False"
        xmp["xmp:MetadataDate"] = xmp.get("xmp:ModifyDate", "")
        xmp["xmpMM:DocumentID"] = f"xmp.did:{document_id}"
        xmp["xmpMM:VersionID"] = "1"
        xmp["xmpMM:RenditionClass"] = "default"
    pdf.docinfo["/Trapped"] = Name("/False")  # after the XMP, which has its own (pdf:Trapped) and no Name for it


def finish_print_file(source: Path, target: Path, profile: Path) -> dict[str, int]:
    """The steps of the module doc, from the brochure PDF at ``source`` to the print file at ``target``."""
    data = source.read_bytes()
    document_id = str(uuid.uuid5(NAMESPACE, "print:" + hashlib.sha256(data).hexdigest()))
    with pikepdf.open(source) as pdf:
        add_bleed(pdf)
        done = {
            "rgb_operators": rgb_operators_to_cmyk(pdf, profile),
            "rgb_images": rgb_images_to_cmyk(pdf, profile),
            "blank_pages": pad_to_fours(pdf),
        }
        add_slug_and_marks(pdf)
        identify_pdfx4(pdf, profile, document_id)
        done["pages"] = len(pdf.pages)
        save_pdf(pdf, target, force_version="1.6")
    return done


def render_print(ctx: RenderContext) -> dict[str, Any]:
    """The print file, cut from the brochure that this build has just written, then preflighted."""
    source = ctx.inputs.get("brochure")
    if source is None or not source.is_file():
        raise RenderError("the print file needs the brochure PDF, which was not built.", ctx.publication_folder)
    done = finish_print_file(source, ctx.target, layout_file(ctx.project, ctx.publication_folder, PRINT_PROFILE))
    findings = preflight(ctx.target)
    if findings:
        raise RenderError(
            f"the print file fails the print shop's preflight: {'; '.join(map(str, findings))[:600]}",
            ctx.publication_folder,
            hint="Check the brochure's layout: its colours must be plain sRGB, which cmyk.py converts.",
        )
    return {"pages": done["pages"]}
