"""The HTML review edition: the model as one standalone web page."""

from __future__ import annotations

from typing import Any

from pipeline.languages import direction
from pipeline.render.context import RenderContext
from pipeline.render.html import environment, render_template
from pipeline.resources import layout_file
from pipeline.url_policy import allowed_roots, inline_stylesheet


def render(ctx: RenderContext) -> dict[str, Any]:
    env = environment(ctx.project, ctx.publication_folder, ctx.doc.meta.language)
    names = ["html/standalone.css", *(["html/rtl.css"] if direction(ctx.doc.meta.language) == "rtl" else [])]
    roots = allowed_roots(ctx.project, ctx.publication_folder)
    css = "".join(inline_stylesheet(layout_file(ctx.project, ctx.publication_folder, n), roots) for n in names)
    html = render_template(env, "html/standalone.html.j2", ctx.doc, css=css)
    ctx.target.write_text(html, encoding="utf-8")
    return {"pages": 0}
