"""Golden files: tests/golden/<case>/input.txt → expected.json (rewrite only with --save-golden)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.convert import normalise_bytes
from pipeline.model import Meta, to_json

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.txt").is_file())


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, save_golden: bool) -> None:
    folder = GOLDEN / case
    doc, _ = normalise_bytes((folder / "input.txt").read_bytes(), folder / "input.txt", Meta(title=case))
    got = to_json(doc)
    expected_path = folder / "expected.json"
    if save_golden:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got == expected, (
        f"{case}: the model differs from expected.json (run pytest --save-golden and review the diff)"
    )
