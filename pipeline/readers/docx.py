"""Reader for Word documents (.docx): paragraph styles, Word numbering and direct formatting become the model's blocks.

Two stages, kept apart so each can be tested on its own:

1. *Evidence* (``readers/docx_paragraphs.py``): every paragraph of the body in reading order
   (table cells and content controls included) with its text, its bold/italic runs, its measured
   type style, what its paragraph style says (title, heading level, list, slogan, contents) and
   its Word numbering.
2. *Decisions* (``decide``, here): which paragraph is the title, a heading and of which level, a
   list item or body text. A document that uses Word's title or heading styles (English or Swedish
   Word: ``Title``/``Rubrik``, ``Heading 1..3``/``Rubrik 1..3``, also through a style based on
   them or an outline level) is read by its styles; a document that uses none is read by its
   direct formatting: the body style is the commonest, and short bold or larger paragraphs
   without a final full stop are headings ranked by ``normalise.styles.heading_levels``. Typed
   list markers ("•<tab>", "1.<tab>") make list items in both.

A paragraph that opens with a few bold words and goes on in regular weight is body text with a
Strong inline, not a run-in lead (bold emphasis is common); only a character style named ``Lead``
or ``Run-in Lead`` makes a lead. Tabs, repeated spaces and manual line breaks inside a paragraph
become one space (a hyphen before a manual break is the author's and stays); soft hyphens and
invisible controls are dropped; every such change is reported.

Line numbers: a Word file has no lines. The ``line`` of every block and report entry is the
number of its paragraph in the body, counting from 1 in reading order (empty paragraphs and
table-cell paragraphs count too). The source lines handed to the wording guard are one line per
non-empty paragraph, its text as in the file; a table of contents is dropped and reported.
Headers, footers, footnotes, comments and text boxes are not part of the text; those that exist
are reported as doubtful.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

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
    Strong,
    Text,
    Title,
    plain,
)
from pipeline.normalise.chars import is_dropped_control
from pipeline.normalise.report import Report
from pipeline.normalise.segment import ALWAYS_BULLETS, list_marker
from pipeline.normalise.structure import SLOGAN_MAX_WORDS, slogan_words
from pipeline.normalise.styles import SIZE_TOLERANCE, Style, body_style, heading_levels, more_prominent
from pipeline.readers import Reading
from pipeline.readers.docx_paragraphs import Char, Para, open_docx, read_paragraphs

# A heading set in larger type may be longer than a bold one at body size, but not a paragraph.
HEADING_MAX_WORDS = 20
# Lines that may follow the closing slogan (contact lines, an address).
SLOGAN_MAX_FOLLOWING = 3
NOT_HEADING_END = ".,;:…"
TYPED_MARKER = re.compile(rf"^\s*(?:[{re.escape(ALWAYS_BULLETS)}\-–]|\d{{1,3}}[.)])\t")
TYPED_GLYPH = re.compile(rf"^\s*[{re.escape(ALWAYS_BULLETS)}] ")


# --- decisions ------------------------------------------------------------------------------


def _typed_marker(para: Para) -> str | None:
    """The marker of a list item typed by hand ("•<tab>", "1.<tab>"), removed from the paragraph."""
    if not (TYPED_MARKER.match(para.raw) or TYPED_GLYPH.match(para.raw)):
        return None
    found = list_marker(para.text)
    if found is None:
        return None
    marker, rest = found
    del para.chars[: len(para.text) - len(rest)]
    return marker


def _inlines(chars: list[Char], drop_bold: bool = False, drop_italic: bool = False) -> Inlines:
    """Characters with marks → Text/Emph/Strong; a mark on all of a heading is its style, not emphasis."""
    out: list[Inline] = []
    k = 0
    while k < len(chars):
        bold, italic = chars[k].bold and not drop_bold, chars[k].italic and not drop_italic
        j = k
        while j < len(chars) and (chars[j].bold and not drop_bold, chars[j].italic and not drop_italic) == (
            bold,
            italic,
        ):
            j += 1
        node: Inline = Text(unicodedata.normalize("NFC", "".join(c.ch for c in chars[k:j])))
        if bold:
            node = Strong((node,))
        if italic:
            node = Emph((node,))
        out.append(node)
        k = j
    return tuple(out)


def _display_inlines(chars: list[Char]) -> Inlines:
    ink = [c for c in chars if not c.ch.isspace()]
    return _inlines(chars, drop_bold=all(c.bold for c in ink), drop_italic=all(c.italic for c in ink))


def _heading_candidate(para: Para, body: Style) -> bool:
    """Direct formatting: a short paragraph, bolder or larger than the body, that is not a sentence."""
    text = para.text
    if para.numbering is not None or not more_prominent(para.looks, body):
        return False
    return len(text.split()) <= HEADING_MAX_WORDS and text[-1] not in NOT_HEADING_END


def _roles_by_formatting(paras: list[Para], body: Style, report: Report) -> None:
    """Title and headings of a document without heading styles, from how its paragraphs look."""
    candidates = [p for p in paras if p.role == "" and _heading_candidate(p, body)]
    report.add("headings", 0, "title and headings", f"body {body.size:g} pt", "read from direct formatting")
    if candidates and _larger(candidates[0], [body, *(p.looks for p in candidates[1:])]):
        title = candidates.pop(0)
        title.role, title.why = "title", f"{title.looks.size:g} pt, the largest type, first"
        subtitle = _subtitle_after(title, paras, candidates)
        if subtitle is not None:
            candidates.remove(subtitle)
            subtitle.role = "subtitle"
            why = "just after the title, in a display style of its own, with no text before the next heading"
            report.add("subtitle", subtitle.no, subtitle.text, "subtitle", why)
    levels = heading_levels((p.looks for p in candidates), body)
    for para in candidates:
        para.role, para.level = "heading", levels[para.looks]
        report.add(
            "heading",
            para.no,
            para.text,
            f"level {para.level}",
            f"{para.looks.size:g} pt{' bold' if para.looks.bold else ''} against a {body.size:g} pt body",
        )


def _subtitle_after(title: Para, paras: list[Para], candidates: list[Para]) -> Para | None:
    """The paragraph after a title typed large, when it is the title's subtitle: set apart from the body in
    a style no heading uses, and followed by a heading, not by text (a heading would have text after it).
    """
    k = paras.index(title)
    following = paras[k + 1 : k + 3]
    if len(following) < 2 or following[0] not in candidates or following[1] not in candidates:
        return None
    subtitle = following[0]
    return subtitle if sum(p.looks == subtitle.looks for p in candidates) == 1 else None


def decide(paras: list[Para], report: Report) -> list[Block]:
    """The blocks of the measured paragraphs: title, headings, lists, leads, slogan and paragraphs."""
    contents = [p for p in paras if p.role == "contents"]
    if contents:
        report.add("drop-contents", contents[0].no, f"{len(contents)} lines", "", "Word's table of contents dropped")
    paras = [p for p in paras if p.role != "contents"]
    markers: dict[int, str] = {}
    for para in paras:
        if para.role in ("", "list"):
            marker = _typed_marker(para) if para.role == "" else None
            if marker is not None:
                markers[para.no] = marker
                para.role = "list"
    body = body_style((p.looks, len(p.text)) for p in paras if p.role == "")
    slogan = _closing_slogan(paras, body)
    if slogan is not None:
        slogan.role = "slogan"
    if not any(p.role in ("title", "heading") for p in paras):
        _roles_by_formatting(paras, body, report)
    else:
        report.add("headings", 0, "title and headings", "", "read from paragraph styles")
        _title_without_title_style(paras, body, report)
    return _blocks(paras, markers, report)


def _larger(para: Para, others: list[Style]) -> bool:
    return all(para.looks.size > other.size + SIZE_TOLERANCE for other in others)


def _title_without_title_style(paras: list[Para], body: Style, report: Report) -> None:
    """A styled document without a Title paragraph: its title is often typed large, or set as the one Heading 1.

    Either way it is the document's first paragraph: a short one set larger than the body and every
    heading, or a Heading 1 that is the only one in the document.
    """
    if not paras or any(p.role == "title" for p in paras):
        return
    first = paras[0]
    headings = [p for p in paras if p.role == "heading"]
    if first.role == "" and _heading_candidate(first, body) and _larger(first, [body, *(h.looks for h in headings)]):
        first.role, first.why = "title", "first paragraph, set larger than body and headings"
    elif first.role == "heading" and first.level == 1 and sum(h.level == 1 for h in headings) == 1:
        first.role, first.why = "title", "the only Heading 1, first in the document"


def _blocks(paras: list[Para], markers: dict[int, str], report: Report) -> list[Block]:
    blocks: list[Block] = []
    counters: Counter[str] = Counter()
    seen_heading = False
    k = 0
    while k < len(paras):
        para = paras[k]
        if para.role == "title" and not seen_heading and not any(isinstance(b, Title) for b in blocks):
            subtitle: Inlines = ()
            if k + 1 < len(paras) and paras[k + 1].role == "subtitle":
                subtitle = _display_inlines(paras[k + 1].chars)
                k += 1
            blocks.append(Title(_display_inlines(para.chars), subtitle, line=para.no))
            report.add("title", para.no, para.text, para.text, para.why or f"paragraph style {para.style_id}")
        elif para.role in ("title", "subtitle", "heading"):
            level = para.level or 1
            if para.role != "heading":
                report.add("doubtful", para.no, para.text, f"level {level}", f"a second {para.role}: read as a part")
            if para.numbering is not None:
                report.add(
                    "doubtful", para.no, para.text, "", "Word numbers this heading; the number is not in the text"
                )
            blocks.append(Heading(level, _display_inlines(para.chars), line=para.no))
            seen_heading = True
        elif para.role == "slogan":
            blocks.append(Slogan(_display_inlines(para.chars), line=para.no))
            report.add("slogan", para.no, para.text, "closing slogan", f"style {para.style_id}, {para.looks.size:g} pt")
        elif para.role == "list":
            k = _list(paras, k, markers, counters, blocks, report)
            continue
        elif para.lead_chars and para.lead_chars < len(para.text):
            lead, rest = para.chars[: para.lead_chars], para.chars[para.lead_chars :]
            while lead and lead[-1].ch == " ":
                lead.pop()
            blocks.append(RunInLead(2, _display_inlines(lead), _inlines(rest), line=para.no))
            report.add("run-in-lead", para.no, "".join(c.ch for c in lead), "lead", "set in a lead character style")
            seen_heading = True
        else:
            blocks.append(Paragraph(_inlines(para.chars), line=para.no))
        k += 1
    return blocks


def _list(
    paras: list[Para], k: int, markers: dict[int, str], counters: Counter[str], blocks: list[Block], report: Report
) -> int:
    """One ListBlock from the run of items starting at ``paras[k]``; the index after it."""
    first = paras[k]
    key, ordered, start = _item_key(first, markers)
    items: list[Inlines] = []
    expected = start
    while k < len(paras) and paras[k].role == "list":
        para = paras[k]
        pkey, pordered, pstart = _item_key(para, markers)
        nested = para.numbering is not None and para.numbering.level > 0
        renumbered = pkey == "typed" and ordered and pstart != expected
        if items and not nested and (pordered != ordered or pkey != key or renumbered):
            break
        if nested:
            report.add(
                "doubtful", para.no, para.text, "", "a nested list item joins its list (the model's lists are flat)"
            )
        items.append(_inlines(para.chars))
        expected += 1
        k += 1
    if first.numbering is not None and not first.numbering.num_id.startswith("style:"):
        start = first.numbering.start + counters[first.numbering.num_id]
        counters[first.numbering.num_id] += sum(
            1 for p in paras[k - len(items) : k] if p.numbering is not None and p.numbering.level == 0
        )
    blocks.append(ListBlock(ordered, tuple(items), start if ordered else 1, line=first.no))
    how = "typed markers" if key == "typed" else ("Word numbering" if first.numbering else "list style")
    report.add("list", first.no, f"{len(items)} paragraphs", "ordered list" if ordered else "bullet list", how)
    return k


def _item_key(para: Para, markers: dict[int, str]) -> tuple[str, bool, int]:
    """(which list it belongs to, ordered, its own number) for a list item."""
    marker = markers.get(para.no)
    if marker is not None:
        return "typed", marker.isdigit(), int(marker) if marker.isdigit() else 1
    num = para.numbering
    assert num is not None
    return num.num_id, num.ordered, num.start


def _closing_slogan(paras: list[Para], body: Style) -> Para | None:
    """The closing slogan: the last paragraph set apart from the body (bolder or larger), of a few words.

    Only a few lines that are not list items (contact lines) may follow it, and when any do, its
    display style must be its own: a heading's style with text after it is a heading.
    """
    display = [p for p in paras if p.role == "" and more_prominent(p.looks, body)]
    if not display:
        return None
    last = display[-1]
    after = paras[paras.index(last) + 1 :]
    if slogan_words(last.text) > SLOGAN_MAX_WORDS or len(after) > SLOGAN_MAX_FOLLOWING:
        return None
    if any(p.role for p in after) or (after and sum(p.looks == last.looks for p in display) > 1):
        return None
    return last


# --- metadata -----------------------------------------------------------------------------


def _language(tag: str | None) -> str:
    primary = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


def _meta(meta: Meta, document: Any, blocks: list[Block]) -> Meta:
    """Title and language from the document when no publication.toml gave them (metadata is never text)."""
    if meta.title:
        return meta
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    core = None
    if any(rel.reltype == RT.CORE_PROPERTIES for rel in document.part.package.rels.values()):
        core = document.core_properties
    printed = next((plain(b.inlines) for b in blocks if isinstance(b, Title)), "")
    stored = " ".join((core.title or "").split()) if core is not None else ""
    stored = "".join(ch for ch in stored if not is_dropped_control(ch))
    # dc:language only: the proofing language of the styles is often just the template's (en-US).
    language = _language(core.language if core is not None else None)
    return replace(meta, title=printed or stored, language=language or meta.language)


# --- the reader -----------------------------------------------------------------------------


def read_docx(data: bytes, path: Path, meta: Meta, report: Report) -> Reading:
    """Bytes of a ``.docx`` → a Document (before the document passes) and one source line per paragraph."""
    document = open_docx(data, path)
    paras = read_paragraphs(document, report)
    lines = tuple((p.no, p.raw) for p in paras if p.role != "contents")
    blocks = decide(paras, report)
    return Reading(Document(_meta(meta, document, blocks), tuple(blocks)), lines)
