"""The brochure's pages in the EPUB: a page list of every page, each marker before the first word of its page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import SEEDS
from lxml import etree

from pipeline.preflight.words import markup_text
from pipeline.render.pagebreaks import mark_document, placement

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
}
MM = 72 / 25.4
BOTTOM_MARGIN = 20 * MM  # brochure.css: the page numbers and running feet stand below the text, in the margin
MARKER = re.compile(r"<span\b[^>]*\brole=\"doc-pagebreak\"[^>]*/>")


def _paths(project: Path, slug: str) -> tuple[Path, Path]:
    out = project / "output" / slug
    return out / f"{slug}.epub", out / f"{slug}-brochure.pdf"


def _spine(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    opf = etree.fromstring(z.read("EPUB/content.opf"))
    hrefs = {i.get("id"): i.get("href") for i in opf.findall(".//opf:item", NS)}
    names = [hrefs[r.get("idref")] for r in opf.findall(".//opf:itemref", NS)]
    return [(name, z.read(f"EPUB/{name}").decode()) for name in names]


def _brochure_pages(pdf_path: Path) -> list[str]:
    """Each page's text above the bottom margin (no page number or running foot), without spaces or hyphens."""
    with pdfplumber.open(pdf_path) as pdf:
        texts = [p.crop((0, 0, p.width, p.height - BOTTOM_MARGIN)).extract_text() or "" for p in pdf.pages]
    return [_squeeze(t) for t in texts]


def _squeeze(text: str) -> str:
    """Whitespace and hyphens out: a PDF's text cannot tell a line-end hyphen from a hyphen of the word."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


PAGE = "\u27e6{}\u27e7"  # a marker in the text, ⟦12⟧


def _sentinel(match: re.Match[str]) -> str:
    label = re.search(r'aria-label="(\d+)"', match.group(0))
    assert label is not None
    return f" {PAGE.format(label.group(1))} "


def _reading_order(z: zipfile.ZipFile) -> list[tuple[str, str | int]]:
    """The spine's words and page markers (numbers), in reading order, each with its document. The title
    page's words (publication.toml's title, as on the brochure's cover) are left out."""
    out: list[tuple[str, str | int]] = []
    for name, xhtml in _spine(z):
        xhtml = re.sub(r'<section[^>]*epub:type="titlepage".*?</section>', "", xhtml, flags=re.S)
        marked = MARKER.sub(_sentinel, xhtml)
        for token in markup_text(marked).split():
            out.append((name, int(token[1:-1])) if token.startswith(PAGE[0]) else (name, token))
    return out


@pytest.mark.parametrize("slug", SEEDS)
def test_page_list_lists_every_brochure_page_and_points_at_its_marker(built: Path, slug: str) -> None:
    epub, pdf = _paths(built, slug)
    with pdfplumber.open(pdf) as brochure:
        pages = len(brochure.pages)
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
        assert page_list is not None and page_list.get("hidden") is not None
        links = [(a.text, a.get("href")) for a in page_list.findall(".//x:a", NS)]
        assert [label for label, _href in links] == [str(n) for n in range(1, pages + 1)]
        for label, href in links:
            name, _, fragment = href.partition("#")
            target = etree.fromstring(z.read(f"EPUB/{name}")).find(f".//*[@id='{fragment}']")
            assert target is not None, href
            assert target.tag == f"{{{NS['x']}}}span" and len(target) == 0 and not (target.text or "").strip()
            assert target.get(f"{{{NS['epub']}}}type") == "pagebreak" and target.get("role") == "doc-pagebreak"
            assert target.get("aria-label") == label
        # one marker per page, met in page order while reading
        order = [tok for _name, tok in _reading_order(z) if isinstance(tok, int)]
    assert order == list(range(1, pages + 1))


