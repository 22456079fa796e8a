"""Every refusal of bad input, through the CLI: exit 2 and one line `error: FILE[:LINE]: ...` naming the file.

One row per place the pipeline refuses an input (``grep -rn "PipelineError(" pipeline``): the row makes
the input, runs the command and names the file the error must name. An option error (no file to
name) must still exit 2 without a traceback.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from hostile.cases import MINIMAL_PNG, SWEDISH, TOML
from typer.testing import CliRunner

from pipeline.cli import app

SLUG = "p"


@dataclass(frozen=True)
class Refusal:
    name: str
    make: Callable[[Path], None]  # fills source/p/ (the folder exists; no files yet)
    args: tuple[str, ...]  # the command; "{project}" and "{folder}" are filled in
    names: str  # the file the error names, relative to source/p/ ("" for the folder; None: an option)
    says: str  # a phrase of the message


def files(**contents: str | bytes) -> Callable[[Path], None]:
    """Files for source/p/: keys are names with '/' written as '__' (layouts__brochure__brochure.css)."""

    def make(folder: Path) -> None:
        for key, data in contents.items():
            path = folder / key.replace("__", "/").replace("_dot_", ".")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)

    return make


def plain(**extra: str | bytes) -> Callable[[Path], None]:
    return files(**{"publication_dot_toml": TOML, "text_dot_txt": SWEDISH, **extra})


def docx_that_is_a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    return out.getvalue()


BUILD = ("build", SLUG, "--jobs", "1", "--project", "{project}")
HTML = (*BUILD, "-e", "html")
BROCHURE = (*BUILD, "-e", "brochure")
REFUSALS = [
    # --- the publication and its text ---
    Refusal("unknown-publication", plain(), ("build", "q", "--project", "{project}"), "../q", "no such publication"),
    Refusal("bad-slug", plain(), ("build", "Stora", "--project", "{project}"), "../Stora", "valid publication name"),
    Refusal("no-toml", files(text_dot_txt=SWEDISH), HTML, "publication.toml", "missing"),
    Refusal(
        "toml-syntax",
        files(publication_dot_toml='title = "x\n', text_dot_txt=SWEDISH),
        HTML,
        "publication.toml",
        "TOML",
    ),
    Refusal(
        "toml-bad-date",
        files(publication_dot_toml='title = "T"\ndate = "2024-13-45"\n', text_dot_txt=SWEDISH),
        HTML,
        "publication.toml:2",
        "not a real date",
    ),
    Refusal(
        "toml-bad-size",
        files(publication_dot_toml='title = "T"\n[large_print]\nsize = 17\n', text_dot_txt=SWEDISH),
        HTML,
        "publication.toml:3",
        "large_print.size",
    ),
    Refusal(
        "toml-bad-language",
        files(publication_dot_toml='title = "T"\nlanguage = "svenska på riktigt"\n', text_dot_txt=SWEDISH),
        HTML,
        "publication.toml:2",
        "language",
    ),
    Refusal("no-source", files(publication_dot_toml=TOML), HTML, "", "no text.txt"),
    Refusal("two-sources", plain(text_dot_pdf=b"%PDF-1.4\n%%EOF\n"), HTML, "", "one source text"),
    Refusal("empty-text", files(publication_dot_toml=TOML, text_dot_txt=""), HTML, "text.txt", "has no text"),
    Refusal("nul-bytes", files(publication_dot_toml=TOML, text_dot_txt=b"Vi\x00vill\n"), HTML, "text.txt", "NUL"),
    Refusal("png-as-text", files(publication_dot_toml=TOML, text_dot_txt=MINIMAL_PNG), HTML, "text.txt", "PNG"),
    Refusal(
        "bad-utf16",
        files(publication_dot_toml=TOML, text_dot_txt=b"\xff\xfeV\x00i\x00\x00\xd8"),
        HTML,
        "text.txt",
        "UTF-16",
    ),
    Refusal("too-big", files(publication_dot_toml=TOML, text_dot_txt=b"ord " * (2**19 + 1)), HTML, "text.txt", "MiB"),
    Refusal("long-line", files(publication_dot_toml=TOML, text_dot_txt="ord" * 4000), HTML, "text.txt", "long"),
    Refusal("not-a-pdf", files(publication_dot_toml=TOML, text_dot_pdf=b"hello"), HTML, "text.pdf", "not a PDF"),
    Refusal(
        "truncated-pdf",
        files(publication_dot_toml=TOML, text_dot_pdf=b"%PDF-1.7\n1 0 obj\n<<>>\n"),
        HTML,
        "text.pdf",
        "truncated",
    ),
    Refusal("zip-as-docx", files(publication_dot_toml=TOML, text_dot_docx=docx_that_is_a_zip()), HTML, "text.docx", ""),
    Refusal(
        "markdown-fence",
        files(publication_dot_toml=TOML, text_dot_md="# T\n\n```\nx\n```\n"),
        HTML,
        "text.md:3",
        "dialect",
    ),
    Refusal(
        "glyph-missing", plain(text_dot_txt="Rubrik\nVi vill ha \U00013000 nu.\n"), BROCHURE, "text.txt:2", "glyph"
    ),
    # --- layout overrides ---
    Refusal(
        "css-forbidden-url",
        plain(layouts__epub__epub_dot_css="@import url(http://example.com/a.css);\n"),
        (*BUILD, "-e", "epub"),
        "layouts/epub/epub.css:1:9",
        "nothing is fetched",
    ),
    Refusal(
        "css-missing-file",
        plain(layouts__brochure__brochure_dot_css="body { background: url(logga.png); }\n"),
        BROCHURE,
        "layouts/brochure/brochure.css:1:20",
        "does not exist",
    ),
    Refusal(
        "css-ignored",
        plain(layouts__brochure__brochure_dot_css="body {\n  colr: red;\n}\n"),
        BROCHURE,
        "layouts/brochure/brochure.css:2:3",
        "colr",
    ),
    Refusal(
        "template-syntax",
        plain(layouts__html__standalone_dot_html_dot_j2="<p>\n{% if %}\n"),
        HTML,
        "layouts/html/standalone.html.j2:2",
        "template error",
    ),
    Refusal(
        "template-forbidden-src",
        plain(layouts__html__standalone_dot_html_dot_j2='<html>\n<img alt="" src="https://example.com/p.gif">\n'),
        HTML,
        "layouts/html/standalone.html.j2:2",
        "nothing is fetched",
    ),
    Refusal(
        "layout-not-utf8",
        plain(layouts__html__standalone_dot_css=b"body { color: \xe5; }\n"),
        HTML,
        "layouts/html/standalone.css",
        "UTF-8",
    ),
    # --- other commands ---
    Refusal("normalise-missing", plain(), ("normalise", "{folder}/nope.txt", "--project", "{project}"), "nope.txt", ""),
    Refusal("import-doc", plain(old_dot_doc=b"\xd0\xcf\x11\xe0"), ("import", "{folder}/old.doc"), "old.doc", "kind"),
    Refusal(
        "import-exists",
        plain(),
        ("import", "{folder}/text.txt", "--slug", SLUG, "--title", "T", "--project", "{project}"),
        "",
        "already exists",
    ),
    Refusal(
        "list-invalid",
        files(publication_dot_toml="title = 5\n", text_dot_txt=SWEDISH),
        ("list", "--project", "{project}"),
        "publication.toml",
        "string",
    ),
    Refusal("check-unknown", plain(), ("check", "q", "--project", "{project}"), "../q", "no such publication"),
    # --- options (no file to name) ---
    Refusal("unknown-edition", plain(), (*BUILD, "-e", "poster"), None, "poster"),
    Refusal("bad-large-print-size", plain(), (*BUILD, "--large-print-size", "17"), None, "--large-print-size"),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_bad_input_exits_2_with_one_line_naming_the_file(tmp_path: Path, refusal: Refusal) -> None:
    project = copy_project(tmp_path / "project", ())
    folder = project / "source" / SLUG
    folder.mkdir(parents=True)
    refusal.make(folder)
    args = [a.replace("{project}", str(project)).replace("{folder}", str(folder)) for a in refusal.args]
    result = CliRunner().invoke(app, args)
    output = result.output
    assert result.exit_code == 2, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    assert refusal.says in output, output
    if refusal.names is None:
        return
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, output
    named = (folder / refusal.names) if refusal.names else folder
    where = str(named).replace(f"{folder}/../", f"{project}/source/")
    assert errors[0].startswith(f"error: {where}:") or errors[0].startswith(f"error: {where} "), errors[0]


def test_preview_of_an_unknown_publication(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", ())
    (project / "source").mkdir()
    shutil.copytree(ROOT / "source/ett-gott-liv", project / "source/ett-gott-liv")
    result = CliRunner().invoke(app, ["preview", "ett-got-liv", "--project", str(project)])
    assert result.exit_code == 2 and "Did you mean 'ett-gott-liv'?" in result.output, result.output
