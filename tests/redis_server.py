"""A real Redis server for the tests: Debian's ``redis-server``, started per session.

It listens on a free loopback port, keeps nothing on disk (no snapshots, no append-only
file) in a temporary folder and is stopped when the session ends. Without redis-server the
tests that need it skip, except on CI (``CI=true``), where they fail: ``make test`` installs
it.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import free_port
from tests.servers import missing, wait_until_said

READY = "Ready to accept connections"


@contextlib.contextmanager
def running_redis(binary: str) -> Iterator[str]:
    """Start a throwaway server; yield its URL; stop it and delete its folder on leaving."""
    folder = Path(tempfile.mkdtemp(prefix="sidedoor-redis-"))
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_said(server, READY, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """The URL of a Redis server for the session (skips without one, fails on CI)."""
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if binary is None:
        missing("redis-server is not installed: apt-get install redis-server "
                "(make test does it when run as root)")
    with running_redis(binary) as url:
        yield url
