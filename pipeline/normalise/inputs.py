"""Resolve what `pipeline normalise` was given (a file or a slug) and normalise it."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.model import Document, Meta
from pipeline.normalise.report import Report
from pipeline.normalise.run import normalise_bytes, normalise_publication
from pipeline.publication import load_publication


def normalise_source(project: Path, source: str) -> tuple[Document, Report]:
    path = Path(source)
    if path.is_file():
        toml = path.parent / "publication.toml"
        meta = load_config(toml).meta(path.parent.name) if toml.is_file() else Meta(title="")
        kind = "markdown" if path.suffix.lower() in (".md", ".markdown") else "extracted"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None
        doc, report = normalise_bytes(data, path, meta, kind)
    elif path.is_dir() and path.parent.resolve() == (project / "source").resolve():
        doc, report = normalise_publication(load_publication(project / "source", path.name))
    elif "/" not in source and (project / "source" / source).is_dir():
        doc, report = normalise_publication(load_publication(project / "source", source))
    else:
        raise PipelineError(
            "no such file or publication.", path, hint="Give a text.txt path or a folder name in source/."
        )
    if not doc.meta.title:
        from dataclasses import replace

        from pipeline.model import Title, plain

        title = next((plain(b.inlines) for b in doc.blocks if isinstance(b, Title)), "")
        doc = replace(doc, meta=replace(doc.meta, title=title))
    return doc, report
