"""Peak memory of a process tree, for the benchmarks: the summed RSS of this process's
descendants (not itself, which serves the generated world), sampled every 0.2 s.

    with TreeRss() as meter:
        subprocess.run(...)
    meter.peak_mb
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


class TreeRss:
    """Samples the summed RSS of this process's descendants until the block ends."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        self.peak_kb = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    def _run(self) -> None:
        while not self.stop.wait(self.every):
            self.peak_kb = max(self.peak_kb, descendants_rss_kb(os.getpid()))

    def __enter__(self) -> TreeRss:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


def _processes() -> dict[int, tuple[int, int]]:
    """Every process's (parent pid, RSS in kB), from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        rss = next((int(line.split()[1]) for line in status.splitlines()
                    if line.startswith("VmRSS:")), 0)
        found[int(entry.name)] = (parent, rss)
    return found


def descendants_rss_kb(root: int) -> int:
    """The summed RSS of every descendant of ``root``."""
    processes = _processes()
    total, frontier = 0, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, rss) in processes.items():
            if ppid == parent:
                total += rss
                frontier.append(pid)
    return total
