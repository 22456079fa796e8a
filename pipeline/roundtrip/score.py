"""Score a normalised model against the known model it was typeset from: words, headings, block boundaries.

Three independent measures, each with the counts behind it:

- **words**: the folded words of both models (``wordcheck.fold``, so quote and dash glyphs do not
  count) aligned with ``difflib``. A truth word without a counterpart is *lost*, a model word
  without one is *invented*; a word that is both lost in one place and invented in another is
  *reordered* (moved, not lost) and counted only there. A replaced pair whose two sides are equal
  once hyphens are removed and the words joined (``vårdtyngdsmätningar`` against ``vård-
  tyngdsmätningar`` or ``vård-tyngdsmätningar``, ``IT-projekt`` against ``ITprojekt``) is a
  *dehyphenation error*, neither lost nor invented. A perfect file has all four at zero.
- **the extractor's damage**: given the extracted text itself, its words are aligned with the
  truth the same way. A truth word the extraction does not hold (missing, moved elsewhere, or
  fused or split so that no line-end join restores it: ``0978123`` for ``0978-123``) cannot be
  the normaliser's fault: where the model lacks it too it counts as *extractor*, not as lost (or
  as a dehyphenation error), and the model's words that are its moved copy or its broken pieces
  are not counted as invented, nor is a token that runs several of them together
  ("MångaungasägerattdetintefinnsnågotattgöraiSjöholmefterklockan", as the extraction has it).
  Words the extraction adds (furniture) stay the normaliser's.
- **headings**: the title (level 0), the headings (their level) and the leads of run-in leads
  (their level), matched one to one, in order, by folded text; precision, recall and F1 by text,
  the share of matched headings with the right level, and a strict F1 that needs text and level.
- **block boundaries**: the word position where each block, and each list item, starts (the
  document's start aside: every model has it). The model's boundaries are carried into truth
  positions through the word alignment; one that falls on an unmatched word is a false boundary.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from difflib import SequenceMatcher

from pipeline.model import Document, Heading, ListBlock, RunInLead, Title, block_words, plain
from pipeline.normalise.wordcheck import fold

# Hyphen-like characters a join may have kept or an extractor produced (fold already maps – and —).
HYPHENS = str.maketrans("", "", "-\u00ad\u2010\u2011")
# How far ahead in an unmatched stretch to look for a dehyphenation pair (stretches are usually short).
PAIR_WINDOW = 40


@dataclass(frozen=True)
class Score:
    """The counts of one comparison (or of several summed) and the figures drawn from them."""

    truth_words: int = 0
    got_words: int = 0
    lost: int = 0
    invented: int = 0
    reordered: int = 0
    dehyphenation_errors: int = 0
    extractor: int = 0  # truth words the extraction itself lost, moved or damaged (and the model lacks)
    truth_headings: int = 0
    got_headings: int = 0
    headings_found: int = 0  # matched by text
    headings_level_ok: int = 0  # of those, with the truth's level
    headings_strict: int = 0  # matched by text and level
    truth_boundaries: int = 0
    got_boundaries: int = 0
    boundaries_found: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def words_kept(self) -> bool:
        """No truth word lost or damaged by a wrong (de)hyphenation (moved and invented words aside)."""
        return self.lost == 0 and self.dehyphenation_errors == 0

    @property
    def words_exact(self) -> bool:
        return self.words_kept and self.invented == 0 and self.reordered == 0

    @property
    def extraction_whole(self) -> bool:
        """The extraction held every truth word (or the model has them all the same)."""
        return self.extractor == 0

    @property
    def heading_precision(self) -> float:
        return _ratio(self.headings_found, self.got_headings)

    @property
    def heading_recall(self) -> float:
        return _ratio(self.headings_found, self.truth_headings)

    @property
    def heading_f1(self) -> float:
        return _f1(self.headings_found, self.truth_headings, self.got_headings)

    @property
    def level_ok(self) -> float:
        """The share of headings found by text that also have the truth's level."""
        return _ratio(self.headings_level_ok, self.headings_found)

    @property
    def strict_heading_f1(self) -> float:
        return _f1(self.headings_strict, self.truth_headings, self.got_headings)

    @property
    def boundary_precision(self) -> float:
        return _ratio(self.boundaries_found, self.got_boundaries)

    @property
    def boundary_recall(self) -> float:
        return _ratio(self.boundaries_found, self.truth_boundaries)

    @property
    def boundary_f1(self) -> float:
        return _f1(self.boundaries_found, self.truth_boundaries, self.got_boundaries)


