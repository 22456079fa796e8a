"""The PDF/UA-1 large-print edition: structure tree, exact text, font size, checker, page references."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import SEEDS, copy_project
from conftest import built_model as model
from pdfhelpers import struct_sequence
from pdfua import validate

from pipeline.build import BuildRequest, build
from pipeline.model import (
    Heading,
    ListBlock,
    Paragraph,
    RunInLead,
    Slogan,
    block_text,
    document_words,
    plain,
)
from pipeline.render.large_print import page_references


def lp(project: Path, slug: str) -> Path:
    return project / "output" / slug / f"{slug}-large-print.pdf"


def body_sequence(project: Path, slug: str) -> list[tuple[str, str]]:
    """Headings and paragraphs from the structure tree, after the title page and the contents."""
    seq = [
        (role, text) for role, text in struct_sequence(lp(project, slug)) if role in ("H1", "H2", "H3", "H4", "P", "LI")
    ]
    contents = next(i for i, (role, text) in enumerate(seq) if role == "H2" and text == "Innehåll")
    start = next(i for i, (role, _t) in enumerate(seq[contents + 1 :], contents + 1) if role != "LI")
    return seq[start:]


def expected_sequence(doc) -> list[tuple[str, str]]:
    levels = sorted({b.level for b in doc.blocks if isinstance(b, Heading | RunInLead)})
    out = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append((f"H{2 + levels.index(b.level)}", plain(b.inlines)))
        elif isinstance(b, (Paragraph, RunInLead, Slogan)):
            out.append(("P", block_text(b)))
        elif isinstance(b, ListBlock):
            out.extend(("LI", plain(i)) for i in b.items)
    return [(role, " ".join(text.split())) for role, text in out]


@pytest.mark.parametrize("slug", SEEDS)
def test_structure_tree_matches_the_model_in_reading_order(built: Path, slug: str) -> None:
    # Paragraphs split by a page break are one P (pipeline/render/tagging.py joins WeasyPrint's halves).
    assert body_sequence(built, slug) == expected_sequence(model(built, slug))


@pytest.mark.parametrize("slug", SEEDS)
def test_one_part_element_for_main_and_one_sect_per_section(built: Path, slug: str) -> None:
    roles = [role for role, _t in struct_sequence(lp(built, slug))]
    doc = model(built, slug)
    sections = sum(isinstance(b, Heading | RunInLead) for b in doc.blocks)
    assert roles.count("Part") == 1
    assert roles.count("Sect") == sections + 1  # and the title page


@pytest.mark.parametrize("slug", SEEDS)
def test_text_is_exactly_the_model_text(built: Path, slug: str) -> None:
    words = [w for _role, text in body_sequence(built, slug) for w in text.split()]
    doc = model(built, slug)
    title_words = plain(doc.blocks[0].inlines).split()
    assert title_words + words == document_words(doc)


@pytest.mark.parametrize("slug", SEEDS)
def test_headings_nest_without_skipped_levels(built: Path, slug: str) -> None:
    levels = [
        int(role[1]) for role, _t in struct_sequence(lp(built, slug)) if role in ("H1", "H2", "H3", "H4", "H5", "H6")
    ]
    assert levels[0] == 1
    for a, b in itertools.pairwise(levels):
        assert b <= a + 1, levels
    assert all(text for role, text in struct_sequence(lp(built, slug)) if role.startswith("H") and role[1:].isdigit())


@pytest.mark.parametrize("slug", SEEDS)
def test_pdfua_document_properties(built: Path, slug: str) -> None:
    with pikepdf.open(lp(built, slug)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "sv"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == model(built, slug).meta.title
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"pdfuaid:part" in xmp


@pytest.mark.parametrize("slug", SEEDS)
def test_pdfua_checker_finds_nothing(built: Path, slug: str) -> None:
    report = validate(str(lp(built, slug)))
    assert list(report.findings) == []
    assert report.exit_code == 0


def body_sizes(path: Path) -> list[float]:
    with pdfplumber.open(path) as pdf:
        return [round(ch["size"], 1) for page in pdf.pages[1:] for ch in page.chars if ch["text"].strip()]


@pytest.mark.parametrize("slug", SEEDS)
def test_body_text_is_at_least_16pt(built: Path, slug: str) -> None:
    sizes = body_sizes(lp(built, slug))
    body = max(set(sizes), key=sizes.count)
    assert body == pytest.approx(18, abs=0.2)
    assert min(s for s in sizes if s != round(18 * 0.75)) >= 16


@pytest.mark.parametrize("slug", SEEDS)
def test_page_numbers_are_as_large_as_the_text_and_bottom_centre(built: Path, slug: str) -> None:
    with pdfplumber.open(lp(built, slug)) as pdf:
        for number, page in enumerate(pdf.pages[1:], start=2):
            foot = page.crop((0, page.height - 26 * 72 / 25.4, page.width, page.height))
            chars = [c for c in foot.chars if c["text"].strip()]
            assert "".join(c["text"] for c in chars) == str(number)
            assert all(c["size"] == pytest.approx(18, abs=0.2) for c in chars)
            centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
            assert centre == pytest.approx(page.width / 2, abs=30)


def test_no_italics_or_hyphenation(built: Path) -> None:
    with pdfplumber.open(lp(built, SEEDS[1])) as pdf:
        fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
        text = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert not any("Italic" in f for f in fonts)
    assert "\u2010" not in text


def _page_words(path: Path, top_mm: float, foot_mm: float) -> list[list[str]]:
    """Each page's words between head and foot, hyphens dropped (auto hyphens joined first)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            body = page.crop((0, top_mm * 72 / 25.4, page.width, page.height - foot_mm * 72 / 25.4))
            text = (body.extract_text() or "").replace("\u2010\n", "")
            out.append([w.replace("-", "").replace("\u2010", "") for w in text.split()])
    return out


