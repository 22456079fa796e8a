"""Stable ids for every block: readable slugs for headings, numbered ids for the rest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from pipeline.model import Block, Document, Heading, RunInLead, plain

SLUG_MAX = 48


def slugify(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value.lower())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if len(slug) > SLUG_MAX:  # cut at a word's end, not inside a word or a number ("…-202")
        cut = slug[: SLUG_MAX + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:SLUG_MAX]
    return slug.strip("-") or "avsnitt"


def assign_ids(doc: Document) -> Document:
    """Headings and run-in leads get ``s-<slug>``; other blocks ``b<n>``. Existing ids are kept."""
    seen: set[str] = set()
    blocks: list[Block] = []
    for n, block in enumerate(doc.blocks, start=1):
        if block.attr.id:
            ident = block.attr.id
        elif isinstance(block, Heading | RunInLead):
            label = plain(block.lead if isinstance(block, RunInLead) else block.inlines)
            base = "s-" + slugify(label)
            ident, k = base, 2
            while ident in seen:
                ident, k = f"{base}-{k}", k + 1
        else:
            ident = f"b{n}"
        seen.add(ident)
        blocks.append(replace(block, attr=replace(block.attr, id=ident)))
    return doc.with_blocks(blocks)
