"""HTML + an edition's CSS → WeasyPrint; the brochure and large-print editions are variants of one renderer.

The print file is not a third layout: it is cut from the brochure's own pages (pipeline/render/print_file.py),
which are laid out with the print file's bleed painted beyond the page.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import NAMESPACE, PAPER_SIZES
from pipeline.errors import PipelineError
from pipeline.languages import language_defaults, numeral, ui_words
from pipeline.model import Document, Title, block_text, plain
from pipeline.render.context import RenderContext, build_datetime
from pipeline.render.font_instances import harfbuzz_instances
from pipeline.render.fonts import CHROME, check_coverage, font_face_css, font_stack, needed_stack, stack_css
from pipeline.render.html import environment, render_template
from pipeline.render.outline import build_outline
from pipeline.render.pagination import read_page_map, write_page_map
from pipeline.resources import fonts_dir, layout_file
from pipeline.url_policy import allowed_roots

TOC_MIN_SECTIONS = 4  # a table of contents pays off from four sections up


@dataclass(frozen=True)
class Variant:
    """A PDF edition: its stylesheets, font families, WeasyPrint options and template settings.

    ``fonts`` names the family of each role the stylesheets set text in (``var(--serif)``,
    ``var(--sans)``); each becomes a stack of bundled families (fonts.py): the script's own first,
    and the fallbacks for letters the family lacks, as far as the text needs them. ``rtl_stylesheet``
    mirrors the layout for a right-to-left text; the edition's label is the language's ``ui`` word
    under the variant's name.
    """

    name: str
    stylesheets: tuple[str, ...]
    fonts: dict[str, str]
    pdf_options: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    rtl_stylesheet: str = ""
    total_fit: bool = False  # justified paragraphs broken whole (render/justify), not line by line

    def stacks(self, script: str) -> dict[str, tuple[str, ...]]:
        """Every family each role may be set in, in a text of ``script``."""
        return {role: font_stack(family, script) for role, family in self.fonts.items()}


BROCHURE_FONTS = {"serif": "Source Serif 4", "sans": "Source Sans 3"}
VARIANTS: dict[str, Variant] = {
    "brochure": Variant(
        "brochure",
        ("brochure/brochure.css",),
        BROCHURE_FONTS,
        {"pdf_tags": True},
        {"cover": True, "back_cover": True, "strong_only": False},
        "brochure/rtl.css",
        total_fit=True,
    ),
    "large-print": Variant(
        "large-print",
        ("large-print/large-print.css",),
        {"sans": "Atkinson Hyperlegible"},
        {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
        {"cover": False, "back_cover": False, "strong_only": True},
        "large-print/rtl.css",
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


def _language_css(language: str, stacks: dict[str, tuple[str, ...]]) -> str:
    """The font stacks, page-number digits and setting the text's language asks for (languages.py)."""
    defaults = language_defaults(language)
    roles = "".join(f" --{role}: {stack_css(stack)};" for role, stack in stacks.items())
    css = f":root {{{roles} --numbers: {defaults.numbers}; }}\n"
    if not defaults.justify:
        css += "p { text-align: start; }\n"  # ragged on the side the lines end (left, for right-to-left)
    if not defaults.hyphenate:
        css += "p, li { hyphens: manual; }\n"
    if defaults.numbers != "decimal":
        css += f"ol {{ list-style-type: {defaults.numbers}; }}\n"  # numbered lists in the page numbers' digits
    if not defaults.italics:
        css += "em { font-style: normal; font-weight: 700; }\n"  # no slanted letters the script does not have
    return css


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
    ui = ui_words(doc.meta.language)
    families = _families(edition_stacks(fonts_dir(ctx.project), doc, variant))
    settings = {
        **variant.settings,
        "toc": toc,
        "date": build_datetime(ctx.config).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "edition_label": ui[variant.name],
        "description": f"{doc.meta.title} – {ui[variant.name].lower()}",
        "font_names": f"{', '.join(families[:-1])} {ui['and']} {families[-1]}" if len(families) > 1 else families[0],
    }
    env = environment(ctx.project, ctx.publication_folder, doc.meta.language)
    return render_template(env, "paged/document.html.j2", doc, edition=variant.name, settings=settings)


