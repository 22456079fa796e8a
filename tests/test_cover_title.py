"""Every edition's cover and title page print publication.toml's title and subtitle; the text's own title stays text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import copy_project

from pipeline.build import BuildRequest, build

TOML = """title = "Regionprogram 2026"
subtitle = "För ett livskraftigt län"
short_title = "Regionprogram"
language = "sv"
theme_colour = "#1b5e3b"
"""
TEXT_TITLE = "Ett gott liv i ett livskraftigt län"  # the first line of the seed's text.txt


def page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def retitled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with a publication.toml whose title is not the text's first line."""
    project = copy_project(tmp_path_factory.mktemp("retitled"), ("ett-gott-liv",))
    (project / "source/ett-gott-liv/publication.toml").write_text(TOML, encoding="utf-8")
    editions = ["brochure", "large-print", "epub", "html"]
    results = build(BuildRequest(project=project, editions=editions, jobs=2))
    assert all(r.status == "built" for r in results), [(r.edition, r.error) for r in results]
    return project / "output/ett-gott-liv"


def test_the_brochure_cover_and_title_page_use_the_configured_title(retitled: Path) -> None:
    pages = page_texts(retitled / "ett-gott-liv-brochure.pdf")
    assert pages[0] == "Regionprogram 2026 För ett livskraftigt län"  # the cover: title and subtitle only
    assert pages[1].startswith("Regionprogram 2026 För ett livskraftigt län")  # the title page
    # The text's own title is not lost: its words open the text, once.
    body = " ".join(pages[2:])
    assert body.count(TEXT_TITLE) == 1


def test_the_large_print_title_page_uses_the_configured_title(retitled: Path) -> None:
    pages = page_texts(retitled / "ett-gott-liv-large-print.pdf")
    assert pages[0].startswith("Regionprogram 2026 För ett livskraftigt län")
    assert " ".join(pages[1:]).count(TEXT_TITLE) == 1


def test_the_epub_and_html_use_the_configured_title(retitled: Path) -> None:
    with zipfile.ZipFile(retitled / "ett-gott-liv.epub") as z:
        names = z.namelist()
        cover = z.read(next(n for n in names if n.endswith("cover.svg"))).decode()
        title_page = z.read(next(n for n in names if n.endswith("title.xhtml"))).decode()
        opf = z.read(next(n for n in names if n.endswith(".opf"))).decode()
    assert re.findall(r"<text[^>]*>([^<]*)</text>", cover)[-2:] == ["2026", "För ett livskraftigt län"]
    assert "Regionprogram" in cover and TEXT_TITLE not in cover
    assert re.search(r"<h1[^>]*>Regionprogram 2026</h1>", title_page)
    assert title_page.count(TEXT_TITLE) == 1  # kept as the introduction's first line
    assert "<dc:title>Regionprogram 2026</dc:title>" in opf
    page = (retitled / "ett-gott-liv.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Regionprogram 2026</h1>", page) and page.count(TEXT_TITLE) == 1


def test_a_text_title_that_repeats_the_configured_one_is_not_printed_twice(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))  # the seed: its first line is its configured title
    results = build(BuildRequest(project=project, editions=["brochure"], jobs=1))
    assert all(r.status == "built" for r in results), [(r.edition, r.error) for r in results]
    pages = page_texts(project / "output/ett-gott-liv/ett-gott-liv-brochure.pdf")
    assert pages[0] == TEXT_TITLE and pages[-1].startswith(TEXT_TITLE)  # the cover and the back cover
    assert TEXT_TITLE not in " ".join(pages[2:-1])  # not again as the text's first line
