"""Join lines into running text, undoing line-end hyphenation with a Swedish lexicon."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pipeline.normalise import lexicon
from pipeline.normalise.chars import SOFT_HYPHEN
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report

# Conjunctions that follow a suspended compound hyphen: "hälso- och sjukvård",
# "region- eller landstingsnivå", "såväl förskole- som skolbarn". The hyphen stays and so
# does the space — but only when a word follows the conjunction to complete the compound.
SUSPENDED_FOLLOWERS = frozenset({"och", "eller", "samt", "respektive", "resp.", "som", "till", "&"})

BROKEN_AFTER = "–—/"  # a line may break after these inside a token
_EDGE_PUNCT = "\"'”“’‘»«()[]{}.,;:!?…"
_LINE_END_HYPHEN = re.compile(r"(\S*\w)[-" + SOFT_HYPHEN + "]$")


@dataclass(frozen=True)
class Decision:
    joined: str  # the text that replaces "left" + line break + "right"
    kind: str  # "dehyphenate" | "keep-hyphen" | "keep-suspended"
    reason: str

    @property
    def confidence(self) -> float:
        """The dictionary and the suspended-compound rule are sure; pyphen's patterns less so; an unknown word not."""
        if "unknown" in self.reason or "check it" in self.reason:
            return 0.5
        return 0.8 if self.reason.startswith("pyphen") else 1.0


def _is_acronym_or_number(stem: str) -> bool:
    letters = [c for c in stem if c.isalpha()]
    return bool(stem) and (not letters or all(c.isupper() for c in letters)) and any(c.isalnum() for c in stem)


def decide(left: str, right: str, after: str = "", swedish: bool = True) -> Decision:
    """Decide what ``left`` (ending in "-") and ``right`` (the next line's first token) become.

    ``after`` is the token that follows ``right`` (empty when none does).
    Order of the rules:
    0. a soft hyphen at the line end is a discretionary break: join;
    1. a conjunction after the hyphen, itself followed by a word, with no punctuation between and
       no dictionary word made by joining, means a suspended compound ("hälso- och sjukvård"):
       keep both ("dröm-" + "men." is "drömmen.");
    2. an acronym or number before the hyphen ("IT-", "EU-", "1990-") is a real hyphen;
    3. the Swedish dictionary accepts the joined word ("erbjuda"): remove the hyphen;
    4. pyphen's Swedish patterns allow a break exactly there: remove the hyphen (Swedish writes
       compounds solid; hunspell accepts any "X-Y" of two words, so it cannot tell);
    5. the dictionary accepts the hyphenated form ("e-post", where pyphen will not break): keep it;
    6. otherwise keep the hyphen (a word the editor should look at).
    Rules 1 and 3-5 know Swedish only: in a text in another language (``swedish`` false) a hyphen
    that is not soft is kept, for the editor to look at.
    """
    stem = left[:-1]
    head = stem.lstrip(_EDGE_PUNCT)
    core = right.rstrip(_EDGE_PUNCT)
    if left.endswith(SOFT_HYPHEN):
        return Decision(f"{stem}{right}", "dehyphenate", "soft hyphen: a discretionary break")
    if not swedish:
        return Decision(f"{left}{right}", "keep-hyphen", "kept: the lexicon is Swedish, the text is not: check it")
    if _suspends(head, right, after):
        return Decision(f"{left} {right}", "keep-suspended", f"suspended compound: '{left} {right} {after}'")
    if not core or not core[0].isalpha():
        return Decision(f"{left}{right}", "keep-hyphen", "no word after the hyphen")
    word_part = head.split("-")[-1]
    if _is_acronym_or_number(word_part):
        return Decision(f"{left}{right}", "keep-hyphen", f"'{word_part}' is an acronym or number")
    joined_core = word_part + core
    if lexicon.is_word(joined_core) or lexicon.is_word(joined_core.lower()):
        return Decision(f"{stem}{right}", "dehyphenate", f"dictionary knows '{joined_core}'")
    if core[0].islower() and len(word_part) in lexicon.hyphenation_points(joined_core.lower()):
        return Decision(f"{stem}{right}", "dehyphenate", f"pyphen breaks '{joined_core}' there")
    if lexicon.is_word(f"{word_part}-{core}"):
        return Decision(f"{left}{right}", "keep-hyphen", f"dictionary knows '{word_part}-{core}'")
    return Decision(f"{left}{right}", "keep-hyphen", f"'{joined_core}' is unknown: check it")


