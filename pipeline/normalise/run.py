"""Run the reader and the ordered document passes for one publication."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.model import Document, Meta
from pipeline.normalise.ids import assign_ids
from pipeline.normalise.report import Report
from pipeline.normalise.typography import typography
from pipeline.publication import Publication
from pipeline.readers.extracted import read_extracted
from pipeline.readers.markdown import read_markdown


def document_passes(doc: Document, report: Report) -> Document:
    """The ordered Document → Document passes every reader's output goes through."""
    doc = typography(doc, report)
    doc = assign_ids(doc)
    return doc


def normalise_bytes(data: bytes, path: Path, pub_meta: Meta, kind: str = "extracted") -> tuple[Document, Report]:
    report = Report()
    reader = read_markdown if kind == "markdown" else read_extracted
    doc = reader(data, path, pub_meta, report)
    if not doc.blocks:
        raise PipelineError("has no text.", path, hint="The file is empty or holds only white space.")
    doc = document_passes(doc, report)
    if kind == "extracted":
        _guard_wording(data, path, report, doc)
    return doc, report


def _guard_wording(data: bytes, path: Path, report: Report, doc: Document) -> None:
    """Refuse to hand on a model that lost, reordered or invented a word (a normaliser bug)."""
    from pipeline.normalise.wordcheck import lost_words
    from pipeline.readers.decode import decode

    diff = lost_words(decode(data, path, Report()), report, doc)
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
