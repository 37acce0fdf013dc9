"""The document archive behind one small interface: a local folder, or an S3-compatible store.

Every fetched document is kept once under ``<sha256[:2]>/<sha256>.<ext>`` (pipelines/archive.py
names it); the crawl reads it back for conditional re-crawls (spiders/middlewares/), and the
site build publishes copies of it (reports/). :func:`open_archive` gives the archive at a
location: a folder (the default, ``<data folder>/archive``) or ``s3://bucket/prefix`` for any
S3-compatible store (AWS S3, MinIO, Ceph, R2, ...), reached through the MinIO client with the
endpoint and keys of config/deployment.py. Files are content-addressed, so writing one twice
is harmless: workers on many machines share one bucket without coordination.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

FILE_MODE = 0o644  # world-readable, so a web server running as another user can serve it


class Archive(Protocol):
    """Where archived files live; ``relative`` is a file's path within the archive."""

    location: str

    def put(self, relative: str, body: bytes) -> None:
        """Keep ``body`` at ``relative``; whole or not at all, never half a file."""

    def exists(self, relative: str) -> bool:
        """Whether a file is kept at ``relative``."""

    def read(self, relative: str) -> bytes:
        """The file at ``relative``; FileNotFoundError when there is none."""

    def publish(self, relative: str, target: Path) -> None:
        """Put a copy of the file at ``target`` (a hard link where the archive is local)."""


class FolderArchive:
    """The archive as a folder of the local file system."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)

    def put(self, relative: str, body: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
                os.fchmod(handle.fileno(), FILE_MODE)  # mkstemp makes it owner-only
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def exists(self, relative: str) -> bool:
        return (self.root / relative).is_file()

    def read(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()

    def publish(self, relative: str, target: Path) -> None:
        source = self.root / relative
        try:
            os.link(source, target)
        except OSError:  # another file system, or links not allowed: copy
            shutil.copyfile(source, target)


class S3Archive:
    """The archive as objects under a prefix of a bucket of an S3-compatible store."""

    def __init__(self, url: str) -> None:
        from minio import Minio

        from config.deployment import s3_credentials

        parts = urlsplit(url)
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/")
        self.location = url
        credentials = s3_credentials()
        endpoint = urlsplit(credentials.endpoint if "//" in credentials.endpoint
                            else f"https://{credentials.endpoint}")
        self.client = Minio(endpoint.netloc, access_key=credentials.access_key,
                            secret_key=credentials.secret_key,
                            secure=endpoint.scheme == "https",
                            region=credentials.region or "us-east-1")
        self._known: set[str] | None = None  # keys listed once; content-addressed, so safe

    def _key(self, relative: str) -> str:
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def put(self, relative: str, body: bytes) -> None:
        # an S3 object appears whole when its upload completes, or not at all
        self.client.put_object(self.bucket, self._key(relative), io.BytesIO(body), len(body))
        if self._known is not None:
            self._known.add(relative)

    def exists(self, relative: str) -> bool:
        if self._known is None:  # one listing instead of a request per file
            start = len(self._key(""))
            self._known = {obj.object_name[start:] for obj in self.client.list_objects(
                self.bucket, prefix=self._key(""), recursive=True) if obj.object_name}
        return relative in self._known

    def read(self, relative: str) -> bytes:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, self._key(relative))
        except S3Error as exc:
            if exc.code == "NoSuchKey":
                raise FileNotFoundError(f"{self.location}: no archived file {relative}") from exc
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def publish(self, relative: str, target: Path) -> None:
        self.client.fget_object(self.bucket, self._key(relative), str(target))
        target.chmod(FILE_MODE)


def open_archive(location: str | Path | Archive) -> Archive:
    """The archive at ``location``: ``s3://bucket/prefix``, else a folder (an Archive as is).

    Raises ValueError for an S3 URL without a bucket.
    """
    if not isinstance(location, (str, Path)):
        return location
    if isinstance(location, str) and location.startswith("s3://"):
        if not urlsplit(location).netloc:
            raise ValueError(f"archive URL {location!r} names no bucket; write "
                             "s3://BUCKET/PREFIX (SIDEDOOR_ARCHIVE_URL)")
        return S3Archive(location)
    return FolderArchive(Path(str(location)))


def crawl_archive(settings: Mapping[str, Any]) -> Archive:  # Any: Scrapy setting values
    """A crawl's archive: its ``SIDEDOOR_ARCHIVE_URL`` setting, else the data folder's."""
    return open_archive(settings.get("SIDEDOOR_ARCHIVE_URL")
                        or Path(settings["SIDEDOOR_DATA_DIR"]) / "archive")
