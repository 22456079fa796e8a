"""The print shop's preflight: real print files pass, and files made to fail one check fail exactly that check."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, SEEDS
from pikepdf import Name

from pipeline.preflight.print_file import CHECKS, check_pdf, preflight
from pipeline.render.cmyk import parse_hex, to_cmyk
from pipeline.render.print_file import pad_to_fours, rgb_images_to_cmyk, rgb_operators_to_cmyk

PROFILE = ROOT / "layouts" / "brochure" / "FOGRA39L_coated.icc"
MM = 72 / 25.4


def print_file(project: Path, slug: str) -> Path:
    return project / "output" / slug / f"{slug}-print.pdf"


@pytest.mark.parametrize("slug", SEEDS)
def test_the_print_file_of_each_seed_passes(built: Path, slug: str) -> None:
    assert preflight(print_file(built, slug)) == []


@pytest.mark.parametrize("slug", SEEDS)
def test_pages_in_fours_with_blanks_before_the_back_cover(built: Path, slug: str) -> None:
    brochure_pages = len(pikepdf.open(built / "output" / slug / f"{slug}-brochure.pdf").pages)
    with pikepdf.open(print_file(built, slug)) as pdf:
        pages = len(pdf.pages)
        assert pages % 4 == 0 and pages - brochure_pages == -brochure_pages % 4
        blanks = pdf.pages[brochure_pages - 1 : pages - 1]
        for page in blanks:  # nothing on them but the crop marks
            ops = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert ops <= {"q", "Q", "re", "W", "n", "CS", "SCN", "w", "J", "m", "l", "S"}
        last = pikepdf.parse_content_stream(pdf.pages[-1])
        assert any(str(op) == "TJ" for _, op in last), "the back cover is the last page"


@pytest.mark.parametrize("slug", SEEDS)
def test_crop_marks_lie_outside_the_bleed(built: Path, slug: str) -> None:
    with pikepdf.open(print_file(built, slug)) as pdf:
        for page in pdf.pages:
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            trim = [float(v) for v in page.TrimBox]
            assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [3, 3]
            assert [round((m - b) / MM, 2) for m, b in zip(media[2:], bleed[2:], strict=True)] == [10, 10]
            data = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
            marks = data[data.rindex("/PipelineRegistration CS") :]
            points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+) (-?[\d.]+) [ml]", marks)]
            assert len(points) == 16
            for x, y in points:
                outside = x <= bleed[0] or x >= bleed[2] or y <= bleed[1] or y >= bleed[3]
                inside_media = media[0] < x < media[2] and media[1] < y < media[3]
                assert outside and inside_media, (x, y)


@pytest.mark.parametrize("slug", SEEDS)
def test_text_is_pure_black_and_the_theme_colour_is_its_cmyk(built: Path, slug: str) -> None:
    from pipeline.config import load_config

    theme = load_config(built / "source" / slug / "publication.toml").theme_colour
    expected = to_cmyk(tuple(int(theme[i : i + 2], 16) for i in (1, 3, 5)), PROFILE)  # type: ignore[arg-type]
    colours: set[tuple[float, ...]] = set()
    with pikepdf.open(print_file(built, slug)) as pdf:
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("scn", "k") and len(operands) == 4:
                    colours.add(tuple(float(v) for v in operands))
    assert (0, 0, 0, 1) in colours  # body text: K 100 %
    assert expected in colours
    assert not [c for c in colours if c[3] > 0.9 and sum(c[:3]) > 0], "four-colour black"


@pytest.mark.parametrize("slug", SEEDS)
def test_every_print_colour_is_the_cmyk_of_a_brochure_colour(built: Path, slug: str) -> None:
    """The print file is the brochure's pages: each colour it paints is cmyk.py's conversion of one of the
    brochure's own (its palette in brochure.css, the theme colour), and the brochure itself stays sRGB."""
    from pipeline.config import load_config

    css = (ROOT / "layouts" / "brochure" / "brochure.css").read_text()
    palette = re.findall(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", css.split(":root", 1)[1].split("}", 1)[0])
    palette.append(load_config(built / "source" / slug / "publication.toml").theme_colour.lstrip("#"))
    palette += ["000000", "ffffff"]  # the rgba() tints of the cover
    allowed = {to_cmyk(parse_hex(f"#{c}"), PROFILE) for c in palette}

    def painted(path: Path, ops: tuple[str, ...]) -> set[tuple[float, ...]]:
        with pikepdf.open(path) as pdf:
            return {
                tuple(float(v) for v in operands)
                for page in pdf.pages
                for operands, op in pikepdf.parse_content_stream(page)
                if str(op) in ops
            }

    cmyk = painted(print_file(built, slug), ("k", "K"))
    assert cmyk and cmyk <= allowed, cmyk - allowed
    brochure = built / "output" / slug / f"{slug}-brochure.pdf"
    assert painted(brochure, ("rg", "RG")) and not painted(brochure, ("k", "K"))


# --- defects made on purpose, each caught by exactly its check ---------------------------------


