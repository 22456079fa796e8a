"""Hostile layout overrides: URLs that lead outside in every edition's stylesheets and templates, files
that are missing, broken CSS, Jinja errors, layout files that are folders or links. Same shape as cases.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hostile.cases import MINIMAL_PNG, Case, text
from hostile.cases import SWEDISH as _SWEDISH
from pipeline.resources import bundled

OUTSIDE = "nothing is fetched"


def override(name: str, body: str | None = None, edit: tuple[str, str] | None = None) -> Callable[[Path], None]:
    """A publication whose own layouts/<name> is ``body``, or the bundled file with ``edit`` (old, new) made."""

    def write(folder: Path) -> None:
        text(_SWEDISH)(folder)
        path = folder / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if body is not None:
            path.write_text(body, encoding="utf-8")
        else:
            assert edit is not None
            original = (bundled("layouts") / name).read_text(encoding="utf-8")
            assert edit[0] in original, f"{name} has no {edit[0]!r}"
            path.write_text(original.replace(edit[0], edit[1], 1), encoding="utf-8")

    return write


def into(name: str, after: str, markup: str) -> Callable[[Path], None]:
    """The bundled template ``name`` with ``markup`` written after the first ``after``."""
    return override(name, edit=(after, after + markup))


def css(name: str, rules: str) -> Callable[[Path], None]:
    """The bundled stylesheet ``name`` with ``rules`` added at its end (a file WeasyPrint can otherwise use)."""
    return override(name, (bundled("layouts") / name).read_text(encoding="utf-8") + "\n" + rules + "\n")


def linked(name: str, target: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        text(_SWEDISH)(folder)
        (folder / "layouts" / name).parent.mkdir(parents=True)
        os.symlink(target, folder / "layouts" / name)

    return write


def folder_instead(name: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        text(_SWEDISH)(folder)
        (folder / "layouts" / name).mkdir(parents=True)

    return write


def local_picture(folder: Path) -> None:
    """A logo in the publication's folder, used by the EPUB's and the web page's stylesheets: allowed, inlined."""
    css("epub/epub.css", 'h1::before { content: url("../../logo.png"); }')(folder)
    css("html/standalone.css", "header { background: url(../../logo.png) no-repeat; }")(folder)
    (folder / "logo.png").write_bytes(MINIMAL_PNG)


EPUB, HTML, REVIEW, BROCHURE = ("epub",), ("html",), ("review",), ("brochure",)
STANDALONE = "html/standalone.html.j2"
LAYOUT_CASES: list[Case] = [
    # --- URLs that lead outside, in each edition's stylesheet ---
    Case("epub-css-import-http", css("epub/epub.css", "@import url(http://example.com/t.css);"), "rejected",
         OUTSIDE, "epub.css", EPUB),
    Case("epub-css-file-url", css("epub/epub.css", "body { background: url('file:///etc/passwd'); }"), "rejected",
         OUTSIDE, "epub.css", EPUB),
    Case("epub-css-font-face",
         css("epub/epub.css", "@font-face { font-family: X; src: url(https://example.com/x.woff2); }"),
         "rejected", OUTSIDE, "epub.css", EPUB),
    Case("epub-css-image-set",
         css("epub/epub.css", 'h1 { background-image: image-set("http://example.com/p.png" 1x); }'),
         "rejected", OUTSIDE, "epub.css", EPUB),
    Case("html-css-escaped-url", css("html/standalone.css", "body { background: u\\72 l(http://example.com/p.gif); }"),
         "rejected", OUTSIDE, "standalone.css", HTML),
    Case("review-css-protocol-relative", css("review/review.css", "body { background: url(//example.com/p.gif); }"),
         "rejected", OUTSIDE, "review.css", REVIEW),
    Case("html-css-import-string", css("html/standalone.css", '@import "https://example.com/t.css";'), "rejected",
         OUTSIDE, "standalone.css", HTML),
    # --- and in templates: attributes, inline styles, what an expression writes ---
    Case("html-template-img", into(STANDALONE, "<main>", '<img alt="" src="http://example.com/p.gif">'),
         "rejected", OUTSIDE, "standalone.html.j2:", HTML),
    Case("html-template-srcset",
         into(STANDALONE, "<main>", '<img alt="" src="a.png" srcset="a.png 1x, https://example.com/b.png 2x">'),
         "rejected", OUTSIDE, "standalone.html.j2:", HTML),
    Case("html-template-style-attr", into(STANDALONE, "<main>", '<p style="background: url(http://example.com/p)">'),
         "rejected", OUTSIDE, "standalone.html.j2:", HTML),
    Case("html-template-absolute-path", into(STANDALONE, "<main>", '<img alt="" src="/etc/hostname">'),
         "rejected", OUTSIDE, "standalone.html.j2:", HTML),
    Case("epub-template-link",
         into("epub/chapter.xhtml.j2", 'href="epub.css"/>', '\n<link rel="stylesheet" href="https://example.com/t.css"/>'),
         "rejected", OUTSIDE, "chapter.xhtml.j2:", EPUB),
    Case("review-template-expression",
         into("review/review.html.j2", "<body>", '<img alt="" src="{{ \'http://\' ~ \'example.com/p.gif\' }}">'),
         "rejected", OUTSIDE, "review.html.j2", REVIEW),
    Case("brochure-template-img", into("paged/document.html.j2", "<div class=\"cover-block\">", '<img alt="" src="https://example.com/p">'),
         "rejected", OUTSIDE, "document.html.j2:", BROCHURE),
    # --- missing files, broken CSS, Jinja errors ---
    Case("css-missing-picture", css("brochure/brochure.css", "body { background: url(logga.png); }"), "rejected",
         "does not exist", "brochure.css:", BROCHURE),
    Case("epub-css-missing-import", css("epub/epub.css", '@import "extra.css";'), "rejected",
         "does not exist", "epub.css:", EPUB),
    Case("css-unknown-property", css("brochure/brochure.css", "body { colr: red; }"), "rejected",
         "cannot use all of this stylesheet", "brochure.css:", BROCHURE),
    Case("jinja-syntax-error", into(STANDALONE, "<main>", "{% if %}"), "rejected",
         "template error", "standalone.html.j2:", HTML),
    Case("jinja-undefined-name", into(STANDALONE, "<main>", "{{ logo_url }}"), "rejected",
         "template error", "standalone.html.j2:", HTML),
    Case("jinja-missing-include", into(STANDALONE, "<main>", '{% include "html/missing.j2" %}'),
         "rejected", "template error", "standalone.html.j2", HTML),
    # --- layout files that are not files ---
    Case("layout-is-folder", folder_instead("epub/epub.css"), "rejected", "is a folder", "epub.css", EPUB),
    Case("layout-dangling-link", linked("html/standalone.css", "/nonexistent/standalone.css"), "rejected",
         "does not exist", "standalone.css", HTML),
    Case("layout-link-outside", linked("epub/epub.css", "/etc/passwd"), "rejected", "leads outside", "epub.css", EPUB),
    Case("layout-not-utf8", lambda f: (text(_SWEDISH)(f), (f / "layouts/html").mkdir(parents=True),
                                       (f / "layouts/html/standalone.css").write_bytes(b"p { color: \xe5 }")) and None,
         "rejected", "not UTF-8", "standalone.css", HTML),
    # --- allowed: a picture in the publication's folder is carried inside the EPUB and the page ---
    Case("local-picture-inlined", local_picture, "built", editions=("epub", "html")),
]  # fmt: skip
