"""The build's disposable files (state file, cached models, page maps): used only when they parse and validate.

A file a killed build, a full disk or a hand left truncated or of another shape is not an error:
it reads as absent, and the build makes it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

if TYPE_CHECKING:
    from pipeline.model import Document

T = TypeVar("T")


class StateEntry(msgspec.Struct):
    """What ``output/<slug>/.build-state.json`` records of one edition's file."""

    key: str
    size: int
    mtime_ns: int
    sha256: str
    pages: int = 0


class CachedModel(msgspec.Struct):
    """``output/.cache/<slug>/model-*.json``: the normalised model, its edit report and the source's lines."""

    model: dict[str, Any]
    report: list[dict[str, Any]]
    sources: list[dict[str, Any]]


class PageMap(msgspec.Struct):
    """The brochure's page map, which the large print cites: block id → [first page, last page]."""

    pages: int
    blocks: dict[str, tuple[int, int]]


def read_valid(path: Path, kind: type[T]) -> T | None:
    """The file decoded as ``kind``; None when it is missing, unreadable, not JSON or of another shape."""
    try:
        return msgspec.json.decode(path.read_bytes(), type=kind)
    except (OSError, msgspec.DecodeError):  # msgspec.ValidationError is a DecodeError
        return None


def read_state(path: Path) -> dict[str, dict[str, Any]]:
    """The build's state file as plain dicts (``{}`` when it does not validate: every edition is rebuilt)."""
    state = read_valid(path, dict[str, StateEntry]) or {}
    return {edition: msgspec.structs.asdict(entry) for edition, entry in state.items()}


def load_model(path: Path) -> tuple[Document, dict[str, Any]] | None:
    """A cached model and what lies beside it (``report``, ``sources``); None when the file does not validate."""
    from pipeline.model import from_json

    cached = read_valid(path, CachedModel)
    if cached is None:
        return None
    try:
        doc = from_json(cached.model)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    return doc, {"report": cached.report, "sources": cached.sources}
