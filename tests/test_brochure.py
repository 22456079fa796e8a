"""The brochure, the print-shop PDF/X-4 file and the imposed booklet, read back from real renders."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import SEEDS
from conftest import built_model as model
from pdfhelpers import dehyphenated_text, embedded_fonts, words_in_order

from pipeline.model import document_words
from pipeline.render.fonts import FAMILIES
from pipeline.render.impose import BLANK, booklet_sequence, imposition

OUR_FONTS = {name.replace(" ", "-") for name in FAMILIES}


def pdf_path(project: Path, slug: str, edition: str) -> Path:
    suffix = {
        "brochure": "-brochure.pdf",
        "print": "-print.pdf",
        "booklet": "-booklet.pdf",
        "large-print": "-large-print.pdf",
    }
    return project / "output" / slug / f"{slug}{suffix[edition]}"


@pytest.mark.parametrize("slug", SEEDS)
@pytest.mark.parametrize("edition", ["brochure", "print", "booklet", "large-print"])
def test_every_font_is_embedded_and_ours(built: Path, slug: str, edition: str) -> None:
    fonts = embedded_fonts(pdf_path(built, slug, edition))
    assert fonts
    for base, embedded, _subtype in fonts:
        family = base.lstrip("/").split("+", 1)[-1].split(",")[0]
        assert embedded, base
        assert "+" in base, f"{base} is not subset"
        assert any(family.startswith(ours) for ours in OUR_FONTS), f"{base} is not a bundled font"


def _unhyphen(words: list[str]) -> list[str]:
    # The font has one glyph for "-" and WeasyPrint's automatic hyphen (U+2010), so the PDF's
    # ToUnicode map gives every hyphen as U+2010. Words are compared without hyphens.
    return [w.replace("-", "").replace("\u2010", "") for w in words]


@pytest.mark.parametrize("slug", SEEDS)
def test_brochure_text_has_every_model_word_in_order(built: Path, slug: str) -> None:
    words = _unhyphen(dehyphenated_text(pdf_path(built, slug, "brochure"), foot_mm=17).split())
    raw = document_words(model(built, slug))
    suspended = frozenset(i for i, word in enumerate(raw) if word.endswith("-"))
    found, missing = words_in_order(words, _unhyphen(raw), suspended)
    assert missing is None, f"word {found} of {len(raw)} missing: {missing!r}"


@pytest.mark.parametrize("slug", SEEDS)
def test_brochure_is_tagged_with_title_and_language(built: Path, slug: str) -> None:
    with pikepdf.open(pdf_path(built, slug, "brochure")) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "sv"
        assert str(pdf.docinfo.Title) == model(built, slug).meta.title


@pytest.mark.parametrize("slug", SEEDS)
def test_print_file_is_pdfx4_with_3mm_bleed(built: Path, slug: str) -> None:
    with pikepdf.open(pdf_path(built, slug, "print")) as pdf:
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        assert b"PDF/X-4" in xmp
        intents = pdf.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFX"
        bleed_mm = 3 * 72 / 25.4
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            assert trim[0] - bleed[0] == pytest.approx(bleed_mm, abs=0.05)
            assert trim[1] - bleed[1] == pytest.approx(bleed_mm, abs=0.05)
            assert bleed[2] - trim[2] == pytest.approx(bleed_mm, abs=0.05)
            assert bleed[3] - trim[3] == pytest.approx(bleed_mm, abs=0.05)
            width_mm = (trim[2] - trim[0]) * 25.4 / 72
            assert width_mm == pytest.approx(148, abs=0.2)


def test_booklet_order_rules() -> None:
    assert booklet_sequence(6) == [0, 1, 2, 3, 4, BLANK, BLANK, 5]
    assert booklet_sequence(8) == list(range(8))
    assert imposition(list(range(8))) == [(7, 0), (1, 6), (5, 2), (3, 4)]


def _page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


@pytest.mark.parametrize("slug", SEEDS)
def test_booklet_pages_are_in_saddle_stitch_order(built: Path, slug: str) -> None:
    brochure = _page_texts(pdf_path(built, slug, "brochure"))
    sequence = booklet_sequence(len(brochure))
    assert len(sequence) % 4 == 0
    expected = imposition(sequence)
    with pdfplumber.open(pdf_path(built, slug, "booklet")) as pdf:
        assert len(pdf.pages) == len(sequence) // 2
        for sheet, (left, right) in zip(pdf.pages, expected, strict=True):
            half = sheet.width / 2
            for index, bbox in ((left, (0, 0, half, sheet.height)), (right, (half, 0, sheet.width, sheet.height))):
                text = " ".join((sheet.crop(bbox).extract_text() or "").split())
                if index == BLANK:
                    assert text == ""
                else:
                    assert text == brochure[index], f"sheet side shows the wrong page (expected page {index + 1})"


@pytest.mark.parametrize("slug", SEEDS)
def test_blank_pages_come_before_the_back_cover(built: Path, slug: str) -> None:
    brochure = _page_texts(pdf_path(built, slug, "brochure"))
    sequence = booklet_sequence(len(brochure))
    assert sequence[-1] == len(brochure) - 1
    assert sequence[: len(brochure) - 1] == list(range(len(brochure) - 1))


@pytest.mark.parametrize("slug", SEEDS)
def test_the_print_file_is_the_brochures_pages_with_bleed(built: Path, slug: str) -> None:
    """Page for page the brochure's text (the colophon's edition label too), trimmed to the brochure's size;
    the brochure itself is its trim size, with no bleed showing."""
    brochure, printed = pdf_path(built, slug, "brochure"), pdf_path(built, slug, "print")
    pages, printed_pages = _page_texts(brochure), _page_texts(printed)
    sequence = booklet_sequence(len(pages))  # pages in fours, blanks before the back cover, as the booklet
    assert printed_pages == [pages[i] if i != BLANK else "" for i in sequence]
    with pikepdf.open(brochure) as b, pikepdf.open(printed) as p:
        size = [float(v) for v in b.pages[0].MediaBox]
        assert all([float(v) for v in page.MediaBox] == size for page in b.pages)
        assert all([float(v) for v in page.TrimBox] == pytest.approx(size, abs=1e-3) for page in p.pages)
        assert "/StructTreeRoot" in p.Root and str(p.docinfo.Subject).endswith("– tryckoriginal")


def test_the_brochure_and_the_print_file_take_one_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint lays the pages out once (the brochure's); the print file and the booklet are cut from them."""
    import weasyprint
    from conftest import copy_project

    from pipeline.build import BuildRequest, build

    layouts: list[str] = []
    render = weasyprint.HTML.render

    def counted(self: weasyprint.HTML, *args: object, **kwargs: object) -> weasyprint.Document:
        layouts.append("layout")
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    project = copy_project(tmp_path, SEEDS[:1])
    results = build(BuildRequest(project=project, jobs=1, editions=["print", "booklet"]))
    assert {(r.edition, r.status) for r in results} == {("brochure", "built"), ("print", "built"), ("booklet", "built")}
    assert layouts == ["layout"]
