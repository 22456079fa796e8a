"""Reader for an editor's reviewed Markdown (text.md), through markdown-it-py.

The dialect is the one ``pipeline normalise`` writes: ``#`` title, ``##`` part,
``###`` section, ``####`` subsection, ``[lead]{.lead} rest`` for a run-in lead,
a ``::: slogan`` fenced div for the closing slogan, CommonMark lists (nested up to
``MAX_LIST_DEPTH`` levels) and emphasis. Every word the parser reads must reach the model, and a
construct that would lose words is an error naming its line. A first line
``<!-- pipeline: ... -->`` is the record ``pipeline normalise --write`` leaves: which source the
text came from and what was written (``Record``); it is not text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.languages import LANGUAGE_TAG
from pipeline.model import (
    Block,
    Document,
    Emph,
    Heading,
    Inline,
    Inlines,
    ListBlock,
    Meta,
    Paragraph,
    RunInLead,
    Slogan,
    Span,
    Strong,
    Text,
    Title,
    document_words,
    plain,
)
from pipeline.normalise.report import Report
from pipeline.readers import Reading
from pipeline.readers.decode import decode

_RECORD = re.compile(
    r"^<!-- pipeline: source=(?P<source>\S+) sha256=(?P<sha>[0-9a-f]{64}) "
    r"text-sha256=(?P<text>[0-9a-f]{64}) normalised-by=(?P<version>\S+) -->$"
)


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class Record:
    """Where a text.md came from: its source file's name and hash, and the hash of the Markdown written."""

    source: str  # the source's file name beside text.md (text.txt, text.pdf, text.docx)
    source_sha256: str
    text_sha256: str  # of the Markdown below the record line, as the pipeline wrote it
    version: str  # of the pipeline that wrote it

    def line(self) -> str:
        return (
            f"<!-- pipeline: source={self.source} sha256={self.source_sha256} "
            f"text-sha256={self.text_sha256} normalised-by={self.version} -->"
        )

    def edited(self, body: str) -> bool:
        """Whether the Markdown below the record differs from what the pipeline wrote."""
        return sha256(body) != self.text_sha256


def split_record(text: str) -> tuple[Record | None, str]:
    """The record on text.md's first line (None if it has none) and the Markdown below it."""
    first, _, rest = text.partition("\n")
    m = _RECORD.match(first.rstrip("\r"))
    if m is None:
        return None, text
    return Record(m["source"], m["sha"], m["text"], m["version"]), rest


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.container import container_plugin

    return MarkdownIt("commonmark", {"html": False}).use(attrs_plugin, spans=True).use(container_plugin, "slogan")


# What a span is: the run-in lead, a passage in another language or direction, or only marked text.
_LEAD = "lead"


def _inlines(children: list[Any], path: Path, line: int) -> tuple[Inlines, Inlines]:
    """(lead, rest): the lead is a leading ``[...]{.lead}`` span, if any; ``[...]{lang=se}`` (and
    ``dir=rtl``) is a passage in another language (a ``Span``)."""
    stack: list[list[Inline]] = [[]]
    spans: list[str | Span | None] = []  # each open span: the lead, a language span, or None (only marked)
    lead: Inlines = ()
    for tok in children:
        if tok.type in ("text", "code_inline", "html_inline"):
            stack[-1].append(Text(tok.content))
        elif tok.type in ("softbreak", "hardbreak"):
            stack[-1].append(Text(" "))
        elif tok.type in ("em_open", "strong_open"):
            stack.append([])
        elif tok.type in ("em_close", "strong_close"):
            inner = tuple(stack.pop())
            stack[-1].append(Emph(inner) if tok.type == "em_close" else Strong(inner))
        elif tok.type == "span_open":
            opened: str | Span | None = _span(tok.attrs, path, line)
            if opened is None and "lead" in str(tok.attrs.get("class", "")).split() and not stack[0] and not lead:
                opened = _LEAD
            spans.append(opened)
            if opened is not None:
                stack.append([])
        elif tok.type == "span_close" and spans:
            closed = spans.pop()
            if closed == _LEAD:
                lead = _merge(tuple(stack.pop()))
            elif isinstance(closed, Span):
                inner = _merge(tuple(stack.pop()))
                stack[-1].append(Span(inner, closed.lang, closed.dir))
        elif tok.children:
            a, b = _inlines(tok.children, path, line)
            stack[-1].extend(a + b)
    rest = _merge(tuple(stack[0]))
    if lead and rest and isinstance(rest[0], Text):
        rest = (Text(rest[0].text.lstrip()), *rest[1:]) if rest[0].text.strip() else rest[1:]
    return lead, rest


DIRECTIONS = ("ltr", "rtl")


def _span(attrs: dict[str, Any], path: Path, line: int) -> Span | None:
    """The language span ``{lang=se}``, ``{dir=rtl}`` (or both) opens; None for a span without them."""
    lang, direction = str(attrs.get("lang", "")), str(attrs.get("dir", "")).lower()
    if "lang" in attrs and not re.match(LANGUAGE_TAG, lang):
        raise PipelineError(
            f"{{lang={lang}}} is not a language tag.",
            path,
            line,
            hint="Use a BCP 47 tag: {lang=se} for Northern Sami, {lang=fi}, {lang=yi}, {lang=sv}.",
        )
    if "dir" in attrs and direction not in DIRECTIONS:
        hint = "Write {dir=rtl} or {dir=ltr}."
        raise PipelineError(f"{{dir={direction}}} is not a direction.", path, line, hint=hint)
    return Span((), lang, direction) if lang or direction else None


