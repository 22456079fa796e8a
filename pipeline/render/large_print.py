"""Large-print specifics: the chosen body size and colours, and running heads citing brochure pages."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from pipeline.languages import direction, language_defaults, numeral, ui_words


def running_head(language: str) -> str:
    """The page-margin box of the running head: at the top, on the side the lines end."""
    return "top-left" if direction(language) == "rtl" else "top-right"


def large_print_css(size_pt: int, text_colour: str, background_colour: str, language: str = "sv") -> str:
    """The root size that every rem in large-print.css scales from; page numbers at body size."""
    return (
        f"html {{ font-size: {size_pt}pt; color: {text_colour}; }}\n"
        f"@page {{ background: {background_colour}; "
        f"@bottom-center {{ font-size: {size_pt}pt; color: {text_colour}; }} "
        f"@{running_head(language)} {{ font-size: {max(12, round(size_pt * 0.75))}pt; color: {text_colour}; "
        "font-family: var(--sans); } }\n"
    )


def _label(first: int, last: int, language: str = "sv") -> str:
    """ "[broschyr s. 4]", "[broschyr s. 4–5]": in the text's language and page-number digits."""
    word, style = ui_words(language)["brochure_page"], language_defaults(language).numbers
    pages = numeral(first, style) if first == last else f"{numeral(first, style)}–{numeral(last, style)}"
    return f"[{word} {pages}]"


def page_references(lp_map: dict[str, list[int]], brochure_map: dict[str, list[int]]) -> dict[int, tuple[int, int]]:
    """Large-print page → (first, last) brochure page of the blocks shown on it."""
    out: dict[int, tuple[int, int]] = {}
    for ident, (first, last) in lp_map.items():
        if ident in brochure_map and not ident.startswith("toc"):
            low, high = brochure_map[ident][0], brochure_map[ident][1]
            for page in range(first, last + 1):  # each block's own pages: linear in the document
                seen = out.get(page, (low, high))
                out[page] = (min(seen[0], low), max(seen[1], high))
    return dict(sorted(out.items()))


# The named string (CSS GCPM `string()`) the running head shows: one value per page, set by
# `brochure_page_heads` once the pages are laid out.
BROCHURE_PAGES = "brochure-pages"


def running_head_css(language: str = "sv") -> str:
    """The running head shows the brochure pages of its page (``brochure_page_heads`` fills them in)."""
    return f"@page {{ @{running_head(language)} {{ content: string({BROCHURE_PAGES}); }} }}\n"


@contextlib.contextmanager
def brochure_page_heads(brochure_map: dict[str, list[int]], language: str = "sv") -> Iterator[None]:
    """While the large print is laid out, each page's running head is set to the brochure pages of the
    blocks on it (``page_references``), in one layout.

    WeasyPrint paginates first and makes the margin boxes of each page after the pagination is final
    (``weasyprint.layout.layout_document``). Just before a page's margin boxes are made, the ids on
    the page (each fragment of a block split by a page carries its id, as in ``pdf.page_map``) give
    the label, which is stored as the page's value of the named string the running head shows. The
    text pages are not laid out again: the label lives in the margin, so it cannot move a line.

    The patch holds for the whole process while the layout runs: one render at a time in a process
    (the process pool's workers and the LocalCluster's run one task at a time; a Dask worker with
    several threads runs its renders one at a time, ``cluster.render_remote``).
    """
    import weasyprint.layout as layout

    original = layout.make_margin_boxes

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
        ids = {box.style["anchor"] for box in page.descendants(placeholders=True)} - {None, ""}
        refs = page_references({ident: [1, 1] for ident in ids}, brochure_map)
        context.string_set[BROCHURE_PAGES][context.current_page] = [_label(*refs[1], language) if refs else ""]
        return original(context, page, state)

    layout.make_margin_boxes = make_margin_boxes
    try:
        yield
    finally:
        layout.make_margin_boxes = original
