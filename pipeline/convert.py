"""Source file → finished model: pick the reader by source kind, run the document passes, guard the wording.

This module sits above ``readers/`` (one per source kind) and ``normalise/`` (the shared passes), so
the dependency runs one way: convert → readers → normalise.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.model import Document, Meta, Title, plain
from pipeline.normalise.ids import assign_ids
from pipeline.normalise.report import Report
from pipeline.normalise.typography import typography
from pipeline.publication import Publication, load_publication
from pipeline.readers import kind_of, reader_for


def document_passes(doc: Document, report: Report) -> Document:
    """The ordered Document → Document passes every reader's output goes through."""
    doc = typography(doc, report)
    doc = assign_ids(doc)
    return doc


def normalise_bytes(data: bytes, path: Path, pub_meta: Meta, kind: str | None = None) -> tuple[Document, Report]:
    """Read ``data`` (the file at ``path``) with the reader for its kind and finish the model."""
    report = Report()
    kind = kind or kind_of(path) or "extracted"
    reading = reader_for(kind)(data, path, pub_meta, report)
    if not reading.doc.blocks:
        raise PipelineError("has no text.", path, hint="The file is empty or holds only white space.")
    doc = document_passes(reading.doc, report)
    if reading.source_lines is not None:
        _guard_wording(reading.source_lines, path, report, doc)
    return doc, report


def _guard_wording(lines: tuple[tuple[int, str], ...], path: Path, report: Report, doc: Document) -> None:
    """Refuse to hand on a model that lost, reordered or invented a word (a normaliser bug)."""
    from pipeline.normalise.wordcheck import lost_words

    diff = lost_words(lines, report, doc)
    if diff is not None:
        source, model = diff
        raise PipelineError(
            f"the normaliser would change the wording (source: {' '.join(source)!r}; model: {' '.join(model)!r}).",
            path,
            hint="This is a bug in the pipeline; please report it with this file. Nothing was built from it.",
        )


def normalise_publication(pub: Publication) -> tuple[Document, Report]:
    try:
        data = pub.text_path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", pub.text_path) from None
    return normalise_bytes(data, pub.text_path, pub.config.meta(pub.slug), pub.kind)


def normalise_source(project: Path, source: str) -> tuple[Document, Report]:
    """What `pipeline normalise` was given (a source file or a publication's folder name), normalised."""
    path = Path(source)
    if path.is_file():
        toml = path.parent / "publication.toml"
        meta = load_config(toml).meta(path.parent.name) if toml.is_file() else Meta(title="")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None
        doc, report = normalise_bytes(data, path, meta)
    elif path.is_dir() and path.parent.resolve() == (project / "source").resolve():
        doc, report = normalise_publication(load_publication(project / "source", path.name))
    elif "/" not in source and (project / "source" / source).is_dir():
        doc, report = normalise_publication(load_publication(project / "source", source))
    else:
        raise PipelineError(
            "no such file or publication.", path, hint="Give a source file's path or a folder name in source/."
        )
    if not doc.meta.title:
        title = next((plain(b.inlines) for b in doc.blocks if isinstance(b, Title)), "")
        doc = replace(doc, meta=replace(doc.meta, title=title))
    return doc, report
