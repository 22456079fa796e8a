"""The only door to resources: data: URLs and files inside the allowed folders, nothing from a network."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher

from pipeline.errors import PipelineError


class ResourceRefused(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop the render; converted to a PipelineError by the renderer."""


class LocalOnlyFetcher(URLFetcher):
    """Allows ``data:`` URLs and ``file:`` URLs under ``roots``; refuses (and records) everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(unquote(urlparse(url).path))).resolve()
            if any(path.is_relative_to(root) for root in self.roots):
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ResourceRefused(url)


def refused_error(url: str, source: Path) -> PipelineError:
    return PipelineError(
        f"the layout asks for {url!r}, which is neither a data: URL nor a file in layouts/, fonts/ "
        "or the publication's folder; nothing is fetched from outside.",
        source,
        hint="Copy the resource into the publication's folder and refer to it by a relative path.",
    )
