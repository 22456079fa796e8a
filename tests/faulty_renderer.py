"""Renderers that fail mid-write, for the atomicity tests (imported by name in build workers)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from pipeline.render.context import RenderContext


def raise_mid_write(ctx: RenderContext) -> dict[str, Any]:
    with open(ctx.target, "wb") as fh:
        fh.write(b"<html><body>half a file")
        fh.flush()
        raise RuntimeError("the renderer broke half-way")


def interrupt_mid_write(ctx: RenderContext) -> dict[str, Any]:
    with open(ctx.target, "wb") as fh:
        fh.write(b"<html><body>half a file")
        fh.flush()
        os.kill(os.getpid(), signal.SIGINT)
    return {}


def sleep_long(ctx: RenderContext) -> dict[str, Any]:
    """A slow edition: says which process renders it (beside the publication), then sleeps."""
    import time

    (ctx.publication_folder / f"rendering-{os.getpid()}").write_text(str(os.getppid()))
    time.sleep(120)
    return {}


# For the Dask executor's retry: each attempt leaves a line in $FAULTY_ATTEMPTS/<slug>-<edition>, a folder
# the test gives the cluster's worker processes (they are spawned, so they see only the environment).
def _attempt(ctx: RenderContext) -> int:
    log = Path(os.environ["FAULTY_ATTEMPTS"]) / f"{ctx.slug}-html"
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return len(log.read_text(encoding="utf-8").splitlines())


def fail_first_attempt(ctx: RenderContext) -> dict[str, Any]:
    """The HTML edition, after one failed attempt (a worker's passing trouble)."""
    from pipeline.render.standalone import render

    if _attempt(ctx) == 1:
        raise RuntimeError("the first attempt broke")
    return render(ctx)


def fail_every_attempt(ctx: RenderContext) -> dict[str, Any]:
    _attempt(ctx)
    return raise_mid_write(ctx)
