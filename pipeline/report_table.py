"""The build's live progress and final summary table, drawn with rich."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.build import Job, Result
from pipeline.editions import EDITIONS

console = Console(stderr=True)


class LiveProgress:
    """One progress bar over all jobs, with the edition being rendered."""

    def __init__(self) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("building", total=None)
        self.total = 0
        self.completed = 0

    def __enter__(self) -> LiveProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def update(self, event: str, result: Result | None, job: Job | None) -> None:
        if event == "start" and job is not None:
            self.total += 1
            self.progress.update(self.task, total=self.total, description=f"{job.slug}: {job.edition}")
        elif event in ("built", "failed", "skipped") and job is not None:
            self.completed += 1
            self.progress.update(self.task, completed=self.completed)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 2**20:.1f} MiB"


def _output() -> Console:
    """The terminal's console; in a pipe or a file, one as wide as the lines need, so nothing is cut or wrapped."""
    if console.is_terminal:
        return console
    return Console(file=console.file, width=100_000, color_system=None, highlight=False, emoji=False)


def summary(results: list[Result], project: Path, debug: bool = False) -> None:
    out = _output()
    table = Table(title="Build summary", title_justify="left")
    for col in ("publication", "edition", "file", "pages", "size", "time", "status"):
        table.add_column(
            col,
            justify="right" if col in ("pages", "size", "time") else "left",
            overflow="fold",  # a narrow terminal folds a path onto more lines, never cuts it with "…"
            no_wrap=not console.is_terminal,
        )
    colours = {"built": "green", "unchanged": "dim", "failed": "red", "skipped": "yellow"}
    order = {name: i for i, name in enumerate(EDITIONS)}
    results = sorted(results, key=lambda r: (r.slug, order.get(r.edition, -1)))
    warnings = [r for r in results if r.status == "warning"]
    results = [r for r in results if r.status != "warning"]
    for r in results:
        rel = str(Path(r.path).relative_to(project)) if r.path and Path(r.path).is_relative_to(project) else r.path
        table.add_row(
            r.slug,
            r.edition,
            rel,
            str(r.pages or ""),
            _size(r.size) if r.size else "",
            f"{r.seconds:.1f} s" if r.seconds else "",
            f"[{colours.get(r.status, 'white')}]{r.status}[/]",
        )
    out.print(table)
    for r in warnings:
        # A publication's warning (its text.md is stale or empty): once, whole, and not a failure.
        out.print(f"warning: {r.error}", markup=False, highlight=False, soft_wrap=True)
    said: set[str] = set()
    for r in results:
        # One paragraph per error, never wrapped, so it can be read and grepped whole; and once: a skipped
        # edition's reason is the error above it, and editions failing alike (one bad layout) fail in one line.
        if r.error and r.status != "skipped" and r.error not in said:
            said.add(r.error)
            out.print(f"error: {r.error}", markup=False, highlight=False, soft_wrap=True)
            if debug and r.detail:
                out.print(r.detail, markup=False, highlight=False, soft_wrap=True)
