"""Read documents in worker processes that can be killed: the wall-time and memory limits.

A limit checked in Python cannot stop PDFium inflating a 1 GiB stream or a regular
expression that runs for minutes, and a thread cannot be killed. So :class:`ReadingPool`
keeps ``limits.workers`` processes, each with its address space capped at
``limits.memory_mb``, and hands them one document at a time. A worker that does not answer
within ``limits.wall_seconds`` is killed and replaced; one that dies (out of memory, a crash
in a C library) is replaced too; either way the document gets a one-line "too slow" or "too
large" error. Workers are reused: starting one costs about a second of imports.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from config.limits import Limits
from pipelines.sections import ExtractedText, LimitExceeded, TextError, over_limit

logger = logging.getLogger(__name__)

_START_SECONDS = 120.0  # a first start imports PDFium, lxml and friends on a busy machine


class ReaderUnavailable(TextError):
    """A reading process could not be started, so the document was not read."""


class _Worker:
    """One reading process (``python -m pipelines.worker``) and the parent's end of its pipe."""

    def __init__(self, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
        # A fresh interpreter rather than a fork: the crawl process has threads and locks.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.worker", str(theirs.fileno()), str(memory_mb)],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        if not self.conn.poll(_START_SECONDS):
            self.stop()
            raise ReaderUnavailable("a reading process did not start within "
                                    f"{_START_SECONDS:.0f} s; is the machine overloaded?")
        try:
            self.conn.recv()  # "ready"
        except EOFError:
            self.stop()
            raise ReaderUnavailable(
                "a reading process failed to start (its error is above); check that "
                f"`{sys.executable} -m pipelines.worker` runs") from None

    @property
    def exitcode(self) -> int | None:
        return self.process.returncode

    def stop(self) -> None:
        """Kill the process now and reap it."""
        self.process.kill()
        self.process.wait()
        self.conn.close()

    def close(self) -> None:
        """Ask the process to finish and wait for it."""
        with contextlib.suppress(OSError):  # a dead worker's pipe is closed
            self.conn.send(None)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.stop()
        else:
            self.conn.close()


class ReadingPool:
    """Worker processes that read documents under :class:`~config.limits.Limits`.

    Example::

        pool = ReadingPool(Limits(wall_seconds=10))
        try:
            text = pool.read(body, "application/pdf", url)
        finally:
            pool.close()
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.idle: queue.SimpleQueue[_Worker | None] = queue.SimpleQueue()
        for _ in range(limits.workers):
            self.idle.put(None)  # started on first use

    def start(self) -> None:
        """Start the workers not running yet (otherwise each starts on first use)."""
        workers = [self.idle.get() for _ in range(self.limits.workers)]
        try:
            workers = [worker or _started(self.limits.memory_mb) or _Worker(self.limits.memory_mb)
                       for worker in workers]
        finally:
            for worker in workers:
                self.idle.put(worker)

    def start_in_background(self) -> threading.Thread:
        """:meth:`start` in a thread, while the caller gets on with its own start-up (each
        worker takes a few tenths of a second); join it before the first read. A worker that
        cannot start is said by the read that needs it."""
        def start() -> None:
            with contextlib.suppress(ReaderUnavailable):
                self.start()

        thread = threading.Thread(target=start, name="start-readers", daemon=True)
        thread.start()
        return thread

    def read(self, body: bytes, content_type: str, url: str,
             *, article: bool = False) -> ExtractedText:
        """The text of one document; raises TextError (LimitExceeded past a limit).

        ``article``: as for :func:`pipelines.reader.read_document`.
        """
        text = self.run(url, "pipelines.reader:read_document", body, content_type, url,
                        self.limits, article=article)
        assert isinstance(text, ExtractedText)
        return text

    def run(self, url: str, function: str, *args: Any,
            **kwargs: Any) -> Any:  # Any: whatever ``function`` takes and returns, pickled
        """``function(*args, **kwargs)`` in a worker, under the same limits as :meth:`read`.

        ``function`` is ``"module:name"``, imported in the worker (``sidedoor inspect`` runs a
        page's whole parse this way). Its TextError comes back as it was raised; past a limit,
        or on any other exception, the one-line error names ``url``, as for a document.
        """
        worker: _Worker | None = self.idle.get()
        try:
            if worker is None:
                worker = _start(self.limits.memory_mb, url)  # on failure the slot stays free
            try:
                worker.conn.send((function, args, kwargs, url))
                answered = worker.conn.poll(self.limits.wall_seconds)
                answer = worker.conn.recv() if answered else ("unanswered", None, [])
            except (EOFError, OSError):  # the worker died: a crash or its memory limit
                worker.stop()
                code = worker.exitcode
                worker = None
                raise self._died(url, code) from None
            if not answered:
                worker.stop()
                worker = None
                raise over_limit(url, "seconds to read it (at least)", self.limits.wall_seconds,
                                 self.limits.wall_seconds, "wall_seconds", slow=True)
        finally:
            self.idle.put(worker)
        return _unpack(answer, url)

    def _died(self, url: str, code: int | None) -> LimitExceeded:
        how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exit {code}")
        return LimitExceeded(
            f"{url}: too large: the reading process died ({how}), most likely past its "
            f"memory limit of {self.limits.memory_mb} MB (raise limits.memory_mb in "
            "config/site.yaml to read it)"
        )

    def close(self) -> None:
        """Stop every worker; the pool can still be used afterwards (workers restart)."""
        workers = []
        for _ in range(self.limits.workers):
            workers.append(self.idle.get())
        for worker in workers:
            if worker is not None:
                worker.close()
            self.idle.put(None)


# Workers started before their pool (prestart), by memory limit, for pools to take.
_ready: dict[int, list[_Worker]] = {}
_ready_lock = threading.Lock()


def prestart(memory_mb: int, count: int) -> None:
    """Start ``count`` workers now for this process's pools to take (sidedoor/crawl_standby.py
    does while the crawl before it runs); raises ReaderUnavailable if one cannot start."""
    workers = [_Worker(memory_mb) for _ in range(count)]
    with _ready_lock:
        _ready.setdefault(memory_mb, []).extend(workers)


def _started(memory_mb: int) -> _Worker | None:
    """A prestarted worker with this memory limit that is still running, if any."""
    with _ready_lock:
        ready = _ready.get(memory_mb, [])
        while ready:
            worker = ready.pop()
            if worker.process.poll() is None:
                return worker
            worker.stop()
    return None


def _start(memory_mb: int, url: str) -> _Worker:
    if (ready := _started(memory_mb)) is not None:
        return ready
    try:
        return _Worker(memory_mb)
    except ReaderUnavailable as error:
        raise ReaderUnavailable(f"{url}: not read: {error}") from error


def _unpack(answer: tuple[str, Any, list[tuple[str, int, str]]], url: str) -> Any:
    """Re-log the worker's log lines, then return its result or raise its error."""
    status, value, records = answer
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)
    if status == "ok":
        return value
    if status == "error":
        raise value
    logger.error("%s: reading the text failed in the worker:\n%s", url, value)
    last = value.strip().splitlines()[-1] if value.strip() else "no message"
    raise TextError(f"{url}: could not read the text: {last} (a bug in sidedoor: please "
                    "report it with the file)")


