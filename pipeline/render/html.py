"""Model → HTML through Jinja2 templates on a search path; shared by every edition."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from pipeline.errors import PipelineError
from pipeline.model import Document, Emph, Inlines, Text, block_text, plain
from pipeline.render.outline import build_outline
from pipeline.resources import layout_dirs


def inlines_html(inlines: Inlines, strong_only: bool = False) -> Markup:
    """Inline marks as HTML; ``strong_only`` turns emphasis into bold (large print: no italics)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(str(escape(node.text)))
        elif isinstance(node, Emph) and not strong_only:
            out.append(f"<em>{inlines_html(node.children, strong_only)}</em>")
        else:
            out.append(f"<strong>{inlines_html(node.children, strong_only)}</strong>")
    return Markup("".join(out))


def environment(project: Path, publication_folder: Path | None) -> jinja2.Environment:
    """Templates are looked up in the publication's own layouts/, then the project's, then the bundled ones.

    One environment per process for the same layout files, so that a worker rendering several editions
    compiles each template once; a file added, removed or changed in a layout folder (a preview session
    goes on while they are edited) makes a new one.
    """
    dirs = layout_dirs(project, publication_folder)
    return _environment(tuple(str(p) for p in dirs), _layout_files(dirs))


def _layout_files(dirs: list[Path]) -> tuple[tuple[str, int], ...]:
    """Every file under the layout folders with its modification time: what the cached environment depends on."""
    return tuple(
        (str(path), path.stat().st_mtime_ns) for folder in dirs for path in sorted(folder.rglob("*")) if path.is_file()
    )


@functools.lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...], files: tuple[tuple[str, int], ...]) -> jinja2.Environment:
    # Sandboxed: a publication's own layouts/ may override templates, and source/ is open to anyone.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["inlines"] = inlines_html
    env.filters["plain"] = plain
    env.filters["block_text"] = block_text
    env.globals["kind"] = lambda block: type(block).__name__
    return env


def render_template(env: jinja2.Environment, name: str, doc: Document, **context: Any) -> str:
    outline = build_outline(doc)
    try:
        template = env.get_template(name)
        return template.render(doc=doc, meta=doc.meta, outline=outline, **context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, env, name) from None


def template_error(exc: jinja2.TemplateError, env: jinja2.Environment, name: str) -> PipelineError:
    """A template problem as a PipelineError naming the template file and line."""
    filename = getattr(exc, "filename", None) or name
    lineno = getattr(exc, "lineno", None)
    if filename == name:
        loader = env.loader
        for base in getattr(loader, "searchpath", []):
            if (Path(base) / name).is_file():
                filename = str(Path(base) / name)
                break
    return PipelineError(
        f"template error: {exc}.",
        filename,
        lineno,
        hint="Fix the layout file; templates run sandboxed and see only the document.",
    )
