"""The editions: what each one writes, what it depends on, and which function renders it."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import PublicationConfig


@dataclass(frozen=True)
class Edition:
    name: str
    suffix: str  # output file: <slug><suffix>
    renderer: str  # "module:function", imported only in the worker that renders
    layouts: tuple[str, ...]  # layout files (relative to a layouts dir) it depends on
    uses_fonts: bool
    after: tuple[str, ...] = ()  # editions whose output it reads
    reads_report: bool = False  # it shows the edit report (which also depends on the source beside text.md)
    # Its text holds every word of the model, in order: the build checks it before the file replaces
    # the previous one (not the booklet, whose pages are imposed out of order, nor the review page).
    holds_words: bool = True

    def filename(self, slug: str) -> str:
        return f"{slug}{self.suffix}"


PAGED = ("common/blocks.html.j2", "paged/document.html.j2")
EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition(
            "html",
            ".html",
            "pipeline.render.standalone:render",
            ("common/blocks.html.j2", "html/standalone.html.j2", "html/standalone.css", "html/rtl.css"),
            False,
        ),
        Edition(
            "brochure",
            "-brochure.pdf",
            "pipeline.render.pdf:render_brochure",
            (*PAGED, "brochure/brochure.css", "brochure/rtl.css"),
            True,
        ),
        Edition(
            "print",
            "-print.pdf",
            "pipeline.render.print_file:render_print",
            ("brochure/FOGRA39L_coated.icc",),
            False,
            after=("brochure",),  # the brochure's pages, cut with bleed: one layout for both
        ),
        Edition(
            "booklet",
            "-booklet.pdf",
            "pipeline.render.impose:render_booklet",
            (),
            False,
            after=("brochure",),
            holds_words=False,
        ),
        Edition(
            "epub",
            ".epub",
            "pipeline.render.epub:render_epub",
            (
                "common/blocks.html.j2",
                "epub/chapter.xhtml.j2",
                "epub/cover.xhtml.j2",
                "epub/cover.svg.j2",
                "epub/nav.xhtml.j2",
                "epub/epub.css",
                "epub/rtl.css",
            ),
            False,
            after=("brochure",),  # its page list and page-break markers are the brochure's pages
        ),
        Edition(
            "large-print",
            "-large-print.pdf",
            "pipeline.render.pdf:render_large_print",
            (*PAGED, "large-print/large-print.css", "large-print/rtl.css"),
            True,
            after=("brochure",),
        ),
        Edition(
            "review",
            "-review.html",
            "pipeline.render.review:render",
            ("review/review.html.j2", "review/review.css"),
            False,
            reads_report=True,
            holds_words=False,
        ),
    )
}


def enabled(config: PublicationConfig) -> list[str]:
    """The editions a publication asks for (all, unless its brochure settings turn some off)."""
    names = list(EDITIONS)
    if not config.brochure.booklet:
        names.remove("booklet")
    if not config.brochure.print_pdf:
        names.remove("print")
    return names