def _ratio(part: int, whole: int) -> float:
    """A share; of nothing, 1.0 (no claim made, none wrong)."""
    return part / whole if whole else 1.0


def _f1(found: int, truth: int, got: int) -> float:
    if truth == 0 and got == 0:
        return 1.0
    return 2 * found / (truth + got)


@dataclass(frozen=True)
class Summary:
    """Totals over several files: summed counts and the mean of each file's figures.

    A file the normaliser refused (``failures``) counts in the means with figures of zero.
    """

    files: int
    failures: int
    words_kept_files: int
    words_exact_files: int
    extraction_damaged_files: int
    total: Score
    mean_heading_f1: float
    mean_level_ok: float
    mean_strict_heading_f1: float
    mean_boundary_f1: float


def summarise(scores: Iterable[Score], failures: int = 0) -> Summary:
    scores = list(scores)
    n = len(scores) + failures

    def mean(values: Iterable[float]) -> float:
        return sum(values) / n if n else 1.0

    total = sum(scores, Score())
    return Summary(
        files=n,
        failures=failures,
        words_kept_files=sum(s.words_kept for s in scores),
        words_exact_files=sum(s.words_exact for s in scores),
        extraction_damaged_files=sum(not s.extraction_whole for s in scores),
        total=total,
        mean_heading_f1=mean(s.heading_f1 for s in scores),
        mean_level_ok=mean(s.level_ok for s in scores),
        mean_strict_heading_f1=mean(s.strict_heading_f1 for s in scores),
        mean_boundary_f1=mean(s.boundary_f1 for s in scores),
    )


# --- the comparison, with its details -------------------------------------------------------------


@dataclass(frozen=True)
class Stretch:
    """Words that differ: truth[truth_at : truth_at + len(truth)] against got[got_at : ...]."""

    truth_at: int
    got_at: int
    truth: tuple[str, ...]
    got: tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """A comparison's score and what lies behind it, for a developer to read."""

    score: Score
    truth_words: tuple[str, ...]
    got_words: tuple[str, ...]
    stretches: tuple[Stretch, ...]  # every unmatched stretch, as the alignment found it
    dehyphenated: tuple[tuple[str, str], ...]  # (truth, got) pairs
    reordered: tuple[str, ...]
    extractor: tuple[str, ...]  # truth words the extraction itself lacks, moved or damaged
    missed_headings: tuple[tuple[int, str], ...]  # (level, text) of the truth not found by text
    false_headings: tuple[tuple[int, str], ...]  # (level, text) of the model not in the truth
    wrong_levels: tuple[tuple[str, int, int], ...]  # (text, truth level, model level)
    missed_boundaries: tuple[int, ...]  # truth word positions
    false_boundaries: tuple[int, ...]  # model word positions


def score(truth: Document, got: Document, extracted: str | None = None) -> Score:
    return analyse(truth, got, extracted).score


def analyse(truth: Document, got: Document, extracted: str | None = None) -> Analysis:
    """Compare ``got`` with ``truth``; given the ``extracted`` text the model was made from, the
    words that text already lacked are the extractor's, not the model's (see the module's doc)."""
    t_words, t_starts = _words_and_starts(truth)
    g_words, g_starts = _words_and_starts(got)
    words = _align_words(t_words, g_words)
    if extracted is not None:
        _blame_extractor(words, t_words, g_words, _damaged_by_extraction(t_words, fold(extracted.split())))
    t_heads, g_heads = headings(truth), headings(got)
    found = _match([text for _, text in t_heads], [text for _, text in g_heads])
    strict = _match([(lv, text) for lv, text in t_heads], [(lv, text) for lv, text in g_heads])
    level_ok = [(i, j) for i, j in found if t_heads[i][0] == g_heads[j][0]]
    mapped = {j: words.got_to_truth[j] for j in g_starts if j in words.got_to_truth}
    hits = {j for j, i in mapped.items() if i in t_starts}
    result = Score(
        truth_words=len(t_words),
        got_words=len(g_words),
        lost=len(words.lost) - len(words.reordered),
        invented=len(words.invented) - len(words.reordered),
        reordered=len(words.reordered),
        dehyphenation_errors=len(words.dehyphenated),
        extractor=len(words.extractor),
        truth_headings=len(t_heads),
        got_headings=len(g_heads),
        headings_found=len(found),
        headings_level_ok=len(level_ok),
        headings_strict=len(strict),
        truth_boundaries=len(t_starts),
        got_boundaries=len(g_starts),
        boundaries_found=len(hits),
    )
    found_t, found_g = {i for i, _ in found}, {j for _, j in found}
    return Analysis(
        score=result,
        truth_words=tuple(t_words),
        got_words=tuple(g_words),
        stretches=tuple(words.stretches),
        dehyphenated=tuple(words.dehyphenated),
        reordered=tuple(words.reordered),
        extractor=tuple(words.extractor),
        missed_headings=tuple(h for i, h in enumerate(t_heads) if i not in found_t),
        false_headings=tuple(h for j, h in enumerate(g_heads) if j not in found_g),
        wrong_levels=tuple((t_heads[i][1], t_heads[i][0], g_heads[j][0]) for i, j in found if (i, j) not in level_ok),
        missed_boundaries=tuple(sorted(t_starts - {mapped[j] for j in hits})),
        false_boundaries=tuple(sorted(set(g_starts) - hits)),
    )


