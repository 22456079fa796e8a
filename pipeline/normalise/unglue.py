"""Words an extractor glued at a line end: put back the hyphen it removed, where the lexicon says so.

poppler's ``pdftotext`` removes a line-end hyphen itself and joins the two halves. For an
ordinary word that is right ("vård-" + "tyngd" → "vårdtyngd"), but it also glues a suspended
compound to its conjunction ("hälso-" + "och" → "hälsooch") and an acronym to its word ("EU-" +
"medel" → "EUmedel"). A glued token is never a Swedish word; the halves are. Every repair is
reported, and the wording guard reads the report.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.normalise import lexicon
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report

CONJUNCTIONS = ("och", "eller", "samt")  # what a suspended compound's hyphen is followed by
_PUNCT = "\"'”“’‘»«()[]{}.,;:!?…"
_ACRONYM_WORD = re.compile(r"^(?P<acronym>[A-ZÅÄÖ]{2,})(?P<word>[a-zåäö]{3,})$")
_CONJUNCTION = re.compile(r"^(?P<stem>\w{2,}?)(?P<conj>" + "|".join(CONJUNCTIONS) + r")$")


def _known(word: str) -> bool:
    return lexicon.is_word(word) or lexicon.is_word(word.lower())


def unglued(token: str, following: str) -> str | None:
    """The repaired text for a glued ``token`` ("hälso- och"), or None when it is not glued.

    ``following`` is the next token (for a suspended compound: the word that completes it).
    """
    core = token.strip(_PUNCT)
    if len(core) < 5 or not core.isalpha():
        return None
    lead, trail = token[: token.index(core)], token[token.index(core) + len(core) :]
    # The patterns are tried before the lexicon is asked: most tokens match neither.
    # Rule: capitals glued to a known lower-case word ("EUmedel", "LSSinsatser") had a hyphen.
    if (m := _ACRONYM_WORD.match(core)) and _known(m.group("word")) and not _known(core):
        return f"{lead}{m.group('acronym')}-{m.group('word')}{trail}"
    # Rule: a stem glued to "och"/"eller"/"samt" before a word it compounds with ("hälsooch
    # sjukvård": "hälsosjukvård" is a word) was a suspended compound: "hälso- och".
    nxt = following.strip(_PUNCT)
    if (m := _CONJUNCTION.match(core)) and not trail and nxt[:1].isalpha() and not _known(core):
        stem = m.group("stem")
        if _known(stem + nxt) or _known(stem):
            return f"{lead}{stem}- {m.group('conj')}"
    return None


def unglue_lines(lines: list[Line], report: Report) -> list[Line]:
    out: list[Line] = []
    for k, line in enumerate(lines):
        tokens = line.text.split(" ")
        if not any(len(t) >= 5 for t in tokens):
            out.append(line)
            continue
        following = [*tokens[1:], _first_token(lines, k)]
        changed = False
        for n, token in enumerate(tokens):
            fixed = unglued(token, following[n])
            if fixed is not None:
                report.add("unglue", line.no, token, fixed, "the extractor removed a line-end hyphen that belongs", 0.7)
                tokens[n] = fixed
                changed = True
        out.append(replace(line, text=" ".join(tokens)) if changed else line)
    return out


def _first_token(lines: list[Line], k: int) -> str:
    nxt = next((line for line in lines[k + 1 :] if not line.blank), None)
    return nxt.text.split(" ")[0] if nxt else ""
