"""Typographic defects of a tagged PDF, counted and located from the PDF alone (no model needed).

``measure(path)`` rebuilds the lines (pipeline/preflight/pdf_lines.py) and returns a
``TypographyReport``: counts, shares and, for every finding, where it is (page, the line as set,
and the paragraph: its index among the structure tree's text blocks and its first words).
``shortfalls(report, targets)`` says which targets a report misses; ``check(path, targets)`` is
``pipeline check``'s row, a warning when a target is missed (a failure with ``--strict``). A
layout pass can call ``measure`` on its first layout, adjust only the paragraphs named
(``report.paragraphs()``: findings by paragraph index; index N is the N-th ``p``, ``h1``–``h6``
or ``li`` element of the HTML that was laid out) and measure again.

Definitions (body text only: the blocks inside ``main``, see pdf_lines.py; "paragraph" means a
``P`` or ``LI`` block, "heading" an ``H1``–``H6``):

- **Line-end hyphen**: a paragraph line (not its last) whose last glyph is a hyphen. WeasyPrint
  draws its automatic hyphen (U+2010) and a hyphen the text has with one glyph, so the PDF cannot
  say which it is; the pipeline's own de-hyphenation rule (pipeline/normalise/dehyphenate.py:
  suspended compounds, acronyms and numbers, the Swedish dictionary, pyphen) tells an automatic
  break (``auto``) from a hyphen the text has (``hard``, "IT-" + "projekt") and a suspended
  compound (``suspended``, "hälso-" + "och"). Every kind counts for the share of hyphenated
  line ends and for runs, since each is a hyphen at the line's end on the page.
- **Hyphenated line ends** (share): line-end hyphens ÷ paragraph lines.
- **Hyphen run**: 3 or more consecutive line-end hyphens in a paragraph (one finding per run,
  at its first line; ``measure`` is its length).
- **Hyphen across a page turn**: a paragraph's ``auto`` line-end hyphen on the last line it has on
  a page, the word's end on a later page. A hard hyphen or a suspended compound is not a broken
  word. ``note`` says "turns the leaf" when the break is on an odd (right-hand) page.
- **Loose line**: a line of a justified paragraph (not its last) whose word spaces average more
  than 1.6 × the space glyph's own width at its size. A paragraph is justified when every one of
  its non-last lines holding a word space ends at the text edge of its page's hand (within 1 pt of
  the right end that at least half of such lines on left-hand, or right-hand, pages share); ragged
  text is left out. Share: loose lines ÷ justified lines; ``worst_loose`` is the largest ratio.
- **Runt**: a paragraph of two or more lines whose last line is one word that is either the end
  of a word broken at the line before ("ras.", "sonal.") or has at most 4 letters ("vård.").
- **Widow**: a paragraph's last line alone at the top of a page (the rest on earlier pages).
  **Orphan**: a paragraph's first line alone at the foot of a page (the rest on later pages).
  A page-split paragraph is one ``P`` once pipeline/render/tagging.py has joined it.
- **Stranded heading**: a heading whose next body block starts on a later page, so it is the
  last body content of its page.
- **Near-empty page**: a page whose body holds 1 to 3 lines (headings and paragraphs). Pages
  with no body line — the cover, title page, contents, blank or notes pages and back cover,
  which stand outside ``main`` — are deliberate and never counted.

Measured on the seeds before any layout pass (README.md, "Typographic counts"): the longer seed's
brochure has 3 page-turn hyphens, 35 % loose lines (worst 2.9×), 23 % hyphenated line ends, 3
runts and 1 near-empty page, its large print 1 near-empty page; the shorter seed's brochure 34 %
loose lines (worst 2.4×) and 22 % hyphenated line ends, its large print nothing.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import msgspec

from pipeline.preflight import FAILED, PASSED, WARNING, Outcome
from pipeline.preflight.pdf_lines import Block, Layout, Line, read_layout

HYPHENS = frozenset("-\u2010")  # the text's hyphen and WeasyPrint's automatic hyphen (one glyph in the fonts)
LOOSE_RATIO = 1.6  # a word space wider than this × the font's space is loose
EDGE_TOLERANCE = 1.0  # points: a justified line ends this close to the text edge (kerning, rounding)
RUN_LENGTH = 3  # consecutive hyphenated line ends that make a run
RUNT_MAX_LETTERS = 4
NEAR_EMPTY_MAX_LINES = 3
PARAGRAPH_TAGS = frozenset({"P", "LI"})

# Finding kinds, in the order they are reported.
PAGE_TURN_HYPHEN = "page-turn hyphen"
LOOSE_LINE = "loose line"
HYPHEN_RUN = "hyphen run"
RUNT = "runt"
WIDOW = "widow"
ORPHAN = "orphan"
STRANDED_HEADING = "stranded heading"
NEAR_EMPTY_PAGE = "near-empty page"
HYPHEN_END = "line-end hyphen"  # not a defect in itself: the share is judged, each is listed for a layout pass
DEFECTS = (PAGE_TURN_HYPHEN, LOOSE_LINE, HYPHEN_RUN, RUNT, WIDOW, ORPHAN, STRANDED_HEADING, NEAR_EMPTY_PAGE)


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    """One finding and where it is."""

    kind: str  # one of DEFECTS, or HYPHEN_END
    page: int  # 1-based
    line: str  # the line as set
    # The block's index among the structure tree's P, H1–H6 and LI elements in reading order, which is
    # its element's index among the p, h1–h6 and li of the HTML WeasyPrint laid out (tested on the seeds).
    paragraph: int
    paragraph_tag: str  # "P", "LI", "H2", …
    paragraph_start: str  # the block's first words
    measure: float = 0.0  # loose line: its word space ÷ normal; hyphen run: its length
    note: str = ""  # hyphen kind (auto, hard, suspended), "turns the leaf", …


class TypographyReport(msgspec.Struct, frozen=True, kw_only=True):
    pages: int
    paragraph_lines: int  # body paragraph lines (the share of hyphenated ends is of these)
    justified_lines: int  # non-last lines of justified paragraphs (the share of loose lines is of these)
    hyphenated_lines: int
    loose_share: float
    worst_loose: float
    hyphenated_share: float
    findings: list[Finding]

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def counts(self) -> dict[str, float]:
        """Every defect's count and the two shares (fractions), for a table or a target."""
        out: dict[str, float] = {kind: self.count(kind) for kind in DEFECTS if kind != LOOSE_LINE}
        out["loose lines"] = round(self.loose_share, 4)
        out["worst loose"] = round(self.worst_loose, 2)
        out["hyphenated ends"] = round(self.hyphenated_share, 4)
        return out

    def paragraphs(self) -> dict[int, list[Finding]]:
        """Findings by paragraph index (page findings under the page's first block), for a layout pass."""
        out: dict[int, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.paragraph, []).append(f)
        return out


