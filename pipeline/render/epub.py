"""HTML chapters + package metadata → an EPUB 3 through ebooklib, then a reproducible zip."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.languages import direction, ui_words
from pipeline.normalise.measure import width
from pipeline.render.context import RenderContext, build_datetime
from pipeline.render.epub_fonts import cover_fonts, font_css, script_families
from pipeline.render.html import environment, render_checked
from pipeline.render.outline import Outline, Section, build_outline
from pipeline.render.pagination import body_words, read_page_map
from pipeline.resources import fonts_dir, layout_file
from pipeline.url_policy import allowed_roots, inline_stylesheet

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass
class NavEntry:
    href: str
    label: str
    children: list[NavEntry] = field(default_factory=list)


@dataclass
class Chapter:
    file_name: str
    title: str
    section: Section | None  # None: the title page with the introduction


def plan_chapters(outline: Outline) -> list[Chapter]:
    """One file for the title page and introduction, then one per part (or per section without parts)."""
    chapters = [Chapter("title.xhtml", "", None)]  # titled with publication.toml's title
    for n, section in enumerate(outline.sections, start=1):
        chapters.append(Chapter(f"chapter-{n:02d}.xhtml", section.label, section))
    return chapters


def nav_entries(outline: Outline, chapters: list[Chapter], title: str) -> list[NavEntry]:
    """The full table of contents: the title, then every part and section, nested as in the model."""

    def entry(section: Section, file_name: str) -> NavEntry:
        return NavEntry(f"{file_name}#{section.id}", section.label, [entry(c, file_name) for c in section.children])

    out = [NavEntry(f"title.xhtml#{_title_id(outline)}", title)]
    out += [entry(ch.section, ch.file_name) for ch in chapters if ch.section is not None]
    return out


def _title_id(outline: Outline) -> str:
    return outline.title.attr.id if outline.title and outline.title.attr.id else "title"


def page_break_source(ctx: RenderContext) -> str:
    """The brochure the page numbers come from: a name that tells it from the other editions, as the
    DAISY Knowledge Base advises for a source without an ISBN (title, publisher, edition, date)."""
    meta = ctx.doc.meta
    parts = [meta.title, meta.organisation, f"broschyrutgåva {ctx.config.brochure.paper}", meta.date]
    return ", ".join(p for p in parts if p)


def title_lines(title: str, max_width: int = 1100 * 1000 // 130) -> list[str]:
    """Break the cover title into lines that fit the SVG cover (widths in thousandths of an em)."""
    lines: list[str] = []
    for word in title.split():
        if lines and width(f"{lines[-1]} {word}") * 1.08 <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _render(env: Any, name: str, **context: Any) -> bytes:
    return render_checked(env, name, **context).lstrip().encode("utf-8")


def build_book(ctx: RenderContext) -> Any:
    from ebooklib import epub

    doc, meta = ctx.doc, ctx.doc.meta
    outline = build_outline(doc)
    env = environment(ctx.project, ctx.publication_folder, meta.language)
    title = meta.title  # publication.toml's, as on every edition's cover
    brochure = read_page_map(ctx)  # the brochure's pages, marked in the text and listed in the nav
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(title)
    book.set_language(meta.language)
    ui = ui_words(meta.language)
    if direction(meta.language) == "rtl":
        book.set_direction("rtl")  # the spine's page-progression-direction: pages turn to the left
    if meta.organisation:
        book.add_author(meta.organisation)
        book.add_metadata("DC", "publisher", meta.organisation)
    if meta.date:
        book.add_metadata("DC", "date", meta.date)
    book.add_metadata("DC", "description", ui["epub_description"].format(title=meta.title))
    page_features = (
        [
            ("schema:accessibilityFeature", "pageBreakMarkers"),
            ("schema:accessibilityFeature", "pageNavigation"),
            ("pageBreakSource", page_break_source(ctx)),
        ]
        if brochure
        else []
    )
    summary = ui["accessibility_summary"] + (f" {ui['pages_summary']}" if brochure else "")
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "alternativeText"),
        ("schema:accessibilityFeature", "displayTransformability"),
        *page_features,
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", CONFORMS_TO),
        ("a11y:certifiedBy", "partiprogram-pipeline (epubcheck och Ace by DAISY)"),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})

    fonts = fonts_dir(ctx.project)
    scripts = script_families(fonts, doc)
    for uid, name in (("css", "epub.css"), *((("css-rtl", "rtl.css"),) if direction(meta.language) == "rtl" else ())):
        css_path = layout_file(ctx.project, ctx.publication_folder, f"epub/{name}")
        css = inline_stylesheet(css_path, allowed_roots(ctx.project, ctx.publication_folder))
        if uid == "css" and scripts:
            note = "/* The fonts of the scripts other than Latin the text uses (epub_fonts.py). */"
            css = f"{css.rstrip()}\n\n{note}\n{font_css(scripts)}\n"
        book.add_item(epub.EpubItem(uid=uid, file_name=name, media_type="text/css", content=css.encode()))
    for family in scripts:
        for n, font in enumerate(family.files):
            uid = f"font-{family.script.lower()}-{n}"
            data = font.path.read_bytes()
            book.add_item(epub.EpubItem(uid=uid, file_name=font.href, media_type="font/ttf", content=data))

    cover_alt = f"{ui['cover']}: {title}" + (f", {meta.organisation}" if meta.organisation else "")
    lines = title_lines(title)
    cover_text = {700: meta.organisation, 800: title, 400: meta.subtitle}
    cover_css, cover_families = cover_fonts(fonts, {w: t for w, t in cover_text.items() if t})
    cover_svg = epub.EpubItem(
        uid="cover-img",
        file_name="cover.svg",
        media_type="image/svg+xml",
        content=_render(
            env,
            "epub/cover.svg.j2",
            meta=meta,
            cover_alt=cover_alt,
            title_lines=lines,
            title_top=1700 - 150 * len(lines),
            cover_font_css=cover_css,
            font_family=", ".join([*(f"'{f}'" for f in cover_families), "sans-serif"]),
        ),
    )
    cover_svg.properties = ["cover-image"]
    book.add_item(cover_svg)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
    chapters = plan_chapters(outline)
    documents = [("cover.xhtml", _render(env, "epub/cover.xhtml.j2", meta=meta, cover_alt=cover_alt))]
    for ch in chapters:
        context = dict(
            meta=meta,
            outline=outline,
            page_title=ch.title or meta.title,
            level_offset=1,
            title_page=ch.section is None,
            chapter=ch.section,
            title_id=_title_id(outline),
        )
        documents.append((ch.file_name, _render(env, "epub/chapter.xhtml.j2", **context)))
    page_list: list[tuple[str, str]] = []
    if brochure:
        from pipeline.render.pagebreaks import mark_pages

        contents, page_list = mark_pages(documents, body_words(doc), brochure["starts"])
        documents = [(name, content) for (name, _old), content in zip(documents, contents, strict=True)]
    cover, *items = (
        epub.EpubItem(uid=Path(name).stem, file_name=name, media_type="application/xhtml+xml", content=content)
        for name, content in documents
    )
    entries = nav_entries(outline, chapters, title)
    nav = epub.EpubItem(
        uid="nav",
        file_name="nav.xhtml",
        media_type="application/xhtml+xml",
        content=_render(
            env, "epub/nav.xhtml.j2", meta=meta, toc=entries, bodymatter="title.xhtml", page_list=page_list
        ),
    )
    nav.properties = ["nav"]
    for item in (cover, nav, *items):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = [_ncx_entry(e, epub) for e in entries]
    book.spine = [cover, nav, *items]
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": ui["cover"]},
        {"type": "toc", "href": "nav.xhtml", "title": ui["contents"]},
        {"type": "text", "href": "title.xhtml", "title": ui["bodymatter"]},
    ]
    return book


def _ncx_entry(entry: NavEntry, epub: Any) -> Any:
    link = epub.Link(entry.href, entry.label, entry.href.replace("#", "-").replace(".", "-"))
    if entry.children:
        return (epub.Section(entry.label, entry.href), [_ncx_entry(c, epub) for c in entry.children])
    return link


def reproducible_zip(data: bytes, language: str, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite ebooklib's zip: mimetype first and stored, fixed timestamps, and xml:lang on <package>."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        ordered = ["mimetype", *[n for n in names if n != "mimetype"]]
        for name in ordered:
            content = src.read(name)
            if name.endswith(".opf"):
                content = content.replace(b"<package ", f'<package xml:lang="{language}" '.encode(), 1)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, content, compresslevel=9 if name != "mimetype" else None)
    return out.getvalue()


def render_epub(ctx: RenderContext) -> dict[str, Any]:
    from ebooklib import epub

    book = build_book(ctx)
    when = build_datetime(ctx.config)
    buffer = io.BytesIO()
    epub.write_epub(
        buffer,
        book,
        {"epub3_pages": False, "epub3_landmark": False, "raise_exceptions": True, "mtime": when, "epub2_guide": True},
    )
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    ctx.target.write_bytes(reproducible_zip(buffer.getvalue(), ctx.doc.meta.language, stamp))
    return {"pages": 0}
