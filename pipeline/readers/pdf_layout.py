"""PDF geometry: characters → words → lines in reading order (column by column); no decisions about meaning."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property

from pipeline.normalise.chars import HYPHEN, SOFT_HYPHEN
from pipeline.normalise.styles import Style
from pipeline.readers.pdf_chars import NO_COLOUR, Char, Font, PageChars

# A gap wider than this (in ems of the text) between two characters ends a word.
WORD_GAP = 0.15
# A gap wider than this (in ems) splits a baseline into pieces that may lie in different columns.
PIECE_GAP = 0.9
# Pieces on one baseline of one column further apart than this share of the column are separate
# lines (a running footer's title at the left and its page number at the right).
SEPARATE_SHARE = 0.3
# A column gutter: at least this wide (points), in the middle half of the text, crossed by few lines.
GUTTER_MIN = 6.0
GUTTER_CROSSINGS = 0.15  # of the most lines any point is covered by (and two: a running head, a folio)
MIN_COLUMN_LINES = 3
# A drawn bullet stands at most this many ems before its item's first word; it reads as this character.
BULLET_GAP = 2.5
DRAWN_BULLET = "•"
# Word and LibreOffice set list bullets in symbol fonts (Symbol, Wingdings), whose codes a PDF often
# maps into the private use area (U+F0B7 is Symbol's bullet): a word of one such glyph is a bullet.
SYMBOL_BULLETS = frozenset("\uf0b7\uf0a7\uf0a8\uf076\uf0d8\uf0fc\uf06c\uf06e\uf071\uf075\uf09f")
# The hyphen glyph maps to U+2010 HYPHEN in many fonts' ToUnicode tables, and pdfium reports a
# hyphen-minus it takes for a line-end hyphen as U+FFFE (a noncharacter): both are read as the
# hyphen-minus the sources use. A soft hyphen stays at a line's end (the shared join reads it).
PDFIUM_LINE_END_HYPHEN = "\ufffe"
# A colour in which text stands out from black text is a colour (its chroma, the spread of its red, green
# and blue, is at least this), not a grey, and as dark as text to be read (its contrast with white paper
# is at least this, WCAG's ratio for large text): greys and light tints set text back, they do not raise it.
ACCENT_CHROMA = 0.2
ACCENT_CONTRAST = 3.0
# A word that is a web or mail address: a link, whatever its colour (printed links often are not annotated).
ADDRESS = re.compile(r"(?:https?://|www\.)\S|\w@\w[\w-]*\.\w", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Word:
    """A word as printed: its text, where it starts and ends, its size and font."""

    text: str
    x0: float
    x1: float
    size: float
    font: Font
    mcids: tuple[int, int] = (-1, -1)  # marked-content ids of its first and last character (tagged PDFs)
    drawn: bool = False  # a bullet drawn as a shape, read as a bullet character
    symbol: str = ""  # a bullet set in a symbol font's private code (read as a bullet character): that code
    colour: int = NO_COLOUR  # the fill colour of most of its characters (0xRRGGBB)
    link: bool = False  # inside a link annotation, or shaped like a web or mail address
    fonts: tuple[Font, ...] = ()  # the font of each character of ``text`` when they differ (else empty)

    @property
    def accent(self) -> bool:
        """Set in a colour that stands out (not black, grey or a light tint), and not as a link."""
        return accent_colour(self.colour) and not self.link

    def font_at(self, i: int) -> Font:
        """The font of the word's ``i``-th character."""
        return self.fonts[i] if self.fonts else self.font


@cache
def accent_colour(rgb: int) -> bool:
    """Is 0xRRGGBB a colour that makes text stand out (see ACCENT_CHROMA and ACCENT_CONTRAST)?"""
    if rgb < 0:
        return False
    channels = [(rgb >> shift & 255) / 255 for shift in (16, 8, 0)]
    if max(channels) - min(channels) < ACCENT_CHROMA:
        return False
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (1.05 / (luminance + 0.05)) >= ACCENT_CONTRAST


