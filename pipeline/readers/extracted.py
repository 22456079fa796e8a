"""Reader for text extracted from PDFs: ordered line passes, then structure."""

from __future__ import annotations

from pathlib import Path

from pipeline.languages import language_defaults
from pipeline.model import Document, Meta
from pipeline.normalise.furniture import drop_furniture
from pipeline.normalise.lines import repair_whitespace, split_lines, undouble
from pipeline.normalise.report import Report
from pipeline.normalise.segment import Segmenter
from pipeline.normalise.structure import build_blocks
from pipeline.normalise.unglue import unglue_leads, unglue_lines
from pipeline.readers import Reading, numbered_lines
from pipeline.readers.decode import decode


def read_extracted(data: bytes, path: Path, meta: Meta, report: Report) -> Reading:
    """Bytes of a ``text.txt`` → a Document (before the document passes) and its source lines."""
    text = decode(data, path, report)
    lines = repair_whitespace(split_lines(text, path), report)
    lines, furniture = drop_furniture(lines, report)
    lines = unglue_lines(lines, report)
    lines = unglue_leads(lines, furniture.toc_labels, report)
    lines = undouble(lines, report)
    # Paragraph ends are read from blank lines when the file has them; a
    # double-spaced file or one with no blank lines needs the fit rule.
    segmenter = Segmenter(
        lines,
        fit_rule=True,  # unless the file's blank lines mark its paragraphs (the segmenter checks)
        title_lines=frozenset(line.no for line in lines if line.no in furniture.title_lines),
        contents=furniture.toc_labels,
    )
    blocks = build_blocks(segmenter.units(), report, language_defaults(meta.language).swedish_rules)
    dropped = {e.line for e in report.of_kind("drop-furniture")}
    source = tuple((no, line) for no, line in numbered_lines(text) if no not in dropped)
    return Reading(Document(meta, tuple(blocks)), source)
