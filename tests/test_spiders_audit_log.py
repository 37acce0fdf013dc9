"""Tests for spiders/audit_log.py (with pipelines/audit_read.py, which reads its files under
the reading limits): CSV and XLSX search audits, and the audit-log spider."""

from __future__ import annotations

import asyncio
import io
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from scrapy.exceptions import DropItem
from scrapy.http import Request, TextResponse

from config.limits import Limits
from config.schema import SourceConfig
from pipelines.audit_read import parse_audit_log
from pipelines.sections import TextError
from pipelines.text import TextPipeline
from spiders.audit_log import AuditLogSpider, folder_files
from spiders.base import LayoutChanged
from spiders.items import AuditLogItem

FIXTURES = Path(__file__).parent / "fixtures" / "flock_portal"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
AUDIT_URL = "https://records.example.gov/releases/network_audit.csv"


def corpus_bytes(relative: str) -> bytes:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is not mounted)")
    return path.read_bytes()


@pytest.fixture(scope="module")
def san_mateo():
    body = corpus_bytes("audit_logs/san-mateo-ca-pd_search_audit_a871b2fc.csv")
    return parse_audit_log(body, "san-mateo-ca-pd_search_audit_a871b2fc.csv")


@pytest.fixture(scope="module")
def network_audit():
    body = (FIXTURES / "network_audit_13_columns.csv").read_bytes()
    return parse_audit_log(body, "network_audit_13_columns.csv")


def source(*urls: str) -> SourceConfig:
    return SourceConfig(id="cedar_bend_audits", name="Cedar Bend IL PD", place="Cedar Bend",
                        kind="records", platform="audit_log", start_urls=list(urls or [AUDIT_URL]))


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the portal search audit (corpus San Mateo, all fields quoted) --

def test_san_mateo_audit_has_91_rows(san_mateo):
    assert len(san_mateo) == 91


def test_san_mateo_reasons_are_counted_as_released(san_mateo):
    assert Counter(r.reason for r in san_mateo) == {
        "Investigation": 74, "BOL": 10, "Stolen": 5, "Missing Person / AMBER": 2}


def test_san_mateo_network_counts_are_integers(san_mateo):
    assert {r.network_count for r in san_mateo} == {1, 2, 3, 21, 405, 406, 449, 450, 451}


def test_san_mateo_first_row_keeps_id_user_and_date(san_mateo):
    first = san_mateo[0]
    assert (first.id, first.user_id, first.search_date) == (
        "2423221c-ac64-41d4-867e-8ac686507af0", "***", "2026-03-10T04:31:52.901Z")


# -- the 2026 schema with offenseType (corpus Grand Rapids head) --

def test_offense_type_fills_the_reason():
    body = corpus_bytes("flock_portals/new_layout/grand-rapids-mi-pd_audit_2026-10_head.csv")
    rows = parse_audit_log(body, "2026-10.csv")
    assert (len(rows), rows[8].reason) == (
        14, "Assault/Battery Offenses (Domestic), Weapons Offense (Guns/Shots Fired)")


def test_zero_networks_is_zero_not_missing():
    body = corpus_bytes("flock_portals/new_layout/grand-rapids-mi-pd_audit_2026-10_head.csv")
    counts = [r.network_count for r in parse_audit_log(body, "2026-10.csv")]
    assert (min(counts), max(counts)) == (0, 5527)


# -- the 13-column network/organization audit export --

def test_network_audit_reads_every_row(network_audit):
    assert len(network_audit) == 6


def test_network_audit_maps_columns_by_name(network_audit):
    row = network_audit[0]
    assert (row.id, row.user_id, row.organization, row.network_count, row.reason,
            row.case_number, row.search_date) == (
        "c1", "Officer A", "Harbor City TX PD", 1, "stolen vehicle", "24-001",
        "2026-02-01 10:00:00 UTC")


def test_network_audit_does_not_keep_licence_plates(network_audit):
    assert "ABC1234" not in repr(network_audit)


