"""Validate every built edition with `pipeline check`, Ace by DAISY included; `nox -s conformance` runs it.

The checks live once, in the package (pipeline/check.py and pipeline/preflight/: epubcheck, Ace,
PDF/UA, the print shop's preflight, fonts, every model word in order); this script only points
them at the project and at the Ace that nox installed, prints the table and exits non-zero when
any check fails or could not run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.check import CheckRequest, exit_code, print_table, run_checks

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ace", required=True, help="path to the ace executable")
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder (holds source/ and output/)")
    args = parser.parse_args()
    rows = run_checks(CheckRequest(project=args.project.resolve(), ace=args.ace))
    print_table(rows)
    return exit_code(rows)


if __name__ == "__main__":
    sys.exit(main())
