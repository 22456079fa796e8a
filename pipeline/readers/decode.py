"""Bytes to text: detect the encoding, normalise line ends, report every fallback and dropped character."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.normalise.chars import (
    FORM_FEED,
    HYPHEN,
    LIGATURES_END,
    LIGATURES_START,
    SOFT_HYPHEN,
    is_dropped_control,
    shapes_word,
)
from pipeline.normalise.report import Report

# Magic numbers of files people drop into source/ by mistake.
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF file",
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (perhaps a .docx or .epub)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows a NUL in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def _line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode(data: bytes, path: Path, report: Report, keep_invisible: bool = False) -> str:
    """Decode ``data`` as the file at ``path``; every guess lands in ``report``.

    ``keep_invisible`` keeps the invisible controls the text loses (for the review page, which
    shows them where they stood); the lines are numbered the same either way.
    """
    for signature, what in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise PipelineError(
                f"this is {what}, not text.",
                path,
                hint="Put the programme's text here as UTF-8 text (text.txt) or Markdown (text.md).",
            )
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
        report.add("decode", 0, "UTF-8 with BOM", "UTF-8", "byte order mark removed")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PipelineError(
                f"starts with a UTF-16 byte order mark but is not valid UTF-16 ({exc.reason}).", path
            ) from None
        text = text.lstrip("\ufeff")
        report.add("decode", 0, "UTF-16 with BOM", "UTF-8")
    elif (guess := _utf16_without_bom(data)) is not None:
        text = data.decode(guess, errors="replace")
        report.add("decode", 0, f"{guess} without BOM (guessed)", "UTF-8", "check the text: the encoding was guessed")
    else:
        if (nul := data.find(b"\0")) >= 0:
            line, column = _line_and_column(data, nul)
            raise PipelineError(
                "contains NUL bytes: this looks like a binary file, not text.",
                path,
                line,
                column,
                hint="Save the programme as plain UTF-8 text.",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_and_column(data, exc.start)
            # A legacy Windows or Latin-1 file: decode it, but say so.
            try:
                text = data.decode("cp1252")
                encoding = "cp1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                encoding = "latin-1"
            report.add(
                "decode",
                line,
                "not UTF-8",
                encoding,
                f"first invalid UTF-8 byte at line {line}, column {column}; decoded as {encoding}: check å, ä, ö",
            )
    return clean_characters(text, report, keep_invisible)


def clean_characters(text: str, report: Report, keep_invisible: bool = False) -> str:
    """Unify line ends, keep form feeds as page breaks, drop invisible controls (reported), NFC."""
    if "\r" in text:
        count = text.count("\r\n")
        text = text.replace("\r\n", "\n")
        lone = text.count("\r")
        text = text.replace("\r", "\n")
        report.add("line-ends", 0, "CRLF/CR", "LF", f"{count} CRLF, {lone} lone CR")
    # A form feed marks a new PDF page. It stays at the start of the page's first line (the line
    # reader turns it into a page-start mark); one inside a line starts a new line.
    if FORM_FEED in text:
        report.add("page-break", 0, "form feed", "page start", f"{text.count(FORM_FEED)} form feeds")
        text = re.sub(r"(?<!\n)\f", "\n\f", text)
    # Typographic ligatures (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) come out of some PDFs as one character: they are letters.
    if any(LIGATURES_START <= ch <= LIGATURES_END for ch in text):
        before = text
        text = "".join(
            unicodedata.normalize("NFKC", ch) if LIGATURES_START <= ch <= LIGATURES_END else ch for ch in text
        )
        report.add("ligature", 0, "ligature characters", "letters", f"{len(before) - len(text)} letters restored")
    # PDF fonts often draw "-" and the typesetter's automatic hyphen U+2010 with one glyph, so an
    # extraction shows both as U+2010: the model keeps the plain hyphen (writers choose glyphs).
    if HYPHEN in text:
        report.add("hyphen-char", 0, "U+2010 HYPHEN", "-", f"{text.count(HYPHEN)} hyphens")
        text = text.replace(HYPHEN, "-")
    out: list[str] = []
    line = 1
    for k, ch in enumerate(text):
        if ch == "\n":
            line += 1
        # A soft hyphen at a line end is where the PDF broke a word: it stays for the line joiner.
        if ch == SOFT_HYPHEN and text[k + 1 : k + 2] in ("\n", "") and k and text[k - 1].isalnum():
            out.append(ch)
            continue
        if is_dropped_control(ch) and not keep_invisible and not (k and shapes_word(text[k - 1], ch)):
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            report.add("drop-char", line, f"U+{ord(ch):04X}", "", f"{name} removed")
            continue
        out.append(ch)
    nfc = unicodedata.normalize("NFC", "".join(out))
    return nfc
