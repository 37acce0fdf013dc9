"""Read the pages of a long PDF on two cores: the second half in a forked copy of the process.

PDFium is not thread-safe, so the only way to use a second core for one document is another
process. A fork shares the open document for free (nothing is parsed twice); the child reads
its half of the pages, sends the results back through a pipe and exits without running any
clean-up of the parent. The child dies with its parent (a reading worker killed for its wall
time takes its child along) and inherits the parent's memory cap. If the child fails for any
reason, the parent reads that half itself, so the result never depends on the split.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

SPLIT_PAGES = 24  # below this, forking costs more than the second core saves
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def idle_core() -> bool:
    """Whether a second core is there and, by the load average, not busy: on a machine
    already running a process per core, two processes only take turns."""
    available = cores()
    return available > 1 and os.getloadavg()[0] < available - 0.5


def read_pages(count: int, read: Callable[[range], list[T]]) -> list[T]:
    """``read(range(count))``, with the pages from the middle on read by a forked child when
    ``count`` is at least ``SPLIT_PAGES`` and a second core is idle.

    ``read`` may stop early and return fewer results than its range has pages (a limit was
    passed); the results of later pages are then left off too.
    """
    if count < SPLIT_PAGES or not hasattr(os, "fork") or not idle_core():
        return read(range(count))
    middle = (count + 1) // 2
    first_part, second_part = range(middle), range(middle, count)
    source, sink = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child, which never returns
        os.close(source)
        _child(read, second_part, sink, parent)
    os.close(sink)
    second: list[T] | None = None
    try:
        first = read(first_part)
        if len(first) == len(first_part):
            second = _receive(source, child)
            child = 0
    finally:
        os.close(source)
        if child:  # read failed or stopped early: the child's pages are not wanted
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
    if len(first) < len(first_part):
        return first
    return first + (second if second is not None else read(second_part))


def _receive(source: int, child: int) -> list[T] | None:
    """The child's results, or None if it failed."""
    chunks = []
    while chunk := os.read(source, 1 << 20):
        chunks.append(chunk)
    _, status = os.waitpid(child, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        result: list[T] = pickle.loads(b"".join(chunks))
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
    return result


def _child(read: Callable[[range], list[T]], part: range, sink: int,
           parent: int) -> None:  # pragma: no cover - runs in the forked child
    code = 1
    try:
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == parent:  # else the parent died before the line above
            data = pickle.dumps(read(part), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(sink, view):]
            code = 0
    finally:
        os._exit(code)
