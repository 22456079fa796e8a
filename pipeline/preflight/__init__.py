"""Checks of finished outputs: the print shop's preflight, EPUB, PDF/UA and the wording in every edition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What became of one check. Only "passed" is a pass: a check that could not run ("unavailable",
# its tool is not installed) or was not asked for ("skipped") is shown and never counted as passed.
PASSED, FAILED, WARNING, SKIPPED, UNAVAILABLE = "passed", "failed", "warning", "skipped", "unavailable"


@dataclass(frozen=True)
class Outcome:
    check: str
    status: str
    detail: str = ""
    data: Any = None  # what a check measured, for JSON output (e.g. the typography report)


def outcome(check: str, problems: list[str], passed_detail: str = "") -> Outcome:
    """``passed`` with ``passed_detail`` when there are no problems, else ``failed`` listing them."""
    if not problems:
        return Outcome(check, PASSED, passed_detail)
    shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
    return Outcome(check, FAILED, shown)
