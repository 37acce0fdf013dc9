"""Tests of `sidedoor extract` on every format it reads: right findings, or one-line refusals."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from test_pipelines_officetext import MEMO, memo_docx, memo_email, memo_rtf, word97

from sidedoor.cli import main

FILES = {
    "memo.docx": memo_docx,
    "memo.rtf": memo_rtf,
    "memo.eml": memo_email,
    "memo.txt": lambda: "\r\n\r\n".join(MEMO).encode("cp1252"),
    "memo-utf16.txt": lambda: "\n\n".join(MEMO).encode("utf-16-le"),
    "memo.doc": lambda: word97("\n".join(MEMO)),
}


def extract(tmp_path, name: str, body: bytes) -> tuple[int, list[dict], str]:
    path = tmp_path / name
    path.write_bytes(body)
    result = CliRunner().invoke(main, ["extract", "--json", str(path)])
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, findings, result.stderr


@pytest.mark.parametrize("name", sorted(FILES))
def test_extract_finds_the_memo_s_federal_access_in_every_format(tmp_path, name):
    if name.endswith(".doc") and shutil.which("antiword") is None:
        pytest.skip("antiword is not installed")
    code, findings, _ = extract(tmp_path, name, FILES[name]())
    assert (code, [f["category"] for f in findings if "ICE" in f["agencies"]]) == (
        0, ["federal_access"])


def test_extract_refuses_an_unknown_format_in_one_line_naming_the_file(tmp_path):
    code, findings, stderr = extract(tmp_path, "tool.pdf", b"MZ\x90\x00\x03" + bytes(200))
    assert (code, findings, stderr.count("\n"), stderr.startswith(str(tmp_path / "tool.pdf"))) \
        == (1, [], 1, True)
