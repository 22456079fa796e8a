"""HarfBuzz's static instances of the bundled variable fonts are fontTools' (outlines and advances), and are used."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

from pipeline.render.font_instances import instantiate
from pipeline.render.fonts import FAMILIES

VARIABLE = [f.path for family in ("Source Serif 4", "Source Sans 3") for f in FAMILIES[family]]
SWEDISH = "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖabcdefghijklmnopqrstuvwxyzåäöéü0123456789 .,:;–—…!?”’()-/%&§·•"


def _subset(path: Path) -> bytes:
    """The font cut to the Swedish letters, glyph ids kept, as WeasyPrint hands it to the instancer."""
    import uharfbuzz as hb

    face = hb.Face(path.read_bytes())
    subset = hb.SubsetInput()
    subset.sets(hb.SubsetInputSets.UNICODE).update(ord(c) for c in SWEDISH)
    subset.flags = hb.SubsetFlags.RETAIN_GIDS
    return bytes(hb.subset(face, subset).blob.data)


def _drawn(font: TTFont) -> dict[str, tuple[object, int]]:
    glyphs = font.getGlyphSet()
    out = {}
    for name in font.getGlyphOrder():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        out[name] = (pen.value, font["hmtx"][name][0])
    return out


@pytest.mark.parametrize("path", VARIABLE)
def test_harfbuzz_instances_have_fonttools_outlines_and_widths(path: str) -> None:
    data = _subset(ROOT / "fonts" / path)
    axes = {axis.axisTag for axis in TTFont(io.BytesIO(data))["fvar"].axes}
    for weight, size in ((400, 9.75), (800, 32.0)):
        location = {"wght": weight, **({"opsz": size} if "opsz" in axes else {})}
        ours = TTFont(io.BytesIO(instantiate(data, location)))
        theirs = instantiateVariableFont(TTFont(io.BytesIO(data)), dict(location), static=True)
        saved = io.BytesIO()
        theirs.save(saved)  # as WeasyPrint embeds it: coordinates rounded to the grid
        theirs = TTFont(io.BytesIO(saved.getvalue()))
        assert "fvar" not in ours and "gvar" not in ours
        assert _drawn(ours) == _drawn(theirs), location


def test_writing_the_brochure_does_not_use_fonttools_instancer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With fontTools' instancer broken, the brochure still embeds static fonts and WeasyPrint warns of nothing."""
    import weasyprint.pdf.fonts

    from pipeline.config import load_config
    from pipeline.convert import normalise_publication
    from pipeline.publication import load_publication
    from pipeline.render.context import RenderContext
    from pipeline.render.pdf import VARIANTS, render_document, write_pdf

    def broken(*args: object, **kwargs: object) -> None:
        raise AssertionError("fontTools' instancer was called")

    monkeypatch.setattr(weasyprint.pdf.fonts, "instantiateVariableFont", broken)
    project = copy_project(tmp_path, SEEDS[:1])
    pub = load_publication(project / "source", SEEDS[0])
    doc, _ = normalise_publication(pub)
    target = tmp_path / "brochure.pdf"
    ctx = RenderContext(doc, load_config(pub.folder / "publication.toml"), pub.slug, project, pub.folder, target)
    document, html, warnings = render_document(ctx, VARIANTS["brochure"])
    assert warnings + write_pdf(ctx, VARIANTS["brochure"], document, html) == []
    import pikepdf

    with pikepdf.open(target) as pdf:
        embedded = [
            TTFont(io.BytesIO(bytes(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())))
            for page in pdf.pages
            for font in page.Resources.Font.values()
        ]
    assert embedded and not any("fvar" in font for font in embedded)