class Targets(msgspec.Struct, frozen=True):
    """The most a layout may show: a count per defect kind, and the two shares (None: not judged)."""

    counts: dict[str, int]
    loose_share: float | None = None
    hyphenated_share: float | None = None


BROCHURE_TARGETS = Targets({kind: 0 for kind in DEFECTS if kind != LOOSE_LINE}, loose_share=0.15, hyphenated_share=0.18)
# Large print is ragged and unhyphenated: the loose and hyphen counters do not apply.
LARGE_PRINT_TARGETS = Targets({NEAR_EMPTY_PAGE: 0, STRANDED_HEADING: 0})


def judged(report: TypographyReport, targets: Targets) -> list[tuple[str, bool]]:
    """Each figure a target judges, with its target, and whether it meets it: ("runt 3 (target 0)", False)."""
    out = [
        (f"{kind} {report.count(kind)} (target {most})", report.count(kind) <= most)
        for kind, most in targets.counts.items()
    ]
    if targets.loose_share is not None:
        figure = f"loose lines {report.loose_share:.0%}, worst {report.worst_loose:.1f}×"
        out.append((f"{figure} (target ≤ {targets.loose_share:.0%})", report.loose_share <= targets.loose_share))
    if targets.hyphenated_share is not None:
        figure = f"hyphenated line ends {report.hyphenated_share:.0%}"
        out.append(
            (f"{figure} (target ≤ {targets.hyphenated_share:.0%})", report.hyphenated_share <= targets.hyphenated_share)
        )
    return out


