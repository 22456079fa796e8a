"""Write Word documents from models with python-docx: styled (Word's own styles) or unstyled (direct formatting)."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.model import (
    Block,
    Document,
    Emph,
    Heading,
    Inlines,
    ListBlock,
    Paragraph,
    RunInLead,
    Slogan,
    Strong,
    Text,
    Title,
    plain,
)

# Direct formatting of the unstyled variant: the body is Normal (11 pt in python-docx's template).
UNSTYLED_SIZES = {"title": 22, 1: 16, 2: 13, 3: 11, "slogan": 14}


def segments(inlines: Inlines, bold: bool = False, italic: bool = False) -> list[tuple[str, bool, bool]]:
    """The inlines as (text, bold, italic) runs."""
    out: list[tuple[str, bool, bool]] = []
    for node in inlines:
        if isinstance(node, Text):
            if node.text:
                out.append((node.text, bold, italic))
        elif isinstance(node, Strong):
            out += segments(node.children, True, italic)
        else:
            out += segments(node.children, bold, True)
    return out


def _runs(paragraph: Any, inlines: Inlines, size: float | None = None, bold: bool = False) -> None:
    for text, b, i in segments(inlines):
        run = paragraph.add_run(text)
        run.bold = True if (b or bold) else None
        run.italic = True if i else None
        if size:
            run.font.size = Pt(size)


def _restarted_numbering(document: Any, start: int) -> str:
    """A numbering instance of List Number's definition that starts at ``start``: its numId.

    python-docx's List Number style shares one instance, so Word would continue counting from the
    previous list; a Word user restarting a list gets exactly this: a new w:num with a start override,
    set on each of the list's paragraphs.
    """
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"].element
    style_num = style.find(qn("w:pPr")).find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
    template = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == style_num)
    num = copy.deepcopy(template)
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    num.set(qn("w:numId"), new_id)
    override = num.makeelement(qn("w:lvlOverride"), {qn("w:ilvl"): "0"})
    override.append(override.makeelement(qn("w:startOverride"), {qn("w:val"): str(start)}))
    num.append(override)
    numbering.append(num)
    return new_id


def _number(paragraph: Any, num_id: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.makeelement(qn("w:numPr"), {})
    numpr.append(numpr.makeelement(qn("w:ilvl"), {qn("w:val"): "0"}))
    numpr.append(numpr.makeelement(qn("w:numId"), {qn("w:val"): num_id}))
    ppr.append(numpr)


def write_docx(doc: Document, path: Path, styled: bool, language: str = "sv-SE") -> Path:
    """Write ``doc`` as a Word file the way a writer would make it in Word, with styles or without."""
    document = docx.Document()
    title = next((plain(b.inlines) for b in doc.blocks if isinstance(b, Title)), doc.meta.title)
    document.core_properties.title = title
    document.core_properties.language = language
    if styled:
        lead = document.styles.add_style("Lead", WD_STYLE_TYPE.CHARACTER)
        lead.font.bold = True
        slogan = document.styles.add_style("Slogan", WD_STYLE_TYPE.PARAGRAPH)
        slogan.base_style = document.styles["Normal"]
        slogan.font.bold = True
        slogan.font.size = Pt(14)
    for block in doc.blocks:
        if styled:
            _styled_block(document, block)
        else:
            _unstyled_block(document, block)
    document.save(str(path))
    return path


def _styled_block(document: Any, block: Block) -> None:
    if isinstance(block, Title):
        _runs(document.add_paragraph(style="Title"), block.inlines)
        if block.subtitle:
            _runs(document.add_paragraph(style="Subtitle"), block.subtitle)
    elif isinstance(block, Heading):
        _runs(document.add_paragraph(style=f"Heading {block.level}"), block.inlines)
    elif isinstance(block, RunInLead):
        p = document.add_paragraph()
        for text, b, i in segments(block.lead):
            run = p.add_run(text, style="Lead")
            run.italic = True if i else None
            run.bold = True if b else None
        p.add_run(" ")
        _runs(p, block.inlines)
    elif isinstance(block, ListBlock):
        num_id = _restarted_numbering(document, block.start) if block.ordered else ""
        for item in block.items:
            p = document.add_paragraph(style="List Number" if block.ordered else "List Bullet")
            if num_id:
                _number(p, num_id)
            _runs(p, item)
    elif isinstance(block, Slogan):
        p = document.add_paragraph(style="Slogan")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs(p, block.inlines)
    else:
        _runs(document.add_paragraph(), block.inlines)


def _unstyled_block(document: Any, block: Block) -> None:
    """Everything in Normal: headings bold and larger by hand, bullets typed, a blank line after headings."""
    if isinstance(block, Title):
        _runs(document.add_paragraph(), block.inlines, UNSTYLED_SIZES["title"], bold=True)
        if block.subtitle:
            _runs(document.add_paragraph(), block.subtitle, UNSTYLED_SIZES[1])
        document.add_paragraph()
    elif isinstance(block, Heading):
        _runs(document.add_paragraph(), block.inlines, UNSTYLED_SIZES[block.level], bold=True)
        document.add_paragraph()
    elif isinstance(block, RunInLead):
        p = document.add_paragraph()
        _runs(p, block.lead, bold=True)
        p.add_run(" ")
        _runs(p, block.inlines)
    elif isinstance(block, ListBlock):
        for n, item in enumerate(block.items, start=block.start):
            p = document.add_paragraph()
            p.add_run(f"{n}.\t" if block.ordered else "•\t")
            _runs(p, item)
    elif isinstance(block, Slogan):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs(p, block.inlines, UNSTYLED_SIZES["slogan"], bold=True)
    else:
        _runs(document.add_paragraph(), block.inlines)


def unstyled_truth(doc: Document) -> Document:
    """What a file without styles can say of ``doc``: a run-in lead is a paragraph opening in bold."""
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, RunInLead):
            blocks.append(Paragraph((Strong(block.lead), Text(" "), *block.inlines), block.attr, block.line))
        else:
            blocks.append(block)
    return replace(doc, blocks=tuple(blocks))


__all__ = ["Emph", "segments", "unstyled_truth", "write_docx"]
