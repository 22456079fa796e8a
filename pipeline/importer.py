"""Make a new publication from one source file: source/<slug>/ with the file as its text and a publication.toml."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import load_config
from pipeline.convert import normalise_bytes
from pipeline.errors import PipelineError
from pipeline.languages import DEFAULT_LANGUAGE
from pipeline.model import Document, Heading, ListBlock, Meta, Paragraph, RunInLead, Slogan, Title, plain
from pipeline.normalise.chars import is_dropped_control
from pipeline.normalise.ids import slugify
from pipeline.normalise.report import Edit, Report
from pipeline.publication import SLUG, check_size
from pipeline.readers import SOURCE_KINDS, kind_of

# Report entries an editor should look at before building: the reader's doubts, guessed
# encodings, and every decision whose note asks for a check (a hyphen kept for want of a word).
DOUBTFUL_KINDS = ("doubtful", "decode")
SHOWN_DOUBTS = 8


@dataclass(frozen=True)
class Imported:
    """What ``import_file`` made and found."""

    slug: str
    folder: Path
    source: Path
    title: str
    language: str
    language_known: bool  # False: the document does not say; the default was written
    doc: Document
    report: Report

    def counts(self) -> dict[str, int]:
        blocks = self.doc.blocks
        return {
            "parts": sum(isinstance(b, Heading) and b.level == 1 for b in blocks),
            "sections": sum((isinstance(b, Heading) and b.level == 2) or isinstance(b, RunInLead) for b in blocks),
            "subsections": sum(isinstance(b, Heading) and b.level == 3 for b in blocks),
            "paragraphs": sum(isinstance(b, Paragraph | RunInLead) for b in blocks),
            "lists": sum(isinstance(b, ListBlock) for b in blocks),
            "slogans": sum(isinstance(b, Slogan) for b in blocks),
        }

    def doubts(self) -> list[Edit]:
        return [e for e in self.report.edits if e.kind in DOUBTFUL_KINDS or "check" in e.note]

    def summary(self) -> list[str]:
        """What was found, what is doubtful, and the next command: the lines ``pipeline import`` prints."""
        counts = self.counts()
        has_title = any(isinstance(b, Title) for b in self.doc.blocks)
        lines = [
            f"imported {self.source} → {self.folder}/",
            f"  title:    {self.title}" + ("" if has_title else "  (not in the text: from its properties or --title)"),
            f"  language: {self.language}" + ("" if self.language_known else "  (the document does not say; assumed)"),
            "  found:    " + ", ".join(f"{n} {name if n != 1 else name[:-1]}" for name, n in counts.items()),
        ]
        lines += [
            f"  headings: {e.note} ({e.after})" if e.after else f"  headings: {e.note}"
            for e in self.report.of_kind("headings")
        ]
        doubts = self.doubts()
        if doubts:
            lines.append(f"  check:    {len(doubts)} doubtful point(s), by source line (Word: paragraph number):")
            lines += [f"    {e.format().strip()}" for e in doubts[:SHOWN_DOUBTS]]
            if len(doubts) > SHOWN_DOUBTS:
                lines.append(f"    … and {len(doubts) - SHOWN_DOUBTS} more: pipeline normalise {self.slug} --report")
        lines.append(f"next: pipeline build {self.slug}    (review first: pipeline normalise {self.slug})")
        return lines


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _clean(value: str) -> str:
    """One line, no invisible controls: what publication.toml accepts."""
    return " ".join("".join(ch for ch in value if not is_dropped_control(ch)).split())


def publication_toml(source: Path, title: str, language: str, subtitle: str = "") -> str:
    """publication.toml holding only what is known; the rest stays commented for the editor to fill in."""
    lines = [
        f"# Made by `pipeline import` from {source.name}. Every key is described in the README.",
        f"title = {toml_string(title)}",
    ]
    if subtitle:
        lines.append(f"subtitle = {toml_string(subtitle)}")
    lines += [
        f"language = {toml_string(language)}",
        '# organisation = ""  (the party or organisation: not in the document, fill it in if known)',
        '# date = "YYYY-MM-DD"',
    ]
    return "\n".join(lines) + "\n"


def _read(file: Path) -> tuple[bytes, str]:
    kind = kind_of(file)
    if kind is None:
        known = ", ".join(sorted(SOURCE_KINDS))
        raise PipelineError(
            f"is not a kind of file the pipeline reads ({known}).", file, hint="Save the programme in one of those."
        )
    if not file.is_file():
        raise PipelineError("no such file.", file, hint="Give the path of the file to import.")
    check_size(file, "Check that this is the right file.")
    try:
        return file.read_bytes(), kind
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", file) from None


def text_name(file: Path, kind: str) -> str:
    """The name the source gets in its publication: ``text.md`` for Markdown, else ``text`` + its suffix."""
    return "text.md" if kind == "markdown" else f"text{file.suffix.lower()}"


def import_file(
    project: Path, file: Path, slug: str | None = None, title: str | None = None, force: bool = False
) -> Imported:
    """Read ``file`` with its reader (a bad file fails here, before anything is written) and make its publication.

    The folder is written beside its final place under a hidden name and renamed into place, so
    source/ never holds half a publication. With ``force`` an existing folder of that name is
    replaced as a whole (its old files are removed once the new folder is in place).
    """
    data, kind = _read(file)
    doc, report = normalise_bytes(data, file, Meta(title="", language=""), kind)
    printed = next((b for b in doc.blocks if isinstance(b, Title)), None)
    found = doc.meta.title or (plain(printed.inlines) if printed else "")
    given = title is not None
    title = _clean(title if title is not None else found)
    if not title and given:
        raise PipelineError("--title is empty.", hint='Give the title in quotes: --title "Vårt program 2026".')
    if not title:
        raise PipelineError(
            "has no title that the reader could find.", file, hint='Give one: pipeline import FILE --title "...".'
        )
    subtitle = _clean(plain(printed.subtitle)) if printed else ""
    language = doc.meta.language or DEFAULT_LANGUAGE
    slug = slug if slug is not None else slugify(title)
    if not SLUG.match(slug):
        raise PipelineError(
            f"'{slug}' is not a valid publication name.",
            hint="Use lower-case letters, digits and hyphens (e.g. --slug partiprogram-2026).",
        )
    if not project.is_dir():
        raise PipelineError("no such project folder.", project, hint="Run the command in the project folder.")
    source_root = project / "source"
    source_root.mkdir(exist_ok=True)
    target = source_root / slug
    if (target.exists() or target.is_symlink()) and not force:
        raise PipelineError(
            "already exists; nothing was changed.",
            target,
            hint="Choose another name with --slug, or replace it with --force.",
        )
    toml = publication_toml(file, title, language, subtitle)
    _write_folder(target, {text_name(file, kind): data, "publication.toml": toml.encode()})
    return Imported(slug, target, file, title, language, bool(doc.meta.language), doc, report)


def _write_folder(target: Path, files: dict[str, bytes]) -> None:
    """Create ``target`` with ``files`` all at once: a hidden temporary folder renamed into place."""
    stage = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.import")
    old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.replaced")
    stage.mkdir()
    try:
        for name, data in files.items():
            with open(stage / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        load_config(stage / "publication.toml")  # what was written loads, or nothing is moved into place
        if target.exists() or target.is_symlink():
            os.rename(target, old)
            os.rename(stage, target)
        else:
            os.rename(stage, target)
    except PipelineError as exc:
        raise PipelineError(f"the publication.toml written would not load: {exc}", target) from None
    except OSError as exc:
        raise PipelineError(f"cannot be written: {exc.strerror}.", target) from None
    finally:
        # Interrupted between the two renames: the previous folder goes back into place.
        if (old.exists() or old.is_symlink()) and not (target.exists() or target.is_symlink()):
            os.rename(old, target)
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(stage)
        if old.is_symlink() or old.is_file():
            old.unlink()
        elif old.exists():
            shutil.rmtree(old, ignore_errors=True)