def test_xlsx_export_with_a_title_block_is_read():
    body = xlsx([
        ["Network Audit export"], [],
        ["ID", "Name", "Org Name", "Total Networks Searched", "Reason", "Search Time"],
        ["x1", "Officer A", "Harbor City TX PD", 12.0, "ICE", datetime(2026, 2, 1, 10, 0)],
    ])
    (row,) = parse_audit_log(body, "audit.xlsx")
    assert (row.reason, row.network_count, row.search_date) == ("ICE", 12, "2026-02-01T10:00:00")


def test_reason_column_wins_over_offense_type_when_both_are_filled():
    body = b"ID,Reason,Offense Type\nz1,ICE assist,Drugs/Narcotics\nz2,,Robbery\n"
    assert [r.reason for r in parse_audit_log(body, "org.csv")] == ["ICE assist", "Robbery"]


def test_windows_encoded_csv_is_read():
    body = "id,reason\nw1,Caf\xe9 burglary\n".encode("cp1252")
    assert parse_audit_log(body, "w.csv")[0].reason == "Caf\xe9 burglary"


def test_file_that_is_no_audit_is_a_text_error_naming_it():
    with pytest.raises(TextError, match=r"^minutes\.csv: no header row in the first 10 rows"):
        parse_audit_log(b"date,item\n2026-01-01,approve minutes\n", "minutes.csv")


def test_audit_without_a_reason_column_is_read():
    # The shape of 14 real portal audits of 2026: no reason, which is valid.
    body = (b'"id","userId","searchDate","networkCount"\n'
            b'"a1","***","2026-04-01T10:00:00.000Z","383"\n'
            b'"a2","***","2026-04-01T11:00:00.000Z","1"\n')
    rows = parse_audit_log(body, "search_audit.csv")
    assert [(r.id, r.network_count, r.reason) for r in rows] == [("a1", 383, ""), ("a2", 1, "")]


def test_audit_with_a_case_number_and_no_reason_keeps_the_case_number():
    body = (b'"id","userId","searchDate","networkCount","caseNumber"\n'
            b'"a1","***","2026-04-01T10:00:00.000Z","12","26-0412"\n')
    (row,) = parse_audit_log(body, "search_audit.csv")
    assert (row.case_number, row.search_date, row.reason) == (
        "26-0412", "2026-04-01T10:00:00.000Z", "")


# -- the spider --

def csv_response(url: str, body: bytes) -> TextResponse:
    return TextResponse(url, body=body, encoding="utf-8", request=Request(url),
                        headers={"Content-Type": "text/csv"})


@pytest.fixture(scope="module")
def text_pipeline():
    """The text pipeline, which reads audit files in its reading process."""
    pipeline = TextPipeline(limits=Limits(workers=1, wall_seconds=60))
    yield pipeline
    pipeline.close_spider()


def test_spider_hands_the_file_on_unread_as_an_audit_log_item():
    body = (FIXTURES / "network_audit_13_columns.csv").read_bytes()
    (item,) = list(AuditLogSpider(source=source()).parse(csv_response(AUDIT_URL, body)))
    assert isinstance(item, AuditLogItem)
    assert (item.body, item.snapshot.layout, item.snapshot.search_audit) == (
        body, "audit_log", [])


def test_text_pipeline_reads_the_audit_into_a_snapshot_named_after_the_source(text_pipeline):
    body = (FIXTURES / "network_audit_13_columns.csv").read_bytes()
    (item,) = list(AuditLogSpider(source=source()).parse(csv_response(AUDIT_URL, body)))
    text_pipeline.read(item)
    assert (item.snapshot.agency, len(item.snapshot.search_audit)) == ("Cedar Bend IL PD", 6)
    assert item.snapshot.search_audit == parse_audit_log(body, AUDIT_URL)


def test_spider_snapshot_has_no_portal_values():
    body = (FIXTURES / "network_audit_13_columns.csv").read_bytes()
    (item,) = list(AuditLogSpider(source=source()).parse(csv_response(AUDIT_URL, body)))
    assert (item.snapshot.organizations_with_access, item.snapshot.camera_count) == ([], None)


