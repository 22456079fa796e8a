"""The print shop's preflight of a PDF/X-4 file: CMYK only, output intent, identification, boxes, pages, fonts.

Each check returns findings (check name, page, message); none means the file is what a print
shop's first preflight expects of a saddle-stitched brochure:

- ``colour``: no RGB (DeviceRGB, CalRGB, ICC-based RGB) or Lab colour in any content stream,
  form, tiling or shading pattern, shading, appearance stream or transparency group; DeviceGray,
  DeviceCMYK, ICC-based CMYK and separations with a CMYK alternate are fine.
- ``image``: every image is CMYK or grey (or a stencil mask).
- ``ink``: no CMYK colour above 330 % total ink (the FOGRA39 coated-paper limit).
- ``output-intent``: a GTS_PDFX output intent holding a CMYK ICC profile (N = 4).
- ``identification``: PDF/X-4 named in the XMP metadata (GTS_PDFXVersion), PDF 1.6 or later, Trapped set.
- ``boxes``: TrimBox ⊂ BleedBox ⊂ MediaBox on every page, at least 3 mm of bleed on each side, and
  at least 5 mm of slug beyond the bleed for the crop marks; one trim size throughout.
- ``page-count``: a multiple of four pages (a saddle-stitched brochure is folded sheets).
- ``fonts``: every font embedded.

A file that cannot be read, or that qpdf can only read by recovering it, is a ``file`` finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf

from pipeline.preflight.streams import drawings, images

MM = 72 / 25.4
BLEED_MM = 3.0
SLUG_MIN_MM = 5.0
TOLERANCE_PT = 0.05
MAX_INK = 3.3  # 330 %: total area coverage for FOGRA39 (ISO 12647-2, coated paper)
ACCEPTED = {"cmyk", "gray"}
CHECKS = ("file", "colour", "image", "ink", "output-intent", "identification", "boxes", "page-count", "fonts")


@dataclass(frozen=True)
class Finding:
    check: str
    page: int | None  # 1-based; None for the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {'page ' + str(self.page) + ': ' if self.page else ''}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- colour spaces ------------------------------------------------------------------

_DEVICE = {
    "/DeviceCMYK": "cmyk",
    "/CMYK": "cmyk",
    "/DeviceGray": "gray",
    "/G": "gray",
    "/DeviceRGB": "rgb",
    "/RGB": "rgb",
    "/Pattern": "pattern",
}


def family(space: Any, resources: pikepdf.Dictionary | None = None, depth: int = 0) -> str:
    """What a colour space is at heart: cmyk, gray, rgb, lab, pattern or unknown."""
    if depth > 8:
        return "unknown"
    if isinstance(space, pikepdf.Name):
        name = str(space)
        if name in _DEVICE:
            return _DEVICE[name]
        named = resources.get("/ColorSpace") if resources is not None else None
        if isinstance(named, pikepdf.Dictionary) and name in named:
            return family(named[name], None, depth + 1)
        return "unknown"
    if isinstance(space, pikepdf.Array) and len(space):
        head = str(space[0])
        if head == "/ICCBased" and isinstance(space[1], pikepdf.Stream):
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(int(space[1].get("/N", 0)), "unknown")
        if head in ("/CalRGB", "/CalGray", "/Lab"):
            return {"/CalRGB": "rgb", "/CalGray": "gray", "/Lab": "lab"}[head]
        if head in ("/Indexed", "/I") and len(space) > 1:
            return family(space[1], resources, depth + 1)
        if head in ("/Separation", "/DeviceN") and len(space) > 2:
            return family(space[2], resources, depth + 1)
        if head == "/Pattern":
            return "pattern" if len(space) == 1 else family(space[1], resources, depth + 1)
        return family(space[0], resources, depth + 1) if len(space) == 1 else "unknown"
    return "unknown"


def _numbers(operands: list[Any]) -> list[float]:
    return [float(v) for v in operands if isinstance(v, int | float | Decimal)]


def _short(operands: list[Any], op: str) -> str:
    return " ".join(f"{v:.3g}" for v in _numbers(operands)) + f" {op}"


class _Tally:
    """Findings of one kind counted per page, so hundreds of operators make one line per page."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, int], list[str]] = {}

    def add(self, check: str, page: int, sample: str) -> None:
        self.items.setdefault((check, page), []).append(sample)

    def findings(self, describe: Callable[[str, list[str]], str]) -> list[Finding]:
        return [Finding(check, page, describe(check, samples)) for (check, page), samples in self.items.items()]


def _group_space(stream: Any) -> Any:
    group = stream.get("/Group") if isinstance(stream, pikepdf.Dictionary | pikepdf.Stream) else None
    return group.get("/CS") if isinstance(group, pikepdf.Dictionary) else None


