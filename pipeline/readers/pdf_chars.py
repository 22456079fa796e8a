"""The characters of a PDF's text layer with their font, size, weight, colour and position, read with pdfium."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

# Words in a font's name that say its weight or slant ("Source-Sans-3-Semi-Bold", "Arial-BoldItalicMT"). A
# bold word decides; light words only come off the family name (a variable font's instances may all be
# called "Roman", and then the weight tells).
_BOLD_WORDS = {"bold", "black", "heavy", "semibold", "demibold", "demi", "extrabold", "ultrabold", "fat"}
_LIGHT_WORDS = {"light", "thin", "regular", "roman", "book", "medium", "normal", "hairline", "semi", "extra", "ultra"}
_ITALIC_WORDS = {"italic", "oblique", "it", "slanted", "inclined"}
_NAME_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Without a weight in its name, a font is bold when its weight (FontWeight, or pdfium's estimate from
# the stem width) is this much above the lightest weight seen in the same family and slant. (Chromium
# names every instance of a variable font alike; pdfium's estimates from its stem widths put its bold
# italic 1.24 times above its italic, its bold 1.5 times above its roman.)
_BOLD_RATIO = 1.2
_FONT_FLAG_ITALIC = 1 << 6
# A drawn list bullet is a small square or disc (points).
DOT_MAX = 8.0
# How far from the end a PDF's "%%EOF" marker may stand (trailing junk is common and harmless).
_EOF_WINDOW = 2048
# A text object slanted by a shear of at least this (horizontal shift per unit of height) is set oblique:
# an engine without an italic face slants the upright one.
_OBLIQUE_SHEAR = 0.1
NO_COLOUR = -1  # a character whose fill colour is not known


@dataclass(frozen=True)
class Font:
    """A font as the text layer names it, with weight and slant resolved."""

    name: str  # the base font name without the subset prefix ("Source-Serif-4-Bold")
    family: str  # the name without weight and slant words ("Source-Serif-4")
    bold: bool
    italic: bool


@dataclass(frozen=True, slots=True)
class Char:
    """One character: its box in top-down page coordinates (points), baseline, font and size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float  # effective size in points (font size times the text's scale)
    font: int  # index into the document's fonts
    artifact: bool  # inside marked content tagged /Artifact (page furniture in a tagged PDF)
    mcid: int = -1  # the marked-content id the structure tree of a tagged PDF refers to (-1: none)
    colour: int = NO_COLOUR  # fill colour as 0xRRGGBB
    link: bool = False  # inside a link annotation (a link's colour says it is a link, not that it stands out)


@dataclass
class PageChars:
    index: int  # 0-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)  # content order; spaces kept as " "
    images: int = 0  # image objects on the page (a page of only images is a scan)
    dots: list[tuple[float, float, float, float]] = field(default_factory=list)  # small shapes: x0, x1, top, bottom


@dataclass
class _RawFont:
    name: str
    weight: int
    italic: bool


@dataclass
class Chars:
    """A PDF's text layer: every page's characters, the fonts they use, and whether it is tagged."""

    pages: list[PageChars]
    fonts: list[Font]
    tagged: bool  # the catalog says the PDF has a structure tree (tagged PDF)


