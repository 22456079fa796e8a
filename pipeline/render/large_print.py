"""Large-print specifics: the chosen body size and colours, and running heads citing brochure pages."""

from __future__ import annotations

PAGE_REF_LABEL = "broschyr s."


def large_print_css(size_pt: int, text_colour: str, background_colour: str) -> str:
    """The root size that every rem in large-print.css scales from; page numbers at body size."""
    return (
        f"html {{ font-size: {size_pt}pt; color: {text_colour}; }}\n"
        f"@page {{ background: {background_colour}; "
        f"@bottom-center {{ font-size: {size_pt}pt; color: {text_colour}; }} "
        f"@top-right {{ font-size: {max(12, round(size_pt * 0.75))}pt; color: {text_colour}; "
        "font-family: 'Atkinson Hyperlegible'; } }\n"
    )


def _label(first: int, last: int) -> str:
    return f"[{PAGE_REF_LABEL} {first}]" if first == last else f"[{PAGE_REF_LABEL} {first}–{last}]"


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


def page_reference_css(lp_map: dict[str, list[int]], brochure_map: dict[str, list[int]]) -> str:
    rules = []
    for page, (first, last) in sorted(page_references(lp_map, brochure_map).items()):
        rules.append(f'@page :nth({page}) {{ @top-right {{ content: "{_label(first, last)}"; }} }}')
    return "\n".join(rules) + "\n"
