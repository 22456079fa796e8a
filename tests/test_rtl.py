"""Right-to-left publications (#14): an Arabic and a Persian programme through every edition, read back."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import build_fixtures, output_file
from lxml import etree
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.languages import DIGITS, language_defaults, ui_words
from pipeline.model import Document, Meta, Paragraph, Text, plain
from pipeline.normalise.report import Report
from pipeline.normalise.typography import typography
from pipeline.preflight import PASSED
from pipeline.readers.decode import clean_characters
from pipeline.readers.extracted import read_extracted
from pipeline.render.bidi import isolate, ltr_runs
from pipeline.render.fonts import FAMILIES, font_stack, missing_glyphs
from pipeline.render.impose import imposition
from pipeline.resources import fonts_dir

FIXTURES = Path(__file__).parent / "fixtures"
SLUGS = ("rtl-ar", "rtl-fa")
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixtures(tmp_path_factory.mktemp("rtl"), FIXTURES, SLUGS)


out = output_file


# --- the fixtures and the fonts ---------------------------------------------------------------------

PERSIAN_LETTERS, ARABIC_LETTERS = "پچژگیک", "ةىء"


def test_the_fixtures_use_each_languages_own_letters() -> None:
    persian = (FIXTURES / "rtl-fa" / "text.md").read_text(encoding="utf-8")
    arabic = (FIXTURES / "rtl-ar" / "text.md").read_text(encoding="utf-8")
    # Persian writes ی and ک, never the Arabic ي and ك; Arabic the other way round.
    assert not {"\u064a", "\u0643"} & set(persian) and set(PERSIAN_LETTERS) <= set(persian)
    assert not {"\u06cc", "\u06a9"} & set(arabic) and set(ARABIC_LETTERS) <= set(arabic)
    assert "\u200c" in persian  # the zero-width non-joiner of می‌خواهیم
    assert set(DIGITS["persian"]) & set(persian) and set(DIGITS["arabic-indic"]) & set(arabic)


@pytest.mark.parametrize("family", ["Noto Naskh Arabic", "Noto Sans Arabic"])
def test_the_arabic_fonts_cover_arabic_and_persian(family: str) -> None:
    letters = PERSIAN_LETTERS + ARABIC_LETTERS + DIGITS["persian"] + DIGITS["arabic-indic"] + "\u200c،؛؟٪ـ"
    assert missing_glyphs(fonts_dir(FIXTURES), (family,), letters) == set()
    # Neither has Latin letters: the Latin family after it in the stack sets "EU" and "Stockholm".
    assert missing_glyphs(fonts_dir(FIXTURES), (family,), "EU") == {"E", "U"}
    for files in FAMILIES[family]:
        assert (fonts_dir(FIXTURES) / files.path).parent.joinpath("OFL.txt").is_file()


def test_each_layout_family_has_an_arabic_partner_in_an_arabic_script_text() -> None:
    # The script's partner first, then the layout family, then the fallbacks (tests/test_languages.py).
    assert font_stack("Source Serif 4", "Arab")[:2] == ("Noto Naskh Arabic", "Source Serif 4")
    assert font_stack("Source Sans 3", "Arab")[:2] == ("Noto Sans Arabic", "Source Sans 3")
    assert font_stack("Atkinson Hyperlegible", "Arab")[:2] == ("Noto Sans Arabic", "Atkinson Hyperlegible")
    assert font_stack("Source Serif 4", "Latn")[0] == "Source Serif 4"
    assert "Noto Naskh Arabic" in font_stack("Source Serif 4", "Latn")  # an Arabic sentence in a Swedish text


# --- rules of the model and the markup ----------------------------------------------------------------


def _typography(text: str, language: str) -> str:
    doc = Document(Meta(title="T", language=language), (Paragraph((Text(text),), line=1),))
    block = typography(doc, Report()).blocks[0]
    assert isinstance(block, Paragraph)
    return "".join(t.text for t in block.inlines if isinstance(t, Text))


def test_swedish_typography_only_for_swedish() -> None:
    assert _typography('Han sa "ja" t ex 25 %', "sv") == "Han sa ”ja” t\u00a0ex 25\u00a0%"
    # Quotes, units and abbreviations are Swedish conventions; digit groups and ellipses are not.
    assert _typography('قال "نعم" 25 % و 10 000...', "ar") == 'قال "نعم" 25 % و 10\u00a0000…'
    assert language_defaults("ar").swedish_rules is False and language_defaults("sv-FI").swedish_rules is True


def test_language_defaults_for_right_to_left_languages() -> None:
    for tag in ("ar", "fa", "ur", "ps", "ckb", "he", "yi", "fa-IR"):
        assert language_defaults(tag).direction == "rtl"
    assert language_defaults("sv").direction == language_defaults("se").direction == "ltr"
    assert not language_defaults("fa").justify and not language_defaults("ar").hyphenate
    assert language_defaults("he").justify  # Hebrew justifies with spaces as Latin does
    assert ui_words("fa")["contents"] == "فهرست مطالب" and ui_words("ar")["contents"] == "المحتويات"
    assert ui_words("he")["contents"] == ui_words("sv")["contents"] == "Innehåll"  # no words yet: Swedish


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("تلفن 08-123 45 67 است.", ["08-123 45 67"]),
        ("سنبني 10\u00a0000 مسكن", ["10\u00a0000"]),
        ("مع مستشفيات Stockholm ومع EU.", ["Stockholm", "EU"]),
        ("برنامه Agenda 2030 است", ["Agenda 2030"]),
        ("سال ۱۴۰۵ و 2026", []),  # a plain number is already shown right
        ("سال‌های 2022–2026", []),  # a range reads right to left, as its sentence does
        ("۱۰ ۰۰۰ خانه و 25%", ["۱۰ ۰۰۰", "25%"]),
    ],
)
def test_left_to_right_runs_in_right_to_left_text(text: str, runs: list[str]) -> None:
    assert [text[a:b] for a, b in ltr_runs(text)] == runs


def test_isolation_escapes_and_wraps() -> None:
    assert isolate("قال <EU & Stockholm>") == 'قال &lt;<span dir="ltr">EU &amp; Stockholm</span>&gt;'


def test_a_zero_width_non_joiner_in_persian_stays_and_elsewhere_goes() -> None:
    report = Report()
    assert clean_characters("می\u200cخواهیم", report) == "می\u200cخواهیم" and not report.edits
    assert clean_characters("ab\u200ccd", report) == "abcd" and [e.kind for e in report.edits] == ["drop-char"]


def test_right_to_left_imposition_mirrors_every_sheet_side() -> None:
    assert imposition(list(range(8))) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert imposition(list(range(8)), rtl=True) == [(0, 7), (6, 1), (2, 5), (4, 3)]


# --- the editions, read back --------------------------------------------------------------------------


def test_every_edition_passes_the_preflight(project: Path) -> None:
    result = CliRunner().invoke(app, ["check", *SLUGS, "--project", str(project), "--no-ace", "--format", "json"])
    checks = json.loads(result.output)["checks"]
    assert result.exit_code == 0, [c for c in checks if c["status"] != PASSED and c["check"] != "ace"]
    statuses = {(c["slug"], c["edition"], c["check"]): c["status"] for c in checks}
    for slug in SLUGS:
        for edition in ("html", "brochure", "print", "epub", "large-print"):
            assert statuses[(slug, edition, "words")] == PASSED  # every model word, in order
        assert statuses[(slug, "epub", "epubcheck")] == statuses[(slug, "large-print", "PDF/UA-1")] == PASSED


def test_the_words_check_fails_on_a_right_to_left_pdf_with_a_word_gone(project: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "project"
    shutil.copytree(project, damaged)
    brochure = out(damaged, "rtl-fa", "-brochure.pdf")
    with pikepdf.open(brochure, allow_overwriting_input=True) as pdf:
        page = pdf.pages[3]
        instructions = list(pikepdf.parse_content_stream(page))
        shown = [i for i, ins in enumerate(instructions) if str(ins.operator) == "TJ"]
        del instructions[shown[len(shown) // 2]]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        pdf.save(brochure)
    result = CliRunner().invoke(
        app, ["check", "rtl-fa", "-e", "brochure", "--project", str(damaged), "--format", "json"]
    )
    failed = [c for c in json.loads(result.output)["checks"] if c["status"] != PASSED]
    assert result.exit_code == 1 and [c["check"] for c in failed] == ["words"]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_document_is_right_to_left_in_its_language(project: Path, slug: str) -> None:
    language = slug.removeprefix("rtl-")
    html = etree.fromstring(out(project, slug, ".html").read_bytes(), etree.HTMLParser())
    assert (html.get("lang"), html.get("dir")) == (language, "rtl")
    with zipfile.ZipFile(out(project, slug, ".epub")) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        spine = opf.find("{http://www.idpf.org/2007/opf}spine")
        assert spine is not None and spine.get("page-progression-direction") == "rtl"
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        assert nav.find(f".//{XHTML}h1").text == ui_words(language)["contents"]
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(epub.read(name))
                assert (root.get("lang"), root.get("dir")) == (language, "rtl"), name
    for suffix in ("-brochure.pdf", "-print.pdf", "-large-print.pdf"):
        with pikepdf.open(out(project, slug, suffix)) as pdf:
            assert str(pdf.Root.Lang) == language


def _page_number(page: pdfplumber.page.Page, digits: str) -> dict:
    """The page number's glyph: the lowest glyph on the page that is a digit of ``digits``."""
    return max((c for c in page.chars if c["text"] in digits), key=lambda c: c["bottom"])