# --- words ---------------------------------------------------------------------------------------


def _words_and_starts(doc: Document) -> tuple[list[str], set[int]]:
    """The folded words, and the positions where a block or a list item starts (0 aside)."""
    words: list[str] = []
    starts: set[int] = set()
    for block in doc.blocks:
        if isinstance(block, ListBlock):
            units = [plain(item).split() for _depth, item in block.entries()]
        else:
            units = [block_words(block)]
        for unit in units:
            starts.add(len(words))
            words.extend(fold(unit))
    starts.discard(0)
    starts.discard(len(words))  # an empty last block starts nothing
    return words, starts


@dataclass
class _Words:
    got_to_truth: dict[int, int]
    lost_at: list[int]  # truth positions without a counterpart
    invented_at: list[int]  # model positions without one
    dehyphenated_at: list[tuple[int, int, int, int]]  # (truth at, truth words, model at, model words)
    stretches: list[Stretch]
    t: list[str]
    g: list[str]
    reordered: list[str] = field(default_factory=list)
    extractor: list[str] = field(default_factory=list)

    @property
    def lost(self) -> list[str]:
        return [self.t[i] for i in self.lost_at]

    @property
    def invented(self) -> list[str]:
        return [self.g[j] for j in self.invented_at]

    @property
    def dehyphenated(self) -> list[tuple[str, str]]:
        return [(" ".join(self.t[i : i + n]), " ".join(self.g[j : j + m])) for i, n, j, m in self.dehyphenated_at]

    def find_reordered(self) -> None:
        """A word both lost in one place and invented in another was moved (counted once, as such)."""
        both = Counter(self.lost) & Counter(self.invented)
        self.reordered = sorted(both.elements())


def _align_words(t: list[str], g: list[str]) -> _Words:
    out = _Words({}, [], [], [], [], t, g)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, t, g, autojunk=False).get_opcodes():
        if op == "equal":
            out.got_to_truth.update(zip(range(j1, j2), range(i1, i2), strict=True))
            continue
        out.stretches.append(Stretch(i1, j1, tuple(t[i1:i2]), tuple(g[j1:j2])))
        _pair_up(t, g, (i1, i2), (j1, j2), out)
    out.find_reordered()
    return out


def _restorable(truth: list[str], pieces: list[str]) -> bool:
    """Can joining the extraction's ``pieces`` give the truth's words (a line-end hyphen kept or removed)?"""
    want = "".join(truth)
    kept = "".join(pieces)
    removed = "".join(p.rstrip("-\u00ad\u2010") for p in pieces[:-1]) + pieces[-1]
    return want in (kept, removed)


def _damaged_by_extraction(t: list[str], extracted: list[str]) -> set[int]:
    """Truth positions the extracted words do not hold in order: missing, moved, or fused or split
    beyond what a line-end join restores (the extraction's own furniture is left aside)."""
    words = _align_words(t, extracted)
    damaged = set(words.lost_at)
    for i, n, j, m in words.dehyphenated_at:
        if not _restorable(t[i : i + n], extracted[j : j + m]):
            damaged.update(range(i, i + n))
    return damaged