def _merge(inlines: Inlines) -> Inlines:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


# Lists nest at most this deep (a list in a list in a list in a list); markdown-it itself stops
# reading, silently, at 20 levels of any nesting, so the reader refuses before that.
MAX_LIST_DEPTH = 4


@dataclass
class _OpenList:
    """A list being read: its items so far and the lists nested under them."""

    ordered: bool
    start: int
    line: int
    items: list[Inlines]
    sublists: list[ListBlock | None]

    def close(self) -> ListBlock:
        nested = tuple(self.sublists) if any(self.sublists) else ()
        return ListBlock(self.ordered, tuple(self.items), self.start, line=self.line, sublists=nested)

    def nest(self, sublist: ListBlock) -> None:
        """Hang a closed list under the last item (an item that opens with a list has no text of its own)."""
        if not self.items or self.sublists[-1] is not None:
            self.items.append(())
            self.sublists.append(None)
        self.sublists[-1] = sublist


def read_markdown(data: bytes, path: Path, meta: Meta, report: Report) -> Reading:
    source = decode(data, path, report)
    record, body = split_record(source)
    if record is not None:
        note = f"written from {record.source} by pipeline {record.version}; not text"
        report.add("source-record", 1, "<!-- pipeline: ... -->", "", note)
        source = "\n" + body  # the record's line stays blank, so line numbers are the file's
    parser = _parser()
    env: dict[str, Any] = {}
    tokens = parser.parse(source, env)
    for definition in env.get("references", {}).values():
        # The parser keeps a link reference definition ("[1]: https://… 'Källa'") out of the text.
        raise PipelineError(
            "a Markdown link reference definition is not part of the programme dialect: its words would be lost.",
            path,
            definition["map"][0] + 1 if definition.get("map") else None,
            hint="Write the link's text and address in the sentence, or as a paragraph of its own.",
        )
    blocks: list[Block] = []
    read: list[tuple[str, int]] = []  # every word the parser found, with its line, for the guard below
    i = 0
    in_slogan = False
    list_stack: list[_OpenList] = []
    too_deep = parser.options["maxNesting"] - 1
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.level >= too_deep:
            raise PipelineError("the Markdown is nested too deeply to be read whole.", path, line, hint=_DIALECT_HINT)
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            lead, inl = _inlines(tokens[i + 1].children or [], path, line)
            read.extend((w, line) for w in plain(lead + inl).split())
            if level == 1 and not blocks:
                blocks.append(Title(lead + inl, line=line))
            elif level == 1:
                raise PipelineError("a second '# ' title; parts are '## ', sections '### '.", path, line)
            else:
                blocks.append(Heading(min(level - 1, 3), lead + inl, line=line))
            i += 3
            continue
        if tok.type == "container_slogan_open":
            in_slogan = True
        elif tok.type == "container_slogan_close":
            in_slogan = False
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            if len(list_stack) == MAX_LIST_DEPTH:
                raise PipelineError(
                    f"a list nested more than {MAX_LIST_DEPTH} levels deep.",
                    path,
                    line,
                    hint=f"Indent lists at most {MAX_LIST_DEPTH} levels deep.",
                )
            start = int(tok.attrs.get("start", 1) or 1)
            list_stack.append(_OpenList(tok.type == "ordered_list_open", start, line, [], []))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            closed = list_stack.pop().close()
            if list_stack:
                list_stack[-1].nest(closed)
            else:
                blocks.append(closed)
        elif tok.type == "inline":
            pline = (tokens[i - 1].map[0] + 1) if tokens[i - 1].map else line
            lead, inl = _inlines(tok.children or [], path, pline)
            # (a run-in lead's last word and its sentence's first are two words; elsewhere a lead
            # span is only marked text)
            words = _words(lead, inl) if lead and not (list_stack or in_slogan) else plain(lead + inl).split()
            read.extend((w, pline) for w in words)
            if list_stack:
                list_stack[-1].items.append(lead + inl)
                list_stack[-1].sublists.append(None)
            elif in_slogan:
                blocks.append(Slogan(lead + inl, line=pline))
            elif lead:
                blocks.append(RunInLead(2, lead, inl, line=pline))
            else:
                blocks.append(Paragraph(inl, line=pline))
        elif tok.type in ("fence", "code_block", "html_block", "blockquote_open", "hr", "table_open"):
            kind = tok.type.replace("_open", "")
            raise PipelineError(
                f"Markdown {kind} is not part of the programme dialect.", path, line, hint=_DIALECT_HINT
            )
        i += 1
    doc = Document(meta, tuple(blocks))
    _guard(read, document_words(doc), path)
    return Reading(doc, None)


def _words(lead: Inlines, rest: Inlines) -> list[str]:
    """The words of a run-in lead and its sentence."""
    return plain(lead).split() + plain(rest).split()


_DIALECT_HINT = "Use headings, paragraphs, lists, [lead]{.lead} and '::: slogan'."


def _guard(read: list[tuple[str, int]], kept: list[str], path: Path) -> None:
    """Every word the Markdown parser read must be in the document, in order: a construct the
    reader does not take apart would otherwise lose its words without a word said."""
    for k, (word, line) in enumerate(read):
        if k >= len(kept) or kept[k] != word:
            raise PipelineError(
                f"the reader would lose the word {word!r} here: this Markdown is not part of the programme dialect.",
                path,
                line,
                hint=_DIALECT_HINT,
            )
