"""`pipeline preview` in a real headless Chromium: a save shows in the page by itself, errors show in it too."""

from __future__ import annotations

import http.client
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.preview.server import resolve_inside

ROOT = Path(__file__).resolve().parent.parent
SLUG = "ett-gott-liv"
OLD, NEW = "Trygghet och tillit", "Trygghet och tilltro"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RELOAD_LIMIT = 3.0  # seconds from a save to the new text in the page


@dataclass
class Preview:
    project: Path
    proc: subprocess.Popen[str]
    url: str
    lines: queue.Queue[str] = field(default_factory=queue.Queue)

    @property
    def folder(self) -> Path:
        return self.project / "source" / SLUG

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def get(self, path: str, host: str | None = None) -> tuple[int, str, bytes]:
        """A raw GET: the path is sent exactly as given (no client-side normalising of '..')."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host or f"127.0.0.1:{self.port}")
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            conn.close()


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "layouts", project / "layouts")
    shutil.copytree(ROOT / "source" / SLUG, project / "source" / SLUG)
    return project


def _start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "preview", *args, "--project", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C must reach it even when the test runner itself was started with SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C, as in a terminal; the exit code and what it wrote to stderr."""
    assert proc.stderr is not None
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"pipeline preview did not stop on Ctrl-C: {proc.stderr.read()}")
    # Its stdout belongs to the thread reading it; stderr is read here only (once).
    err = "" if proc.stderr.closed else proc.stderr.read()
    proc.stderr.close()
    return proc.returncode, err


