"""The preview's state: rebuild the HTML edition through the build and keep the last good page and the error."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.build import BuildRequest, build
from pipeline.editions import EDITIONS
from pipeline.errors import PipelineError

EDITION = "html"


@dataclass(frozen=True)
class Snapshot:
    """What the browser is shown: the last good page (``version`` counts distinct good pages) and the error."""

    version: int = 0
    html: bytes | None = None  # None until a build has succeeded
    error: str = ""  # why the latest build failed ("" when it succeeded)


class PreviewSession:
    """One publication's HTML edition, rebuilt on demand; threads wait here for the next change."""

    def __init__(self, project: Path, slug: str) -> None:
        self.project = project
        self.slug = slug
        self.output = project / "output" / slug
        self._snapshot = Snapshot()
        self._changed = threading.Condition()
        self._closed = False

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def rebuild(self) -> tuple[Snapshot, float]:
        """Build the HTML edition as `pipeline build SLUG -e html` does; the new snapshot and the seconds taken.

        A failed build keeps the last good page and records the error; nothing here raises for bad input.
        """
        start = time.perf_counter()
        errors: list[str] = []
        html: bytes | None = None
        try:
            results = build(BuildRequest(project=self.project, slugs=[self.slug], editions=[EDITION], jobs=1))
            errors = [r.error for r in results if r.status in ("failed", "skipped")]
            if not errors:
                html = (self.output / EDITIONS[EDITION].filename(self.slug)).read_bytes()
        except PipelineError as exc:
            errors = [str(exc)]
        except OSError as exc:
            errors = [f"{exc.filename or self.output}: cannot be read: {exc.strerror}."]
        except Exception as exc:  # a bug must not stop the server: it is shown like any failed build
            errors = [f"{self.slug}: internal error while building: {type(exc).__name__}: {exc}"]
        with self._changed:
            old = self._snapshot
            if errors:
                new = Snapshot(old.version, old.html, "\n".join(errors))
            elif html != old.html:
                new = Snapshot(old.version + 1, html, "")
            else:
                new = Snapshot(old.version, old.html, "")
            if new != old:
                self._snapshot = new
                self._changed.notify_all()
            current = self._snapshot
        return current, time.perf_counter() - start

    def wait(self, seen: Snapshot | None, timeout: float) -> Snapshot | None:
        """The snapshot once it differs from ``seen`` (or after ``timeout``); None when the session is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._snapshot is not seen, timeout)
            return None if self._closed else self._snapshot

    def close(self) -> None:
        """Wake every waiting thread so that event streams end."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
