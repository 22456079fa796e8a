"""The model as Markdown for an editor to review (and to save as a durable text.md)."""

from __future__ import annotations

import re

from pipeline.model import (
    Document,
    Emph,
    Heading,
    Inlines,
    ListBlock,
    Paragraph,
    RunInLead,
    Slogan,
    Span,
    Text,
    Title,
)

_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#&!|~])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=:>])")


def escape(text: str) -> str:
    out = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", out)


def inlines_md(inlines: Inlines, at_start: bool = True) -> str:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            piece = escape(node.text) if (at_start and not out) else _SPECIAL.sub(r"\\\1", node.text)
        elif isinstance(node, Emph):
            piece = f"*{inlines_md(node.children, False)}*"
        elif isinstance(node, Span):
            piece = f"[{inlines_md(node.children, False)}]{{{span_attrs(node)}}}"
        else:
            piece = f"**{inlines_md(node.children, False)}**"
        out.append(piece)
    return "".join(out)


def span_attrs(span: Span) -> str:
    """A language span's attributes as the Markdown reader reads them: ``lang=se dir=rtl``."""
    return " ".join(f"{key}={value}" for key, value in (("lang", span.lang), ("dir", span.dir)) if value)


def list_md(block: ListBlock, indent: str = "") -> list[str]:
    """A list's lines; a nested list is indented to its item's text, as CommonMark reads it."""
    lines = []
    for k, item in enumerate(block.items):
        marker = f"{block.start + k}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {inlines_md(item)}".rstrip())
        nested = block.sublist(k)
        if nested is not None:
            lines.extend(list_md(nested, indent + " " * (len(marker) + 1)))
    return lines


def to_markdown(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            parts.append(f"# {inlines_md(block.inlines)}")
        elif isinstance(block, Heading):
            parts.append(f"{'#' * (block.level + 1)} {inlines_md(block.inlines)}")
        elif isinstance(block, RunInLead):
            parts.append(f"[{inlines_md(block.lead, False)}]{{.lead}} {inlines_md(block.inlines, False)}")
        elif isinstance(block, ListBlock):
            parts.append("\n".join(list_md(block)))
        elif isinstance(block, Slogan):
            parts.append(f"::: slogan\n{inlines_md(block.inlines)}\n:::")
        elif isinstance(block, Paragraph):
            parts.append(inlines_md(block.inlines))
    return "\n\n".join(parts) + "\n"


def recorded_markdown(doc: Document, source: str, source_data: bytes) -> str:
    """text.md as ``pipeline normalise --write`` saves it: a record of its source, then the Markdown."""
    from pipeline import __version__
    from pipeline.readers.markdown import Record, sha256

    body = to_markdown(doc)
    return f"{Record(source, sha256(source_data), sha256(body), __version__).line()}\n{body}"
