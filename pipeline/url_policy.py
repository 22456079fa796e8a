"""The one rule for what a layout may refer to: ``data:`` URLs and files in layouts/, fonts/ and the publication.

Every edition applies it: the build checks each stylesheet and template an edition uses before it
renders (``check_layout``), WeasyPrint's fetcher asks it for every file (``local_file``), the pages and
packages the HTML, review and EPUB editions write are checked once more as written (``check_markup``),
and the stylesheets they carry have their files inlined as ``data:`` URLs (``inline_stylesheet``), so
nothing in an output points at a network or at the machine it was made on.

References are found by parsing, never by pattern: CSS with tinycss2 (``@import``, ``url()``, the
``src`` of ``@font-face``, ``image-set()``), markup with the standard library's HTML parser
(``src``, ``href``, ``srcset``, ``style`` and the other attributes that load something).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import mimetypes
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from tinycss2 import ast

from pipeline.errors import PipelineError
from pipeline.resources import font_dirs, layout_dirs
from pipeline.user_cache import cache_dir, write_atomically

# CSS functions whose string arguments are URLs (besides url() itself).
IMAGE_FUNCTIONS = frozenset({"image-set", "-webkit-image-set", "image"})
# Markup attributes that name something a browser or reading system loads or links to.
URL_ATTRIBUTES = frozenset(
    {"src", "href", "srcset", "poster", "data", "background", "action", "formaction", "xlink:href", "manifest"}
)
BLOCKS = (ast.CurlyBracketsBlock, ast.ParenthesesBlock, ast.SquareBracketsBlock)
REMEDY = "Copy the resource into the publication's folder and refer to it by a relative path."


@dataclass(frozen=True)
class Reference:
    """A URL as written in a layout file, with where it stands (1-based line and column)."""

    url: str
    line: int
    column: int = 0


class Refused(Exception):
    """A URL the policy does not allow; ``reason`` completes the sentence 'refers to URL, which ...'."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url)
        self.url = url
        self.reason = reason


OUTSIDE = (
    "is neither a data: URL nor a file in layouts/, fonts/ or the publication's folder; nothing is fetched from outside"
)


def allowed_roots(project: Path, publication_folder: Path) -> list[Path]:
    """The folders whose files a layout may use: the layout search path, fonts/ (the project's, and the
    package's that it overlays) and the publication's folder."""
    return [*layout_dirs(project, publication_folder), *font_dirs(project), publication_folder]


def _inside(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def target(url: str, base: Path, roots: list[Path]) -> Path | None:
    """The file ``url`` (written in a file in ``base``) names, or None when it loads nothing from anywhere.

    ``data:`` URLs and bare fragments are allowed; a relative path or a ``file:`` URL must lead to a
    file inside ``roots``; every other scheme, host or absolute path is refused.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "data" or (not scheme and not parts.netloc and not parts.path):
        return None
    if scheme == "file" and parts.netloc in ("", "localhost"):
        from urllib.request import url2pathname  # here: urllib.request costs a no-op build 14 ms

        path = Path(url2pathname(unquote(parts.path)))
    elif scheme or parts.netloc:
        raise Refused(url, OUTSIDE)
    else:
        path = base / unquote(parts.path)
    if not _inside(path, roots):
        raise Refused(url, OUTSIDE)
    return path.resolve()


def local_file(url: str, roots: list[Path]) -> Path | None:
    """For WeasyPrint's fetcher: the allowed file of an absolute URL, None for ``data:``; else Refused."""
    return target(url, Path("/"), roots)


def _markup_target(ref: Reference) -> None:
    """A link in markup (also CSS inside a page): ``data:``, a fragment, or a relative path that stays
    among the edition's own files (the EPUB's, the page's folder; WeasyPrint's fetcher then holds a PDF's
    to ``target``'s rule)."""
    parts = urlsplit(ref.url.strip())
    if parts.scheme.lower() == "data" or not (parts.scheme or parts.netloc or parts.path):
        return
    climbs = os.path.normpath(parts.path or ".").startswith("..")
    if parts.scheme or parts.netloc or parts.path.startswith("/") or climbs:
        raise Refused(ref.url, OUTSIDE)


# --- finding references -------------------------------------------------------------------------


def _walk(nodes: list[ast.Node] | None) -> Iterator[ast.Node]:
    for node in nodes or []:
        yield node
        if isinstance(node, ast.AtRule):
            if node.lower_at_keyword != "namespace":  # a namespace's URL is a name, never loaded
                yield from _walk(node.prelude)
            yield from _walk(node.content)
        elif isinstance(node, ast.QualifiedRule):
            yield from _walk(node.prelude)
            yield from _walk(node.content)
        elif isinstance(node, ast.FunctionBlock):
            yield from _walk(node.arguments)
        elif isinstance(node, BLOCKS):
            yield from _walk(node.content)


def _url_tokens(nodes: list[ast.Node]) -> Iterator[ast.URLToken | ast.StringToken]:
    """Every token that holds a URL: url(x), url("x"), @import "x", the strings of image-set()."""
    for node in _walk(nodes):
        if isinstance(node, ast.URLToken):
            yield node
        elif isinstance(node, ast.FunctionBlock) and node.lower_name in ("url", *IMAGE_FUNCTIONS):
            yield from (a for a in node.arguments if isinstance(a, ast.StringToken))
        elif isinstance(node, ast.AtRule) and node.lower_at_keyword == "import":
            first = next((t for t in node.prelude if not isinstance(t, (ast.WhitespaceToken, ast.Comment))), None)
            if isinstance(first, ast.StringToken):
                yield first


def _parse_css(text: str) -> list[ast.Node]:
    return tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)


