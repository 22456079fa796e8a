"""The review page, built for real and read back: every edit with its kind, the doubtful first, links that land."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, copy_project

from pipeline.build import BuildRequest, build
from pipeline.normalise.report import Edit, Report
from pipeline.render.review import KINDS

VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    """A small DOM from the standard library's parser (the page is ours: well nested)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


@dataclass
class Page:
    html: str
    root: Element
    report: list[Edit]
    sources: list[dict]

    @property
    def ids(self) -> dict[str, Element]:
        out: dict[str, Element] = {}
        for e in self.root.iter():
            if "id" in e.attrs:
                assert e.attrs["id"] not in out, f"duplicate id {e.attrs['id']}"
                out[e.attrs["id"]] = e
        return out


def review_page(project: Path, slug: str) -> Page:
    html = (project / "output" / slug / f"{slug}-review.html").read_text(encoding="utf-8")
    cached = json.loads(next((project / "output" / ".cache" / slug).glob("model-*.json")).read_text(encoding="utf-8"))
    return Page(html, parse(html), [Edit(**e) for e in cached["report"]], cached["sources"])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("review"), SEEDS)
    results = build(BuildRequest(project=project, editions=["review"], jobs=1))
    assert [r.status for r in results] == ["built"] * len(SEEDS), [r.error for r in results]
    return project


@pytest.mark.parametrize("slug", SEEDS)
def test_every_edit_of_the_report_is_on_the_page_with_its_kind(seeds: Path, slug: str) -> None:
    page = review_page(seeds, slug)
    assert page.report, "the seed's report is empty: nothing would be tested"
    ids = page.ids
    for n, edit in enumerate(page.report):
        el = ids.get(f"e{n}")
        assert el is not None, f"edit {n} ({edit.kind} line {edit.line}) has no anchor"
        assert el.attrs.get("data-kind") == edit.kind, (n, edit.kind, el.attrs)
        # its kind in words, and its place, are in or beside it
        holder = el if el.tag != "a" else el.parent
        assert holder is not None and KINDS[edit.kind][1] in holder.text, (edit.kind, holder.text if holder else "")
        if edit.line and el.tag != "a":
            assert any(a.attrs.get("href") == f"#L{edit.line}" for a in el.find_all("a")), (n, edit)
        elif edit.line:
            assert el.attrs["href"] == f"#L{edit.line}"
    anchored = {e.attrs["id"] for e in page.root.iter() if e.attrs.get("id", "").startswith("e")}
    assert len({i for i in anchored if i[1:].isdigit()}) == len(page.report)


@pytest.mark.parametrize("slug", SEEDS)
def test_the_kinds_table_counts_what_the_report_counts(seeds: Path, slug: str) -> None:
    page = review_page(seeds, slug)
    report = Report()
    report.edits = page.report
    rows = page.root.find_all("tr")
    counted = {r.attrs["data-kind"]: int(r.find_all("td")[0].text) for r in rows if "data-kind" in r.attrs}
    assert counted == report.counts()


@pytest.mark.parametrize("slug", SEEDS)
def test_the_doubtful_decisions_come_first_least_sure_first_with_their_count(seeds: Path, slug: str) -> None:
    page = review_page(seeds, slug)
    report = Report()
    report.edits = page.report
    doubtful = report.doubtful()
    assert doubtful, "the seed has no doubtful decision: the test would prove nothing"
    ids = page.ids
    assert ids["doubtful-count"].text.strip() == str(len(doubtful))
    section = ids["check-title"].parent
    assert section is not None
    listed = [li for li in section.find_all("li") if "edit" in li.classes]
    expected = [f"ce{page.report.index(e)}" for e in doubtful]
    assert [li.attrs["id"] for li in listed] == expected
    # and the check list comes before the text
    assert page.html.index('id="check-title"') < page.html.index('id="text-title"')
    for li in listed:
        hrefs = [a.attrs["href"] for a in li.find_all("a")]
        assert f"#{li.attrs['id'][1:]}" in hrefs  # to the edit in the text
        assert any(h.startswith("#L") for h in hrefs)  # and to its line


