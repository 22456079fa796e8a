"""The flat block list as nested sections with HTML heading levels, for templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Block, Document, Heading, Meta, RunInLead, Title, plain


@dataclass
class Section:
    """One part or section: its opening block (Heading or RunInLead) and its content."""

    opener: Heading | RunInLead | None
    level: int  # the model's level (1 part, 2 section, 3 subsection)
    html_level: int  # h2..h4, without skipped levels
    blocks: list[Block] = field(default_factory=list)  # content before any subsection
    children: list[Section] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.opener.attr.id if self.opener else ""

    @property
    def label(self) -> str:
        if isinstance(self.opener, RunInLead):
            return plain(self.opener.lead)
        return plain(self.opener.inlines) if self.opener else ""


@dataclass
class Outline:
    # The text's own title block when it says what publication.toml's title (and subtitle) say: the cover
    # and title page print those, so its words are there. A title block that says something else is
    # text, and stays in ``front``. Templates print ``meta.title``; this block only lends its id.
    title: Title | None
    front: list[Block]  # blocks before the first heading (the introduction)
    sections: list[Section]

    def walk(self) -> list[Section]:
        out: list[Section] = []

        def rec(items: list[Section]) -> None:
            for s in items:
                out.append(s)
                rec(s.children)

        rec(self.sections)
        return out


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def is_meta_title(block: Title, meta: Meta) -> bool:
    """Whether the text's title block says what the cover says: publication.toml's title and subtitle."""
    if _words(plain(block.inlines)) != _words(meta.title):
        return False
    return not block.subtitle or _words(plain(block.subtitle)) == _words(meta.subtitle)


def build_outline(doc: Document) -> Outline:
    levels = sorted({b.level for b in doc.blocks if isinstance(b, Heading | RunInLead)})
    rank = {level: 2 + i for i, level in enumerate(levels)}  # h1 is the title
    title: Title | None = None
    front: list[Block] = []
    root: list[Section] = []
    stack: list[Section] = []
    for block in doc.blocks:
        if isinstance(block, Title) and title is None and not root and is_meta_title(block, doc.meta):
            title = block
            continue
        if isinstance(block, Heading | RunInLead):
            node = Section(block, block.level, rank[block.level])
            while stack and stack[-1].level >= block.level:
                stack.pop()
            (stack[-1].children if stack else root).append(node)
            stack.append(node)
            continue
        if stack:
            stack[-1].blocks.append(block)
        else:
            front.append(block)
    _fix_levels(root, 2)
    return Outline(title, front, root)


def _fix_levels(sections: list[Section], level: int) -> None:
    """A section nested under a parent is exactly one level deeper: no skipped levels."""
    for s in sections:
        s.html_level = min(level, 6)
        _fix_levels(s.children, level + 1)