def test_text_pipeline_drops_a_file_that_is_no_audit_with_its_one_line_error(text_pipeline):
    response = csv_response(AUDIT_URL, b"date,item\n2026-01-01,x\n")
    (item,) = list(AuditLogSpider(source=source()).parse(response))
    with pytest.raises(DropItem, match=rf"^{re.escape(AUDIT_URL)}: no header row in the first"):
        text_pipeline.read(item)


def test_an_unchanged_audit_file_is_not_read_again(text_pipeline):
    (item,) = list(AuditLogSpider(source=source()).parse(csv_response(AUDIT_URL, b"x")))
    item.unchanged = True
    assert text_pipeline.read(item).snapshot.search_audit == []


def test_a_workbook_past_the_cell_limit_is_too_large_not_read():
    body = xlsx([["id", "reason"]] + [[str(n), "ICE"] for n in range(60)])
    with pytest.raises(TextError, match=r"^audit\.xlsx: too large: number of cells \(at "
                                        r"least\) 102 is over the limit of 100 "):
        parse_audit_log(body, "audit.xlsx", Limits(cells=100))


def test_folder_lists_only_csv_and_xlsx_files(tmp_path):
    for name in ("b.xlsx", "a.csv", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in folder_files(tmp_path.as_uri())] == ["a.csv", "b.xlsx"]


def test_spider_requests_each_file_of_a_local_folder(tmp_path):
    for name in ("a.csv", "b.csv", "readme.md"):
        (tmp_path / name).write_bytes(b"")
    # sources.yaml accepts http(s) URLs only today; build the config as the CLI would for a folder
    config = source().model_copy(update={"start_urls": (tmp_path.as_uri(),)})

    async def requests() -> list[Request]:
        return [r async for r in AuditLogSpider(source=config).start()]

    urls = [r.url for r in asyncio.run(requests())]
    assert urls == [(tmp_path / "a.csv").as_uri(), (tmp_path / "b.csv").as_uri()]


@pytest.mark.parametrize("payload", ["data:text/csv;base64,SUQsdXNlcklk\u00e9",
                                     "data:text/csv;base64,A"])
def test_an_embedded_audit_that_is_not_base64_is_a_layout_change(payload):
    from parsel import Selector

    from spiders.audit_log import embedded_audit

    page = Selector(text=f'<a href="{payload}">Download search audit</a>')
    with pytest.raises(LayoutChanged, match="embedded search audit.*not valid base64"):
        embedded_audit(page, "https://fuzz.example.test/p")


def test_rows_ended_by_a_lone_carriage_return_are_read_row_by_row():
    body = b"id,userId,searchDate,networkCount,reason\r1,u1,2025-01-02,3,ICE\r2,u2,2025-01-03,1,x"
    assert [row.reason for row in parse_audit_log(body, "audit.csv")] == ["ICE", "x"]


def test_rows_are_numbered_as_a_spreadsheet_numbers_them():
    body = (b"Search audit export\n\nid,userId,searchDate,networkCount,reason\n"
            b"1,u1,2025-01-02,3,ICE\n,,,,\n2,u2,2025-01-03,1,x\n")
    assert [(r.id, r.row) for r in parse_audit_log(body, "audit.csv")] == [("1", 4), ("2", 6)]


@pytest.fixture
def csv_field_limit():
    """The csv module's field limit is process-wide: set it for the test, then restore it."""
    import csv

    before = csv.field_size_limit(1000)
    yield 1000
    csv.field_size_limit(before)


def test_csv_the_reader_cannot_parse_is_a_text_error(csv_field_limit):
    huge = b'"' + b"x" * (csv_field_limit * 2) + b'"'
    with pytest.raises(TextError, match=r"^audit.csv: not a readable CSV \(field larger"):
        parse_audit_log(b"id,reason\n1," + huge + b"\n", "audit.csv")
