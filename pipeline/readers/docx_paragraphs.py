"""Word paragraphs as evidence: open a .docx safely, resolve its styles and numbering, measure every paragraph.

The Word reader's first stage (``readers/docx.py`` decides what the paragraphs are). For each
paragraph of the body in reading order (table cells and content controls included) it gives its
text as in the file, its characters after whitespace repair with their bold/italic marks (relative
to the paragraph's style), its measured type style, what its paragraph style says (title,
subtitle, heading level, list, slogan, contents) and its Word numbering. Runs in deleted text,
text boxes and hidden text are not read; what is not carried over is reported as doubtful.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.normalise.chars import NO_BREAK_SPACE, SOFT_HYPHEN, SPACES, is_dropped_control, shapes_word
from pipeline.normalise.report import Report
from pipeline.normalise.styles import Style

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc files and password-protected Office files
ZIP_SIGNATURE = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a long programme with pictures unpacks to a few MB
DEFAULT_SIZE = 10.0  # points: Word's size when neither run, style nor document defaults set one
NEWLINE = "\n"
TAB = "\t"
# Inside a paragraph these become one space (a no-break space is kept: the author chose it).
COLLAPSIBLE = (SPACES - {NO_BREAK_SPACE}) | {NEWLINE}

# Style names and ids (lower case, without spaces) that say what a paragraph is. Word stores a
# built-in style's name in English ("heading 1") and its id in the user's language ("Rubrik1").
TITLE_STYLES = frozenset({"title", "rubrik"})
SUBTITLE_STYLES = frozenset({"subtitle", "underrubrik"})
HEADING_STYLE = re.compile(r"^(?:heading|rubrik)(\d)$")
# Word's "List Bullet 2" .. "List Bullet 5" (and the numbered ones) are the list styles of deeper levels.
BULLET_STYLE = re.compile(r"^(?:listbullet|punktlista)(\d?)$")
NUMBER_STYLE = re.compile(r"^(?:listnumber|numreradlista|numreradlist)(\d?)$")
CONTENTS_STYLE = re.compile(
    r"^(?:toc\d|tocheading|innehåll\d|innehll\d|innehållsförteckningsrubrik|innehllsfrteckningsrubrik)$"
)
SLOGAN_STYLES = frozenset({"slogan"})
LEAD_STYLES = frozenset({"lead", "runinlead"})
ORDERED_FORMATS = frozenset({"decimal", "decimalZero", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter"})


def _w(tag: str) -> str:
    return W + tag


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.lower())


# Body-level elements that hold no paragraphs of the text.
SKIP_BLOCKS = frozenset({_w("sectPr"), _w("del"), _w("moveFrom"), MC_FALLBACK})


# --- the package --------------------------------------------------------------------------


def _refuse(path: Path, what: str, hint: str) -> PipelineError:
    return PipelineError(what, path, hint=hint)


SAVE_AS_DOCX = "Open it in Word or LibreOffice and save it as a Word document (.docx)."


def _other_zip(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """What a ZIP that is not a Word document is, in words (None: it may be one)."""
    if "mimetype" in names:
        kind = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        if kind == "application/epub+zip":
            return "an EPUB e-book"
        if kind.startswith("application/vnd.oasis.opendocument.text"):
            return "an OpenDocument text (.odt)"
        if kind.startswith("application/vnd.oasis.opendocument"):
            return "an OpenDocument file"
        return f"a ZIP package of type {kind!r}"
    if "xl/workbook.xml" in names:
        return "an Excel workbook"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation"
    if "[Content_Types].xml" not in names:
        return "a ZIP archive"
    return None


def open_docx(data: bytes, path: Path) -> Any:
    """The python-docx Document of ``data``, or one clear error naming the file and what to do."""
    if data.startswith(OLE_SIGNATURE):
        raise _refuse(
            path,
            "is an old binary Word file (.doc) or a password-protected document, not a .docx.",
            SAVE_AS_DOCX + " Remove any password first.",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise _refuse(path, "is not a Word document (.docx): a .docx file is a ZIP package.", SAVE_AS_DOCX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise _refuse(
                    path,
                    f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB; a programme's Word file is far smaller.",
                    "Check that this is the right file.",
                )
            other = _other_zip(zf, names)
            if other:
                raise _refuse(path, f"is {other}, not a Word document.", SAVE_AS_DOCX)
            broken = zf.testzip()
            if broken is not None:
                raise _refuse(path, f"is a damaged Word file ({broken} fails its checksum).", SAVE_AS_DOCX)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse(
            path, f"is a damaged Word file: the ZIP container cannot be read ({exc}).", SAVE_AS_DOCX
        ) from None
    import docx
    from docx.opc.exceptions import OpcError

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            kind = str(exc).rsplit("'", 2)[-2] if str(exc).count("'") >= 2 else "another kind"
            raise _refuse(
                path,
                f"is not a plain Word document (its main part is {kind}): templates and macro files are not read.",
                SAVE_AS_DOCX,
            ) from None
        raise _refuse(path, f"is a damaged Word file ({exc}).", SAVE_AS_DOCX) from None
    except (OpcError, KeyError, zipfile.BadZipFile, SyntaxError, EOFError, AttributeError, TypeError) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; a missing part is a KeyError.
        raise _refuse(path, f"is a damaged Word file ({type(exc).__name__}: {exc}).", SAVE_AS_DOCX) from None


class _Styles:
    """Word styles: what a style is (title, heading, list...) and its run properties, through ``basedOn``."""

    def __init__(self, styles: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_paragraph = ""
        for style in styles.findall(_w("style")):
            sid = style.get(_w("styleId")) or ""
            self.by_id[sid] = style
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                self.default_paragraph = sid
        self.defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")

    def chain(self, sid: str) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id and len(out) < 20:
            seen.add(sid)
            out.append(self.by_id[sid])
            based = self.by_id[sid].find(_w("basedOn"))
            sid = based.get(_w("val")) if based is not None else ""
        return out

    def keys(self, sid: str) -> list[str]:
        """The ids and names of the style and the ones it is based on, nearest first, as keys."""
        out = [_key(sid)] if sid else []
        for style in self.chain(sid):
            name = style.find(_w("name"))
            out += [_key(style.get(_w("styleId")) or ""), _key(name.get(_w("val")) or "" if name is not None else "")]
        return [k for k in out if k]

    def ppr(self, sid: str, tag: str) -> Any:
        """The nearest ``w:pPr/<tag>`` along the style chain."""
        for style in self.chain(sid):
            el = style.find(f"{_w('pPr')}/{_w(tag)}")
            if el is not None:
                return el
        return None

    def rpr(self, sid: str, tag: str) -> Any:
        for style in self.chain(sid):
            el = style.find(f"{_w('rPr')}/{_w(tag)}")
            if el is not None:
                return el
        return None


def _on(el: Any) -> bool:
    return el.get(_w("val")) not in ("0", "false", "off", "none")


@dataclass(frozen=True)
class Numbering:
    """A paragraph's list numbering: which instance, its level, and what its marker is."""

    num_id: str
    level: int
    ordered: bool
    start: int
    fmt: str


