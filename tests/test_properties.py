"""Hypothesis properties of the normaliser: never crashes, never loses a word, idempotent on its Markdown."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.convert import normalise_bytes
from pipeline.errors import PipelineError
from pipeline.model import Meta, document_words, to_json
from pipeline.normalise.report import Report
from pipeline.normalise.wordcheck import fold, source_words
from pipeline.readers import numbered_lines
from pipeline.readers.decode import decode
from pipeline.render.markdown import to_markdown

PATH = Path("property.txt")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "vård",
    "och",
    "hälso-",
    "sjuk-",
    "vården",
    "Vi",
    "vill",
    "er-",
    "bjuda",
    "IT-",
    "projekt",
    "patienten",
    "10",
    "000",
    "kr",
    "t",
    "ex",
    "-",
    "–",
    "...",
    '"citat"',
    "'",
    "•",
    "*",
    "1.",
    "2)",
    "Kvalité",
    "region-",
    "administration",
    "Folkhälsa",
    "ska",
    "stärkas.",
    "bättre!",
    "#",
    "[länk]",
    "{{",
    "}}",
    "<script>",
    "&amp;",
]


@st.composite
def extracted_text(draw: st.DrawFn) -> str:
    """Text shaped like PDF extraction: short and long lines, hyphens at line ends, tabs, blank lines."""
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=14))
        sep = draw(st.sampled_from([" ", "\t", "  "]))
        prefix = draw(st.sampled_from(["", "", " "]))
        lines.append(prefix + sep.join(words) + draw(st.sampled_from(["", " ", "  "])))
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines)


def _normalise(text: str):
    try:
        return normalise_bytes(text.encode("utf-8"), PATH, Meta(title="t"))
    except PipelineError as exc:
        # The only input errors a text can cause: no text at all, or NUL bytes (binary).
        if "NUL" in exc.message:
            assert "\0" in text
        else:
            assert "has no text" in exc.message, exc
            assert not decode(text.encode("utf-8"), PATH, Report()).split()
        return None


def _assert_every_word_kept(text: str) -> None:
    out = _normalise(text)
    if out is None:
        return
    doc, report = out
    clean = decode(text.encode("utf-8"), PATH, Report())
    dropped = {e.line for e in report.of_kind("drop-furniture")}  # reported, as the wording guard reads them
    kept = tuple((no, line) for no, line in numbered_lines(clean) if no not in dropped)
    assert fold(source_words(kept, report)) == fold(document_words(doc))


@SETTINGS
@given(st.text())
def test_arbitrary_unicode_never_crashes_and_keeps_words(text: str) -> None:
    _assert_every_word_kept(text)


@SETTINGS
@given(extracted_text())
def test_extracted_shapes_keep_every_word_in_order(text: str) -> None:
    _assert_every_word_kept(text)


def _without_lines(data: dict) -> dict:
    for b in data["blocks"]:
        b["line"] = 0
    return data


@SETTINGS
@given(extracted_text())
def test_idempotent_on_its_own_markdown(text: str) -> None:
    out = _normalise(text)
    if out is None:
        return
    doc, _ = out
    markdown = to_markdown(doc)
    again, _ = normalise_bytes(markdown.encode("utf-8"), Path("review.md"), Meta(title="t"), "markdown")
    assert _without_lines(to_json(again)) == _without_lines(to_json(doc))
    assert to_markdown(again) == markdown


@SETTINGS
@given(st.text(min_size=1))
def test_html_step_gives_well_formed_xhtml_with_every_word(text: str) -> None:
    """Arbitrary Unicode through the normaliser and the EPUB chapter template: XHTML that parses, same words."""
    from lxml import etree

    from pipeline.model import document_words
    from pipeline.render.epub import _render, plan_chapters
    from pipeline.render.html import environment
    from pipeline.render.outline import build_outline

    out = _normalise(text)
    if out is None:
        return
    doc, _ = out
    env = environment(Path("."), None)
    outline = build_outline(doc)
    words: list[str] = []
    for ch in plan_chapters(outline):
        xhtml = _render(
            env,
            "epub/chapter.xhtml.j2",
            meta=doc.meta,
            outline=outline,
            page_title="t",
            level_offset=1,
            title_page=ch.section is None,
            chapter=ch.section,
            title_id="title",
        )
        root = etree.fromstring(xhtml)  # raises on ill-formed XHTML
        body = root.find("{http://www.w3.org/1999/xhtml}body")
        words += "".join(body.itertext()).split()
    from pipeline.model import Title

    title = [] if any(isinstance(b, Title) for b in doc.blocks) else doc.meta.title.split()
    assert words == title + document_words(doc)
