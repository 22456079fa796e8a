"""The typographic counters, each on a small WeasyPrint PDF made to hold that defect, and `pipeline check`'s row."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, built_model, copy_project
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.preflight import FAILED, PASSED, WARNING
from pipeline.preflight.typography import (
    BROCHURE_TARGETS,
    DEFECTS,
    HYPHEN_END,
    HYPHEN_RUN,
    LOOSE_LINE,
    LOOSE_RATIO,
    NEAR_EMPTY_PAGE,
    ORPHAN,
    PAGE_TURN_HYPHEN,
    RUNT,
    STRANDED_HEADING,
    WIDOW,
    TypographyReport,
    check,
    measure,
    shortfalls,
)
from pipeline.render.fonts import font_face_css

# Seven 16 pt lines to a page; text ragged, hyphenated only by hand, widows and orphans allowed,
# so that each document below holds exactly the defect its test names.
PAGE = """
@page { size: 100mm 62mm; margin: 8mm 10mm; }
html { font-family: "Source Serif 4"; font-size: 10pt; line-height: 16pt; }
p, h2 { margin: 0; orphans: 1; widows: 1; text-align: left; hyphens: manual; }
h2 { font-size: 10pt; font-weight: 700; }
"""
LINES = [
    "Vi vill att vården ska vara trygg",
    "för alla som bor i vårt land och",
    "att den ska ges nära människorna",
    "som behöver den allra mest i dag",
    "och att personalen får bra villkor",
    "för att kunna göra ett gott arbete",
    "varje dag och under hela året.",
]
SENTENCE = "Vi vill att vården ska vara trygg för alla och att den ska ges nära de människor som behöver den. "
COMPOUNDS = (
    "Vi vill att sjukvårdsförvaltningarna, primärvårdsmottagningarna och äldreomsorgsnämnderna"
    " samarbetar om hemsjukvården."
)


def lines(count: int, first: int = 0) -> str:
    """A paragraph of ``count`` set lines (line breaks by hand) from ``first`` on, its last line the last sentence."""
    return "<p>" + "<br>".join([*LINES[first : first + count - 1], LINES[-1]]) + "</p>"


def typeset(path: Path, body: str, css: str = "", tagged: bool = True, repaired: bool = True) -> Path:
    """A tagged PDF of ``body`` inside <main>, its split paragraphs joined as the pipeline's renderer does."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.render.tagging import continuation_depths, fix_tagging

    config = FontConfiguration()
    html = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head>'
        f"<body><main>{body}</main></body></html>"
    )
    sheet = CSS(string=font_face_css(ROOT / "fonts", ("Source Serif 4",)) + PAGE + css, font_config=config)
    document = HTML(string=html).render(stylesheets=[sheet], font_config=config, pdf_tags=tagged)
    document.write_pdf(path, pdf_tags=tagged)
    if tagged and repaired:
        fix_tagging(path, continuation_depths(document))
    return path


def only(report: TypographyReport, kind: str | None) -> list[str]:
    """The lines of the findings of ``kind``, after asserting that no other defect was found."""
    others = {k: report.count(k) for k in DEFECTS if k != kind and report.count(k)}
    assert not others, others
    return [f.line for f in report.findings if f.kind == kind]


def test_a_clean_page_counts_nothing(tmp_path: Path) -> None:
    """Justified (so the loose counter measures), unhyphenated, one page: every count is 0."""
    body = f"<h2>En rubrik</h2><p>{SENTENCE * 2}Så ska det bli.</p><p>{SENTENCE}</p>"
    report = measure(typeset(tmp_path / "clean.pdf", body, "@page { size: 134mm 62mm } p { text-align: justify }"))
    assert only(report, None) == []
    assert report.paragraph_lines == 6 and report.justified_lines == 4  # two paragraphs of 4 and 2 lines
    assert 1.0 < report.worst_loose < LOOSE_RATIO
    assert report.loose_share == report.hyphenated_share == 0
    assert shortfalls(report, BROCHURE_TARGETS) == []


def test_loose_lines_in_a_narrow_justified_column(tmp_path: Path) -> None:
    body = "<p>Vi vill att sjukvårdsförvaltningarna och primärvårdsmottagningarna samarbetar med kommunerna.</p>"
    report = measure(typeset(tmp_path / "loose.pdf", body, "@page { size: 70mm 62mm } p { text-align: justify }"))
    # "och" alone and the overfull compounds have no word space to stretch: not justified lines
    assert only(report, LOOSE_LINE) == ["Vi vill att", "samarbetar med"]
    assert report.justified_lines == 2 and report.loose_share == 1.0 and report.worst_loose > 10
    assert any("loose lines 100%" in s for s in shortfalls(report, BROCHURE_TARGETS))


