"""Named invisible and typographic characters; no bare escapes elsewhere in the code."""

import re
import unicodedata

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"
SOFT_HYPHEN = "\u00ad"
HYPHEN = "\u2010"
NON_BREAKING_HYPHEN = "\u2011"
EN_DASH = "\u2013"
EM_DASH = "\u2014"
ELLIPSIS = "\u2026"
RIGHT_DOUBLE_QUOTE = "\u201d"  # Swedish uses it to open and to close
LEFT_DOUBLE_QUOTE = "\u201c"
RIGHT_SINGLE_QUOTE = "\u2019"  # apostrophe and Swedish single quote
LEFT_SINGLE_QUOTE = "\u2018"
GUILLEMET_RIGHT = "\u00bb"
BYTE_ORDER_MARK = "\ufeff"
ZERO_WIDTH_SPACE = "\u200b"
ZERO_WIDTH_NON_JOINER = "\u200c"
ZERO_WIDTH_JOINER = "\u200d"
WORD_JOINER = "\u2060"
FORM_FEED = "\f"
LIGATURES_START, LIGATURES_END = "\ufb00", "\ufb06"  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
REPLACEMENT_CHARACTER = "\ufffd"

# Bidirectional embeddings, overrides and isolates: never meaningful in Swedish
# running text and a known spoofing vector ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZERO_WIDTH = frozenset((ZERO_WIDTH_SPACE, ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER, WORD_JOINER, BYTE_ORDER_MARK))
# Characters the normaliser treats as spaces inside a line.
SPACES = frozenset(" \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")


def shapes_word(before: str, ch: str) -> bool:
    """Is ``ch`` a joiner that spells the word it stands in? In the Arabic script a zero-width
    non-joiner keeps two letters of one word apart (Persian می‌خواهیم, not میخواهیم) and a zero-width
    joiner joins them: after an Arabic letter, either is part of the spelling and stays."""
    return ch in (ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER) and unicodedata.name(before, "").startswith("ARABIC")


# C0/C1 controls (other than tab, newline, form feed), bidi and zero-width characters, the soft
# hyphen, the specials block but U+FFFD, and lone surrogates: what a text loses (reported).
DROPPED_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f"
    + "".join(sorted(BIDI_CONTROLS | ZERO_WIDTH | {SOFT_HYPHEN}))
    + "\ufff0-\ufffc\ufffe\uffff\ud800-\udfff]"
)


def is_dropped_control(ch: str) -> bool:
    """C0/C1 controls (other than tab, newline, form feed), bidi and zero-width characters."""
    return DROPPED_CONTROLS.fullmatch(ch) is not None
