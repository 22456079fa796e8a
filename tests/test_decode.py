"""The one decoding policy, on real byte strings: UTF-8 with stray bytes stays UTF-8, legacy code pages, BOMs."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.normalise.report import Report
from pipeline.readers.decode import decode

PATH = Path("text.txt")
SWEDISH = "Vårt program\nVi vill ha en bättre vård för alla.\nÅtgärder behövs i hela länet och i varje kommun.\n"


def decoded(data: bytes) -> tuple[str, Report]:
    report = Report()
    return decode(data, PATH, report), report


def test_utf8_with_a_stray_byte_stays_utf8_and_the_byte_is_reported_at_its_line() -> None:
    data = SWEDISH.encode().replace(b"kommun", b"kommun och b\xe4ttre")
    text, report = decoded(data)
    assert text == SWEDISH.replace("kommun", "kommun och bättre")
    [edit] = report.of_kind("decode")
    assert (edit.line, edit.before, edit.after) == (3, "byte 0xE4", "ä")
    assert edit.confidence < 0.75 and "cp1252" in edit.note  # among the decisions an editor checks first


def test_a_byte_cp1252_leaves_undefined_becomes_the_replacement_character() -> None:
    text, report = decoded(SWEDISH.encode().replace(b"alla", b"al\x81a"))
    assert "al\ufffda" in text and "Vårt" in text
    assert [(e.line, e.before, e.after) for e in report.of_kind("decode")] == [(2, "byte 0x81", "\ufffd")]


def test_line_numbers_count_crlf_and_cr_line_ends() -> None:
    data = b"Rad ett\r\nRad tv\xc3\xa5 och s\xc3\xa5 \xc3\xb6\rRad tre \xe4r h\xe4r\n"
    text, report = decoded(data)
    assert text == "Rad ett\nRad två och så ö\nRad tre är här\n"
    assert [e.line for e in report.of_kind("decode") if e.before.startswith("byte")] == [3, 3]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "cp850", "mac_roman"])
def test_a_legacy_code_page_is_read_whole_and_reported_once(encoding: str) -> None:
    text, report = decoded(SWEDISH.encode(encoding))
    assert text == SWEDISH
    [edit] = report.of_kind("decode")
    assert edit.before == "not UTF-8" and edit.line == 1


def test_a_cp1252_text_with_an_accidental_utf8_sequence_stays_cp1252() -> None:
    # "Ä" and "”" in cp1252 are the bytes C4 94: a valid UTF-8 sequence, by accident.
    text, _report = decoded(("Han sa ”JÄ” om " + SWEDISH).encode("cp1252"))
    assert text.startswith("Han sa ”JÄ” om Vårt program")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_byte_order_mark_says_what_the_file_is(bom: bytes, codec: str) -> None:
    text, report = decoded(bom + SWEDISH.encode(codec))
    assert text == SWEDISH and not report.of_kind("drop-char")


def test_utf8_bom_with_a_stray_byte_is_utf8_with_the_byte_reported() -> None:
    text, report = decoded(codecs.BOM_UTF8 + SWEDISH.encode().replace(b"alla", b"\xe4lla"))
    assert text == SWEDISH.replace("alla", "älla")
    assert [e.before for e in report.of_kind("decode")] == ["UTF-8 with BOM", "byte 0xE4"]


def test_a_truncated_utf16_file_is_one_clear_error() -> None:
    with pytest.raises(PipelineError, match="not valid UTF-16"):
        decoded(codecs.BOM_UTF16_LE + SWEDISH.encode("utf-16-le") + b"x")


def test_nfd_letters_become_nfc() -> None:
    import unicodedata

    text, _report = decoded(unicodedata.normalize("NFD", SWEDISH).encode())
    assert text == SWEDISH
