"""Whole-paragraph line breaking for justified text, fed to WeasyPrint as the only break opportunities.

`LineSetter(make_html, …)` styles the HTML as WeasyPrint will (same stylesheets, same fonts), finds every
justified paragraph, chooses its breaks with `knuth_plass.break_paragraph` on widths measured by Pango,
and writes them into a fresh parse each layout round (`set_lines`, `markup`), which the caller renders. Pages are
not known at this point; `Constraints` carry what a first layout found (a hyphen at the foot of a
page, a paragraph to set one line shorter or longer) into the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.render.justify.knuth_plass import Params, Solution, break_paragraph
from pipeline.render.justify.markup import apply
from pipeline.render.justify.measure import PageWidths, line_widths
from pipeline.render.justify.paragraphs import Hyphenator, Measurer, Paragraph, Spot, Unsupported, collect
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


@dataclass
class _Entry:
    """A justified paragraph of the probe: its words and line widths (None: left to WeasyPrint)."""

    probe: Any
    paragraph: Paragraph | None
    widths: tuple[float, float] = (0.0, 0.0)
    size: float = 0.0


class LineSetter:
    """The line breaks of one document, over every layout round.

    A first parse of the HTML (the probe) is styled as WeasyPrint will style it; each justified
    paragraph is measured on it once. Each round (:meth:`set_lines`) writes the breaks into a fresh
    parse that is then rendered: the tree that is styled cannot be changed and then rendered
    (WeasyPrint's element wrappers cache the children they have seen). A paragraph's breaks are chosen
    once for each set of lines a layout forbade to end in a hyphen, so a round that moves one hyphen
    breaks one paragraph again, not all of them.
    """

    def __init__(
        self, make_html: Any, stylesheets: list[Any], font_config: Any, color_profiles: dict[str, Any], options: Any
    ) -> None:
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.document import Document

        self.make_html = make_html
        probe = make_html()
        render_options = {**DEFAULT_OPTIONS, **options, "stylesheets": stylesheets}
        style_for = Document._build_layout_context(probe, font_config, None, color_profiles, render_options).style_for
        self.probe_tree = list(probe.etree_element.iter())
        parents = {child: parent for parent in self.probe_tree for child in parent}
        pages, measurer, hyphenator = PageWidths(probe, style_for), Measurer(), Hyphenator()
        self.entries: list[_Entry] = []
        for element in self.probe_tree:
            style = style_for(element)
            if style is None or element.tag != "p" or not _justified(style):
                continue
            try:
                paragraph = collect(element, style_for, measurer, hyphenator)
                widths = line_widths(element, _ancestors(element, parents), style_for, pages)
            except Unsupported:
                self.entries.append(_Entry(element, None))
                continue
            self.entries.append(_Entry(element, paragraph, widths, float(style["font_size"])))
        self._solved: dict[tuple[int, frozenset[int]], tuple[Solution | None, float]] = {}

    def _solve(self, number: int, forbid: frozenset[int]) -> tuple[Solution | None, float]:
        """The paragraph's breaks and letter-spacing, with no hyphen at the end of the lines ``forbid``."""
        key = (number, forbid)
        if key not in self._solved:
            entry = self.entries[number]
            paragraph = entry.paragraph
            assert paragraph is not None
            solution = break_paragraph(paragraph.words, entry.widths, paragraph.normal_space, PARAMS, forbid)
            spacing = 0.0
            if solution is not None:
                lengths = [len(paragraph.text[start:].split(" ", 1)[0]) for start in paragraph.starts]
                solution, spacing = best_tracking(
                    paragraph.words, lengths, entry.widths, paragraph.normal_space, entry.size, PARAMS, forbid, solution
                )
            self._solved[key] = (solution, spacing)
        return self._solved[key]

    def set_lines(self, constraints: Constraints | None = None) -> tuple[Any, Plan]:
        """A fresh parse of the HTML with the breaks (and the widows of ``constraints``) written in."""
        constraints = constraints or Constraints()
        target = self.make_html()
        elements = list(target.etree_element.iter())
        twin = dict(zip(self.probe_tree, elements, strict=True))
        parents = {child: parent for parent in elements for child in parent}
        apply_widows(elements, constraints.widows)
        plan = Plan(tree=elements)
        for number, entry in enumerate(self.entries):
            plan.elements.append(twin[entry.probe])
            if entry.paragraph is None:
                plan.solutions.append(None)
                continue
            solution, spacing = self._solve(number, frozenset(constraints.no_hyphen.get(number, ())))
            plan.solutions.append(solution)
            if solution is not None and len(solution.lines) > 1:
                apply(_in_tree(entry.paragraph, twin), solution.breaks, parents, PARAMS.shrink, spacing)
        return target, plan


def _in_tree(paragraph: Paragraph, twin: dict[Any, Any]) -> Paragraph:
    """The probe's paragraph with every character's place moved to the twin tree."""
    spots = [Spot(twin[s.element], s.tail, s.offset) for s in paragraph.spots]
    return replace(paragraph, element=twin[paragraph.element], spots=spots)


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
