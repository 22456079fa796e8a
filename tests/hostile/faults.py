"""File-system and process faults: each spoils a project that was built once, then `pipeline build` runs again.

Each fault says what the second build must do: rebuild cleanly (``"built"``), or fail with one error
naming a file and the exit code the README gives, leaving the first build's files as they were.
The project holds one small publication, ``p``; the editions built are ``EDITIONS``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SLUG = "p"
EDITIONS = ("html", "epub", "brochure", "large-print")
BUILD = ["build", SLUG, "--jobs", "2", *(a for e in EDITIONS for a in ("-e", e))]


@dataclass(frozen=True)
class Fault:
    name: str
    spoil: Callable[[Path], contextlib.AbstractContextManager[None]]  # around the second build
    expect: str  # "built" or "rejected"
    message: str = ""
    names_file: str = ""
    code: int = 0
    needs: str = ""  # "mount": needs `mount -t tmpfs` (root on Linux); without it the case is skipped, saying so


# The faults' publication: small, so that each fault's builds stay quick.
TEXT = "Rubrik\nVi vill att vården ska vara jämlik och trygg för alla.\n\nÅtgärder behövs i hela länet.\n"


def small_publication(dest: Path) -> tuple[Path, Path]:
    """A project with no seeds and one small publication, SLUG: the project and the publication's folder."""
    from conftest import copy_project

    from hostile.cases import TOML

    project = copy_project(dest, ())
    folder = project / "source" / SLUG
    folder.mkdir(parents=True)
    (folder / "publication.toml").write_text(TOML, encoding="utf-8")
    (folder / "text.txt").write_text(TEXT, encoding="utf-8")
    return project, folder


def pipeline_cmd(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args, "--project", str(project)]


def run(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(pipeline_cmd(project, *args), capture_output=True, text=True, timeout=timeout)


# --- spoilers ----------------------------------------------------------------------------------------


def before(change: Callable[[Path], None]) -> Callable[[Path], contextlib.AbstractContextManager[None]]:
    """A fault made once before the second build."""

    @contextlib.contextmanager
    def spoil(project: Path) -> Iterator[None]:
        change(project)
        yield

    return spoil


def _cache(project: Path, pattern: str) -> list[Path]:
    return sorted((project / "output/.cache" / SLUG).glob(pattern))


def truncate_models(project: Path) -> None:
    for path in _cache(project, "model-*.json"):
        path.write_bytes(path.read_bytes()[:100])
    (project / "source" / SLUG / "text.txt").touch()  # a text saved again: the editions are rebuilt


def models_of_another_shape(project: Path) -> None:
    for path in _cache(project, "model-*.json"):
        path.write_text('{"model": {"meta": {}, "blocks": [1]}, "report": {}, "sources": 5}', encoding="utf-8")
    (project / "output" / SLUG / f"{SLUG}.html").unlink()


def state_of_another_shape(project: Path) -> None:
    (project / "output" / SLUG / ".build-state.json").write_text('[["html", 1]]', encoding="utf-8")


def page_map_damaged(project: Path) -> None:
    (project / "output/.cache" / SLUG / "brochure.json").write_text('{"pages": 2, "blocks": {"x": "y"}}')
    (project / "output" / SLUG / f"{SLUG}-large-print.pdf").unlink()


def output_folder_is_a_file(project: Path) -> None:
    shutil.rmtree(project / "output" / SLUG)
    (project / "output" / SLUG).write_text("not a folder", encoding="utf-8")
    (project / "source" / SLUG / "text.txt").write_text("Rubrik\nNu med en ny mening.\n", encoding="utf-8")


def cache_folder_is_a_file(project: Path) -> None:
    shutil.rmtree(project / "output/.cache")
    (project / "output/.cache").write_text("not a folder", encoding="utf-8")
    (project / "source" / SLUG / "text.txt").write_text("Rubrik\nNu med en ny mening.\n", encoding="utf-8")


def mounted(kind: str) -> Callable[[Path], contextlib.AbstractContextManager[None]]:
    """output/<slug>/ on a tmpfs holding the first build's files, then made read-only (``"ro"``) or full."""

    @contextlib.contextmanager
    def spoil(project: Path) -> Iterator[None]:
        out = project / "output" / SLUG
        keep = project / "kept"
        shutil.copytree(out, keep)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(out)], check=True)
        try:
            shutil.copytree(keep, out, dirs_exist_ok=True)
            (project / "source" / SLUG / "text.txt").write_text("Rubrik\n" + "Nu med mer text. " * 400 + "\n")
            fs = os.statvfs(out)
            used = (fs.f_blocks - fs.f_bfree) * fs.f_frsize
            options = "remount,ro" if kind == "ro" else f"remount,size={used + 16 * 1024}"
            subprocess.run(["mount", "-o", options, str(out)], check=True)
            yield
        finally:
            subprocess.run(["umount", "-l", str(out)], check=False)

    return spoil


