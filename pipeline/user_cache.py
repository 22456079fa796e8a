"""The user's cache folder: what the pipeline compiles once per machine (the lexicon, hyphenation
patterns, the URLs each layout file refers to), never an input. A file there that is missing or
unreadable is made again; a folder that cannot be written is not an error.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/partiprogram``, else ``~/.cache/partiprogram``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "partiprogram"


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False if the folder is not writable."""
    import tempfile  # here: only the first run on a machine writes, and the import costs a few ms

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
