"""Blocks from geometry: vertical gaps, first-line indents and style changes part them; text flows on across pages."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pipeline.normalise.segment import ALWAYS_BULLETS, list_marker
from pipeline.normalise.styles import SIZE_TOLERANCE, Style
from pipeline.readers.pdf_layout import TextLine, Word
from pipeline.readers.pdf_tags import Tags

# A line further below the previous one than this many line pitches starts a new block.
GAP_PITCHES = 1.2
# A first line indented by more than this many ems starts a new block (up to INDENT_MAX ems: more is centred).
INDENT_MIN = 0.5
INDENT_MAX = 6.0
# Lines ending within this many points of their column's right edge are full (justified text).
FULL_SLACK = 1.5
# A column is justified when at least this share of its longer lines (and three) end at its right edge:
# ragged lines end all over, justified ones at one place (short paragraphs keep the share low).
JUSTIFIED_SHARE = 0.2
JUSTIFIED_MIN = 3
# ... or when most lines inside paragraphs (followed closely by the next) end there.
JUSTIFIED_INNER_SHARE = 0.6
SPACE_EM = 0.25  # a word space, in ems, for "would the next word have fitted on this line?"


@dataclass(eq=False)
class Block:
    """Lines that geometry puts together: a paragraph, a heading, a list, a title."""

    lines: list[TextLine] = field(default_factory=list)

    @property
    def first(self) -> TextLine:
        return self.lines[0]

    @property
    def style(self) -> Style:
        counts: Counter[Style] = Counter()
        for line in self.lines:
            counts[line.style] += len(line.text)
        return counts.most_common(1)[0][0]


class Frames:
    """Where each column's text stands: its left and right edges, line pitches, and whether it is justified.

    The edges come from the text in the body size (a title or a heading may stand out of the measure),
    the right one from every page whose column starts at the same place (a ragged column on a page with
    few lines does not show its full measure).
    """

    def __init__(self, lines: list[TextLine]) -> None:
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[line.size] += len(line.text)
        body = sizes.most_common(1)[0][0] if sizes else 0.0
        edges: dict[tuple[int, int], list[TextLine]] = defaultdict(list)
        for line in lines:
            edges[(line.page, line.column)].append(line)
        self.left = {k: min(ln.x0 for ln in v) for k, v in edges.items()}
        measure: dict[int, list[TextLine]] = defaultdict(list)
        for k, v in edges.items():
            measure[self._key(k)].extend(ln for ln in v if abs(ln.size - body) <= SIZE_TOLERANCE)
        right = {key: max((ln.x1 for ln in v), default=0.0) for key, v in measure.items()}
        self.right = {k: right[self._key(k)] or max(ln.x1 for ln in v) for k, v in edges.items()}
        self.pitch = _pitches(lines)
        # Lines followed closely by another of the same size are inside a paragraph: in justified text
        # they all end at the right edge.
        inner: dict[int, list[TextLine]] = defaultdict(list)
        for a, b in itertools.pairwise(lines):
            close = b.baseline - a.baseline <= GAP_PITCHES * self.line_pitch(a.size) + 0.5
            if a.page == b.page and a.column == b.column and close and abs(a.size - b.size) < 0.1:
                inner[self._key((a.page, a.column))].append(a)
        justified = {}
        for key, v in measure.items():
            long = [ln for ln in v if len(ln.words) >= 4]
            full = sum(1 for ln in long if ln.x1 >= right[key] - FULL_SLACK)
            full_inner = sum(1 for ln in inner[key] if ln.x1 >= right[key] - FULL_SLACK)
            justified[key] = full >= max(JUSTIFIED_MIN, JUSTIFIED_SHARE * len(long)) or (
                full_inner >= JUSTIFIED_MIN and full_inner >= JUSTIFIED_INNER_SHARE * len(inner[key])
            )
        self.justified = {k: justified[self._key(k)] for k in edges}

    def _key(self, frame: tuple[int, int]) -> int:
        return round(self.left[frame] / 4)

    def frame(self, line: TextLine) -> tuple[int, int]:
        return (line.page, line.column)

    def line_pitch(self, size: float) -> float:
        return self.pitch.get(round(size * 2) / 2, 1.3 * size)


def _pitches(lines: list[TextLine]) -> dict[float, float]:
    """The distance between baselines inside a paragraph, for each text size.

    The smallest distance that recurs (in a tenth of the pairs): where one-line paragraphs abound, the
    commonest distance is the paragraph spacing, not the line pitch.
    """
    seen: dict[float, Counter[float]] = defaultdict(Counter)
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.1:
            delta = b.baseline - a.baseline
            if 0.8 * a.size <= delta <= 3.0 * a.size:
                seen[round(a.size * 2) / 2][round(delta * 2) / 2] += 1
    out = {}
    for size, counts in seen.items():
        total = sum(counts.values())
        recurring = [d for d, n in counts.items() if n >= max(2, 0.1 * total)]
        out[size] = min(recurring or counts)
    return out


def build(lines: list[TextLine], tags: Tags | None = None) -> list[Block]:
    """Group lines (reading order, furniture already gone) into blocks.

    Where text goes on to a new page or column the layout can be mute (a paragraph that ended on a full
    line); a tagged PDF's structure tree, when it covers the text, then says whether it is one element.
    """
    frames = Frames(lines)
    out: list[Block] = []
    for i, line in enumerate(lines):
        if not out:
            out.append(Block([line]))
            continue
        prev = lines[i - 1]
        block = out[-1]
        if prev.page == line.page and prev.column == line.column and line.baseline > prev.baseline:
            new = _breaks(block, prev, line, frames)
        else:
            same = tags.same_block(prev, line) if tags is not None else None
            new = not _flows_on(block, prev, line, frames) if same is None else not same
        if new:
            out.append(Block([line]))
        else:
            block.lines.append(line)
    return out


def same_style(a: TextLine, b: TextLine) -> bool:
    """Are two lines set alike? Most of their text is (a bold word at a line's end is emphasis), or
    ``b`` opens in the style ``a`` ends in and one of them changes style (a run-in lead that wraps).
    """
    if _alike(a.style, a.family, b.style, b.family):
        return True
    return _alike(*_key(a.words[-1]), *_key(b.words[0])) and (_mixed(a) or _mixed(b))


def _key(word: Word) -> tuple[Style, str]:
    return Style.of(word.size, word.font.bold), word.font.family


def _mixed(line: TextLine) -> bool:
    return len({_key(w) for w in line.words}) > 1


def _alike(a: Style, family_a: str, b: Style, family_b: str) -> bool:
    return abs(a.size - b.size) <= SIZE_TOLERANCE and a.bold == b.bold and a.accent == b.accent and family_a == family_b


def _hang(block: Block) -> float | None:
    """Where the last list item's text starts (its second word), for lines hanging under it. An item opens
    the block, opens with a bullet, or stands apart from the line above (a number that merely wrapped to
    a line's start, "högst" / "8. Det är", stands where the paragraph's lines do).
    """
    hang = None
    for k, line in enumerate(block.lines):
        if list_marker(line.text) and len(line.words) > 1:
            apart = k == 0 or line.text[0] in ALWAYS_BULLETS or abs(line.x0 - block.lines[k - 1].x0) > FULL_SLACK
            if apart:
                hang = line.words[1].x0
    return hang


def _breaks(block: Block, prev: TextLine, line: TextLine, frames: Frames) -> bool:
    """Does ``line`` start a new block below ``prev`` in the same column?"""
    if not same_style(prev, line):
        return not _lead_fills_line(prev, line, frames)
    if not _alike(prev.style, prev.family, line.style, line.family) and not _mixed(prev) and _ended(prev, line, frames):
        # a line all in display type that ends short, over a paragraph that opens in that type: a
        # heading over a run-in lead ("Idrott för alla barn" / "Alla barn ska kunna vara med. I dag
        # …"), not a lead that wrapped (its first line is full)
        return True
    pitch = max(frames.line_pitch(prev.size), frames.line_pitch(line.size))
    if line.baseline - prev.baseline > GAP_PITCHES * pitch + 0.5:
        return True
    hang = _hang(block)
    if hang is not None and abs(line.x0 - hang) <= FULL_SLACK:
        return False
    em = line.size
    indent = line.x0 - frames.left[frames.frame(line)]
    if not INDENT_MIN * em < indent < INDENT_MAX * em:
        return False
    # An indented first line: after a line at the column's edge, or after a line that ended short
    # (one-line paragraphs, each indented, one under the other).
    return line.x0 - prev.x0 > INDENT_MIN * em or _ended(prev, line, frames)


def _lead_fills_line(prev: TextLine, line: TextLine, frames: Frames) -> bool:
    """Is ``prev`` a run-in lead that filled its line, the paragraph going on below in its own type
    ("Naturen är kommunens största fritidsanläggning." / "Skogarna runt …")? The line is all in one
    style, at a line's step from the next (a heading has space after it), the next line's first word
    would not have fitted on it, and the lead ends a sentence or the text goes on in lower case.
    """
    if _mixed(prev) or _ended(prev, line, frames):
        return False
    step = line.baseline - prev.baseline
    if step > GAP_PITCHES * frames.line_pitch(line.size) + 0.5:
        return False
    return prev.text.endswith((".", "!", "?", ":")) or line.text[:1].islower()


def _ended(prev: TextLine, line: TextLine, frames: Frames) -> bool:
    """Did ``prev`` end its paragraph? Justified text: it stops short of the right edge; ragged text:
    the next line's first word would have fitted on it.
    """
    right = frames.right[frames.frame(prev)]
    if frames.justified[frames.frame(prev)]:
        return prev.x1 < right - FULL_SLACK
    first = line.words[0]
    return prev.x1 + SPACE_EM * prev.size + (first.x1 - first.x0) <= right + 0.5


def _flows_on(block: Block, prev: TextLine, line: TextLine, frames: Frames) -> bool:
    """Does the first line of a new page or column continue the block that ended the last one?"""
    if not same_style(prev, line) or list_marker(line.text):
        return False
    if prev.text.endswith("-") and line.text[:1].islower():
        return True
    em = line.size
    left = frames.left[frames.frame(line)]
    hang = _hang(block)
    prev_left = frames.left[frames.frame(prev)]
    hanging = hang is not None and abs((line.x0 - left) - (hang - prev_left)) <= FULL_SLACK
    if line.x0 - left > INDENT_MIN * em and not hanging:
        return False
    return not _ended(prev, line, frames)
