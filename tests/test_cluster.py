"""`pipeline build --scheduler`: the pool's jobs on a Dask LocalCluster of two worker processes."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS, copy_project
from test_build import digests, temp_files
from test_cli import errors, run

from pipeline import editions
from pipeline.build import BuildRequest, Job, build

SLUG = SEEDS[0]  # the shorter seed
TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def attempts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attempts")


@pytest.fixture(scope="module")
def scheduler(attempts: Path) -> Iterator[str]:
    """The address of a LocalCluster of two worker processes, which can import tests/faulty_renderer.py."""
    from distributed import LocalCluster

    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "FAULTY_ATTEMPTS")}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (str(TESTS), saved["PYTHONPATH"])))
    os.environ["FAULTY_ATTEMPTS"] = str(attempts)
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        ) as cluster:
            yield cluster.scheduler_address
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_a_dask_build_is_byte_identical_to_the_pool_build(built: Path, scheduler: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path, (SLUG,))
    events: list[tuple[str, str]] = []
    results = build(
        BuildRequest(project=project, scheduler=scheduler),
        lambda event, _result, job: events.append((event, job.edition)) if job else None,
    )
    assert {r.edition: r.status for r in results} == dict.fromkeys(editions.EDITIONS, "built")
    pool = {name: sha for name, sha in digests(built).items() if name.startswith(f"{SLUG}/")}
    assert digests(project) == pool and len(pool) == len(editions.EDITIONS)
    # The progress display saw every job start and every completion the scheduler reported.
    assert sorted(e for kind, e in events if kind == "start") == sorted(editions.EDITIONS)
    assert sorted(e for kind, e in events if kind == "built") == sorted(editions.EDITIONS)
    # The same cache: the page map came back with the brochure, so nothing is redone, on Dask or off it.
    assert (project / "output/.cache" / SLUG / "brochure.json").is_file()
    for again in (BuildRequest(project=project, scheduler=scheduler), BuildRequest(project=project, jobs=2)):
        assert {r.status for r in build(again)} == {"unchanged"}


@pytest.mark.parametrize("renderer", ["fail_first_attempt", "fail_every_attempt"])
def test_a_failed_task_is_retried_once_then_reported_as_the_pool_reports_it(
    built: Path, scheduler: str, attempts: Path, tmp_path: Path, renderer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path, (SLUG,))
    build(BuildRequest(project=project, jobs=2, editions=["html", "epub"]))
    before = digests(project)
    faulty = dataclasses.replace(editions.EDITIONS["html"], renderer=f"faulty_renderer:{renderer}")
    monkeypatch.setitem(editions.EDITIONS, "html", faulty)
    log = attempts / f"{SLUG}-html"
    log.unlink(missing_ok=True)
    request = BuildRequest(project=project, editions=["html", "epub"], force=True)
    results = {r.edition: r for r in build(dataclasses.replace(request, scheduler=scheduler))}
    assert len(log.read_text().splitlines()) == 2  # the first attempt and one retry, no more
    assert results["epub"].status == "built"
    assert temp_files(project) == []
    if renderer == "fail_first_attempt":
        assert results["html"].status == "built"
        assert digests(project)[f"{SLUG}/{SLUG}.html"] == digests(built)[f"{SLUG}/{SLUG}.html"]
        return
    assert results["html"].status == "failed"
    assert digests(project) == before  # the earlier good file is untouched
    pool = {r.edition: r for r in build(dataclasses.replace(request, jobs=2))}
    assert results["html"].error == pool["html"].error
    assert "the renderer broke half-way" in pool["html"].error


def test_a_failing_edition_on_dask_exits_2_naming_the_clients_file(tmp_path: Path) -> None:
    """A publication's own layout travels to the workers; its error names it where the user has it, and a
    broken layout override is bad input (exit 2), as on the process pool."""
    project = copy_project(tmp_path, (SLUG,))
    broken = project / "source" / SLUG / "layouts/html/standalone.html.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text("{% if %}\n")
    args = ("build", "-e", "html", "-e", "epub", "--scheduler", "local", "--jobs", "2", "--project", str(project))
    code, output = run(*args)
    assert code == 2, output
    assert errors(output) == [
        f"error: {broken}:1: template error: Expected an expression, got 'end of statement block'. "
        "Fix the layout file; templates run sandboxed and see only the document."
    ]
    assert (project / "output" / SLUG / f"{SLUG}.epub").is_file()
    assert not (project / "output" / SLUG / f"{SLUG}.html").exists()


def test_ctrl_c_during_a_dask_build_leaves_every_earlier_file(built: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path, (SLUG,))
    shutil.copytree(built / "output" / SLUG, project / "output" / SLUG)
    before = digests(project)
    command = [sys.executable, "-m", "pipeline", "build", "--force", "--scheduler", "local", "--jobs", "2"]
    proc = subprocess.Popen(
        [*command, "--project", str(project)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(8)  # the cluster is up and rendering
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode in (130, 0), err.decode()[-2000:]
    assert b"Traceback" not in err and b"ERROR" not in err, err.decode()[-2000:]
    assert digests(project) == before  # each file the earlier one, or a complete new one (byte-identical)
    assert temp_files(project) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("tcp//127.0.0.1:8786", "is neither 'local' nor the address of a Dask scheduler. Give the address"),
        ("tcp://127.0.0.1:99999", "is neither 'local' nor the address of a Dask scheduler. Give the address"),
        (f"tcp://127.0.0.1:{_free_port()}", "no Dask scheduler answered there within 10 s. Start one with"),
    ],
)
def test_a_bad_scheduler_address_is_one_error_and_exit_2(tmp_path: Path, address: str, message: str) -> None:
    project = copy_project(tmp_path, (SLUG,))
    code, output = run("build", "--scheduler", address, "--project", str(project))
    assert code == 2, output
    assert len(errors(output)) == 1 and message in errors(output)[0] and address in errors(output)[0]
    assert "Traceback" not in output
    assert not (project / "output" / SLUG).exists()  # nothing was built


def test_without_dask_installed_the_error_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path, (SLUG,))
    monkeypatch.setitem(sys.modules, "distributed", None)  # what Python does when a module is not there
    code, output = run("build", "--scheduler", "local", "--project", str(project))
    assert code == 2, output
    assert errors(output) == [
        "error: --scheduler needs Dask distributed, which is not installed. Install it with pip install '.[dask]' "
        "(and the same version of the pipeline on every worker)."
    ]


def test_a_task_is_one_pdf_layout_or_a_publications_light_editions() -> None:
    """What becomes ready together goes out as few tasks as keep the graph: each WeasyPrint layout alone
    (the large print beside the EPUB, not after it), the few-millisecond editions of one publication in one."""
    from pipeline.cluster import tasks

    def job(slug: str, edition: str) -> Job:
        return Job(slug, edition, "p", "f", "m", "o", "k", {}, {}, "s", "r")

    def shape(jobs: list[Job]) -> list[list[str]]:
        return [[f"{j.slug}:{j.edition}" for j in task] for task in tasks(jobs)]

    roots = [job(slug, e) for slug in ("a", "b") for e in ("brochure", "html", "review")]
    assert shape(roots) == [["a:brochure"], ["b:brochure"], ["a:html", "a:review"], ["b:html", "b:review"]]
    after = [job("a", e) for e in ("print", "booklet", "epub", "large-print")]
    assert shape(after) == [["a:large-print"], ["a:print", "a:booklet", "a:epub"]]
    assert shape([job("a", "epub")]) == [["a:epub"]]
    assert tasks([]) == []
