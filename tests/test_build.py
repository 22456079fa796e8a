"""Build orchestration: incremental, atomic under failure and Ctrl-C, parallel, reproducible."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS, copy_project

from pipeline import editions
from pipeline.build import BuildRequest, build


def digests(project: Path) -> dict[str, str]:
    out = project / "output"
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*"))
        if p.is_file() and not p.name.startswith(".")
    }


def temp_files(project: Path) -> list[Path]:
    return [p for p in (project / "output").rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, SEEDS[:1])


def statuses(results) -> dict[str, str]:
    return {r.edition: r.status for r in results}


def test_second_build_is_a_no_op_and_force_rebuilds(project: Path) -> None:
    first = build(BuildRequest(project=project, jobs=2))
    assert set(statuses(first).values()) == {"built"}
    assert set(statuses(build(BuildRequest(project=project, jobs=2))).values()) == {"unchanged"}
    assert set(statuses(build(BuildRequest(project=project, jobs=2, force=True))).values()) == {"built"}


def test_changed_css_rebuilds_exactly_the_editions_that_use_it(project: Path) -> None:
    build(BuildRequest(project=project, jobs=2))
    css = project / "layouts/large-print/large-print.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert statuses(build(BuildRequest(project=project, jobs=2))) == {
        "html": "unchanged",
        "brochure": "unchanged",
        "print": "unchanged",
        "booklet": "unchanged",
        "epub": "unchanged",
        "large-print": "built",
        "review": "unchanged",
    }
    # the booklet imposes the brochure; large print and the EPUB cite the brochure's pages
    brochure_and_after = {
        "html": "unchanged",
        "brochure": "built",
        "print": "built",
        "booklet": "built",
        "epub": "built",
        "large-print": "built",
        "review": "unchanged",
    }
    css = project / "layouts/brochure/brochure.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert statuses(build(BuildRequest(project=project, jobs=2))) == brochure_and_after
    # a file in fonts/ (its digest is kept under the files' sizes and times, and this one changed)
    licence = project / "fonts/source-serif-4/OFL.txt"
    licence.write_text(licence.read_text() + "\n")
    assert statuses(build(BuildRequest(project=project, jobs=2))) == brochure_and_after
    text = project / "source/ett-gott-liv/text.txt"
    text.write_bytes(text.read_bytes() + b"\nEn ny mening.\n")
    assert set(statuses(build(BuildRequest(project=project, jobs=2))).values()) == {"built"}


def test_a_publication_override_only_touches_that_publication(tmp_path: Path) -> None:
    project = copy_project(tmp_path, SEEDS)
    build(BuildRequest(project=project, jobs=2, editions=["epub", "html"]))
    override = project / "source" / SEEDS[0] / "layouts/epub"
    override.mkdir(parents=True)
    (override / "epub.css").write_text("body { margin: 0 2em; }\n")
    results = build(BuildRequest(project=project, jobs=2, editions=["epub", "html"]))
    assert {(r.slug, r.edition): r.status for r in results} == {
        (SEEDS[0], "brochure"): "unchanged",  # the EPUB's page list reads it
        (SEEDS[0], "epub"): "built",
        (SEEDS[0], "html"): "unchanged",
        (SEEDS[1], "brochure"): "unchanged",
        (SEEDS[1], "epub"): "unchanged",
        (SEEDS[1], "html"): "unchanged",
    }


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_that_raises_mid_write_leaves_the_previous_file(
    project: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the review page: an edition that needs no other (the EPUB now waits for the brochure)
    build(BuildRequest(project=project, jobs=2, editions=["html", "review"]))
    before = digests(project)
    faulty = dataclasses.replace(editions.EDITIONS["html"], renderer="faulty_renderer:raise_mid_write")
    monkeypatch.setitem(editions.EDITIONS, "html", faulty)
    results = build(BuildRequest(project=project, jobs=jobs, editions=["html", "review"], force=True))
    assert statuses(results) == {"html": "failed", "review": "built"}
    assert "the renderer broke half-way" in next(r.error for r in results if r.edition == "html")
    assert digests(project) == before
    assert temp_files(project) == []


def test_sigint_inside_a_worker_leaves_the_previous_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(BuildRequest(project=project, jobs=1, editions=["html"]))
    before = digests(project)
    faulty = dataclasses.replace(editions.EDITIONS["html"], renderer="faulty_renderer:interrupt_mid_write")
    monkeypatch.setitem(editions.EDITIONS, "html", faulty)
    with pytest.raises(KeyboardInterrupt):
        build(BuildRequest(project=project, jobs=1, editions=["html"], force=True))
    assert digests(project) == before
    assert temp_files(project) == []


def test_ctrl_c_during_a_real_parallel_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path, SEEDS)
    build(BuildRequest(project=project, jobs=2))
    before = digests(project)
    for delay in (1.5, 4.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "build", "--force", "--project", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode in (130, 0), err.decode()[-2000:]
        assert b"Traceback" not in err
        # every file is either the previous one or a complete new one, which is byte-identical
        assert digests(project) == before
        assert temp_files(project) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path, jobs: str) -> None:
    """WeasyPrint's copies of the fonts (a weasyprint-* folder a render) went with the build, in the
    CLI's own process and in the pool's workers, which exit without collecting them."""
    project = copy_project(tmp_path, SEEDS[:1])
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--jobs", jobs, "--project", str(project)],
        capture_output=True,
        env={**os.environ, "TMPDIR": str(temporary)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert (project / "output" / SEEDS[0] / f"{SEEDS[0]}-brochure.pdf").is_file()
    assert sorted(p.name for p in temporary.iterdir()) == []


def test_two_clean_builds_are_byte_identical_for_every_edition(tmp_path: Path) -> None:
    runs = []
    for n in range(2):
        project = copy_project(tmp_path / str(n), SEEDS)
        assert all(r.status == "built" for r in build(BuildRequest(project=project, jobs=2)))
        runs.append(digests(project))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 14  # seven editions of two seeds


def test_a_lost_page_map_rebuilds_the_brochure_before_large_print(project: Path) -> None:
    build(BuildRequest(project=project, jobs=1, editions=["large-print"]))
    (project / "output/.cache" / SEEDS[0] / "brochure.json").unlink()
    css = project / "layouts/large-print/large-print.css"
    css.write_text(css.read_text() + "\n/* changed */\n")
    assert statuses(build(BuildRequest(project=project, jobs=1, editions=["large-print"]))) == {
        "brochure": "built",
        "large-print": "built",
    }
