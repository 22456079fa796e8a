"""A justified paragraph of the HTML as the line breaker sees it: words, their widths, where they may break.

Widths come from WeasyPrint's own Pango set-up (`weasyprint.text.line_break.Layout`) with each text
node's computed style, so fonts, sizes, OpenType features and kerning are those the renderer uses.
Every character keeps its place in the HTML tree (`Spot`: which node, which offset), so the breaks the
line breaker chooses can be written back into the tree (`pipeline.render.justify.markup`).

A paragraph is left to WeasyPrint's own greedy breaking when it holds anything this model does not
know: a forced line break, an image or other replaced or atomic inline, generated content, a text
transform, or preserved white space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline.render.justify.knuth_plass import Split, Word

SOFT_HYPHEN = "\u00ad"
_SPACE = re.compile(r"[ \t\n\r\f]+")
# Inline elements that carry only text; anything else makes the paragraph one WeasyPrint sets itself.
TEXT_ELEMENTS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
     "small", "span", "strong", "sub", "sup", "time", "u", "var"}
)  # fmt: skip


@dataclass
class Spot:
    """Where a character of the paragraph lives: the element whose .text or .tail holds it, and the offset."""

    element: Any
    tail: bool
    offset: int


@dataclass
class Paragraph:
    element: Any
    text: str  # white space collapsed as CSS does
    spots: list[Spot]  # one per character of `text`
    words: list[Word]
    starts: list[int]  # index in `text` where each word starts
    normal_space: float


class Unsupported(Exception):
    """The paragraph holds something the line breaker does not model."""


class Measurer:
    """Text widths in points with WeasyPrint's Pango layouts, cached per (style, text)."""

    def __init__(self) -> None:
        from weasyprint.text.line_break import Layout, line_size

        self._layout_class = Layout
        self._line_size = line_size
        self._layouts: dict[int, Any] = {}
        self._cache: dict[tuple[int, str], float] = {}

    def width(self, style: Any, text: str) -> float:
        key = (id(style), text)
        found = self._cache.get(key)
        if found is not None:
            return found
        layout = self._layouts.get(id(style))
        if layout is None:
            layout = self._layouts[id(style)] = (self._layout_class(style), style)
        layout[0].set_text(text)
        line, _ = layout[0].get_first_line()
        value = float(self._line_size(line, style)[0])
        self._cache[key] = value
        return value


def _runs(element: Any, style_for: Any) -> list[tuple[Any, bool, str, Any]]:
    """(node, is_tail, text, style) for every text node of `element`, in reading order."""
    out: list[tuple[Any, bool, str, Any]] = []

    def visit(node: Any) -> None:
        style = style_for(node)
        if style is None:
            raise Unsupported("no style")
        for pseudo in ("before", "after"):
            ps = style_for(node, pseudo)
            if ps is not None and ps["content"] not in ("normal", "none"):
                raise Unsupported("generated content")
        if style["text_transform"] != "none" or style["white_space"] not in ("normal", "nowrap"):
            raise Unsupported("text transform or preserved white space")
        if node.text:
            out.append((node, False, node.text, style))
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            child_style = style_for(child)
            if tag not in TEXT_ELEMENTS or child_style is None or child_style["display"] != ("inline", "flow"):
                raise Unsupported(f"<{tag}>")
            visit(child)
            if child.tail:
                out.append((child, True, child.tail, style))

    visit(element)
    return out


