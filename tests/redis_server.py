"""A real Redis server for the tests: Debian's ``redis-server``, started per session.

It listens on a free loopback port, keeps nothing on disk (no snapshots, no append-only
file) in a temporary folder and is stopped when the session ends. Without redis-server the
tests that need it skip, except on CI (``CI=true``), where they fail: ``make test`` installs
it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import free_port

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
        said = []
        assert server.stdout is not None
        for line in server.stdout:  # the server says when it listens; no waiting by the clock
            said.append(line)
            if READY in line:
                break
        else:
            raise RuntimeError(f"redis-server exited ({server.wait()}): {''.join(said)}")
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
        message = ("redis-server is not installed: apt-get install redis-server "
                   "(make test does it when run as root)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with running_redis(binary) as url:
        yield url
