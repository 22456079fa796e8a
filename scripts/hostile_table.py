"""Run every case in tests/hostile/ and print the table: case → expected → what happened.

Each input case (tests/hostile/cases.py, layouts.py) is built on its own by a real `pipeline build`
process in a throwaway project; each fault (faults.py) spoils a built project and builds again.
Columns: the exit code (expected/got), tracebacks (0/1), words of the model lost in any edition,
URLs in any output that lead to a network or a file, and the first line of the error.

    python scripts/hostile_table.py [--only NAME ...] [--markdown]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_project  # noqa: E402
from hostile.cases import CASES, Case  # noqa: E402
from hostile.faults import BUILD, FAULTS, SLUG, can_mount, run, run_fault, small_publication  # noqa: E402
from hostile.layouts import LAYOUT_CASES  # noqa: E402
from hostile.outputs import outside_urls, words_lost  # noqa: E402

from pipeline.editions import EDITIONS  # noqa: E402


@dataclass
class Row:
    case: str
    expected: str
    got: str
    code: int
    expected_code: int
    tracebacks: int
    lost: int  # words lost in a built case's editions (a refused case's earlier files hold an earlier text)
    urls: int
    message: str
    seconds: float

    @property
    def ok(self) -> bool:
        return (self.expected, self.expected_code) == (self.got, self.code) and not (
            self.tracebacks or self.lost or self.urls
        )


def first_error(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("error: ")), "")


def run_case(case: Case, workdir: Path) -> Row:
    project = copy_project(workdir / case.name, ())
    case.add_to(project)
    args = case.build_command(project, jobs=1)
    start = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True, timeout=900)
    output = result.stdout + result.stderr
    files = [project / "output" / case.name / EDITIONS[e].filename(case.name) for e in case.editions]
    got = "built" if result.returncode == 0 and all(f.is_file() for f in files) else "rejected"
    row = Row(
        case.name,
        case.expect,
        got,
        result.returncode,
        case.code if case.expect == "rejected" else 0,
        int("Traceback" in output),
        sum(words_lost(project, case.name).values()) if got == "built" else 0,
        len(outside_urls(project, case.name)),
        first_error(output).replace(str(project) + "/", ""),
        time.monotonic() - start,
    )
    shutil.rmtree(project, ignore_errors=True)
    return row


def fault_base(workdir: Path) -> Path:
    project, _folder = small_publication(workdir / "fault-base")
    result = run(project, *BUILD)
    if result.returncode != 0:
        raise SystemExit(f"the faults' first build failed:\n{result.stderr}")
    return project


def run_faults(workdir: Path, only: set[str]) -> list[Row]:
    faults = [f for f in FAULTS if not only or f.name in only]
    if not faults:
        return []
    base = fault_base(workdir)
    mount = can_mount()
    rows = []
    for fault in faults:
        if fault.needs == "mount" and not mount:
            rows.append(Row(fault.name, fault.expect, "skipped", -1, fault.code, 0, 0, 0, "needs mount -t tmpfs", 0))
            continue
        project = workdir / fault.name
        shutil.copytree(base, project, symlinks=True)
        start = time.monotonic()
        outcome = run_fault(fault, project)
        rows.append(
            Row(
                fault.name,
                fault.expect,
                outcome.got,
                outcome.code,
                fault.code,
                outcome.tracebacks,
                sum(words_lost(project, SLUG).values()) if outcome.got == "built" else 0,
                len(outside_urls(project, SLUG)),
                (outcome.errors[0] if outcome.errors else "; ".join(outcome.broken)).replace(str(project) + "/", ""),
                time.monotonic() - start,
            )
        )
        shutil.rmtree(project, ignore_errors=True)
    return rows


def print_table(rows: list[Row], markdown: bool) -> None:
    head = ("case", "expected", "got", "exit", "tracebacks", "words lost", "outside URLs", "s", "first error line")
    lines = [
        (
            r.case,
            r.expected,
            r.got,
            f"{r.expected_code}/{r.code}",
            str(r.tracebacks),
            str(r.lost) if r.got == "built" else "-",
            str(r.urls),
            f"{r.seconds:.1f}",
            r.message[:110],
        )
        for r in rows
    ]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        for line in lines:
            print("| " + " | ".join(c.replace("|", "\\|") for c in line) + " |")
    else:
        widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head) - 1)]
        for line in [head, *lines]:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)) + "  " + line[-1])
    bad = [r.case for r in rows if not r.ok and r.got != "skipped"]
    print(
        f"\ncases {len(rows)}; as expected {sum(r.ok for r in rows)}; skipped {sum(r.got == 'skipped' for r in rows)}; "
        f"tracebacks {sum(r.tracebacks for r in rows)}; words lost {sum(r.lost for r in rows)}; "
        f"outside URLs {sum(r.urls for r in rows)}; errors naming no file "
        f"{sum(1 for r in rows if r.expected == 'rejected' and not r.message.startswith('error: '))}"
        + (f"; not as expected: {', '.join(bad)}" if bad else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=[], help="run only these cases")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    only = set(args.only)
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = Path(tmp)
        rows = [run_case(c, workdir) for c in CASES + LAYOUT_CASES if not only or c.name in only]
        rows += run_faults(workdir, only)
    print_table(rows, args.markdown)
    return 0 if all(r.ok or r.got == "skipped" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
