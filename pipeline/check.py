"""`pipeline check`: one preflight for every edition that exists, as a table or JSON, and an exit code.

Each edition's file gets the checks that fit it, in this order:

- every file: ``file`` — it opens whole (a truncated or corrupted output fails here, and its
  other checks are not run);
- brochure: fonts embedded, tagged (structure tree, language, title), typography, words;
- print: the print shop's preflight (pipeline/preflight/print_file.py; fonts included), words;
- booklet: fonts embedded, sheets printed on both sides;
- epub: epubcheck, Ace by DAISY, words;
- large print: fonts embedded, PDF/UA-1 (own structural checks and the ``pdfua`` package's
  rules), no hyphenation, typography, words;
- html: words.

``typography``: the typographic counts of pipeline/preflight/typography.py against the edition's
targets; a missed target is a ``warning`` (exit 0, the row says so), a failure with ``--strict``.
In JSON the row's ``data`` holds the counts and every finding's place.

``words``: every word of the publication's model (the cached one, or normalised now when the
source changed since the build) is present, in order, in the edition's text.

Only ``passed`` is a pass. A check whose tool is not installed is ``unavailable`` and makes the
exit code 1, like a failure, so a CI without Ace cannot pass by accident; ``--no-ace`` turns Ace
off on purpose, and its row then says ``skipped``, which does not fail the run. The review page
is an editor's report, not an edition to read, and is not checked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.editions import EDITIONS, enabled
from pipeline.errors import EXIT_BUILD_FAILED, EXIT_OK, PipelineError
from pipeline.preflight import FAILED, PASSED, SKIPPED, UNAVAILABLE, WARNING, Outcome, outcome
from pipeline.publication import Publication, discover, load_publication

CHECKED = ("html", "brochure", "print", "booklet", "epub", "large-print")
AUTO_HYPHEN = "\u2010"


@dataclass
class CheckRequest:
    project: Path
    slugs: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)
    ace: str | None = None  # Ace's command; found on PATH or in .cache/ace when not given
    run_ace: bool = True
    strict: bool = False  # warnings fail too


@dataclass(frozen=True)
class Row:
    slug: str
    edition: str
    file: str
    check: str
    status: str
    detail: str = ""
    data: Any = None  # JSON only: what the check measured (the typography row's counts and locations)


class _Words:
    """The publication's model words and short title, loaded once and only when a words check needs them."""

    def __init__(self, project: Path, pub: Publication) -> None:
        self.project, self.pub = project, pub
        self.loaded: tuple[list[str], str, str] | None = None

    def get(self) -> tuple[list[str], str, str]:
        """The model's words, its short title, and whether it is written right to left."""
        if self.loaded is None:
            from pipeline.build import cached_model
            from pipeline.build_cache import load_model
            from pipeline.preflight.words import edition_words, reading_of

            path, _key = cached_model(self.project, self.pub)
            loaded = load_model(path)
            if loaded is None:
                raise PipelineError("the cached model cannot be read; build again.", path)
            doc, _cached = loaded
            words = [w for w, _line in edition_words(doc)]
            self.loaded = words, doc.meta.short_title or doc.meta.title, reading_of(doc)
        return self.loaded


def _words(path: Path, model: _Words) -> Outcome:
    from pipeline.preflight.words import edition_text, words_in_order

    words, short_title, reading = model.get()
    try:
        text = edition_text(path, short_title, reading=reading)
    except Exception as exc:  # a file the extractor cannot read: a failure of this check, named
        return Outcome("words", FAILED, f"text cannot be extracted: {type(exc).__name__}: {exc}")
    found, missing = words_in_order(text, words, reading)
    if missing is None:
        return Outcome("words", PASSED, f"{found}/{len(words)} model words in order")
    return Outcome("words", FAILED, f"model word {found + 1} of {len(words)} ({missing!r}) is missing or out of order")


def _no_hyphenation(path: Path) -> Outcome:
    from pipeline.preflight.words import pdf_pages

    broken = sum(page.count(AUTO_HYPHEN) for page in pdf_pages(path))
    return outcome("no hyphenation", [f"{broken} words broken by automatic hyphens"] if broken else [], "none")


def _html_file(path: Path) -> Outcome:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Outcome("file", FAILED, f"cannot be read as UTF-8: {exc}")
    return outcome("file", [] if text.rstrip().endswith("</html>") else ["ends before </html>"], "complete")


