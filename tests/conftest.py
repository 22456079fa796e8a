"""Shared fixtures: the project root, the seeds, and the --save-golden flag."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("ett-gott-liv", "patientfokus-partiprogram")

# The pipeline keeps what it compiles once per machine (the lexicon, hyphenation patterns, layout
# references) in $XDG_CACHE_HOME/partiprogram. The tests, and every pipeline they start, use a cache
# of their own: they neither read a user's cache (a stale entry there could hide a bug) nor write it.
_CACHE = tempfile.mkdtemp(prefix="partiprogram-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--save-golden", action="store_true", help="Rewrite tests/golden/*/expected.json (review the diff!)."
    )


@pytest.fixture
def save_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--save-golden"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


class WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def no_weasyprint_warnings():
    """Fail on any WeasyPrint warning (WeasyPrint's own assert_no_logs habit)."""
    collector = WarningCollector()
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("weasyprint.progress")]
    for lg in loggers:
        lg.addHandler(collector)
    yield collector
    for lg in loggers:
        lg.removeHandler(collector)
    from pipeline.render.pdf import BENIGN_WARNINGS

    # Only warnings about the machine are let through (no Debian libharfbuzz-subset0: fontTools
    # subsets instead), so the suite also passes right after `pip install` on a bare machine.
    messages = [r.getMessage() for r in collector.records if not r.getMessage().startswith(BENIGN_WARNINGS)]
    assert not messages, f"WeasyPrint warned: {messages}"


def copy_project(dest: Path, slugs: tuple[str, ...] = SEEDS) -> Path:
    """A throwaway project: the real layouts/ and fonts/, and the named publications."""
    import shutil

    for name in ("layouts", "fonts"):
        shutil.copytree(ROOT / name, dest / name)
    for slug in slugs:
        shutil.copytree(ROOT / "source" / slug, dest / "source" / slug)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Every edition of both seeds, built once by the real pipeline (WeasyPrint, ebooklib)."""
    from pipeline.build import BuildRequest, build

    project = copy_project(tmp_path_factory.mktemp("project"))
    results = build(BuildRequest(project=project, jobs=2))
    failed = [r for r in results if r.status != "built"]
    assert not failed, [f"{r.slug} {r.edition}: {r.error}" for r in failed]
    return project


def build_fixtures(dest: Path, folder: Path, slugs: tuple[str, ...]) -> Path:
    """A throwaway project holding the fixture publications ``folder/slug``, every edition built."""
    import shutil

    from pipeline.build import BuildRequest, build
    from pipeline.editions import EDITIONS

    project = copy_project(dest, ())
    for slug in slugs:
        shutil.copytree(folder / slug, project / "source" / slug)
    results = build(BuildRequest(project=project, jobs=2))
    assert [r.status for r in results] == ["built"] * len(EDITIONS) * len(slugs), [r.error for r in results]
    return project


def output_file(project: Path, slug: str, suffix: str) -> Path:
    return project / "output" / slug / f"{slug}{suffix}"


def built_model(project: Path, slug: str):
    """The normalised model the build cached for ``slug`` (what every edition was rendered from)."""
    import json

    from pipeline.model import from_json

    path = next((project / "output" / ".cache" / slug).glob("model-*.json"))
    return from_json(json.loads(path.read_text(encoding="utf-8"))["model"])