class _NumberingDefinitions:
    """``word/numbering.xml``: a paragraph's ``numId``/``ilvl`` to its format and start value."""

    def __init__(self, root: Any) -> None:
        self.nums: dict[str, Any] = {}
        self.abstract: dict[str, Any] = {}
        if root is None:
            return
        for num in root.findall(_w("num")):
            self.nums[num.get(_w("numId")) or ""] = num
        for abstract in root.findall(_w("abstractNum")):
            self.abstract[abstract.get(_w("abstractNumId")) or ""] = abstract

    def resolve(self, num_id: str, ilvl: int) -> Numbering | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        start: int | None = None
        lvl = None
        for override in num.findall(_w("lvlOverride")):
            if override.get(_w("ilvl")) == str(ilvl):
                so = override.find(_w("startOverride"))
                if so is not None:
                    start = _int(so.get(_w("val")), 1)
                lvl = override.find(_w("lvl"))
        if lvl is None:
            ref = num.find(_w("abstractNumId"))
            abstract = self.abstract.get(ref.get(_w("val")) or "" if ref is not None else "")
            if abstract is not None:
                lvl = next((x for x in abstract.findall(_w("lvl")) if x.get(_w("ilvl")) == str(ilvl)), None)
        fmt_el = lvl.find(_w("numFmt")) if lvl is not None else None
        fmt = (fmt_el.get(_w("val")) if fmt_el is not None else None) or "decimal"
        if start is None:
            start_el = lvl.find(_w("start")) if lvl is not None else None
            start = _int(start_el.get(_w("val")) if start_el is not None else None, 1)
        return Numbering(num_id, ilvl, fmt in ORDERED_FORMATS, start, fmt)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- evidence: paragraphs as measured -------------------------------------------------------


