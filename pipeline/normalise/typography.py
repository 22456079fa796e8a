"""Typography on the model's text, as an ordered list of commented rules; the Swedish ones only for Swedish."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.languages import language_defaults
from pipeline.model import Document, Emph, Inline, Inlines, Span, Strong, Text, map_block_inlines
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


CONTEXT = 8  # characters of context either side of a change in the report


# The language of a passage set apart only by its direction: not stated ("und"), so no Swedish rules.
OTHER_SCRIPT = "und"


def rules_for(language: str) -> tuple[Rule, ...]:
    """The rules a text in ``language`` gets: all of them for Swedish, the others none of the Swedish ones."""
    swedish = language_defaults(language).swedish_rules
    return tuple(rule for rule in RULES if swedish or not rule.swedish)


def apply_rules(value: str, changes: list[tuple[str, str]] | None = None, rules: tuple[Rule, ...] = RULES) -> str:
    """The rules in order; each change (with a little context) lands in ``changes``.

    The changes are recorded as the rules make them, in one pass over the text per rule: a diff
    of the text before and after would be quadratic in a long paragraph.
    """
    for rule in rules:
        if changes is None:
            value = rule.pattern.sub(rule.replace, value)
        else:
            value = rule.pattern.sub(_recording(rule, value, changes), value)
    return value


def _recording(rule: Rule, value: str, changes: list[tuple[str, str]]) -> Callable[[re.Match[str]], str]:
    def substitute(m: re.Match[str]) -> str:
        new = rule.replace(m) if callable(rule.replace) else m.expand(rule.replace)
        if new != m.group(0):
            before, after = value[max(0, m.start() - CONTEXT) : m.start()], value[m.end() : m.end() + CONTEXT]
            changes.append((before + m.group(0) + after, before + new + after))
        return new

    return substitute


Changes = list[tuple[str, str]]


def _inlines(inlines: Inlines, changes: Changes, rules: tuple[Rule, ...]) -> Inlines:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Text(apply_rules(node.text, changes, rules)))
        elif isinstance(node, Emph):
            out.append(Emph(_inlines(node.children, changes, rules)))
        elif isinstance(node, Span):
            # A passage in another language gets that language's rules (no Swedish quotes in a Sami
            # sentence); one only in another direction is in another script, never Swedish.
            inner = rules_for(node.lang or OTHER_SCRIPT) if node.lang or node.dir else rules
            out.append(replace(node, children=_inlines(node.children, changes, inner)))
        else:
            out.append(Strong(_inlines(node.children, changes, rules)))
    return tuple(out)


def typography(doc: Document, report: Report) -> Document:
    rules = rules_for(doc.meta.language)
    blocks = []
    for block in doc.blocks:
        changes: Changes = []
        blocks.append(map_block_inlines(block, functools.partial(_inlines, changes=changes, rules=rules)))
        for before, after in changes:
            report.add("typography", block.line, before, after)
    return doc.with_blocks(blocks)
