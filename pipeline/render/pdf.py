"""HTML + an edition's CSS → WeasyPrint; the brochure and large-print editions are variants of one renderer.

The print file is not a third layout: it is cut from the brochure's own pages (pipeline/render/print_file.py),
which are laid out with the print file's bleed painted beyond the page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.config import NAMESPACE, PAPER_SIZES
from pipeline.errors import PipelineError
from pipeline.render.context import RenderContext, build_datetime
from pipeline.render.font_instances import harfbuzz_instances
from pipeline.render.fonts import check_coverage, font_face_css
from pipeline.render.html import environment, render_template
from pipeline.render.outline import build_outline
from pipeline.resources import fonts_dir, layout_dirs, layout_file

TOC_MIN_SECTIONS = 4  # a table of contents pays off from four sections up


@dataclass(frozen=True)
class Variant:
    """A PDF edition: its stylesheets, font families, WeasyPrint options and template settings."""

    name: str
    stylesheets: tuple[str, ...]
    families: tuple[str, ...]
    pdf_options: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)


BROCHURE_FAMILIES = ("Source Serif 4", "Source Sans 3")
VARIANTS: dict[str, Variant] = {
    "brochure": Variant(
        "brochure",
        ("brochure/brochure.css",),
        BROCHURE_FAMILIES,
        {"pdf_tags": True},
        {"cover": True, "back_cover": True, "strong_only": False, "edition_label": "Broschyrutgåva"},
    ),
    "large-print": Variant(
        "large-print",
        ("large-print/large-print.css",),
        ("Atkinson Hyperlegible",),
        {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
        {"cover": False, "back_cover": False, "strong_only": True, "edition_label": "Storstilsutgåva"},
    ),
}


class _WarningLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _collect_warnings() -> Iterator[_WarningLog]:
    handler = _WarningLog()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@contextlib.contextmanager
def _deterministic_document_id(seed: str) -> Iterator[None]:
    """WeasyPrint writes a random XMP DocumentID for PDF/X-4; derive it from the content instead."""
    import weasyprint.pdf.metadata as metadata

    original = metadata.uuid4
    metadata.uuid4 = lambda: uuid.uuid5(NAMESPACE, seed)
    try:
        yield
    finally:
        metadata.uuid4 = original


# The print file's bleed. The brochure's pages are laid out with it (page backgrounds and the cover's
# circles are painted this far beyond the trim) and written without it; the print file shows it.
PRINT_BLEED_MM = 3


def _page_css(ctx: RenderContext, variant: Variant) -> str:
    if variant.name == "large-print":
        return ""
    width, height = PAPER_SIZES[ctx.config.brochure.paper]
    return (
        f"@page {{ size: {width}mm {height}mm; bleed: {PRINT_BLEED_MM}mm; }}\n"
        f".cover, .back-cover {{ height: {height}mm; }}\n"
        f".inside {{ height: {height - 40}mm; }}\n"
    )


def paged_html(ctx: RenderContext, variant: Variant) -> str:
    doc = ctx.doc
    outline = build_outline(doc)
    sections = len(outline.walk())
    toc = sections >= TOC_MIN_SECTIONS and (ctx.config.brochure.toc or variant.name == "large-print")
    settings = {
        **variant.settings,
        "toc": toc,
        "date": build_datetime(ctx.config).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": f"{doc.meta.title} – {variant.settings['edition_label'].lower()}",
        "font_names": " och ".join(variant.families),
    }
    env = environment(ctx.project, ctx.publication_folder)
    return render_template(env, "paged/document.html.j2", doc, edition=variant.name, settings=settings)


def render_document(ctx: RenderContext, variant: Variant, extra_css: str = "") -> tuple[Any, str, list[str]]:
    """Lay out the edition; returns (WeasyPrint Document, HTML, warnings). Heavy imports happen here."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.render.fetcher import LocalOnlyFetcher, ResourceRefused, refused_error

    fonts = fonts_dir(ctx.project)
    meta_text = " ".join(
        [
            ctx.doc.meta.title,
            ctx.doc.meta.subtitle,
            ctx.doc.meta.short_title,
            ctx.doc.meta.organisation,
            *ctx.doc.meta.contact,
            *ctx.doc.meta.colophon,
            ctx.doc.meta.date,
            "Innehåll",
            variant.settings["edition_label"],
            "Satt med",
            *variant.families,
        ]
    )
    check_coverage(fonts, variant.families, ctx.doc, meta_text, ctx.publication_folder / "publication.toml")
    html = paged_html(ctx, variant)
    fetcher = LocalOnlyFetcher([*layout_dirs(ctx.project, ctx.publication_folder), fonts, ctx.publication_folder])
    font_config = FontConfiguration()
    color_profiles: dict[str, Any] = {}  # shared, so an @color-profile in a stylesheet reaches the PDF
    css_files = [layout_file(ctx.project, ctx.publication_folder, name) for name in variant.stylesheets]
    try:
        with _collect_warnings() as log:
            stylesheets = [
                CSS(
                    string=font_face_css(fonts, variant.families),
                    font_config=font_config,
                    url_fetcher=fetcher,
                    color_profiles=color_profiles,
                ),
                *(
                    CSS(filename=str(p), font_config=font_config, url_fetcher=fetcher, color_profiles=color_profiles)
                    for p in css_files
                ),
                CSS(
                    string=f":root {{ --theme: {ctx.doc.meta.theme_colour}; }}\n{_page_css(ctx, variant)}{extra_css}",
                    font_config=font_config,
                    url_fetcher=fetcher,
                    color_profiles=color_profiles,
                ),
            ]
            document = HTML(string=html, base_url=str(ctx.publication_folder) + "/", url_fetcher=fetcher).render(
                stylesheets=stylesheets,
                font_config=font_config,
                color_profiles=color_profiles,
                **_render_options(variant),
            )
    except ResourceRefused as exc:
        raise refused_error(str(exc), ctx.publication_folder) from None
    return document, html, log.messages


