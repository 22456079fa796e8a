"""The bad and hostile input corpus: each case writes one publication and says what must happen.

Large inputs (50 MB, a 1 MB line, 10 000 paragraphs) are generated here rather than committed.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
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
    words: str = ""  # for builds: words every edition's text must hold, in this order (å, ä, ö read right)
    bound: int = 0  # seconds: an enormous input, built in a subprocess that is killed after this long (a hang)

    def __post_init__(self) -> None:
        if not (isinstance(self.message, str) and isinstance(self.names_file, str)):
            raise TypeError(f"case {self.name}: message and names_file are text; give editions as editions=(...)")

    def add_to(self, project: Path) -> Path:
        """Write the case's publication into the project's source/; its folder."""
        folder = project / "source" / self.name
        folder.mkdir(parents=True)
        self.write(folder)
        return folder

    def build_command(self, project: Path, jobs: int) -> list[str]:
        """`pipeline build` of this case's editions, as a process of its own."""
        editions = [arg for edition in self.editions for arg in ("-e", edition)]
        return [
            sys.executable,
            "-m",
            "pipeline",
            "build",
            self.name,
            "--jobs",
            str(jobs),
            "--project",
            str(project),
            *editions,
        ]


def text(data: bytes | str, toml: str = TOML) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / "publication.toml").write_text(toml, encoding="utf-8")
        (folder / "text.txt").write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return write


def markdown(body: str) -> Callable[[Path], None]:
    """A publication whose text is an editor's text.md."""

    def write(folder: Path) -> None:
        (folder / "publication.toml").write_text(TOML, encoding="utf-8")
        (folder / "text.md").write_text(body, encoding="utf-8")

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


# Swedish with every letter the encodings can get wrong, and the words the editions must show.
SVENSKA = "Vårt program\n\nVi vill ha en bättre vård för alla.\nÅtgärder behövs i hela länet och i varje kommun.\n"
SVENSKA_WORDS = "Vårt program bättre vård för Åtgärder behövs länet"


def utf8_with(stray: bytes) -> bytes:
    """SVENSKA in UTF-8 with ``stray`` bytes (not UTF-8) put into its second line."""
    return SVENSKA.encode().replace(b"alla.", b"alla" + stray + b".")


def blank_separated(folder: Path) -> None:
    text("Programmet\n\n" + "\n\n".join(f"Punkt {n} gäller." for n in range(5000)) + "\n")(folder)


