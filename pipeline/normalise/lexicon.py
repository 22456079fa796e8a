"""The Swedish lexicon (hunspell sv_SE, read with spylls) and pyphen, as judges of word breaks."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


@cache
def _hunspell() -> Any:
    from spylls.hunspell import Dictionary

    base = resources.files("pipeline").joinpath("data/hunspell/sv_SE.dic")
    return Dictionary.from_files(str(Path(str(base)).with_suffix("")))


@cache
def _pyphen() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="sv")


@cache
def is_word(word: str) -> bool:
    """Does the Swedish dictionary (with its compounding rules) accept ``word``?"""
    if not word:
        return False
    return bool(_hunspell().lookup(word))


def hyphenation_points(word: str) -> tuple[int, ...]:
    """Where pyphen's Swedish patterns would break ``word``."""
    return tuple(_pyphen().positions(word))