def _render_options(variant: Variant) -> dict[str, Any]:
    keys = ("pdf_variant", "pdf_tags")
    return {k: v for k, v in variant.pdf_options.items() if k in keys}


@contextlib.contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """fontTools stamps the fonts it instantiates from variable fonts (when HarfBuzz cannot) and subsets
    (without HarfBuzz-Subset) with the current time unless SOURCE_DATE_EPOCH is set; set it to the build's
    fixed date while the PDF is written."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_pdf(ctx: RenderContext, variant: Variant, document: Any, html: str) -> list[str]:
    seed = hashlib.sha256(f"{ctx.slug}:{variant.name}:{html}".encode()).hexdigest()
    epoch = int(build_datetime(ctx.config).timestamp())
    with _collect_warnings() as log, _deterministic_document_id(seed), _source_date_epoch(epoch), harfbuzz_instances():
        document.write_pdf(ctx.target, pdf_identifier=seed[:32].encode(), **variant.pdf_options)
    if variant.pdf_options.get("pdf_tags"):
        from pipeline.render.tagging import continuation_depths, fix_tagging

        fix_tagging(ctx.target, continuation_depths(document))
    return log.messages


def page_map(document: Any) -> dict[str, list[int]]:
    """Block id → [first page, last page] (1-based, as printed).

    WeasyPrint registers an element's id on every page a fragment of its box is on,
    so a paragraph split by a page break is found on both pages.
    """
    out: dict[str, list[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            out.setdefault(anchor, [number, number])[1] = number
    return out


# Warnings about the machine, not the document: without Debian's libharfbuzz-subset0 WeasyPrint
# subsets fonts with fontTools instead (same glyphs; dates fixed by SOURCE_DATE_EPOCH above).
BENIGN_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


def _finish(ctx: RenderContext, variant: Variant, document: Any, html: str, warnings: list[str]) -> dict[str, Any]:
    warnings = [w for w in warnings + write_pdf(ctx, variant, document, html) if not w.startswith(BENIGN_WARNINGS)]
    if warnings:
        raise PipelineError(
            f"WeasyPrint warned while rendering the {variant.name} edition: {'; '.join(sorted(set(warnings)))[:600]}",
            ctx.publication_folder,
            hint="Fix the layout or the text it names; warnings are not allowed in a build.",
        )
    return {"pages": len(document.pages)}


@contextlib.contextmanager
def _without_bleed(document: Any) -> Iterator[None]:
    """Write the pages at their trim size: WeasyPrint makes each page's MediaBox its size plus ``Page.bleed``.

    What the layout painted into the bleed stays in the content, outside the page, where nothing shows it;
    the print file (pipeline/render/print_file.py) widens the page boxes over it again.
    """
    saved = [page.bleed for page in document.pages]
    for page in document.pages:
        page.bleed = dict.fromkeys(page.bleed, 0)
    try:
        yield
    finally:
        for page, bleed in zip(document.pages, saved, strict=True):
            page.bleed = bleed


def render_brochure(ctx: RenderContext) -> dict[str, Any]:
    """The brochure; its pages are also the print file's (which ``print_file.render_print`` cuts from this PDF)."""
    variant = VARIANTS["brochure"]
    document, html, warnings = render_document(ctx, variant)
    if ctx.sidecar is not None:
        ctx.sidecar.parent.mkdir(parents=True, exist_ok=True)
        ctx.sidecar.write_text(
            json.dumps({"pages": len(document.pages), "blocks": page_map(document)}), encoding="utf-8"
        )
    with _without_bleed(document):
        return _finish(ctx, variant, document, html, warnings)


def render_large_print(ctx: RenderContext) -> dict[str, Any]:
    from pipeline.render.large_print import large_print_css, page_reference_css

    variant = VARIANTS["large-print"]
    size = int(ctx.options.get("large_print_size") or ctx.config.large_print.size)
    css = large_print_css(size, ctx.config.large_print.text_colour, ctx.config.large_print.background_colour)
    document, html, warnings = render_document(ctx, variant, css)
    if "brochure" in ctx.inputs and ctx.sidecar is not None:
        sidecar = ctx.sidecar.with_name("brochure.json")
        if not sidecar.is_file():
            raise PipelineError("the brochure's page map is missing; run `pipeline build --force`.", sidecar)
        refs = page_reference_css(page_map(document), json.loads(sidecar.read_text(encoding="utf-8"))["blocks"])
        # Running heads live in the page margins, so the second pass paginates exactly like the first.
        document, html, warnings = render_document(ctx, variant, css + refs)
    return _finish(ctx, variant, document, html, warnings)
