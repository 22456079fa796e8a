"""A PDF edition's checks: the file intact, fonts embedded, tags (brochure) and PDF/UA-1 (large print)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from pipeline.preflight import FAILED, Outcome, outcome
from pipeline.preflight.print_file import check_fonts, preflight


def intact(path: Path) -> tuple[Outcome, int]:
    """Opens without qpdf having to recover it, and has pages; (outcome, page count)."""
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:  # decoding every page's content finds a damaged stream
                contents = page.obj.get("/Contents")
                for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                    if isinstance(stream, pikepdf.Stream):
                        stream.read_bytes()
            damage = pdf.get_warnings()
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return Outcome("file", FAILED, f"cannot be read as a PDF: {exc}"), 0
    problems = [f"damaged (qpdf had to recover it): {damage[0]}"] if damage else []
    if not pages:
        problems.append("has no pages")
    return outcome("file", problems, f"{pages} pages"), pages


def fonts(path: Path) -> Outcome:
    with pikepdf.open(path) as pdf:
        problems = [str(f) for f in check_fonts(pdf)]
    return outcome("fonts embedded", problems, "every font embedded")


def _tag_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    if "/StructTreeRoot" not in pdf.Root:
        problems.append("no structure tree (StructTreeRoot)")
    mark_info = pdf.Root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or mark_info.get("/Marked") is not True:
        problems.append("not marked as tagged (MarkInfo /Marked true)")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("no document language (Lang)")
    if not str(pdf.trailer.get("/Info", pikepdf.Dictionary()).get("/Title", "")).strip():
        problems.append("no title")
    return problems


def tagged(path: Path) -> Outcome:
    """The brochure: a tagged PDF with language and title."""
    with pikepdf.open(path) as pdf:
        return outcome("tagged", _tag_problems(pdf), "structure tree, language, title")


def pdf_ua(path: Path) -> Outcome:
    """PDF/UA-1: the structural requirements checked here, then the ``pdfua`` package's rules."""
    from pdfua import validate

    with pikepdf.open(path) as pdf:
        problems = _tag_problems(pdf)
        prefs = pdf.Root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary) or prefs.get("/DisplayDocTitle") is not True:
            problems.append("the title is not displayed (ViewerPreferences /DisplayDocTitle true)")
        metadata = pdf.Root.get("/Metadata")
        xmp = bytes(metadata.read_bytes()) if isinstance(metadata, pikepdf.Stream) else b""
        if not re.search(rb"pdfuaid:part(?:>\s*|=\")1", xmp):
            problems.append("the XMP metadata does not identify PDF/UA-1 (pdfuaid:part)")
        problems += [str(f) for f in check_fonts(pdf)]
    report = validate(str(path))
    problems += [f"{f.rule_id}: {f.message}" for f in report.findings]
    return outcome("PDF/UA-1", problems, "tags, language, title shown, PDF/UA-1 identified; pdfua: no findings")


def print_shop(path: Path) -> Outcome:
    """The print shop's preflight (pipeline/preflight/print_file.py)."""
    findings = preflight(path)
    return outcome("print shop", [str(f) for f in findings], "CMYK, boxes and marks, pages in fours, PDF/X-4")


def even_sheet_sides(pages: int) -> Outcome:
    """The booklet: sheets printed on both sides."""
    return outcome("sheets", [f"{pages} sheet sides: an odd number"] if pages % 2 else [], f"{pages // 2} sheets")
