"""The bad and hostile input corpus: each case writes one publication and says what must happen.

Large inputs (50 MB, a 1 MB line, 10 000 paragraphs) are generated here rather than committed.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOML = 'title = "Testprogram"\n'
SWEDISH = "Vi vill att vården ska vara jämlik och trygg för alla.\nÅtgärder behövs i hela länet.\n"
MINIMAL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], None]  # fills source/<name>/ (the folder exists)
    expect: str  # "built" or "rejected"
    message: str = ""  # for rejections: a phrase the one-paragraph error must contain
    names_file: str = ""  # for rejections: the file the error must name
    editions: tuple[str, ...] = ("html", "epub", "brochure")
    code: int = 2  # for rejections: the exit code, 2 for bad input (a layout override too), 1 for a failed render


def text(data: bytes | str, toml: str = TOML) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / "publication.toml").write_text(toml, encoding="utf-8")
        (folder / "text.txt").write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return write


def toml_only(toml: str) -> Callable[[Path], None]:
    return text(SWEDISH, toml)


def with_css(css: str) -> Callable[[Path], None]:
    """A publication whose own layouts/ override the brochure stylesheet."""

    def write(folder: Path) -> None:
        text(SWEDISH)(folder)
        (folder / "layouts/brochure").mkdir(parents=True)
        (folder / "layouts/brochure/brochure.css").write_text(css, encoding="utf-8")

    return write


def with_template(body: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        text(SWEDISH)(folder)
        (folder / "layouts/html").mkdir(parents=True)
        (folder / "layouts/html/standalone.html.j2").write_text(body, encoding="utf-8")

    return write


def symlinked_text(target: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / "publication.toml").write_text(TOML, encoding="utf-8")
        os.symlink(target, folder / "text.txt")

    return write


def text_is_directory(folder: Path) -> None:
    (folder / "publication.toml").write_text(TOML, encoding="utf-8")
    (folder / "text.txt").mkdir()


def big_text(folder: Path) -> None:
    (folder / "publication.toml").write_text(TOML, encoding="utf-8")
    line = ("Vi vill att vården ska fungera för alla i hela regionen och i varje kommun. " * 2).encode() + b"\n"
    with open(folder / "text.txt", "wb") as fh:
        for _ in range((50 * 2**20) // len(line) + 1):
            fh.write(line)


def many_paragraphs(folder: Path) -> None:
    text("Programmet\n\n" + "\n\n".join(f"Punkt {n} gäller." for n in range(10_000)) + "\n")(folder)


CASES: list[Case] = [
    # --- encodings and bytes ---
    Case("empty", text(b""), "rejected", "has no text", "text.txt"),
    Case("only-whitespace", text(" \n\t\n   \n\n"), "rejected", "has no text", "text.txt"),
    Case("png", text(MINIMAL_PNG), "rejected", "PNG image", "text.txt"),
    Case("pdf", text(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "rejected", "PDF file", "text.txt"),
    Case("nul-bytes", text(b"Vi vill\x00 mer\n"), "rejected", "NUL bytes", "text.txt"),
    Case("invalid-utf8", text(b"V\xe5rt program\n\nVi vill ha en b\xe4ttre v\xe5rd \xff f\xf6r alla.\n"), "built"),
    Case("utf16-le-bom", text(codecs.BOM_UTF16_LE + SWEDISH.encode("utf-16-le")), "built"),
    Case("utf16-be-bom", text(codecs.BOM_UTF16_BE + SWEDISH.encode("utf-16-be")), "built"),
    Case("utf16-le-no-bom", text(SWEDISH.encode("utf-16-le")), "built"),
    Case("utf8-bom", text(codecs.BOM_UTF8 + SWEDISH.encode()), "built"),
    Case("cp1252", text("Vi säger \u201dnej\u201d till köer \u2013 och ja till vård.\n".encode("cp1252")), "built"),
    Case("latin1", text("Åtgärder för äldre och öppna mottagningar.\n".encode("latin-1")), "built"),
    Case("crlf", text(SWEDISH.replace("\n", "\r\n")), "built"),
    Case("lone-cr", text(SWEDISH.replace("\n", "\r")), "built"),
    Case("form-feeds", text("Rubrik\nVi vill mer.\n\fNy sida med mer text.\n"), "built"),
    # --- sizes and shapes ---
    Case("50-mb", big_text, "rejected", "MiB", "text.txt", ("html",)),
    Case("1-mb-line", text("ord " * 262_144), "rejected", "characters long", "text.txt"),
    Case(
        "300-char-word",
        text("Rubrik\nVi vill " + "å" * 300 + " och mer.\n"),
        "built",
        editions=("html", "epub", "brochure", "large-print"),
    ),
    Case("only-headings", text("Rubrik ett\nRubrik två\nRubrik tre\n"), "built"),
    Case("one-paragraph", text("Vi vill att alla ska ha rätt till vård.\n"), "built"),
    Case("10000-paragraphs", many_paragraphs, "built", editions=("html", "epub")),
    # --- markup and template syntax in text and metadata ---
    Case(
        "html-in-text",
        text('Rubrik\n<script>alert("x")</script> <b>fet</b> &amp; <img src=x onerror=alert(1)>\n'),
        "built",
    ),
    Case("jinja-in-text", text("Rubrik\n{{ 7*7 }} {% for x in y %}loop{% endfor %} {# kommentar #}\n"), "built"),
    Case(
        "jinja-in-metadata",
        toml_only('title = "{{ config.__class__ }} {% raw %}x"\norganisation = "{{ 7*7 }}"\n'),
        "built",
    ),
    Case(
        "template-escape-attempt",
        with_template("{{ meta.__class__.__init__.__globals__ }}"),
        "rejected",
        "unsafe",
        "standalone.html.j2",
        ("html",),
    ),
    Case(
        "markdown-code-fence",
        lambda f: (
            (
                (f / "publication.toml").write_text(TOML, encoding="utf-8"),
                (f / "text.md").write_text("# Titel\n\n```\nkod\n```\n", encoding="utf-8"),
            )
            and None
        ),
        "rejected",
        "not part of the programme dialect",
        "text.md",
    ),
    # --- invisible and control characters ---
    Case("bidi-overrides", text("Rubrik\nVi vill \u202eroc\u202c mer \u2066x\u2069.\n"), "built"),
    Case("zero-width", text("Rubrik\nVi\u200b vill\u200d mer\ufeff.\n"), "built"),
    Case("control-chars", text("Rubrik\nVi \x07vill\x1b mer\x7f.\n"), "built"),
    # --- publication.toml ---
    Case("toml-syntax-error", toml_only('title = "Testprogram\n'), "rejected", "not valid TOML", "publication.toml"),
    Case("toml-wrong-type", toml_only("title = 5\n"), "rejected", "must be a string", "publication.toml"),
    Case(
        "toml-unknown-key",
        toml_only('title = "T"\ncolour = "#ffffff"\n'),
        "rejected",
        "unknown key",
        "publication.toml",
    ),
    Case("toml-missing-title", toml_only('subtitle = "S"\n'), "rejected", "'title' is missing", "publication.toml"),
    Case(
        "toml-bad-colour",
        toml_only('title = "T"\ntheme_colour = "blue"\n'),
        "rejected",
        "theme_colour",
        "publication.toml",
    ),
    Case(
        "toml-bad-paper",
        toml_only('title = "T"\n[brochure]\npaper = "Letter"\n'),
        "rejected",
        "brochure.paper",
        "publication.toml",
    ),
    Case(
        "toml-low-contrast",
        toml_only('title = "T"\n[large_print]\ntext_colour = "#777777"\n'),
        "rejected",
        "7:1",
        "publication.toml",
    ),
    Case("toml-bidi-title", toml_only('title = "T\u202eevil"\n'), "rejected", "bidi", "publication.toml"),
    Case(
        "toml-not-utf8",
        lambda f: (
            ((f / "publication.toml").write_bytes(b'title = "\xe5r"\n'), (f / "text.txt").write_text(SWEDISH)) and None
        ),
        "rejected",
        "not UTF-8",
        "publication.toml",
    ),
    # --- paths ---
    Case("text-symlink-outside", symlinked_text("/etc/passwd"), "rejected", "leads outside", "text.txt"),
    Case("text-dangling-symlink", symlinked_text("/nonexistent/text.txt"), "rejected", "no text.txt", ""),
    Case("text-is-directory", text_is_directory, "rejected", "no text.txt", ""),
    # --- remote and local resources ---
    Case(
        "css-http-image",
        with_css('body { background: url("http://example.com/x.png"); }'),
        "rejected",
        "nothing is fetched",
        "",
        ("brochure",),
    ),
    Case(
        "css-https-font",
        with_css('@font-face { font-family: X; src: url("https://example.com/x.woff2"); } body { font-family: X; }'),
        "rejected",
        "nothing is fetched",
        "",
        ("brochure",),
    ),
    Case(
        "css-file-passwd",
        with_css('body { background: url("file:///etc/passwd"); }'),
        "rejected",
        "nothing is fetched",
        "",
        ("brochure",),
    ),
    Case(
        "css-relative-escape",
        with_css('body { background: url("../../../../../../etc/hostname"); }'),
        "rejected",
        "nothing is fetched",
        "",
        ("brochure",),
    ),
    Case(
        "metadata-urls",
        toml_only('title = "T"\ncontact = ["https://example.com", "file:///etc/passwd"]\n'),
        "built",
        editions=("html", "epub", "brochure"),
    ),
]
