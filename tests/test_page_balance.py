"""Near-empty pages filled by carrying lines over (pipeline/render/page_balance.py), on real WeasyPrint layouts."""

from __future__ import annotations

from typing import Any

from conftest import ROOT

from pipeline.render.fonts import font_face_css
from pipeline.render.page_balance import apply_widows, body_pieces, near_empty, push_lines

# Seven 16 pt lines to a page, lines broken by hand, so each paragraph has exactly the lines it is given.
PAGE = """
@page { size: 100mm 62mm; margin: 8mm 10mm; }
html { font-family: "Source Serif 4"; font-size: 10pt; line-height: 16pt; }
p { margin: 0; orphans: 2; widows: 2; text-align: left; }
section { break-before: page; }
"""


def paragraph(count: int, start: int) -> str:
    """A paragraph of ``count`` lines, each line three numbered words ("ord12 ord13 ord14"), broken by hand."""
    return "<p>" + "<br>".join(" ".join(f"ord{start + 3 * i + j}" for j in range(3)) for i in range(count)) + "</p>"


def layout(body: str, widows: dict[int, int] | None = None, main: bool = True) -> tuple[Any, list[Any]]:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    body = f"<main>{body}</main>" if main else body
    html = HTML(string=f'<html lang="sv"><body>{body}</body></html>')
    tree = list(html.etree_element.iter())
    apply_widows(tree, widows or {})
    sheet = CSS(string=font_face_css(ROOT / "fonts", ("Source Serif 4",)) + PAGE, font_config=config)
    return html.render(stylesheets=[sheet], font_config=config), tree


def page_words(document: Any) -> list[list[str]]:
    from weasyprint.formatting_structure import boxes

    def text(box: Any) -> str:
        if isinstance(box, boxes.TextBox):
            return f"{box.text} "
        return "".join(text(child) for child in getattr(box, "children", ()))

    return [text(page._page_box).split() for page in document.pages]


def all_words(document: Any) -> list[str]:
    return [word for page in page_words(document) for word in page]


def heights(document: Any, tree: list[Any]) -> list[int]:
    return [sum(p.lines for p in page) for page in body_pieces(document, tree)]


def balanced(body: str) -> tuple[list[int], list[int], Any, Any]:
    """Lines per page before and after one round of carrying lines over, and both layouts."""
    first, tree = layout(body)
    widows: dict[int, int] = {}
    push_lines(body_pieces(first, tree), tree, widows)
    second, again = layout(body, widows)
    return heights(first, tree), heights(second, again), first, second


def test_a_chapter_ending_in_two_lines_alone_gets_four() -> None:
    """Page 1 holds seven lines; a 9-line paragraph leaves its last two alone, so two more go over."""
    before, after, first, second = balanced(
        f"<section>{paragraph(9, 0)}</section><section>{paragraph(5, 100)}</section>"
    )
    assert (before, after) == ([7, 2, 5], [5, 4, 5])
    assert all_words(second) == all_words(first)  # the same words in the same order


def test_a_paragraph_that_cannot_give_lines_goes_over_whole() -> None:
    """5 + 4 lines: the second paragraph has 2 lines on page 1 and 2 on page 2; giving 2 would orphan it."""
    before, after, first, second = balanced(f"{paragraph(5, 0)}{paragraph(4, 100)}")
    assert (before, after) == ([7, 2], [5, 4])
    assert all_words(second) == all_words(first)


def test_nothing_is_carried_over_a_chapter_start_or_a_heading() -> None:
    """A chapter of two lines after a forced break, and a page that ends in a heading, stay as they are."""
    for body in (
        f"<section>{paragraph(5, 0)}</section><section>{paragraph(2, 100)}</section>",
        f'{paragraph(6, 0)}<h2 style="margin: 0; break-after: auto">Rubrik</h2>{paragraph(2, 100)}',
    ):
        first, tree = layout(body)
        pages = body_pieces(first, tree)
        assert near_empty(pages) == [1]
        widows: dict[int, int] = {}
        assert push_lines(pages, tree, widows) == 0 and widows == {}


def test_the_body_is_what_main_holds() -> None:
    """Contents or a cover outside ``main`` are not body lines, so such a page is never near-empty."""
    document, tree = layout(f"<nav><p>Innehåll</p></nav><main>{paragraph(3, 0)}</main>", main=False)
    assert [[p.element.tag for p in page] for page in body_pieces(document, tree)] == [["p"]]
    assert [sum(p.lines for p in page) for page in body_pieces(document, tree)] == [3]
