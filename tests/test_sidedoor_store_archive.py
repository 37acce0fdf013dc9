"""The archive behind one interface: a local folder and an S3-compatible store (moto's
server on loopback) keep, find, read and publish files alike; a crawl and a site build work
with the archive in S3."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from pipelines.archive import archive_bytes
from sidedoor.store.archive import Archive, FolderArchive, S3Archive, open_archive
from tests.local_sites import Quiet, crawl_sources, serve
from tests.s3_server import s3_bucket, s3_endpoint  # noqa: F401  # the session's server

BODY = b"%PDF-1.4 minutes of the board"
RELATIVE = "ab/abcdef.pdf"
MINUTES = (b"Minutes of March 4, 2025. Flock Safety gave CBP access to the village's "
           b"National Lookup cameras.")


@pytest.fixture(params=["folder", "s3"])
def archive(request, tmp_path) -> Archive:
    if request.param == "folder":
        return open_archive(tmp_path / "archive")
    return open_archive(f"s3://{request.getfixturevalue('s3_bucket')}/archive")


def test_a_file_put_is_found_and_read_back(archive):
    assert archive.exists(RELATIVE) is False
    archive.put(RELATIVE, BODY)
    assert (archive.exists(RELATIVE), archive.read(RELATIVE)) == (True, BODY)


def test_reading_a_missing_file_names_it(archive):
    with pytest.raises(FileNotFoundError, match="ab/missing.pdf"):
        archive.read("ab/missing.pdf")


def test_a_published_copy_has_the_bytes_and_is_world_readable(archive, tmp_path):
    archive.put(RELATIVE, BODY)
    target = tmp_path / "site" / "copy.pdf"
    target.parent.mkdir()
    archive.publish(RELATIVE, target)
    assert (target.read_bytes(), stat.S_IMODE(target.stat().st_mode) & 0o444) == (BODY, 0o444)


def test_a_document_is_archived_under_its_sha256(archive):
    sha256, relative = archive_bytes(archive, BODY, "application/pdf")
    assert (relative, archive.read(relative)) == (f"{sha256[:2]}/{sha256}.pdf", BODY)


def test_an_s3_url_gives_the_s3_archive_and_a_path_the_folder(s3_bucket, tmp_path):  # noqa: F811
    kinds = [type(open_archive(f"s3://{s3_bucket}/a")), type(open_archive(tmp_path))]
    assert kinds == [S3Archive, FolderArchive]


def test_an_s3_url_without_a_bucket_is_one_clear_error():
    with pytest.raises(ValueError, match=r"'s3:///archive' names no bucket"):
        open_archive("s3:///archive")


def test_objects_live_under_the_prefix(s3_bucket):  # noqa: F811
    from minio import Minio

    archive = open_archive(f"s3://{s3_bucket}/deep/prefix")
    archive.put(RELATIVE, BODY)
    assert isinstance(archive, S3Archive) and isinstance(archive.client, Minio)
    names = [o.object_name for o in archive.client.list_objects(s3_bucket, recursive=True)]
    assert names == [f"deep/prefix/{RELATIVE}"]


class Minutes(Quiet):
    def do_GET(self) -> None:
        if self.path == "/board/":
            self.answer(200, "text/html", b'<a href="/board/m.txt">Minutes</a>')
        elif self.path == "/board/m.txt":
            self.answer(200, "text/plain", MINUTES)
        else:
            self.answer(404, "text/plain", b"")


def test_a_crawl_and_a_build_use_the_archive_in_s3(s3_bucket, tmp_path, monkeypatch):  # noqa: F811
    from sidedoor.runner import Paths, build

    server = serve(Minutes)
    url = f"s3://{s3_bucket}/archive"
    monkeypatch.setenv("SIDEDOOR_ARCHIVE_URL", url)  # the crawl process and the build read it
    try:
        rows = crawl_sources(tmp_path, {"example_board": {
            "name": "Board", "place": "Example", "state": "IL", "kind": "minutes",
            "platform": "document_index", "documents": [r"\.txt$"],
            "start_urls": [f"http://127.0.0.1:{server.server_address[1]}/board/"]}})
    finally:
        server.shutdown()
    sha256 = hashlib.sha256(MINUTES).hexdigest()
    archived = open_archive(url).exists(f"{sha256[:2]}/{sha256}.txt")
    assert (rows["example_board"].outcome, archived) == ("ok", True)
    assert not (tmp_path / "data" / "archive").exists()
    paths = Paths(tmp_path / "data", f"sqlite:///{tmp_path / 'data' / 'db.sqlite'}",
                  tmp_path / "public")
    build(paths, Path(__file__).resolve().parent.parent / "config" / "site.yaml", search=False)
    assert (tmp_path / "public" / "archive" / f"{sha256}.txt").read_bytes() == (
        MINUTES)
