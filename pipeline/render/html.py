"""Model → HTML through Jinja2 templates on a search path; shared by every edition."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from pipeline.errors import PipelineError
from pipeline.model import Document, Emph, Inlines, Text, block_text, plain
from pipeline.render.outline import build_outline
from pipeline.resources import layout_dirs

# A run of more characters than this without a space gets a break opportunity (<wbr/>) every
# BREAK_EVERY characters. No Swedish word is that long; a run that is (a pasted hash, a string of
# letters) would otherwise be laid out by trying every hyphenation point of the whole run on every
# line, which takes minutes for a few thousand characters. The text is unchanged: <wbr/> is markup.
UNBROKEN_MAX = 100
BREAK_EVERY = 50
_LONG_RUN = re.compile(rf"\S{{{UNBROKEN_MAX + 1},}}")


def text_html(text: str) -> str:
    """Plain text as HTML: escaped, with break opportunities in runs too long for any line."""
    out: list[str] = []
    last = 0
    for m in _LONG_RUN.finditer(text):
        run = m.group()
        out.append(str(escape(text[last : m.start()])))
        out.append("<wbr/>".join(str(escape(run[k : k + BREAK_EVERY])) for k in range(0, len(run), BREAK_EVERY)))
        last = m.end()
    out.append(str(escape(text[last:])))
    return "".join(out)


def inlines_html(inlines: Inlines, strong_only: bool = False) -> Markup:
    """Inline marks as HTML; ``strong_only`` turns emphasis into bold (large print: no italics)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(text_html(node.text))
        elif isinstance(node, Emph) and not strong_only:
            out.append(f"<em>{inlines_html(node.children, strong_only)}</em>")
        else:
            out.append(f"<strong>{inlines_html(node.children, strong_only)}</strong>")
    return Markup("".join(out))


def environment(project: Path, publication_folder: Path | None) -> jinja2.Environment:
    """Templates are looked up in the publication's own layouts/, then the project's, then the bundled ones."""
    # Sandboxed: a publication's own layouts/ may override templates, and source/ is open to anyone.
    env = SandboxedEnvironment(
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