def css_references(text: str, line: int = 1, column: int = 1, attribute: bool = False) -> list[Reference]:
    """The URLs a stylesheet (or, ``attribute``, a style attribute at ``line``, ``column``) refers to."""
    out = []
    nodes = tinycss2.parse_component_value_list(text) if attribute else _parse_css(text)
    for token in _url_tokens(nodes):
        col = token.source_column + (column - 1 if token.source_line == 1 else 0)
        out.append(Reference(token.value, line - 1 + token.source_line, col))
    return out


class _MarkupReferences(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Reference] = []
        self._style_at: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                self.found += css_references(value, line, column + 1, attribute=True)
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.split():
                        self.found.append(Reference(candidate.split()[0], line, column + 1))
            elif name in URL_ATTRIBUTES:
                self.found.append(Reference(value, line, column + 1))
        self._style_at = (line, column) if tag == "style" else None

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self._style_at is not None:
            line, _ = self.getpos()
            self.found += css_references(data, line)

    def handle_endtag(self, tag: str) -> None:
        self._style_at = None


def markup_references(text: str) -> list[Reference]:
    """The URLs an HTML, XHTML or SVG text refers to: its attributes, style attributes and style elements."""
    parser = _MarkupReferences()
    parser.feed(text)
    parser.close()
    return parser.found


def _without_jinja(source: str) -> str:
    """A template's markup with its Jinja expressions, statements and comments blanked (lines kept).

    What an expression writes is only known once rendered; the edition's output is checked then.
    """
    from jinja2 import Environment, TemplateSyntaxError

    out = []
    try:
        for _line, kind, value in Environment().lexer.tokeniter(source, None):  # the layouts' delimiters
            out.append(value if kind == "data" else "\n" * value.count("\n") + " ")
    except TemplateSyntaxError:
        return ""  # rendering it reports the error, with its line
    return "".join(out)


# --- checking and packaging ------------------------------------------------------------------------


def refused(ref: Reference, file: Path, reason: str, hint: str = REMEDY) -> PipelineError:
    line, column = ref.line or None, ref.column or None
    return PipelineError(f"refers to {ref.url!r}, which {reason}.", file, line, column, hint=hint)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"is not UTF-8 (byte {exc.start}).", path, hint="Save the layout file as UTF-8.") from None
    except OSError as exc:
        raise PipelineError(f"cannot be read: {exc.strerror}.", path, hint="Make the layout file readable.") from None


def layout_references(kind: str, text: str) -> list[Reference]:
    """The references of a layout stylesheet (``kind`` "css") or template ("j2"), parsed once per text.

    They depend on the text and the parsers alone (this module, tinycss2, Jinja's lexer, Python's
    HTML parser), so they are kept in the user's cache, keyed by all of them: a build that finds
    every layout file unchanged reads them instead of parsing every stylesheet and template again
    (most of a no-op build's time). What they point at is judged on every build, and every output
    is checked again as written (``check_markup``, ``inline_stylesheet``, the renderers' fetcher).
    An entry that is not a list of references is parsed again.
    """
    path = cache_dir() / "layout-references" / f"{_cache_key(kind, text)}.json"
    try:
        cached = _references_from(json.loads(path.read_bytes()))
    except (OSError, ValueError, RecursionError):  # not cached yet, or damaged: parse again
        cached = None
    if cached is not None:
        return cached
    refs = css_references(text) if kind == "css" else markup_references(_without_jinja(text))
    write_atomically(path, json.dumps([[r.url, r.line, r.column] for r in refs]).encode())
    return refs