def edition_checks(edition: str, path: Path, model: _Words, request: CheckRequest) -> list[Outcome]:
    """The checks of one edition's file, in order; after a failed ``file`` check nothing else is run."""
    from pipeline.preflight import epub, pdf, typography

    if edition == "html":
        first = _html_file(path)
    elif edition == "epub":
        first = epub.container(path)
    else:
        first, pages = pdf.intact(path)
    if first.status != PASSED:
        return [first]
    steps: list[Callable[[], Outcome]]
    if edition == "html":
        steps = [lambda: _words(path, model)]
    elif edition == "epub":
        ace_bin = epub.find_ace(request.project, request.ace)
        steps = [
            lambda: epub.epubcheck(path),
            (lambda: epub.ace(path, ace_bin)) if request.run_ace else lambda: Outcome("ace", SKIPPED, "--no-ace"),
            lambda: _words(path, model),
        ]
    elif edition == "brochure":
        steps = [
            lambda: pdf.fonts(path),
            lambda: pdf.tagged(path),
            lambda: typography.check(path, typography.BROCHURE_TARGETS),
            lambda: _words(path, model),
        ]
    elif edition == "print":
        steps = [lambda: pdf.print_shop(path), lambda: _words(path, model)]
    elif edition == "booklet":
        steps = [lambda: pdf.fonts(path), lambda: pdf.even_sheet_sides(pages)]
    else:  # large-print
        steps = [
            lambda: pdf.fonts(path),
            lambda: pdf.pdf_ua(path),
            lambda: _no_hyphenation(path),
            lambda: typography.check(path, typography.LARGE_PRINT_TARGETS),
            lambda: _words(path, model),
        ]
    out = [first]
    for step in steps:
        try:
            out.append(step())
        except PipelineError:
            raise
        except Exception as exc:  # a check that breaks on a damaged file fails, naming why
            out.append(Outcome("?", FAILED, f"the check broke: {type(exc).__name__}: {exc}"))
    return out


def _relative(path: Path, project: Path) -> str:
    return str(path.relative_to(project)) if path.is_relative_to(project) else str(path)


def check_publication(request: CheckRequest, pub: Publication) -> list[Row]:
    project = request.project
    editions = request.editions or [e for e in enabled(pub.config) if e in CHECKED]
    model = _Words(project, pub)
    rows = []
    for edition in editions:
        path = project / "output" / pub.slug / EDITIONS[edition].filename(pub.slug)
        shown = _relative(path, project)
        if not path.is_file():
            hint = f"missing: run `pipeline build {pub.slug} -e {edition}`"
            rows.append(Row(pub.slug, edition, shown, "file", FAILED, hint))
            continue
        for result in edition_checks(edition, path, model, request):
            rows.append(Row(pub.slug, edition, shown, result.check, result.status, result.detail, result.data))
    return rows


def run_checks(request: CheckRequest) -> list[Row]:
    """Every check of every requested publication; a bad slug or publication is a PipelineError (exit 2)."""
    source = request.project / "source"
    slugs = request.slugs or discover(source)
    if not slugs:
        raise PipelineError("holds no publications to check.", source, hint="Add one with `pipeline import FILE`.")
    unknown = [e for e in request.editions if e not in CHECKED]
    if unknown:
        raise PipelineError(f"the {unknown[0]} edition has no checks; check one of {', '.join(CHECKED)}.")
    pubs = [load_publication(source, slug) for slug in slugs]  # every name is valid before anything runs
    return [row for pub in pubs for row in check_publication(request, pub)]


def exit_code(rows: list[Row], strict: bool = False) -> int:
    """0 only when every check passed (skipped on request is allowed); 1 otherwise."""
    failing = {FAILED, UNAVAILABLE} | ({WARNING} if strict else set())
    return EXIT_BUILD_FAILED if any(r.status in failing for r in rows) else EXIT_OK


def summary_line(rows: list[Row]) -> str:
    counts = Counter(r.status for r in rows)
    parts = [f"{counts[s]} {s}" for s in (PASSED, FAILED, WARNING, UNAVAILABLE, SKIPPED) if counts[s]]
    note = " (unavailable and skipped checks are not passes)" if counts[UNAVAILABLE] or counts[SKIPPED] else ""
    return f"check: {', '.join(parts) or 'nothing checked'}{note}"


def to_json(rows: list[Row], strict: bool = False) -> str:
    code = exit_code(rows, strict)
    data: dict[str, Any] = {
        "passed": code == EXIT_OK,
        "exit_code": code,
        "counts": dict(Counter(r.status for r in rows)),
        "checks": [{k: v for k, v in asdict(r).items() if k != "data" or v is not None} for r in rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_table(rows: list[Row]) -> None:
    """A table on standard output; in a pipe or a file as wide as its lines, so no path or message is cut."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=100_000, color_system=None, highlight=False, emoji=False)
    table = Table(title="Checks")
    for column in ("publication", "edition", "file", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    colours = {PASSED: "green", FAILED: "red", WARNING: "yellow", UNAVAILABLE: "magenta", SKIPPED: "dim"}
    for r in rows:
        status = f"[{colours.get(r.status, 'white')}]{r.status}[/]"
        table.add_row(escape(r.slug), r.edition, escape(r.file), r.check, status, escape(r.detail))
    console.print(table)
    console.print(summary_line(rows), markup=False, highlight=False)
