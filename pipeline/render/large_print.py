"""Large-print specifics: the chosen body size and colours, and running heads citing brochure pages."""

from __future__ import annotations

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


def page_reference_css(lp_map: dict[str, list[int]], brochure_map: dict[str, list[int]], language: str = "sv") -> str:
    rules = []
    box = running_head(language)
    for page, (first, last) in sorted(page_references(lp_map, brochure_map).items()):
        rules.append(f'@page :nth({page}) {{ @{box} {{ content: "{_label(first, last, language)}"; }} }}')
    return "\n".join(rules) + "\n"
