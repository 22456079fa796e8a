"""Atomic file replacement: write beside the target, fsync, rename; never leave a partial file."""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import OutputError

TMP_SUFFIX = ".tmp"


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}{TMP_SUFFIX}")


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any exception (or KeyboardInterrupt) the temporary file is removed and
    the previous ``target`` is left untouched.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            "is a file where the build keeps a folder (or lies inside one).",
            target.parent,
            hint="Move the file away; output/ holds only what the build writes.",
        ) from None
    except OSError as exc:
        raise unwritable(target.parent, exc) from None
    tmp = temp_path(target)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno in FULL_OR_READ_ONLY or os.fspath(exc.filename or "") in (os.fspath(tmp), os.fspath(target)):
            raise unwritable(target, exc) from None
        raise
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


# Errors of the disk rather than of the file being written.
FULL_OR_READ_ONLY = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def unwritable(path: Path, exc: OSError) -> OutputError:
    """A file in output/ that cannot be written, named, with what to do."""
    return OutputError(
        f"cannot be written: {exc.strerror or exc}.",
        path,
        hint="Make output/ writable and give the disk room, then build again; earlier files are unchanged.",
    )


def write_bytes(target: Path, data: bytes) -> None:
    with replacing(target) as tmp:
        tmp.write_bytes(data)


def sweep(folder: Path) -> list[Path]:
    """Remove temporary files a killed build left in ``folder``."""
    removed = []
    if folder.is_dir():
        for p in folder.glob(f".*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):  # gone already, or a read-only folder: the build says so later
                p.unlink()
                removed.append(p)
    return removed