def test_the_brochure_is_mirrored(project: Path) -> None:
    digits = DIGITS["persian"]
    with pdfplumber.open(out(project, "rtl-fa", "-brochure.pdf")) as pdf:
        width = pdf.pages[0].width
        mm = 72 / 25.4
        for number in (3, 4, 5):  # the contents page and the text: odd pages are left-hand pages
            page = pdf.pages[number - 1]
            folio = _page_number(page, digits)
            assert folio["text"] == digits[number]
            body = [c for c in page.chars if c["bottom"] < folio["top"] - 10 and c["text"].strip()]
            right_edge = max(c["x1"] for c in body)
            if number % 2:  # a left-hand page: its number at the outer (left) corner, the spine on its right
                assert folio["x1"] < width / 4 and width - right_edge == pytest.approx(18 * mm, abs=2)
            else:
                assert folio["x0"] > width * 3 / 4 and width - right_edge == pytest.approx(15 * mm, abs=2)
        # The contents page: each entry's label on the right, its page number on the far left.
        toc = pdf.pages[2]
        numbers = [c for c in toc.chars if c["text"] in digits and c is not _page_number(toc, digits)]
        labels = [c for c in toc.chars if "\u0600" <= c["text"][:1] <= "\u06ff" and c["text"] not in digits]
        assert numbers and max(c["x1"] for c in numbers) < min(c["x0"] for c in labels)