def _find(words: list[str], pages: list[list[str]]) -> set[int]:
    """1-based numbers of the pages whose text contains ``words`` in a row."""
    n = len(words)
    return {i for i, page in enumerate(pages, start=1) if any(page[k : k + n] == words for k in range(len(page)))}


@pytest.mark.parametrize("slug", SEEDS)
def test_running_heads_cite_the_brochure_pages_that_hold_the_same_text(built: Path, slug: str) -> None:
    """Independent of the page maps: the first and last words of each large-print page are looked up
    in the brochure's own text, and the cited range must include the pages where they stand."""
    brochure = _page_words(built / "output" / slug / f"{slug}-brochure.pdf", 0, 17)
    heads, bodies = [], _page_words(lp(built, slug), 20, 26)
    with pdfplumber.open(lp(built, slug)) as pdf:
        for page in pdf.pages:
            heads.append(" ".join((page.crop((0, 0, page.width, 20 * 72 / 25.4)).extract_text() or "").split()))
    checked = 0
    for head, words in zip(heads, bodies, strict=True):
        if not head or len(words) < 8 or "Innehåll" in words:
            continue
        first, _, last = head.removeprefix("[broschyr s. ").removesuffix("]").partition("–")
        cited = range(int(first), int(last or first) + 1)
        for probe in (words[:4], words[-4:]):
            found = _find(probe, brochure)
            if len(found) == 1:  # a phrase that occurs once in the brochure
                assert found <= set(cited), f"{head}: {' '.join(probe)!r} is on brochure page {found}"
                checked += 1
    assert checked >= len([h for h in heads if h])


def test_page_reference_ranges() -> None:
    lp_map = {"a": [3, 3], "b": [3, 4], "c": [5, 5]}
    brochure = {"a": [4, 4], "b": [4, 5], "c": [6, 6]}
    assert page_references(lp_map, brochure) == {3: (4, 5), 4: (4, 5), 5: (6, 6)}


@pytest.mark.parametrize("size", [16, 24])
def test_other_sizes(tmp_path: Path, size: int) -> None:
    project = copy_project(tmp_path, SEEDS[:1])
    results = build(BuildRequest(project=project, editions=["large-print"], jobs=1, options={"large_print_size": size}))
    assert [r.status for r in results] == ["built", "built"]
    sizes = body_sizes(lp(project, SEEDS[0]))
    assert max(set(sizes), key=sizes.count) == pytest.approx(size, abs=0.2)
    assert list(validate(str(lp(project, SEEDS[0]))).findings) == []


@pytest.mark.parametrize("slug", SEEDS)
@pytest.mark.parametrize("edition", ["large-print", "brochure"])
def test_all_marked_content_is_tagged_or_an_artifact(built: Path, slug: str, edition: str) -> None:
    """Running heads and page numbers are artifacts; everything else is reachable from the structure tree."""
    from pipeline.render.tagging import _reachable_mcids

    path = built / "output" / slug / f"{slug}-{edition}.pdf"
    with pikepdf.open(path) as pdf:
        reachable = _reachable_mcids(pdf)
        marked: set[tuple[int, int]] = set()
        pagination = 0
        for index, page in enumerate(pdf.pages):
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    if "/MCID" in operands[1]:
                        marked.add((index, int(operands[1].MCID)))
                    elif str(operands[0]) == "/Artifact" and operands[1].get("/Type") == "/Pagination":
                        pagination += 1
    assert marked == reachable
    assert pagination >= len(pdf.pages) - 2  # a page number (and running head) on every page but the covers
