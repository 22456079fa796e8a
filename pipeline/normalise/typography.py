"""Typography on the model's text, as an ordered list of commented rules; the Swedish ones only for Swedish."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.languages import language_defaults
from pipeline.model import Block, Document, Emph, Inline, Inlines, ListBlock, RunInLead, Strong, Text, Title
from pipeline.normalise.chars import (
    ELLIPSIS,
    EN_DASH,
    LEFT_DOUBLE_QUOTE,
    LEFT_SINGLE_QUOTE,
    NO_BREAK_SPACE,
    RIGHT_DOUBLE_QUOTE,
    RIGHT_SINGLE_QUOTE,
)
from pipeline.normalise.report import Report

LOW_DOUBLE_QUOTE = "\u201e"
UNITS = (
    "%",
    "‰",
    "kr",
    "kronor",
    "mkr",
    "mnkr",
    "mdkr",
    "tkr",
    "km",
    "m",
    "cm",
    "mm",
    "kg",
    "g",
    "st",
    "h",
    "min",
    "°C",
    "procent",
    "miljoner",
    "miljarder",
)
# Multi-part abbreviations written with spaces: the parts must not be split
# across lines ("t ex", "bl a", "t o m", ...).
ABBREVIATIONS = (
    ("t", "ex"),
    ("bl", "a"),
    ("m", "m"),
    ("t", "o", "m"),
    ("s", "k"),
    ("o", "s", "v"),
    ("d", "v", "s"),
    ("fr", "o", "m"),
    ("p", "g", "a"),
    ("f", "d"),
    ("m", "fl"),
)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    replace: str | Callable[[re.Match[str]], str]
    swedish: bool = False  # a Swedish convention: applied only to a text in Swedish (languages.py)


def _abbreviation_pattern() -> re.Pattern[str]:
    alternatives = []
    for parts in sorted(ABBREVIATIONS, key=len, reverse=True):
        alternatives.append(r"\.?[ \u00a0]".join(re.escape(p) for p in parts) + r"\.?")
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives) + r")(?![\w])")


def _nbsp_abbreviation(m: re.Match[str]) -> str:
    return re.sub(r"(?<=\S) ", NO_BREAK_SPACE, m.group(0))


RULES: tuple[Rule, ...] = (
    # Three full stops are an ellipsis character.
    Rule("ellipsis", re.compile(r"\.\.\."), ELLIPSIS),
    # Swedish quotation marks: ” opens and closes (U+201D); “ and „ and straight quotes become it.
    Rule("double-quote", re.compile(f'["{LEFT_DOUBLE_QUOTE}{LOW_DOUBLE_QUOTE}]'), RIGHT_DOUBLE_QUOTE, swedish=True),
    # The apostrophe and the Swedish single quote are both ’ (U+2019).
    Rule("apostrophe", re.compile(f"['{LEFT_SINGLE_QUOTE}]"), RIGHT_SINGLE_QUOTE, swedish=True),
    # A hyphen or double hyphen standing alone between spaces is a spaced en dash (an aside).
    Rule("spaced-dash", re.compile(r"(?<=\s)(?:--?|\u2014)(?=\s)"), EN_DASH),
    # Number ranges take an unspaced en dash: 2022-2026 → 2022–2026. Not ISO dates
    # (2024-01-01) or numbers with a leading zero (telephone area codes).
    Rule(
        "range-dash", re.compile(r"(?<![\d-])([1-9]\d*)-(\d+)(?![\d-])"), lambda m: f"{m.group(1)}{EN_DASH}{m.group(2)}"
    ),
    # Digit groups are held together: 10 000, 1 000 000.
    Rule(
        "digit-groups",
        re.compile(r"(?<!\d)(\d{1,3})((?: \d{3})+)(?![\d])"),
        lambda m: m.group(1) + m.group(2).replace(" ", NO_BREAK_SPACE),
    ),
    # A number keeps its unit or per cent sign on the same line: 25 % , 10 kr (Swedish units).
    Rule(
        "number-unit",
        re.compile(r"(?<=\d) (?=(?:" + "|".join(re.escape(u) for u in UNITS) + r")(?![\w]))"),
        NO_BREAK_SPACE,
        swedish=True,
    ),
    # Spaced Swedish abbreviations stay on one line: t ex, bl a, t o m.
    Rule("abbreviation", _abbreviation_pattern(), _nbsp_abbreviation, swedish=True),
)


def rules_for(language: str) -> tuple[Rule, ...]:
    """The rules a text in ``language`` gets: all of them for Swedish, the others none of the Swedish ones."""
    swedish = language_defaults(language).swedish_rules
    return tuple(rule for rule in RULES if swedish or not rule.swedish)


def apply_rules(value: str, rules: tuple[Rule, ...] = RULES) -> str:
    for rule in rules:
        value = rule.pattern.sub(rule.replace, value)
    return value


def _inlines(inlines: Inlines, rules: tuple[Rule, ...]) -> Inlines:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Text(apply_rules(node.text, rules)))
        elif isinstance(node, Emph):
            out.append(Emph(_inlines(node.children, rules)))
        else:
            out.append(Strong(_inlines(node.children, rules)))
    return tuple(out)


def _block(block: Block, rules: tuple[Rule, ...]) -> Block:
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(_inlines(i, rules) for i in block.items))
    if isinstance(block, RunInLead):
        return replace(block, lead=_inlines(block.lead, rules), inlines=_inlines(block.inlines, rules))
    if isinstance(block, Title):
        return replace(block, inlines=_inlines(block.inlines, rules), subtitle=_inlines(block.subtitle, rules))
    return replace(block, inlines=_inlines(block.inlines, rules))


def _changes(before: str, after: str) -> list[tuple[str, str]]:
    """The changed spans, with a little context, for the report."""
    import difflib

    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            lo, hi = max(0, a0 - 8), a1 + 8
            out.append((before[lo:hi], after[max(0, b0 - 8) : b1 + 8]))
    return out


def typography(doc: Document, report: Report) -> Document:
    from pipeline.model import block_text

    rules = rules_for(doc.meta.language)
    blocks = []
    for block in doc.blocks:
        new = _block(block, rules)
        if new != block:
            for before, after in _changes(block_text(block), block_text(new)):
                report.add("typography", block.line, before, after)
        blocks.append(new)
    return doc.with_blocks(blocks)
