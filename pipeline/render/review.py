"""The review page: the source's lines beside the normalised blocks, every edit marked with its kind and reason."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from pipeline.model import Block, Emph, Heading, Inlines, ListBlock, RunInLead, Slogan, Span, Text, Title
from pipeline.normalise.chars import is_dropped_control, shapes_word
from pipeline.normalise.report import CHECK_BELOW, Edit, Report
from pipeline.render.context import RenderContext
from pipeline.render.html import environment, render_checked, span_attributes
from pipeline.resources import layout_file
from pipeline.url_policy import allowed_roots, inline_stylesheet

# Every kind of edit the passes and readers record: (family, Swedish label, what it means).
# The family picks the colour; a kind missing here is shown by its own name.
KINDS: dict[str, tuple[str, str, str]] = {
    "join": ("lines", "Radbrytning", "En radbrytning inne i ett stycke blev ett mellanslag."),
    "dehyphenate": ("lines", "Avstavning", "Ett ord som var avstavat vid radslutet skrevs ihop."),
    "keep-hyphen": ("lines", "Bindestreck kvar", "Bindestrecket vid radslutet hör till ordet och står kvar."),
    "keep-suspended": ("lines", "Ordled utelämnat", "Ett bindestreck för ett utelämnat ordled (hälso- och) står kvar."),
    "join-dash": ("lines", "Streck vid radslut", "Raden bröts efter ett streck utan mellanslag; raderna fogades ihop."),
    "unglue": ("lines", "Ihopklistrat", "Extraheringen tappade ett bindestreck som hör dit; det sattes tillbaka."),
    "line-break": ("lines", "Manuell radbrytning", "Manuella radbrytningar i ett Word-stycke blev mellanslag."),
    "whitespace": ("space", "Blanksteg", "Tabbar eller flera mellanslag i rad blev ett mellanslag."),
    "page-start": ("space", "Sidstart", "Mellanslaget i början av en ny sida togs bort."),
    "trailing-space": ("space", "Mellanslag i radslut", "Mellanslag sist på raden togs bort."),
    "double-spacing": ("space", "Dubbelt radavstånd", "Filen hade en tom rad efter varje rad; de togs bort."),
    "drop-furniture": ("dropped", "Sidelement", "Sidnummer, sidhuvud, sidfot eller innehållsförteckning: inte text."),
    "drop-matter": ("dropped", "Omslag eller förtext", "Omslag, innehållssida eller liknande: inte programtext."),
    "drop-contents": ("dropped", "Innehållsförteckning", "Words innehållsförteckning är inte text."),
    "drop-char": ("dropped", "Osynligt tecken", "Ett osynligt styr- eller riktningstecken togs bort."),
    "source-record": ("dropped", "Källrad", "Första raden i text.md anger källan och är inte text."),
    "typography": ("typography", "Typografi", "Citattecken, streck och mellanrum sattes enligt svensk typografi."),
    "hyphen-char": ("typography", "Bindestreckstecken", "Tecknet U+2010 blev ett vanligt bindestreck."),
    "no-break-hyphen": ("typography", "Hårt bindestreck", "Words hårda bindestreck blev ett vanligt bindestreck."),
    "ligature": ("typography", "Ligatur", "Ligaturtecken (ﬁ, ﬂ) blev vanliga bokstäver."),
    "title": ("structure", "Titel", "Raden lästes som publikationens titel."),
    "subtitle": ("structure", "Undertitel", "Raden lästes som titelns undertitel."),
    "heading": ("structure", "Rubrik", "Raden lästes som rubrik: nivå 1 del, 2 avsnitt, 3 underavsnitt."),
    "headings": ("structure", "Rubriker", "Hur rubrikerna i dokumentet kändes igen."),
    "run-in-lead": ("structure", "Inlöpande rubrik", "Rubrikord som löper in i styckets första mening."),
    "list": ("structure", "Lista", "Raderna lästes som en punktlista eller en numrerad lista."),
    "slogan": ("structure", "Slogan", "Raden sattes som en fristående slogan."),
    "pdf-heading": ("structure", "Rubrik (PDF)", "En rubrik enligt stilens storlek, vikt och färg i PDF:en."),
    "pdf-title": ("structure", "Titel (PDF)", "Den största texten på första sidan lästes som titel."),
    "pdf-run-in": ("structure", "Inlöpande rubrik (PDF)", "Rubrikord i egen stil som löper in i stycket."),
    "pdf-emphasis": ("structure", "Betoning (PDF)", "Fet eller kursiv stil i brödtexten blev betoning."),
    "pdf-bullet": ("structure", "Listpunkt (PDF)", "En listpunkt som var ritad eller satt med ett symboltecken."),
    "pdf-columns": ("structure", "Spalter (PDF)", "Sidan lästes spalt för spalt."),
    "pdf-tags": ("structure", "Strukturträd (PDF)", "PDF:ens strukturträd användes för läsordningen."),
    "decode": ("file", "Teckenkodning", "Hur filens byte lästes som text."),
    "line-ends": ("file", "Radslut", "Windows- eller Mac-radslut blev vanliga radslut."),
    "page-break": ("file", "Sidbrytning", "Sidmatningstecken markerar var en ny sida börjar."),
    "doubtful": ("doubt", "Att kontrollera", "Något som läsaren inte kunde läsa säkert."),
    "editor": ("editor", "Redaktörens ändring", "Ord som redaktören ändrade i text.md jämfört med källan."),
    "stale": ("editor", "Källan har ändrats", "Källan ändrades efter att text.md skrevs; text.md kan vara inaktuell."),
    "empty-text-md": ("editor", "Tom text.md", "En tom text.md hoppades över; källan är texten."),
}
FAMILIES: dict[str, str] = {
    "doubt": "Att kontrollera",
    "editor": "Redaktören",
    "structure": "Struktur",
    "lines": "Rader och avstavning",
    "dropped": "Borttaget",
    "typography": "Typografi",
    "space": "Blanksteg",
    "file": "Filen",
}
# Kinds so frequent and so alike that each is a small chip, not a row (their reason is the kind's).
COMPACT = frozenset({"join", "trailing-space", "page-start"})
# Kinds whose edit joins line L to the next: "tail⏎head" in ``before``; the tail ends line L.
LINE_END = frozenset({"dehyphenate", "keep-hyphen", "keep-suspended", "join-dash"})
DROPS = frozenset({"drop-furniture", "drop-matter"})
LEVEL = re.compile(r"^level (\d)")
LEVELS = {"1": "nivå 1 (del)", "2": "nivå 2 (avsnitt)", "3": "nivå 3 (underavsnitt)"}
# What a structural decision made of its line, in the page's language (the report's own words are English).
VERDICTS = {
    "bullet list": "punktlista",
    "ordered list": "numrerad lista",
    "closing slogan": "avslutande slogan",
    "slogan": "slogan",
    "title": "titel",
    "subtitle": "undertitel",
    "lead": "inlöpande rubrik",
    "used": "används",
    "title and headings": "titel och rubriker",
    "structure tree": "strukturträdet",
}
VERDICT_PATTERNS = (
    (re.compile(r"^lead of: (.*)$", re.S), "inlöpande rubrik, före: {0}"),
    (re.compile(r"^lead of (\d+) words$"), "inlöpande rubrik om {0} ord"),
    (re.compile(r"^(\d+) (?:lines|paragraphs)$"), "{0} rader"),
    (re.compile(r"^(\d+) columns$"), "{0} spalter"),
    (re.compile(r"^body ([\d.]+) pt$"), "brödtext {0} pt"),
)
_PUNCTUATION = ".,:;!?\"'”’»«()[]–—-"
_SPECIAL = re.compile(r"[\t\f\u00a0]|^ +| +$|[^\S\n]{2,}")


# --- text made visible and safe ------------------------------------------------


def visible(text: str) -> Markup:
    """``text`` escaped, with what an editor cannot see made visible: tabs, spaces at the ends, no-break
    spaces, controls and bidi characters (shown by name, never passed to the browser)."""
    if text.isprintable() and not _SPECIAL.search(text):
        return escape(text)
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" ")) if text.strip(" ") else 0
    out: list[str] = []
    for k, ch in enumerate(text):
        if ch == " " and (k < lead or k >= len(text) - trail):
            out.append('<span class="ws" title="mellanslag">·</span>')
        elif ch == "\t":
            out.append('<span class="ws" title="tabb">⇥</span>')
        elif ch == "\u00a0":
            out.append('<span class="ws nb" title="hårt mellanslag">°</span>')
        elif ch == "\f":
            out.append('<span class="ctl" title="sidmatning">FF</span>')
        elif k and shapes_word(text[k - 1], ch):  # a Persian non-joiner spells its word: the text keeps it
            out.append(ch)
        elif is_dropped_control(ch) or not ch.isprintable():
            name = unicodedata.name(ch, "styrtecken")
            out.append(f'<span class="ctl" title="{escape(name)}">U+{ord(ch):04X}</span>')
        else:
            out.append(str(escape(ch)))
    return Markup("".join(out))


def inlines_visible(inlines: Inlines) -> Markup:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(str(visible(node.text)))
        elif isinstance(node, Emph):
            out.append(f"<em>{inlines_visible(node.children)}</em>")
        elif isinstance(node, Span):
            out.append(f"<span{span_attributes(node)}>{inlines_visible(node.children)}</span>")
        else:
            out.append(f"<strong>{inlines_visible(node.children)}</strong>")
    return Markup("".join(out))


def _sv(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


# --- the page's parts ---------------------------------------------------------


@dataclass
class EditView:
    n: int  # its index in the report: the anchor is e<n>
    edit: Edit
    family: str
    label: str
    explanation: str
    compared: str = ""  # an editor's change: the source's line that holds the words it replaced
    compared_name: str = ""
    compared_no: int = 0  # that line's number (the report names the first line of its block)

    @property
    def id(self) -> str:
        return f"e{self.n}"

    @property
    def kind(self) -> str:
        return self.edit.kind

    @property
    def doubtful(self) -> bool:
        return self.edit.confidence < CHECK_BELOW

    @property
    def compact(self) -> bool:
        return self.edit.kind in COMPACT and not self.doubtful

    @property
    def confidence(self) -> str:
        return _sv(self.edit.confidence) if self.edit.confidence < 1 else ""

    @property
    def percent(self) -> int:
        return round(self.edit.confidence * 100)

    @property
    def decision(self) -> bool:
        """A structural decision: its line is read as something, nothing is deleted or inserted."""
        return KINDS.get(self.kind, ("",))[0] == "structure"

    @property
    def before(self) -> Markup:
        return _arrowed(_verdict(self.edit.before) if self.decision else self.edit.before)

    @property
    def after(self) -> Markup:
        after = self.edit.after
        if self.decision and after == self.edit.before:
            return Markup("")
        if self.decision and (m := LEVEL.match(after)):
            return Markup(escape(LEVELS.get(m.group(1), after)))
        return _arrowed(_verdict(after) if self.decision else after)

    @property
    def summary(self) -> str:
        """One line for a tooltip: the edit as plain text (long sides cut: the line is beside it)."""
        before, after = _cut(self.edit.before), _cut(self.edit.after)
        return f"{self.label}: {before} → {after}" + (f" ({self.edit.note})" if self.edit.note else "")


def _cut(text: str, most: int = 40) -> str:
    return text if len(text) <= most else f"{text[: most - 1]}…"


def _verdict(text: str) -> str:
    if text in VERDICTS:
        return VERDICTS[text]
    for pattern, swedish in VERDICT_PATTERNS:
        if m := pattern.match(text):
            return swedish.format(*m.groups())
    return text


def _arrowed(text: str) -> Markup:
    """A report string with its line-break mark (⏎) shown as such."""
    parts = [str(visible(p)) for p in text.split("⏎")]
    return Markup('<span class="br" title="radbrytning">⏎</span>'.join(parts))


@dataclass
class Row:
    no: int  # 0: a line the reader dropped before numbering, shown from its edit (which the row then is)
    html: Markup
    family: str = ""  # the most telling family among its edits ("" when none)
    dropped: bool = False
    doubtful: bool = False
    edit: EditView | None = None  # for a line shown from its edit


@dataclass
class Run:
    """The compact edits of one kind in a group, shown as one row of line links (each its own anchor)."""

    kind: str
    family: str
    label: str
    explanation: str
    edits: list[EditView]


@dataclass
class Group:
    """Source lines from one block's first line to the next's, the blocks made of them, and their edits."""

    start: int
    rows: list[Row] = field(default_factory=list)
    blocks: list[tuple[str, str, Markup]] = field(default_factory=list)  # (label, css class, html)
    edits: list[EditView] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"g{self.start}"

    @property
    def full(self) -> list[EditView]:
        return [ev for ev in self.edits if not ev.compact]

    @property
    def runs(self) -> list[Run]:
        out: dict[str, Run] = {}
        for ev in self.edits:
            if ev.compact:
                if ev.kind not in out:
                    out[ev.kind] = Run(ev.kind, ev.family, ev.label, ev.explanation, [])
                out[ev.kind].edits.append(ev)
        return list(out.values())


RANK = ["doubt", "editor", "dropped", "structure", "lines", "typography", "space", "file"]


def view(edits: list[Edit], sources: list[dict[str, Any]]) -> list[EditView]:
    compared = sources[1] if len(sources) > 1 else None
    compared_lines = {int(no): text for no, text in compared["lines"]} if compared else {}
    out = []
    for n, e in enumerate(edits):
        family, label, explanation = KINDS.get(e.kind, ("file", e.kind, ""))
        if e.confidence < CHECK_BELOW:
            family = "doubt"
        ev = EditView(n, e, family, label, explanation)
        if e.compared_line and compared:
            ev.compared_no = _holding(compared_lines, e.compared_line, e.before)
            ev.compared = compared_lines.get(ev.compared_no, "")
            ev.compared_name = str(compared["name"])
        out.append(ev)
    return out


def _holding(lines: dict[int, str], start: int, words: str, reach: int = 80) -> int:
    """The first line from ``start`` (a block's first line) that holds the first of ``words``; else ``start``."""
    first = words.split()[0].strip(_PUNCTUATION) if words.split() else ""
    if first:
        for no in range(start, start + reach):
            if first in (w.strip(_PUNCTUATION) for w in lines.get(no, "").split()):
                return no
    return start


def _block_view(block: Block) -> tuple[str, str, Markup]:
    """A block as the editions will show it: its kind in words, a class, its text."""
    if isinstance(block, Title):
        sub = f'<br><span class="sub">{inlines_visible(block.subtitle)}</span>' if block.subtitle else ""
        return "Titel", "b-title", Markup(f"{inlines_visible(block.inlines)}{sub}")
    if isinstance(block, Heading):
        return (
            f"Rubrik, {LEVELS.get(str(block.level), str(block.level))}",
            f"b-h{block.level}",
            inlines_visible(block.inlines),
        )
    if isinstance(block, RunInLead):
        html = f'<strong class="lead">{inlines_visible(block.lead)}</strong> {inlines_visible(block.inlines)}'
        return f"Inlöpande rubrik, {LEVELS.get(str(block.level), '')}", "b-lead", Markup(html)
    if isinstance(block, ListBlock):
        label = "Numrerad lista" if block.ordered else "Punktlista"
        count = sum(1 for _ in block.entries())
        return f"{label}, {count} punkter", "b-list", _list_view(block)
    if isinstance(block, Slogan):
        return "Slogan", "b-slogan", inlines_visible(block.inlines)
    return "Stycke", "b-p", inlines_visible(block.inlines)


def _list_view(block: ListBlock) -> Markup:
    """A list as the editions show it, nested lists inside their items."""
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    items = []
    for k, item in enumerate(block.items):
        nested = block.sublist(k)
        items.append(f"<li>{inlines_visible(item)}{_list_view(nested) if nested is not None else ''}</li>")
    return Markup(f"<{tag}{start}>{''.join(items)}</{tag}>")


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _marked_line(text: str, line_end: list[EditView]) -> Markup:
    """A source line, visible and escaped, with the hyphen or dash that ends it linked to its edit."""
    for ev in line_end:
        tail = ev.edit.before.split("⏎")[0]
        body = text.rstrip()
        if tail and body.endswith(tail):
            cut = len(body) - len(tail)
            link = (
                f'<a class="mark f-{ev.family}" href="#{ev.id}" title="{escape(ev.summary)}">{visible(body[cut:])}</a>'
            )
            return Markup(f"{visible(body[:cut])}{link}{visible(text[len(body) :])}")
    return visible(text)


def groups(blocks: tuple[Block, ...], lines: list[tuple[int, str]], edits: list[EditView]) -> list[Group]:
    """Cut the source's lines where blocks start; hang each edit on the group holding its line."""
    starts: list[int] = []
    out: dict[int, Group] = {}
    for block in blocks:
        start = max(block.line, starts[-1] if starts else 0) or 1
        if start not in out:
            starts.append(start)
            out[start] = Group(start)
        out[start].blocks.append(_block_view(block))
    if not starts or (lines and lines[0][0] < starts[0]):
        first = lines[0][0] if lines else 1
        starts.insert(0, first)
        out[first] = Group(first)
    ordered = [out[s] for s in starts]

    def group_of(line: int) -> Group:
        k = 0
        lo, hi = 0, len(starts) - 1
        while lo <= hi:  # the last group starting at or before ``line``
            mid = (lo + hi) // 2
            if starts[mid] <= line:
                k, lo = mid, mid + 1
            else:
                hi = mid - 1
        return ordered[k]

    by_line: dict[int, list[EditView]] = {}
    for ev in edits:
        if ev.edit.line > 0:
            by_line.setdefault(ev.edit.line, []).append(ev)
    shown: set[int] = set()  # edits that are rows of their own
    for no, text in lines:
        here = by_line.get(no, [])
        drops = [ev for ev in here if ev.kind in DROPS]
        row_drop = next((ev for ev in drops if _squeeze(ev.edit.before) == _squeeze(text)), None)
        target = group_of(no)
        # A line the reader dropped before numbering (a PDF's running head, a contents entry) is shown,
        # struck through with its reason, before the line it preceded: that row is its edit.
        for ev in drops:
            if ev is not row_drop:
                row = Row(0, visible(ev.edit.before), ev.family, dropped=True, doubtful=ev.doubtful, edit=ev)
                target.rows.append(row)
                shown.add(ev.n)
        kept = [ev for ev in here if ev.kind not in DROPS or ev is row_drop]
        family = min((ev.family for ev in kept), key=RANK.index, default="")
        html = _marked_line(text, [ev for ev in kept if ev.kind in LINE_END])
        target.rows.append(
            Row(no, html, family, dropped=row_drop is not None, doubtful=any(ev.doubtful for ev in kept))
        )
    for ev in edits:
        if ev.edit.line > 0 and ev.n not in shown:
            group_of(ev.edit.line).edits.append(ev)
    for g in ordered:
        g.edits.sort(key=lambda ev: (ev.edit.line, ev.n))
    return ordered


def review_context(doc_blocks: tuple[Block, ...], edits: list[Edit], sources: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the review template shows, from the model, its report and the cached source lines."""
    report = Report()
    report.edits = list(edits)
    views = view(edits, sources)
    by_edit = {id(ev.edit): ev for ev in views}
    text: dict[str, Any] = sources[0] if sources else {"name": "", "kind": "", "lines": []}
    lines = [(int(no), str(t)) for no, t in text["lines"]]
    first = {}
    for ev in reversed(views):
        first[ev.kind] = ev.id
    kinds = []  # (family, kind, label, what it means, how many, the first one's anchor)
    for kind, count in report.counts().items():
        family, label, explanation = KINDS.get(kind, ("file", kind, ""))
        kinds.append((family, kind, label, explanation, count, first[kind]))
    kinds.sort(key=lambda row: (RANK.index(row[0]), -row[4]))
    return {
        "text_name": text["name"],
        "text_kind": text["kind"],
        "compared_name": sources[1]["name"] if len(sources) > 1 else "",
        "line_count": len(lines),
        "edits": views,
        "doubtful": [by_edit[id(e)] for e in report.doubtful()],
        "check_below": _sv(CHECK_BELOW),
        "editor": [ev for ev in views if ev.kind == "editor"],
        "warnings": [ev for ev in views if ev.kind in ("stale", "empty-text-md")],
        "whole_file": [ev for ev in views if ev.edit.line <= 0],
        "kinds": kinds,
        "families": FAMILIES,
        "groups": groups(doc_blocks, lines, views),
    }


def render(ctx: RenderContext) -> dict[str, Any]:
    """Write the review page of one publication (an edition: its own file, written atomically by the build)."""
    edits = [Edit(**e) for e in ctx.cached.get("report", [])]
    sources: list[dict[str, Any]] = list(ctx.cached.get("sources", []))
    env = environment(ctx.project, ctx.publication_folder, ctx.doc.meta.language)
    css_path = layout_file(ctx.project, ctx.publication_folder, "review/review.css")
    css_text = inline_stylesheet(css_path, allowed_roots(ctx.project, ctx.publication_folder))
    # A layout file is trusted like a template, but it must not end the <style> element early.
    css = Markup(css_text.replace("</", "<\\/"))
    context = review_context(ctx.doc.blocks, edits, sources)
    html = render_checked(env, "review/review.html.j2", meta=ctx.doc.meta, slug=ctx.slug, css=css, **context)
    ctx.target.write_text(html, encoding="utf-8")
    return {"pages": 0}
