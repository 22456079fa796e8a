"""Whole-paragraph line breaking for justified text, fed to WeasyPrint as the only break opportunities.

`set_lines(html, …)` styles the HTML as WeasyPrint will (same stylesheets, same fonts), finds every
justified paragraph, chooses its breaks with `knuth_plass.break_paragraph` on widths measured by Pango,
and writes them into the tree (`markup`). The caller renders the returned `weasyprint.HTML`. Pages are
not known at this point; `Constraints` carry what a first layout found (a hyphen at the foot of a
page, a paragraph to set one line shorter or longer) into the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.render.justify.knuth_plass import Params, Solution, break_paragraph
from pipeline.render.justify.markup import apply
from pipeline.render.justify.measure import PageWidths, line_widths
from pipeline.render.justify.paragraphs import Hyphenator, Measurer, Unsupported, collect
from pipeline.render.justify.tracking import best_tracking
from pipeline.render.page_balance import apply_widows, line_boxes

PARAMS = Params()


@dataclass
class Constraints:
    """What the next layout must do differently.

    ``no_hyphen``: per paragraph (by its index among the justified paragraphs), lines that must not
    end in a hyphen. ``widows``: per element (by its index in the tree's document order), the CSS
    widows that fill a near-empty page (render/page_balance.py).
    """

    no_hyphen: dict[int, set[int]] = field(default_factory=dict)
    widows: dict[int, int] = field(default_factory=dict)


@dataclass
class Plan:
    """What the line breaker did: per justified paragraph its solution (None: left to WeasyPrint)."""

    solutions: list[Solution | None] = field(default_factory=list)
    elements: list[Any] = field(default_factory=list)  # in the tree that is rendered
    tree: list[Any] = field(default_factory=list)  # every element of that tree, in document order, before markup


def _ancestors(element: Any, parents: dict[Any, Any]) -> list[Any]:
    """The element's ancestors, the root first."""
    out = []
    while (element := parents.get(element)) is not None:
        out.append(element)
    return out[::-1]


def _justified(style: Any) -> bool:
    return bool(style["text_align_all"] == "justify" and style["display"] == ("block", "flow"))


def set_lines(
    make_html: Any,
    stylesheets: list[Any],
    font_config: Any,
    color_profiles: dict[str, Any],
    options: dict[str, Any],
    constraints: Constraints | None = None,
) -> tuple[Any, Plan]:
    """Style a first parse of the HTML, choose the breaks, and write them into a second parse (returned).

    `make_html()` returns a fresh `weasyprint.HTML`: the tree that is styled here cannot be changed and
    then rendered (WeasyPrint's element wrappers cache the children they have seen).
    """
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.document import Document

    constraints = constraints or Constraints()
    probe = make_html()
    render_options = {**DEFAULT_OPTIONS, **options, "stylesheets": stylesheets}
    context = Document._build_layout_context(probe, font_config, None, color_profiles, render_options)
    style_for = context.style_for
    pages = PageWidths(probe, style_for)
    measurer = Measurer()
    hyphenator = Hyphenator()

    # The tree that is rendered; each of its elements is styled as its twin in the probe.
    target = make_html()
    elements = list(target.etree_element.iter())
    probe_of = dict(zip(elements, probe.etree_element.iter(), strict=True))

    def styled(element: Any, pseudo: str | None = None) -> Any:
        return style_for(probe_of[element], pseudo)

    parents = {child: parent for parent in elements for child in parent}
    apply_widows(elements, constraints.widows)

    plan = Plan(tree=elements)
    for element in elements:
        style = styled(element)
        if style is None or element.tag != "p" or not _justified(style):
            continue
        number = len(plan.solutions)
        plan.elements.append(element)
        try:
            paragraph = collect(element, styled, measurer, hyphenator)
            widths = line_widths(element, _ancestors(element, parents), styled, pages)
        except Unsupported:
            plan.solutions.append(None)
            continue
        forbid = frozenset(constraints.no_hyphen.get(number, ()))
        solution = break_paragraph(paragraph.words, widths, paragraph.normal_space, PARAMS, forbid)
        spacing = 0.0
        if solution is not None:
            lengths = [len(paragraph.text[start:].split(" ", 1)[0]) for start in paragraph.starts]
            size = float(style["font_size"])
            solution, spacing = best_tracking(
                paragraph.words, lengths, widths, paragraph.normal_space, size, PARAMS, forbid, solution
            )
        plan.solutions.append(solution)
        if solution is not None and len(solution.lines) > 1:
            apply(paragraph, solution.breaks, parents, PARAMS.shrink, spacing)
    return target, plan


HYPHEN_ENDS = ("\u2010", "-", "\u00ad")


def _lines_by_element(document: Any, elements: set[int]) -> dict[int, list[tuple[int, str]]]:
    """For each paragraph element (by id): its laid-out lines in order, as (page index, text)."""
    from weasyprint.formatting_structure import boxes

    def text(box: Any) -> str:
        if isinstance(box, boxes.TextBox):
            return str(box.text)
        return "".join(text(child) for child in getattr(box, "children", ()))

    out: dict[int, list[tuple[int, str]]] = {}
    for page, element, lines in line_boxes(document):
        if id(element) in elements:
            out.setdefault(id(element), []).extend((page, text(line)) for line in lines)
    return out


def page_turn_hyphens(document: Any, plan: Plan, constraints: Constraints) -> int:
    """Add to `constraints` every line that ends a page with a hyphen inside a paragraph; how many new."""
    by_element = _lines_by_element(document, {id(el) for el in plan.elements})
    added = 0
    for number, element in enumerate(plan.elements):
        if plan.solutions[number] is None:
            continue
        lines = by_element.get(id(element), [])
        for index, (page, line) in enumerate(lines[:-1]):
            if lines[index + 1][0] != page and line.rstrip().endswith(HYPHEN_ENDS):
                forbidden = constraints.no_hyphen.setdefault(number, set())
                if index not in forbidden:
                    forbidden.add(index)
                    added += 1
    return added