def _references_from(data: object) -> list[Reference] | None:
    """The references a cache entry holds; None unless it is a list of [url, line, column]."""
    if not isinstance(data, list):
        return None
    out = []
    for item in data:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and all(type(n) is int and n >= 0 for n in item[1:])
        ):
            return None
        out.append(Reference(*item))
    return out


@functools.cache
def _parsers() -> str:
    """What the parsed references depend on besides the text: this module and the parsers' versions."""
    try:
        here = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:  # installed without its source: the package's version stands for it
        from importlib.metadata import version

        here = version("partiprogram-pipeline")
    return f"{here} python {sys.version} tinycss2 {tinycss2.__version__} jinja2 {_module_digest('jinja2')}"


def _module_digest(name: str) -> str:
    """A package's release, without importing it (Jinja's import is 20 ms of a 250 ms no-op build): the
    hash of its ``__init__.py``, which names its version."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    try:
        return hashlib.sha256(Path(str(spec.origin if spec else "")).read_bytes()).hexdigest()[:16]
    except OSError:
        return "not found"


def _cache_key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{_parsers()}\0{kind}\0{text}".encode()).hexdigest()


def check_stylesheet(path: Path, roots: list[Path], seen: frozenset[Path] = frozenset()) -> list[Path]:
    """Check every URL of a stylesheet (and of those it imports); the files it uses, in order."""
    files: list[Path] = []
    for ref in layout_references("css", _read_text(path)):
        try:
            found = target(ref.url, path.parent, roots)
        except Refused as exc:
            raise refused(ref, path, exc.reason) from None
        if found is None:
            continue
        if not found.is_file():
            raise refused(ref, path, f"does not exist ({found})", "Put the file there, or remove the reference.")
        files.append(found)
        if found.suffix.lower() == ".css" and found not in seen:
            files += check_stylesheet(found, roots, seen | {path.resolve()})
    return files


def check_markup(text: str, file: Path, lines: bool = True) -> None:
    """Check the URLs of a template, or (``lines=False``) of the markup an edition made from ``file``."""
    _check_markup_references(markup_references(text), file, lines)


def _check_markup_references(refs: list[Reference], file: Path, lines: bool = True) -> None:
    for ref in refs:
        try:
            _markup_target(ref)
        except Refused as exc:
            where = ref if lines else Reference(ref.url, 0)
            raise refused(where, file, exc.reason) from None


def check_layout(path: Path, roots: list[Path]) -> None:
    """Check one layout file of the search path: it is a file inside the roots, and what it refers to is allowed."""
    if path.is_dir():
        problem = "is a folder where a layout file belongs."
    elif not path.exists():
        problem = f"is a link to {os.readlink(path)}, which does not exist."
    elif not _inside(path, roots):
        problem = f"leads outside the layout folders (to {path.resolve()})."
    else:
        problem = ""
    if problem:
        raise PipelineError(problem, path, hint="Put the layout file itself in the publication's layouts/ folder.")
    if path.suffix == ".css":
        check_stylesheet(path, roots)
    elif path.suffix == ".j2":
        _check_markup_references(layout_references("j2", _read_text(path)), path)


def _data_url(path: Path, roots: list[Path]) -> str:
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    data = inline_stylesheet(path, roots).encode() if path.suffix.lower() == ".css" else path.read_bytes()
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def inline_stylesheet(path: Path, roots: list[Path]) -> str:
    """A stylesheet to package in an edition: checked, with each file it uses inlined as a ``data:`` URL.

    A stylesheet that uses no files is returned as written.
    """
    check_stylesheet(path, roots)
    text = _read_text(path)
    rules = _parse_css(text)
    changed = False
    for token in _url_tokens(rules):
        found = target(token.value, path.parent, roots)
        if found is not None:
            url = _data_url(found, roots)
            token.representation = f'url("{url}")' if isinstance(token, ast.URLToken) else f'"{url}"'
            changed = True
    return tinycss2.serialize(rules) if changed else text
