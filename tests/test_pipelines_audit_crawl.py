"""Audit-log files in a real crawl over 127.0.0.1: they are read in the reading process under
the crawl's limits, so a workbook inflating to billions of cells is its source's one-line
"too large" error, the audit logs of the other source of the batch are stored with their
findings, and the crawl finishes."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from openpyxl import Workbook

from bench.hostile import xlsx_cell_at_xfd1048576
from config.schema import parse_sources
from demo.server import DemoWorld
from sidedoor import runner

LIMITS = {"cells": 10_000, "wall_seconds": 30}
HEADER = ["id", "userId", "searchDate", "networkCount", "reason"]
CSV_AUDIT = (b"id,userId,searchDate,networkCount,reason\n"
             b"c1,***,2026-04-01T10:00:00Z,12,stolen vehicle\n"
             b"c2,***,2026-04-02T10:00:00Z,1400,ICE ERO assist\n")


def xlsx_audit() -> bytes:
    book = Workbook()
    for row in (["Search audit export"], [], HEADER,
                ["x1", "***", "2026-04-03T09:00:00Z", 30, "USMS fugitive case"],
                ["x2", "***", "2026-04-04T09:00:00Z", 2, "burglary"]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def source(host: str, *files: str) -> dict:
    return {"name": "Ridgemoor PD", "place": "Ridgemoor", "state": "IL", "kind": "records",
            "platform": "audit_log", "start_urls": [f"http://{host}/{f}" for f in files]}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sites")
    for name, files in {"hostile": {"audit.xlsx": xlsx_cell_at_xfd1048576()},
                        "good": {"audit.xlsx": xlsx_audit(), "audit.csv": CSV_AUDIT}}.items():
        (folder / name).mkdir()
        for file, body in files.items():
            (folder / name / file).write_bytes(body)
    data = tmp_path_factory.mktemp("data")
    with DemoWorld(sites=folder, first_port=None) as world:
        hosts = dict(world.hosts)  # emptied when the world stops
        sources = parse_sources({"sources": {
            "ridgemoor_hostile_audits": source(hosts["hostile"], "audit.xlsx"),
            "ridgemoor_good_audits": source(hosts["good"], "audit.xlsx", "audit.csv"),
        }}, folder / "sources.yaml")
        paths = runner.Paths(data, f"sqlite:///{data / 's.sqlite'}", data / "public")
        _run_id, rows = runner.crawl(list(sources.values()), paths, command="test",
                                     settings={"SIDEDOOR_LIMITS": LIMITS})
    return {"rows": {r.source_id: r for r in rows}, "db": sqlite3.connect(data / "s.sqlite"),
            "hosts": hosts}


@pytest.mark.enable_socket
def test_the_workbook_bomb_is_its_source_s_one_line_too_large_error(crawled):
    row = crawled["rows"]["ridgemoor_hostile_audits"]
    url = f"http://{crawled['hosts']['hostile']}/audit.xlsx"
    assert (row.errors, row.error_messages) == (1, [
        f"{url}: too large: number of cells (at least) 10,001 is over the limit of 10,000 "
        "(raise limits.cells in config/site.yaml to read it)"])


@pytest.mark.enable_socket
def test_the_other_source_s_audit_logs_are_stored_with_their_findings(crawled):
    row = crawled["rows"]["ridgemoor_good_audits"]
    found = sorted(crawled["db"].execute(
        "SELECT category, snippet FROM findings WHERE source_id = 'ridgemoor_good_audits'"))
    assert (row.errors, row.error_messages) == (0, [])
    assert [(category, "USMS fugitive case" in snippet, "ICE ERO assist" in snippet)
            for category, snippet in found] == [("federal_access", True, False),  # the XLSX
                                                ("immigration_search", False, True)]  # CSV


@pytest.mark.enable_socket
def test_the_stored_snapshots_hold_the_audit_rows_and_nothing_of_the_bomb(crawled):
    stored = crawled["db"].execute("SELECT d.source_id, d.url, v.data FROM document_versions v "
                                   "JOIN documents d ON v.document_id = d.id")
    reasons = {(source_id, url.rsplit("/", 1)[-1]): [r["reason"] for r in json.loads(data)[
        "search_audit"]] for source_id, url, data in stored}
    assert reasons == {
        ("ridgemoor_good_audits", "audit.xlsx"): ["USMS fugitive case", "burglary"],
        ("ridgemoor_good_audits", "audit.csv"): ["stolen vehicle", "ICE ERO assist"]}
