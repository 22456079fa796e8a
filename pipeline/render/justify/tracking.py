"""Paragraph tracking: a paragraph set a hair tighter or looser when that takes away its loose lines.

A compositor who meets a paragraph with a loose line tracks it: every letter of the paragraph a few
thousandths of an em closer together (or apart), so that its lines break elsewhere. InDesign's
justification and pdfTeX's font expansion do the same within a small tolerance. Here a justified
paragraph whose best breaks (knuth_plass) still hold a loose line is broken again at each step of
``STEPS`` (at most half a percent of an em either way, invisible in running text at 9–10 pt), and
the tracking with the fewest demerits, plus ``STEP_DEMERITS`` for each step away from none, is kept.
The markup sets it as the paragraph's CSS ``letter-spacing``, which WeasyPrint adds after every
character, spaces included; the widths here are adjusted the same way, so no word is measured again.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.render.justify.knuth_plass import Params, Solution, Word, break_paragraph

EM_STEP = 0.0025  # one step of tracking, in ems
STEPS = (-2, -1, 1, 2)  # at most half a percent of an em, either way
STEP_DEMERITS = 60000.0  # what one step costs: less than a loose line (Params.loose_demerits), so it pays for one


def tracked(words: list[Word], lengths: list[int], spacing: float) -> list[Word]:
    """``words`` as they measure with ``spacing`` (px) after every character; ``lengths``: their characters."""
    out = []
    for word, length in zip(words, lengths, strict=True):
        splits = tuple(
            replace(
                split,
                before=split.before + spacing * (split.index + (1 if split.soft else 0)),
                after=split.after + spacing * (length - split.index),
            )
            for split in word.splits
        )
        space = word.space + spacing if word.space else 0.0
        out.append(Word(word.width + spacing * length, space, splits))
    return out


def loose_lines(solution: Solution, params: Params) -> int:
    return sum(1 for line in solution.lines[:-1] if line.ratio > params.loose_ratio)


def best_tracking(
    words: list[Word],
    lengths: list[int],
    widths: tuple[float, float],
    normal_space: float,
    font_size: float,
    params: Params,
    forbid: frozenset[int],
    solution: Solution,
) -> tuple[Solution, float]:
    """The solution and tracking (px) to set: ``solution`` untracked unless a tracking is cheaper."""
    if not loose_lines(solution, params):
        return solution, 0.0
    best, best_cost, best_spacing = solution, solution.demerits, 0.0
    for step in STEPS:
        spacing = step * EM_STEP * font_size
        found = break_paragraph(tracked(words, lengths, spacing), widths, normal_space, params, forbid)
        if found is None or loose_lines(found, params) >= loose_lines(solution, params):
            continue  # tracking is for loose lines: one that does not take any away is not worth it
        cost = found.demerits + abs(step) * STEP_DEMERITS
        if cost < best_cost:
            best, best_cost, best_spacing = found, cost, spacing
    return best, best_spacing