@pytest.mark.parametrize("slug", SEEDS)
def test_every_link_lands_and_nothing_is_fetched(seeds: Path, slug: str) -> None:
    page = review_page(seeds, slug)
    ids = page.ids
    links = [a.attrs["href"] for a in page.root.find_all("a")]
    assert len(links) > len(page.report)
    for href in links:
        assert href.startswith("#"), href
        assert href[1:] in ids, f"{href} leads nowhere"
    assert not page.root.find_all("script") and not page.root.find_all("link") and not page.root.find_all("img")
    assert "url(" not in page.html and "@import" not in page.html
    html_el = page.root.find_all("html")[0]
    assert html_el.attrs["lang"] == "sv"
    assert page.root.find_all("main") and page.root.find_all("h1")
    # every source line is on the page, numbered, with its anchor
    text_lines = page.sources[0]["lines"]
    assert all(f"L{no}" in ids for no, _ in text_lines)
    assert ids["L1"].find_all("span", "t")[0].text.strip().replace("·", "") == text_lines[0][1].strip()


def test_a_line_end_hyphen_is_marked_in_its_line_and_linked_to_its_edit(seeds: Path) -> None:
    page = review_page(seeds, "ett-gott-liv")
    n, edit = next((n, e) for n, e in enumerate(page.report) if e.kind == "dehyphenate")
    marks = [a for a in page.ids[f"L{edit.line}"].find_all("a", "mark") if a.attrs["href"] == f"#e{n}"]
    assert [m.text for m in marks] == [edit.before.split("⏎")[0]]


HOSTILE = (
    "<script>alert('x')</script> Vårt program\n\n"
    "Vi vill ha en\u202e bättre vård & omsorg </style> för alla\t\tnu.\n"
    'En rad med "citat" och <b>fet</b> text som fortsätter till\n'
    "nästa rad.\n"
)


def test_hostile_text_is_escaped_and_invisible_characters_are_shown_by_name(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ())
    folder = project / "source" / "fientlig"
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text('title = "<img src=x onerror=alert(1)> Program"\n', encoding="utf-8")
    (folder / "text.txt").write_text(HOSTILE, encoding="utf-8")
    results = build(BuildRequest(project=project, editions=["review"], jobs=1))
    assert [r.status for r in results] == ["built"], [r.error for r in results]
    page = review_page(project, "fientlig")
    assert not page.root.find_all("script") and not page.root.find_all("img") and not page.root.find_all("b")
    assert "\u202e" not in page.html  # never handed to the browser
    assert "<script>" not in page.html and "&lt;script&gt;" in page.html
    assert len(page.root.find_all("style")) == 1
    ids = page.ids
    line2 = ids["L3"].text
    assert "U+202E" in line2 and "⇥⇥" in line2 and "</style>" in line2
    assert "<script>alert('x')</script>" in ids["L1"].text
    assert page.root.find_all("h1")[0].text == "<img src=x onerror=alert(1)> Program"
    drop = next(n for n, e in enumerate(page.report) if e.kind == "drop-char")
    assert ids[f"e{drop}"].attrs["data-kind"] == "drop-char"


def test_a_pdf_source_shows_its_dropped_lines_where_they_stood(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ())
    folder = project / "source" / "fran-pdf"
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text('title = "Patientfokus"\n', encoding="utf-8")
    pdf = ROOT / "tests/roundtrip/corpus/seed-patientfokus-partiprogram/brochure.pdf"
    (folder / "text.pdf").write_bytes(pdf.read_bytes())
    results = build(BuildRequest(project=project, editions=["review"], jobs=1))
    assert [r.status for r in results] == ["built"], [r.error for r in results]
    page = review_page(project, "fran-pdf")
    assert page.sources[0]["name"] == "text.pdf"
    ids = page.ids
    drops = [(n, e) for n, e in enumerate(page.report) if e.kind == "drop-furniture"]
    assert drops
    for n, edit in drops:
        row = ids[f"e{n}"]
        assert "dropped" in row.classes and row.find_all("del")[0].text == edit.before
        # shown just before the line it preceded
        assert page.html.index(f'id="e{n}"') < page.html.index(f'id="L{edit.line}"')