def _read_lines(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.put(line)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    running = _serve(_project(tmp_path))
    yield running
    code, err = _stop(running.proc)
    assert code in (0, 130), err
    assert "Traceback" not in err


def _serve(project: Path) -> Preview:
    """`pipeline preview SLUG --port 0` on ``project``, once it has said where it serves."""
    proc = _start(project, SLUG, "--port", "0")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc, lines), daemon=True).start()
    url = ""
    deadline = time.monotonic() + 60
    while not url:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            proc.kill()
            pytest.fail(f"pipeline preview printed no URL: {_stop(proc)[1]}")
        if "http://127.0.0.1:" in line:
            url = line[line.index("http://") :].split()[0]
    return Preview(project, proc, url, lines)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (the test extras)")
    if CHROMIUM is None:
        pytest.skip("needs Chromium (Debian: apt-get install chromium; .ci/run installs it)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield context
        context.close()


def _wait_for(page, condition: str, timeout: float = 10.0) -> float:
    """Seconds until the JavaScript ``condition`` holds in the page (across its own reloads)."""
    from playwright.sync_api import Error

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if page.evaluate(condition):
                return time.perf_counter() - start
        except Error:
            pass  # the page is reloading: its context went away
        time.sleep(0.02)
    raise AssertionError(f"the page never satisfied {condition!r} within {timeout} s")


def _has_text(text: str) -> str:
    return f"!!document.body && document.body.innerText.includes({text!r})"


ERROR_SHOWN = (
    "(() => { const b = document.getElementById('pipeline-preview-error');"
    " return !!b && getComputedStyle(b).display !== 'none' ? b.textContent : ''; })()"
)
NO_ERROR_SHOWN = (
    "(() => { const b = document.getElementById('pipeline-preview-error');"
    " return !b || getComputedStyle(b).display === 'none'; })()"
)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_save_shows_in_the_page_by_itself(preview: Preview, browser) -> None:
    page = browser.new_page()
    page.goto(preview.url)
    assert OLD in page.inner_text("main")
    page.evaluate("window.__before_save = true")  # gone once the page has reloaded itself

    start = time.perf_counter()
    _replace(preview.folder / "text.txt", OLD, NEW)
    _wait_for(page, _has_text(NEW), timeout=10)
    delay = time.perf_counter() - start
    print(f"\npipeline preview: the saved text was in the page {delay:.2f} s after the save")

    assert delay < RELOAD_LIMIT, f"the page showed the new text only after {delay:.2f} s"
    assert OLD not in page.inner_text("main")
    assert page.evaluate("window.__before_save === undefined")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
    page.close()


def test_a_broken_edit_shows_its_error_and_a_fix_recovers(preview: Preview, browser) -> None:
    page = browser.new_page()
    page.goto(preview.url)
    toml = preview.folder / "publication.toml"
    good = toml.read_text(encoding="utf-8")

    toml.write_text(good + 'subtitle = "never closed\n', encoding="utf-8")
    _wait_for(page, ERROR_SHOWN, timeout=RELOAD_LIMIT)
    error = page.evaluate(ERROR_SHOWN)
    assert f"{toml}:{len(good.splitlines()) + 1}" in error  # names the file and the line
    assert "not valid TOML" in error
    assert OLD in page.inner_text("main")  # the last good page stays
    assert preview.proc.poll() is None  # the server keeps running

    # A layout is watched too: a broken template names its file and line.
    template = preview.project / "layouts" / "html" / "standalone.html.j2"
    toml.write_text(good, encoding="utf-8")
    _wait_for(page, NO_ERROR_SHOWN, timeout=RELOAD_LIMIT)
    template_text = template.read_text(encoding="utf-8")
    template.write_text(template_text.replace("</main>", "</main>\n{% if %}"), encoding="utf-8")
    _wait_for(page, ERROR_SHOWN, timeout=RELOAD_LIMIT)
    assert str(template) in page.evaluate(ERROR_SHOWN)

    # The fix and a new word in the same breath: the page recovers and shows it.
    template.write_text(template_text, encoding="utf-8")
    _replace(preview.folder / "text.txt", OLD, NEW)
    _wait_for(page, _has_text(NEW), timeout=RELOAD_LIMIT)
    _wait_for(page, NO_ERROR_SHOWN, timeout=RELOAD_LIMIT)
    assert preview.proc.poll() is None
    page.close()


def test_a_publication_broken_from_the_start_shows_its_error_until_fixed(tmp_path: Path, browser) -> None:
    project = _project(tmp_path)
    toml = project / "source" / SLUG / "publication.toml"
    good = toml.read_text(encoding="utf-8")
    toml.write_text("title = 12\n", encoding="utf-8")
    running = _serve(project)
    try:
        page = browser.new_page()
        page.goto(running.url)
        _wait_for(page, ERROR_SHOWN, timeout=RELOAD_LIMIT)
        assert str(toml) in page.evaluate(ERROR_SHOWN)
        toml.write_text(good, encoding="utf-8")
        _wait_for(page, _has_text(OLD), timeout=RELOAD_LIMIT)
        _wait_for(page, NO_ERROR_SHOWN, timeout=RELOAD_LIMIT)
        page.close()
    finally:
        code, err = _stop(running.proc)
    assert code in (0, 130) and "Traceback" not in err


def test_it_serves_only_the_publications_output(preview: Preview) -> None:
    out = preview.project / "output" / SLUG
    (out / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    secret = preview.project / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    (out / "link.txt").symlink_to(secret)

    status, content_type, body = preview.get("/")
    assert status == 200 and content_type.startswith("text/html")
    assert b'<script id="pipeline-preview">' in body
    assert b"pipeline-preview" not in (out / f"{SLUG}.html").read_bytes()  # the file on disk is the edition
    status, content_type, _ = preview.get("/logo.svg")
    assert (status, content_type) == (200, "image/svg+xml")
    for path in (
        "/../secret.txt",
        "/../../project/secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/..%2f..%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/link.txt",
        "/.build-state.json",
        f"/../../source/{SLUG}/publication.toml",
        "/nothing-here.png",
    ):
        status, _, body = preview.get(path)
        assert status == 404, path
        assert b"not for the browser" not in body
    status, _, _ = preview.get("/", host="attacker.example:80")
    assert status == 403


@pytest.mark.parametrize(
    ("url_path", "found"),
    [
        ("/logo.svg", True),
        ("/sub/logo.svg", True),
        ("/../logo.svg", False),
        ("/sub/../../logo.svg", False),
        ("/%2E%2E/logo.svg", False),
        ("/sub%2F..%2F..%2Flogo.svg", False),
        ("/.hidden", False),
        ("/a%00b", False),
        ("/", False),
        ("/sub", False),
    ],
)
def test_resolve_inside(tmp_path: Path, url_path: str, found: bool) -> None:
    root = tmp_path / "out"
    (root / "sub").mkdir(parents=True)
    for folder in (tmp_path, root, root / "sub"):
        (folder / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (root / ".hidden").write_text("x", encoding="utf-8")
    assert (resolve_inside(root, url_path) is not None) is found


def test_ctrl_c_stops_it_cleanly_with_a_page_open(preview: Preview, browser) -> None:
    page = browser.new_page()
    page.goto(preview.url)  # its event stream stays open
    start = time.perf_counter()
    code, err = _stop(preview.proc)
    assert time.perf_counter() - start < 5
    assert code in (0, 130)
    assert "Traceback" not in err
    assert "preview stopped." in err
    page.close()


def test_an_unknown_publication_or_a_busy_port_is_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path)
    proc = _start(project, "no-such-programme", "--port", "0")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "no such publication folder" in err

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        proc = _start(project, SLUG, "--port", str(busy.getsockname()[1]))
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "cannot serve on 127.0.0.1" in err and "--port" in err
    assert "Traceback" not in err
    assert not os.path.exists(project / "output" / SLUG / f"{SLUG}.html")  # nothing built before it could serve