def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root on Linux, outside a locked-down container)."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    probe = Path(f"/tmp/.hostile-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(probe)], capture_output=True)
        if ok.returncode == 0:
            subprocess.run(["umount", str(probe)], check=False)
        return ok.returncode == 0
    finally:
        probe.rmdir()


# --- kill -9 at a moment, then build again ------------------------------------------------------------


def killed_when(ready: Callable[[Path], bool]) -> Callable[[Path], contextlib.AbstractContextManager[None]]:
    """A build killed with SIGKILL (main process and workers) once ``ready(project)``; then the build again."""

    @contextlib.contextmanager
    def spoil(project: Path) -> Iterator[None]:
        (project / "source" / SLUG / "text.txt").write_text("Rubrik\n" + "Vi vill mer och bättre. " * 300 + "\n")
        proc = subprocess.Popen(
            pipeline_cmd(project, *BUILD), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 300
        while not ready(project) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL, "the build ended before the moment to kill it came"
        yield

    return spoil


def normalising(project: Path) -> bool:
    return True  # at once: while the main process reads and normalises the text


def rendering(project: Path) -> bool:
    """A worker is writing an edition's temporary file."""
    return any((project / "output" / SLUG).glob(".*.tmp"))


def some_built(project: Path) -> bool:
    """The build has recorded an edition (its state file was written once)."""
    state = project / "output" / SLUG / ".build-state.json"
    return state.is_file() and "brochure" in state.read_text(encoding="utf-8", errors="replace")


def two_builds_at_once(project: Path) -> contextlib.AbstractContextManager[None]:
    @contextlib.contextmanager
    def spoil() -> Iterator[None]:
        (project / "source" / SLUG / "text.txt").write_text("Rubrik\n" + "Två byggen samtidigt. " * 200 + "\n")
        other = subprocess.Popen(pipeline_cmd(project, *BUILD), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            out, _ = other.communicate(timeout=600)
            assert other.returncode == 0, out

    return spoil()


UNWRITABLE = "cannot be written"
NOT_A_FOLDER = "is a file where the build keeps a folder"
FAULTS: list[Fault] = [
    Fault("cache-model-truncated", before(truncate_models), "built"),
    Fault("cache-model-other-shape", before(models_of_another_shape), "built"),
    Fault("state-file-other-shape", before(state_of_another_shape), "built"),
    Fault("cache-page-map-damaged", before(page_map_damaged), "built"),
    Fault("output-folder-is-a-file", before(output_folder_is_a_file), "rejected", NOT_A_FOLDER, "output/p", 1),
    Fault("cache-folder-is-a-file", before(cache_folder_is_a_file), "rejected", NOT_A_FOLDER, "output/.cache", 1),
    Fault("output-read-only", mounted("ro"), "rejected", "Read-only file system", "output/p", 1, needs="mount"),
    Fault("disk-full", mounted("full"), "rejected", "No space left on device", "output/p", 1, needs="mount"),
    Fault("kill-9-while-normalising", killed_when(normalising), "built"),
    Fault("kill-9-while-rendering", killed_when(rendering), "built"),
    Fault("kill-9-after-an-edition", killed_when(some_built), "built"),
    Fault("two-builds-at-once", two_builds_at_once, "built"),
]


# --- running a fault -----------------------------------------------------------------------------------


@dataclass
class FaultOutcome:
    code: int
    errors: list[str]
    tracebacks: int
    broken: list[str]  # edition files missing or not whole, temporary files left behind
    output: str

    @property
    def got(self) -> str:
        return "built" if self.code == 0 and not self.broken else "rejected"


def whole(path: Path) -> bool:
    """An edition's file opens whole (PDF through pikepdf, EPUB as a zip, HTML with its end tag)."""
    import zipfile

    import pikepdf

    try:
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                return len(pdf.pages) > 0
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                return z.testzip() is None
        return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    except Exception:
        return False


def _broken(project: Path, code: int) -> list[str]:
    """Edition files that are not whole (or missing after a successful build), and temporary files left."""
    from pipeline.editions import EDITIONS as ALL

    out = project / "output" / SLUG
    files = [out / ALL[e].filename(SLUG) for e in EDITIONS]
    broken = [f.name for f in files if f.exists() and not whole(f)]
    if code == 0:
        broken += [f.name for f in files if not f.exists()]
    return broken + ([p.name for p in out.glob(".*.tmp")] if out.is_dir() else [])


def run_fault(fault: Fault, project: Path) -> FaultOutcome:
    """Spoil ``project`` (built once already) as ``fault`` says, build again, and judge what is left.

    What is left is judged once the fault is over (a second build at once has finished), except on a
    mounted output/, which is judged while it is mounted.
    """
    with fault.spoil(project):
        result = run(project, *BUILD)
        if fault.needs == "mount":
            broken = _broken(project, result.returncode)
    if fault.needs != "mount":
        broken = _broken(project, result.returncode)
    text = result.stdout + result.stderr
    errors = [line for line in text.splitlines() if line.startswith("error: ")]
    return FaultOutcome(result.returncode, errors, text.count("Traceback"), broken, text)