def collect(element: Any, style_for: Any, measurer: Measurer, hyphenator: Any) -> Paragraph:
    """The paragraph `element` as words with widths and break points."""
    text_chars: list[str] = []
    spots: list[Spot] = []
    styles: list[Any] = []
    pending_space: tuple[Spot, Any] | None = None
    for node, tail, text, style in _runs(element, style_for):
        for offset, char in enumerate(text):
            spot = Spot(node, tail, offset)
            if _SPACE.match(char):
                if text_chars and pending_space is None:
                    pending_space = (spot, style)
                continue
            if pending_space is not None:
                text_chars.append(" ")
                spots.append(pending_space[0])
                styles.append(pending_space[1])
                pending_space = None
            text_chars.append(char)
            spots.append(spot)
            styles.append(style)
    text = "".join(text_chars)
    if not text or SOFT_HYPHEN in text or "\u200b" in text:
        raise Unsupported("empty, or breaks already marked")

    body_style = style_for(element)
    if body_style["direction"] != "ltr":
        raise Unsupported("right-to-left")  # WeasyPrint's justification of right-to-left text is not modelled
    normal_space = measurer.width(body_style, " ")
    words: list[Word] = []
    starts: list[int] = []
    for match in re.finditer(r"[^ ]+", text):
        start, end = match.span()
        width = _width(measurer, text, styles, start, end)
        space = measurer.width(styles[end], " ") if end < len(text) else 0.0
        splits = tuple(_splits(measurer, hyphenator, text, styles, start, end))
        words.append(Word(width, space, splits))
        starts.append(start)
    return Paragraph(element, text, spots, words, starts, normal_space)


def _width(measurer: Measurer, text: str, styles: list[Any], start: int, end: int) -> float:
    """Width of text[start:end], measured in pieces of one style each."""
    total = 0.0
    piece = start
    for i in range(start + 1, end + 1):
        if i == end or styles[i] is not styles[piece]:
            total += measurer.width(styles[piece], text[piece:i])
            piece = i
    return total


_LETTER = re.compile(r"\w", re.UNICODE)


def _splits(measurer: Measurer, hyphenator: Any, text: str, styles: list[Any], start: int, end: int) -> list[Split]:
    """Hyphenation points (as WeasyPrint's own `hyphens: auto` would find them) and breaks after hard hyphens."""
    word = text[start:end]
    found: dict[int, bool] = {}
    style = styles[start]
    # The letters of the word without leading and trailing punctuation, as Pango's word boundaries give.
    core_start = next((i for i, c in enumerate(word) if _LETTER.match(c)), len(word))
    core_end = len(word) - next((i for i, c in enumerate(reversed(word)) if _LETTER.match(c)), len(word))
    core = word[core_start:core_end]
    if style["hyphens"] == "auto" and style["lang"] and "-" not in core and "\u2010" not in core:
        total, left, right = style["hyphenate_limit_chars"]
        if len(core) >= total:
            for position in hyphenator.positions(style["lang"], left, right, core):
                found[core_start + position] = True
    for i, char in enumerate(word[:-1]):
        if char in "-\u2010" and i >= 2 and len(word) - i - 1 >= 3 and word[i + 1].isalpha():
            found[i + 1] = False  # a break after a hard hyphen adds nothing
    out: list[Split] = []
    for index in sorted(found):
        soft = found[index]
        hyphen_style = styles[start + index - 1]
        before = _width(measurer, text, styles, start, start + index)
        if soft:
            before += measurer.width(hyphen_style, hyphen_style["hyphenate_character"])
        after = _width(measurer, text, styles, start + index, end)
        out.append(Split(index, before, after, soft))
    return out


class Hyphenator:
    """pyphen dictionaries, as WeasyPrint builds them (language fallback, left and right limits)."""

    def __init__(self) -> None:
        self._dictionaries: dict[tuple[str, int, int], Any] = {}

    def positions(self, lang: str, left: int, right: int, word: str) -> list[int]:
        import pyphen

        fallback = pyphen.language_fallback(lang)
        if not fallback:
            return []
        key = (fallback, left, right)
        dictionary = self._dictionaries.get(key)
        if dictionary is None:
            dictionary = self._dictionaries[key] = pyphen.Pyphen(lang=fallback, left=left, right=right)
        return [p for p in dictionary.positions(unicodedata.normalize("NFC", word)) if left <= p <= len(word) - right]
