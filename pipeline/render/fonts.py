"""The bundled font families: @font-face rules, font stacks per script, and a glyph check so nothing
falls back to a system font."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import PipelineError, RenderError


@dataclass(frozen=True)
class FontFile:
    path: str  # relative to the fonts folder
    style: str  # "normal" | "italic"
    weights: tuple[int, ...]  # a variable font serves several weights from one file


FAMILIES: dict[str, tuple[FontFile, ...]] = {
    "Source Serif 4": (
        FontFile("source-serif-4/SourceSerif4-Roman-VF.ttf", "normal", (400, 600, 700)),
        FontFile("source-serif-4/SourceSerif4-Italic-VF.ttf", "italic", (400, 700)),
    ),
    "Source Sans 3": (
        FontFile("source-sans-3/SourceSans3-Roman-VF.ttf", "normal", (400, 600, 700, 800)),
        FontFile("source-sans-3/SourceSans3-Italic-VF.ttf", "italic", (400, 700)),
    ),
    "Atkinson Hyperlegible": (
        FontFile("atkinson-hyperlegible/AtkinsonHyperlegible-Regular.ttf", "normal", (400,)),
        FontFile("atkinson-hyperlegible/AtkinsonHyperlegible-Bold.ttf", "normal", (700,)),
    ),
    # Arabic script (Arabic, Persian, ...): a Naskh made for running text, and a sans for display
    # type and large print. Neither has Latin letters: their Latin partner follows them in the stack.
    "Noto Naskh Arabic": (
        FontFile("noto-naskh-arabic/NotoNaskhArabic-Regular.ttf", "normal", (400,)),
        FontFile("noto-naskh-arabic/NotoNaskhArabic-Bold.ttf", "normal", (700,)),
    ),
    "Noto Sans Arabic": (
        FontFile("noto-sans-arabic/NotoSansArabic-Regular.ttf", "normal", (400,)),
        FontFile("noto-sans-arabic/NotoSansArabic-Bold.ttf", "normal", (700,)),
    ),
    # Hebrew script (Yiddish, Hebrew): a serif and a sans, cut to the Hebrew letters and points.
    "Noto Serif Hebrew": (
        FontFile("noto-serif-hebrew/NotoSerifHebrew-Regular.ttf", "normal", (400,)),
        FontFile("noto-serif-hebrew/NotoSerifHebrew-Bold.ttf", "normal", (700,)),
    ),
    "Noto Sans Hebrew": (
        FontFile("noto-sans-hebrew/NotoSansHebrew-Regular.ttf", "normal", (400,)),
        FontFile("noto-sans-hebrew/NotoSansHebrew-Bold.ttf", "normal", (700,)),
    ),
    # Ge'ez script (Tigrinya, Amharic): a serif and a sans, cut to the Ethiopic blocks. Neither has an
    # italic (the script has none): emphasis in an Ethiopic text is bold.
    "Noto Serif Ethiopic": (
        FontFile("noto-serif-ethiopic/NotoSerifEthiopic-Regular.ttf", "normal", (400,)),
        FontFile("noto-serif-ethiopic/NotoSerifEthiopic-Bold.ttf", "normal", (700,)),
    ),
    "Noto Sans Ethiopic": (
        FontFile("noto-sans-ethiopic/NotoSansEthiopic-Regular.ttf", "normal", (400,)),
        FontFile("noto-sans-ethiopic/NotoSansEthiopic-Bold.ttf", "normal", (700,)),
    ),
    # The Latin letters the layout families lack (Sami ŧ ŋ ǥ ǩ ʒ ǯ, ...): Noto, cut to Latin
    # (scripts/make_fallback_fonts.py makes these four and the Hebrew and Ethiopic families above).
    "Noto Serif": (
        FontFile("noto-serif/NotoSerif-Regular.ttf", "normal", (400,)),
        FontFile("noto-serif/NotoSerif-Bold.ttf", "normal", (700,)),
        FontFile("noto-serif/NotoSerif-Italic.ttf", "italic", (400,)),
        FontFile("noto-serif/NotoSerif-BoldItalic.ttf", "italic", (700,)),
    ),
    "Noto Sans": (
        FontFile("noto-sans/NotoSans-Regular.ttf", "normal", (400,)),
        FontFile("noto-sans/NotoSans-Bold.ttf", "normal", (700,)),
        FontFile("noto-sans/NotoSans-Italic.ttf", "italic", (400,)),
        FontFile("noto-sans/NotoSans-BoldItalic.ttf", "italic", (700,)),
    ),
}

# Each layout family's partner in every script: the bundled family of the same kind (a serif for the
# serif; a sans for the sans and for the large print, whose every script keeps a face made for reading
# at large sizes). A text in a script other than Latin is set in its script's partner first, then in
# the layout family; every other partner follows as a fallback, character by character, for the
# letters the families before it lack (a Sami ŧ, a Yiddish phrase inside a Swedish text).
SCRIPT_PARTNERS: dict[str, dict[str, str]] = {
    "Latn": {
        "Source Serif 4": "Noto Serif",
        "Source Sans 3": "Noto Sans",
        "Atkinson Hyperlegible": "Noto Sans",
    },
    "Arab": {
        "Source Serif 4": "Noto Naskh Arabic",
        "Source Sans 3": "Noto Sans Arabic",
        "Atkinson Hyperlegible": "Noto Sans Arabic",
    },
    "Hebr": {
        "Source Serif 4": "Noto Serif Hebrew",
        "Source Sans 3": "Noto Sans Hebrew",
        "Atkinson Hyperlegible": "Noto Sans Hebrew",
    },
    "Ethi": {
        "Source Serif 4": "Noto Serif Ethiopic",
        "Source Sans 3": "Noto Sans Ethiopic",
        "Atkinson Hyperlegible": "Noto Sans Ethiopic",
    },
}


def font_stack(family: str, script: str) -> tuple[str, ...]:
    """The families a layout family stands for in a text of ``script``, first choice first.

    The first families (the script's partner, the layout family) are always set; the fallbacks after
    them only where the text has a letter they lack (``needed_stack``).
    """
    first = SCRIPT_PARTNERS.get(script, {}).get(family) if script != "Latn" else None
    partners = [p.get(family) for p in SCRIPT_PARTNERS.values()]
    return tuple(dict.fromkeys(f for f in (first, family, *partners) if f))


def stack_css(stack: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in stack)


# Characters a layout may add around the text (leaders, page references, dashes).
CHROME = "0123456789 .,:;–—…[]()”’-/§·•"


def font_file(fonts_dir: Path, relative: str) -> Path:
    """A family's file in ``fonts_dir``, else the package's copy of it.

    A project's own fonts/ overlays the bundled one file by file, as its layouts/ does: a fonts/
    folder copied from an earlier version lacks the families added since (the Hebrew, the Ethiopic),
    and its text may not need them.
    """
    from pipeline.resources import bundled

    path = fonts_dir / relative
    if path.is_file():
        return path
    shipped = bundled("fonts") / relative
    return shipped if shipped.is_file() else path


def font_face_css(fonts_dir: Path, families: tuple[str, ...]) -> str:
    rules = []
    for family in families:
        for f in FAMILIES[family]:
            url = font_file(fonts_dir, f.path).resolve().as_uri()
            for weight in f.weights:
                rules.append(
                    f'@font-face {{ font-family: "{family}"; src: url("{url}") format("truetype"); '
                    f"font-style: {f.style}; font-weight: {weight}; }}"
                )
    return "\n".join(rules)


@cache
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError

    if not path.is_file():
        raise RenderError(
            "the font file is missing.", path, hint="Restore fonts/ from the repository (or reinstall the package)."
        )
    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap())
    except (TTLibError, OSError, AssertionError) as exc:
        raise RenderError(f"is not a usable font ({exc}).", path) from None


def _covered(fonts_dir: Path, family: str) -> frozenset[int]:
    return frozenset().union(*(_cmap(font_file(fonts_dir, f.path)) for f in FAMILIES[family]))


def _set_by_any_font(ch: str) -> bool:
    """Whether a character needs a glyph: not white space, a format character (a zero-width joiner, a
    bidi mark) or a variation selector, which the shaper shows as nothing."""
    return not (ch.isspace() or unicodedata.category(ch) == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F)


def missing_glyphs(fonts_dir: Path, stack: tuple[str, ...], text: str) -> set[str]:
    """The characters of ``text`` that no family of ``stack`` has."""
    covered: frozenset[int] = frozenset().union(*(_covered(fonts_dir, family) for family in stack))
    return {ch for ch in set(text) if ord(ch) not in covered and _set_by_any_font(ch)}


def needed_stack(fonts_dir: Path, family: str, script: str, text: str) -> tuple[str, ...]:
    """``font_stack(family, script)`` without the fallbacks no character of ``text`` needs: what the
    edition's stylesheet names and embeds, and its colophon says the text is set in."""
    stack = font_stack(family, script)
    head = stack[: stack.index(family) + 1]
    left = {ord(ch) for ch in set(text) if _set_by_any_font(ch)}
    for first in head:
        left -= _covered(fonts_dir, first)
    kept: list[str] = []
    for fallback in stack[len(head) :]:
        if left & _covered(fonts_dir, fallback):
            kept.append(fallback)
            left -= _covered(fonts_dir, fallback)
    return head + tuple(kept)


def _described(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})"