@dataclass(eq=False)
class TextLine:
    """One printed line: its words left to right, where it stands, and which column it belongs to."""

    page: int  # 0-based
    words: tuple[Word, ...]
    top: float
    bottom: float
    baseline: float
    column: int = 0  # 0, 1, ... left to right; -1 for a line that spans the columns
    artifact: bool = False  # every character is tagged /Artifact
    no: int = 0  # the line's number in reading order, set by the reader

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @cached_property
    def size(self) -> float:
        """The size most of the line's characters have."""
        counts: Counter[float] = Counter()
        for w in self.words:
            counts[round(w.size, 1)] += len(w.text)
        return counts.most_common(1)[0][0]

    @cached_property
    def family(self) -> str:
        counts: Counter[str] = Counter()
        for w in self.words:
            counts[w.font.family] += len(w.text)
        return counts.most_common(1)[0][0]

    @cached_property
    def colour(self) -> int:
        """The fill colour most of the line's characters have (0xRRGGBB)."""
        counts: Counter[int] = Counter()
        for w in self.words:
            counts[w.colour] += len(w.text)
        return counts.most_common(1)[0][0]

    @cached_property
    def style(self) -> Style:
        """The line's style: bold or italic only when all its letters are (a bold word is emphasis)."""
        return style_of(self.words)


def style_of(words: tuple[Word, ...] | list[Word]) -> Style:
    """The style of some words: size by most characters; bold, italic or in an accent colour only if all
    their letters are (digits and signs count when there are no letters: a title line "2028" is bold).
    """
    chars = [(ch, w) for w in words for ch in w.text if ch.isalpha()]
    if not chars:
        chars = [(ch, w) for w in words for ch in w.text if not ch.isspace()]
    sizes: Counter[float] = Counter()
    for w in words:
        sizes[round(w.size, 1)] += len(w.text)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    bold = bool(chars) and all(w.font.bold for _, w in chars)
    italic = bool(chars) and all(w.font.italic for _, w in chars)
    accent = bool(chars) and all(w.accent for _, w in chars)
    letters = [ch for ch, _ in chars if ch.isalpha()]
    caps = len(letters) > 1 and all(ch.isupper() for ch in letters)
    return Style.of(size, bold, italic, caps, accent)


@dataclass
class Page:
    """A page's lines in reading order, and how many columns it is set in."""

    index: int
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)  # reading order
    columns: int = 1


def layout(pages: list[PageChars], fonts: list[Font]) -> list[Page]:
    """Every page's lines in reading order: spanning lines, then each column top to bottom."""
    return [_page(p, fonts) for p in pages]


def _page(chars: PageChars, fonts: list[Font]) -> Page:
    page = Page(chars.index, chars.width, chars.height)
    pieces = _pieces(chars.chars, fonts, chars.index)
    if not pieces:
        return page
    _drawn_bullets(pieces, chars.dots)
    gutter = _gutter(pieces)
    if gutter is None:
        page.lines = _merge(pieces, 0)
        return page
    for piece in pieces:
        piece.column = _side(piece, gutter)
    page.columns = 2
    page.lines = _column_order(pieces)
    return page


# --- characters → pieces of lines -------------------------------------------------------------------


def _pieces(chars: list[Char], fonts: list[Font], page: int) -> list[TextLine]:
    """Runs of characters on one baseline with no wide gap: words, then pieces of lines."""
    rows: dict[float, list[tuple[Char, bool]]] = {}
    keys: list[float] = []
    space_before = False
    for ch in chars:
        if ch.text == " ":
            space_before = True
            continue
        key = _row_key(keys, ch)
        rows.setdefault(key, []).append((ch, space_before))
        space_before = False
    out: list[TextLine] = []
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda item: item[0].x0)
        out.extend(_split_row(row, key, fonts, page))
    return out