def check_colour(pdf: pikepdf.Pdf) -> list[Finding]:
    """Colour operators, colour spaces, shadings, patterns and transparency groups: CMYK or grey only."""
    tally = _Tally()
    for drawing in drawings(pdf):
        res = drawing.resources
        owner = drawing.owner.obj if isinstance(drawing.owner, pikepdf.Page) else drawing.owner
        group_cs = _group_space(owner)
        if group_cs is not None and family(group_cs, res) not in ACCEPTED:
            tally.add("colour", drawing.page, f"a transparency group in {family(group_cs, res).upper()}")
        try:
            instructions = pikepdf.parse_content_stream(drawing.owner)
        except pikepdf.PdfError as exc:
            tally.add("colour", drawing.page, f"an unreadable content stream ({exc})")
            continue
        current = {"fill": "gray", "stroke": "gray"}  # the colour spaces in force (not tracked across q/Q)
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                space = instruction.iimage.obj.get("/CS", instruction.iimage.obj.get("/ColorSpace"))
                if not instruction.iimage.obj.get("/IM", False) and family(space, res) not in ACCEPTED:
                    tally.add("image", drawing.page, f"an inline image in {family(space, res).upper()}")
                continue
            operands, op = list(instruction.operands), str(instruction.operator)
            if op in ("rg", "RG"):
                tally.add("colour", drawing.page, _short(operands, op))
            elif op in ("k", "K") and sum(_numbers(operands)) > MAX_INK + 1e-6:
                tally.add("ink", drawing.page, _short(operands, op))
            elif op in ("sc", "scn", "SC", "SCN") and len(_numbers(operands)) == 4:
                if current["fill" if op.islower() else "stroke"] == "cmyk" and sum(_numbers(operands)) > MAX_INK + 1e-6:
                    tally.add("ink", drawing.page, _short(operands, op))
            elif op in ("cs", "CS") and operands:
                kind = family(operands[0], res)
                current["fill" if op == "cs" else "stroke"] = kind
                if kind not in ACCEPTED | {"pattern"}:
                    tally.add("colour", drawing.page, f"{operands[0]} {op} ({kind.upper()})")
            elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
                pattern = res.get("/Pattern", pikepdf.Dictionary()).get(str(operands[-1]))
                if isinstance(pattern, pikepdf.Dictionary | pikepdf.Stream) and pattern.get("/PatternType") == 2:
                    space = pattern.get("/Shading", pikepdf.Dictionary()).get("/ColorSpace")
                    if family(space, res) not in ACCEPTED:
                        tally.add("colour", drawing.page, f"shading pattern {operands[-1]} in {family(space).upper()}")
            elif op == "sh" and operands:
                shading = res.get("/Shading", pikepdf.Dictionary()).get(str(operands[0]))
                space = shading.get("/ColorSpace") if isinstance(shading, pikepdf.Dictionary | pikepdf.Stream) else None
                if family(space, res) not in ACCEPTED:
                    tally.add("colour", drawing.page, f"shading {operands[0]} in {family(space, res).upper()}")

    def describe(check: str, samples: list[str]) -> str:
        if check == "ink":
            return f"{len(samples)} CMYK colours above {MAX_INK:.0%} total ink (first: {samples[0]})"
        if check == "image":
            return f"{len(samples)} images not in CMYK ({samples[0]})"
        rgb = [s for s in samples if s.endswith(("rg", "RG"))]
        other = [s for s in samples if s not in rgb]
        parts = [f"{len(rgb)} DeviceRGB colour operators (first: {rgb[0]})"] if rgb else []
        parts += [f"{len(other)} other colours not in CMYK (first: {other[0]})"] if other else []
        return "; ".join(parts)

    return tally.findings(describe)


def check_images(pdf: pikepdf.Pdf) -> list[Finding]:
    out = []
    for page, name, image in images(pdf):
        if image.get("/ImageMask", False):
            continue
        space = image.get("/ColorSpace")
        if space is None and image.get("/Filter") == "/JPXDecode":
            out.append(Finding("image", page, f"image {name} is JPEG 2000 with its colour space inside"))
            continue
        if family(space) not in ACCEPTED:
            kind = family(space).upper()
            out.append(Finding("image", page, f"image {name} ({image.get('/Width')}×{image.get('/Height')}) is {kind}"))
    return out


# --- the file: intent, identification, boxes, pages, fonts ----------------------------


def check_output_intent(pdf: pikepdf.Pdf) -> list[Finding]:
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array) or not len(intents):
        return [
            Finding("output-intent", None, "no output intent (PDF/X needs one, with the printing condition's profile)")
        ]
    pdfx = [i for i in intents if isinstance(i, pikepdf.Dictionary) and i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        return [Finding("output-intent", None, "no output intent of subtype GTS_PDFX")]
    intent = pdfx[0]
    profile = intent.get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        return [Finding("output-intent", None, "the GTS_PDFX output intent embeds no ICC profile")]
    header = bytes(profile.read_bytes()[:20])
    if int(profile.get("/N", 0)) != 4 or header[16:20] != b"CMYK":
        return [Finding("output-intent", None, "the output intent's ICC profile is not a CMYK profile (N = 4)")]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        return [Finding("output-intent", None, "the output intent has no OutputConditionIdentifier")]
    return []


def check_identification(pdf: pikepdf.Pdf) -> list[Finding]:
    out = []
    xmp = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)  # parsed, read only
    if xmp.get("pdfxid:GTS_PDFXVersion", "").strip() != "PDF/X-4":
        out.append(Finding("identification", None, "the XMP metadata does not name PDF/X-4 (pdfxid:GTS_PDFXVersion)"))
    if tuple(int(p) for p in pdf.pdf_version.split(".")) < (1, 6):
        out.append(Finding("identification", None, f"PDF {pdf.pdf_version}; PDF/X-4 needs 1.6 or later"))
    trapped = str(pdf.trailer.get("/Info", pikepdf.Dictionary()).get("/Trapped", ""))
    if trapped not in ("/True", "/False") and xmp.get("pdf:Trapped", "") not in ("True", "False"):
        out.append(Finding("identification", None, "Trapped is not set to True or False"))
    return out


