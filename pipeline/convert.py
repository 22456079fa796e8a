"""Source file → finished model: pick the reader by source kind, run the document passes, guard the wording.

This module sits above ``readers/`` (one per source kind) and ``normalise/`` (the shared passes), so
the dependency runs one way: convert → readers → normalise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.atomic import write_bytes
from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.model import Document, ListBlock, Meta, Title, block_text, plain
from pipeline.normalise.direction import mark_directions
from pipeline.normalise.ids import assign_ids
from pipeline.normalise.report import Report
from pipeline.normalise.typography import typography
from pipeline.publication import EDITOR_KIND, Publication, did_you_mean, load_publication
from pipeline.readers import kind_of, numbered_lines, reader_for


def document_passes(doc: Document, report: Report) -> Document:
    """The ordered Document → Document passes every reader's output goes through."""
    doc = mark_directions(doc)  # before typography: a passage in another script gets no Swedish rules
    doc = typography(doc, report)
    doc = assign_ids(doc)
    return doc


@dataclass(frozen=True)
class SourceLines:
    """A file's numbered lines, as the edit report's line numbers count them (for the review page)."""

    name: str  # the file's name in the publication's folder: text.txt, text.md, text.pdf, ...
    kind: str  # its source kind (the reader table's)
    lines: tuple[tuple[int, str], ...]


def normalise_bytes(data: bytes, path: Path, pub_meta: Meta, kind: str | None = None) -> tuple[Document, Report]:
    """Read ``data`` (the file at ``path``) with the reader for its kind and finish the model."""
    doc, report, _ = _normalise_lines(data, path, pub_meta, kind)
    return doc, report


def _normalise_lines(
    data: bytes, path: Path, pub_meta: Meta, kind: str | None = None
) -> tuple[Document, Report, SourceLines]:
    """``normalise_bytes``, and the numbered lines its report refers to."""
    report = Report()
    kind = kind or kind_of(path) or "extracted"
    reading = reader_for(kind)(data, path, pub_meta, report)
    if not reading.doc.blocks:
        raise PipelineError("has no text.", path, hint="The file is empty or holds only white space.")
    _refuse_huge_blocks(reading.doc, path)
    doc = document_passes(reading.doc, report)
    if reading.source_lines is not None:
        _guard_wording(reading.source_lines, path, report, doc)
    return doc, report, SourceLines(path.name, kind, _shown_lines(data, path, kind, reading.source_lines))


# The longest paragraph (or heading, or list item) the editions lay out: about seven A5 pages, far
# beyond any programme's. WeasyPrint's time for one paragraph grows faster than its length (each
# line encodes and copies the rest of the paragraph): the brochure alone of one paragraph of 200 000,
# 400 000 and 800 000 characters took 5, 15 and 40 s on an idle machine; of 1.5 MiB, minutes per edition.
MAX_BLOCK_CHARS = 20_000


def _refuse_huge_blocks(doc: Document, path: Path) -> None:
    for block in doc.blocks:
        parts = (
            [plain(item) for _depth, item in block.entries()] if isinstance(block, ListBlock) else [block_text(block)]
        )
        longest = max(map(len, parts), default=0)
        if longest > MAX_BLOCK_CHARS:
            raise PipelineError(
                f"a paragraph of {longest:,} characters; the editions lay out paragraphs of at most "
                f"{MAX_BLOCK_CHARS:,} characters.".replace(",", " "),
                path,
                block.line or None,
                hint="Break it into paragraphs: a blank line between them.",
            )


def _shown_lines(
    data: bytes, path: Path, kind: str, read: tuple[tuple[int, str], ...] | None
) -> tuple[tuple[int, str], ...]:
    """A text file's own lines, every one (dropped ones and invisible characters too); for PDF and Word,
    the reader's numbered lines (the text layer line by line; a paragraph a line)."""
    if kind in ("extracted", "markdown") or read is None:
        from pipeline.readers.decode import decode

        return numbered_lines(decode(data, path, Report(), keep_invisible=True))
    return read


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


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", path) from None


def normalise_publication(pub: Publication) -> tuple[Document, Report]:
    """The publication's text, normalised; for an editor's text.md, its differences from the source reported."""
    doc, report, _ = read_publication(pub)
    return doc, report