def test_the_review_is_an_edition_built_unchanged_and_selected_like_the_others(tmp_path: Path) -> None:
    project = copy_project(tmp_path, SEEDS[:1])
    slug = SEEDS[0]
    first = build(BuildRequest(project=project, editions=["html"], jobs=1))
    assert [r.edition for r in first] == ["html"]
    assert not (project / "output" / slug / f"{slug}-review.html").exists()
    assert {r.edition: r.status for r in build(BuildRequest(project=project, editions=["html", "review"]))} == {
        "html": "unchanged",
        "review": "built",
    }
    again = build(BuildRequest(project=project, editions=["html", "review"]))
    assert {r.edition: r.status for r in again} == {"html": "unchanged", "review": "unchanged"}
    # An editor's text.md: a change in the source beside it changes the report, not the text.
    from pipeline.convert import write_text_md

    write_text_md(project, slug)
    build(BuildRequest(project=project, editions=["html", "review"]))
    source = project / "source" / slug / "text.txt"
    source.write_bytes(source.read_bytes() + b"\nEn mening som kom till i k\xc3\xa4llan.\n")
    results = build(BuildRequest(project=project, editions=["html", "review"]))
    assert {r.edition: r.status for r in results if r.edition != "-"} == {"html": "unchanged", "review": "built"}
    page = review_page(project, slug)
    assert [e.attrs["data-kind"] for e in page.root.find_all("li") if e.attrs.get("data-kind") == "stale"]
    assert "Källan har ändrats" in page.root.find_all("p", "warning")[0].text


def test_a_long_programme_renders_fast(tmp_path: Path) -> None:
    """About 1500 source lines and 1400 edits (a 30-page programme): built in well under a few seconds."""
    project = copy_project(tmp_path, ())
    folder = project / "source" / "lang"
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text('title = "Långt"\n', encoding="utf-8")
    seed = (ROOT / "source/patientfokus-partiprogram/text.txt").read_text(encoding="utf-8")
    (folder / "text.txt").write_text("\n".join([seed] * 4), encoding="utf-8")
    build(BuildRequest(project=project, editions=["html"], jobs=1))  # normalised once, outside the timing
    start = time.perf_counter()
    results = build(BuildRequest(project=project, editions=["review"], jobs=1))
    took = time.perf_counter() - start
    assert [r.status for r in results] == ["built"]
    page = review_page(project, "lang")
    assert len(page.sources[0]["lines"]) > 1400 and len(page.report) > 1000
    assert took < 10, took
    assert len(page.html) < 2_000_000


def test_an_editors_change_shows_its_text_md_line_and_the_source_line_it_replaced(tmp_path: Path) -> None:
    from pipeline.convert import write_text_md

    project = copy_project(tmp_path, SEEDS[:1])
    slug = SEEDS[0]
    md, _ = write_text_md(project, slug)
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("smartare sätt.", "smartare vis.", 1), encoding="utf-8")
    results = build(BuildRequest(project=project, editions=["review"], jobs=1))
    assert [r.status for r in results] == ["built"], [r.error for r in results]
    page = review_page(project, slug)
    assert [s["name"] for s in page.sources] == ["text.md", "text.txt"]
    (n, edit), *others = [(n, e) for n, e in enumerate(page.report) if e.kind == "editor"]
    assert not others and (edit.before, edit.after) == ("sätt.", "vis.")
    md_line = next(no for no, line in enumerate(md.read_text(encoding="utf-8").split("\n"), 1) if "vis." in line)
    assert edit.line == md_line and edit.compared_line == 2  # the report names the source paragraph's first line
    ids = page.ids
    assert "vis." in ids[f"L{md_line}"].text  # the lines shown are text.md's
    el = ids[f"e{n}"]
    assert f"#L{md_line}" in [a.attrs["href"] for a in el.find_all("a")]
    # the page quotes the source line that held the word, and says which paragraph it is in
    assert "text.txt rad 5 (i stycket från rad 2)" in " ".join(el.text.split())
    assert el.find_all("q")[0].text == "sätt."
    assert ids["editor-title"].find_all("span")[0].text == "1"
    assert not page.root.find_all("p", "warning")  # the source is unchanged: not stale
