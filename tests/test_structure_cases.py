"""The text normaliser's structural rules, one case each, read from tests/cases/structure.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.convert import normalise_bytes
from pipeline.model import Block, Heading, ListBlock, Meta, Paragraph, RunInLead, Slogan, Title, plain

CASES_FILE = Path(__file__).parent / "cases" / "structure.txt"


def _cases() -> list[tuple[str, str, list[str]]]:
    body = "\n".join(line for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    out = []
    for chunk in body.split("=== ")[1:]:
        name, _, rest = chunk.partition("\n")
        source, _, expected = rest.partition("---\n")
        out.append((name.strip(), source, [line for line in expected.splitlines() if line.strip()]))
    return out


def _outline(block: Block) -> str:
    if isinstance(block, Title):
        return f"T {plain(block.inlines)}"
    if isinstance(block, Heading):
        return f"H{block.level} {plain(block.inlines)}"
    if isinstance(block, RunInLead):
        return f"R{block.level} {plain(block.lead)} | {plain(block.inlines)}"
    if isinstance(block, ListBlock):
        return "L " + " | ".join(plain(item) for item in block.items)
    if isinstance(block, Slogan):
        return f"S {plain(block.inlines)}"
    assert isinstance(block, Paragraph)
    return f"P {plain(block.inlines)}"


CASES = _cases()


@pytest.mark.parametrize(("name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_structure_case(name: str, source: str, expected: list[str]) -> None:
    doc, _ = normalise_bytes(source.encode("utf-8"), Path("case.txt"), Meta(title="t"))
    got = [_outline(b).replace("\u00a0", " ") for b in doc.blocks]
    assert got == expected, name


def test_a_level_read_from_a_short_page_is_among_the_decisions_to_check_first() -> None:
    (source,) = [src for name, src, _ in CASES if name.startswith("a heading that opens a page after a page left")]
    _, report = normalise_bytes(source.encode("utf-8"), Path("case.txt"), Meta(title="t"))
    doubtful = [(e.before, e.after) for e in report.doubtful() if e.kind == "heading" and "broke early" in e.note]
    assert doubtful == [("Avslutning", "level 1 (part)")]


def test_a_level_read_from_where_a_heading_stands_is_among_the_decisions_to_check_first() -> None:
    (first,) = [src for name, src, _ in CASES if name.startswith("in a text with parts, the first heading opens")]
    (last,) = [src for name, src, _ in CASES if name.startswith("in a text with parts, the last heading over")]
    _, report = normalise_bytes(first.encode("utf-8"), Path("case.txt"), Meta(title="t"))
    doubtful = [(e.before, e.after, e.confidence) for e in report.doubtful() if "text with parts" in e.note]
    assert doubtful == [("Våra besked", "level 1 (part)", 0.7)]
    _, report = normalise_bytes(last.encode("utf-8"), Path("case.txt"), Meta(title="t"))
    doubtful = [(e.before, e.after, e.confidence) for e in report.doubtful() if "text with parts" in e.note]
    assert doubtful == [("Vårt löfte", "level 1 (part)", 0.6)]


def test_a_contact_line_that_runs_past_the_last_sentence_end_signs_off() -> None:
    # the contact line wraps after "e-post:", which reads as a sentence end: the line after it is
    # still past the text's last sentence
    (last,) = [src for name, src, _ in CASES if name.startswith("in a text with parts, the last heading over")]
    source = last.replace(
        "Aino Keskitalo, ordförande\nKontakt: info@partiet.example\n",
        "Partiet i Bergsby, Storgatan 12, 772 20 Bergsby, tel. 0240-12 34 56, e-post:\n"
        "kontakt@partiet-bergsby.example\n",
    )
    doc, _ = normalise_bytes(source.encode("utf-8"), Path("case.txt"), Meta(title="t"))
    assert [b.level for b in doc.blocks if isinstance(b, Heading)] == [1, 2, 2, 1]
