"""Bytes to text: detect the encoding, normalise line ends, report every fallback and dropped character."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.normalise.chars import (
    DROPPED_CONTROLS,
    FORM_FEED,
    HYPHEN,
    LIGATURES_END,
    LIGATURES_START,
    REPLACEMENT_CHARACTER,
    SOFT_HYPHEN,
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


# What a Swedish text was saved in before UTF-8: Windows, ISO, DOS and old Mac code pages.
# charset-normalizer chooses among these only: offered every code page it knows, it reads a
# short Swedish text as Central European (cp1250, where 0xE5 is "ĺ", not "å").
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp850", "cp437", "mac_roman")
# A byte that is not UTF-8 inside a UTF-8 text is read as this code page: such a byte is nearly
# always a letter pasted in from a Windows text ("b\xe4ttre"), which cp1252 reads right. A byte
# cp1252 leaves undefined becomes U+FFFD. Either way the reading is a guess, reported per byte.
STRAY_BYTE_ENCODING = "cp1252"
STRAY_BYTE_CONFIDENCE = 0.5  # below the report's CHECK_BELOW: listed among the decisions to check first
_ESCAPED = re.compile("[\udc80-\udcff]")  # Python's surrogateescape marks of bytes that are not UTF-8
_NON_ASCII = re.compile("[^\x00-\x7f]")
_LINE_BREAK = re.compile("\r\n|\r|\n")


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


def _refuse_binary(data: bytes, path: Path) -> None:
    for signature, what in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise PipelineError(
                f"this is {what}, not text.",
                path,
                hint="Put the programme's text here as UTF-8 text (text.txt) or Markdown (text.md).",
            )


def _with_bom(data: bytes, path: Path, report: Report) -> str | None:
    """The text of a file that starts with a byte order mark (None: it has none)."""
    # UTF-32's marks start with UTF-16's, so they are tried first.
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                name = encoding.upper()
                raise PipelineError(
                    f"starts with a {name} byte order mark but is not valid {name} ({exc.reason}).",
                    path,
                    hint="Save the programme as UTF-8 text.",
                ) from None
            report.add("decode", 0, f"{encoding.upper()} with BOM", "UTF-8")
            return text.lstrip("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        report.add("decode", 0, "UTF-8 with BOM", "UTF-8", "byte order mark removed")
        return _utf8(data[len(codecs.BOM_UTF8) :], report)
    return None


def _utf8(data: bytes, report: Report) -> str:
    """UTF-8, each byte that is not UTF-8 read as cp1252 (U+FFFD where cp1252 has no character) and reported."""
    text = data.decode("utf-8", errors="surrogateescape")
    if not _ESCAPED.search(text):
        return text
    line, last = 1, 0
    out: list[str] = []
    for m in _ESCAPED.finditer(text):
        line += len(_LINE_BREAK.findall(text, last, m.start()))
        last = m.start()
        byte = ord(m.group()) - 0xDC00
        read = bytes([byte]).decode(STRAY_BYTE_ENCODING, errors="replace")
        how = f"read as {STRAY_BYTE_ENCODING} {read!r}" if read != REPLACEMENT_CHARACTER else "shown as U+FFFD"
        report.add(
            "decode",
            line,
            f"byte 0x{byte:02X}",
            read,
            f"not UTF-8 in a UTF-8 text; {how}: check the word",
            confidence=STRAY_BYTE_CONFIDENCE,
        )
        out.append(read)
    pieces = _ESCAPED.split(text)
    return "".join(piece + read for piece, read in zip(pieces, [*out, ""], strict=True))


def _is_utf8_with_stray_bytes(data: bytes) -> bool:
    """Whether a text that is not valid UTF-8 is UTF-8 all the same, with a few bytes that are not.

    A legacy code page spells a UTF-8 sequence (a capital such as "Ä" before a symbol such as
    "”") only by accident, while each of its å, ä, ö is a byte that is not UTF-8; a UTF-8 text
    holds many sequences (every å, ä, ö) and few stray bytes. The side with more evidence wins;
    a tie goes to UTF-8, which keeps the sequences' letters.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_ESCAPED.findall(text))
    sequences = len(_NON_ASCII.findall(text)) - stray
    return sequences > 0 and sequences >= stray


def _legacy(data: bytes, path: Path, report: Report) -> str:
    """A text in one of the legacy code pages, which charset-normalizer chooses."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    encoding = best.encoding if best is not None else STRAY_BYTE_ENCODING
    text = data.decode(encoding, errors="replace")
    first = next(i for i, b in enumerate(data) if b > 0x7F)
    line, column = _line_and_column(data, first)
    report.add(
        "decode",
        line,
        "not UTF-8",
        encoding,
        f"first byte outside ASCII at line {line}, column {column}; decoded as {encoding}: check å, ä, ö",
    )
    return text


def decode(data: bytes, path: Path, report: Report, keep_invisible: bool = False) -> str:
    """Decode ``data`` as the file at ``path``; every guess lands in ``report``.

    The one decoding policy: a byte order mark says what the file is (UTF-8, UTF-16 or UTF-32);
    else UTF-16 is recognised by its NULs; else a text is UTF-8 when it is, and when it is UTF-8
    but for a few stray bytes (each read as cp1252 and reported at its line); else it is in a
    legacy code page, which charset-normalizer chooses (reported once).

    ``keep_invisible`` keeps the invisible controls the text loses (for the review page, which
    shows them where they stood); the lines are numbered the same either way.
    """
    _refuse_binary(data, path)
    text = _with_bom(data, path, report)
    if text is None and (guess := _utf16_without_bom(data)) is not None:
        text = data.decode(guess, errors="replace")
        report.add("decode", 0, f"{guess} without BOM (guessed)", "UTF-8", "check the text: the encoding was guessed")
    if text is None:
        if (nul := data.find(b"\0")) >= 0:
            line, column = _line_and_column(data, nul)
            raise PipelineError(
                "contains NUL bytes: this looks like a binary file, not text.",
                path,
                line,
                column,
                hint="Save the programme as plain UTF-8 text.",
            )
        if data.isascii() or _is_utf8_with_stray_bytes(data):
            text = _utf8(data, report)
        else:
            text = _legacy(data, path, report)
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
    line, last = 1, 0
    for m in DROPPED_CONTROLS.finditer(text):
        k, ch = m.start(), m.group()
        line += text.count("\n", last, k)
        out.append(text[last:k])
        last = k + 1
        # A soft hyphen at a line end is where the PDF broke a word: it stays for the line joiner.
        if ch == SOFT_HYPHEN and text[k + 1 : k + 2] in ("\n", "") and k and text[k - 1].isalnum():
            out.append(ch)
        elif keep_invisible or (k and shapes_word(text[k - 1], ch)):
            out.append(ch)  # a Persian zero-width non-joiner after an Arabic letter spells the word
        else:
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            report.add("drop-char", line, f"U+{ord(ch):04X}", "", f"{name} removed")
    out.append(text[last:])
    nfc = unicodedata.normalize("NFC", "".join(out))
    return nfc
