"""Line-end hyphens judged with the Swedish lexicon, read from tests/cases/dehyphenation.tsv."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.normalise.dehyphenate import decide, join_lines
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report

CASES = [
    tuple(line.split("\t"))
    for line in (Path(__file__).parent / "cases/dehyphenation.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("left", "right", "after", "expected", "kind"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_decision_table(left: str, right: str, after: str, expected: str, kind: str) -> None:
    decision = decide(left, right, "" if after == "-" else after)
    assert (decision.joined, decision.kind) == (expected, kind), decision.reason


def test_join_lines_reports_every_join() -> None:
    report = Report()
    lines = [Line(1, "För att kunna er-"), Line(2, "bjuda detta ska hälso-"), Line(3, "och sjukvården")]
    assert join_lines(lines, report) == "För att kunna erbjuda detta ska hälso- och sjukvården"
    assert [e.kind for e in report.edits] == ["dehyphenate", "keep-suspended"]
    assert [e.line for e in report.edits] == [1, 2]


def test_suspended_hyphen_needs_a_word_after_the_conjunction() -> None:
    report = Report()
    lines = [Line(1, "en dröm-"), Line(2, "men. Sedan hälso-"), Line(3, "och sjukvård")]
    assert join_lines(lines, report) == "en drömmen. Sedan hälso- och sjukvård"


def test_a_soft_hyphen_at_a_line_end_always_joins() -> None:
    report = Report()
    lines = [Line(1, "en vård\u00ad"), Line(2, "tyngdsmätning\u00ad")]
    assert join_lines(lines, report) == "en vårdtyngdsmätning"


@pytest.mark.parametrize(
    ("token", "following", "expected"),
    [
        ("hälsooch", "sjukvård", "hälso- och"),
        ("gångoch", "cykelvägar.", "gång- och"),
        ("EUmedel", "och", "EU-medel"),
        ("(LSSinsatser),", "och", "(LSS-insatser),"),
        ("gemensamt", "och", None),  # a word that ends in "samt" is a word
        ("celler", "och", None),
        ("vårdtyngdsmätningar", "i", None),
        ("hälsooch", ".", None),  # no word after the conjunction
    ],
)
def test_glued_by_the_extractor(token: str, following: str, expected: str | None) -> None:
    from pipeline.normalise.unglue import unglued

    assert unglued(token, following) == expected


def test_a_no_break_space_ends_the_next_lines_first_word() -> None:
    report = Report()
    lines = [Line(1, "kan spara 6–"), Line(2, "8\u00a0miljoner kronor och er-"), Line(3, "bjuda\u00a0mer")]
    assert join_lines(lines, report) == "kan spara 6–8\u00a0miljoner kronor och erbjuda\u00a0mer"