def test_a_grouped_number_reads_left_to_right_inside_persian(project: Path) -> None:
    """10 000 inside Persian text: its groups in their order, not the sentence's (bidi isolation)."""
    lines: dict[tuple[int, int], list[dict]] = {}
    with pdfplumber.open(out(project, "rtl-fa", "-brochure.pdf")) as pdf:
        for number, page in enumerate(pdf.pages):
            for c in page.chars:
                if c["text"] in "0123456789":
                    lines.setdefault((number, round(c["top"])), []).append(c)
    shown = ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines.values()]
    grouped = [text for text in shown if "000" in text]
    assert grouped and all("10000" in text for text in grouped), shown
    assert '<span dir="ltr">10\u00a0000</span>' in out(project, "rtl-fa", ".html").read_text(encoding="utf-8")


def test_only_bundled_fonts_are_embedded(project: Path) -> None:
    """No glyph fell back to a system font (where a missing-glyph box would hide)."""
    ours = {name.replace(" ", "-") for name in FAMILIES}
    for slug in SLUGS:
        for suffix in ("-brochure.pdf", "-large-print.pdf"):
            with pdfplumber.open(out(project, slug, suffix)) as pdf:
                fonts = {c["fontname"].split("+", 1)[1].split(",")[0] for p in pdf.pages for c in p.chars}
            # The longest bundled name a font's name starts with ("Noto-Sans-Arabic", not "Noto-Sans").
            families = {max((f for f in ours if name.startswith(f)), key=len, default=name) for name in fonts}
            assert families <= ours, families
            assert ("Noto-Naskh-Arabic" if suffix == "-brochure.pdf" else "Noto-Sans-Arabic") in families


def test_the_large_print_cites_brochure_pages_at_the_top_left(project: Path) -> None:
    with pdfplumber.open(out(project, "rtl-ar", "-large-print.pdf")) as pdf:
        page = pdf.pages[2]
        head = [c for c in page.chars if c["top"] < 60]
        assert head and max(c["x1"] for c in head) < page.width / 2
        assert {c["text"] for c in head} & set(DIGITS["arabic-indic"])


def test_the_booklet_puts_the_front_cover_on_the_left(project: Path) -> None:
    with pdfplumber.open(out(project, "rtl-ar", "-booklet.pdf")) as pdf:
        sheet = pdf.pages[0]
        left = sheet.crop((0, 0, sheet.width / 2, sheet.height)).chars
        right = sheet.crop((sheet.width / 2, 0, sheet.width, sheet.height)).chars
    # The front cover sets the title at 32 pt; the back cover only at 11 pt.
    assert max(c["size"] for c in left) > 30 > max(c["size"] for c in right)


def test_the_swedish_lexicon_joins_line_end_hyphens_only_in_swedish() -> None:
    source = "Vi vill bygga fler bo-\nstäder i hela kommunen.\n".encode()
    for language, word, kind in (("sv", "bostäder", "dehyphenate"), ("ar", "bo-städer", "keep-hyphen")):
        report = Report()
        doc = read_extracted(source, Path("text.txt"), Meta(title="T", language=language), report).doc
        assert word in plain(doc.blocks[0].inlines)  # type: ignore[union-attr]
        assert [e.kind for e in report.edits if "hyphen" in e.kind] == [kind]


def test_the_review_page_shows_a_persian_non_joiner_as_the_word_it_spells() -> None:
    from pipeline.render.review import visible

    assert visible("می\u200cخواهیم") == "می\u200cخواهیم"
    assert "U+200C" in visible("a\u200cb")  # elsewhere it is an invisible character the text loses
