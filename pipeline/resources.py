"""Where layouts and fonts live: the project's folders first, then the copies bundled in the package."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def bundled(name: str) -> Path:
    """``layouts`` or ``fonts`` inside the installed package (or the source tree in development)."""
    inside = Path(str(resources.files("pipeline"))) / "_bundled" / name
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / name


def layout_dirs(project: Path, publication_folder: Path | None) -> list[Path]:
    dirs = []
    if publication_folder is not None and (publication_folder / "layouts").is_dir():
        dirs.append(publication_folder / "layouts")
    if (project / "layouts").is_dir():
        dirs.append(project / "layouts")
    fallback = bundled("layouts")
    if fallback not in dirs and fallback.is_dir():
        dirs.append(fallback)
    return dirs


def font_dirs(project: Path) -> list[Path]:
    """The fonts a render may use, first found first: the project's fonts/, overlaying the package's
    file by file (as ``layout_dirs``)."""
    return list(dict.fromkeys((fonts_dir(project), bundled("fonts"))))


def fonts_dir(project: Path) -> Path:
    return project / "fonts" if (project / "fonts").is_dir() else bundled("fonts")


def find_layout(name: str, dirs: list[Path]) -> Path | None:
    """The first file called ``name`` (e.g. ``brochure/brochure.css``) on the layout search path.

    Whatever stands under that name is found, a folder or a link to nothing too, so that an override
    that cannot be read is an error (``url_policy.check_layout``), never quietly passed over.
    """
    return next((d / name for d in dirs if os.path.lexists(d / name)), None)


def layout_file(project: Path, publication_folder: Path | None, name: str) -> Path:
    """Like ``find_layout``, but a missing file is an error naming it."""
    from pipeline.errors import RenderError

    found = find_layout(name, layout_dirs(project, publication_folder))
    if found is None:
        raise RenderError(f"layout file {name} is missing.", project / "layouts" / name)
    return found
