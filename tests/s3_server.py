"""A local S3-compatible server for the tests: moto's server, in its own virtualenv.

moto (PyPI) needs botocore, which pins python-dateutil below 3 while constraints.txt pins
4.0, so it cannot share the project's virtualenv: ``make test`` installs it into ``.venv-s3``
(``make s3-server``). The server listens on a free loopback port and keeps everything in
memory; it is stopped when the session ends. Without it the tests that need it skip, except
on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import free_port
from tests.servers import missing, wait_until_said

ROOT = Path(__file__).resolve().parent.parent
MOTO_SERVER = ROOT / ".venv-s3" / "bin" / "moto_server"
KEYS = {"AWS_ACCESS_KEY_ID": "sidedoor-test", "AWS_SECRET_ACCESS_KEY": "sidedoor-test",
        "AWS_DEFAULT_REGION": "us-east-1"}


@contextlib.contextmanager
def running_s3(binary: Path) -> Iterator[str]:
    """Start a throwaway S3 server; yield its endpoint URL; stop it on leaving."""
    port = free_port()
    server = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, **KEYS})
    try:
        wait_until_said(server, "Running on", "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The endpoint of a local S3 server for the session (skips without one, fails on CI)."""
    if not MOTO_SERVER.exists():
        missing(f"{MOTO_SERVER} is missing: run `make s3-server` (make test does it)")
    with running_s3(MOTO_SERVER) as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new, empty bucket; the environment points sidedoor (and its children) at it."""
    from minio import Minio

    monkeypatch.setenv("SIDEDOOR_S3_ENDPOINT", s3_endpoint)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    name = f"sidedoor-test-{free_port()}"
    Minio(s3_endpoint.split("//")[1], access_key=KEYS["AWS_ACCESS_KEY_ID"],
          secret_key=KEYS["AWS_SECRET_ACCESS_KEY"], secure=False,
          region="us-east-1").make_bucket(name)
    return name
