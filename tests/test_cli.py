"""The command line's contract: --version, --debug anywhere, "did you mean", exit codes, `pipeline list`, pipes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from typer.testing import CliRunner

from pipeline.cli import app, package_version


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    code, output = run("--version")
    assert code == 0 and output == f"pipeline {version('partiprogram-pipeline')}\n" == f"pipeline {package_version()}\n"


@pytest.mark.parametrize("where", ["before", "after", "last"])
def test_debug_is_taken_before_or_after_the_command(tmp_path: Path, where: str) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    args = ["build", "nosuch", "--project", str(project)]
    args = {"before": ["--debug", *args], "after": ["build", "--debug", *args[1:]], "last": [*args, "--debug"]}[where]
    code, output = run(*args)
    assert code == 2, output
    assert "Traceback" in output and "PipelineError" in output
    assert len(errors(output)) == 1
    code, output = run("build", "nosuch", "--project", str(project))
    assert code == 2 and "Traceback" not in output


def test_debug_after_the_command_in_the_installed_program(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "normalise", "nosuch", "--debug", "--project", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" in done.stderr, done.stderr


def test_a_mistyped_slug_is_bad_input_with_a_suggestion(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    code, output = run("build", "ett-got-liv", "-e", "html", "--project", str(project))
    assert code == 2, output
    [error] = errors(output)
    assert f"{project}/source/ett-got-liv: no such publication folder" in error
    assert "Did you mean 'ett-gott-liv'?" in error
    assert not (project / "output/ett-gott-liv").exists()  # nothing was built from a mistyped command
    code, output = run("normalise", "ett-got-liv", "--project", str(project))
    assert code == 2 and "Did you mean 'ett-gott-liv'?" in output
    code, output = run("normalise", "ett-gott-lif", "--write", "--project", str(project))
    assert code == 2 and "Did you mean 'ett-gott-liv'?" in output


def test_a_mistyped_key_is_bad_input_with_a_suggestion(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    toml = project / "source/ett-gott-liv/publication.toml"
    original = toml.read_text(encoding="utf-8")
    first, rest = original.split("title =", 1)
    toml.write_text(f'{first}subtitel = "Regionprogram"\ntitle ={rest}', encoding="utf-8")
    line = first.count("\n") + 1
    code, output = run("build", "-e", "html", "-e", "epub", "--project", str(project))
    assert code == 2, output
    assert errors(output) == [
        f"error: {toml}:{line}: unknown key 'subtitel'. Did you mean 'subtitle'? Valid keys: title, subtitle, "
        "short_title, organisation, language, date, identifier, theme_colour, contact, colophon, brochure, "
        "large_print."
    ]
    # Written at the end, below [brochure], it is that table's unknown key: the hint says where it belongs.
    toml.write_text(original + 'subtitel = "Regionprogram"\n', encoding="utf-8")
    code, output = run("build", "-e", "html", "--project", str(project))
    assert code == 2, output
    [error] = errors(output)
    line = original.count("\n") + 1
    assert f"publication.toml:{line}: unknown key 'brochure.subtitel'. Did you mean 'subtitle'? " in error
    assert "It belongs above the first [table] line." in error


def test_an_impossible_date_is_refused_when_the_configuration_is_read(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    toml = project / "source/ett-gott-liv/publication.toml"
    toml.write_text('title = "T"\nlanguage = "sv"\n\n\ndate = "2024-13-45"\n', encoding="utf-8")
    code, output = run("build", "-e", "html", "-e", "epub", "-e", "brochure", "--project", str(project))
    assert code == 2, output
    [error] = errors(output)
    assert error.startswith(f"error: {toml}:5: 'date' is '2024-13-45', which is not a real date.")
    assert "ValueError" not in output and "month must be" not in output
    assert not (project / "output/ett-gott-liv").exists()


def test_an_empty_text_is_one_error_and_exit_2(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    text = project / "source/ett-gott-liv/text.txt"
    text.write_text("  \n\n", encoding="utf-8")
    code, output = run("build", "--jobs", "1", "--project", str(project))
    assert code == 2, output
    assert errors(output) == [f"error: {text}: has no text. The file is empty or holds only white space."]


def test_the_summary_in_a_pipe_keeps_whole_paths(tmp_path: Path) -> None:
    slug = "ett-mycket-langt-namn-pa-en-publikation-for-att-prova-tabellen"
    project = copy_project(tmp_path, ())
    shutil.copytree(ROOT / "source/ett-gott-liv", project / "source" / slug)
    code, output = run("build", "-e", "html", "--project", str(project))
    assert code == 0, output
    assert f"output/{slug}/{slug}.html" in output  # on one line, whole: CliRunner's output is not a terminal
    assert "…" not in output


def test_list_shows_source_last_build_and_staleness(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    code, output = run("list", "--project", str(project))
    assert code == 0, output
    assert output.splitlines()[1].split() == [
        "ett-gott-liv",
        *"Ett gott liv i ett livskraftigt län".split(),
        "text.txt",
        "-",
        "never",
        "built",
    ]
    assert run("build", "-e", "html", "-e", "epub", "--project", str(project))[0] == 0  # and the brochure it cites

    def listed() -> dict:
        code, output = run("list", "--format", "json", "--project", str(project))
        assert code == 0, output
        [entry] = json.loads(output)
        return entry

    entry = listed()
    assert entry["state"] == "up to date" and entry["stale"] == [] and entry["source"] == "text.txt"
    assert entry["last_build"].endswith("Z") and {"html", "epub"}.isdisjoint(entry["missing"])
    # A changed configuration makes every built edition stale, as the build would see it.
    toml = project / "source/ett-gott-liv/publication.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("#1b5e3b", "#1b5e3c"), encoding="utf-8")
    entry = listed()
    assert entry["state"] == "stale" and sorted(entry["stale"]) == ["brochure", "epub", "html"]
    assert run("build", "-e", "html", "--project", str(project))[0] == 0
    assert sorted(listed()["stale"]) == ["brochure", "epub"]
    # An editor's text.md: as the pipeline wrote it, then edited.
    assert run("normalise", "ett-gott-liv", "--write", "--project", str(project))[0] == 0
    entry = listed()
    assert (entry["source"], entry["editor"], entry["made_from"]) == ("text.md", "as written", "text.txt")
    assert sorted(entry["stale"]) == ["brochure", "epub", "html"]  # a new text
    md = project / "source/ett-gott-liv/text.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Folkhälsa", "Folkhälsan"), encoding="utf-8")
    assert listed()["editor"] == "edited"
    code, output = run("list", "--project", str(project))
    assert "text.md (edited, from text.txt)" in output


def test_list_names_an_unreadable_publication_and_exits_2(tmp_path: Path) -> None:
    project = copy_project(tmp_path, ("ett-gott-liv",))
    (project / "source/trasig").mkdir()
    (project / "source/trasig/publication.toml").write_text("title = 5\n", encoding="utf-8")
    code, output = run("list", "--project", str(project))
    assert code == 2
    assert "trasig" in output.splitlines()[2] and "invalid" in output.splitlines()[2]
    assert errors(output) == [
        f"error: {project}/source/trasig/publication.toml:1: 'title' must be a string, not a whole number (5)."
    ]
