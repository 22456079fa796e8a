"""The total-fit line breaker on paragraphs of known widths: each rule it adds to greedy breaking can fail."""

from __future__ import annotations

import itertools
from dataclasses import replace

from pipeline.render.justify.knuth_plass import Params, Split, Word, break_paragraph

SPACE = 3.0


def words(*widths: float, splits: dict[int, list[tuple[float, float, bool]]] | None = None) -> list[Word]:
    splits = splits or {}
    out = []
    for i, width in enumerate(widths):
        parts = tuple(Split(k + 1, before, after, soft) for k, (before, after, soft) in enumerate(splits.get(i, [])))
        out.append(Word(width, SPACE if i < len(widths) - 1 else 0.0, parts))
    return out


def line_widths(ws: list[Word], breaks: list[tuple[int, int]]) -> list[tuple[float, int]]:
    """Natural widths and word spaces of the lines a solution makes (for checking that every line fits)."""
    out = []
    start_word, start_width = 0, ws[0].width
    for word, split in [*breaks, (len(ws) - 1, -1)]:
        if split < 0:
            inner = sum(w.width + w.space for w in ws[start_word + 1 : word + 1]) - ws[word].space
            out.append(
                (start_width + ws[start_word].space + inner if word > start_word else start_width, word - start_word)
            )
            start_word, start_width = word + 1, ws[word + 1].width if word + 1 < len(ws) else 0.0
        else:
            inner = sum(w.width + w.space for w in ws[start_word + 1 : word])
            head = start_width + ws[start_word].space if word > start_word else 0.0
            out.append((head + inner + ws[word].splits[split].before, word - start_word))
            start_word, start_width = word, ws[word].splits[split].after
    return out


def test_every_line_fits_and_the_text_is_kept_whole() -> None:
    ws = words(*[20.0 + (i * 7) % 23 for i in range(60)])
    solution = break_paragraph(ws, (150.0, 150.0), SPACE)
    assert solution is not None
    breaks = [(b.word, b.split) for b in solution.breaks]
    assert breaks == sorted(breaks) and len(set(breaks)) == len(breaks)
    p = Params()
    *lines, last = line_widths(ws, breaks)
    assert all(width - spaces * p.shrink * SPACE <= 150.0 - p.safety for width, spaces in lines)
    assert last[0] <= 150.0 - p.safety  # the last line is set with normal spaces
    assert solution.lines[-1].end.word == len(ws) - 1


def _paragraph(rng: object, count: int) -> list[Word]:
    """Words of 2–14 letters of about 5 pt each, those of six letters or more hyphenable in the middle."""
    out = []
    for i in range(count):
        letters = rng.choice([2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14])  # type: ignore[attr-defined]
        width = letters * 5.1
        splits = ()
        if letters >= 6:
            half = letters // 2
            splits = (Split(half, half * 5.1 + 3.3, (letters - half) * 5.1, True),)
        out.append(Word(width, 3.46 if i < count - 1 else 0.0, splits))
    return out


def _greedy(ws: list[Word], measure: float) -> list[tuple[float, bool]]:
    """(ratio, hyphenated) of each non-last line as a greedy breaker with hyphenation sets them."""
    lines: list[tuple[float, bool]] = []
    width, spaces = ws[0].width, 0
    for prev, word in itertools.pairwise(ws):
        if width + prev.space + word.width <= measure:
            width, spaces = width + prev.space + word.width, spaces + 1
            continue
        split = next((s for s in reversed(word.splits) if width + prev.space + s.before <= measure), None)
        if split is not None:
            lines.append(((measure - width - prev.space - split.before) / ((spaces + 1) * 3.46), True))
            width, spaces = split.after, 0
        else:
            lines.append(((measure - width) / (spaces * 3.46) if spaces else 99.0, False))
            width, spaces = word.width, 0
    return lines


def test_total_fit_sets_fewer_loose_lines_and_fewer_hyphens_than_greedy_breaking() -> None:
    import random

    rng = random.Random(7)
    measure = 434.0
    greedy_lines = fit_lines = 0
    greedy_loose = fit_loose = greedy_hyphens = fit_hyphens = 0
    for _ in range(30):
        ws = _paragraph(rng, 120)
        solution = break_paragraph(ws, (measure, measure), 3.46)
        assert solution is not None
        greedy = _greedy(ws, measure - Params().safety)
        greedy_lines += len(greedy)
        greedy_loose += sum(ratio > 0.6 for ratio, _ in greedy)
        greedy_hyphens += sum(hyphen for _, hyphen in greedy)
        fit_lines += len(solution.lines) - 1
        fit_loose += sum(line.ratio > 0.6 for line in solution.lines[:-1])
        fit_hyphens += sum(line.end.hyphenated for line in solution.lines[:-1])
    assert greedy_loose > 0 and greedy_hyphens > 0
    assert fit_loose / fit_lines < greedy_loose / greedy_lines / 2
    assert fit_hyphens / fit_lines < greedy_hyphens / greedy_lines


