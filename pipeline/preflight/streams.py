"""Every content stream of a PDF with the resources it draws with: pages, forms, tiling patterns, appearances."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pikepdf


@dataclass
class Drawing:
    """One content stream: the page it is first met on (1-based), what holds it, and its resources."""

    page: int
    owner: Any  # pikepdf.Page for a page's own content, else the pikepdf.Stream (form, pattern, appearance)
    resources: pikepdf.Dictionary
    kind: str  # "page" | "form" | "pattern" | "appearance"


def _dict(value: Any) -> pikepdf.Dictionary:
    return value if isinstance(value, pikepdf.Dictionary) else pikepdf.Dictionary()


def _key(obj: Any) -> tuple[int, int] | int:
    return obj.objgen if obj.is_indirect else id(obj)


def drawings(pdf: pikepdf.Pdf) -> Iterator[Drawing]:
    """Each content stream once, in page order, nested forms and patterns after the stream using them."""
    seen: set[tuple[int, int] | int] = set()

    def inner(page: int, resources: pikepdf.Dictionary) -> Iterator[Drawing]:
        for xobject in _dict(resources.get("/XObject")).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form" and _key(xobject) not in seen:
                seen.add(_key(xobject))
                own = _dict(xobject.get("/Resources", resources))
                yield Drawing(page, xobject, own, "form")
                yield from inner(page, own)
        for pattern in _dict(resources.get("/Pattern")).values():
            if isinstance(pattern, pikepdf.Stream) and pattern.get("/PatternType") == 1 and _key(pattern) not in seen:
                seen.add(_key(pattern))
                own = _dict(pattern.get("/Resources"))
                yield Drawing(page, pattern, own, "pattern")
                yield from inner(page, own)

    for number, page in enumerate(pdf.pages, start=1):
        resources = _dict(page.obj.get("/Resources"))
        yield Drawing(number, page, resources, "page")
        yield from inner(number, resources)
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            for appearance in _dict(annot.get("/AP")).values():
                states = [appearance] if isinstance(appearance, pikepdf.Stream) else list(_dict(appearance).values())
                for stream in states:
                    if isinstance(stream, pikepdf.Stream) and _key(stream) not in seen:
                        seen.add(_key(stream))
                        own = _dict(stream.get("/Resources"))
                        yield Drawing(number, stream, own, "appearance")
                        yield from inner(number, own)


def images(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, pikepdf.Stream]]:
    """Each image XObject once: (page, resource name, image), including those inside forms and patterns."""
    seen: set[tuple[int, int] | int] = set()
    for drawing in drawings(pdf):
        for name, xobject in _dict(drawing.resources.get("/XObject")).items():
            if (
                isinstance(xobject, pikepdf.Stream)
                and xobject.get("/Subtype") == "/Image"
                and _key(xobject) not in seen
            ):
                seen.add(_key(xobject))
                yield drawing.page, name, xobject
                mask = xobject.get("/SMask")
                if isinstance(mask, pikepdf.Stream) and _key(mask) not in seen:
                    seen.add(_key(mask))
                    yield drawing.page, f"{name} (soft mask)", mask
