"""File-system and process faults (tests/hostile/faults.py) through real `pipeline build` processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from hostile.faults import BUILD, FAULTS, SLUG, Fault, can_mount, run, run_fault, small_publication
from hostile.outputs import outside_urls, words_lost


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small publication, built once (every fault starts from a copy of it)."""
    project, _folder = small_publication(tmp_path_factory.mktemp("faults") / "project")
    result = run(project, *BUILD)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault: Fault, first_build: Path, tmp_path: Path) -> None:
    if fault.needs == "mount" and not can_mount():
        pytest.skip("needs `mount -t tmpfs` (root on Linux); read-only output is tested by output-folder-is-a-file")
    project = tmp_path / "project"
    shutil.copytree(first_build, project, symlinks=True)
    outcome = run_fault(fault, project)
    assert outcome.tracebacks == 0, outcome.output
    assert outcome.broken == [], (outcome.broken, outcome.output)  # no half file, no temporary file left
    assert outcome.got == fault.expect, outcome.output
    if fault.expect == "built":
        assert outcome.code == 0 and outcome.errors == [], outcome.output
        assert not any(words_lost(project, SLUG).values()), words_lost(project, SLUG)
    else:
        assert outcome.code == fault.code, outcome.output
        assert outcome.errors and all(fault.message in e for e in outcome.errors), outcome.errors
        assert all(f"{project}/{fault.names_file}" in e for e in outcome.errors), outcome.errors
    assert outside_urls(project, SLUG) == []


def test_unreadable_layout_file(tmp_path: Path) -> None:
    """chmod 000 on a layout override: one error naming it (exit 2), not an internal error."""
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode; tests/hostile/layouts.py covers a folder and dead links")
    project, folder = small_publication(tmp_path / "project")
    (folder / "layouts/html").mkdir(parents=True)
    css = folder / "layouts/html/standalone.css"
    css.write_text("body { color: black; }\n", encoding="utf-8")
    css.chmod(0)
    result = run(project, "build", SLUG, "-e", "html")
    assert result.returncode == 2, result.stderr
    assert f"error: {css}: cannot be read: Permission denied." in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_web_stylesheet_goes_into_the_page_as_written_and_cannot_close_its_style_element(tmp_path: Path) -> None:
    """A publication's own html/standalone.css with quotes and a "</style>" in a comment: the page holds
    the quotes as quotes (not HTML-escaped, which breaks the rule), and the stylesheet ends where it does."""
    project, folder = small_publication(tmp_path / "project")
    (folder / "layouts/html").mkdir(parents=True)
    rule = 'body { font-family: "Georgia", serif; } /* </style><p>not a paragraph</p> */\n'
    (folder / "layouts/html/standalone.css").write_text(rule, encoding="utf-8")
    result = run(project, "build", SLUG, "-e", "html")
    assert result.returncode == 0, result.stderr
    page = (project / "output" / SLUG / f"{SLUG}.html").read_text(encoding="utf-8")
    assert 'font-family: "Georgia", serif;' in page and "&#34;" not in page
    assert page.count("</style>") == 1 and "<\\/style><p>not a paragraph" in page


# --- workers die with the build -------------------------------------------------------------------------

# `pipeline build` with the html edition made slow (tests/faulty_renderer.py), in this interpreter.
SLOW_BUILD = """
import dataclasses, sys
sys.path.insert(0, {tests!r})
from pipeline import editions
editions.EDITIONS["html"] = dataclasses.replace(editions.EDITIONS["html"], renderer="faulty_renderer:sleep_long")
sys.argv = ["pipeline", "build", "p", "-e", "html", "-e", "epub", "--jobs", "2", "--project", {project!r}]
from pipeline.cli import main
main()
"""


def alive(pid: int) -> bool:
    """Running: not gone and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_the_build(tmp_path: Path) -> None:
    project, folder = small_publication(tmp_path / "project")
    script = SLOW_BUILD.format(tests=str(ROOT / "tests"), project=str(project))
    main = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(folder.glob("rendering-*")) and time.monotonic() < deadline and main.poll() is None:
        time.sleep(0.05)
    markers = list(folder.glob("rendering-*"))
    assert markers, "the slow edition never started"
    worker = int(markers[0].name.removeprefix("rendering-"))
    assert int(markers[0].read_text()) == main.pid and alive(worker)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    killed = time.monotonic()
    while alive(worker) and time.monotonic() - killed < 5:
        time.sleep(0.05)
    assert not alive(worker), "a worker outlived its build by more than 5 s"


WATCHED = """
import os, subprocess, sys, time
code = ("import os, threading, time; from pipeline.workers import _watch; "
        "threading.Thread(target=_watch, args=(os.getppid(),), daemon=True).start(); "
        "print(os.getpid(), flush=True); time.sleep(60)")
child = subprocess.Popen([sys.executable, "-c", code], stdout=sys.stdout)
time.sleep(60)
"""


def test_the_portable_watch_also_stops_a_worker() -> None:
    """Where prctl is missing, a thread watching the parent's id ends the worker (tried here on its own)."""
    parent = subprocess.Popen([sys.executable, "-c", WATCHED], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.kill()
    parent.wait()
    killed = time.monotonic()
    while alive(child) and time.monotonic() - killed < 5:
        time.sleep(0.05)
    assert not alive(child)
