"""Model → HTML through Jinja2 templates on a search path; shared by every edition."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from pipeline.errors import PipelineError
from pipeline.languages import direction, ui_words
from pipeline.model import Document, Emph, Inlines, Span, Text, block_text, plain
from pipeline.render.bidi import isolate
from pipeline.render.outline import build_outline
from pipeline.resources import layout_dirs
from pipeline.url_policy import check_markup

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


def span_attributes(span: Span) -> Markup:
    """A language span's ``lang`` and ``dir`` as HTML attributes (those it has)."""
    pairs = (("lang", span.lang), ("dir", span.dir))
    return Markup("".join(f' {key}="{escape(value)}"' for key, value in pairs if value))


def inlines_html(inlines: Inlines, strong_only: bool = False, rtl: bool = False) -> Markup:
    """Inline marks as HTML; ``strong_only`` turns emphasis into bold (large print: no italics);
    ``rtl`` isolates the left-to-right runs of right-to-left text (bidi.py); a passage in another
    language or direction is a ``<span lang dir>``, inside which its own direction holds."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(str(isolate(node.text)) if rtl else text_html(node.text))
        elif isinstance(node, Emph) and not strong_only:
            out.append(f"<em>{inlines_html(node.children, strong_only, rtl)}</em>")
        elif isinstance(node, Span):
            inner = inlines_html(node.children, strong_only, node.dir == "rtl" if node.dir else rtl)
            out.append(f"<span{span_attributes(node)}>{inner}</span>")
        else:
            out.append(f"<strong>{inlines_html(node.children, strong_only, rtl)}</strong>")
    return Markup("".join(out))


def environment(project: Path, publication_folder: Path | None, language: str = "sv") -> jinja2.Environment:
    """Templates are looked up in the publication's own layouts/, then the project's, then the bundled ones.

    The text's language gives every template ``direction`` ("ltr" or "rtl") and ``ui`` (the words a
    layout adds, languages.py); in right-to-left text, ``inlines`` and ``bidi`` isolate left-to-right runs.
    One environment per process for the same layout files and language, so that a worker rendering
    several editions compiles each template once; a file added, removed or changed in a layout folder
    (a preview session goes on while they are edited) makes a new one.
    """
    dirs = layout_dirs(project, publication_folder)
    return _environment(tuple(str(p) for p in dirs), _layout_files(dirs), language)


def _layout_files(dirs: list[Path]) -> tuple[tuple[str, int], ...]:
    """Every file under the layout folders with its modification time: what the cached environment depends on."""
    return tuple(
        (str(path), path.stat().st_mtime_ns) for folder in dirs for path in sorted(folder.rglob("*")) if path.is_file()
    )


@functools.lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...], files: tuple[tuple[str, int], ...], language: str) -> jinja2.Environment:
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
    rtl = direction(language) == "rtl"
    env.filters["inlines"] = lambda inlines, strong_only=False: inlines_html(inlines, strong_only, rtl)
    env.filters["bidi"] = lambda text: isolate(text) if rtl else escape(text)
    env.globals["direction"] = direction(language)
    env.globals["dir_attr"] = Markup(' dir="rtl"') if rtl else Markup("")  # the text's, on what holds it
    env.globals["ui"] = ui_words(language)
    env.filters["plain"] = plain
    env.filters["block_text"] = block_text
    env.globals["kind"] = lambda block: type(block).__name__
    return env


def render_template(env: jinja2.Environment, name: str, doc: Document, **context: Any) -> str:
    return render_checked(env, name, doc=doc, meta=doc.meta, outline=build_outline(doc), **context)


def render_checked(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render a template: every edition's markup goes through here, and through the URL policy once made."""
    try:
        out = env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, env, name) from None
    check_markup(out, template_path(env, name), lines=False)
    return out


def template_path(env: jinja2.Environment, name: str) -> Path:
    """The file a template name stands for on the search path (the name itself when none is found)."""
    for base in getattr(env.loader, "searchpath", []):
        if (Path(base) / name).is_file():
            return Path(base) / name
    return Path(name)


def template_error(exc: jinja2.TemplateError, env: jinja2.Environment, name: str) -> PipelineError:
    """A template problem as a PipelineError naming the template file and line."""
    filename = getattr(exc, "filename", None) or name
    lineno = getattr(exc, "lineno", None)
    if filename == name:
        filename = str(template_path(env, name))
    return PipelineError(
        f"template error: {exc}.",
        filename,
        lineno,
        hint="Fix the layout file; templates run sandboxed and see only the document.",
    )
