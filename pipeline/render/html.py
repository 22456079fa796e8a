"""Model → HTML through Jinja2 templates on a search path; shared by every edition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

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


@dataclass(frozen=True)
class Theme:
    """What a template needs besides the document: edition name and settings."""

    edition: str
    settings: dict[str, Any]


def environment(project: Path, publication_folder: Path | None) -> jinja2.Environment:
    """Templates are looked up in the publication's own layouts/, then the project's, then the bundled ones."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in layout_dirs(project, publication_folder)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inlines"] = inlines_html
    env.filters["plain"] = plain
    env.filters["block_text"] = block_text
    env.globals["kind"] = lambda block: type(block).__name__
    return env


def render_template(env: jinja2.Environment, name: str, doc: Document, **context: Any) -> str:
    outline = build_outline(doc)
    template = env.get_template(name)
    return template.render(doc=doc, meta=doc.meta, outline=outline, **context)