def paragraph_of(size: int, wrap: int = 0) -> str:
    """One paragraph of about ``size`` bytes of Swedish (with dashes, quotes and numbers for the
    typography rules), on one line or wrapped at ``wrap`` characters."""
    sentence = 'Vi vill att hälso- och sjukvården ska fungera – för alla i "hela" länet, 1 000 kr och 50 % ... '
    body = (sentence * (size // len(sentence.encode()) + 1))[: size // 2 * 2].rstrip() + "."
    if wrap:
        import textwrap

        body = "\n".join(textwrap.wrap(body, wrap, break_on_hyphens=False))
    return body


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
    # A UTF-8 text with a few bytes that are not UTF-8 stays UTF-8 (each byte reported, read as cp1252).
    Case("utf8-stray-byte", text(utf8_with(b" och b\xe4ttre")), "built", words=SVENSKA_WORDS + " kommun."),
    Case("utf8-bom-stray-byte", text(codecs.BOM_UTF8 + utf8_with(b"\xe4")), "built", words=SVENSKA_WORDS),
    Case("utf8-overlong-slash", text(utf8_with(b" \xc0\xaf och \xe0\x80\xaf")), "built", words=SVENSKA_WORDS),
    Case("utf8-surrogate-bytes", text(utf8_with(b" \xed\xa0\x80")), "built", words=SVENSKA_WORDS),
    Case("utf8-truncated-letter", text(utf8_with(b" f\xc3 ")), "built", editions=("html", "epub"), words=SVENSKA_WORDS),
    Case(
        "utf8-then-cp1252-line",
        text(SVENSKA.encode() + "Fler åtgärder för äldre.\n".encode("cp1252")),
        "built",
        words=SVENSKA_WORDS + " Fler åtgärder för äldre.",
    ),
    Case("cp850-dos", text(SVENSKA.encode("cp850")), "built", editions=("html", "epub"), words=SVENSKA_WORDS),
    Case("mac-roman", text(SVENSKA.encode("mac_roman")), "built", editions=("html", "epub"), words=SVENSKA_WORDS),
    Case("utf32-le-bom", text(codecs.BOM_UTF32_LE + SVENSKA.encode("utf-32-le")), "built", words=SVENSKA_WORDS),
    Case("utf16-be-no-bom", text(SVENSKA.encode("utf-16-be")), "built", editions=("html", "epub"), words=SVENSKA_WORDS),
    Case(
        "utf16-bom-odd-length",
        text(codecs.BOM_UTF16_LE + SVENSKA.encode("utf-16-le") + b"x"),
        "rejected",
        "not valid UTF-16",
        "text.txt",
    ),
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
    # Enormous and degenerate inputs, each in a subprocess killed after ``bound`` seconds.
    Case(
        "paragraph-1-5-mib-md",
        markdown("# Titel\n\n" + paragraph_of(3 * 2**19) + "\n"),
        "rejected",
        "a paragraph of",
        "text.md:3",
        bound=300,
    ),
    Case(
        "paragraph-1-5-mib-wrapped",
        text("Rubrik\n\n" + paragraph_of(3 * 2**19, wrap=80) + "\n"),
        "rejected",
        "a paragraph of",
        "text.txt",
        bound=300,
    ),
    Case(
        "word-6000",
        text("Rubrik\n\nVi vill " + "å" * 6000 + " och mer.\n"),
        "built",
        editions=("html", "epub", "brochure", "large-print"),
        words="Rubrik Vi vill " + "å" * 6000 + " och mer.",
        bound=400,
    ),
    Case(
        "5000-blank-separated-lines",
        blank_separated,
        "built",
        editions=("html", "epub", "brochure"),
        words="Punkt 0 gäller. Punkt 4999 gäller.",
        bound=600,
    ),
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
    # --- Markdown edge cases in an editor's text.md ---
    Case(
        "md-nested-lists",
        markdown(
            "# Titel\n\n## Del\n\nVi vill:\n\n- ett\n- två\n  - två a\n  - två b\n"
            "    1. djupast\n- tre\n\nSlut på listan.\n"
        ),
        "built",
        editions=("html", "epub", "brochure", "large-print"),
        words="Vi vill: ett två två a två b djupast tre Slut på listan.",
    ),
    Case(
        "md-list-too-deep",
        markdown("# Titel\n\n" + "".join("  " * k + f"- nivå {k}\n" for k in range(6))),
        "rejected",
        "nested more than 4 levels",
        "text.md:7",
        ("html",),
    ),
    Case(
        "md-blockquotes-30-deep",
        markdown("# Titel\n\n" + ">" * 30 + " citat\n\nSlut.\n"),
        "rejected",
        "blockquote is not part of the programme dialect",
        "text.md:3",
        ("html",),
    ),
    Case(
        "md-pipe-table",
        markdown("# Titel\n\n| Mål | År |\n| --- | --- |\n| Fler läkare | 2030 |\n"),
        "built",
        editions=("html", "epub"),
        words="Mål År Fler läkare 2030",
    ),
    Case(
        "md-html-block",  # raw HTML is text in the dialect: shown as written, escaped
        markdown("# Titel\n\n<div>\nDold text\n</div>\n"),
        "built",
        editions=("html", "epub"),
        words="<div> Dold text </div>",
    ),
    Case(
        "md-setext-headings",
        markdown("Titel\n=====\n\nVår del\n-------\n\nText under rubriken.\n"),
        "built",
        editions=("html", "epub"),
        words="Vår del Text under rubriken.",
    ),
    Case(
        "md-indented-code",
        markdown("# Titel\n\nText.\n\n    kod som inte är text\n"),
        "rejected",
        "code_block is not part",
        "text.md:5",
        ("html",),
    ),
    Case(
        "md-footnote",  # CommonMark has no footnotes: the marks are text
        markdown("# Titel\n\nVi vill mer[^1].\n\n[^1]: En fotnot.\n"),
        "built",
        editions=("html", "epub"),
        words="Vi vill mer[^1]. [^1]: En fotnot.",
    ),
    Case(
        "md-link-reference-definition",
        markdown('# Titel\n\nSe [källan][1].\n\n[1]: https://example.com "Källa"\n'),
        "rejected",
        "link reference definition",
        "text.md:5",
        ("html",),
    ),
    Case(
        "md-link-and-image",
        markdown("# Titel\n\nLäs [vår sida](https://example.com/x) och ![en bild](http://example.com/p.png) nu.\n"),
        "built",
        editions=("html", "epub"),
        words="Läs vår sida och en bild nu.",
    ),
    Case(
        "md-breaks-and-entities",
        markdown("# Titel\n\nRad ett\\\nrad två &amp; &#229;r &auml;n.\n"),
        "built",
        editions=("html", "epub"),
        words="Rad ett rad två & år än.",
    ),
    Case(
        "md-list-opens-with-list",
        markdown("# Titel\n\n- - inuti\n  - också\n-\n- sist\n"),
        "built",
        editions=("html", "epub"),
        words="inuti också sist",
    ),
    # --- Unicode normalisation and invisible characters ---
    Case(
        "nfd-letters",
        text(unicodedata.normalize("NFD", SVENSKA)),
        "built",
        words=SVENSKA_WORDS,
    ),
    Case(
        "soft-hyphens",
        text("Rubrik\n\nVi vill ha väl\u00adfärd och sjuk\u00advård för alla.\n"),
        "built",
        words="Vi vill ha välfärd och sjukvård för alla.",
    ),
    Case(
        "no-break-spaces",
        text("Rubrik\n\nDet kostar 10\u00a0000 kronor och 5\u202f% mer i\u00a0år.\n"),
        "built",
        words="kostar kronor och mer",
    ),
    Case(
        "joiners-and-marks",
        text("Rubrik\n\nVi\u2060 vill\u200c mer\u200e och\u200f bättre\u061c vård.\n"),
        "built",
        words="Vi vill mer och bättre vård.",
    ),
    Case(
        "md-bidi-controls",
        markdown("# Titel\n\nVi vill \u202eroc\u202c mer \u2067x\u2069 och bättre.\n"),
        "built",
        editions=("html", "epub"),
        words="Vi vill roc mer x och bättre.",
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
