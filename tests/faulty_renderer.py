"""Renderers that fail mid-write, for the atomicity tests (imported by name in build workers)."""

from __future__ import annotations

import os
import signal
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