def shortfalls(report: TypographyReport, targets: Targets) -> list[str]:
    """The targets the report misses; empty when it meets them all."""
    return [figure for figure, met in judged(report, targets) if not met]


def check(path: Path, targets: Targets) -> Outcome:
    """``pipeline check``'s "typography" row: passed, or a warning naming the targets missed (data: the report)."""
    report = measure(path)
    if not report.paragraph_lines:
        return Outcome("typography", FAILED, "no tagged body text to measure (structure tree with P or LI elements)")
    figures = judged(report, targets)
    missed = [figure for figure, met in figures if not met]
    met = ", ".join(figure.split(" (")[0] for figure, ok in figures if ok)
    data = {"counts": report.counts(), "missed": missed, **msgspec.to_builtins(report)}
    if not missed:
        return Outcome("typography", PASSED, f"meets every target: {met}", data)
    detail = f"misses {'; '.join(missed)}" + (f"; meets {met}" if met else "") + " (a warning; --strict fails it)"
    return Outcome("typography", WARNING, detail, data)


def hyphen_kind(line: Line, following: Line) -> str:
    """ "auto", "hard" or "suspended" for a line ending in a hyphen; "" for any other line."""
    from pipeline.normalise.dehyphenate import decide

    text = line.text
    if not text or text[-1] not in HYPHENS:
        return ""
    left = text.split()[-1][:-1] + "-"
    words = following.text.split()
    if len(left) < 2 or not words:
        return "hard"
    decision = decide(left, words[0], words[1] if len(words) > 1 else "")
    return {"dehyphenate": "auto", "keep-suspended": "suspended"}.get(decision.kind, "hard")


def opening(block: Block, count: int = 6) -> str:
    """The block's first ``count`` words, a word broken at a line end joined again ("sjukvårdsförvaltningarna")."""
    text = ""
    head = block.lines[: count + 1]
    for line, following in itertools.pairwise(head):
        if len(text.split()) > count:
            break
        kind = hyphen_kind(line, following)
        text += line.text[:-1] if kind == "auto" else line.text if kind == "hard" else line.text + " "
    else:
        text += head[-1].text if head else ""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _finding(kind: str, line: Line, block: Block, measure: float = 0.0, note: str = "") -> Finding:
    return Finding(
        kind=kind,
        page=line.page,
        line=line.text,
        paragraph=block.index,
        paragraph_tag=block.tag,
        paragraph_start=opening(block),
        measure=round(measure, 3),
        note=note,
    )


def _text_edges(paragraphs: list[Block]) -> dict[int, float]:
    """The text edge of left-hand (0) and right-hand (1) pages: the right end most paragraph lines share.

    Pages of one hand share their margins, so a short page is judged by the edge of its hand; an
    overfull line does not move it. In justified text nearly every line with a word space ends
    there; ragged lines end together only by chance, so a hand where fewer than half of those
    lines (or fewer than two) share a right end has no edge.
    """
    ends: dict[int, list[float]] = {}
    for block in paragraphs:
        for line in block.lines[:-1]:
            if line.word_space_ratios:  # a line with no word space cannot be stretched to the edge
                ends.setdefault(line.page % 2, []).append(line.right)
    edges = {}
    for hand, rights in ends.items():
        shared = {r: sum(abs(r - other) <= EDGE_TOLERANCE for other in rights) for r in rights}
        edge = max(rights, key=lambda r: (shared[r], r))
        if shared[edge] >= max(2, len(rights) / 2):
            edges[hand] = edge
    return edges


def _justified(block: Block, edges: dict[int, float]) -> bool:
    spaced = [ln for ln in block.lines[:-1] if ln.word_space_ratios]
    return bool(spaced) and all(abs(ln.right - edges.get(ln.page % 2, -1.0)) <= EDGE_TOLERANCE for ln in spaced)


def _letters(word: str) -> int:
    return sum(c.isalpha() for c in word)


class _Tally:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.justified = self.hyphenated = 0
        self.ratios: list[float] = []