def test_ragged_text_has_no_justified_lines(tmp_path: Path) -> None:
    body = "<p>Vi vill att sjukvårdsförvaltningarna och primärvårdsmottagningarna samarbetar med kommunerna.</p>"
    report = measure(typeset(tmp_path / "ragged.pdf", body, "@page { size: 70mm 62mm }"))
    assert report.justified_lines == 0 and report.loose_share == 0 and only(report, None) == []


def test_a_run_of_hyphenated_line_ends(tmp_path: Path) -> None:
    report = measure(
        typeset(tmp_path / "run.pdf", f"<p>{COMPOUNDS}</p>", "@page { size: 74mm 62mm } p { hyphens: auto }")
    )
    assert only(report, HYPHEN_RUN) == ["Vi vill att sjukvårdsförvalt‐"]
    run = report.findings[0]
    assert (
        run.measure == 3
        and run.paragraph_start == "Vi vill att sjukvårdsförvaltningarna, primärvårdsmottagningarna och …"
    )
    ends = [f for f in report.findings if f.kind == HYPHEN_END]
    assert [f.note for f in ends] == ["auto"] * 3 and report.hyphenated_share == 3 / report.paragraph_lines


def test_a_runt_the_end_of_a_broken_word(tmp_path: Path) -> None:
    body = "<p>Vi vill att vården ska vara trygg och nära för alla som bor här, också för alla medborgare.</p>"
    report = measure(typeset(tmp_path / "runt.pdf", body, "@page { size: 60mm 62mm } p { hyphens: auto }"))
    assert only(report, RUNT) == ["borgare."]
    assert [f.note for f in report.findings if f.kind == RUNT] == ["word end"]


def test_a_runt_a_short_word(tmp_path: Path) -> None:
    report = measure(typeset(tmp_path / "short.pdf", lines(5) + "<p>Så blir det<br>bra.</p>"))
    assert only(report, RUNT) == ["bra."]


@pytest.mark.parametrize(
    ("kind", "count", "body"),
    [
        (WIDOW, 1, lines(5) + lines(3) + lines(5)),  # 5 + 2 lines on page 1, the third alone on page 2
        (ORPHAN, 1, lines(6) + lines(3) + lines(4)),  # a paragraph's first line alone at the foot of page 1
        (STRANDED_HEADING, 1, lines(6) + "<h2>En rubrik här</h2>" + lines(5)),
        (NEAR_EMPTY_PAGE, 1, lines(7) + lines(2)),  # two lines alone on page 2
        (None, 0, lines(5) + lines(2, 4) + lines(4)),  # page 1 full, page 2 with four lines: nothing
    ],
)
def test_page_breaks(tmp_path: Path, kind: str | None, count: int, body: str) -> None:
    report = measure(typeset(tmp_path / "page.pdf", body, "h2 { break-after: auto }"))
    assert report.pages == 2 and report.justified_lines == 0
    assert len(only(report, kind)) == count


def test_widows_are_found_in_the_paragraph_tagging_joined(tmp_path: Path) -> None:
    """The widow is located in its paragraph; WeasyPrint's own tags (two P elements) would hide it."""
    body = lines(5) + lines(3) + lines(5)
    findings = measure(typeset(tmp_path / "joined.pdf", body)).findings
    assert [(f.kind, f.page, f.paragraph, f.paragraph_start) for f in findings] == [
        (WIDOW, 2, 1, "Vi vill att vården ska vara …")
    ]
    assert measure(typeset(tmp_path / "split.pdf", body, repaired=False)).count(WIDOW) == 0


