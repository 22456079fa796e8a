"""Estimate how wide an extracted line was on its PDF page, from proportional advance widths."""

from __future__ import annotations

import itertools
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
    return sum(map(table.get, text, itertools.repeat(_DEFAULT_WIDTH, len(text))))


def measure_column(texts: list[str]) -> int:
    """The column width of the page the lines came from: the widest line, ignoring outliers.

    Every printed line is at most the measure wide, so the widest lines tell it; a few may overshoot
    (a long unbreakable word), so the 98th percentile is used. Lines an extractor glued together
    would inflate it: a line that breaks inside a sentence (the next line runs on in lower case) was
    set to about the full measure, so a line wider than 1.4 times those lines' median width is two
    printed lines and is left out.
    """
    widths = sorted(width(t) for t in texts if t)
    if not widths:
        return 0
    # (blank lines are passed over: an export with a blank line after every line wraps the same way)
    mids = sorted(
        width(a)
        for a, b in itertools.pairwise(t for t in texts if t)
        if b[:1].islower() and not a.endswith((".", "!", "?", ":"))
    )
    if len(mids) >= 5:
        limit = 1.4 * mids[len(mids) // 2]
        widths = [w for w in widths if w <= limit] or widths
    return widths[min(len(widths) - 1, int(len(widths) * 0.98))]
