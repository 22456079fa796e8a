"""The preview's web server: the page with a live-reload script, its files in output/<slug>/, and build events."""

from __future__ import annotations

import html
import json
import mimetypes
import re
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.preview.session import PreviewSession, Snapshot

HOST = "127.0.0.1"
EVENTS = "/__events"
KEEP_ALIVE = 10.0  # seconds between comments on an idle event stream (a closed tab is noticed then)

# Injected into the served page only (the file on disk is the edition as built). It listens for
# build events: a new good page reloads, a failed build shows its error over the last good page.
RELOAD_SCRIPT = """<script id="pipeline-preview">
(() => {
  const shown = "%(version)s";
  const box = document.createElement("div");
  box.id = "pipeline-preview-error";
  box.setAttribute("role", "alert");
  box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:2147483647;margin:0;padding:1em 1.5em;" +
    "background:#8b0000;color:#fff;font:15px/1.45 system-ui,sans-serif;white-space:pre-wrap;" +
    "max-height:60vh;overflow:auto;box-shadow:0 2px 8px rgba(0,0,0,.5)";
  const show = (error) => {
    box.textContent = error ? "The build failed; this is the last good version.\\n\\n" + error : "";
    box.style.display = error ? "block" : "none";
    if (error && !box.isConnected) document.body.append(box);
  };
  const events = new EventSource("%(events)s");
  events.addEventListener("build", (event) => {
    const state = JSON.parse(event.data);
    if (state.version !== shown) location.reload();
    else show(state.error);
  });
})();
</script>
"""

NO_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>pipeline preview: %(slug)s</title></head>
<body><h1>%(slug)s has not built yet</h1><pre>%(error)s</pre></body></html>
"""


def with_reload_script(page: bytes, version: str) -> bytes:
    """The page with the live-reload script before its closing body tag (or at its end)."""
    script = (RELOAD_SCRIPT % {"version": version, "events": EVENTS}).encode()
    end = page.lower().rfind(b"</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


def event(snapshot: Snapshot, version: str) -> bytes:
    """A server-sent event announcing a snapshot: its page's version and its error."""
    data = json.dumps({"version": version, "error": snapshot.error}, ensure_ascii=False)
    return f"event: build\ndata: {data}\n\n".encode()


class PreviewServer(ThreadingHTTPServer):
    """Serves one publication's HTML edition on 127.0.0.1."""

    daemon_threads = True  # an open event stream must not keep the process alive

    def __init__(self, session: PreviewSession, port: int) -> None:
        self.session = session
        # Versions name this server too: a page from an earlier run reloads when its stream reconnects here.
        self.instance = uuid.uuid4().hex[:12]
        super().__init__((HOST, port), PreviewHandler)

    def version(self, snapshot: Snapshot) -> str:
        return f"{self.instance}-{snapshot.version}"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "pipeline-preview"

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal shows builds."""

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_allowed():
            # Another site's page, reaching 127.0.0.1 through a DNS name it controls, gets nothing.
            self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8")
            return
        path = urlsplit(self.path).path
        session = self.server.session
        if path == EVENTS:
            self._events()
        elif path in ("/", f"/{session.slug}.html"):
            self._page(session.snapshot())
        else:
            self._file(path)

    def _host_allowed(self) -> bool:
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        return host in (f"{HOST}:{port}", f"localhost:{port}")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, snapshot: Snapshot) -> None:
        if snapshot.html is None:
            slug = html.escape(self.server.session.slug)
            body = (NO_PAGE % {"slug": slug, "error": html.escape(snapshot.error)}).encode()
        else:
            body = snapshot.html
        self._send(HTTPStatus.OK, with_reload_script(body, self.server.version(snapshot)), "text/html; charset=utf-8")

    def _file(self, url_path: str) -> None:
        """A file in output/<slug>/ (the page's pictures and fonts); anything else is not found."""
        found = resolve_inside(self.server.session.output, url_path)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")
            return
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        self._send(HTTPStatus.OK, found.read_bytes(), content_type)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        session = self.server.session
        seen: Snapshot | None = None
        try:
            while True:
                snapshot = session.wait(seen, KEEP_ALIVE)
                if snapshot is None:
                    return
                self.wfile.write(
                    event(snapshot, self.server.version(snapshot)) if snapshot is not seen else b": idle\n\n"
                )
                self.wfile.flush()
                seen = snapshot
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab was closed or reloaded


_SAFE_PART = re.compile(r"^[^/\\\x00]+$")


def resolve_inside(root: Path, url_path: str) -> Path | None:
    """The regular file ``url_path`` names inside ``root``, or None: no '..', hidden names or links out of it."""
    parts = [unquote(p) for p in url_path.split("/") if p]
    if not parts or any(p in (".", "..") or p.startswith(".") or not _SAFE_PART.match(p) for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
        base = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(base) or not resolved.is_file():
        return None
    return resolved
