"""The standby crawl child: a crawl child started before its job (sidedoor/crawl_standby.py).

A crawl can start the child of the next one (Standby), so a process that crawls again (the
scheduler, a run of many batches, a benchmark) pays start-up once: when another batch of its
run follows, STANDBY_AFTER seconds into it, overlapping the two to three seconds of both
cores a start-up takes with its own waits on the network; and, when the caller crawls again
later (``keep_warm``: the scheduler), as it ends. A crawl never shares the cores with a
start-up that may go unused: a one-off ``sidedoor crawl`` or ``run`` starts none at its end.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STANDBY_AFTER = 5.0
READY = b"r"  # what a standby child says once warm (sidedoor/crawl_standby.py)


class Standby:
    """A crawl child started ahead of its job (sidedoor/crawl_standby.py), so the next crawl
    skips the second or so of start-up; it serves one job in the environment it started in."""

    def __init__(self, db_url: str = "") -> None:
        """``db_url``: the store the next crawl most likely writes, opened ahead too."""
        self.environ = dict(os.environ)
        self.ready = False
        self.conn, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sidedoor.crawl_standby", str(theirs.fileno())],
                env={**self.environ, "SIDEDOOR_STANDBY_DB_URL": db_url}, cwd=ROOT,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),))
        finally:
            theirs.close()

    def wait_ready(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the child to say it is warm; False if it did not
        (still starting, or dead)."""
        if not self.ready:
            self.conn.settimeout(timeout)
            try:
                self.ready = self.conn.recv(1) == READY
            except OSError:  # the timeout too
                pass
            finally:
                self.conn.settimeout(None)
        return self.ready

    def hand(self, job: Path, log: int, locks: Sequence[int]) -> subprocess.Popen[bytes] | None:
        """Give the child its job, the log and the locks; None (and the child stopped) when it
        cannot take it: it died, or the environment changed since it started."""
        if self.process.poll() is None and self.environ == os.environ:
            try:
                socket.send_fds(self.conn, [str(job).encode()], [log, *locks])
            except OSError:
                pass
            else:
                self.conn.close()
                return self.process
        self.stop()
        return None

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.wait()


class Spare:
    """This process's one standby child; crawls in threads (the scheduler) share it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.standby: Standby | None = None
        atexit.register(self.stop)

    def take(self) -> Standby | None:
        with self.lock:
            taken, self.standby = self.standby, None
            return taken

    def start(self, db_url: str) -> None:
        with self.lock:
            if self.standby is None:
                self.standby = Standby(db_url)

    def stop(self) -> None:
        taken = self.take()
        if taken is not None:
            taken.stop()

    def wait_ready(self, timeout: float) -> bool:
        with self.lock:
            return self.standby is not None and self.standby.wait_ready(timeout)


spare = Spare()


def start_standby(db_url: str) -> None:
    """Start this process's standby crawl child now (if it has none), for the store at
    ``db_url``, so that even the first crawl finds one (bench/crawl_vs_civic_scraper.py)."""
    spare.start(db_url)


def standby_ready(timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for this process's standby crawl child to be warm, as
    a scheduler's crawls, hours apart, find it (bench/recrawl.py); False if there is none."""
    return spare.wait_ready(timeout)