def _row_key(keys: list[float], ch: Char) -> float:
    """The baseline row a character belongs to (rows within a fifth of an em are one)."""
    tolerance = max(1.0, 0.2 * ch.size)
    for k in reversed(keys[-8:]):
        if abs(k - ch.baseline) <= tolerance:
            return k
    for k in keys:
        if abs(k - ch.baseline) <= tolerance:
            return k
    keys.append(ch.baseline)
    return ch.baseline


def _split_row(row: list[tuple[Char, bool]], baseline: float, fonts: list[Font], page: int) -> list[TextLine]:
    pieces: list[list[list[Char]]] = []  # pieces → words → chars
    prev: Char | None = None
    for ch, space_before in row:
        gap = ch.x0 - prev.x1 if prev is not None else 0.0
        em = max(ch.size, prev.size if prev else 0.0, 1.0)
        if prev is None or gap > PIECE_GAP * em:
            pieces.append([[ch]])
        elif space_before or gap > WORD_GAP * em:
            pieces[-1].append([ch])
        else:
            pieces[-1][-1].append(ch)
        prev = ch
    lines = [_line(piece, baseline, fonts, page) for piece in pieces]
    return [line for line in lines if line.words]


def _line(piece: list[list[Char]], baseline: float, fonts: list[Font], page: int) -> TextLine:
    words = []
    for n, chars in enumerate(piece):
        # Rule: a soft hyphen is invisible inside a line; at the line's end it shows where a word was
        # broken, and stays for the shared line join (which joins at a soft hyphen).
        last = n == len(piece) - 1
        shown = [c for k, c in enumerate(chars) if c.text != SOFT_HYPHEN or (last and k == len(chars) - 1)]
        if not shown:
            continue
        text = "".join(c.text for c in shown).replace(HYPHEN, "-").replace(PDFIUM_LINE_END_HYPHEN, "-")
        symbol = ""
        if text in SYMBOL_BULLETS:
            symbol, text = text, DRAWN_BULLET
        first = chars[0]
        word_fonts: tuple[Font, ...] = ()
        if all(c.size == first.size and c.font == first.font and c.colour == first.colour for c in chars):
            size, font, colour = first.size, fonts[first.font], first.colour
        else:  # a word in two styles ("båda," with a roman comma) takes the style of most of its letters
            size = Counter(c.size for c in chars).most_common(1)[0][0]
            font = fonts[Counter(c.font for c in chars).most_common(1)[0][0]]
            colour = Counter(c.colour for c in chars).most_common(1)[0][0]
            if any(c.font != first.font for c in shown):
                word_fonts = tuple(fonts[c.font] for c in shown)
        link = first.link or chars[-1].link or bool(ADDRESS.search(text))
        mcids = (chars[0].mcid, chars[-1].mcid)
        words.append(Word(text, chars[0].x0, chars[-1].x1, size, font, mcids, False, symbol, colour, link, word_fonts))
    all_chars = [c for chars in piece for c in chars]
    return TextLine(
        page,
        tuple(words),
        top=min(c.top for c in all_chars),
        bottom=max(c.bottom for c in all_chars),
        baseline=baseline,
        artifact=all(c.artifact for c in all_chars),
    )


def _drawn_bullets(pieces: list[TextLine], dots: list[tuple[float, float, float, float]]) -> None:
    """A small shape just left of a line's first word, at its x-height, is a list bullet drawn as a
    graphic (browsers draw discs and squares): it becomes the bullet character it stands for.
    """
    for x0, x1, top, bottom in dots:
        middle = (top + bottom) / 2
        if any(abs((t + b) / 2 - middle) <= 1 and x0 - 3 * (x1 - x0) <= r <= x0 for _, r, t, b in dots):
            continue  # a dot just after another on its row: a dotted leader or rule, not a bullet
        best = None
        for p in pieces:
            gap = p.x0 - x1
            if p.top <= middle <= p.baseline and 0 <= gap <= BULLET_GAP * p.words[0].size:
                if best is None or p.x0 < best.x0:
                    best = p
        if best is not None and not best.text.startswith(DRAWN_BULLET):
            first = best.words[0]
            best.words = (Word(DRAWN_BULLET, x0, x1, first.size, first.font, drawn=True), *best.words)
            best.__dict__.pop("text", None)


