"""The fonts an EPUB carries: the bundled family of each script, other than Latin, that its text uses.

A reflowable EPUB names no font for its Latin text: the reader's choice and the reading system's
default serve it (Standard Ebooks' practice). A reading system may have no font at all for an
Ethiopic, Hebrew or Arabic passage, though (an e-ink reader, Chromium on a machine without Noto), and
shows it as empty boxes. So the book carries the bundled family of each such script its text uses
(the brochure's serif partner: a reading system's default is a serif), and its stylesheet applies it
only to passages in a language written in that script (``:lang()``), and only to that script's
letters (``unicode-range``): a reader's own font still sets everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.languages import LANGUAGES, RTL_SCRIPTS, language_defaults, primary
from pipeline.model import Document, Inlines, Span, Text, document_words, map_block_inlines
from pipeline.render.fonts import FAMILIES, SCRIPT_PARTNERS, _covered, _set_by_any_font, font_file

LAYOUT_FAMILY = "Source Serif 4"  # whose partner in each script the EPUB carries
COVER_FAMILY = "Source Sans 3"  # whose partner in each script sets the cover's title


@dataclass(frozen=True)
class EmbeddedFont:
    href: str  # the file's name in the EPUB
    path: Path  # the bundled (or the project's) file
    family: str
    style: str
    weights: tuple[int, ...]


@dataclass(frozen=True)
class ScriptFamily:
    script: str
    family: str
    files: tuple[EmbeddedFont, ...]
    ranges: str  # the CSS unicode-range of the letters Latin families lack
    languages: tuple[str, ...]  # the language tags written in the script, for :lang()


def _document_text(doc: Document) -> str:
    """Every letter the editions set: the metadata's and the model's words."""
    meta = doc.meta
    parts = [meta.title, meta.subtitle, meta.short_title, meta.organisation, meta.date, *meta.contact, *meta.colophon]
    return "\n".join([*(p for p in parts if p), *document_words(doc)])


def _document_tags(doc: Document) -> set[str]:
    """Every language tag the document states: its own and its passages' (in every run of inlines)."""
    tags = {doc.meta.language}

    def collect(inlines: Inlines) -> Inlines:
        for node in inlines:
            if isinstance(node, Span) and node.lang:
                tags.add(node.lang)
            if not isinstance(node, Text):
                collect(node.children)
        return inlines

    for block in doc.blocks:
        map_block_inlines(block, collect)
    return tags


def unicode_ranges(codepoints: set[int]) -> str:
    """``{0x1200, 0x1201, 0x1202, 0x1210}`` → ``U+1200-1202, U+1210``."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def _own_letters(fonts_dir: Path, family: str, layout_family: str) -> set[int]:
    """The letters ``family`` has and the layout family and its Latin partner lack: its script's."""
    latin = _covered(fonts_dir, layout_family) | _covered(fonts_dir, SCRIPT_PARTNERS["Latn"][layout_family])
    return {cp for cp in _covered(fonts_dir, family) - latin if _set_by_any_font(chr(cp)) and chr(cp).isprintable()}


def _scripts_used(fonts_dir: Path, used: set[int], layout_family: str) -> Iterator[tuple[str, str, set[int]]]:
    """(script, its partner of ``layout_family``, that family's own letters) for each script other than
    Latin some letter of ``used`` is in."""
    for script, partners in SCRIPT_PARTNERS.items():
        family = partners.get(layout_family)
        if script == "Latn" or family is None:
            continue
        own = _own_letters(fonts_dir, family, layout_family)
        if used & own:
            yield script, family, own


def _data_url(path: Path, letters: set[int]) -> str:
    """The font at ``path`` cut to ``letters``, as a data: URL."""
    import base64

    return "data:font/ttf;base64," + base64.b64encode(_subset(path, frozenset(letters))).decode("ascii")


def script_families(fonts_dir: Path, doc: Document) -> list[ScriptFamily]:
    """The bundled family of each script other than Latin whose letters the document's text has."""
    used = {ord(ch) for ch in set(_document_text(doc)) if _set_by_any_font(ch)}
    tags = _document_tags(doc)
    out = []
    for script, family, own in _scripts_used(fonts_dir, used, LAYOUT_FAMILY):
        files = tuple(
            EmbeddedFont(f"fonts/{Path(f.path).name}", font_file(fonts_dir, f.path), family, f.style, f.weights)
            for f in FAMILIES[family]
        )
        out.append(ScriptFamily(script, family, files, unicode_ranges(set(own)), _languages(script, tags)))
    return out