def _paragraph(block: Block, edges: dict[int, float], tally: _Tally) -> None:
    """A paragraph's line-end hyphens, runs, page-turn breaks, loose lines, runt, widow and orphan."""
    lines = block.lines
    kinds = [hyphen_kind(a, b) for a, b in itertools.pairwise(lines)] + [""]
    for line, kind, nxt in zip(lines, kinds, [*lines[1:], None], strict=True):
        if kind:
            tally.hyphenated += 1
            tally.findings.append(_finding(HYPHEN_END, line, block, note=kind))
        if kind == "auto" and nxt is not None and nxt.page != line.page:
            leaf = "turns the leaf" if line.page % 2 else "across the spread"
            tally.findings.append(_finding(PAGE_TURN_HYPHEN, line, block, note=leaf))
    start = 0
    for hyphenated, group in itertools.groupby(kinds, key=bool):
        length = len(list(group))
        if hyphenated and length >= RUN_LENGTH:
            tally.findings.append(_finding(HYPHEN_RUN, lines[start], block, measure=length))
        start += length
    if _justified(block, edges):
        for line in lines[:-1]:
            ratios = line.word_space_ratios
            if not ratios:
                continue
            ratio = sum(ratios) / len(ratios)
            tally.justified += 1
            tally.ratios.append(ratio)
            if ratio > LOOSE_RATIO:
                tally.findings.append(_finding(LOOSE_LINE, line, block, measure=ratio))
    if len(lines) < 2:
        return
    last_words = lines[-1].text.split()
    if len(last_words) == 1 and (kinds[-2] in ("auto", "hard") or _letters(last_words[0]) <= RUNT_MAX_LETTERS):
        tally.findings.append(_finding(RUNT, lines[-1], block, note="word end" if kinds[-2] else "short word"))
    if lines[0].page != lines[-1].page:
        if sum(ln.page == lines[0].page for ln in lines) == 1:
            tally.findings.append(_finding(ORPHAN, lines[0], block))
        if sum(ln.page == lines[-1].page for ln in lines) == 1:
            tally.findings.append(_finding(WIDOW, lines[-1], block))


def _pages(layout: Layout, tally: _Tally) -> None:
    """Stranded headings and near-empty pages."""
    body = [b for b in layout.blocks if b.body and b.lines]
    for block, nxt in itertools.pairwise(body):
        if block.heading and nxt.lines[0].page > block.lines[-1].page:
            tally.findings.append(_finding(STRANDED_HEADING, block.lines[-1], block))
    for page in range(1, layout.pages + 1):
        lines = layout.body_lines(page)
        if 0 < len(lines) <= NEAR_EMPTY_MAX_LINES:
            first = lines[0]
            note = f"{len(lines)} line{'s' if len(lines) > 1 else ''}"
            tally.findings.append(_finding(NEAR_EMPTY_PAGE, first, layout.blocks[first.block], len(lines), note))


def analyse(layout: Layout) -> TypographyReport:
    """The report for lines already read (``measure`` reads them from a file)."""
    tally = _Tally()
    paragraphs = [b for b in layout.blocks if b.body and b.tag in PARAGRAPH_TAGS and b.lines]
    edges = _text_edges(paragraphs)
    for block in paragraphs:
        _paragraph(block, edges, tally)
    _pages(layout, tally)
    order = {kind: i for i, kind in enumerate((*DEFECTS, HYPHEN_END))}
    findings = sorted(tally.findings, key=lambda f: (order[f.kind], f.page, f.paragraph))
    paragraph_lines = sum(len(b.lines) for b in paragraphs)
    loose = sum(1 for f in findings if f.kind == LOOSE_LINE)
    return TypographyReport(
        pages=layout.pages,
        paragraph_lines=paragraph_lines,
        justified_lines=tally.justified,
        hyphenated_lines=tally.hyphenated,
        loose_share=loose / tally.justified if tally.justified else 0.0,
        worst_loose=round(max(tally.ratios, default=0.0), 3),
        hyphenated_share=tally.hyphenated / paragraph_lines if paragraph_lines else 0.0,
        findings=findings,
    )


def measure(path: Path) -> TypographyReport:
    """Read a tagged PDF and count its typographic defects."""
    return analyse(read_layout(path))
