"""The width of a paragraph's lines, from the computed styles alone (no layout needed).

The measure is the page's content width (its @page size and margins, for the page the paragraph is set
on, left and right pages alike: the narrower is taken) less every ancestor's horizontal margins,
borders and padding. A paragraph inside a box with its own width, a float, a column or a positioned
box is not modelled (`Unsupported`): WeasyPrint breaks it itself.
"""

from __future__ import annotations

from typing import Any

from pipeline.render.justify.paragraphs import Unsupported


def _length(value: Any, reference: float) -> float:
    if value == "auto" or value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if value.unit == "%":
        return float(value.value) * reference / 100.0
    if value.unit == "px":
        return float(value.value)
    raise Unsupported(f"length in {value.unit}")


class PageWidths:
    """Content width of the pages of each page name, computed once per name."""

    def __init__(self, html: Any, style_for: Any) -> None:
        self._html = html
        self._style_for = style_for
        self._cache: dict[str, float] = {}

    def content_width(self, name: str) -> float:
        found = self._cache.get(name)
        if found is not None:
            return found
        from weasyprint.layout.page import PageType, set_page_type_computed_styles

        widths = []
        for side in ("left", "right"):
            page_type = PageType(side, False, name, 2, ())
            set_page_type_computed_styles(page_type, self._html, self._style_for)
            style = self._style_for(page_type)
            width = float(style["size"][0])
            for prop in ("margin_left", "margin_right", "padding_left", "padding_right"):
                width -= _length(style[prop], float(style["size"][0]))
            width -= float(style["border_left_width"]) + float(style["border_right_width"])
            widths.append(width)
        self._cache[name] = min(widths)
        return self._cache[name]


def line_widths(element: Any, ancestors: list[Any], style_for: Any, pages: PageWidths) -> tuple[float, float]:
    """(first line, other lines) widths of the block `element` whose ancestors are `ancestors` (root first)."""
    chain = [*ancestors, element]
    name = ""
    for node in chain:
        page = style_for(node)["page"]
        if page != "auto":
            name = page
    width = pages.content_width(name)
    for node in chain:
        style = style_for(node)
        if style["width"] != "auto" or _length(style["max_width"], width) != float("inf") or style["float"] != "none":
            raise Unsupported("a box with its own width")
        if style["position"] not in ("static", "relative") or style["column_count"] != "auto":
            raise Unsupported("positioned or in columns")
        reference = width
        for prop in ("margin_left", "margin_right", "padding_left", "padding_right"):
            width -= _length(style[prop], reference)
        width -= float(style["border_left_width"]) + float(style["border_right_width"])
    indent = _length(style_for(element)["text_indent"], width)
    return width - indent, width
