"""Page furniture by position: running heads and footers repeated across pages, page numbers that count up."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from pipeline.normalise.furniture import NUMBER_RUN
from pipeline.readers.pdf_layout import Page, TextLine

# How many rows at the head and at the foot of a page may hold furniture.
EDGE_ROWS = 2
# Rows within this many points are one row; repeated lines within it stand "in the same place".
SAME_PLACE = 3.0
# A running head or footer repeats on at least two pages and at least this share of the pages.
MIN_SHARE = 1 / 3
PAGE_NUMBER = re.compile(r"^\d{1,4}$")


def edge_rows(page: Page) -> list[list[TextLine]]:
    """The page's rows (lines on one baseline) at its head and foot, head first."""
    rows: list[list[TextLine]] = []
    for line in sorted(page.lines, key=lambda ln: ln.baseline):
        if rows and abs(rows[-1][0].baseline - line.baseline) <= SAME_PLACE:
            rows[-1].append(line)
        else:
            rows.append([line])
    if len(rows) <= 2 * EDGE_ROWS:
        return rows
    return rows[:EDGE_ROWS] + rows[-EDGE_ROWS:]


def find_furniture(pages: list[Page]) -> dict[TextLine, str]:
    """Lines that are page furniture, each with the reason an editor reads in the report.

    Candidates are tagged artifacts, page numbers and text repeated in the same place; a candidate
    stands in the page margin, so no other line of a page with furniture may share its height
    (a heading that happens to open several pages at the same height is not a running head).
    """
    out: dict[TextLine, str] = {}
    for page in pages:
        for line in page.lines:
            if line.artifact:
                out[line] = "tagged as an artifact (page furniture) in the PDF"
    edges = {p.index: [line for row in edge_rows(p) for line in row if line not in out] for p in pages}
    groups = _page_numbers(edges) + _repeated(edges, {p.index: p.height for p in pages if p.lines})
    candidates = {line for lines, _ in groups for line in lines}
    with_furniture = {line.page for line in candidates} | {line.page for line in out}
    others = _Heights(
        ln for p in pages if p.index in with_furniture for ln in p.lines if ln not in candidates and ln not in out
    )
    for lines, reason in groups:
        if not any(others.overlap(line) for line in lines):
            for line in lines:
                out.setdefault(line, reason)
    return out


class _Heights:
    """Lines by the height they stand at (bands of a few points), to ask quickly what shares a height."""

    BAND = 8.0

    def __init__(self, lines: Iterable[TextLine]) -> None:
        self.bands: dict[int, list[TextLine]] = defaultdict(list)
        for line in lines:
            for band in range(int(line.top // self.BAND), int(line.bottom // self.BAND) + 1):
                self.bands[band].append(line)

    def overlap(self, a: TextLine) -> bool:
        for band in range(int(a.top // self.BAND), int(a.bottom // self.BAND) + 1):
            if any(a.top < b.bottom - 1 and b.top < a.bottom - 1 for b in self.bands.get(band, ())):
                return True
        return False


Group = tuple[list[TextLine], str]


def _page_numbers(edges: dict[int, list[TextLine]]) -> list[Group]:
    """Digits alone at a page's head or foot that count up with the pages (or equal the page's number)."""
    candidates = [
        (line, int(line.text) - page) for page, lines in edges.items() for line in lines if PAGE_NUMBER.match(line.text)
    ]
    offsets = Counter(offset for _, offset in candidates)
    out: list[Group] = []
    for line, offset in candidates:
        if offsets[offset] >= 2:
            out.append(([line], f"page number (counts up with the pages, {offsets[offset]} pages)"))
        elif offset == 1:
            out.append(([line], "page number (the page's own number, at its head or foot)"))
    return out


def _repeated(edges: dict[int, list[TextLine]], heights: dict[int, float]) -> list[Group]:
    """The same text (numbers aside) in the same place at the head or foot of several pages."""
    groups: dict[str, list[TextLine]] = defaultdict(list)
    for lines in edges.values():
        for line in lines:
            groups[NUMBER_RUN.sub("#", line.text)].append(line)
    out: list[Group] = []
    for text, lines in groups.items():
        for place in _places(lines):
            on = sorted({line.page for line in place})
            if len(on) < 2 or len(on) < MIN_SHARE * len(heights):
                continue
            kind = "running head" if place[0].baseline < 0.5 * heights[place[0].page] else "running footer"
            span = f"{on[0] + 1}–{on[-1] + 1}" if len(on) > 2 else " and ".join(str(p + 1) for p in on)
            out.append((place, f"{kind} {text!r} on pages {span}"))
    return out


def _places(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines of one text grouped by their height on the page."""
    places: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda ln: ln.baseline):
        if places and line.baseline - places[-1][-1].baseline <= SAME_PLACE:
            places[-1].append(line)
        else:
            places.append([line])
    return places