class _Collect(logging.Handler):
    """Keeps a worker's WARNING and ERROR lines to send back with the answer."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _serve(conn: Connection, memory_mb: int) -> None:
    """The worker's loop: read documents until told to stop (None) or killed."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from pipelines.reader import read_document  # imported under the limit, once

    collect = _Collect()
    logging.getLogger().addHandler(collect)
    conn.send("ready")
    functions = {"pipelines.reader:read_document": read_document}
    while (job := _next_job(conn)) is not None:
        function, args, kwargs, url = job
        collect.records = []
        try:
            if function not in functions:
                module, _, name = function.partition(":")
                functions[function] = getattr(importlib.import_module(module), name)
            answer: tuple[str, Any, list[tuple[str, int, str]]] = (
                "ok", functions[function](*args, **kwargs), collect.records)
        except TextError as error:
            answer = ("error", error, collect.records)
        except MemoryError:
            answer = ("error", LimitExceeded(
                f"{url}: too large: reading it needed more than the memory limit of "
                f"{memory_mb} MB (raise limits.memory_mb in config/site.yaml to read it)"),
                collect.records)
        except Exception:  # noqa: BLE001  # any bug must reach the parent as this document's error
            answer = ("bug", traceback.format_exc(), collect.records)
        del job, args, kwargs
        conn.send(answer)


def _next_job(conn: Connection) -> Any:  # Any: what the pool sent
    try:
        return conn.recv()
    except EOFError:  # the parent is gone: nothing more to read
        return None


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
