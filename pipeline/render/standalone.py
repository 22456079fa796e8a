"""The web edition: the model as one standalone web page."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from pipeline.languages import direction
from pipeline.render.context import RenderContext
from pipeline.render.epub_fonts import inline_font_css
from pipeline.render.html import environment, render_template
from pipeline.resources import fonts_dir, layout_file
from pipeline.url_policy import allowed_roots, inline_stylesheet


def render(ctx: RenderContext) -> dict[str, Any]:
    env = environment(ctx.project, ctx.publication_folder, ctx.doc.meta.language)
    names = ["html/standalone.css", *(["html/rtl.css"] if direction(ctx.doc.meta.language) == "rtl" else [])]
    roots = allowed_roots(ctx.project, ctx.publication_folder)
    css = "".join(inline_stylesheet(layout_file(ctx.project, ctx.publication_folder, n), roots) for n in names)
    scripts = inline_font_css(fonts_dir(ctx.project), ctx.doc, "system-ui, sans-serif")
    if scripts:
        css += f"\n/* The letters of the scripts other than Latin the text uses (epub_fonts.py). */\n{scripts}\n"
    # into a <style> as written (not HTML-escaped: a quote stays a quote), no "</" closing it early
    html = render_template(env, "html/standalone.html.j2", ctx.doc, css=Markup(css.replace("</", "<\\/")))
    ctx.target.write_text(html, encoding="utf-8")
    return {"pages": 0}