# --- columns ------------------------------------------------------------------------------------------


def _gutter(pieces: list[TextLine]) -> tuple[float, float] | None:
    """The x range of a column gutter: an empty strip in the middle half that few lines cross."""
    left = min(p.x0 for p in pieces)
    right = max(p.x1 for p in pieces)
    width = right - left
    if width < 4 * GUTTER_MIN:
        return None
    bins = [0] * (int(width) + 1)
    for p in pieces:
        for x in range(int(p.x0 - left), min(len(bins), int(p.x1 - left) + 1)):
            bins[x] += 1
    crowd = max(bins)
    lo, hi = int(width * 0.25), int(width * 0.75)
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        empty = bins[x] <= max(2, GUTTER_CROSSINGS * crowd)
        if empty and start is None:
            start = x
        if (not empty or x == hi) and start is not None:
            end = x if empty else x - 1
            if best is None or end - start > best[1] - best[0]:
                best = (start, end)
            start = None
    if best is None or best[1] - best[0] < GUTTER_MIN:
        return None
    g0, g1 = left + best[0], left + best[1]
    lefts = [p for p in pieces if _side(p, (g0, g1)) == 0]
    rights = [p for p in pieces if _side(p, (g0, g1)) == 1]
    if len(lefts) < MIN_COLUMN_LINES or len(rights) < MIN_COLUMN_LINES:
        return None
    # The two sides must stand side by side, not one above the other.
    if min(p.top for p in rights) > max(p.bottom for p in lefts) or min(p.top for p in lefts) > max(
        p.bottom for p in rights
    ):
        return None
    return g0, g1


def _side(piece: TextLine, gutter: tuple[float, float]) -> int:
    """0: the left column (a ragged line may reach into the gutter, not across it); 1: the right
    column; -1: across the gutter, or in it (a centred page number)."""
    g0, g1 = gutter
    if piece.x0 < g0 and piece.x1 < g1 - 1:
        return 0
    if piece.x0 > g0 + 1 and piece.x1 > g1:
        return 1
    return -1


def _column_order(pieces: list[TextLine]) -> list[TextLine]:
    """Spanning lines cut the page into zones; in each zone the left column is read before the right."""
    spanning = _merge([p for p in pieces if p.column == -1], -1)
    out: list[TextLine] = []
    columns = {c: _merge([p for p in pieces if p.column == c], c) for c in (0, 1)}
    cursor = float("-inf")
    for span in [*spanning, None]:
        limit = span.top if span is not None else float("inf")
        for c in (0, 1):
            out.extend(line for line in columns[c] if cursor <= line.baseline < limit)
        if span is not None:
            out.append(span)
            cursor = span.baseline
    return out


def _merge(pieces: list[TextLine], column: int) -> list[TextLine]:
    """Pieces on one baseline become one line unless a wide gap parts them; lines top to bottom."""
    if not pieces:
        return []
    left = min(p.x0 for p in pieces)
    right = max(p.x1 for p in pieces)
    far = SEPARATE_SHARE * (right - left)
    by_row: dict[float, list[TextLine]] = {}
    for p in pieces:
        by_row.setdefault(p.baseline, []).append(p)
    out = []
    for baseline in sorted(by_row):
        row = sorted(by_row[baseline], key=lambda p: p.x0)
        groups = [[row[0]]]
        for p in row[1:]:
            if p.x0 - groups[-1][-1].x1 > far:
                groups.append([p])
            else:
                groups[-1].append(p)
        for g in groups:
            words = tuple(w for p in g for w in p.words)
            out.append(
                TextLine(
                    g[0].page,
                    words,
                    min(p.top for p in g),
                    max(p.bottom for p in g),
                    baseline,
                    column,
                    all(p.artifact for p in g),
                )
            )
    return out