@pytest.mark.parametrize(
    ("line", "style", "hyphen", "broken"),
    [
        ("för alla medborgare i sjukvårdsförvaltningarna och", ' style="hyphens: auto"', "auto", 1),
        ("för alla som arbetar med regionernas IT-projekten", "", "hard", 0),  # a hyphen the text has
        ("för alla som arbetar i den offentliga hälso- och sjukvården", "", "suspended", 0),
    ],
)
def test_a_hyphen_at_the_page_turn(tmp_path: Path, line: str, style: str, hyphen: str, broken: int) -> None:
    """Page 1 ends with the second line of a paragraph, which ends in a hyphen; only a broken word counts."""
    body = lines(5) + f"<p{style}>{LINES[0]}<br>{line}<br>{LINES[2]}<br>{LINES[-1]}</p>" + lines(4)
    report = measure(typeset(tmp_path / "turn.pdf", body))
    ends = [f for f in report.findings if f.kind == HYPHEN_END]
    assert [(f.page, f.note) for f in ends] == [(1, hyphen)]
    assert len(only(report, PAGE_TURN_HYPHEN if broken else None)) == broken
    if broken:
        assert report.findings[0].note == "turns the leaf" and report.findings[0].line.endswith("förvaltning‐")


def test_an_untagged_pdf_cannot_pass(tmp_path: Path) -> None:
    outcome = check(typeset(tmp_path / "untagged.pdf", lines(5), tagged=False), BROCHURE_TARGETS)
    assert outcome.status == FAILED and "no tagged body text" in outcome.detail


def run_check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def loose_brochure(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The short seed's brochure built by the pipeline in a column too narrow to justify well."""
    from pipeline.build import BuildRequest, build

    slug = "ett-gott-liv"
    project = copy_project(tmp_path_factory.mktemp("narrow"), (slug,))
    css = project / "layouts" / "brochure" / "brochure.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nmain { margin-right: 45mm; }\n", encoding="utf-8")
    results = build(BuildRequest(project=project, slugs=[slug], editions=["brochure"], jobs=1))
    assert [r.status for r in results] == ["built"], [r.error for r in results]
    return project, slug


def test_check_warns_on_a_loose_brochure_and_fails_it_with_strict(loose_brochure: tuple[Path, str]) -> None:
    import json

    project, slug = loose_brochure
    code, out = run_check(slug, "-e", "brochure", "--project", str(project), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["passed"] is True
    rows = {r["check"]: r for r in report["checks"]}
    assert {r["status"] for name, r in rows.items() if name != "typography"} == {PASSED}
    row = rows["typography"]
    assert row["status"] == WARNING and "--strict fails it" in row["detail"] and "loose lines" in row["detail"]
    assert row["data"]["counts"]["loose lines"] > 0.15 and row["data"]["missed"]
    loose = [f for f in row["data"]["findings"] if f["kind"] == LOOSE_LINE]
    assert loose and all(f["page"] >= 1 and f["line"] and f["paragraph_start"] and f["measure"] > 1.6 for f in loose)
    code, out = run_check(slug, "-e", "brochure", "--project", str(project), "--strict")
    assert code == 1 and WARNING in out


class _TextTags(HTMLParser):
    """The p, h1–h6 and li elements of an HTML document, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
            self.tags.append(tag.upper())


def test_the_seeds_are_measured(built: Path) -> None:
    """Both seeds' brochure and large print get a typography row that is passed or a warning, never broken,
    and a finding's paragraph index is its element's place among the laid-out HTML's p, h1–h6 and li."""
    import json

    from pipeline.config import load_config
    from pipeline.preflight.pdf_lines import read_layout
    from pipeline.render.context import RenderContext
    from pipeline.render.pdf import VARIANTS, paged_html

    code, out = run_check("-e", "brochure", "-e", "large-print", "--project", str(built), "--format", "json")
    rows = [r for r in json.loads(out)["checks"] if r["check"] == "typography"]
    assert len(rows) == 4 and {r["status"] for r in rows} <= {PASSED, WARNING}
    assert code == 0 and all(r["data"]["paragraph_lines"] >= 30 for r in rows)
    # The layout passes fill a near-empty page (render/page_balance.py): the longer seed had one in each.
    assert [r["data"]["counts"]["near-empty page"] for r in rows] == [0, 0, 0, 0]
    # Total-fit breaking, paragraph tracking and the layout passes meet every target on both seeds.
    assert [(r["slug"], r["edition"], r["status"]) for r in rows if r["status"] != PASSED] == []
    for row in rows:
        slug, edition = row["slug"], row["edition"]
        folder = built / "source" / slug
        context = RenderContext(
            built_model(built, slug), load_config(folder / "publication.toml"), slug, built, folder, built / "x.pdf"
        )
        parser = _TextTags()
        parser.feed(paged_html(context, VARIANTS[edition]))
        blocks = read_layout(built / row["file"]).blocks
        assert [b.tag for b in blocks] == parser.tags
