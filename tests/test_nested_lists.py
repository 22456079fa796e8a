"""Nested lists in an editor's text.md: in the model, back to Markdown, and in every edition, tagged as lists
in list items; an edition that loses a word fails and leaves the earlier file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import copy_project
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.model import Document, ListBlock, Meta, document_words, from_json, to_json
from pipeline.normalise.report import Report
from pipeline.readers.markdown import read_markdown
from pipeline.render.markdown import to_markdown

SLUG = "nastlade"
TEXT = """# Nästlade listor

## Vår politik

Vi vill att vården ska fungera för alla.

- Kortare köer till vårdcentralen
  - fler läkare på landsbygden
  - längre öppettider på kvällar
    1. vardagar till klockan tjugo
    2. lördagar till klockan femton
- Bättre äldreomsorg

Slutord efter listan.
"""
NESTED_WORDS = "fler läkare på landsbygden längre öppettider på kvällar vardagar till klockan tjugo".split()


def read(text: str) -> Document:
    return read_markdown(text.encode(), Path("text.md"), Meta(title=""), Report()).doc


def test_the_model_holds_each_nested_list_under_its_item() -> None:
    doc = read(TEXT)
    [outer] = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert [depth for depth, _item in outer.entries()] == [0, 1, 1, 2, 2, 0]
    inner = outer.sublist(0)
    assert inner is not None and outer.sublist(1) is None
    deepest = inner.sublist(1)
    assert deepest is not None and deepest.ordered and len(deepest.items) == 2
    assert " ".join(NESTED_WORDS) in " ".join(document_words(doc))


def test_nested_lists_survive_json_and_markdown() -> None:
    doc = read(TEXT)
    assert from_json(json.loads(json.dumps(to_json(doc)))) == doc
    assert read(to_markdown(doc)).blocks == doc.blocks
    flat = read("# T\n\n- ett\n- två\n")
    assert "sublists" not in to_json(flat)["blocks"][1]  # the JSON shape of a flat list is unchanged


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("nested"), ())
    folder = project / "source" / SLUG
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text('title = "Nästlade listor"\n', encoding="utf-8")
    (folder / "text.md").write_text(TEXT, encoding="utf-8")
    args = ["build", "-e", "html", "-e", "epub", "-e", "large-print", "--jobs", "2", "--project", str(project)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return project


def out(project: Path, suffix: str) -> Path:
    return project / "output" / SLUG / f"{SLUG}{suffix}"


def test_html_and_epub_nest_the_list_in_its_item(project: Path) -> None:
    from lxml import etree, html

    page = html.fromstring(out(project, ".html").read_bytes())
    assert [li.text.strip() for li in page.xpath("//li/ul/li/ol/li")] == [
        "vardagar till klockan tjugo",
        "lördagar till klockan femton",
    ]
    with zipfile.ZipFile(out(project, ".epub")) as epub:
        chapters = [etree.fromstring(epub.read(n)) for n in epub.namelist() if n.endswith(".xhtml")]
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert any(c.xpath("//x:li/x:ul/x:li/x:ol/x:li", namespaces=ns) for c in chapters)


def test_pdf_editions_tag_a_nested_list_in_its_items_body(project: Path) -> None:
    from pipeline.preflight import PASSED
    from pipeline.preflight.epub import epubcheck
    from pipeline.preflight.pdf import pdf_ua

    for suffix in ("-brochure.pdf", "-large-print.pdf"):
        with pikepdf.open(out(project, suffix)) as pdf:
            chains = list(_list_chains(pdf.Root.StructTreeRoot, ()))
        assert ("/L", "/LI", "/LBody", "/L", "/LI", "/LBody", "/L", "/LI") in chains, suffix
        assert not [c for c in chains if c[-2:] == ("/L", "/L")], suffix  # no list directly in a list
    assert pdf_ua(out(project, "-large-print.pdf")).status == PASSED
    assert epubcheck(out(project, ".epub")).status == PASSED


def _list_chains(node: pikepdf.Object, chain: tuple[str, ...]):
    """Every path of list tags (L, LI, LBody) from the root down, as tuples of tag names."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            tag = str(kid.S)
            here = (*chain, tag) if tag in ("/L", "/LI", "/LBody") else chain
            if tag in ("/L", "/LI", "/LBody"):
                yield here
            yield from _list_chains(kid, here)


def test_an_edition_that_loses_words_fails_and_the_earlier_file_stays(project: Path) -> None:
    brochure = out(project, "-brochure.pdf")
    before = brochure.read_bytes()
    layouts = project / "source" / SLUG / "layouts" / "brochure"
    layouts.mkdir(parents=True)
    css = (project / "layouts/brochure/brochure.css").read_text(encoding="utf-8")
    (layouts / "brochure.css").write_text(css + "\nli li { display: none; }\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(app, ["build", SLUG, "-e", "brochure", "--jobs", "1", "--project", str(project)])
    finally:
        (layouts / "brochure.css").unlink()
    assert result.exit_code == 1, result.output
    [error] = [line for line in result.output.splitlines() if line.startswith("error: ")]
    text_md = project / "source" / SLUG / "text.md"
    assert error.startswith(f"error: {text_md}:7: the brochure edition lost a word: 'fler'"), error
    assert "the previous nastlade-brochure.pdf was kept" in error
    assert brochure.read_bytes() == before
    assert not list(brochure.parent.glob(".*.tmp"))
