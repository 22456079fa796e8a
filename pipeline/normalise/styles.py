"""Heading levels from type styles: the body style is the commonest, headings are the more prominent ones.

Shared by the readers of laid-out formats (PDF, Word). They measure each candidate block's style
(size, weight, slant, capitals, an accent colour) and let these rules decide, so a rule lives once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Sizes closer than this (points) are one size: extraction and rounding jitter.
SIZE_TOLERANCE = 0.6
# Most levels the model has below the title: part, section, subsection.
MAX_LEVEL = 3


@dataclass(frozen=True, order=True)
class Style:
    """A text style as a reader measured it."""

    size: float  # points, rounded to a half point
    bold: bool = False
    italic: bool = False
    caps: bool = False  # every letter is a capital
    accent: bool = False  # set in a colour that stands out from black text (not a grey, a light tint or a link)

    @staticmethod
    def of(size: float, bold: bool = False, italic: bool = False, caps: bool = False, accent: bool = False) -> Style:
        return Style(round(size * 2) / 2, bold, italic, caps, accent)

    def prominence(self) -> tuple[float, int, int, int]:
        """Larger first, then bold, then in colour, then capitals: the order in which a reader's eye ranks headings."""
        return (self.size, int(self.bold), int(self.accent), int(self.caps))


def body_style(samples: Iterable[tuple[Style, int]]) -> Style:
    """The style most of the text is set in (weighted by character count)."""
    counts: Counter[Style] = Counter()
    for style, chars in samples:
        counts[style] += chars
    if not counts:
        return Style(0.0)
    return counts.most_common(1)[0][0]


def more_prominent(style: Style, body: Style) -> bool:
    """Does ``style`` stand out from the body as a heading style would (larger, or bold, bold capitals or an
    accent colour at body size)?"""
    if style.size > body.size + SIZE_TOLERANCE:
        return True
    if abs(style.size - body.size) <= SIZE_TOLERANCE:
        return (
            (style.bold and not body.bold)
            or (style.caps and not body.caps and style.bold)
            or (style.accent and not body.accent)
        )
    return False


def heading_levels(styles: Iterable[Style], body: Style) -> dict[Style, int]:
    """Map each heading style to a model level (1 part, 2 section, 3 subsection).

    Styles of (nearly) the same size, weight, capitals and colour share a rank. With one heading rank the
    headings are sections (level 2), as a lone heading level is in plain text; two ranks are parts
    and sections; three or more are parts, sections and subsections (the rest join subsections).
    """
    distinct = sorted({s for s in styles if more_prominent(s, body)}, key=Style.prominence, reverse=True)
    ranks: list[list[Style]] = []
    for style in distinct:
        if ranks and _same_rank(ranks[-1][0], style):
            ranks[-1].append(style)
        else:
            ranks.append([style])
    first = 2 if len(ranks) == 1 else 1
    out: dict[Style, int] = {}
    for n, rank in enumerate(ranks):
        for style in rank:
            out[style] = min(first + n, MAX_LEVEL)
    return out


def _same_rank(a: Style, b: Style) -> bool:
    return abs(a.size - b.size) <= SIZE_TOLERANCE and a.bold == b.bold and a.caps == b.caps and a.accent == b.accent