def read_chars(data: bytes, path: Path) -> Chars:
    """Every page's characters and the fonts they use; a clear error for files that cannot be read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    _check_envelope(data, path)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(exc, path) from None
    try:
        raw_fonts: list[_RawFont] = []
        font_index: dict[tuple[str, int, bool], int] = {}
        pages = [_read_page(doc, i, raw, raw_fonts, font_index) for i in range(len(doc))]
        tagged = bool(raw.FPDFCatalog_IsTagged(doc.raw))
    except pdfium.PdfiumError as exc:
        raise PipelineError(f"is a damaged PDF: {exc}.", path, hint="Export or download the PDF again.") from None
    finally:
        doc.close()
    if not pages:
        raise PipelineError("is a PDF without pages.", path, hint="Export or download the PDF again.")
    _check_text_layer(pages, path)
    return Chars(pages, _resolve_fonts(raw_fonts), tagged)


def _check_envelope(data: bytes, path: Path) -> None:
    """A PDF starts with %PDF- and ends with %%EOF: a file cut short (a broken download) is refused."""
    if b"%PDF-" not in data[:1024]:
        raise PipelineError("is not a PDF (it does not start with %PDF-).", path, hint="Check the file's type.")
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise PipelineError(
            "is a truncated or corrupt PDF (it has no end-of-file marker).",
            path,
            hint="The file was probably cut short; download or export it again.",
        )


def _open_error(exc: Any, path: Path) -> PipelineError:
    import pypdfium2.raw as raw

    code = getattr(exc, "err_code", None)
    if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
        return PipelineError(
            "is an encrypted PDF and cannot be read without its password.",
            path,
            hint="Save an unencrypted copy (e.g. print it to PDF from a viewer that has the password).",
        )
    return PipelineError(f"is a corrupt PDF ({str(exc).rstrip('.')}).", path, hint="Export or download the PDF again.")


def _check_text_layer(pages: list[PageChars], path: Path) -> None:
    """A PDF with pages of images and no text is a scan: the pipeline reads text, so OCR must come first."""
    has_text = [any(not c.text.isspace() for c in p.chars) for p in pages]
    if not any(has_text):
        raise PipelineError(
            "has no text layer (a scanned PDF, or text drawn as shapes): there is nothing to read.",
            path,
            hint="Run OCR on it first (e.g. `ocrmypdf --language swe in.pdf out.pdf`) and read the result.",
        )
    scanned = [p.index + 1 for p, text in zip(pages, has_text, strict=True) if not text and p.images]
    if scanned:
        raise PipelineError(
            f"has pages without a text layer, only images (pages {', '.join(map(str, scanned))}): "
            "their words would be lost.",
            path,
            hint="Run OCR on it first (e.g. `ocrmypdf --language swe in.pdf out.pdf`) and read the result.",
        )


def _read_page(doc: Any, index: int, raw: Any, fonts: list[_RawFont], font_index: dict[Any, int]) -> PageChars:
    page = doc[index]
    try:
        width, height = page.get_size()
        out = PageChars(index, width, height)
        textpage = raw.FPDFText_LoadPage(page.raw)
        try:
            out.chars = _page_chars(textpage, height, raw, fonts, font_index)
            links = _link_boxes(page.raw, height, raw) if out.chars else []
        finally:
            raw.FPDFText_ClosePage(textpage)
        if links:
            out.chars = [_in_links(c, links) for c in out.chars]
        if not out.chars:  # only a page without text is asked whether it is a scanned image
            out.images = sum(1 for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,)))
        else:
            out.dots = _dots(page.raw, height, raw)
        return out
    finally:
        page.close()


@cache
def _address_of_text_object(raw: Any) -> Any:
    """FPDFText_GetTextObject answering with a plain address: a hashable key per text object, without
    building a typed pointer for every character (the typed call is made once per text object)."""
    address = ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(address)


def _page_chars(tp: Any, height: float, raw: Any, fonts: list[_RawFont], font_index: dict[Any, int]) -> list[Char]:
    n = raw.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    buffer = (ctypes.c_ushort * (n + 1))()
    raw.FPDFText_GetText(tp, 0, n, buffer)
    text = bytes(buffer)[: n * 2].decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters outside the BMP: ask one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n))
    objects: dict[int, tuple[float, int, bool, int, int] | None] = {}
    text_object = _address_of_text_object(raw)
    box = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    chars: list[Char] = []
    for i, ch in enumerate(text):
        if ch in "\r\n\x00":
            continue
        key = text_object(tp, i) or 0
        if key not in objects:
            obj = raw.FPDFText_GetTextObject(tp, i)
            objects[key] = _object_style(obj, raw, fonts, font_index) if key else None
        style = objects[key]
        if style is None or ch.isspace():
            if chars and chars[-1].text != " ":
                chars.append(_SPACE)
            continue
        raw.FPDFText_GetLooseCharBox(tp, i, box)
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        size, font, artifact, mcid, colour = style
        chars.append(
            Char(
                ch,
                box.left,
                box.right,
                height - box.top,
                height - box.bottom,
                height - oy.value,
                size,
                font,
                artifact,
                mcid,
                colour,
            )
        )
    return chars


Box = tuple[float, float, float, float]  # x0, x1, top, bottom in top-down page coordinates


def _link_boxes(page: Any, height: float, raw: Any) -> list[Box]:
    """The areas of the page's link annotations."""
    out = []
    pos, link, rect = ctypes.c_int(0), raw.FPDF_LINK(), raw.FS_RECTF()
    while raw.FPDFLink_Enumerate(page, ctypes.byref(pos), ctypes.byref(link)):
        if raw.FPDFLink_GetAnnotRect(link, rect):
            x0, x1 = sorted((rect.left, rect.right))
            y0, y1 = sorted((rect.bottom, rect.top))
            out.append((x0, x1, height - y1, height - y0))
    return out


