"""Per-source crawl locks, so a cron-driven ``sidedoor run`` and a running scheduler never
crawl the same source at once.

A lock is an ``flock``ed file under ``<data>/locks/``; the kernel releases it when its
holder dies, so a killed process never leaves a stale lock. The file says who holds it.
The lock belongs to the open file, so a crawl child that inherits the file's descriptor
(``pass_fds``) holds it too: a killed parent does not free a source its child still crawls.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class LockHeld(Exception):
    """Another process is crawling this source; the message says which."""


@contextmanager
def source_lock(lock_dir: Path, source_id: str, holder: str) -> Iterator[int]:
    """Hold the crawl lock of one source, or raise LockHeld naming who has it; give the
    lock file's descriptor, for a child process to inherit."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{source_id}.lock"
    handle: IO[str] = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            who = handle.read().strip() or "another process"
            raise LockHeld(f"source {source_id} is being crawled by {who}; "
                           f"try again when it finishes (lock: {path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} ({holder}, since "
                     f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)")
        handle.flush()
        yield handle.fileno()
    finally:
        handle.close()


@contextmanager
def source_locks(lock_dir: Path, source_ids: Sequence[str], holder: str) -> Iterator[list[int]]:
    """Hold the locks of several sources at once, all or none; give their descriptors."""
    with ExitStack() as stack:
        yield [stack.enter_context(source_lock(lock_dir, source_id, holder))
               for source_id in sorted(source_ids)]
