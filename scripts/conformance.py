"""Validate every built edition with `pipeline check`, Ace by DAISY included; `nox -s conformance` runs it.

Besides the project's own publications, the test fixtures (tests/fixtures/: the kitchen sink, the
Arabic and the Persian programme, and in languages/ the Northern Sami one and the Swedish one with
passages in other languages) are built in a throwaway project and checked the same way, so Ace sees
a right-to-left EPUB and one with language-of-parts markup too.

The checks live once, in the package (pipeline/check.py and pipeline/preflight/: epubcheck, Ace,
PDF/UA, the print shop's preflight, fonts, every model word in order); this script only points
them at the project and at the Ace that nox installed, prints the table and exits non-zero when
any check fails or could not run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.build import BuildRequest, build
from pipeline.check import CheckRequest, Row, exit_code, print_table, run_checks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def fixture_rows(ace: str) -> list[Row]:
    """Every edition of every test fixture, built in a throwaway project and checked."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("layouts", "fonts"):
            shutil.copytree(ROOT / name, project / name)
        for fixture in sorted(toml.parent for toml in FIXTURES.rglob("publication.toml")):
            shutil.copytree(fixture, project / "source" / fixture.name)
        build(BuildRequest(project=project, jobs=2))
        return run_checks(CheckRequest(project=project, ace=ace))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ace", required=True, help="path to the ace executable")
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder (holds source/ and output/)")
    args = parser.parse_args()
    rows = run_checks(CheckRequest(project=args.project.resolve(), ace=args.ace)) + fixture_rows(args.ace)
    print_table(rows)
    return exit_code(rows)


if __name__ == "__main__":
    sys.exit(main())
