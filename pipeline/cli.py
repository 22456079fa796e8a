"""Typer commands, thin: each hands off to a library function."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from pipeline.errors import EXIT_BAD_INPUT, EXIT_BUILD_FAILED, EXIT_INTERRUPTED, PipelineError


class _DebugAnywhere(TyperGroup):
    """`--debug` is the program's option, and is taken wherever it stands: `pipeline build --debug` too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: the vendored click's Context
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[:end]:
            args = ["--debug"] + [a for a in args[:end] if a != "--debug"] + args[end:]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DebugAnywhere,
    help="Turn PDF-extracted Swedish party programmes into a print brochure, an EPUB and a large-print PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


class Format(StrEnum):
    markdown = "markdown"
    json = "json"


class EditionName(StrEnum):
    html = "html"
    brochure = "brochure"
    print = "print"
    booklet = "booklet"
    epub = "epub"
    large_print = "large-print"
    review = "review"


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("partiprogram-pipeline")
    except PackageNotFoundError:  # run from a checkout that was never installed
        from pipeline import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"pipeline {package_version()}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks for errors (before or after the command).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    _state["debug"] = debug


def _fail(exc: PipelineError) -> None:
    if _state["debug"]:
        import traceback

        traceback.print_exception(exc)
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def normalise(
    source: Annotated[
        str, typer.Argument(help="A source file (.txt, .md, .docx, .pdf), or a publication's folder name in source/.")
    ],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Print the model as Markdown or JSON.")
    ] = Format.markdown,
    report: Annotated[
        bool, typer.Option("--report", help="Print the edit report: every change with its source line.")
    ] = False,
    write: Annotated[
        bool,
        typer.Option("--write", help="Save the Markdown as the publication's text.md, recording its source."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="With --write: replace a text.md an editor changed.")] = False,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """Normalise one source text and print the model (Markdown for review, or JSON) or the edit report.

    With --write, save it as the publication's text.md instead: the text every edition then uses,
    for an editor to correct.
    """
    from pipeline.convert import normalise_source, write_text_md

    # `pipeline normalise SLUG > source/SLUG/text.md`: the shell has emptied that file already; it is
    # written from the source instead, atomically, as --write does (never appended to or printed into).
    text_md = project / "source" / Path(source).name / "text.md"
    redirected = not write and _stdout_is(text_md)
    if redirected and (report or format is not Format.markdown):
        _fail(
            PipelineError(
                "is where the output goes; only the Markdown may be saved here.", text_md, hint="Use --write."
            )
        )
    if write or redirected:
        try:
            target, origin = write_text_md(project, source, force=force)
        except PipelineError as exc:
            _fail(exc)
            return
        typer.echo(f"wrote {target} from {origin.name}; edit it, then `pipeline build`.", err=True)
        return
    try:
        doc, edits = normalise_source(project, source)
    except PipelineError as exc:
        _fail(exc)
        return
    if report:
        typer.echo(edits.format())
    elif format is Format.json:
        from pipeline.model import to_json

        typer.echo(json.dumps(to_json(doc), ensure_ascii=False, indent=2))
    else:
        from pipeline.render.markdown import to_markdown

        typer.echo(to_markdown(doc), nl=False)


def _stdout_is(path: Path) -> bool:
    """Whether standard output is redirected into ``path`` (the same file, not only the same name)."""
    try:
        out, target = os.fstat(1), path.stat()
    except OSError:
        return False
    return (out.st_dev, out.st_ino) == (target.st_dev, target.st_ino)


