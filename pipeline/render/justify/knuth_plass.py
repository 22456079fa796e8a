"""Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981) for justified text.

WeasyPrint breaks lines greedily: each line takes as many words as fit, so one long word can leave a
line with wide gaps that a different break three lines earlier would have avoided. This module chooses
the breaks of a whole paragraph at once, minimising the sum of each line's demerits, as TeX does.

The paragraph is a list of `Word`s, each with its width, the width of the space after it, and the
points where it may be broken (a hyphenation point, or after a hard hyphen). WeasyPrint's justification
only stretches spaces, so the shrinking is done by the markup: the paragraph is set with word spaces a
third narrower (`Params.shrink`, as Typst's and InDesign's minimum word spacing allow), and justification
stretches each line from there. A line's looseness `r` is its extra width per space in units of a
normal space: -1/3 at the tightest, 0.6 and over is a loose line (a space over 1.6 × normal). The last
line is set with normal spaces, so it must fit without shrinking. The demerits are TeX's, with the
rules the brochure asks for: a loose line costs extra, a run of three hyphenated lines is not allowed
at all, and a last line that holds only a word fragment or one short word (a runt) is penalised.

Everything here is pure arithmetic on widths (points), so it is reproducible and testable without a
renderer; `pipeline.render.justify.paragraphs` measures the widths with WeasyPrint's own Pango setup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Split:
    """A point inside a word where the line may break."""

    index: int  # characters of the word before the break
    before: float  # width of the part before the break, including the hyphen drawn there
    after: float  # width of the part after the break
    soft: bool  # True: a hyphen is added (hyphenation); False: after a hard hyphen already in the word


@dataclass(frozen=True)
class Word:
    width: float
    space: float  # width of the space after the word (0 for the last word)
    splits: tuple[Split, ...] = ()


@dataclass(frozen=True)
class Params:
    """Demerits as in TeX, in its units (badness 100·r³, line penalty 10, hyphen penalty 50)."""

    tolerance: float = 2.0  # the loosest line allowed (r), unless there is no other way
    line_penalty: float = 10.0
    hyphen_penalty: float = 460.0
    hard_hyphen_penalty: float = 460.0
    double_hyphen_demerits: float = 10000.0
    final_hyphen_demerits: float = 5000.0
    adjacent_demerits: float = 10000.0  # a very loose line next to a tight one
    loose_ratio: float = 0.6  # a word space over 1.6 × normal is a loose line ...
    loose_demerits: float = 200000.0  # ... and costs about as much as a hyphen, besides its badness
    runt_demerits: float = 500000.0  # worse than a loose line
    runt_width: float = 0.12  # a last line under this share of the measure with no space is a runt
    max_hyphen_run: int = 2  # never three hyphenated lines in a row
    shrink: float = 1 / 3  # how far a word space may shrink, as a share of its width (the renderer must set it)
    safety: float = 1.0  # px kept free at the end of every line against rounding in the renderer


@dataclass(frozen=True)
class Break:
    """Where a line ends: after word `word` (at its space), or inside it at `split`."""

    word: int
    split: int = -1  # index into the word's splits, or -1 for the space after the word

    @property
    def hyphenated(self) -> bool:
        return self.split >= 0


@dataclass
class Line:
    end: Break
    ratio: float  # extra space per word space, in normal spaces (0 for the last line)


@dataclass
class Solution:
    lines: list[Line] = field(default_factory=list)
    demerits: float = 0.0  # the total, to compare it with another solution for the same paragraph

    @property
    def breaks(self) -> list[Break]:
        return [line.end for line in self.lines[:-1]]


@dataclass
class _Node:
    brk: Break | None  # None: the paragraph's start
    line: int  # lines set before this break
    demerits: float
    hyphens: int  # hyphenated lines in a row ending here
    fitness: int
    previous: _Node | None
    ratio: float


def _fitness(ratio: float) -> int:
    return 0 if ratio < 0.0 else 1 if ratio < 0.5 else 2 if ratio < 1.0 else 3


def break_paragraph(
    words: list[Word],
    widths: tuple[float, float],
    normal_space: float,
    params: Params | None = None,
    forbid_hyphen_after_line: frozenset[int] = frozenset(),
) -> Solution | None:
    """The best breaks for `words` on lines `widths` (first line, the others) wide; None if none fit.

    `forbid_hyphen_after_line` names lines (0-based) that must not end in a hyphen: the second layout
    pass uses it for the line that falls at the foot of a page. When no breaks keep every line within
    the tolerance, a second pass takes any looseness (TeX's emergency pass); only a word wider than the
    line leaves no solution.
    """
    p = params or Params()
    found = _search(words, widths, normal_space, p, forbid_hyphen_after_line)
    if found is None:
        found = _search(words, widths, normal_space, replace(p, tolerance=math.inf), forbid_hyphen_after_line)
    return found


def _search(
    words: list[Word],
    widths: tuple[float, float],
    normal_space: float,
    p: Params,
    forbid_hyphen_after_line: frozenset[int],
) -> Solution | None:
    n = len(words)
    if n == 0:
        return Solution()
    prefix = [0.0]
    for w in words:
        prefix.append(prefix[-1] + w.width + w.space)

    def start_of(node: _Node) -> tuple[int, float]:
        """The first word of the line after `node`, and that word's width as it starts the line."""
        if node.brk is None:
            return 0, words[0].width
        b = node.brk
        if b.split < 0:
            return b.word + 1, words[b.word + 1].width if b.word + 1 < n else 0.0
        return b.word, words[b.word].splits[b.split].after

    def natural(node: _Node, end: Break) -> tuple[float, int]:
        """Width of the line from `node` to `end` without stretching, and its number of spaces."""
        first, first_width = start_of(node)
        if end.split < 0:
            last = end.word
            width = prefix[last + 1] - prefix[first] - words[last].space
            width += first_width - words[first].width
            return width, last - first
        last = end.word
        split = words[last].splits[end.split]
        if last == first:  # a fragment from one break inside the word to another
            return split.before - (words[last].width - first_width), 0
        width = prefix[last] - prefix[first] + first_width - words[first].width + split.before
        return width, last - first

    def measure(line: int) -> float:
        return (widths[0] if line == 0 else widths[1]) - p.safety

    active: list[_Node] = [_Node(None, 0, 0.0, 0, 1, None, 0.0)]
    best_last: _Node | None = None

    candidates: list[Break] = []
    for i, w in enumerate(words):
        candidates.extend(Break(i, s) for s in range(len(w.splits)))
        candidates.append(Break(i))

    for end in candidates:
        is_last = end.word == n - 1 and end.split < 0
        hyphen = end.hyphenated
        new: dict[tuple[int, int], _Node] = {}
        keep: list[_Node] = []
        for node in active:
            width, spaces = natural(node, end)
            target = measure(node.line)
            if width - spaces * p.shrink * normal_space > target:
                continue  # too long now, and longer for every later break: the node starts no more lines
            if is_last and width > target:
                keep.append(node)
                continue  # the last line is set with normal spaces, so it must fit without shrinking
            keep.append(node)
            if is_last:
                ratio = 0.0
                runt = spaces == 0 and ((node.brk is not None and node.brk.hyphenated) or width < p.runt_width * target)
                demerits = p.line_penalty**2 + (p.runt_demerits if runt and node.brk is not None else 0.0)
                if node.hyphens:
                    demerits += p.final_hyphen_demerits
            else:
                slack = target - width
                if spaces == 0:
                    ratio = 0.0 if -0.5 < slack < 0.5 else math.inf
                else:
                    ratio = slack / (spaces * normal_space)
                if ratio > p.tolerance:
                    continue
                if ratio < 0:  # shrinking: badness relative to what the spaces may give
                    badness = 100.0 * (-ratio / p.shrink) ** 3
                else:
                    badness = 100.0 * min(ratio, 10.0) ** 3
                demerits = (p.line_penalty + badness) ** 2
                if ratio > p.loose_ratio:
                    demerits += p.loose_demerits
                if hyphen:
                    split = words[end.word].splits[end.split]
                    penalty = p.hyphen_penalty if split.soft else p.hard_hyphen_penalty
                    demerits += penalty**2
                    if node.line in forbid_hyphen_after_line:
                        continue
                    if node.hyphens >= p.max_hyphen_run:
                        continue
                    if node.hyphens:
                        demerits += p.double_hyphen_demerits
            fitness = 1 if is_last else _fitness(ratio)
            if node.brk is not None and abs(fitness - node.fitness) > 1:
                demerits += p.adjacent_demerits
            total = node.demerits + demerits
            hyphens = node.hyphens + 1 if hyphen and not is_last else 0
            key = (hyphens, fitness)
            if key not in new or total < new[key].demerits:
                new[key] = _Node(end, node.line + 1, total, hyphens, fitness, node, ratio)
        active = keep + list(new.values())
        if is_last:
            finals = list(new.values())
            if finals:
                best_last = min(finals, key=lambda nd: nd.demerits)
    if best_last is None:
        return None
    lines: list[Line] = []
    step: _Node | None = best_last
    while step is not None and step.brk is not None:
        lines.append(Line(step.brk, step.ratio))
        step = step.previous
    lines.reverse()
    return Solution(lines, best_last.demerits)