# Where a character stands: its file and line, given the text that holds it (file, first line).
Locate = Callable[[str, Path, int | None], int | None]


def check_coverage(
    fonts_dir: Path,
    stacks: tuple[tuple[str, ...], ...],
    texts: list[tuple[Path, int | None, str]],
    locate: Locate | None = None,
) -> None:
    """Every character of ``texts`` (file, first line, text) must be in every font stack an edition sets
    text in.

    Every missing character is named in one error, each at the first place it stands (its line, as
    ``locate`` finds it in a text of several lines), the error at the first of them: a text is
    corrected in one go, not one character a build.
    """
    covered = [frozenset().union(*(_covered(fonts_dir, family) for family in stack)) for stack in stacks]
    missing: dict[str, tuple[Path, int | None, list[int]]] = {}  # in the order the characters stand
    for path, line, text in texts:
        for ch in dict.fromkeys(text):
            if ch not in missing and _set_by_any_font(ch):
                lacking = [k for k, have in enumerate(covered) if ord(ch) not in have]
                if lacking:
                    missing[ch] = (path, (locate(ch, path, line) if locate else None) or line, lacking)
    if not missing:
        return
    path, line, _ = next(iter(missing.values()))
    named = []
    for ch, (where, at, lacking) in missing.items():
        place = f"line {at}" if where == path and at else f"{where.name}:{at}" if at else where.name
        some = "" if len(lacking) == len(stacks) else f", which {' + '.join(stacks[lacking[0]])} lacks"
        named.append(f"{_described(ch)} on {place}{some}")
    raise PipelineError(
        f"no bundled font has a glyph for {', '.join(named)}; the pipeline does not fall back to system fonts.",
        path,
        line,
        hint="Replace the characters in the text, or add a font that has them to fonts/ and its font stack "
        "(pipeline/render/fonts.py).",
    )