def _box(page: pikepdf.Page, name: str) -> list[float] | None:
    box = page.obj.get(name)
    return [float(v) for v in box] if isinstance(box, pikepdf.Array) and len(box) == 4 else None


def _margins(outer: list[float], inner: list[float]) -> list[float]:
    """How far ``outer`` reaches beyond ``inner`` on the left, bottom, right and top, in points."""
    return [inner[0] - outer[0], inner[1] - outer[1], outer[2] - inner[2], outer[3] - inner[3]]


def check_boxes(pdf: pikepdf.Pdf) -> list[Finding]:
    out = []
    sizes: dict[tuple[float, float], int] = {}
    for number, page in enumerate(pdf.pages, start=1):
        media, bleed, trim = _box(page, "/MediaBox"), _box(page, "/BleedBox"), _box(page, "/TrimBox")
        if media is None or bleed is None or trim is None:
            missing = [n for n, b in (("MediaBox", media), ("BleedBox", bleed), ("TrimBox", trim)) if b is None]
            out.append(Finding("boxes", number, f"no {' or '.join(missing)}"))
            continue
        sizes.setdefault((round(trim[2] - trim[0], 1), round(trim[3] - trim[1], 1)), number)
        bleed_m = _margins(bleed, trim)
        slug_m = _margins(media, bleed)
        if min(bleed_m) < BLEED_MM * MM - TOLERANCE_PT:
            mm = ", ".join(f"{m / MM:.1f}" for m in bleed_m)
            out.append(Finding("boxes", number, f"bleed is {mm} mm (left, bottom, right, top); at least 3 mm needed"))
        if min(slug_m) < SLUG_MIN_MM * MM - TOLERANCE_PT:
            mm = ", ".join(f"{m / MM:.1f}" for m in slug_m)
            out.append(
                Finding(
                    "boxes",
                    number,
                    f"the MediaBox reaches {mm} mm beyond the BleedBox; crop marks need at least "
                    f"{SLUG_MIN_MM:g} mm outside the bleed",
                )
            )
    if len(sizes) > 1:
        listed = ", ".join(f"{w / MM:.0f}×{h / MM:.0f} mm (page {p})" for (w, h), p in sizes.items())
        out.append(Finding("boxes", None, f"more than one trim size: {listed}"))
    return out


def check_page_count(pdf: pikepdf.Pdf) -> list[Finding]:
    n = len(pdf.pages)
    if n % 4:
        return [
            Finding("page-count", None, f"{n} pages; a saddle-stitched brochure needs a multiple of 4 (add {-n % 4})")
        ]
    return []


def _fonts(resources: pikepdf.Dictionary) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for name, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary):
                yield name, font


def font_is_embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not len(descendants):
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def check_fonts(pdf: pikepdf.Pdf) -> list[Finding]:
    out = []
    seen: set[Any] = set()
    for drawing in drawings(pdf):
        for _name, font in _fonts(drawing.resources):
            key = font.objgen if font.is_indirect else id(font)
            if key in seen:
                continue
            seen.add(key)
            if not font_is_embedded(font):
                out.append(Finding("fonts", drawing.page, f"font {font.get('/BaseFont', _name)} is not embedded"))
    return out


CHECK_FUNCTIONS: dict[str, Callable[[pikepdf.Pdf], list[Finding]]] = {
    "colour": check_colour,
    "image": check_images,
    "output-intent": check_output_intent,
    "identification": check_identification,
    "boxes": check_boxes,
    "page-count": check_page_count,
    "fonts": check_fonts,
}


def check_pdf(pdf: pikepdf.Pdf) -> list[Finding]:
    """Every check on an open PDF (check_colour also reports ink and inline images)."""
    findings: list[Finding] = []
    for check in CHECK_FUNCTIONS.values():
        findings += check(pdf)
    order = {name: i for i, name in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: (order.get(f.check, 99), f.page or 0))


def preflight(path: Path) -> list[Finding]:
    """The print shop's preflight of a file; a file that cannot be read is one finding."""
    try:
        with pikepdf.open(path) as pdf:
            findings = check_pdf(pdf)
            damage = pdf.get_warnings()  # qpdf recovered a damaged file: it is not what was written
            return [*findings, Finding("file", None, f"damaged: {damage[0]}")] if damage else findings
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return [Finding("file", None, f"cannot be read as a PDF: {exc}")]