def _blame_extractor(words: _Words, t: list[str], g: list[str], damaged: set[int]) -> None:
    """Move what the extraction already lacked from the model's lost, dehyphenated and invented words
    to ``extractor``: the truth words, their moved copies, and the pieces of a word it broke apart
    ("kon-" / "takt@…" for "kontakt@…")."""
    if not damaged:
        return
    blamed = [i for i in words.lost_at if i in damaged]
    blamed += [k for i, n, _, _ in words.dehyphenated_at if damaged & set(range(i, i + n)) for k in range(i, i + n)]
    words.dehyphenated_at = [d for d in words.dehyphenated_at if not damaged & set(range(d[0], d[0] + d[1]))]
    words.lost_at = [i for i in words.lost_at if i not in damaged]
    moved = Counter(t[i] for i in blamed)
    # a broken word's pieces stand in the stretch where the word is missing
    stretch_of = {j: k for k, st in enumerate(words.stretches) for j in range(st.got_at, st.got_at + len(st.got))}
    wholes: dict[int, set[str]] = defaultdict(set)
    fused: dict[int, str] = defaultdict(str)  # a stretch's blamed words run together: what a fusing extractor leaves
    for k, st in enumerate(words.stretches):
        inside = [t[i].translate(HYPHENS) for i in sorted(blamed) if st.truth_at <= i < st.truth_at + len(st.truth)]
        wholes[k].update(inside)
        fused[k] = "".join(inside)
    kept: list[int] = []
    for j in words.invented_at:
        piece = g[j].translate(HYPHENS)
        k = stretch_of.get(j, -1)
        if moved[g[j]] > 0:
            moved[g[j]] -= 1
        elif len(piece) < 2 or piece in wholes[k] or piece not in fused[k]:  # a piece of a word is in fused too
            kept.append(j)
    words.invented_at = kept
    words.extractor = [t[i] for i in sorted(blamed)]
    words.find_reordered()


def _unhyphenated(words: Sequence[str]) -> str:
    return "".join(words).translate(HYPHENS)


def _pair(t: list[str], g: list[str], i: int, j: int, i_end: int, j_end: int) -> tuple[int, int, bool] | None:
    """(truth words, model words, same) if t[i:] and g[j:] start with one word in both forms."""
    if t[i] == g[j]:
        return 1, 1, True
    for n, m in ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1)):
        if i + n <= i_end and j + m <= j_end:
            left, right = t[i : i + n], g[j : j + m]
            if _unhyphenated(left) == _unhyphenated(right) and any(w.translate(HYPHENS) for w in left):
                return n, m, False
    return None


def _pair_up(t: list[str], g: list[str], ti: tuple[int, int], gi: tuple[int, int], out: _Words) -> None:
    """Within one unmatched stretch: dehyphenation pairs (and stray equal words); the rest is lost or invented."""
    (i, i_end), (j, j_end) = ti, gi
    while i < i_end and j < j_end:
        best: tuple[int, int, int, int, bool] | None = None
        for distance in range(min(PAIR_WINDOW, (i_end - i) + (j_end - j))):
            for a in range(distance + 1):
                ii, jj = i + a, j + distance - a
                if ii < i_end and jj < j_end and (found := _pair(t, g, ii, jj, i_end, j_end)):
                    best = (ii, jj, *found)
                    break
            if best:
                break
        if best is None:
            break
        ii, jj, n, m, same = best
        out.lost_at.extend(range(i, ii))
        out.invented_at.extend(range(j, jj))
        out.got_to_truth[jj] = ii
        if not same:
            out.dehyphenated_at.append((ii, n, jj, m))
        i, j = ii + n, jj + m
    out.lost_at.extend(range(i, i_end))
    out.invented_at.extend(range(j, j_end))


# --- headings ------------------------------------------------------------------------------------


def headings(doc: Document) -> list[tuple[int, str]]:
    """(level, folded text) of the title (level 0), the headings and the run-in leads."""
    out: list[tuple[int, str]] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            level, text = 0, plain(block.inlines)
        elif isinstance(block, Heading):
            level, text = block.level, plain(block.inlines)
        elif isinstance(block, RunInLead):
            level, text = block.level, plain(block.lead)
        else:
            continue
        key = " ".join(fold(text.split()))
        if key:
            out.append((level, key))
    return out


def _match(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int]]:
    """One-to-one, in-order pairs of equal items (a longest common subsequence, as difflib finds it)."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return [(m.a + k, m.b + k) for m in blocks for k in range(m.size)]
