"""Words an extractor glued: put back the hyphen it removed at a line end, where the lexicon says so,
and the spaces it lost in a run-in lead, where the contents page spells the lead.

poppler's ``pdftotext`` removes a line-end hyphen itself and joins the two halves. For an
ordinary word that is right ("vård-" + "tyngd" → "vårdtyngd"), but it also glues a suspended
compound to its conjunction ("hälso-" + "och" → "hälsooch") and an acronym to its word ("EU-" +
"medel" → "EUmedel"). A glued token is never a Swedish word; the halves are. Every repair is
reported, and the wording guard reads the report.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import accumulate, pairwise

from pipeline.normalise import lexicon
from pipeline.normalise.lines import Line
from pipeline.normalise.report import Report
from pipeline.normalise.segment import heading_labels, squeeze

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


# Rule: a run-in lead set in another weight can lose its spaces in extraction, at the change of
# style or inside the lead (pdftotext -raw: "Föreningar som håller nere avgifternaska få …",
# "Beskedskakommaisågodtidatt föreningen …"). Where the contents page names the lead ("Föreningar
# som håller nere avgifterna"), no line is that label alone (then it is a heading), a line's first
# letters spell the label with some of its spaces missing and go on after it, the glued token is no
# word and what follows the lead in it is one, the label's spaces are put back, each token's repair
# reported. A full stop after the lead (the contents entry's leader took it) stays with the lead.
LEAD_END_PUNCTUATION = ".:!?"


def unglue_leads(lines: list[Line], labels: tuple[str, ...], report: Report) -> list[Line]:
    named = {squeeze(label): label for label in labels}
    headings = heading_labels(lines, set(named))
    leads = [label for key, label in named.items() if key not in headings and len(label.split()) >= 2]
    if not leads:
        return lines
    out: list[Line] = []
    for line in lines:
        for label in list(leads):
            repairs = _lead_spaces(line.text, label) if not line.blank else None
            if repairs:
                for token, fixed in repairs.items():
                    why = "the extractor lost the spaces of a run-in lead the contents page spells"
                    report.add("unglue", line.no, token, fixed, why, 0.7)
                tokens = [repairs.get(t, t) for t in line.text.split(" ")]
                line = replace(line, text=" ".join(tokens))
                leads.remove(label)
                break
        out.append(line)
    return out


def _lead_spaces(text: str, label: str) -> dict[str, str] | None:
    """Each token of ``text`` that glues words of ``label`` (or its last word to the next), with the
    spaces put back; None when the line does not start with the label or lacks none of its spaces."""
    tokens = text.split(" ")
    letters = "".join(tokens)
    words = label.split()
    spelled = "".join(words)
    if not letters.startswith(spelled) or len(letters) == len(spelled):
        return None
    end = len(spelled)
    while end < len(letters) and letters[end] in LEAD_END_PUNCTUATION:
        end += 1
    cuts = [*accumulate(len(w) for w in words[:-1]), end]
    repairs: dict[str, str] = {}
    start = 0
    for token in tokens:
        inner = [c - start for c in cuts if start < c < start + len(token)]
        if inner:
            pieces = [token[i:j] for i, j in pairwise([0, *inner, len(token)])]
            if _known(token.strip(_PUNCT)):
                return None  # a word of its own ("Kulturen" after a lead "Kultur …"), not a glued one
            if start < end < start + len(token) and not _known(pieces[-1].strip(_PUNCT)):
                return None  # what follows the lead is no word: the lead is not what the line starts with
            repairs[token] = " ".join(pieces)
        start += len(token)
        if start >= end:
            break
    return repairs or None
