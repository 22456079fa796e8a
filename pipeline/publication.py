"""Find publications in source/ and check their paths stay inside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PublicationConfig, load_config
from pipeline.errors import PipelineError

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a long party programme is about 100 KB of text


@dataclass(frozen=True)
class Publication:
    slug: str
    folder: Path
    config: PublicationConfig
    text_path: Path  # text.md when present (an editor's reviewed text), else text.txt

    @property
    def kind(self) -> str:
        from pipeline.readers import kind_of

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
    for name in ("text.md", "text.txt"):
        candidate = folder / name
        if candidate.is_file():
            _inside(candidate, folder, name)
            size = candidate.stat().st_size
            if size > MAX_TEXT_BYTES:
                raise PipelineError(
                    f"is {size / 2**20:.1f} MiB; one programme's text is at most {MAX_TEXT_BYTES // 2**20} MiB.",
                    candidate,
                    hint="Check that this is the right file; give each publication its own folder.",
                )
            return Publication(slug, folder, config, candidate)
    raise PipelineError("has no text.txt or text.md.", folder, hint="Put the extracted text in text.txt.")


def discover(source_root: Path) -> list[str]:
    """The slugs of all publication folders, sorted."""
    if not source_root.is_dir():
        raise PipelineError(
            "no source folder here.", source_root, hint="Run the command in the project folder, or pass --project."
        )
    return sorted(p.name for p in source_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
