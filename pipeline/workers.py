"""What a build's worker process does first: leave Ctrl-C to the main process, and die with it.

A main process killed outright (``kill -9``, the OOM killer) cannot stop its workers; a worker then
notices that its parent is gone and exits at once. On Linux the kernel tells it
(``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread watches the parent's process id. A worker writes
only temporary files beside its targets, which the next build sweeps away.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 0.5


def init_worker(parent: int) -> None:
    """The process pool's initializer; ``parent`` is the main process's id, taken before the fork."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    if not _kernel_signals_parent_death():
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)


def _kernel_signals_parent_death() -> bool:
    """Ask Linux to SIGKILL this process when its parent exits; False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
