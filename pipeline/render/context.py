"""What a renderer receives: the finished model, its settings, and where to write."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from pipeline.config import PublicationConfig
from pipeline.model import Document


@dataclass(frozen=True)
class RenderContext:
    doc: Document
    config: PublicationConfig
    slug: str
    project: Path
    publication_folder: Path
    target: Path  # a temporary file beside the real output; the build renames it
    options: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Path] = field(default_factory=dict)  # outputs of editions this one reads
    sidecar: Path | None = None  # where to leave data for later editions (e.g. page maps)
    cached: dict[str, Any] = field(default_factory=dict)  # beside the model in its cache: "report", "sources"
    text_path: Path | None = None  # the text the model was read from, for errors that name its lines


def build_datetime(config: PublicationConfig) -> datetime:
    """The fixed date of a reproducible build: the publication's date, else SOURCE_DATE_EPOCH, else 1980-01-01."""
    if config.date:
        return datetime.combine(config.date, time(), tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime(1980, 1, 1, tzinfo=UTC)
