"""``python -m pipeline.roundtrip``: normalise the cached corpus texts and print how far each is from its truth."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.roundtrip.corpus import (
    DEFAULT_CORPUS,
    TEXT_LAYOUTS,
    Result,
    analyse_entry,
    entries,
    find_entry,
    score_all,
)
from pipeline.roundtrip.score import Analysis, Score, summarise

CONTEXT = 4  # words either side of a difference in --show


def badness(result: Result) -> float:
    """How wrong a file came out: refused files first, then word damage plus missed structure."""
    s = result.score
    if s is None:
        return float("inf")
    damaged = s.lost + s.invented + s.reordered + s.dehyphenation_errors + s.extractor
    return damaged / max(s.truth_words, 1) + (1 - s.strict_heading_f1) + (1 - s.boundary_f1)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def file_table(results: list[Result], title: str) -> Table:
    table = Table(title=title)
    for name in ("source", "layout", "extractor"):
        table.add_column(name)
    counts = ("lost", "reordered", "invented", "dehyph", "extractor")
    for name in (*counts, "head F1", "level ok %", "strict F1", "bound F1"):
        table.add_column(name, justify="right")
    for r in results:
        s = r.score
        row = [r.entry.source, r.entry.layout, r.entry.extractor]
        if s is None:
            table.add_row(*row, "[red]FAILED[/]", *[""] * 8)
            continue
        table.add_row(
            *row,
            _count(s.lost),
            _count(s.reordered),
            _count(s.invented),
            _count(s.dehyphenation_errors),
            _count(s.extractor),
            f"{s.heading_f1:.3f}",
            _pct(s.level_ok),
            f"{s.strict_heading_f1:.3f}",
            f"{s.boundary_f1:.3f}",
        )
    return table


def _count(n: int) -> str:
    return str(n) if n == 0 else f"[bold]{n}[/]"


def totals_table(results: list[Result]) -> Table:
    table = Table(
        title="Totals (counts summed; F1 and level ok averaged over files, a failure counting as 0; "
        "extractor: truth words the extracted text itself lacks, moved or damaged, not counted as lost)"
    )
    table.add_column("group")
    for name in (
        "files",
        "words kept",
        "exact",
        "lost",
        "reordered",
        "invented",
        "dehyph",
        "extractor",
        "head F1",
        "level ok %",
        "strict F1",
        "bound F1",
        "failures",
    ):
        table.add_column(name, justify="right")
    groups: list[tuple[str, Callable[[Result], str]]] = [
        ("layout", lambda r: r.entry.layout),
        ("extractor", lambda r: r.entry.extractor),
    ]
    for label, key in groups:
        for value in sorted({key(r) for r in results}):
            _total_row(table, f"{label} {value}", [r for r in results if key(r) == value])
        table.add_section()
    text = [r for r in results if r.entry.layout in TEXT_LAYOUTS]
    _total_row(table, "[bold]text layouts[/] (" + ", ".join(TEXT_LAYOUTS) + ")", text)
    _total_row(table, "[bold]overall[/]", results)
    return table


def _total_row(table: Table, label: str, results: list[Result]) -> None:
    scores = [r.score for r in results if r.score is not None]
    m = summarise(scores, failures=len(results) - len(scores))
    t = m.total
    table.add_row(
        label,
        str(m.files),
        str(m.words_kept_files),
        str(m.words_exact_files),
        str(t.lost),
        str(t.reordered),
        str(t.invented),
        str(t.dehyphenation_errors),
        str(t.extractor),
        f"{m.mean_heading_f1:.3f}",
        _pct(m.mean_level_ok),
        f"{m.mean_strict_heading_f1:.3f}",
        f"{m.mean_boundary_f1:.3f}",
        str(m.failures),
    )


# --- --show: one file in detail ---------------------------------------------------------------------


def _around(words: tuple[str, ...], start: int, end: int) -> tuple[str, str]:
    before = " ".join(words[max(0, start - CONTEXT) : start])
    after = " ".join(words[end : end + CONTEXT])
    return escape(before), escape(after)


def show(console: Console, name: str, analysis: Analysis) -> None:
    s: Score = analysis.score
    console.print(f"[bold]{escape(name)}[/]: {s.truth_words} truth words, {s.got_words} in the model")
    console.print(
        f"lost {s.lost}, reordered {s.reordered}, invented {s.invented}, "
        f"dehyphenation errors {s.dehyphenation_errors}, the extractor's {s.extractor}; heading F1 {s.heading_f1:.3f} "
        f"(level ok {_pct(s.level_ok)} %, strict {s.strict_heading_f1:.3f}); boundary F1 {s.boundary_f1:.3f} "
        f"(precision {s.boundary_precision:.3f}, recall {s.boundary_recall:.3f})"
    )
    console.rule("words: [red][-truth-][/] [green]{+model+}[/]")
    for st in analysis.stretches:
        before, _ = _around(analysis.truth_words, st.truth_at, st.truth_at)
        _, after = _around(analysis.truth_words, st.truth_at + len(st.truth), st.truth_at + len(st.truth))
        lost = f"[red][-{escape(' '.join(st.truth))}-][/]" if st.truth else ""
        invented = f"[green]{{+{escape(' '.join(st.got))}+}}[/]" if st.got else ""
        console.print(f"  truth@{st.truth_at}: … {before} {lost}{invented} {after} …", highlight=False)
    if analysis.dehyphenated:
        pairs = ", ".join(f"{t!r} → {g!r}" for t, g in analysis.dehyphenated)
        console.print(f"dehyphenation errors: {escape(pairs)}", highlight=False)
    if analysis.reordered:
        console.print(f"reordered (lost here, invented there): {escape(' '.join(analysis.reordered))}", highlight=False)
    if analysis.extractor:
        words = escape(" ".join(analysis.extractor))
        console.print(f"the extractor's (the extracted text lacks, moved or damaged them): {words}", highlight=False)
    console.rule("headings")
    for level, text in analysis.missed_headings:
        console.print(f"  [red]missed[/] level {level}: {escape(text)}", highlight=False)
    for level, text in analysis.false_headings:
        console.print(f"  [yellow]false[/]  level {level}: {escape(text)}", highlight=False)
    for text, want, got in analysis.wrong_levels:
        console.print(f"  [magenta]level[/]  {want} → {got}: {escape(text)}", highlight=False)
    console.rule("block boundaries ( ¶ )")
    for at in analysis.missed_boundaries:
        before, after = _around(analysis.truth_words, at, at)
        console.print(f"  [red]missed[/] truth@{at}: … {before} ¶ {after} …", highlight=False)
    for at in analysis.false_boundaries:
        before, after = _around(analysis.got_words, at, at)
        console.print(f"  [yellow]false[/]  model@{at}: … {before} ¶ {after} …", highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.roundtrip", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the corpus folder")
    parser.add_argument("--only", action="append", default=[], metavar="SOURCE", help="only this source (repeatable)")
    parser.add_argument("--worst", type=int, metavar="N", help="list only the N worst files")
    parser.add_argument("--show", metavar="FILE", help="one file in detail: a path or source/layout.extractor")
    parser.add_argument("--jobs", type=int, default=0, help="processes (default 1; each loads the dictionary once)")
    parser.add_argument(
        "--leads-as-text",
        action="store_true",
        help="score run-in leads as paragraphs (a lead set inline in display type leaves no trace in text)",
    )
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    if args.show:
        entry = find_entry(args.show, args.corpus)
        if not entry.path.is_file() or not (entry.path.parent / "truth.json").is_file():
            parser.error(f"{args.show}: no such corpus file (with a truth.json beside it)")
        show(console, entry.name, analyse_entry(entry))
        return 0
    items = entries(args.corpus, args.only)
    if not items:
        parser.error(f"no corpus texts in {args.corpus}" + (f" for {', '.join(args.only)}" if args.only else ""))
    start = time.perf_counter()
    results = score_all(items, args.jobs, args.leads_as_text)
    seconds = time.perf_counter() - start
    shown = sorted(results, key=badness, reverse=True)[: args.worst] if args.worst else results
    title = f"The {len(shown)} worst files" if args.worst else "Round trip: every file"
    console.print(file_table(shown, title))
    console.print(totals_table(results))
    for r in results:
        if r.score is None:
            console.print(f"[red]failed[/] {escape(r.entry.name)}: {escape(r.error)}", highlight=False)
    sources = len({r.entry.source for r in results})
    console.print(f"{len(results)} files from {sources} sources normalised and scored in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
