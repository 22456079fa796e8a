"""Find publications in source/ and check their paths stay inside it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PublicationConfig, load_config
from pipeline.errors import PipelineError
from pipeline.readers import SOURCE_KINDS, kind_of

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a long party programme is about 100 KB of text
# A laid-out document carries pictures and fonts besides its text: a long programme as PDF or Word is
# a few MB, a picture-heavy one tens of MB.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
DOCUMENT_KINDS = frozenset({"pdf", "docx"})
EDITOR_KIND = "markdown"  # an editor's reviewed text (text.md): it always wins over the source it came from


@dataclass(frozen=True)
class Publication:
    slug: str
    folder: Path
    config: PublicationConfig
    text_path: Path  # text.md when present (an editor's reviewed text), else text.docx, text.pdf or text.txt
    source_path: Path | None = None  # beside text.md: the one source it was made from (text.txt, .pdf, .docx)
    empty_text_md: bool = False  # an empty text.md (a redirect gone wrong) was passed over for the source

    @property
    def kind(self) -> str:
        return kind_of(self.text_path) or "extracted"

    def empty_text_md_warning(self) -> str:
        """What to say about an empty text.md that was passed over ("" when there is none)."""
        if not self.empty_text_md:
            return ""
        return (
            f"{self.folder / 'text.md'}: is empty, so {self.text_path.name} is the text. Delete the empty file, or "
            f"write an editor's text with `pipeline normalise {self.slug} --write`."
        )

    def stale_source(self) -> str:
        """A warning when the source changed after text.md was written from it ("" when it did not).

        Only a text.md that ``pipeline normalise --write`` wrote can tell: its first line records the
        source's name and hash.
        """
        from pipeline.readers.markdown import split_record

        if self.kind != EDITOR_KIND or self.source_path is None:
            return ""
        with open(self.text_path, "rb") as fh:
            first = fh.readline().decode("utf-8-sig", errors="replace")
        record, _ = split_record(first)
        if record is None:
            return ""
        if record.source == self.source_path.name:
            if hashlib.sha256(self.source_path.read_bytes()).hexdigest() == record.source_sha256:
                return ""
            what = "changed after text.md was written from it"
        else:
            what = f"is not the {record.source} that text.md was written from"
        return (
            f"{self.source_path}: {what}; the editions use text.md, which may now be out of date. "
            f"See the differences with `pipeline normalise {self.slug} --report` (kind 'editor') and carry them "
            f"into text.md, or rewrite it with `pipeline normalise {self.slug} --write --force` "
            "(which discards the editor's changes)."
        )


def _inside(path: Path, root: Path, what: str) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise PipelineError(
            f"{what} leads outside {root} (to {resolved}).",
            path,
            hint="Copy the file into the publication's folder instead of linking to it.",
        )
    return resolved


def did_you_mean(source_root: Path, name: str) -> str:
    """The hint "Did you mean 'x'? " naming the publication nearest ``name`` ("" when none is near)."""
    import difflib

    try:
        slugs = discover(source_root)
    except PipelineError:
        return ""
    close = difflib.get_close_matches(name.lower(), slugs, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'? " if close else ""


def publication_folder(source_root: Path, slug: str) -> Path:
    """The folder of the publication ``slug`` names; an error (with the nearest name) when there is none."""
    if not SLUG.match(slug):
        raise PipelineError(
            f"'{slug}' is not a valid publication name.",
            source_root / slug,
            hint=did_you_mean(source_root, slug)
            + "Use lower-case letters, digits and hyphens (e.g. 'partiprogram-2026').",
        )
    folder = source_root / slug
    if not folder.is_dir():
        names = ", ".join(discover(source_root)) if source_root.is_dir() else ""
        raise PipelineError(
            "no such publication folder.",
            folder,
            hint=did_you_mean(source_root, slug)
            + (f"The publications in {source_root}: {names}." if names else f"{source_root} holds no publications."),
        )
    _inside(folder, source_root, "the publication folder")
    return folder


def load_publication(source_root: Path, slug: str) -> Publication:
    folder = publication_folder(source_root, slug)
    toml = folder / "publication.toml"
    if not toml.is_file():
        raise PipelineError("publication.toml is missing.", toml, hint='Add one with at least: title = "...".')
    _inside(toml, folder, "publication.toml")
    config = load_config(toml)
    text = source_text(folder)
    _inside(text, folder, text.name)
    check_size(text, "Check that this is the right file; give each publication its own folder.")
    edited = kind_of(text) == EDITOR_KIND
    source = underlying_source(folder) if edited else None
    if source is not None:
        _inside(source, folder, source.name)
        check_size(source, "Check that this is the right file; give each publication its own folder.")
    md = folder / "text.md"
    empty = not edited and md.is_file() and md.stat().st_size == 0
    return Publication(slug, folder, config, text, source, empty)


def check_size(path: Path, hint: str) -> None:
    """Refuse a source file larger than its kind allows (text 2 MiB; PDF and Word 50 MiB)."""
    limit = MAX_DOCUMENT_BYTES if (kind_of(path) or "extracted") in DOCUMENT_KINDS else MAX_TEXT_BYTES
    size = path.stat().st_size
    if size > limit:
        raise PipelineError(
            f"is {size / 2**20:.1f} MiB; one programme's {path.suffix} file is at most {limit // 2**20} MiB.",
            path,
            hint=hint,
        )


def source_text(folder: Path) -> Path:
    """The publication's text: an editor's ``text.md`` always wins; else its one ``text.<kind>`` file.

    The names are those of the reader table (``readers.SOURCE_KINDS``): ``text.txt``, ``text.docx``,
    ``text.pdf``, ... Two source texts at once would leave the choice to chance, so they are an error.
    An empty ``text.md`` (what ``pipeline normalise SLUG > text.md`` left before it could be written
    safely) is passed over: it never wins over a real source.
    """
    names = [f"text{suffix}" for suffix in SOURCE_KINDS]
    found = [folder / name for name in names if (folder / name).is_file()]
    edited = [p for p in found if kind_of(p) == EDITOR_KIND and p.stat().st_size > 0]
    if edited:
        return edited[0]
    present = [p for p in found if kind_of(p) != EDITOR_KIND]
    if not present and found:
        raise PipelineError(
            "is empty.",
            found[0],
            hint=f"Delete it; write an editor's text with `pipeline normalise {folder.name} --write` from a source.",
        )
    if len(present) > 1:
        both = " and ".join(p.name for p in present)
        raise PipelineError(
            f"has {both}: a publication has one source text.",
            folder,
            hint="Remove all but one of them (an editor's text.md may sit beside it and takes precedence).",
        )
    if not present:
        listed = ", ".join(n for n in names if n not in ("text.markdown",))
        raise PipelineError(
            f"has no text.txt or other source text ({listed}).",
            folder,
            hint="Put the extracted text in text.txt, or a Word or PDF file as text.docx or text.pdf "
            "(`pipeline import FILE` does it).",
        )
    return present[0]


def underlying_source(folder: Path) -> Path | None:
    """The one source text beside an editor's text.md (None when there is none, or more than one)."""
    present = [folder / f"text{suffix}" for suffix, kind in SOURCE_KINDS.items() if kind != EDITOR_KIND]
    present = [p for p in present if p.is_file()]
    return present[0] if len(present) == 1 else None


def discover(source_root: Path) -> list[str]:
    """The slugs of all publication folders, sorted."""
    if not source_root.is_dir():
        raise PipelineError(
            "no source folder here.", source_root, hint="Run the command in the project folder, or pass --project."
        )
    return sorted(p.name for p in source_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