def _in_links(ch: Char, links: list[Box]) -> Char:
    """The character, marked as a link's when its middle lies in a link's area."""
    middle_x, middle_y = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    if ch.text == " " or not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, x1, top, bottom in links):
        return ch
    return replace(ch, link=True)


def _dots(page: Any, height: float, raw: Any) -> list[tuple[float, float, float, float]]:
    """Small, nearly square shapes: list bullets that a browser draws instead of setting a glyph."""
    out = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if 1.0 <= w <= DOT_MAX and 1.0 <= h <= DOT_MAX and abs(w - h) <= 0.25 * max(w, h):
            out.append((left.value, right.value, height - top.value, height - bottom.value))
    return out


_SPACE = Char(" ", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1, False)


def _object_style(
    obj: Any, raw: Any, fonts: list[_RawFont], font_index: dict[Any, int]
) -> tuple[float, int, bool, int, int]:
    """(size in points, font index, artifact, marked-content id, fill colour) of one text object."""
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, size)
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
    font = raw.FPDFTextObj_GetFont(obj)
    name_buffer = ctypes.create_string_buffer(256)
    length = raw.FPDFFont_GetBaseFontName(font, name_buffer, 256) if font else 0
    name = name_buffer.raw[: max(0, length - 1)].decode("utf-8", errors="replace").split("+", 1)[-1]
    weight = raw.FPDFFont_GetWeight(font) if font else -1
    # Upright text has no shear (b = c = 0); rotated text has both; text slanted to look italic has c only.
    oblique = abs(m.b) < 1e-3 and abs(m.c) >= _OBLIQUE_SHEAR * abs(m.d) > 0
    italic = oblique or bool(font and raw.FPDFFont_GetFlags(font) & _FONT_FLAG_ITALIC)
    key = (name, weight, italic)
    if key not in font_index:
        font_index[key] = len(fonts)
        fonts.append(_RawFont(name, weight, italic))
    mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
    return round(size.value * scale, 2), font_index[key], _is_artifact(obj, raw), mcid, _fill_colour(obj, raw)


def _fill_colour(obj: Any, raw: Any) -> int:
    """The object's fill colour (the colour of filled text) as 0xRRGGBB, in whatever colour space it was set."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return NO_COLOUR
    return (r.value & 255) << 16 | (g.value & 255) << 8 | (b.value & 255)


def _is_artifact(obj: Any, raw: Any) -> bool:
    for k in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, k)
        name = (ctypes.c_ushort * 64)()
        length = ctypes.c_ulong()
        if raw.FPDFPageObjMark_GetName(mark, name, ctypes.sizeof(name), ctypes.byref(length)):
            if bytes(name)[: length.value].decode("utf-16-le", errors="replace").rstrip("\x00") == "Artifact":
                return True
    return False


def _name_words(name: str) -> list[str]:
    return [t.lower() for t in _NAME_TOKEN.findall(name)]


def _resolve_fonts(raw_fonts: list[_RawFont]) -> list[Font]:
    """Weight and slant of each font: from its name when the name says, else from weights within a family."""
    out = []
    lightest: dict[tuple[str, bool], int] = {}
    parsed = []
    for f in raw_fonts:
        words = _name_words(f.name)
        italic = f.italic or any(w in _ITALIC_WORDS for w in words)
        family = "-".join(w for w in words if w not in _BOLD_WORDS | _LIGHT_WORDS | _ITALIC_WORDS) or f.name
        parsed.append((family, italic, any(w in _BOLD_WORDS for w in words)))
        if f.weight > 0:
            group = (family, italic)
            lightest[group] = min(lightest.get(group, f.weight), f.weight)
    for f, (family, italic, named_bold) in zip(raw_fonts, parsed, strict=True):
        bold = named_bold
        if not named_bold and f.weight > 0:
            base = lightest[(family, italic)]
            bold = f.weight >= base * _BOLD_RATIO or (not italic and base == f.weight and f.weight >= 700)
        out.append(Font(f.name, family, bold, italic))
    return out
