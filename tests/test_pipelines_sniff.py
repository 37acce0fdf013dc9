"""Tests of pipelines/sniff.py: the format comes from the bytes; hints only split text."""

from __future__ import annotations

import pytest

from pipelines.sniff import FORMATS, SUFFIXES, hinted, sniff


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    (b"%PDF-1.7\n", "text/html", "pdf"),
    (b"<!doctype html><title>x</title>", "application/pdf", "html"),
    (b"  <html><body>Minutes</body></html>", "", "html"),
    (b"{\\rtf1\\ansi hello}", "text/plain", "rtf"),
    (b"GIF89a\x01\x00", "", "gif"),
    (b"II*\x00\x08\x00", "", "tif"),
    (b'<?xml version="1.0"?><rss><channel/></rss>', "", "xml"),
    (b"Agency,Reason\nTown PD,ICE\n", "text/csv", "csv"),
    (b"Agency,Reason\nTown PD,ICE\n", "application/vnd.ms-excel", "csv"),
    (b"a\tb\tc\n1\t2\t3\n4\t5\t6\n7\t8\t9\n", "", "csv"),
    (b"Minutes of the meeting, March 4.\nThe board met.\n", "text/csv; charset=utf-8", "csv"),
    (b"Minutes of the meeting.\nThe board met.\n", "text/plain", "txt"),
    (b"\xff\xfeA\x00,\x00B\x00\n\x00", "text/csv", "csv"),
    (b"\x7fELF\x02\x01\x01", "application/pdf", "bin"),
    (b"\xca\xfe\xba\xbe\x00\x00", "", "bin"),
])
def test_sniff(body, content_type, expected):
    assert sniff(body, content_type) == expected


def test_ole_file_with_a_word_stream_is_doc():
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le")
    assert sniff(body, "application/octet-stream") == "doc"


def test_ole_file_with_outlook_streams_is_msg():
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "__substg1.0_0037001F".encode("utf-16-le")
    assert sniff(body) == "msg"


def test_suffix_hints_a_text_format():
    assert hinted(filename="/tmp/audit.TSV") == "csv"


def test_every_suffix_names_a_format():
    assert set(SUFFIXES.values()) <= set(FORMATS)


def test_no_script_or_program_format_is_on_the_allow_list():
    assert not {"hta", "sh", "js", "svg", "exe", "jar", "bat", "ps1"} & set(FORMATS)


def test_a_csv_url_sent_as_text_plain_is_csv():
    assert sniff(b"agency,reason\nTown PD,ICE\n", "text/plain", "https://x.gov/audit.csv") == "csv"


def test_a_declared_type_wins_over_the_suffix_when_it_says_more():
    assert hinted("text/csv", "https://x.gov/export.txt") == "csv"
