"""Join lines into running text, undoing line-end hyphenation with a Swedish lexicon."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pipeline.normalise import lexicon
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report

# Words that follow a suspended compound hyphen: "hälso- och sjukvård",
# "region- eller landstingsnivå". The hyphen stays and so does the space.
SUSPENDED_FOLLOWERS = frozenset({"och", "eller", "samt", "respektive", "resp.", "som", "men", "&"})

_EDGE_PUNCT = "\"'”“’‘»«()[]{}.,;:!?…"
_LINE_END_HYPHEN = re.compile(r"(\S*\w)-$")


@dataclass(frozen=True)
class Decision:
    joined: str  # the text that replaces "left" + line break + "right"
    kind: str  # "dehyphenate" | "keep-hyphen" | "keep-suspended"
    reason: str


def _is_acronym_or_number(stem: str) -> bool:
    letters = [c for c in stem if c.isalpha()]
    return bool(stem) and (not letters or all(c.isupper() for c in letters)) and any(c.isalnum() for c in stem)


def decide(left: str, right: str) -> Decision:
    """Decide what ``left`` (ending in "-") and ``right`` (the next line's first token) become.

    Order of the rules:
    1. a conjunction after the hyphen means a suspended compound ("hälso- och"): keep both;
    2. an acronym or number before the hyphen ("IT-", "EU-", "1990-") is a real hyphen;
    3. the Swedish dictionary accepts the joined word ("erbjuda"): remove the hyphen;
    4. the dictionary accepts the hyphenated form ("e-post"): keep the hyphen;
    5. pyphen's Swedish patterns allow a break exactly there: remove the hyphen;
    6. otherwise keep the hyphen (a word the editor should look at).
    """
    stem = left[:-1]
    head = stem.lstrip(_EDGE_PUNCT)
    core = right.rstrip(_EDGE_PUNCT)
    if right.lower() in SUSPENDED_FOLLOWERS or core.lower() in SUSPENDED_FOLLOWERS:
        return Decision(f"{left} {right}", "keep-suspended", f"suspended compound: '{left} {core}'")
    if not core or not core[0].isalpha():
        return Decision(f"{left}{right}", "keep-hyphen", "no word after the hyphen")
    word_part = head.split("-")[-1]
    if _is_acronym_or_number(word_part):
        return Decision(f"{left}{right}", "keep-hyphen", f"'{word_part}' is an acronym or number")
    joined_core = word_part + core
    if lexicon.is_word(joined_core) or lexicon.is_word(joined_core.lower()):
        return Decision(f"{stem}{right}", "dehyphenate", f"dictionary knows '{joined_core}'")
    if lexicon.is_word(f"{word_part}-{core}"):
        return Decision(f"{left}{right}", "keep-hyphen", f"dictionary knows '{word_part}-{core}'")
    if core[0].islower() and len(word_part) in lexicon.hyphenation_points(joined_core.lower()):
        return Decision(f"{stem}{right}", "dehyphenate", f"pyphen breaks '{joined_core}' there")
    return Decision(f"{left}{right}", "keep-hyphen", f"'{joined_core}' is unknown: check it")


def join_lines(lines: list[Line], report: Report) -> str:
    """Join one unit's lines with spaces, resolving each line-end hyphen (all reported)."""
    text = lines[0].text if lines else ""
    for prev, line in itertools.pairwise(lines):
        tail = text.split(" ")[-1]
        first, _, rest = line.text.partition(" ")
        match = _LINE_END_HYPHEN.search(tail)
        if match and first and len(tail) > 1:
            decision = decide(tail, first)
            text = text[: len(text) - len(tail)] + decision.joined + (" " + rest if rest else "")
            report.add(decision.kind, prev.no, f"{tail}⏎{first}", decision.joined, decision.reason)
        else:
            report.add(
                "join",
                line.no,
                f"…{prev.text[-12:]}⏎{line.text[:12]}…",
                f"…{prev.text[-12:]} {line.text[:12]}…",
                "line break inside a paragraph",
            )
            text = f"{text} {line.text}"
    return text
