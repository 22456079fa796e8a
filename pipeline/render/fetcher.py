"""WeasyPrint's door to resources: what ``pipeline.url_policy`` allows, nothing from a network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from weasyprint.urls import FatalURLFetchingError, URLFetcher

from pipeline.errors import PipelineError
from pipeline.url_policy import OUTSIDE, REMEDY, Refused, local_file


class ResourceRefused(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop the render; converted to a PipelineError by the renderer."""


class LocalOnlyFetcher(URLFetcher):
    """Allows ``data:`` URLs and files under ``roots`` (the URL policy); refuses (and records) everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        try:
            local_file(url, self.roots)
        except Refused:
            self.refused.append(url)
            raise ResourceRefused(url) from None
        return super().fetch(url, headers)


def fetch_error(exc: FatalURLFetchingError, source: Path) -> PipelineError:
    """What stopped a render while it fetched: a URL the policy refuses, or a file that cannot be read.

    (In WeasyPrint 70 FatalURLFetchingError is a BaseException, which no ``except Exception`` catches.)
    """
    url = str(exc.args[0]) if exc.args else ""
    if isinstance(exc, ResourceRefused):
        return PipelineError(f"the layout asks for {url!r}, which {OUTSIDE}.", source, hint=REMEDY)
    url = url.removeprefix('Error fetching "').removesuffix('"')
    cause = exc.__cause__
    reason = getattr(getattr(cause, "reason", None), "strerror", None) or "it cannot be read"
    return PipelineError(
        f"the layout asks for {url!r}, which cannot be read ({reason}).",
        source,
        hint="Put the file there, or remove the reference from the layout.",
    )