def render_document(ctx: RenderContext, variant: Variant, extra_css: str = "") -> tuple[Any, str, list[str]]:
    """Lay out the edition; returns (WeasyPrint Document, HTML, warnings). Heavy imports happen here."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    from pipeline.render.fetcher import LocalOnlyFetcher, fetch_error

    fonts = fonts_dir(ctx.project)
    language = ctx.doc.meta.language
    check_fonts(ctx.project, ctx.doc, ctx.text_path or ctx.publication_folder, ctx.publication_folder, (variant,))
    stacks = edition_stacks(fonts, ctx.doc, variant)
    html = paged_html(ctx, variant)
    fetcher = LocalOnlyFetcher(allowed_roots(ctx.project, ctx.publication_folder))
    font_config = FontConfiguration()
    color_profiles: dict[str, Any] = {}  # shared, so an @color-profile in a stylesheet reaches the PDF
    rtl = language_defaults(language).direction == "rtl"
    names = [*variant.stylesheets, *([variant.rtl_stylesheet] if rtl else [])]
    css_files = [layout_file(ctx.project, ctx.publication_folder, name) for name in names]
    try:
        with _collect_warnings() as log:
            stylesheets = [
                CSS(
                    string=font_face_css(fonts, _families(stacks)),
                    font_config=font_config,
                    url_fetcher=fetcher,
                    color_profiles=color_profiles,
                ),
                *(
                    _stylesheet(CSS, p, font_config=font_config, url_fetcher=fetcher, color_profiles=color_profiles)
                    for p in css_files
                ),
                CSS(
                    string=f":root {{ --theme: {ctx.doc.meta.theme_colour}; }}\n{_language_css(language, stacks)}"
                    f"{_page_css(ctx, variant)}{extra_css}",
                    font_config=font_config,
                    url_fetcher=fetcher,
                    color_profiles=color_profiles,
                ),
            ]

            def make_html() -> Any:
                return HTML(string=html, base_url=str(ctx.publication_folder) + "/", url_fetcher=fetcher)

            options = _render_options(variant)
            document = _render_passes(make_html, stylesheets, font_config, color_profiles, options, variant.total_fit)
    except FatalURLFetchingError as exc:
        raise fetch_error(exc, ctx.publication_folder) from None
    return document, html, log.messages


# A second (and third, fourth) layout moves a hyphen off the foot of a page and fills a near-empty
# page: rarely needed more than once.
LAYOUT_ROUNDS = 4


def _render_passes(
    make_html: Any,
    stylesheets: list[Any],
    font_config: Any,
    color_profiles: dict[str, Any],
    options: dict[str, Any],
    total_fit: bool,
) -> Any:
    """Lay out, then again while a layout shows what the next can mend.

    With ``total_fit``, justified paragraphs are broken whole (render/justify) and a hyphen at the foot
    of a page is moved off it; in every edition a near-empty page is filled (render/page_balance).
    """
    from pipeline.render.justify import Constraints, LineSetter, page_turn_hyphens
    from pipeline.render.page_balance import apply_widows, body_pieces, push_lines

    constraints = Constraints()
    setter = LineSetter(make_html, stylesheets, font_config, color_profiles, options) if total_fit else None
    document: Any = None
    for _round in range(LAYOUT_ROUNDS):
        if document is not None:
            # The next layout replaces this one: free it first (its boxes hold cycles that only the
            # collector frees), so that a long document does not hold two layouts at once.
            document = None
            gc.collect()
        if setter:
            source, plan = setter.set_lines(constraints)
            tree = plan.tree
        else:
            source = make_html()
            tree = list(source.etree_element.iter())
            apply_widows(tree, constraints.widows)
        document = source.render(
            stylesheets=stylesheets, font_config=font_config, color_profiles=color_profiles, **options
        )
        changed = page_turn_hyphens(document, plan, constraints) if setter else 0
        changed += push_lines(body_pieces(document, tree), tree, constraints.widows)
        if not changed:
            break
    return document


def _families(stacks: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Every family the edition sets the text in, each once, first choice first."""
    return tuple(dict.fromkeys(family for stack in stacks.values() for family in stack))


def _layout_text(doc: Document, variant: Variant) -> str:
    """What a layout prints besides the text: the metadata, its words and page numbers in the text's
    language (languages.py), the names of the fonts in the colophon, and its punctuation."""
    meta = doc.meta
    defaults = language_defaults(meta.language)
    fixed = (meta.title, meta.subtitle, meta.short_title, meta.organisation, meta.date, *meta.contact, *meta.colophon)
    names = (family for stack in variant.stacks(defaults.script).values() for family in stack)
    return " ".join([*fixed, *ui_words(meta.language).values(), numeral(1234567890, defaults.numbers), *names, CHROME])


def _texts(doc: Document) -> list[str]:
    """Each block's text (a title's subtitle too)."""
    return [block_text(b) + (" " + plain(b.subtitle) if isinstance(b, Title) else "") for b in doc.blocks]


