"""Write chosen line breaks into the HTML tree, so that WeasyPrint's greedy breaker can only take them.

The paragraph is set `white-space: nowrap; hyphens: manual`: no break anywhere. WeasyPrint breaks a
line inside a text box whose own style wraps, never between two boxes of a `nowrap` parent, so each
chosen break becomes a small `white-space: normal` span around the word it concerns:
- a break at a space: the span holds the space and the word after it (`<span> word</span>`);
- a break inside a word: the span holds the word with a soft hyphen at the break, where WeasyPrint
  draws its hyphen as it does for `hyphens: auto`;
- a break after a hard hyphen: the span holds the word, which Pango may break after its hyphen.
Not one word changes: spaces stay spaces, and a soft hyphen is invisible in the text (it is not in the
extracted text, as the hyphen WeasyPrint adds at an automatic break is not a character of the word).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from pipeline.render.justify.knuth_plass import Break
from pipeline.render.justify.paragraphs import SOFT_HYPHEN, Paragraph, Spot

PARAGRAPH_STYLE = "white-space: nowrap; hyphens: manual"
BREAK_STYLE = "white-space: normal"
LAST_LINE_STYLE = "white-space: normal; word-spacing: normal"
BREAK_CLASS = "lb"  # the spans carry a class, so a stylesheet or a test can find them


def _get(element: Any, tail: bool) -> str:
    return (element.tail if tail else element.text) or ""


def _set(element: Any, tail: bool, value: str) -> None:
    if tail:
        element.tail = value
    else:
        element.text = value


@dataclass
class _Span:
    """Characters [start, end) of one text node to wrap, with soft hyphens to insert at some offsets."""

    element: Any
    tail: bool
    start: int
    end: int
    hyphens: set[int] = field(default_factory=set)


def _word_extent(paragraph: Paragraph, index: int) -> tuple[int, int]:
    """Node offsets [start, end) of the word around text index `index`, within that character's node."""
    text, spots = paragraph.text, paragraph.spots
    here = spots[index]
    lo = index
    while lo > 0 and text[lo - 1] != " " and _same_node(spots[lo - 1], here):
        lo -= 1
    hi = index
    while hi + 1 < len(text) and text[hi + 1] != " " and _same_node(spots[hi + 1], here):
        hi += 1
    return spots[lo].offset, spots[hi].offset + 1


def _same_node(a: Spot, b: Spot) -> bool:
    return a.element is b.element and a.tail == b.tail


def apply(
    paragraph: Paragraph, breaks: list[Break], parents: dict[Any, Any], shrink: float, tracking: float = 0.0
) -> None:
    """Mark `breaks` in the paragraph's element; `parents` maps each element of the tree to its parent.

    The paragraph's word spaces are set `shrink` (a share of a normal space) narrower; the last line's
    span, where the last line lies in one text node, sets them back to normal. `tracking` (px) is the
    paragraph's letter spacing (render/justify/tracking.py), 0 for none.
    """
    text, spots = paragraph.text, paragraph.spots
    spans: dict[tuple[int, bool], list[_Span]] = {}

    def add(element: Any, tail: bool, start: int, end: int, hyphen: int | None = None) -> None:
        node_spans = spans.setdefault((id(element), tail), [])
        for span in node_spans:
            if span.start <= end and start <= span.end:  # touching or overlapping: one span
                span.start, span.end = min(span.start, start), max(span.end, end)
                if hyphen is not None:
                    span.hyphens.add(hyphen)
                return
        node_spans.append(_Span(element, tail, start, end, {hyphen} if hyphen is not None else set()))

    for brk in breaks:
        start = paragraph.starts[brk.word]
        if brk.split >= 0:
            split = paragraph.words[brk.word].splits[brk.split]
            at = start + split.index
            spot = spots[at] if split.soft else spots[at - 1]
            lo, hi = _word_extent(paragraph, at if split.soft else at - 1)
            add(spot.element, spot.tail, lo, hi, spot.offset if split.soft else None)
            continue
        space_index = start + len(text[start:].split(" ", 1)[0])
        space, following = spots[space_index], spots[space_index + 1]
        if not _same_node(space, following):
            _move_space(paragraph, space, following)
            space = Spot(following.element, following.tail, following.offset - 1)
        lo, hi = _word_extent(paragraph, space_index + 1)
        add(following.element, following.tail, space.offset, hi)

    last = _last_line_span(paragraph, spans)
    for node_spans in spans.values():
        for span in sorted(node_spans, key=lambda s: s.start, reverse=True):
            _wrap(span, parents, LAST_LINE_STYLE if span is last else BREAK_STYLE)
    own = f"{PARAGRAPH_STYLE}; word-spacing: {-shrink * paragraph.normal_space:.3f}px"
    if tracking:
        own += f"; letter-spacing: {tracking:.3f}px"
    style = paragraph.element.get("style")
    paragraph.element.set("style", f"{style}; {own}" if style else own)


def _last_line_span(paragraph: Paragraph, spans: dict[tuple[int, bool], list[_Span]]) -> _Span | None:
    """The span of the last break, stretched to the paragraph's end when the rest is in the same node."""
    end = paragraph.spots[-1]
    candidates = spans.get((id(end.element), end.tail), [])
    if not candidates:
        return None
    last = max(candidates, key=lambda s: s.start)  # the end node is the last: its last span is the last break
    last.end = end.offset + 1
    return last


def _move_space(paragraph: Paragraph, space: Spot, following: Spot) -> None:
    """The space ends one text node and its word starts another: the white space run moves to the word.

    CSS collapses the run into one space wherever it stands; it must stand in the word's node for the
    break span to hold it. The word's node then has a space at `following.offset - 1`.
    """
    whole = _get(space.element, space.tail)
    end = space.offset
    while end < len(whole) and whole[end].isspace():
        end += 1
    _set(space.element, space.tail, whole[: space.offset] + whole[end:])
    target = _get(following.element, following.tail)
    lead = target[: following.offset]
    if lead.strip():
        raise AssertionError("text between a space and its word")  # collect() never makes this
    if lead:
        _set(following.element, following.tail, lead[:-1] + " " + target[following.offset :])
        return
    _set(following.element, following.tail, " " + target)
    for spot in paragraph.spots:  # every character of the word's node is now one further on
        if _same_node(spot, following) and spot is not following:
            spot.offset += 1
    following.offset += 1


def _wrap(span: _Span, parents: dict[Any, Any], style: str) -> None:
    whole = _get(span.element, span.tail)
    inner = whole[span.start : span.end]
    for offset in sorted(span.hyphens, reverse=True):
        cut = offset - span.start
        inner = inner[:cut] + SOFT_HYPHEN + inner[cut:]
    new = ET.Element("span", {"class": BREAK_CLASS, "style": style})
    new.text = inner
    new.tail = whole[span.end :]
    _set(span.element, span.tail, whole[: span.start])
    if span.tail:
        parent = parents[span.element]
        parent.insert(list(parent).index(span.element) + 1, new)
        parents[new] = parent
    else:
        span.element.insert(0, new)
        parents[new] = span.element
