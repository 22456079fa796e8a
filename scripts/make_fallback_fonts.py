"""Make the fallback fonts in fonts/ from Debian's fonts-noto-core: Noto Serif and Noto Sans for the Latin
letters the layout families lack, Noto Serif Hebrew and Noto Sans Hebrew for Hebrew script (Yiddish),
Noto Serif Ethiopic and Noto Sans Ethiopic for the Ge'ez script (Tigrinya, Amharic).

The layout families (Source Serif 4, Source Sans 3, Atkinson Hyperlegible) lack letters of the Nordic
minority languages (Northern Sami ŧ, Skolt Sami ǥ ǩ ʒ ǯ, Atkinson even ŋ); each is followed in its font
stack by a fallback of the same kind (pipeline/render/fonts.py), which WeasyPrint uses character by
character. The fallbacks are subset to the scripts they stand in for, without hinting (PDFs are not
rendered at screen sizes through it), so that they stay small; WeasyPrint subsets them again to the
glyphs a PDF uses. Noto is licensed under the SIL Open Font License 1.1 with no Reserved Font Name,
so a subset keeps its name; its licence is written beside each family.

    apt-get install fonts-noto-core && python scripts/make_fallback_fonts.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
NOTO = Path("/usr/share/fonts/truetype/noto")

# Latin: Basic Latin, Latin-1, Latin Extended-A and -B, IPA (Skolt Sami ʒ), spacing modifier letters,
# combining diacritical marks (a letter written with a combining mark, as some Sami and Romani texts do),
# and the punctuation a text around those letters may hold. (Not Latin Extended Additional: Vietnamese
# and Welsh letters would add a fifth to every file; the coverage check names such a letter.)
LATIN = [
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x0250, 0x02FF),
    (0x0300, 0x036F),
    (0x2000, 0x206F),
    (0x20AC, 0x20AC),
    (0x2212, 0x2212),
    (0xFEFF, 0xFEFF),
]
# Hebrew: the Hebrew block (letters, points, cantillation, the Yiddish ligatures װ ױ ײ) and the
# alphabetic presentation forms (Yiddish ײַ, precomposed pointed letters), and the spaces and marks
# a Hebrew text shares with others.
HEBREW = [(0x0020, 0x0020), (0x00A0, 0x00A0), (0x002D, 0x002D), (0x0590, 0x05FF), (0x200C, 0x200F), (0xFB1D, 0xFB4F)]

# Ethiopic (Ge'ez script: Tigrinya, Amharic): the Ethiopic block, its supplement and extensions, and
# the spaces and marks an Ethiopic text shares with others. Its own punctuation (። ፣ ፤) is in the block.
ETHIOPIC = [
    (0x0020, 0x0020),
    (0x00A0, 0x00A0),
    (0x002D, 0x002D),
    (0x1200, 0x139F),
    (0x2D80, 0x2DDF),
    (0xAB00, 0xAB2F),
    (0x1E7E0, 0x1E7FF),
]

# folder → (source files, the ranges kept)
FAMILIES: dict[str, tuple[tuple[str, ...], list[tuple[int, int]]]] = {
    "noto-serif": (("NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSerif-BoldItalic"), LATIN),
    "noto-sans": (("NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoSans-BoldItalic"), LATIN),
    "noto-serif-hebrew": (("NotoSerifHebrew-Regular", "NotoSerifHebrew-Bold"), HEBREW),
    "noto-sans-hebrew": (("NotoSansHebrew-Regular", "NotoSansHebrew-Bold"), HEBREW),
    "noto-serif-ethiopic": (("NotoSerifEthiopic-Regular", "NotoSerifEthiopic-Bold"), ETHIOPIC),
    "noto-sans-ethiopic": (("NotoSansEthiopic-Regular", "NotoSansEthiopic-Bold"), ETHIOPIC),
}


def _options() -> subset.Options:
    options = subset.Options()
    # fontTools' default features: marks and their positioning, kerning, ligatures, contextual and local
    # forms; a fallback sets letters only (digits and figure styles are the layout family's)
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, copyright, licence and its URL
    options.notdef_outline = True
    return options


def make(source: Path, target: Path, ranges: list[tuple[int, int]]) -> None:
    font = TTFont(source, recalcTimestamp=False)  # the source's date: the same bytes on every run
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=[c for low, high in ranges for c in range(low, high + 1)])
    subsetter.subset(font)
    font.save(target)


def licence(source: Path, template: str) -> str:
    """OFL.txt for a family: its copyright and version from the font, then the licence's text."""
    names = TTFont(source)["name"]
    version = names.getDebugName(5).split(";")[0]
    head = f"{names.getDebugName(0)} ({names.getDebugName(1)} {version.removeprefix('Version ')}, https://notofonts.github.io)\n"
    body = template.split("\n", 1)[1]  # the licence after the Arabic family's own copyright line
    return head + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=NOTO, help="folder of the Noto .ttf files")
    args = parser.parse_args()
    template = (ROOT / "fonts/noto-naskh-arabic/OFL.txt").read_text(encoding="utf-8")
    for folder, (names, ranges) in FAMILIES.items():
        out = ROOT / "fonts" / folder
        out.mkdir(exist_ok=True)
        for name in names:
            make(args.source / f"{name}.ttf", out / f"{name}.ttf", ranges)
            print(f"{out / name}.ttf: {(out / f'{name}.ttf').stat().st_size // 1024} KiB")
        (out / "OFL.txt").write_text(licence(args.source / f"{names[0]}.ttf", template), encoding="utf-8")


if __name__ == "__main__":
    main()
