"""Front and back matter of a laid-out PDF: the title, cover and title pages, contents pages, back cover."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.normalise.furniture import CONTENTS_ENTRY, CONTENTS_MATCH_SHARE
from pipeline.normalise.segment import squeeze
from pipeline.readers.pdf_furniture import edge_rows
from pipeline.readers.pdf_layout import Page, TextLine

# A contents page has at least this many entries (CONTENTS_ENTRY), most of whose labels begin later lines.
CONTENTS_MIN_ENTRIES = 2
# Page numbers in a contents page lie within the document (a printed number may run ahead of the file's).
CONTENTS_PAGE_SLACK = 20


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _key(text: str) -> str:
    """Text to match a contents entry against a heading however either wrapped."""
    return squeeze(text).casefold()


def _line_starts(lines: list[TextLine]) -> list[str]:
    """For each line, its text run on with the next two (a long heading wraps), as a matching key."""
    return [_key(" ".join(ln.text for ln in lines[i : i + 3])) for i in range(len(lines))]


def title_lines(pages: list[Page], dropped: dict[TextLine, str]) -> list[TextLine]:
    """The title: the largest text on the first page that has text (its consecutive lines of that size)."""
    for page in pages:
        lines = [ln for ln in page.lines if ln not in dropped]
        if not lines:
            continue
        size = max(ln.size for ln in lines)
        start = next(i for i, ln in enumerate(lines) if ln.size == size)
        end = start
        while end + 1 < len(lines) and lines[end + 1].size == size:
            end += 1
        return lines[start : end + 1]
    return []


def contents_pages(pages: list[Page], dropped: dict[TextLine, str]) -> dict[TextLine, str]:
    """Contents pages: most lines end in page numbers (rising, within the document) and name later
    lines (headings, run-in leads); dropped from the page's top to the last entry. A page after a
    contents page whose first lines are entries continues it.

    The lines are read one by one, and when that finds no contents, row by row: page numbers set at
    the right margin with no leader characters between (a drawn leader, or none) stand apart from
    their labels, as lines of their own or as a column of their own.
    """
    out: dict[TextLine, str] = {}
    later_texts = [_line_starts([ln for ln in p.lines if ln not in dropped]) for p in pages]
    previous = False
    for page in pages:
        lines = [ln for ln in page.lines if ln not in dropped]
        after = [t for texts in later_texts[page.index + 1 :] for t in texts]
        found = None
        for groups in ([[ln] for ln in lines], _rows(lines)):
            found = _contents(groups, after, previous, len(pages))
            if found is not None:
                break
        previous = found is not None
        if found is None:
            continue
        groups, last, note = found
        for group in groups[: last + 1]:
            for ln in group:
                out[ln] = f"contents page {page.index + 1}: {note}"
    return out


def _rows(lines: list[TextLine]) -> list[list[TextLine]]:
    """The lines of a page grouped by baseline (across columns), top to bottom, each row left to right."""
    rows: list[list[TextLine]] = []
    for ln in sorted(lines, key=lambda ln: ln.baseline):
        if rows and abs(ln.baseline - rows[-1][0].baseline) <= max(1.0, 0.2 * ln.size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _contents(
    groups: list[list[TextLine]], after: list[str], previous: bool, page_count: int
) -> tuple[list[list[TextLine]], int, str] | None:
    """Is this page (its lines, or its rows) a contents page? Its groups, the index of the last entry,
    and a note; None when it is not.
    """
    texts = [" ".join(ln.text for ln in group) for group in groups]
    entries = [(i, m) for i, text in enumerate(texts) if (m := CONTENTS_ENTRY.match(text))]
    numbers = [int(m.group("page")) for _, m in entries]
    continues = previous and bool(entries) and entries[0][0] == 0
    if (
        not entries
        or (len(entries) < CONTENTS_MIN_ENTRIES and not continues)
        or (len(entries) < CONTENTS_MATCH_SHARE * len(groups) and not continues)
        or numbers != sorted(numbers)
        or numbers[-1] > page_count + CONTENTS_PAGE_SLACK
    ):
        return None
    found = sum(1 for _, m in entries if any(t.startswith(_key(m.group("label"))) for t in after))
    if found < CONTENTS_MATCH_SHARE * len(entries) or (found < CONTENTS_MIN_ENTRIES and not continues):
        return None
    return groups, entries[-1][0], f"{found} of {len(entries)} entries name later headings"


def cover_pages(
    pages: list[Page], dropped: dict[TextLine, str], title: list[TextLine], is_body: Callable[[TextLine], bool]
) -> dict[TextLine, str]:
    """Cover, title page and colophon at the front, back cover at the end: pages with no text in the body
    style that show the title (the first page, which holds it, and any page repeating it).
    """
    title_text = _key(" ".join(ln.text for ln in title))
    keep = set(title)

    def display(page: Page) -> bool:
        lines = [ln for ln in page.lines if ln not in dropped]
        return bool(lines) and not any(is_body(ln) for ln in lines)

    def shows_title(page: Page) -> bool:
        text = _key(" ".join(ln.text for ln in page.lines if ln not in dropped))
        return bool(title_text) and title_text in text

    with_text = [p for p in pages if any(ln not in dropped for ln in p.lines)]
    front: list[Page] = []
    for page in with_text:
        if not display(page):
            break
        front.append(page)
    while front and not shows_title(front[-1]):
        front.pop()
    back: list[Page] = []
    for page in reversed(with_text[len(front) :]):
        if not display(page):
            break
        back.append(page)
    while back and not shows_title(back[-1]):
        back.pop()
    out: dict[TextLine, str] = {}
    for matter, kind in ((front, "cover or title page"), (back, "back cover")):
        for page in matter:
            note = f"{kind} (page {page.index + 1}: no text in the body style, shows the title)"
            for ln in page.lines:
                if ln not in dropped and ln not in keep:
                    out[ln] = note
    return out


def title_heads(pages: list[Page], dropped: dict[TextLine, str], title: list[TextLine]) -> dict[TextLine, str]:
    """A line at a page's head or foot, smaller than the title, that repeats it: a running head."""
    title_text = _norm(" ".join(ln.text for ln in title))
    if not title:
        return {}
    size = min(ln.size for ln in title)
    out: dict[TextLine, str] = {}
    for page in pages:
        for row in edge_rows(page):
            for ln in row:
                if ln not in dropped and ln not in title and ln.size < size and _norm(ln.text) == title_text:
                    out[ln] = f"running head repeating the title (page {page.index + 1})"
    return out
