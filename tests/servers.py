"""What the tests' local servers share (tests/redis_server.py, tests/s3_server.py): waiting
for a server to say it is ready, and skipping (or, on CI, failing) when it is not installed."""

from __future__ import annotations

import os
import subprocess
import threading
from collections import deque
from typing import NoReturn

import pytest


def wait_until_said(server: subprocess.Popen, marker: str, name: str) -> None:
    """Read the server's output until a line holds ``marker``: no waiting by the clock.
    The rest of its output (a log line per request) is read and dropped in a thread, so a
    full pipe never stops the server."""
    said = []
    output = server.stdout
    assert output is not None
    for line in output:
        said.append(line)
        if marker in line:
            threading.Thread(target=deque, args=(output, 0), daemon=True).start()
            return
    raise RuntimeError(f"{name} exited ({server.wait()}) before it was ready: {''.join(said)}")


def missing(message: str) -> NoReturn:
    """Skip a test whose server is not installed; on CI (``CI=true``) fail it instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
