"""The hostile corpus through `pipeline build`: clear one-paragraph errors, no tracebacks, no fetches."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from hostile.cases import CASES, Case
from hostile.layouts import LAYOUT_CASES
from hostile.outputs import outside_urls, words_lost
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.editions import EDITIONS


class NetworkSpy:
    """Records (and refuses) every attempt to open a network connection or resolve a name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []

        def refuse(what: str):
            def inner(*args, **kwargs):
                self.attempts.append(f"{what} {args[1:] if what == 'connect' else args}")
                raise OSError("network access is not allowed in this test")

            return inner

        monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
        monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect"))
        monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> NetworkSpy:
    return NetworkSpy(monkeypatch)


def test_the_network_spy_sees_a_fetch(network: NetworkSpy) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.com/", timeout=1)
    assert network.attempts


def outcome(project: Path, case: Case) -> str:
    files = [project / "output" / case.name / EDITIONS[e].filename(case.name) for e in case.editions]
    if all(f.is_file() and f.stat().st_size > 0 for f in files):
        return "built"
    if not any(f.exists() for f in files):
        return "rejected"
    return "partial"


def run_corpus(tmp_path: Path, cases: list[Case], network: NetworkSpy) -> list[tuple[Case, str, str]]:
    project = copy_project(tmp_path / "project", ())
    for case in cases:
        case.add_to(project)
    # One build per set of editions and exit code, so that each case's exit code is asserted.
    groups: dict[tuple[tuple[str, ...], int], list[Case]] = defaultdict(list)
    for case in cases:
        groups[(case.editions, case.code if case.expect == "rejected" else 0)].append(case)
    rows = []
    runner = CliRunner()
    for (editions, _code), group in groups.items():
        args = ["build", *[c.name for c in group], "--jobs", "1", "--project", str(project)]
        for e in editions:
            args += ["-e", e]
        result = runner.invoke(app, args)
        output = result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in output
        # The README's contract: 2 when an input is bad (it wins), 1 when an edition failed to render.
        expected_code = max((c.code for c in group if c.expect == "rejected"), default=0)
        assert result.exit_code == expected_code, output
        errors = [line for line in output.splitlines() if line.startswith("error: ")]
        for error in errors:
            assert re.match(rf"error: {re.escape(str(project))}/\S+", error), f"the error names no file: {error}"
        for case in group:
            mine = [e for e in errors if f"/{case.name}/" in e or f"/{case.name}:" in e]
            # Once, not once per edition: a publication whose text cannot be read fails once.
            assert len(mine) <= 1, mine
            rows.append((case, outcome(project, case), mine[0] if mine else ""))
    return rows


def missing_words(project: Path, case: Case) -> list[str]:
    """For a built case: each built edition whose text lacks one of the case's words (in order)."""
    from pipeline.preflight.words import edition_text, words_in_order

    out = []
    for edition in case.editions:
        path = project / "output" / case.name / EDITIONS[edition].filename(case.name)
        found, missing = words_in_order(edition_text(path, "Testprogram"), case.words.split())
        if missing is not None:
            out.append(f"{edition}: word {found + 1} {missing[:40]!r}")
    return out


def test_hostile_corpus(tmp_path: Path, network: NetworkSpy, capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_corpus(tmp_path, [c for c in CASES if not c.bound] + LAYOUT_CASES, network)
    assert len(rows) >= 70
    table = ["case                       expected  got       error"]
    for case, got, error in rows:
        table.append(f"{case.name:<26} {case.expect:<9} {got:<9} {error[:150]}")
    built = sum(1 for _c, got, _e in rows if got == "built")
    rejected = sum(1 for _c, got, e in rows if got == "rejected" and e)
    table.append(
        f"inputs {len(rows)}, built {built}, rejected with a clear error {rejected}, "
        f"tracebacks 0, network fetches attempted {len(network.attempts)}"
    )
    with capsys.disabled():
        print("\n" + "\n".join(table))
    project = tmp_path / "project"
    for case, got, error in rows:
        assert got == case.expect, f"{case.name}: expected {case.expect}, got {got}: {error}"
        # Nothing in any output loads or links to a network or a local file; no edition lost a word.
        assert outside_urls(project, case.name) == [], case.name
        lost = {edition: n for edition, n in words_lost(project, case.name).items() if n}
        assert lost == {}, (case.name, lost)
        if case.expect == "built" and case.words:
            assert not missing_words(project, case), case.name
        if case.expect == "rejected":
            assert error, f"{case.name}: rejected without an error naming it"
            assert case.message in error, f"{case.name}: {error}"
            if case.names_file:
                assert case.names_file in error, f"{case.name}: the error does not name {case.names_file}: {error}"
            assert "\n" not in error
    assert network.attempts == []


@pytest.mark.parametrize("case", [c for c in CASES if c.bound], ids=lambda c: c.name)
def test_enormous_input_neither_hangs_nor_loses_words(tmp_path: Path, case: Case) -> None:
    """Each enormous or degenerate input through `pipeline build` in a subprocess, killed (and failed)
    when it runs past its bound: a hang, not a slow build (the figures are in benchmarks/bench.py)."""
    project = copy_project(tmp_path / "project", ())
    case.add_to(project)
    args = case.build_command(project, jobs=2)
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=case.bound, env=_no_colour())
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: `pipeline build` still ran after {case.bound} s")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == (case.code if case.expect == "rejected" else 0), output
    assert outcome(project, case) == case.expect, output
    errors = [line for line in output.splitlines() if line.startswith("error: ")]
    if case.expect == "rejected":
        assert len(errors) == 1 and case.message in errors[0] and case.names_file in errors[0], errors
    else:
        assert not errors and not missing_words(project, case), output


def _no_colour() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}


