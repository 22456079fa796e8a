"""The URL policy on its own: references found by parsing, the rule, and stylesheets packaged with their files."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hostile.cases import MINIMAL_PNG

from pipeline.errors import PipelineError
from pipeline.resources import bundled
from pipeline.url_policy import (
    Reference,
    Refused,
    check_stylesheet,
    css_references,
    inline_stylesheet,
    layout_references,
    markup_references,
    target,
)

# Stylesheet → the URLs it refers to (line, column), as a browser or WeasyPrint would load them.
CSS_CASES = [
    ("@import url(a.css);", [("a.css", 1, 9)]),
    ('@import "a.css" screen;', [("a.css", 1, 9)]),
    ("p { background: url( 'x.png' ) }", [("x.png", 1, 22)]),
    ("p { background: u\\72 l(x.png) }", [("x.png", 1, 17)]),  # an escaped url( is still url(
    ("p {\n  background-image: image-set('a.png' 1x, url(b.png) 2x) }", [("a.png", 2, 31), ("b.png", 2, 43)]),
    ("@font-face { font-family: F; src: local(F), url(f.woff2) format('woff2') }", [("f.woff2", 1, 45)]),
    ("@namespace epub url(http://www.idpf.org/2007/ops);", []),  # a name, never loaded
    ("/* url(http://example.com/) */ p { content: 'url(x)' }", []),
    ("@media print { @page { background: url(m.png) } }", [("m.png", 1, 36)]),
]


@pytest.mark.parametrize(("css", "expected"), CSS_CASES)
def test_css_references(css: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(r.url, r.line, r.column) for r in css_references(css)] == expected


def test_markup_references() -> None:
    page = (
        "<html>\n<img src='a.png' srcset='b.png 1x, c.png 2x'>\n<p style=\"background: url(d.png)\">\n"
        "<style>\nh1 { background: url(e.png) }</style>\n<a href='#x'>x</a> <p data-x='http://no'>"
    )
    assert [(r.url, r.line) for r in markup_references(page)] == [
        ("a.png", 2), ("b.png", 2), ("c.png", 2), ("d.png", 3), ("e.png", 5), ("#x", 6)
    ]  # fmt: skip


def test_the_rule(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    (layouts / "epub").mkdir(parents=True)
    roots = [layouts, tmp_path / "fonts"]
    base = layouts / "epub"
    assert target("data:image/png;base64,AAAA", base, roots) is None
    assert target("#top", base, roots) is None
    assert target("x.png", base, roots) == (base / "x.png").resolve()
    assert target(f"file://{base}/x.png", base, roots) == (base / "x.png").resolve()
    for url in ("http://example.com/x", "HTTPS://example.com/x", "//example.com/x", "file:///etc/passwd",
                "../../../etc/passwd", "/etc/passwd", "ftp://example.com/x", "javascript:alert(1)"):  # fmt: skip
        with pytest.raises(Refused):
            target(url, base, roots)


def test_a_stylesheet_without_files_is_packaged_as_written() -> None:
    path = bundled("layouts") / "epub/epub.css"
    assert inline_stylesheet(path, [bundled("layouts")]) == path.read_text(encoding="utf-8")


def test_files_a_stylesheet_uses_are_carried_inline(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(MINIMAL_PNG)
    (tmp_path / "more.css").write_text("h1 { background: url(logo.png) }", encoding="utf-8")
    sheet = tmp_path / "epub.css"
    sheet.write_text('@import "more.css";\np { background: url("logo.png") }\n', encoding="utf-8")
    packaged = inline_stylesheet(sheet, [tmp_path])
    png = base64.b64encode(MINIMAL_PNG).decode()
    assert f'url("data:image/png;base64,{png}")' in packaged
    imported = packaged.split('"data:text/css;base64,')[1].split('"')[0]
    assert f"data:image/png;base64,{png}" in base64.b64decode(imported).decode()
    assert [r.url.split(",")[0] for r in css_references(packaged)] == ["data:text/css;base64", "data:image/png;base64"]


def test_a_missing_file_is_named_at_its_line(tmp_path: Path) -> None:
    sheet = tmp_path / "brochure.css"
    sheet.write_text("body {}\nh1 { background: url(logga.png) }\n", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        check_stylesheet(sheet, [tmp_path])
    assert str(caught.value).startswith(f"{sheet}:2:18: refers to 'logga.png', which does not exist")


def test_layout_references_are_parsed_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A layout file's references come from the user's cache the second time; a damaged entry is parsed again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    css = 'body { background: url("a.png"); }\n@import "b.css";\n'
    template = '<p>{{ x }}</p>\n<img src="https://example.org/x.png">\n'
    parsed = layout_references("css", css)
    assert [r.url for r in parsed] == ["a.png", "b.css"] and parsed == css_references(css)
    assert [(r.url, r.line) for r in layout_references("j2", template)] == [("https://example.org/x.png", 2)]
    folder = tmp_path / "partiprogram" / "layout-references"
    assert len(list(folder.iterdir())) == 2
    entry = next(p for p in folder.iterdir() if "a.png" in p.read_text())
    entry.write_text('[["kept.png", 9, 1]]')
    assert layout_references("css", css) == [Reference("kept.png", 9, 1)]  # read back, not parsed again
    for damaged in ("[[1", "[[1, 2, 3]]", '["ab"]', '[["a.png", -1, 0]]', "[" * 100000):
        entry.write_text(damaged)  # not a list of references: parsed again, and stored again
        assert layout_references("css", css) == parsed
        assert "a.png" in entry.read_text()


def test_the_cache_key_names_jinjas_release_without_importing_it() -> None:
    """A no-op build reads every reference from the cache: the key costs it no import of Jinja (20 ms)."""
    import subprocess
    import sys

    from pipeline.url_policy import _module_digest

    code = "import sys; from pipeline.url_policy import _parsers; key = _parsers(); print('jinja2' in sys.modules, key)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, key = done.stdout.split(" ", 1)
    assert imported == "False" and f"jinja2 {_module_digest('jinja2')}" in key
    assert _module_digest("jinja2") != _module_digest("tinycss2") and len(_module_digest("jinja2")) == 16
    assert _module_digest("no_such_parser_here") == "not found"
