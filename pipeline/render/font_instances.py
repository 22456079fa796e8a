"""Static instances of the variable fonts WeasyPrint embeds, made by HarfBuzz's instancer instead of fontTools'.

WeasyPrint 70 subsets each font it embeds with HarfBuzz and then, for a variable font, pins its axes
(weight, and for Source Serif 4 the optical size of each font size) with fontTools'
``instantiateVariableFont``: 40-60 ms a font in pure Python, five to six fonts per brochure, the
largest single cost of writing the brochure once it is laid out (the profile of a cold build put it at
~10 % of the whole build). HarfBuzz's own instancer, through uharfbuzz, makes the same outlines and
advance widths (tests/test_font_instances.py compares them glyph by glyph on the bundled fonts) in
about 1 ms. :func:`harfbuzz_instances` swaps it in while a PDF is written, as ``_deterministic_document_id``
in pdf.py swaps WeasyPrint's ``uuid4``; a font HarfBuzz cannot instance falls back to fontTools.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any


def instantiate(font_data: bytes, location: dict[str, float]) -> bytes:
    """The static instance of a variable font at ``location`` (axis tag → value), every glyph kept in place."""
    import uharfbuzz as hb

    face = hb.Face(font_data)
    subset = hb.SubsetInput()
    subset.sets(hb.SubsetInputSets.GLYPH_INDEX).update(range(face.glyph_count))
    for kept in (hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID, hb.SubsetInputSets.LAYOUT_FEATURE_TAG):
        subset.sets(kept).invert()  # all of them: instancing, not subsetting
    subset.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.NOTDEF_OUTLINE
    for tag, value in location.items():
        subset.pin_axis_location(face, tag, value)
    result = hb.subset(face, subset)
    if result is None:
        raise ValueError("HarfBuzz could not instance the font")
    return bytes(result.blob.data)


def _font_bytes(ttfont: Any) -> bytes:
    """The bytes a fontTools ``TTFont`` was read from (WeasyPrint reads each from a BytesIO)."""
    source = getattr(getattr(ttfont, "reader", None), "file", None)
    if isinstance(source, io.BytesIO) and not getattr(ttfont.reader, "numFonts", 1) > 1:
        return source.getvalue()
    buffer = io.BytesIO()
    ttfont.save(buffer)
    return buffer.getvalue()


@contextlib.contextmanager
def harfbuzz_instances() -> Iterator[None]:
    """While WeasyPrint writes a PDF, its variable fonts are instanced by :func:`instantiate`."""
    import weasyprint.pdf.fonts as weasyprint_fonts
    from fontTools.ttLib import TTFont

    original = weasyprint_fonts.instantiateVariableFont

    def instantiate_variable_font(ttfont: Any, location: dict[str, float], static: bool = True, **kwargs: Any) -> Any:
        if not static or kwargs:
            return original(ttfont, location, static=static, **kwargs)
        try:
            return TTFont(io.BytesIO(instantiate(_font_bytes(ttfont), location)))
        except Exception:  # anything HarfBuzz cannot do, fontTools does as before
            return original(ttfont, location, static=static)

    weasyprint_fonts.instantiateVariableFont = instantiate_variable_font
    try:
        yield
    finally:
        weasyprint_fonts.instantiateVariableFont = original
