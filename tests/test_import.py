"""`pipeline import` then `pipeline build` in a throwaway project: a file becomes a publication, never half-written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from docxhelpers import write_docx
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.editions import EDITIONS
from pipeline.importer import publication_toml, toml_string
from pipeline.model import Meta
from pipeline.normalise.report import Report
from pipeline.readers import kind_of
from pipeline.readers.markdown import read_markdown

KITCHEN_SINK = ROOT / "tests/fixtures/kitchen-sink/text.md"
SLUG = "allt-i-ett-provprogram"  # from the kitchen sink's title


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project", slugs=())
    (project / "source").mkdir()
    return project


@pytest.fixture
def kitchen_docx(tmp_path: Path) -> Path:
    doc = read_markdown(KITCHEN_SINK.read_bytes(), KITCHEN_SINK, Meta(), Report()).doc
    return write_docx(doc, tmp_path / "Allt i ett.docx", styled=True)


def folder_state(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def built_editions(project: Path, slug: str) -> set[str]:
    return {e for e, ed in EDITIONS.items() if (project / "output" / slug / ed.filename(slug)).is_file()}


def test_import_a_docx_then_build_every_edition(project: Path, kitchen_docx: Path) -> None:
    result = run("import", str(kitchen_docx), "--project", str(project))
    assert result.exit_code == 0, result.output
    folder = project / "source" / SLUG
    assert sorted(p.name for p in folder.iterdir()) == ["publication.toml", "text.docx"]
    assert (folder / "text.docx").read_bytes() == kitchen_docx.read_bytes()
    config = load_config(folder / "publication.toml")
    assert (config.title, config.language, config.organisation) == ("Allt i ett – provprogram", "sv", "")
    assert "title:    Allt i ett – provprogram" in result.output
    assert "2 parts, 4 sections, 1 subsection, 8 paragraphs, 2 lists, 1 slogan" in result.output  # a lead opens one
    assert result.output.rstrip().splitlines()[-1].startswith(f"next: pipeline build {SLUG}")
    build = run("build", "--project", str(project), "--jobs", "2")
    assert build.exit_code == 0, build.output
    assert built_editions(project, SLUG) == set(EDITIONS)


def test_import_a_txt_then_build(project: Path) -> None:
    source = ROOT / "source/ett-gott-liv/text.txt"
    result = run("import", str(source), "--project", str(project), "--slug", "gott-liv")
    assert result.exit_code == 0, result.output
    folder = project / "source/gott-liv"
    assert (folder / "text.txt").read_bytes() == source.read_bytes()
    title = load_config(folder / "publication.toml").title
    assert title and f"title:    {title}" in result.output
    build = run("build", "--project", str(project), "-e", "epub", "-e", "brochure")
    assert build.exit_code == 0, build.output
    assert built_editions(project, "gott-liv") == {"epub", "brochure"}


@pytest.mark.skipif(kind_of(Path("x.pdf")) is None, reason="no PDF reader registered yet")
def test_import_a_pdf_then_build_every_edition(project: Path) -> None:
    pdf = ROOT / "tests/roundtrip/corpus/kitchen-sink/a4-justified.pdf"
    result = run("import", str(pdf), "--project", str(project), "--slug", "fran-pdf")
    assert result.exit_code == 0, result.output
    assert (project / "source/fran-pdf/text.pdf").read_bytes() == pdf.read_bytes()
    build = run("build", "--project", str(project), "--jobs", "2")
    assert build.exit_code == 0, build.output
    assert built_editions(project, "fran-pdf") == set(EDITIONS)


def test_a_second_import_is_refused_without_force_and_leaves_the_first(
    project: Path, kitchen_docx: Path, tmp_path: Path
) -> None:
    assert run("import", str(kitchen_docx), "--project", str(project)).exit_code == 0
    folder = project / "source" / SLUG
    (folder / "publication.toml").write_text('title = "Redigerad"\norganisation = "Partiet"\n', encoding="utf-8")
    before = folder_state(folder)
    other = tmp_path / "other.txt"
    body = "En helt annan text som är lång nog att vara ett stycke med flera rader i den extraherade filen."
    other.write_text(f"Allt i ett – provprogram\n\n{body}\n\n{body}\n", encoding="utf-8")
    refused = run("import", str(other), "--project", str(project))
    assert refused.exit_code == 2
    assert f"{folder}: already exists; nothing was changed." in refused.output and "--force" in refused.output
    assert folder_state(folder) == before
    replaced = run("import", str(other), "--project", str(project), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert sorted(p.name for p in folder.iterdir()) == ["publication.toml", "text.txt"]
    assert [p.name for p in (project / "source").iterdir()] == [SLUG]  # no temporary folders left


def test_slug_and_title_options_and_toml_escaping(project: Path, kitchen_docx: Path) -> None:
    title = 'Ett "citat", en \\ och en tabb\tsom blir mellanslag'
    result = run("import", str(kitchen_docx), "--project", str(project), "--slug", "eget-namn", "--title", title)
    assert result.exit_code == 0, result.output
    config = load_config(project / "source/eget-namn/publication.toml")
    assert config.title == 'Ett "citat", en \\ och en tabb som blir mellanslag'
    bad = run("import", str(kitchen_docx), "--project", str(project), "--slug", "Inte Giltigt")
    assert bad.exit_code == 2 and "not a valid publication name" in bad.output


def test_toml_strings_round_trip() -> None:
    for value in ('"', "\\", "a\u007fb", "rad\nrad", "å ä ö – ”", "\\u0041"):
        assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value
    text = publication_toml(Path("x.docx"), 'A "b"', "sv", subtitle="Under")
    assert tomllib.loads(text) == {"title": 'A "b"', "subtitle": "Under", "language": "sv"}


def test_a_document_without_a_title_needs_one_given(project: Path, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = ""
    for part in ("Del ett", "Del två"):  # two parts: neither is the title
        d.add_paragraph(part, style="Heading 1")
        d.add_paragraph("Text.")
    path = tmp_path / "utan.docx"
    d.save(str(path))
    refused = run("import", str(path), "--project", str(project))
    assert refused.exit_code == 2 and "has no title" in refused.output and "--title" in refused.output
    assert not any((project / "source").iterdir())
    ok = run("import", str(path), "--project", str(project), "--title", "Givet namn")
    assert ok.exit_code == 0, ok.output
    assert (project / "source/givet-namn/text.docx").is_file()
    assert "(the document does not say; assumed)" in ok.output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trasig.docx", b"PK\x03\x04" + bytes(200), "damaged Word file"),
        ("bok.docx", None, "is an EPUB"),
        ("gammal.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old binary Word file"),
        ("bild.png", b"\x89PNG\r\n\x1a\n", "not a kind of file the pipeline reads"),
        ("tom.txt", b"", "has no text"),
    ],
)
def test_bad_files_write_nothing(project: Path, tmp_path: Path, name: str, data: bytes | None, message: str) -> None:
    import io
    import zipfile

    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("mimetype", "application/epub+zip")
        data = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(data)
    result = run("import", str(path), "--project", str(project), "--title", "Prov")
    assert result.exit_code == 2, result.output
    assert str(path) in result.output and message in result.output
    assert list((project / "source").iterdir()) == []


def test_missing_file(project: Path, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "finns-inte.docx"), "--project", str(project))
    assert result.exit_code == 2 and "no such file" in result.output


def test_the_summary_lists_what_is_doubtful_by_paragraph(project: Path, tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Programmet", style="Title")
    d.add_paragraph("Del ett", style="Heading 1")
    d.add_paragraph("Fjärde nivån", style="Heading 4")
    d.add_paragraph("Text.")
    path = tmp_path / "tvivel.docx"
    d.save(str(path))
    result = run("import", str(path), "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "check:    1 doubtful point(s)" in result.output
    assert "3  doubtful         'heading level 4' → 'level 3'" in result.output


def test_an_import_judges_line_end_hyphens_by_the_default_language(project: Path, tmp_path: Path) -> None:
    """A text that does not say its language is read as Swedish, the default publication.toml gets,
    already when the import sums up its decisions (not "the text is not Swedish")."""
    path = tmp_path / "avstavat.txt"
    text = "Rubrik\n\nVi vill att vården ska vara till för alla in-\nvånare i hela regionen.\n"
    path.write_text(text, encoding="utf-8")
    result = run("import", str(path), "--slug", "avstavat", "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "the text is not" not in result.output
    assert 'language = "sv"' in (project / "source" / "avstavat" / "publication.toml").read_text(encoding="utf-8")
    normalised = run("normalise", "avstavat", "--project", str(project))
    assert normalised.exit_code == 0, normalised.output
    assert "invånare" in normalised.output


def test_an_empty_title_option_is_refused_as_such(project: Path, kitchen_docx: Path) -> None:
    result = run("import", str(kitchen_docx), "--project", str(project), "--title", "   ")
    assert result.exit_code == 2 and "--title is empty" in result.output, result.output
    assert list((project / "source").iterdir()) == []


def test_a_long_title_gives_a_slug_cut_at_a_word_end() -> None:
    from pipeline.normalise.ids import SLUG_MAX, slugify

    slug = slugify("Framtid Sörmark – regional utvecklingsstrategi 2026–2035 för hela länet")
    assert slug == "framtid-sormark-regional-utvecklingsstrategi" and len(slug) <= SLUG_MAX
