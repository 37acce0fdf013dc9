"""The content-addressed archive: one file per content, written atomically."""

from __future__ import annotations

from pipelines.archive import archive_bytes


def test_same_content_is_stored_once(tmp_path):
    first = archive_bytes(tmp_path, b"%PDF-1.4 minutes", "application/pdf")
    second = archive_bytes(tmp_path, b"%PDF-1.4 minutes", "application/pdf")
    assert first == second
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


def test_path_is_the_sha256_with_the_media_type_extension(tmp_path):
    sha, relative = archive_bytes(tmp_path, b"a,b\n1,2\n", "text/csv")
    assert relative == f"{sha[:2]}/{sha}.csv"
    assert (tmp_path / relative).read_bytes() == b"a,b\n1,2\n"


def test_no_temporary_files_are_left_behind(tmp_path):
    archive_bytes(tmp_path, b"<html></html>", "text/html")
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []
