"""Estimate how wide an extracted line was on its PDF page, from proportional advance widths."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

_DEFAULT_WIDTH = 500  # thousandths of an em, for characters the table lacks


@cache
def _widths() -> dict[str, int]:
    data = resources.files("pipeline").joinpath("data/advance_widths.json").read_text("utf-8")
    table: dict[str, int] = json.loads(data)
    return table


def width(text: str) -> int:
    """The line's width in thousandths of an em, as set in a sans serif."""
    table = _widths()
    return sum(table.get(ch, _DEFAULT_WIDTH) for ch in text)


def measure_column(texts: list[str]) -> int:
    """The column width of the page the lines came from: the widest line, ignoring outliers.

    The widest line comes from text set to the full measure; a few lines may
    overshoot it (a long unbreakable word), so the 98th percentile is used.
    """
    widths = sorted(width(t) for t in texts if t)
    if not widths:
        return 0
    return widths[min(len(widths) - 1, int(len(widths) * 0.98))]
