"""`pipeline preview`: serve a publication's HTML edition, rebuild it on every save, reload the browser."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.preview.server import HOST, PreviewServer
from pipeline.preview.session import PreviewSession, Snapshot
from pipeline.publication import SLUG, load_publication

__all__ = ["preview", "watched_paths"]

STEP_MS = 50  # a save is built once no further change arrived for this long
DEBOUNCE_MS = 800  # ... or after this long, if an editor keeps writing
READY_MS = 200  # the watcher reports in after this long without changes: it is running


def watched_paths(project: Path, slug: str) -> list[Path]:
    """The publication's folder (its text, publication.toml, its layouts/) and the project's layouts/."""
    paths = [project / "source" / slug]
    if (project / "layouts").is_dir():
        paths.append(project / "layouts")
    return paths


def preview(
    project: Path,
    slug: str,
    port: int = 8000,
    *,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve ``slug``'s HTML edition on 127.0.0.1 until Ctrl-C (or ``stop``), rebuilding it on every save.

    A failed build leaves the last good page served, with its error shown over it. Raises
    PipelineError for an unknown publication or a port that cannot be used.
    """
    import watchfiles

    source = project / "source"
    if not SLUG.match(slug) or not (source / slug).is_dir():
        load_publication(source, slug)  # raises the error that names the folder and what to do
    session = PreviewSession(project, slug)
    try:
        server = PreviewServer(session, port)
    except OSError as exc:
        raise PipelineError(
            f"cannot serve on {HOST}:{port}: {exc.strerror}.",
            hint="Choose another port with --port (--port 0 picks a free one).",
        ) from None
    serving = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    stop = stop or threading.Event()
    watch_filter = watchfiles.DefaultFilter(
        ignore_entity_patterns=(*watchfiles.DefaultFilter.ignore_entity_patterns, r"\.tmp$")
    )
    try:
        _report(say, *session.rebuild(), changed=True)
        serving.start()
        announced = False
        changes: set[tuple[watchfiles.Change, str]]
        for changes in watchfiles.watch(
            *watched_paths(project, slug),
            watch_filter=watch_filter,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            rust_timeout=READY_MS,
            yield_on_timeout=True,
            stop_event=stop,
        ):
            if changes or not announced:
                # The first pass also catches a save made while the watcher was starting.
                before = session.snapshot()
                snapshot, seconds = session.rebuild()
                if changes or snapshot is not before:
                    _report(say, snapshot, seconds, changed=snapshot is not before)
            if not announced:
                say(f"previewing {slug} at {server.url}  (rebuilt on every save; Ctrl-C to stop)")
                announced = True
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
        if serving.is_alive():
            server.shutdown()
        server.server_close()


def _report(say: Callable[[str], None], snapshot: Snapshot, seconds: float, changed: bool) -> None:
    if snapshot.error:
        say(f"error: {snapshot.error}")
    elif changed:
        say(f"built the html edition in {seconds:.2f} s (version {snapshot.version})")
    else:
        say("rebuilt: the page is unchanged")