@pytest.mark.parametrize("slug", SEEDS)
def test_each_marker_stands_before_the_first_word_of_its_brochure_page(built: Path, slug: str) -> None:
    """The words after a marker open that page of the brochure's PDF; when the page opens with the end of
    a word hyphenated on the page before, the marker stands after that word."""
    epub, pdf = _paths(built, slug)
    pages = _brochure_pages(pdf)
    with zipfile.ZipFile(epub) as z:
        tokens = _reading_order(z)
    checked, without_text = [], {}
    for i, (name, token) in enumerate(tokens):
        if not isinstance(token, int):
            continue
        after = [t for n, t in tokens[i + 1 : i + 6] if n == name]
        words = list(_words_until_marker(after))[:4]
        if not words:
            without_text[token] = name
            continue
        page = pages[token - 1]
        following = _squeeze("".join(words))
        previous = next(t for _n, t in reversed(tokens[:i]) if not isinstance(t, int))
        before = _squeeze(previous)
        opens_page = page.startswith(following) or any(
            page.startswith(before[k:] + following) and pages[token - 2].endswith(before[:k])
            for k in range(1, len(before))
        )
        assert opens_page, f"page {token}: marker before {' '.join(words)!r}, page opens {page[:60]!r}"
        checked.append(token)
    last = len(pages)
    # The pages that open with no word of the text: the cover, the title page and the contents before it,
    # the back cover after it. Each still has its marker (DAISY: no page number may seem lost).
    assert pages[2].startswith("Innehåll")
    assert without_text == {1: "cover.xhtml", 2: "title.xhtml", 3: "title.xhtml", last: _last_document(epub)}
    assert checked == list(range(4, last))


def _words_until_marker(tokens: list[str | int]):
    for t in tokens:
        if isinstance(t, int):
            return
        yield t


def _last_document(epub: Path) -> str:
    with zipfile.ZipFile(epub) as z:
        return _spine(z)[-1][0]


@pytest.mark.parametrize("slug", SEEDS)
def test_the_page_source_is_named_and_the_features_declared(built: Path, slug: str) -> None:
    with zipfile.ZipFile(_paths(built, slug)[0]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    props: dict[str, list[str]] = {}
    for meta in opf.findall(".//opf:meta[@property]", NS):
        props.setdefault(meta.get("property"), []).append(meta.text)
    (source,) = props["pageBreakSource"]
    assert "broschyrutgåva A5" in source and source.startswith(opf.find(".//{*}title").text)
    assert {"pageBreakMarkers", "pageNavigation"} <= set(props["schema:accessibilityFeature"])
    assert "broschyr" in props["schema:accessibilitySummary"][0]


@pytest.mark.parametrize("slug", SEEDS)
def test_markers_are_invisible(built: Path, slug: str) -> None:
    """Empty spans with nothing in the stylesheet that would show them."""
    with zipfile.ZipFile(_paths(built, slug)[0]) as z:
        css = z.read("EPUB/epub.css").decode()
        texts = [markup_text(x) for _n, x in _spine(z)]
    assert "pagebreak" not in css
    assert not any(re.search(r"\bsida \d", t) for t in texts)


def test_placement_of_pages_no_word_begins_on() -> None:
    # cover, title page, contents; text on 4, 5, 7; a blank page 6; back cover 8
    placed = placement([None, None, None, 0, 120, None, 240, None])
    assert (placed.cover, placed.front, placed.end) == ([1], [2, 3], [8])
    assert placed.before == {0: [4], 120: [5], 240: [6, 7]}


XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="sv" xml:lang="sv">
<head><title>t</title></head>
<body>
<section><h1 id="s">Vård för alla</h1>
<p id="b1">Vi vill <strong>se</strong>, höra och <em>lyssna</em> mer.</p>
<ul id="b2"><li>Ett</li><li>Två ord</li></ul></section>
</body>
</html>
"""


def test_markers_go_between_words_and_before_headings() -> None:
    words = "Vård för alla Vi vill se, höra och lyssna mer. Ett Två ord".split()
    starts = {"Vård": 4, "se,": 5, "lyssna": 6, "Två": 7}
    placed = placement([None, None, None, *(words.index(w) for w in starts)])
    out, position, pages = mark_document(XHTML.encode(), words, 0, placed, [], [])
    text = out.decode()
    assert position == len(words) and pages == [4, 5, 6, 7]
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n') and text.endswith("</html>\n")
    span = '<span epub:type="pagebreak" role="doc-pagebreak" id="page-{0}" aria-label="{0}"/>'
    assert f'<section>{span.format(4)}<h1 id="s">Vård för alla</h1>' in text  # before the heading, not in it
    assert f"Vi vill <strong>{span.format(5)}se</strong>, höra och <em>{span.format(6)}lyssna</em>" in text
    assert f"<li>{span.format(7)}Två ord</li>" in text
