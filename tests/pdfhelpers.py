"""Reading PDFs back for tests: text, fonts, boxes and the structure tree (pikepdf, pdfplumber)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pikepdf

AUTO_HYPHEN = "\u2010"


def words_in_order(
    haystack: list[str], needles: list[str], suspended: frozenset[int] = frozenset()
) -> tuple[int, str | None]:
    """Greedy subsequence match: how many needles were found in order, and the first missing one.

    ``suspended``: needles that end a suspended compound ("region-" before "och"); one at a line end
    is read joined to the next ("regionoch"), since "-" and the automatic hyphen share one glyph.
    """
    i = n = 0
    while n < len(needles):
        word = needles[n]
        joined = word + needles[n + 1] if n in suspended and n + 1 < len(needles) else None
        while i < len(haystack) and haystack[i] not in (word, joined):
            i += 1
        if i == len(haystack):
            return n, word
        n += 2 if joined is not None and haystack[i] == joined else 1
        i += 1
    return len(needles), None


def dehyphenated_text(path: Path, foot_mm: float = 0) -> str:
    """The PDF's text with WeasyPrint's automatic hyphens (U+2010) at line ends joined again.

    ``foot_mm`` leaves out the page foot (running footers), so that a word broken
    across a page joins up again.
    """
    with pdfplumber.open(path) as pdf:
        pages = [p.crop((0, 0, p.width, p.height - foot_mm * 72 / 25.4)) if foot_mm else p for p in pdf.pages]
        text = "\n".join(page.extract_text() or "" for page in pages)
    return re.sub(AUTO_HYPHEN + r"\n", "", text)


def embedded_fonts(path: Path) -> list[tuple[str, bool, str]]:
    """(BaseFont, embedded, subtype) for every font on every page, inside form XObjects too."""
    out = []
    seen: set[tuple[int, int]] = set()

    def visit(resources) -> None:
        for _name, font in resources.get("/Font", {}).items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            out.append((str(font.BaseFont), embedded, str(font.Subtype)))
        for _name, xobject in resources.get("/XObject", {}).items():
            if xobject.objgen not in seen and "/Resources" in xobject:
                seen.add(xobject.objgen)
                visit(xobject.Resources)

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            visit(page.resources)
    return out


def _mcid_chars(path: Path) -> dict[tuple[int, int], list[dict]]:
    with pdfplumber.open(path) as pdf:
        out: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for index, page in enumerate(pdf.pages):
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    out[(index, ch["mcid"])].append({"text": ch["text"], "top": ch["top"], "size": ch["size"]})
    return out


def _join(chars: list[dict]) -> str:
    """Characters to text, with a space wherever the line changes."""
    text: list[str] = []
    prev = None
    for ch in chars:
        if prev is not None and abs(ch["top"] - prev["top"]) > prev["size"] / 2 and not text[-1].isspace():
            text.append(" ")
        text.append(ch["text"])
        prev = ch
    return "".join(text)


def struct_sequence(path: Path) -> list[tuple[str, str]]:
    """(role, text) for every structure element in document order, text from its marked content."""
    mcid_chars = _mcid_chars(path)
    out: list[tuple[str, str]] = []
    with pikepdf.open(path) as pdf:
        page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def chars_of(node, page) -> list[dict]:
            kids = node.get("/K")
            if kids is None:
                return []
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            pg = node.get("/Pg", page)
            chars: list[dict] = []
            for kid in items:
                if isinstance(kid, pikepdf.Dictionary):
                    if kid.get("/Type") == "/MCR":
                        mpg = kid.get("/Pg", pg)
                        chars += mcid_chars.get((page_index[mpg.objgen], int(kid.MCID)), [])
                    else:
                        chars += chars_of(kid, pg)
                elif pg is not None:
                    chars += mcid_chars.get((page_index[pg.objgen], int(kid)), [])
            return chars

        def walk(node, page) -> None:
            kids = node.get("/K")
            if kids is None:
                return
            items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            for kid in items:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    pg = kid.get("/Pg", page)
                    out.append((str(kid.S)[1:], " ".join(_join(chars_of(kid, pg)).split())))
                    walk(kid, pg)

        walk(pdf.Root.StructTreeRoot, None)
    return out