@dataclass
class Char:
    ch: str
    bold: bool  # a mark relative to the paragraph's style: the run is bold, the style is not
    italic: bool
    size: float
    looks_bold: bool  # as printed, style included (for measuring the paragraph)
    looks_italic: bool
    caps: bool
    lead: bool = False  # set in a lead character style


@dataclass
class Para:
    """One paragraph as measured: what its style says, how it looks, its text and marks."""

    no: int
    raw: str  # the text as in the file (controls dropped), tabs and line breaks included
    chars: list[Char]  # after whitespace repair, with marks
    style_id: str
    role: str = ""  # from its style: title | subtitle | heading | list | slogan | contents | ""
    level: int = 0  # heading level from its style or outline level
    numbering: Numbering | None = None
    lead_chars: int = 0  # leading characters set in a lead character style
    why: str = ""  # how the reader decided its role, when not from its paragraph style
    looks: Style = field(default_factory=lambda: Style(0.0))

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars)


class _Reader:
    """Walks the body of one document and measures its paragraphs."""

    # Runs inside these are not the paragraph's own text: deleted or moved-away text, text boxes,
    # nested paragraphs, and the fallback copy of alternate content (its choice is read).
    SKIP_RUN_INSIDE = frozenset({_w("del"), _w("moveFrom"), _w("txbxContent"), _w("p"), MC_FALLBACK})

    def __init__(self, document: Any, report: Report) -> None:
        self.document = document
        self.report = report
        self.styles = _Styles(document.styles.element)
        self.numbering = _NumberingDefinitions(self._numbering_root())
        self.counts: Counter[str] = Counter()  # things not carried over, for one report line each

    def _numbering_root(self) -> Any:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        for rel in self.document.part.rels.values():
            if rel.reltype == RT.NUMBERING and not rel.is_external:
                return rel.target_part.element
        return None

    # walking

    def paragraphs(self) -> Iterator[Para]:
        no = 0
        for p in self._walk(self.document.element.body):
            no += 1
            para = self._measure(p, no)
            if para is not None:
                yield para
        body = self.document.element.body
        if next(body.iter(_w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")), None) is not None:
            self.report.add("doubtful", 0, "tracked changes", "", "read as if every change were accepted")
        for what, count in sorted(self.counts.items()):
            self.report.add("doubtful", 0, what, "", f"{count}× in the document; not part of the text")

    def _walk(self, container: Any) -> Iterator[Any]:
        for child in container.iterchildren():
            if child.tag == _w("p"):
                yield child
            elif child.tag == _w("tbl"):
                self.counts["a table (its cells are read as paragraphs, row by row)"] += 1
                yield from self._walk(child)
            elif child.tag in SKIP_BLOCKS:
                continue
            elif child.tag == _w("altChunk"):
                self.counts["an embedded foreign document (altChunk)"] += 1
            else:  # rows, cells, content controls, custom XML, insertions, alternate content's choice
                yield from self._walk(child)

    def _runs(self, p: Any) -> Iterator[Any]:
        for r in p.iter(_w("r")):
            parent = r.getparent()
            while parent is not None and parent is not p and parent.tag not in self.SKIP_RUN_INSIDE:
                parent = parent.getparent()
            if parent is p:
                yield r

    # run properties

    def _run_prop(self, r: Any, para_sid: str, tag: str) -> Any:
        rpr = r.find(_w("rPr"))
        if rpr is not None:
            el = rpr.find(_w(tag))
            if el is not None:
                return el
            rstyle = rpr.find(_w("rStyle"))
            if rstyle is not None:
                el = self.styles.rpr(rstyle.get(_w("val")) or "", tag)
                if el is not None:
                    return el
        return self._style_prop(para_sid, tag)

    def _style_prop(self, para_sid: str, tag: str) -> Any:
        el = self.styles.rpr(para_sid, tag)
        if el is None and self.styles.defaults is not None:
            el = self.styles.defaults.find(_w(tag))
        return el

    def _toggle(self, el: Any) -> bool:
        return el is not None and _on(el)

    def _size(self, el: Any) -> float:
        return _int(el.get(_w("val")) if el is not None else None, int(DEFAULT_SIZE * 2)) / 2

    # one paragraph

    def _measure(self, p: Any, no: int) -> Para | None:
        ppr = p.find(_w("pPr"))
        pstyle = ppr.find(_w("pStyle")) if ppr is not None else None
        sid = (pstyle.get(_w("val")) if pstyle is not None else None) or self.styles.default_paragraph
        style_bold = self._toggle(self._style_prop(sid, "b"))
        style_italic = self._toggle(self._style_prop(sid, "i"))
        chars: list[Char] = []
        for r in self._runs(p):
            if self._toggle(self._run_prop(r, sid, "vanish")):
                self.counts["hidden text"] += 1
                continue
            bold = self._toggle(self._run_prop(r, sid, "b"))
            italic = self._toggle(self._run_prop(r, sid, "i"))
            caps = self._toggle(self._run_prop(r, sid, "caps"))
            size = self._size(self._run_prop(r, sid, "sz"))
            rstyle = r.find(f"{_w('rPr')}/{_w('rStyle')}")
            is_lead = rstyle is not None and any(
                k in LEAD_STYLES for k in self.styles.keys(rstyle.get(_w("val")) or "")
            )
            for ch in self._run_text(r, no):
                chars.append(
                    Char(ch, bold and not style_bold, italic and not style_italic, size, bold, italic, caps, is_lead)
                )
        chars = self._clean(chars, no)
        raw = unicodedata.normalize("NFC", "".join(c.ch for c in chars))
        para = Para(no, raw, self._repair_whitespace(chars, no), sid)
        para.lead_chars = next((k for k, c in enumerate(para.chars) if not (c.lead or c.ch == " ")), 0)
        if not para.text:
            return None
        self._classify(para, ppr)
        para.looks = _looks(para.chars)
        return para

    def _run_text(self, r: Any, no: int) -> str:
        out: list[str] = []
        for child in r.iterchildren():
            tag = child.tag
            if tag == _w("t"):
                out.append(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                out.append(TAB)
            elif tag == _w("br"):
                kind = child.get(_w("type"))
                out.append(NEWLINE if kind in (None, "textWrapping") else " ")
            elif tag == _w("cr"):
                out.append(NEWLINE)
            elif tag == _w("noBreakHyphen"):
                out.append("-")
                self.report.add("no-break-hyphen", no, "non-breaking hyphen", "-", "Word's non-breaking hyphen")
            elif tag == _w("softHyphen"):
                out.append(SOFT_HYPHEN)
            elif tag == _w("sym"):
                code = child.get(_w("char")) or ""
                self.report.add("doubtful", no, f"symbol {code}", "", "a character from a symbol font is not read")
            elif tag in (_w("drawing"), _w("pict"), _w("object")):
                box = next(child.iter(_w("txbxContent")), None)
                if box is None:
                    self.counts["a picture or drawing"] += 1
                    continue
                words = " ".join("".join(t.text or "" for t in box.iter(_w("t"))).split()[:8])
                self.report.add("doubtful", no, words, "", "a text box is not read: check whether the text needs it")
            elif tag in (_w("footnoteReference"), _w("endnoteReference")):
                self.counts["a footnote or endnote (its text is not read)"] += 1
        return "".join(out)

    def _clean(self, chars: list[Char], no: int) -> list[Char]:
        """Drop invisible controls, soft hyphens included (the rule of ``readers.decode``), each reported."""
        out: list[Char] = []
        for c in chars:
            if c.ch not in (TAB, NEWLINE) and is_dropped_control(c.ch) and not (out and shapes_word(out[-1].ch, c.ch)):
                name = unicodedata.name(c.ch, f"U+{ord(c.ch):04X}")
                self.report.add("drop-char", no, f"U+{ord(c.ch):04X}", "", f"{name} removed")
                continue
            out.append(c)
        return out

    def _repair_whitespace(self, chars: list[Char], no: int) -> list[Char]:
        """The rule of the text reader's ``repair_whitespace``: a tab, a line break or a run of spaces
        becomes one space (a lone no-break or thin space stays); the ends are trimmed. Marks end at words.
        """
        raw = "".join(c.ch for c in chars)
        out: list[Char] = []
        k = 0
        while k < len(chars):
            j = k
            while j < len(chars) and chars[j].ch in COLLAPSIBLE:
                j += 1
            if j == k:
                out.append(chars[k])
                k += 1
                continue
            run = "".join(c.ch for c in chars[k:j])
            out.append(chars[k] if len(run) == 1 and run not in (TAB, NEWLINE) else replace(chars[k], ch=" "))
            k = j
        while out and out[0].ch.isspace():
            out.pop(0)
        while out and out[-1].ch.isspace():
            out.pop()
        # A space carries the marks of the words on both sides when they have the same; else none, so
        # that no mark starts or ends with a space.
        for k, c in enumerate(out):
            if c.ch.isspace():
                before = out[k - 1] if k else None
                after = out[k + 1] if k + 1 < len(out) else None
                same = (
                    before is not None
                    and after is not None
                    and (before.bold, before.italic) == (after.bold, after.italic)
                )
                c.bold = same and before is not None and before.bold
                c.italic = same and before is not None and before.italic
        text = "".join(c.ch for c in out)
        if NEWLINE in raw:
            breaks = raw.count(NEWLINE)
            self.report.add("line-break", no, raw.replace(NEWLINE, "⏎"), text, f"{breaks} manual line break(s) → space")
        if text != raw.replace(NEWLINE, " ") and text:
            self.report.add("whitespace", no, raw, text, "tabs, repeated spaces or spaces at the ends")
        return out

    def _classify(self, para: Para, ppr: Any) -> None:
        """What the paragraph's style, outline level and numbering say it is."""
        keys = self.styles.keys(para.style_id)
        depth = 0  # the list level a list style's name says ("List Bullet 2": 1)
        for key in keys:
            if key in TITLE_STYLES:
                para.role = "title"
            elif key in SUBTITLE_STYLES:
                para.role = "subtitle"
            elif m := HEADING_STYLE.match(key):
                para.role, para.level = "heading", int(m.group(1))
            elif m := BULLET_STYLE.match(key) or NUMBER_STYLE.match(key):
                para.role = "list"
                depth = max(0, _int(m.group(1) or None, 1) - 1)
            elif CONTENTS_STYLE.match(key):
                para.role = "contents"
            elif key in SLOGAN_STYLES:
                para.role = "slogan"
            if para.role:
                break
        outline = ppr.find(_w("outlineLvl")) if ppr is not None else None
        if outline is None:
            outline = self.styles.ppr(para.style_id, "outlineLvl")
        if outline is not None and para.role in ("", "heading"):
            level = _int(outline.get(_w("val")), 9)
            if level < 9:
                para.role, para.level = "heading", level + 1
        if para.role == "heading" and para.level > 3:
            self.report.add("doubtful", para.no, f"heading level {para.level}", "level 3", "the model has three levels")
            para.level = 3
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        if numpr is None:
            numpr = self.styles.ppr(para.style_id, "numPr")
        if numpr is not None:
            num = numpr.find(_w("numId"))
            ilvl = numpr.find(_w("ilvl"))
            num_id = num.get(_w("val")) if num is not None else None
            if num_id and num_id != "0":
                para.numbering = self.numbering.resolve(
                    num_id, _int(ilvl.get(_w("val")) if ilvl is not None else None, 0)
                )
        if para.numbering is not None and para.numbering.fmt == "none":
            para.numbering = None
        if para.numbering is not None and para.role in ("", "slogan"):
            para.role = "list"
        if para.role == "list" and para.numbering is None:
            ordered = any(NUMBER_STYLE.match(k) for k in keys)
            para.numbering = Numbering("style:" + para.style_id, 0, ordered, 1, "decimal" if ordered else "bullet")
        if para.role == "list" and para.numbering is not None and para.numbering.level == 0 and depth:
            # Word numbers "List Bullet 2" with a list of its own at level 0, indented deeper: a nested item.
            para.numbering = replace(para.numbering, level=depth)


def _looks(chars: list[Char]) -> Style:
    """The paragraph's type style as printed: its commonest size; bold, italic, capitals when all of it is."""
    ink = [c for c in chars if not c.ch.isspace()]
    if not ink:
        return Style(0.0)
    sizes: Counter[float] = Counter(c.size for c in ink)
    letters = [c for c in ink if c.ch.isalpha()]
    caps = bool(letters) and all(c.caps or c.ch.isupper() for c in letters)
    return Style.of(sizes.most_common(1)[0][0], all(c.looks_bold for c in ink), all(c.looks_italic for c in ink), caps)


def read_paragraphs(document: Any, report: Report) -> list[Para]:
    """The non-empty paragraphs of a python-docx Document's body, measured, in reading order."""
    return list(_Reader(document, report).paragraphs())
