"""Reader for text extracted from PDFs: ordered line passes, then structure."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Document, Meta
from pipeline.normalise.lines import is_double_spaced, repair_whitespace, split_lines, undouble
from pipeline.normalise.report import Report
from pipeline.normalise.segment import Segmenter
from pipeline.normalise.structure import build_blocks
from pipeline.readers import Reading, numbered_lines
from pipeline.readers.decode import decode


def read_extracted(data: bytes, path: Path, meta: Meta, report: Report) -> Reading:
    """Bytes of a ``text.txt`` → a Document (before the document passes) and its source lines."""
    text = decode(data, path, report)
    lines = repair_whitespace(split_lines(text, path), report)
    double = is_double_spaced(lines)
    lines = undouble(lines, report)
    has_blank_breaks = any(line.blank for line in lines)
    # Paragraph ends are read from blank lines when the file has them; a
    # double-spaced file or one with no blank lines needs the fit rule.
    segmenter = Segmenter(lines, fit_rule=double or not has_blank_breaks)
    blocks = build_blocks(segmenter.units(), report)
    return Reading(Document(meta, tuple(blocks)), numbered_lines(text))
