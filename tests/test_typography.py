"""Swedish typography rules, read from tests/cases/typography.tsv (input → expected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.normalise.chars import NO_BREAK_SPACE
from pipeline.normalise.typography import apply_rules

CASES = [
    tuple(part.replace("{NBSP}", NO_BREAK_SPACE) for part in line.split("\t")[:2])
    for line in (Path(__file__).parent / "cases/typography.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("given", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_table(given: str, expected: str) -> None:
    assert apply_rules(given) == expected


@pytest.mark.parametrize(("given", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rules_are_idempotent(given: str, expected: str) -> None:
    assert apply_rules(expected) == expected