def edition_stacks(fonts: Path, doc: Document, variant: Variant) -> dict[str, tuple[str, ...]]:
    """The font stack of each role, with the fallbacks the document's text and the layout's words need."""
    text = "\n".join([*_texts(doc), _layout_text(doc, variant)])
    script = language_defaults(doc.meta.language).script
    return {role: needed_stack(fonts, family, script, text) for role, family in variant.fonts.items()}


def check_fonts(
    project: Path, doc: Document, text_path: Path, publication_folder: Path, variants: tuple[Variant, ...]
) -> None:
    """Every character the editions set is in every font stack they set it in; else one error naming
    each missing character at its line (of the source text, or of publication.toml)."""
    toml = publication_folder / "publication.toml"
    texts = [(text_path, b.line or None, t) for b, t in zip(doc.blocks, _texts(doc), strict=True)]
    texts += [(toml, None, _layout_text(doc, variant)) for variant in variants]
    script = language_defaults(doc.meta.language).script
    stacks = tuple(dict.fromkeys(stack for v in variants for stack in v.stacks(script).values()))
    check_coverage(fonts_dir(project), stacks, texts, _SourceLines(sorted({b.line for b in doc.blocks})).locate)


class _SourceLines:
    """A character's line in a text file (text.md, text.txt, publication.toml): the first line at or
    after its block's first line, and before the next block's, that holds it."""

    def __init__(self, starts: list[int]) -> None:
        self.starts = starts
        self.files: dict[Path, list[str]] = {}

    def locate(self, ch: str, path: Path, line: int | None) -> int | None:
        lines = self._lines(path)
        start = line or 1
        end = next((s for s in self.starts if s > start), len(lines) + 1) if line else len(lines) + 1
        return next((n for n in range(start, end) if n <= len(lines) and ch in lines[n - 1]), line)

    def _lines(self, path: Path) -> list[str]:
        if path not in self.files:
            self.files[path] = []
            if path.suffix in (".md", ".txt", ".toml") and path.is_file():
                from pipeline.normalise.report import Report
                from pipeline.readers.decode import decode

                with contextlib.suppress(OSError, PipelineError):  # the reader read it once; the block's line stays
                    self.files[path] = decode(path.read_bytes(), path, Report()).split("\n")
        return self.files[path]


# WeasyPrint's words for a declaration or rule it ignored: "Ignored `colr: red` at 109:8, unknown property."
IGNORED_AT = re.compile(r" at (\d+):(\d+)")


def _stylesheet(css: Any, path: Path, **options: Any) -> Any:
    """A layout stylesheet parsed on its own, so that what WeasyPrint ignores in it is named at its line."""
    with _collect_warnings() as log:
        sheet = css(filename=str(path), **options)
    if log.messages:
        at = IGNORED_AT.search(log.messages[0])
        raise PipelineError(
            f"WeasyPrint cannot use all of this stylesheet: {'; '.join(log.messages)[:600]}",
            path,
            int(at.group(1)) if at else None,
            int(at.group(2)) if at else None,
            hint="Fix the CSS; warnings are not allowed in a build.",
        )
    return sheet


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
    from pipeline.render.tagging import continuation_depths, fix_tagging, language_of_parts

    with (
        _collect_warnings() as log,
        _deterministic_document_id(seed),
        _source_date_epoch(epoch),
        harfbuzz_instances(),
        language_of_parts(),
    ):
        document.write_pdf(ctx.target, pdf_identifier=seed[:32].encode(), **variant.pdf_options)
    if variant.pdf_options.get("pdf_tags"):
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
    write_page_map(ctx, document.pages, page_map(document))
    with _without_bleed(document):
        return _finish(ctx, variant, document, html, warnings)


def render_large_print(ctx: RenderContext) -> dict[str, Any]:
    from pipeline.render.large_print import brochure_page_heads, large_print_css, running_head_css

    variant = VARIANTS["large-print"]
    size = int(ctx.options.get("large_print_size") or ctx.config.large_print.size)
    language = ctx.doc.meta.language
    css = large_print_css(size, ctx.config.large_print.text_colour, ctx.config.large_print.background_colour, language)
    brochure = read_page_map(ctx)
    if brochure is None:
        document, html, warnings = render_document(ctx, variant, css)
    else:
        with brochure_page_heads(brochure["blocks"], language):
            document, html, warnings = render_document(ctx, variant, css + running_head_css(language))
    return _finish(ctx, variant, document, html, warnings)
