"""Save a pikepdf document through Python's own file writing.

QPDF writing a file itself aborts the whole process when the disk is full (its C++ exception escapes
as ``terminate``); written from memory by Python, a full disk is an OSError the build reports.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def save_pdf(pdf: Any, path: Path | str, **options: Any) -> None:
    """``pdf.save(path)`` with the project's settings (reproducible ids, compressed streams) and ``options``."""
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True, compress_streams=True, **options)
    Path(path).write_bytes(buffer.getvalue())