def test_blank_separated_one_line_paragraphs_stay_paragraphs(tmp_path: Path) -> None:
    from pipeline.convert import normalise_source
    from pipeline.model import Paragraph

    folder = tmp_path / "p"
    folder.mkdir()
    next(c for c in CASES if c.name == "5000-blank-separated-lines").write(folder)
    doc, report = normalise_source(tmp_path, str(folder / "text.txt"))
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 5000 and not report.of_kind("double-spacing")
    assert [b.line for b in paragraphs[:3]] == [3, 5, 7]


def test_stray_bytes_are_reported_at_their_lines(tmp_path: Path) -> None:
    from pipeline.convert import normalise_source
    from pipeline.model import document_words

    folder = tmp_path / "p"
    folder.mkdir()
    next(c for c in CASES if c.name == "utf8-overlong-slash").write(folder)
    doc, report = normalise_source(tmp_path, str(folder / "text.txt"))
    words = document_words(doc)
    assert "bättre" in words and "Åtgärder" in words and not any("Ã" in w for w in words)
    decoded = report.of_kind("decode")
    assert [(e.line, e.before, e.after) for e in decoded] == [
        (3, "byte 0xC0", "À"),
        (3, "byte 0xAF", "¯"),
        (3, "byte 0xE0", "à"),
        (3, "byte 0x80", "€"),
        (3, "byte 0xAF", "¯"),
    ]
    assert all(e.confidence < 0.75 for e in decoded)  # among the decisions an editor checks first


def test_escaping_of_markup_and_template_syntax(tmp_path: Path, network: NetworkSpy) -> None:
    names = {"html-in-text", "jinja-in-text", "jinja-in-metadata"}
    run_corpus(tmp_path, [c for c in CASES if c.name in names], network)
    project = tmp_path / "project"
    page = (project / "output/html-in-text/html-in-text.html").read_text(encoding="utf-8")
    assert (
        "<script>" not in page
        and "&lt;script&gt;alert" in page
        and "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    )
    jinja = (project / "output/jinja-in-text/jinja-in-text.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in jinja and "{% for x in y %}loop{% endfor %}" in jinja and "49" not in jinja
    meta = (project / "output/jinja-in-metadata/jinja-in-metadata.html").read_text(encoding="utf-8")
    assert "{{ config.__class__ }}" in meta and ">49<" not in meta
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(project / "output/html-in-text/html-in-text.epub") as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                root = etree.fromstring(z.read(name))  # well-formed XHTML or this raises
                assert not root.findall(".//{http://www.w3.org/1999/xhtml}script")


def test_dropped_characters_are_reported(tmp_path: Path) -> None:
    from pipeline.convert import normalise_source

    folder = tmp_path / "p"
    folder.mkdir()
    next(c for c in CASES if c.name == "bidi-overrides").write(folder)
    _doc, report = normalise_source(tmp_path, str(folder / "text.txt"))
    dropped = report.of_kind("drop-char")
    assert [e.before for e in dropped] == ["U+202E", "U+202C", "U+2066", "U+2069"]
    assert all(e.line == 2 for e in dropped)


def test_long_word_does_not_overflow(tmp_path: Path, network: NetworkSpy) -> None:
    import pdfplumber

    run_corpus(tmp_path, [c for c in CASES if c.name == "300-char-word"], network)
    for edition in ("brochure", "large-print"):
        pdf_path = tmp_path / "project/output/300-char-word" / EDITIONS[edition].filename("300-char-word")
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                assert all(c["x1"] <= page.width - 10 for c in page.chars), edition


def test_missing_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A font missing from the project's fonts/ and from the package's copy (a damaged install; the
    package's stands in for one the project lacks)."""
    from pipeline import resources

    project = copy_project(tmp_path, ("ett-gott-liv",))
    shutil.rmtree(project / "fonts/atkinson-hyperlegible")
    shipped, damaged = resources.bundled, tmp_path / "package-fonts"
    damaged.mkdir()
    monkeypatch.setattr(resources, "bundled", lambda name: damaged if name == "fonts" else shipped(name))
    result = CliRunner().invoke(app, ["build", "-e", "large-print", "--jobs", "1", "--project", str(project)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "AtkinsonHyperlegible-Regular.ttf: the font file is missing." in result.output
    assert (project / "output/ett-gott-liv/ett-gott-liv-brochure.pdf").is_file()  # the others still build


@pytest.mark.parametrize("slug", ["../etc", "..", "a/../../b", "Stora Bokstäver"])
def test_bad_slugs_are_refused(tmp_path: Path, slug: str) -> None:
    project = copy_project(tmp_path, ())
    result = CliRunner().invoke(app, ["build", slug, "--project", str(project)])
    assert result.exit_code == 2  # bad input, as the README says
    assert result.output.count("is not a valid publication name") == 1
    assert "Traceback" not in result.output


def test_publication_folder_symlinked_outside_source(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", ())
    outside = tmp_path / "outside"
    shutil.copytree(ROOT / "source/ett-gott-liv", outside)
    (project / "source").mkdir(exist_ok=True)
    os.symlink(outside, project / "source/linked")
    result = CliRunner().invoke(app, ["build", "linked", "-e", "html", "--project", str(project)])
    assert result.exit_code == 2 and result.output.count("leads outside") == 1


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, which reads any file whatever its mode, so the read itself is made to fail.
    project = copy_project(tmp_path, ("ett-gott-liv",))
    target = project / "source/ett-gott-liv/text.txt"
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = CliRunner().invoke(app, ["build", "-e", "html", "--jobs", "1", "--project", str(project)])
    assert result.exit_code == 2, result.output  # the publication's input cannot be used: bad input
    assert result.output.count("text.txt: cannot be read: Permission denied.") == 1
    assert "Traceback" not in result.output
