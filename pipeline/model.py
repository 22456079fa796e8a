"""The typed document model: metadata plus a flat list of blocks from a closed set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

# --- attributes -----------------------------------------------------------


@dataclass(frozen=True)
class Attr:
    """The one generic escape hatch (pandoc's Attr): an id, classes and key/values."""

    id: str = ""
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        return not (self.id or self.classes or self.pairs)


# --- inlines --------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Span:
    """A passage in another language or direction than the text around it (WCAG 3.1.2, "language of
    parts"): ``lang`` a BCP 47 tag where the source says it (empty: not said), ``dir`` "rtl" or "ltr"
    where the passage's direction differs from its surroundings' (empty: the same)."""

    children: tuple[Inline, ...]
    lang: str = ""
    dir: str = ""


Inline = Text | Emph | Strong | Span
Inlines = tuple[Inline, ...]


def plain(inlines: Inlines) -> str:
    """The inlines' text with marks flattened."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        else:
            out.append(plain(node.children))
    return "".join(out)


def text(value: str) -> Inlines:
    return (Text(value),) if value else ()


# --- blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The publication's title as it stands in the text (and an optional subtitle)."""

    inlines: Inlines
    subtitle: Inlines = ()
    attr: Attr = Attr()
    line: int = 0


@dataclass(frozen=True)
class Heading:
    """A part (level 1), section (level 2) or subsection (level 3) heading."""

    level: int
    inlines: Inlines
    attr: Attr = Attr()
    line: int = 0


@dataclass(frozen=True)
class Paragraph:
    inlines: Inlines
    attr: Attr = Attr()
    line: int = 0


@dataclass(frozen=True)
class RunInLead:
    """A display lead that runs on into its sentence ("Vi vill och vågar ta oss an ...").

    It opens a section at ``level`` like a heading does, but its words are the
    start of the paragraph's first sentence.
    """

    level: int
    lead: Inlines
    inlines: Inlines
    attr: Attr = Attr()
    line: int = 0


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list. An item may hold a list of its own: ``sublists[k]`` is the list
    nested under item ``k`` (None: none); a list without nesting has no sublists at all."""

    ordered: bool
    items: tuple[Inlines, ...]
    start: int = 1
    attr: Attr = Attr()
    line: int = 0
    sublists: tuple[ListBlock | None, ...] = ()

    def sublist(self, k: int) -> ListBlock | None:
        """The list nested under item ``k``, if any."""
        return self.sublists[k] if k < len(self.sublists) else None

    def entries(self, depth: int = 0) -> Iterator[tuple[int, Inlines]]:
        """Every item in reading order, nested ones after their parent, each with its depth (0: top)."""
        for k, item in enumerate(self.items):
            yield depth, item
            nested = self.sublist(k)
            if nested is not None:
                yield from nested.entries(depth + 1)


def map_list_items(block: ListBlock, change: Callable[[Inlines], Inlines]) -> ListBlock:
    """The list with ``change`` applied to every item's inlines, nested items too."""
    sublists = tuple(None if s is None else map_list_items(s, change) for s in block.sublists)
    return replace(block, items=tuple(change(i) for i in block.items), sublists=sublists)


def map_block_inlines(block: Block, change: Callable[[Inlines], Inlines]) -> Block:
    """The block with ``change`` applied to each of its runs of inlines (a lead and its sentence, a title
    and its subtitle, every list item)."""
    if isinstance(block, ListBlock):
        return map_list_items(block, change)
    if isinstance(block, RunInLead):
        return replace(block, lead=change(block.lead), inlines=change(block.inlines))
    if isinstance(block, Title):
        return replace(block, inlines=change(block.inlines), subtitle=change(block.subtitle))
    return replace(block, inlines=change(block.inlines))


@dataclass(frozen=True)
class Slogan:
    """A closing call-out ("Jag har PATIENTFOKUS!")."""

    inlines: Inlines
    attr: Attr = Attr()
    line: int = 0


Block = Title | Heading | Paragraph | RunInLead | ListBlock | Slogan
BLOCK_TYPES: dict[str, type] = {
    "title": Title,
    "heading": Heading,
    "paragraph": Paragraph,
    "run_in_lead": RunInLead,
    "list": ListBlock,
    "slogan": Slogan,
}


@dataclass(frozen=True)
class Meta:
    title: str = ""
    subtitle: str = ""
    short_title: str = ""
    organisation: str = ""
    language: str = "sv"
    date: str = ""
    identifier: str = ""
    theme_colour: str = "#1d4e89"
    contact: tuple[str, ...] = ()
    colophon: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def with_blocks(self, blocks: tuple[Block, ...] | list[Block]) -> Document:
        return replace(self, blocks=tuple(blocks))


# --- plain text of any block ------------------------------------------------


def block_text(block: Block) -> str:
    """The block's plain text (for a run-in lead: lead and sentence together)."""
    if isinstance(block, Title):
        return plain(block.inlines)
    if isinstance(block, RunInLead):
        lead, rest = plain(block.lead), plain(block.inlines)
        return f"{lead} {rest}" if lead and rest else lead + rest
    if isinstance(block, ListBlock):
        return "\n".join(plain(item) for _depth, item in block.entries())
    return plain(block.inlines)


def block_words(block: Block) -> list[str]:
    words = block_text(block).split()
    if isinstance(block, Title) and block.subtitle:
        words += plain(block.subtitle).split()
    return words


def document_words(doc: Document) -> list[str]:
    return [w for b in doc.blocks for w in block_words(b)]


# --- JSON -----------------------------------------------------------------


def _inlines_to_json(inlines: Inlines) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append({"t": "text", "text": node.text})
        elif isinstance(node, Emph):
            out.append({"t": "emph", "children": _inlines_to_json(node.children)})
        elif isinstance(node, Span):
            out.append({"t": "span", "children": _inlines_to_json(node.children), "lang": node.lang, "dir": node.dir})
        else:
            out.append({"t": "strong", "children": _inlines_to_json(node.children)})
    return out


def _inlines_from_json(data: list[dict[str, Any]]) -> Inlines:
    out: list[Inline] = []
    for node in data:
        kind = node["t"]
        if kind == "text":
            out.append(Text(node["text"]))
        elif kind == "emph":
            out.append(Emph(_inlines_from_json(node["children"])))
        elif kind == "strong":
            out.append(Strong(_inlines_from_json(node["children"])))
        elif kind == "span":
            out.append(Span(_inlines_from_json(node["children"]), str(node.get("lang", "")), str(node.get("dir", ""))))
        else:
            raise ValueError(f"unknown inline kind {kind!r}")
    return tuple(out)


def _attr_to_json(attr: Attr) -> dict[str, Any]:
    return {"id": attr.id, "classes": list(attr.classes), "pairs": [list(p) for p in attr.pairs]}


def _attr_from_json(data: dict[str, Any] | None) -> Attr:
    if not data:
        return Attr()
    return Attr(
        id=data.get("id", ""),
        classes=tuple(data.get("classes", ())),
        pairs=tuple((str(k), str(v)) for k, v in data.get("pairs", ())),
    )


def block_to_json(block: Block) -> dict[str, Any]:
    """Stable shape: every block has ``type`` and ``text`` (marks flattened)."""
    kind = next(k for k, v in BLOCK_TYPES.items() if isinstance(block, v))
    out: dict[str, Any] = {"type": kind}
    if isinstance(block, (Heading, RunInLead)):
        out["level"] = block.level
    out["text"] = block_text(block)
    if isinstance(block, Title):
        out["subtitle"] = plain(block.subtitle)
        out["inlines"] = _inlines_to_json(block.inlines)
        out["subtitle_inlines"] = _inlines_to_json(block.subtitle)
    elif isinstance(block, RunInLead):
        out["lead"] = plain(block.lead)
        out["lead_inlines"] = _inlines_to_json(block.lead)
        out["inlines"] = _inlines_to_json(block.inlines)
    elif isinstance(block, ListBlock):
        out["ordered"] = block.ordered
        out["start"] = block.start
        out["items"] = [plain(item) for item in block.items]
        out["item_inlines"] = [_inlines_to_json(item) for item in block.items]
        if any(s is not None for s in block.sublists):  # only a nested list has the key: the shape stays
            out["sublists"] = [None if s is None else block_to_json(s) for s in block.sublists]
    else:
        out["inlines"] = _inlines_to_json(block.inlines)
    out["attr"] = _attr_to_json(block.attr)
    out["line"] = block.line
    return out


def block_from_json(data: dict[str, Any]) -> Block:
    kind = data["type"]
    attr = _attr_from_json(data.get("attr"))
    line = int(data.get("line", 0))

    def inl(key: str, fallback: str) -> Inlines:
        if key in data:
            return _inlines_from_json(data[key])
        return text(data.get(fallback, ""))

    if kind == "title":
        return Title(inl("inlines", "text"), inl("subtitle_inlines", "subtitle"), attr, line)
    if kind == "heading":
        return Heading(int(data["level"]), inl("inlines", "text"), attr, line)
    if kind == "paragraph":
        return Paragraph(inl("inlines", "text"), attr, line)
    if kind == "slogan":
        return Slogan(inl("inlines", "text"), attr, line)
    if kind == "run_in_lead":
        return RunInLead(int(data["level"]), inl("lead_inlines", "lead"), inl("inlines", "rest"), attr, line)
    if kind == "list":
        if "item_inlines" in data:
            items = tuple(_inlines_from_json(i) for i in data["item_inlines"])
        else:
            items = tuple(text(i) for i in data["items"])
        sublists = tuple(None if s is None else _list_from_json(s) for s in data.get("sublists", ()))
        return ListBlock(bool(data["ordered"]), items, int(data.get("start", 1)), attr, line, sublists)
    raise ValueError(f"unknown block type {kind!r}")


def _list_from_json(data: dict[str, Any]) -> ListBlock:
    block = block_from_json(data)
    if not isinstance(block, ListBlock):
        raise ValueError(f"a nested list of type {data.get('type')!r}")
    return block


def meta_to_json(meta: Meta) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def meta_from_json(data: dict[str, Any]) -> Meta:
    known = {f.name for f in fields(Meta)}
    kwargs: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in known}
    return Meta(**kwargs)


def to_json(doc: Document) -> dict[str, Any]:
    return {"meta": meta_to_json(doc.meta), "blocks": [block_to_json(b) for b in doc.blocks]}


def from_json(data: dict[str, Any]) -> Document:
    return Document(meta_from_json(data["meta"]), tuple(block_from_json(b) for b in data["blocks"]))