def _suspends(head: str, right: str, after: str) -> bool:
    """Is ``head-`` + ``right`` + ``after`` a suspended compound ("hälso- och sjukvård")?"""
    if right.lower() not in SUSPENDED_FOLLOWERS or not after[:1].isalpha():
        return False
    word_part = head.split("-")[-1]
    joined = word_part + right
    return not (lexicon.is_word(joined) or lexicon.is_word(joined.lower()))


def join_lines(lines: list[Line], report: Report, swedish: bool = True) -> str:
    """Join one unit's lines with spaces, resolving each line-end hyphen (all reported; ``swedish``:
    judged with the Swedish lexicon, see ``decide``).

    The text is gathered as pieces and joined once, so a paragraph of thousands of lines joins in
    linear time.
    """
    if not lines:
        return ""
    pieces = [lines[0].text]
    glue: list[str] = []  # what stands between pieces[n] and pieces[n + 1]
    for k, (prev, line) in enumerate(itertools.pairwise(lines), start=1):
        last = pieces[-1]
        # Tokens end at any white space: a no-break space ("8\u00a0miljoner") separates words too.
        tail = _last_token(last)
        first, sep, rest = _first_token_split(line.text)
        after = sep + rest if rest else ""
        match = _LINE_END_HYPHEN.search(tail)
        if first and len(tail) > 1 and tail[-1] in BROKEN_AFTER and tail[-2].isalnum():
            # Rule: a dash or slash with no space before it at a line end was broken inside its
            # token ("2026–" / "2030", "och/" / "eller"): the line joins without a space.
            joined = tail + first
            pieces[-1], piece = last[: len(last) - len(tail)], joined + after
            glue.append("")
            report.add("join-dash", prev.no, f"{tail}⏎{first}", joined, "line broken after an unspaced dash")
        elif match and first and len(tail) > 1:
            decision = decide(tail, first, _next_token(lines, k, rest), swedish)
            pieces[-1], piece = last[: len(last) - len(tail)], decision.joined + after
            glue.append("")
            report.add(decision.kind, prev.no, f"{tail}⏎{first}", decision.joined, decision.reason, decision.confidence)
        else:
            report.add(
                "join",
                line.no,
                f"…{prev.text[-12:]}⏎{line.text[:12]}…",
                f"…{prev.text[-12:]} {line.text[:12]}…",
                "line break inside a paragraph",
            )
            piece = line.text
            glue.append(" ")
        pieces.append(piece)
    text = pieces[0] + "".join(g + piece for g, piece in zip(glue, pieces[1:], strict=True))
    return text.removesuffix(SOFT_HYPHEN)


def _last_token(text: str) -> str:
    """The text's last white-space-separated token (scanning back from its end only)."""
    i = len(text)
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return text[i:]


_WHITESPACE = re.compile(r"\s")


def _first_token_split(text: str) -> tuple[str, str, str]:
    """(first token, the white space after it, the rest) of a line."""
    parts = _WHITESPACE.split(text, maxsplit=1)
    if len(parts) == 1:
        return text, "", ""
    return parts[0], text[len(parts[0])], parts[1]


def _next_token(lines: list[Line], k: int, rest: str) -> str:
    """The token after line ``k``'s first one: on the same line, else the next line's first."""
    if rest:
        return _WHITESPACE.split(rest)[0]
    return _WHITESPACE.split(lines[k + 1].text)[0] if k + 1 < len(lines) else ""
