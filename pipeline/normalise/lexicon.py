"""The Swedish lexicon (hunspell sv_SE, checked by spylls) and pyphen, as judges of word breaks.

``is_word`` is spylls' ``Lookup`` (affixes, compounds such as "vårdtyngdsmätningar", BREAK, casing)
and answers exactly as ``Dictionary.lookup`` did. What changed is how the .dic reaches it: spylls
builds ~150 MB of Python objects from sv_SE.dic on each run (1.3-2.3 s before the first answer;
pickling that result loads slower still, 2.2 s). :mod:`pipeline.normalise.lexicon_cache` runs
spylls' reader once, stores its result as a marshal file in the user's cache folder, and serves it
to ``Lookup`` through a ``Dic`` that builds only the entries asked for; the first answer then costs
tens of milliseconds. pyphen's parsed Swedish patterns are kept there too
(:mod:`pipeline.normalise.hyphenation_patterns`; parsing them took ~0.1 s per run).
:mod:`pipeline.normalise.lexicon_lookup` makes each answer several times faster with equivalent
versions of two spylls methods (the order in which casings and compounds are tried, and the suffix
search).

Why a cache built on first use rather than a compiled file shipped in ``pipeline/data``: both load
equally fast, but the compiled form is larger than the .dic (3.5 MB against 2.3 MB), would have to
be regenerated whenever the .dic or spylls changes, and is tied to the Python version through
marshal. The cache costs one ordinary spylls load (~2 s) per machine and dictionary, and nothing in
the repository.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@cache
def _lookup() -> Callable[[str], bool]:
    from pipeline.normalise.lexicon_cache import load_lookup

    dic = Path(str(resources.files("pipeline").joinpath("data/hunspell/sv_SE.dic")))
    return load_lookup(dic.with_suffix(".aff"), dic)


@cache
def _pyphen() -> Any:
    from pipeline.normalise.hyphenation_patterns import load_pyphen

    return load_pyphen("sv")


@cache
def is_word(word: str) -> bool:
    """Does the Swedish dictionary (with its compounding rules) accept ``word``?"""
    if not word:
        return False
    return bool(_lookup()(word))


def hyphenation_points(word: str) -> tuple[int, ...]:
    """Where pyphen's Swedish patterns would break ``word``."""
    return tuple(_pyphen().positions(word))
