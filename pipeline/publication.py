"""Find publications in source/ and check their paths stay inside it."""

from __future__ import annotations

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

    @property
    def kind(self) -> str:
        return kind_of(self.text_path) or "extracted"


def _inside(path: Path, root: Path, what: str) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise PipelineError(
            f"{what} leads outside {root} (to {resolved}).",
            path,
            hint="Copy the file into the publication's folder instead of linking to it.",
        )
    return resolved


def load_publication(source_root: Path, slug: str) -> Publication:
    if not SLUG.match(slug):
        raise PipelineError(
            f"'{slug}' is not a valid publication name.",
            source_root / slug,
            hint="Use lower-case letters, digits and hyphens (e.g. 'partiprogram-2026').",
        )
    folder = source_root / slug
    if not folder.is_dir():
        raise PipelineError(
            "no such publication folder.", folder, hint=f"Publications are the folders in {source_root}."
        )
    _inside(folder, source_root, "the publication folder")
    toml = folder / "publication.toml"
    if not toml.is_file():
        raise PipelineError("publication.toml is missing.", toml, hint='Add one with at least: title = "...".')
    _inside(toml, folder, "publication.toml")
    config = load_config(toml)
    text = source_text(folder)
    _inside(text, folder, text.name)
    check_size(text, "Check that this is the right file; give each publication its own folder.")
    return Publication(slug, folder, config, text)


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
    """
    names = [f"text{suffix}" for suffix in SOURCE_KINDS]
    present = [folder / name for name in names if (folder / name).is_file()]
    edited = [p for p in present if kind_of(p) == EDITOR_KIND]
    if edited:
        return edited[0]
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


def discover(source_root: Path) -> list[str]:
    """The slugs of all publication folders, sorted."""
    if not source_root.is_dir():
        raise PipelineError(
            "no source folder here.", source_root, hint="Run the command in the project folder, or pass --project."
        )
    return sorted(p.name for p in source_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
