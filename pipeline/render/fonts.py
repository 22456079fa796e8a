"""The bundled font families: @font-face rules, font stacks per script, and a glyph check so nothing
falls back to a system font."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.errors import PipelineError, RenderError
from pipeline.model import Block, Document, block_text


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
}

# For a text in another script, each layout family is set after the bundled family made for that
# script in the same role (a Naskh for the serif, a sans for the sans and the large print).
SCRIPT_PARTNERS: dict[str, dict[str, str]] = {
    "Arab": {
        "Source Serif 4": "Noto Naskh Arabic",
        "Source Sans 3": "Noto Sans Arabic",
        "Atkinson Hyperlegible": "Noto Sans Arabic",
    },
}


def font_stack(family: str, script: str) -> tuple[str, ...]:
    """The families a layout family stands for in a text of ``script``, first choice first."""
    partner = SCRIPT_PARTNERS.get(script, {}).get(family)
    return (partner, family) if partner else (family,)


def stack_css(stack: tuple[str, ...]) -> str:
    return ", ".join(f'"{family}"' for family in stack)


# Characters a layout may add around the text (leaders, page references, dashes).
CHROME = "0123456789 .,:;–—…[]()”’-/§·•"


def font_face_css(fonts_dir: Path, families: tuple[str, ...]) -> str:
    rules = []
    for family in families:
        for f in FAMILIES[family]:
            url = (fonts_dir / f.path).resolve().as_uri()
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


def missing_glyphs(fonts_dir: Path, stack: tuple[str, ...], text: str) -> set[str]:
    """The characters of ``text`` that no family of ``stack`` has."""
    covered: frozenset[int] = frozenset().union(
        *(_cmap(fonts_dir / f.path) for family in stack for f in FAMILIES[family])
    )
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in covered and unicodedata.category(ch) != "Cf"}


def check_coverage(
    fonts_dir: Path,
    stacks: tuple[tuple[str, ...], ...],
    doc: Document,
    extra: str,
    text_file: Path,
    meta_file: Path,
) -> None:
    """Every character of the document must be in every font stack the edition sets text in.

    A missing character is named at its line in ``text_file``, or in ``meta_file`` (publication.toml) for ``extra``.
    """
    texts: list[tuple[Block | None, str]] = [(b, block_text(b)) for b in doc.blocks]
    texts.append((None, extra + CHROME))
    for stack in stacks:
        for block, text in texts:
            missing = missing_glyphs(fonts_dir, stack, text)
            if missing:
                ch = sorted(missing)[0]
                name = unicodedata.name(ch, "unnamed")
                raise PipelineError(
                    f"the font {' + '.join(stack)} has no glyph for {ch!r} (U+{ord(ch):04X} {name}); "
                    "the pipeline does not fall back to system fonts.",
                    text_file if block else meta_file,
                    block.line if block else None,
                    hint="Replace the character in the text, or add a font that has it to fonts/ and the layout.",
                )