def test_three_hyphenated_lines_in_a_row_are_never_chosen() -> None:
    # Every word can be hyphenated and hyphenating makes the tightest lines.
    widths = [40.0] * 24  # three whole words are too loose a line, four too long: only hyphenated lines fit
    split = [(23.3, 20.0, True)]
    ws = words(*widths, splits=dict.fromkeys(range(24), split))
    cheap = Params(hyphen_penalty=0, hard_hyphen_penalty=0, shrink=0)
    loose = break_paragraph(ws, (111.0, 150.0), SPACE, replace(cheap, max_hyphen_run=99, double_hyphen_demerits=0))
    strict = break_paragraph(ws, (111.0, 150.0), SPACE, cheap)
    assert loose is not None and strict is not None

    def longest_run(solution: object) -> int:
        run = best = 0
        for line in solution.lines[:-1]:  # type: ignore[attr-defined]
            run = run + 1 if line.end.hyphenated else 0
            best = max(best, run)
        return best

    assert longest_run(loose) >= 3  # the rule has something to prevent here
    assert longest_run(strict) <= 2


def test_a_line_can_be_kept_from_ending_in_a_hyphen() -> None:
    widths = [48.0] * 12
    ws = words(*widths, splits={key: [(26.0, 24.0, True)] for key in range(12)})
    free = break_paragraph(ws, (150.0, 150.0), SPACE)
    assert free is not None
    hyphenated = [i for i, line in enumerate(free.lines[:-1]) if line.end.hyphenated]
    assert hyphenated
    kept = break_paragraph(ws, (150.0, 150.0), SPACE, forbid_hyphen_after_line=frozenset(hyphenated[:1]))
    assert kept is not None
    assert not kept.lines[hyphenated[0]].end.hyphenated


def test_a_runt_last_line_is_avoided_when_another_break_exists() -> None:
    # Thirty words that make three full lines, then a short last word alone ("ras."): a runt,
    # unless a word moves down and one line is set a little loose.
    ws = words(*([20.0] * 30), 10.0)
    measure = 10 * 20 + 9 * SPACE + Params().safety

    def last_line_words(solution: object) -> int:
        ends = [line.end.word for line in solution.lines]  # type: ignore[attr-defined]
        return ends[-1] - ends[-2]

    runty = break_paragraph(ws, (measure, measure), SPACE, Params(runt_demerits=0, shrink=0))
    solution = break_paragraph(ws, (measure, measure), SPACE, Params(shrink=0))
    assert runty is not None and solution is not None
    assert last_line_words(runty) == 1  # without the rule the runt is the best breaking
    assert last_line_words(solution) >= 2


def test_no_solution_when_a_word_is_wider_than_the_line() -> None:
    assert break_paragraph(words(20, 500, 20), (150.0, 150.0), SPACE) is None


def test_tracking_adds_the_spacing_after_every_character() -> None:
    from pipeline.render.justify.tracking import tracked

    ws = [Word(30.0, SPACE), Word(50.0, 0.0, (Split(5, 28.0, 25.0, True),))]  # 6 and 10 characters
    out = tracked(ws, [6, 10], 0.5)
    assert [w.width for w in out] == [33.0, 55.0]
    assert out[0].space == SPACE + 0.5 and out[1].space == 0.0  # the last word has no space after it
    split = out[1].splits[0]
    assert (split.before, split.after) == (28.0 + 0.5 * 6, 25.0 + 0.5 * 5)  # five letters and the hyphen; five


def test_a_paragraph_with_a_loose_line_is_tracked_only_when_that_takes_it_away() -> None:
    import random

    from pipeline.render.justify.tracking import STEPS, best_tracking, loose_lines

    p = Params()
    rng = random.Random(11)
    tracked_count = untouched = 0
    for _ in range(40):
        ws = _paragraph(rng, 60)
        lengths = [round(w.width / 5.1) for w in ws]
        plain = break_paragraph(ws, (300.0, 300.0), 3.46, p)
        assert plain is not None
        solution, spacing = best_tracking(ws, lengths, (300.0, 300.0), 3.46, 10.0, p, frozenset(), plain)
        if not loose_lines(plain, p):
            assert (solution, spacing) == (plain, 0.0)  # nothing to mend: never tracked
            untouched += 1
        elif spacing:
            assert loose_lines(solution, p) < loose_lines(plain, p)
            assert abs(spacing) <= max(abs(s) for s in STEPS) * 0.0025 * 10.0
            tracked_count += 1
    assert tracked_count and untouched  # both cases happen in these paragraphs