def read_publication(pub: Publication) -> tuple[Document, Report, list[SourceLines]]:
    """``normalise_publication``, and the lines its report refers to: the text's, then (beside an
    editor's text.md) the source's it was compared with."""
    data = _read(pub.text_path)
    doc, report, lines = _normalise_lines(data, pub.text_path, pub.config.meta(pub.slug), pub.kind)
    if pub.empty_text_md:
        report.add("empty-text-md", 0, "text.md", "", pub.empty_text_md_warning())
    compared = None
    if pub.kind == EDITOR_KIND and pub.source_path is not None:
        compared = _editor_changes(pub, data, doc, report)
    return doc, report, [lines] if compared is None else [lines, compared]


def _editor_changes(pub: Publication, data: bytes, doc: Document, report: Report) -> SourceLines | None:
    """List each word an editor changed in text.md against the source it records (kind "editor").

    The wording guard allows these changes, but shows every one: the source is normalised as if
    there were no text.md, and the two models' words are aligned.
    """
    from pipeline.normalise.wordcheck import word_changes
    from pipeline.readers.markdown import split_record

    source = pub.source_path
    record, _ = split_record(data.decode("utf-8-sig", errors="replace"))
    if record is None or source is None:
        return None  # a text.md made by hand records no source to compare with
    stale = pub.stale_source()
    if stale:
        now = hashlib.sha256(_read(source)).hexdigest()
        report.add("stale", 0, f"{record.source} {record.source_sha256[:12]}", f"{source.name} {now[:12]}", stale)
    try:
        original, _, lines = _normalise_lines(_read(source), source, pub.config.meta(pub.slug), kind_of(source))
    except PipelineError as exc:
        report.add("editor", 0, "", "", f"the editor's changes cannot be listed: {exc}")
        return None
    whose = "an editor's change (or the source's: it changed)" if stale else "an editor's change"
    for change in word_changes(original, doc):
        before, after = " ".join(change.before), " ".join(change.after)
        note = f"{whose}; {source.name} line {change.before_line}"
        report.add("editor", change.after_line, before, after, note, compared_line=change.before_line)
    return lines


def write_text_md(project: Path, source: str, force: bool = False) -> tuple[Path, Path]:
    """Save a publication's normalised source as its text.md, atomically, with a record of the source.

    An existing text.md that differs from what the pipeline wrote (an editor's work, or a file
    made by hand) is overwritten only with ``force``. Returns (text.md, the source it was made from).
    """
    pub = _publication(project, source)
    if pub is None:
        raise PipelineError(
            "is not a publication in source/.",
            Path(source),
            hint=did_you_mean(project / "source", Path(source).name) + "Give a folder name in source/.",
        )
    origin = pub.source_path if pub.kind == EDITOR_KIND else pub.text_path
    if origin is None:
        raise PipelineError(
            "is the publication's only text: there is no text.txt, text.pdf or text.docx to write it from.",
            pub.text_path,
            hint="Edit text.md itself.",
        )
    target = pub.folder / "text.md"
    if pub.kind == EDITOR_KIND and not force:
        from pipeline.readers.markdown import split_record

        record, body = split_record(_read(target).decode("utf-8-sig", errors="replace"))
        if record is None or record.edited(body):
            raise PipelineError(
                "holds an editor's changes (it is not what the pipeline wrote); it was left as it is.",
                target,
                hint=f"See them with `pipeline normalise {pub.slug} --report` (kind 'editor'); "
                "to replace them with a fresh text from the source, add --force.",
            )
    from pipeline.render.markdown import recorded_markdown

    data = _read(origin)
    doc, _ = normalise_bytes(data, origin, pub.config.meta(pub.slug), kind_of(origin))
    write_bytes(target, recorded_markdown(doc, origin.name, data).encode("utf-8"))
    return target, origin


def _publication(project: Path, source: str) -> Publication | None:
    """The publication ``source`` names (a folder name in source/, or that folder's path); None if none."""
    path = Path(source)
    if path.is_dir() and path.parent.resolve() == (project / "source").resolve():
        return load_publication(project / "source", path.name)
    if "/" not in source and (project / "source" / source).is_dir():
        return load_publication(project / "source", source)
    return None


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
    elif (pub := _publication(project, source)) is not None:
        doc, report = normalise_publication(pub)
    else:
        raise PipelineError(
            "no such file or publication.",
            path,
            hint=did_you_mean(project / "source", path.name) + "Give a source file's path or a folder name in source/.",
        )
    if not doc.meta.title:
        title = next((plain(b.inlines) for b in doc.blocks if isinstance(b, Title)), "")
        doc = replace(doc, meta=replace(doc.meta, title=title))
    return doc, report
