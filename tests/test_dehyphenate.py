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


@pytest.mark.parametrize(("left", "right", "expected", "kind"), CASES, ids=[f"{c[0]}{c[1]}" for c in CASES])
def test_decision_table(left: str, right: str, expected: str, kind: str) -> None:
    decision = decide(left, right)
    assert (decision.joined, decision.kind) == (expected, kind), decision.reason


def test_join_lines_reports_every_join() -> None:
    report = Report()
    lines = [Line(1, "För att kunna er-"), Line(2, "bjuda detta ska hälso-"), Line(3, "och sjukvården")]
    assert join_lines(lines, report) == "För att kunna erbjuda detta ska hälso- och sjukvården"
    assert [e.kind for e in report.edits] == ["dehyphenate", "keep-suspended"]
    assert [e.line for e in report.edits] == [1, 2]