@app.command()
def build(
    slugs: Annotated[list[str] | None, typer.Argument(help="Publications to build (default: all in source/).")] = None,
    edition: Annotated[
        list[EditionName] | None, typer.Option("--edition", "-e", help="Editions to build (repeatable; default: all).")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even unchanged editions.")] = False,
    large_print_size: Annotated[
        int | None,
        typer.Option(
            "--large-print-size",
            help="Large-print body size in pt: 16, 18, 20 or 24 (default from publication.toml, else 18).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT|local",
            help="Render on a Dask cluster: a scheduler's address, or 'local' for a LocalCluster of --jobs workers "
            "(needs pip install '.[dask]'). Default: this machine's process pool.",
        ),
    ] = None,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """Build every edition of every publication in source/ into output/<slug>/."""
    from pipeline.build import BuildRequest
    from pipeline.build import build as run_build
    from pipeline.report_table import LiveProgress, summary

    if large_print_size is not None and large_print_size not in (16, 18, 20, 24):
        _fail(PipelineError(f"--large-print-size must be 16, 18, 20 or 24, not {large_print_size}."))
    request = BuildRequest(
        project=project.resolve(),
        slugs=list(slugs or []),
        editions=[e.value for e in edition or []],
        jobs=jobs,
        force=force,
        options={"large_print_size": large_print_size},
        scheduler=scheduler,
    )
    live = LiveProgress()
    try:
        with live:
            results = run_build(request, live.update)
    except PipelineError as exc:
        _fail(exc)
        return
    except KeyboardInterrupt:
        typer.echo("interrupted: earlier outputs are unchanged.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    summary(results, request.project, debug=_state["debug"])
    if any(r.bad_input for r in results):
        raise typer.Exit(EXIT_BAD_INPUT)  # a publication's input is wrong (the others were built)
    if any(r.status in ("failed", "skipped") for r in results):
        raise typer.Exit(EXIT_BUILD_FAILED)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A .txt, .md, .docx or .pdf file holding the programme.")],
    slug: Annotated[
        str | None, typer.Option(help="The publication's folder name in source/ (default: made from the title).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The title (default: the document's own).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing publication of that name.")] = False,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """Make a new publication in source/<slug>/ from a file, say what was found in it and what to run next."""
    from pipeline.importer import import_file

    try:
        imported = import_file(project, file, slug=slug, title=title, force=force)
    except PipelineError as exc:
        _fail(exc)
        return
    typer.echo("\n".join(imported.summary()))


@app.command()
def preview(
    slug: Annotated[str, typer.Argument(help="The publication's folder name in source/.")],
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")] = 8000,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """Serve the HTML edition on 127.0.0.1, rebuild it on every save and reload the browser page.

    Watches the publication's folder and the project's layouts/. A failed build shows its error over the page.
    """
    from pipeline.preview import preview as run_preview

    try:
        run_preview(project.resolve(), slug, port, say=typer.echo)
    except PipelineError as exc:
        _fail(exc)
    typer.echo("preview stopped.", err=True)


class ListFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("list")
def list_(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="A table, or JSON.")] = ListFormat.table,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """List the publications in source/: title, source text, last build, and whether a build would redo it.

    Exits 2 when a publication cannot be read (it is listed with the reason).
    """
    from pipeline.listing import format_table, list_publications

    try:
        listings = list_publications(project.resolve())
    except PipelineError as exc:
        _fail(exc)
        return
    if format is ListFormat.json:
        typer.echo(json.dumps([li.to_json() for li in listings], ensure_ascii=False, indent=2))
    else:
        typer.echo(format_table(listings))
    for li in listings:
        if li.error:
            typer.echo(f"error: {li.error}", err=True)
    if any(li.error for li in listings):
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def check(
    slugs: Annotated[list[str] | None, typer.Argument(help="Publications to check (default: all in source/).")] = None,
    edition: Annotated[
        list[EditionName] | None,
        typer.Option("--edition", "-e", help="Editions to check (repeatable; default: every one it builds)."),
    ] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="A table, or JSON for CI.")] = ListFormat.table,
    ace: Annotated[
        str | None, typer.Option("--ace", help="Ace by DAISY's command (default: ace on PATH, else .cache/ace).")
    ] = None,
    no_ace: Annotated[
        bool, typer.Option("--no-ace", help="Leave Ace out on purpose: its row says skipped and does not fail.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    project: Annotated[Path, typer.Option(help="The project folder (holds source/, layouts/, fonts/).")] = Path("."),
) -> None:
    """Check every built edition: the file whole, epubcheck, Ace, PDF/UA, the print shop's preflight, fonts, words.

    Exits 0 only when every check passed; 1 when one failed or could not run (a tool that is not
    installed is not a pass); 2 for bad input (an unknown publication).
    """
    from pipeline.check import CheckRequest, exit_code, print_table, run_checks, to_json

    request = CheckRequest(
        project=project.resolve(),
        slugs=list(slugs or []),
        editions=[e.value for e in edition or []],
        ace=ace,
        run_ace=not no_ace,
        strict=strict,
    )
    try:
        rows = run_checks(request)
    except PipelineError as exc:
        _fail(exc)
        return
    if format is ListFormat.json:
        typer.echo(to_json(rows, strict))
    else:
        print_table(rows)
    raise typer.Exit(exit_code(rows, strict))


def main() -> None:
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    # Every output is written, synced and renamed by now. Skipping the interpreter's teardown
    # saves ~1.7 s after a build that loaded the hunspell dictionary (millions of small objects).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
