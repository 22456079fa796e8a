"""The HTML review edition: the model as one standalone web page."""

from __future__ import annotations

from typing import Any

from pipeline.render.context import RenderContext
from pipeline.render.html import environment, render_template
from pipeline.resources import layout_file


def render(ctx: RenderContext) -> dict[str, Any]:
    env = environment(ctx.project, ctx.publication_folder, ctx.doc.meta.language)
    css_path = layout_file(ctx.project, ctx.publication_folder, "html/standalone.css")
    html = render_template(env, "html/standalone.html.j2", ctx.doc, css=css_path.read_text(encoding="utf-8"))
    ctx.target.write_text(html, encoding="utf-8")
    return {"pages": 0}