def _languages(script: str, tags: set[str]) -> tuple[str, ...]:
    """The language tags written in ``script``: the table's and the document's own."""
    written = {code for code in (*LANGUAGES, *RTL_SCRIPTS) if language_defaults(code).script == script}
    written |= {primary(t) for t in tags if language_defaults(t).script == script}
    return tuple(sorted(written))


def _applied(families: list[tuple[str, tuple[str, ...]]], generic: str) -> list[str]:
    """The rules that set each (family, its languages): a passage in a language written in its script
    gets it (``:lang()``); so does a right-to-left run whose language the source does not state (the
    normaliser marks each with ``dir="rtl"``), in every right-to-left family carried: each has only
    its own script's letters (a subset, or ``unicode-range``), the rest falls to ``generic``."""
    rules = []
    for family, langs in families:
        rules.append(f'{", ".join(f":lang({t})" for t in langs)} {{ font-family: "{family}", {generic}; }}')
    rtl = [f'"{family}"' for family, langs in families if language_defaults(langs[0]).direction == "rtl"]
    if rtl:
        rules.insert(0, f'[dir="rtl"] {{ font-family: {", ".join(rtl)}, {generic}; }}')
    return rules


def font_css(families: list[ScriptFamily]) -> str:
    """The EPUB's @font-face rules (file names relative to the stylesheet) and the rules that apply them."""
    faces = [
        f'@font-face {{ font-family: "{fam.family}"; src: url("{f.href}"); font-style: {f.style}; '
        f"font-weight: {weight}; unicode-range: {fam.ranges}; }}"
        for fam in families
        for f in fam.files
        for weight in f.weights
    ]
    return "\n".join([*faces, *_applied([(fam.family, fam.languages) for fam in families], "serif")])


# Rule: a one-file edition (the web page) carries, for each script other than Latin its text uses,
# the bundled sans of that script cut to the letters the text has, as data: URLs (a few kilobytes),
# applied as the EPUB's are: a browser on a machine without such a font shows the words, not boxes.
def inline_font_css(fonts_dir: Path, doc: Document, generic: str = "sans-serif") -> str:
    """The web page's @font-face rules (data: URLs) and the rules that apply them; "" for a Latin text."""
    used = {ord(ch) for ch in set(_document_text(doc))}
    tags = _document_tags(doc)
    faces: list[str] = []
    carried: list[tuple[str, tuple[str, ...]]] = []
    for script, family, own in _scripts_used(fonts_dir, used, COVER_FAMILY):
        for f in FAMILIES[family]:
            url = _data_url(font_file(fonts_dir, f.path), used & own)
            faces += [
                f'@font-face {{ font-family: "{family}"; font-style: {f.style}; font-weight: {w}; src: url("{url}"); }}'
                for w in f.weights
            ]
        carried.append((family, _languages(script, tags)))
    return "\n".join([*faces, *_applied(carried, generic)])


# Rule: the cover is an SVG image, which a reading system draws with no access to the book's fonts
# (an image loads nothing from outside itself). Its title, organisation and subtitle are set in the
# reading system's sans serif; where they hold letters of a script other than Latin, the bundled
# sans of that script comes with them, cut to just those letters and written into the SVG as a
# data: URL (a few kilobytes), the Latin letters still falling to the reading system's sans serif.
def cover_fonts(fonts_dir: Path, texts: dict[int, str]) -> tuple[str, tuple[str, ...]]:
    """The @font-face rules for the cover's ``texts`` (each by its font weight) and the families they name."""
    faces: list[str] = []
    families: list[str] = []
    wanted = {ord(ch) for text in texts.values() for ch in text}
    for _script, family, own in _scripts_used(fonts_dir, wanted, COVER_FAMILY):
        families.append(family)
        for weight in sorted(set(texts)):
            letters = {ord(ch) for ch in texts[weight]} & own
            if not letters:
                continue
            source = next(f for f in FAMILIES[family] if f.style == "normal" and _nearest(f.weights, weight))
            url = _data_url(font_file(fonts_dir, source.path), letters)
            faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{url}"); }}')
    return "\n".join(faces), tuple(families)


def _nearest(weights: tuple[int, ...], weight: int) -> bool:
    """Is this file's weight the one closest to ``weight`` (bold for 600 and above)?"""
    return (max(weights) >= 600) == (weight >= 600)


def _subset(path: Path, codepoints: frozenset[int]) -> bytes:
    """The font cut to ``codepoints`` (and what shaping them needs), with no timestamp of its own."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # joining forms and marks: a script needs its shaping
    options.name_IDs = ["*"]
    options.notdef_outline = True
    with TTFont(path, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()
