"""Readers: one module per source kind, each turning a file's bytes into a Reading; the table of them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import Document, Meta
from pipeline.normalise.report import Report


@dataclass(frozen=True)
class Reading:
    """What a reader hands on: the document before the shared document passes, and its evidence.

    ``source_lines`` are the numbered lines of the source's own text (for a PDF: the text layer
    rebuilt line by line; for Word: one line per paragraph), less what the reader dropped and
    reported (running heads, page numbers). The wording guard checks that the model keeps every
    word of them, in order. ``None`` means the file is an editor's own text (``text.md``).
    """

    doc: Document
    source_lines: tuple[tuple[int, str], ...] | None


Reader = Callable[[bytes, Path, Meta, Report], Reading]

# The one table of source kinds: file suffix → kind → "module:function". A new format is one
# reader module and one line in each table.
SOURCE_KINDS: dict[str, str] = {
    ".txt": "extracted",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pdf": "pdf",
}
READERS: dict[str, str] = {
    "extracted": "pipeline.readers.extracted:read_extracted",
    "markdown": "pipeline.readers.markdown:read_markdown",
    "docx": "pipeline.readers.docx:read_docx",
    "pdf": "pipeline.readers.pdf:read_pdf",
}


def kind_of(path: Path) -> str | None:
    """The source kind of a file by its suffix (None: not a source the pipeline reads)."""
    return SOURCE_KINDS.get(path.suffix.lower())


def reader_for(kind: str) -> Reader:
    module, _, name = READERS[kind].partition(":")
    reader: Reader = getattr(importlib.import_module(module), name)
    return reader


def numbered_lines(text: str) -> tuple[tuple[int, str], ...]:
    """A decoded text as (1-based line number, line) pairs."""
    return tuple(enumerate(text.split("\n"), start=1))
