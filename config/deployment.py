"""Where a deployment beyond one machine keeps its shared parts, read from the environment.

``SIDEDOOR_REDIS_URL`` names the Redis of the shared crawl frontier (``sidedoor worker``);
``SIDEDOOR_ARCHIVE_URL`` the archive (a folder, or ``s3://bucket/prefix`` with
``SIDEDOOR_S3_ENDPOINT`` and the usual ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``).
See docs/scale.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url(default: str = DEFAULT_REDIS_URL) -> str:
    """The frontier's Redis: ``SIDEDOOR_REDIS_URL`` if set, else ``default``."""
    return os.environ.get("SIDEDOOR_REDIS_URL") or default


def archive_url(default: str) -> str:
    """The archive: ``SIDEDOOR_ARCHIVE_URL`` if set, else ``default`` (a folder)."""
    return os.environ.get("SIDEDOOR_ARCHIVE_URL") or default


@dataclass(frozen=True)
class S3Credentials:
    """How to reach an S3-compatible store: its endpoint (host:port, or a URL) and keys."""

    endpoint: str
    access_key: str
    secret_key: str
    region: str


def s3_credentials() -> S3Credentials:
    """The S3 endpoint and keys from the environment (AWS itself when no endpoint is set)."""
    return S3Credentials(
        endpoint=os.environ.get("SIDEDOOR_S3_ENDPOINT") or "https://s3.amazonaws.com",
        access_key=os.environ.get("AWS_ACCESS_KEY_ID", ""),
        secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        region=os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION", ""),
    )