def _inject_rgb(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[2]
    page.contents_add(pdf.make_stream(b"q 0.9 0.1 0.1 rg 100 100 20 20 re f Q\n"))


def _remove_a_page(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[3]


def _media_is_bleed(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].MediaBox = pikepdf.Array(list(pdf.pages[1].BleedBox))


def _bleed_of_one_mm(pdf: pikepdf.Pdf) -> None:
    trim = [float(v) for v in pdf.pages[0].TrimBox]
    pdf.pages[0].BleedBox = pikepdf.Array([trim[0] - MM, trim[1] - MM, trim[2] + MM, trim[3] + MM])


def _unembed_a_font(pdf: pikepdf.Pdf) -> None:
    for font in pdf.pages[2].Resources.Font.values():
        descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        return


def _remove_output_intent(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.OutputIntents


def _rgb_output_intent(pdf: pikepdf.Pdf) -> None:
    srgb = Path(__import__("weasyprint").__file__).parent / "pdf" / "sRGB2014.icc"
    profile = pdf.make_stream(srgb.read_bytes())
    profile.N = 3
    pdf.Root.OutputIntents[0].DestOutputProfile = profile


def _not_identified(pdf: pikepdf.Pdf) -> None:
    xmp = bytes(pdf.Root.Metadata.read_bytes()).replace(b"PDF/X-4", b"PDF/X-0")
    pdf.Root.Metadata = pdf.make_stream(xmp)


def _add_rgb_image(pdf: pikepdf.Pdf) -> None:
    image = pdf.make_stream(zlib.compress(bytes([200, 30, 30] * 16)), Filter=Name.FlateDecode)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height, image.BitsPerComponent = 4, 4, 8
    image.ColorSpace = Name.DeviceRGB
    page = pdf.pages[2]
    page.add_resource(image, Name.XObject, Name("/RGBPicture"))
    page.contents_add(pdf.make_stream(b"q 20 0 0 20 100 100 cm /RGBPicture Do Q\n"))


def _too_much_ink(pdf: pikepdf.Pdf) -> None:
    pdf.pages[2].contents_add(pdf.make_stream(b"q 1 1 1 1 k 100 100 20 20 re f Q\n"))


def _rgb_transparency_group(pdf: pikepdf.Pdf) -> None:
    form = pdf.make_stream(b"0 0 0 1 k 0 0 10 10 re f\n")
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, pikepdf.Array([0, 0, 10, 10])
    form.Group = pikepdf.Dictionary(Type=Name.Group, S=Name.Transparency, CS=Name.DeviceRGB)
    page = pdf.pages[0]
    page.add_resource(form, Name.XObject, Name("/RGBGroup"))
    page.contents_add(pdf.make_stream(b"q /RGBGroup Do Q\n"))


DEFECTS: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "rgb-colour": (_inject_rgb, "colour"),
    "page-removed": (_remove_a_page, "page-count"),
    "media-equals-bleed": (_media_is_bleed, "boxes"),
    "bleed-1mm": (_bleed_of_one_mm, "boxes"),
    "font-not-embedded": (_unembed_a_font, "fonts"),
    "output-intent-removed": (_remove_output_intent, "output-intent"),
    "output-intent-rgb": (_rgb_output_intent, "output-intent"),
    "not-identified-as-pdfx4": (_not_identified, "identification"),
    "rgb-image": (_add_rgb_image, "image"),
    "ink-400": (_too_much_ink, "ink"),
    "rgb-transparency-group": (_rgb_transparency_group, "colour"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_seeded_defect_fails_exactly_its_check(built: Path, tmp_path: Path, defect: str) -> None:
    damage, check = DEFECTS[defect]
    assert check in CHECKS
    target = tmp_path / f"{defect}.pdf"
    with pikepdf.open(print_file(built, SEEDS[1])) as pdf:
        damage(pdf)
        pdf.save(target)
    findings = preflight(target)
    assert {f.check for f in findings} == {check}, [str(f) for f in findings]


def test_a_truncated_file_is_one_finding(built: Path, tmp_path: Path) -> None:
    data = print_file(built, SEEDS[0]).read_bytes()
    target = tmp_path / "truncated.pdf"
    target.write_bytes(data[: len(data) // 3])
    assert {f.check for f in preflight(target)} == {"file"}


# --- the finishing steps on their own ----------------------------------------------------------


def test_rgb_operators_and_images_become_cmyk(built: Path) -> None:
    with pikepdf.open(print_file(built, SEEDS[0])) as pdf:
        _inject_rgb(pdf)
        _add_rgb_image(pdf)
        pdf.pages[2].contents_add(pdf.make_stream(b"q 0 0 0 RG 0 0 m 10 10 l S Q\n"))
        assert {f.check for f in check_pdf(pdf)} == {"colour", "image"}
        assert rgb_operators_to_cmyk(pdf, PROFILE) == 2
        assert rgb_images_to_cmyk(pdf, PROFILE) == 1
        assert check_pdf(pdf) == []
        ops = [(list(map(str, o)), str(op)) for o, op in pikepdf.parse_content_stream(pdf.pages[2])]
        assert (["0", "0", "0", "1"], "K") in ops  # black is 100 % K, not four-colour black


def test_padding_goes_before_the_last_page(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    for _ in range(6):
        pdf.add_blank_page(page_size=(100, 100))
    for page in pdf.pages:
        page.TrimBox = page.BleedBox = pikepdf.Array([0, 0, 100, 100])
    last = pdf.pages[-1].objgen
    assert pad_to_fours(pdf) == 2
    assert len(pdf.pages) == 8 and pdf.pages[-1].objgen == last
    assert pad_to_fours(pdf) == 0
