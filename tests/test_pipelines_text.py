"""Tests of pipelines/text.py: HTML, CSV, XLSX and plain-text extraction, sections, the pipeline."""

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from config.limits import Limits
from pipelines.sniff import FORMATS
from pipelines.text import (
    ExtractedText,
    Section,
    TextError,
    TextPipeline,
    extract_text,
    section_at,
)
from spiders.items import DocumentItem, PortalSnapshotItem

XLSX = FORMATS["xlsx"]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
corpus = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
URL = "https://town.example.gov/docs/minutes"


def html(body: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def section_text(extracted: ExtractedText, label: str) -> str:
    section = next(s for s in extracted.sections if s.label == label)
    return extracted.text[section.start:section.end]


# -- HTML ---------------------------------------------------------------------------------------


def test_html_blocks_are_separate_lines():
    page = extract_text(html("<div>Budget approved.<p>ICE request<b> denied</b></p></div>"),
                        "text/html", URL)
    assert page.text == "Budget approved.\nICE request denied"


def test_html_table_row_is_one_line_of_cells():
    body = html("<table><tr><th>Date</th><th>Agency</th></tr>"
                "<tr><td>2024-05-01</td><td>HSI\n  Chicago</td></tr></table>")
    assert extract_text(body, "text/html", URL).text == "Date | Agency\n2024-05-01 | HSI Chicago"


def test_html_table_cells_with_one_paragraph_each_stay_one_row():
    body = html("<table><tr><td><p>HSI</p></td><td><p>2024</p></td></tr></table>")
    assert extract_text(body, "text/html", URL).text == "HSI | 2024"


def test_html_layout_table_cell_keeps_its_blocks_apart():
    body = html("<table><tr><td><p>First paragraph.</p><p>Second paragraph.</p></td></tr></table>")
    assert extract_text(body, "text/html", URL).text == "First paragraph.\nSecond paragraph."


def test_html_br_breaks_the_line():
    assert extract_text(html("<p>Item one<br>Item two</p>"), "text/html", URL).text == (
        "Item one\nItem two"
    )


def test_html_pre_keeps_its_lines():
    body = html("<pre>Item 1   Flock\nItem 2   ALPR</pre><p>After</p>")
    assert extract_text(body, "text/html", URL).text == "Item 1 Flock\nItem 2 ALPR\nAfter"


def test_html_drops_script_style_nav_header_footer_and_search_form():
    body = html(
        "<header><a>Home</a></header><nav>Menu</nav><script>var x = 1;</script>"
        "<style>p {color: red}</style><form><input name=q><label>Search</label></form>"
        "<p>Minutes of the board.</p><footer>Copyright</footer>"
    )
    assert extract_text(body, "text/html", URL).text == "Minutes of the board."


def test_html_keeps_a_header_inside_the_article():
    body = html("<header>Site</header><main><article><header><h1>Meeting 5</h1></header>"
                "<p>Held.</p></article></main>")
    assert extract_text(body, "text/html", URL).text == "Meeting 5\nHeld."


def test_html_keeps_content_of_a_form_wrapping_the_whole_page():
    body = html("<form id='aspnetForm'><h2>Calendar</h2><table><tr><td>Board</td></tr></table>"
                "</form>")
    assert extract_text(body, "text/html", URL).text == "Calendar\nBoard"


def test_html_drops_hidden_elements():
    body = html("<p>Shown</p><div hidden>Secret</div><div style='display: none'>Modal</div>")
    assert extract_text(body, "text/html", URL).text == "Shown"


def test_html_headings_start_sections():
    body = html("<p>Intro</p><h2>Public comment</h2><p>Two speakers.</p><h3>Votes</h3><p>None</p>")
    page = extract_text(body, "text/html", URL)
    assert [s.label for s in page.sections] == [
        "top of page", 'section "Public comment"', 'section "Votes"'
    ]


def test_html_section_offsets_cover_the_heading_and_its_text():
    body = html("<p>Intro</p><h2>Public comment</h2><p>Two speakers.</p><h3>Votes</h3><p>None</p>")
    page = extract_text(body, "text/html", URL)
    assert section_text(page, 'section "Public comment"') == "Public comment\nTwo speakers."


def test_html_without_headings_is_one_page_section():
    page = extract_text(html("<p>Just text.</p>"), "text/html", URL)
    assert page.sections == [Section("page", 0, len("Just text."))]


def test_html_long_heading_label_is_truncated():
    page = extract_text(html(f"<h1>{'Surveillance technology ' * 5}</h1>"), "text/html", URL)
    assert len(page.sections[0].label) == len('section ""') + 60


def test_html_title_comes_from_the_title_element():
    page = extract_text(html("<h1>Heading</h1>", head="<title> Board  minutes </title>"),
                        "text/html", URL)
    assert page.title == "Board minutes"


def test_html_title_falls_back_to_the_first_heading():
    assert extract_text(html("<h1>Police Board</h1>"), "text/html", URL).title == "Police Board"


def test_html_decodes_the_charset_of_the_content_type():
    body = html("<p>Señor Ávila</p>").decode().encode("cp1252")
    page = extract_text(body, "text/html; charset=windows-1252", URL)
    assert page.text == "Señor Ávila"


def test_html_decodes_the_meta_charset():
    body = html("<p>Résumé</p>", head='<meta charset="iso-8859-1">').decode().encode("latin-1")
    assert extract_text(body, "text/html", URL).text == "Résumé"


def test_html_without_a_charset_that_is_not_utf8_is_read_as_windows_1252():
    body = "<p>The caf\u00e9\u2019s \u201cpilot\u201d</p>".encode("cp1252")
    assert extract_text(body, "text/html", URL).text == "The caf\u00e9\u2019s \u201cpilot\u201d"


def test_html_undecodable_bytes_of_a_declared_charset_become_replacement_characters():
    body = b"<p>caf\xe9 open</p>"
    assert extract_text(body, "text/html; charset=utf-8", URL).text == "caf\ufffd open"


@corpus
def test_corpus_chicago_district_council_page_has_a_heading_section():
    body = (CORPUS / "council/chicago/chi_police_district_councils__DC001.html").read_bytes()
    page = extract_text(body, "text/html", URL)
    assert "Agendas and Notices" in section_text(page, 'section "District Council 001"')


@corpus
@pytest.mark.parametrize("name", [
    "chicago/chi_police_district_councils__DC001.html",
    "chicago/chi_policeboard.html",
    "cuyahoga/cuya_regional_data_sharing.html",
    "civicplus/civplus_alameda_water.html",
])
def test_corpus_pages_leak_no_script_or_style(name):
    text = extract_text((CORPUS / "council" / name).read_bytes(), "text/html", URL).text
    assert [m for m in ("function(", "function ", "});", "{display", "display:") if m in text] == []


@corpus
def test_corpus_cuyahoga_event_location_is_in_its_section():
    body = (CORPUS / "council/cuyahoga/cuya_regional_data_sharing_detail.html").read_bytes()
    page = extract_text(body, "text/html", URL)
    assert section_text(page, 'section "Location"') == (
        "Location\n2079 East 9th St. Cleveland, OH 44115 - Room 4-407\nMinutes"
    )


@corpus
def test_corpus_cuyahoga_membership_table_row_is_one_line():
    body = (CORPUS / "council/cuyahoga/cuya_regional_data_sharing.html").read_bytes()
    lines = extract_text(body, "text/html", URL).text.split("\n")
    assert "Michael C. O'Malley - Chairman | Jan 1, 2024 | Prosecutor" in lines


# -- plain text, dispatch, section_at -----------------------------------------------------------


def test_plain_text_is_kept_as_is_in_one_section():
    page = extract_text(b"Line one\r\nLine two\n", "text/plain; charset=utf-8", URL)
    assert (page.text, page.sections) == ("Line one\nLine two\n", [Section("page", 0, 18)])


def test_csv_sent_as_excel_type_is_read_as_csv():
    body = b"agency,reason\nTown PD,ICE\n"
    page = extract_text(body, "application/vnd.ms-excel", URL)
    assert page.text == "agency: Town PD; reason: ICE"


def test_legacy_xls_workbook_is_refused_with_what_to_do():
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le")
    with pytest.raises(TextError, match=r"legacy Excel \(\.xls\) workbook, which sidedoor does "
                                        r"not read \(save it as \.xlsx or CSV\)"):
        extract_text(body, "application/vnd.ms-excel", URL)


def test_unknown_format_names_the_url_and_its_first_bytes():
    with pytest.raises(TextError, match=r"^https://town\.example\.gov/docs/minutes: not a format "
                                        r"sidedoor reads \(its first bytes are b'MZ\\x90"):
        extract_text(b"MZ\x90\x00\x03\x00\x00\x00", "application/msword", URL)


SECTIONS = [Section("page 1", 0, 10), Section("page 2", 12, 30), Section("page 3", 32, 40)]


@pytest.mark.parametrize(("offset", "label"), [
    (0, "page 1"), (9, "page 1"), (12, "page 2"), (20, "page 2"), (29, "page 2"),
    (10, "page 1"), (35, "page 3"), (99, "page 3"),
])
def test_section_at_maps_an_offset_to_its_section(offset, label):
    assert section_at(SECTIONS, offset) == label


def test_section_at_without_sections_is_empty():
    assert section_at([], 5) == ""


# -- CSV and XLSX -------------------------------------------------------------------------------

AUDIT = "audit_logs/san-mateo-ca-pd_search_audit_a871b2fc.csv"


@corpus
def test_corpus_audit_log_has_one_line_per_row_with_its_reason():
    page = extract_text((CORPUS / AUDIT).read_bytes(), "text/csv", URL)
    lines = page.text.split("\n")
    assert (len(lines), sum(line.endswith("; reason: Investigation") for line in lines)) == (91, 74)


@corpus
def test_corpus_audit_log_row_reads_as_a_line_of_fields():
    page = extract_text((CORPUS / AUDIT).read_bytes(), "text/csv", URL)
    assert page.text.split("\n")[0] == (
        "id: 2423221c-ac64-41d4-867e-8ac686507af0; userId: ***; "
        "searchDate: 2026-03-10T04:31:52.901Z; networkCount: 2; reason: Investigation"
    )


@corpus
def test_corpus_audit_log_is_one_section_of_rows():
    page = extract_text((CORPUS / AUDIT).read_bytes(), "text/csv", URL)
    assert page.sections == [Section("rows 2-92", 0, len(page.text))]


def test_csv_sections_hold_500_rows_each():
    body = "id,reason\n" + "".join(f"{n},Stolen\n" for n in range(1200))
    page = extract_text(body.encode(), "text/csv", URL)
    assert [s.label for s in page.sections] == ["rows 2-501", "rows 502-1001", "rows 1002-1201"]


def test_csv_section_text_is_its_rows():
    body = "id,reason\n" + "".join(f"{n},Stolen\n" for n in range(600))
    page = extract_text(body.encode(), "text/csv", URL)
    assert section_text(page, "rows 502-601").split("\n")[0] == "id: 500; reason: Stolen"


def test_csv_semicolon_dialect_is_detected():
    body = b"agency;reason\nHSI Chicago;ICE WARRANT\nTown PD;Stolen\n"
    assert extract_text(body, "text/csv", URL).text == (
        "agency: HSI Chicago; reason: ICE WARRANT\nagency: Town PD; reason: Stolen"
    )


def test_csv_latin1_file_is_decoded():
    body = "agency,city\nPD,Peñasco\n".encode("latin-1")
    assert extract_text(body, "text/csv", URL).text == "agency: PD; city: Peñasco"


def test_csv_empty_cells_are_left_out_and_unnamed_columns_numbered():
    body = b"agency,reason,\nTown PD,,extra\n"
    assert extract_text(body, "text/csv", URL).text == "agency: Town PD; column 3: extra"


def test_csv_cell_with_a_newline_stays_on_its_row_line():
    body = b'agency,access\nTown PD,"FBI,\nHSI"\n'
    assert extract_text(body, "text/csv", URL).text == "agency: Town PD; access: FBI, HSI"


def workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Audit"
    sheet.append(["date", "agency", "count"])
    sheet.append([datetime(2024, 5, 1), "HSI", 3.0])
    sheet.append([datetime(2024, 5, 2, 13, 30), "CBP", 2.5])
    book.create_sheet("Empty")
    book.create_sheet("Notes").append(["note"])
    book["Notes"].append(["Shared with ERO"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_rows_become_lines_per_sheet():
    page = extract_text(workbook_bytes(), XLSX, URL)
    assert page.text == (
        "date: 2024-05-01; agency: HSI; count: 3\n"
        "date: 2024-05-02T13:30:00; agency: CBP; count: 2.5\n"
        "note: Shared with ERO"
    )


def test_xlsx_sections_name_the_sheet_and_rows():
    page = extract_text(workbook_bytes(), XLSX, URL)
    assert [s.label for s in page.sections] == ["sheet Audit rows 2-3", "sheet Notes rows 2-2"]


def test_corrupt_xlsx_names_the_url():
    with pytest.raises(TextError, match=r"^https://town\.example\.gov/docs/minutes: not a readable "
                                        r"XLSX workbook"):
        extract_text(b"PK\x03\x04 truncated", XLSX, URL)


# -- TextPipeline -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared():
    """One pipeline (and so one reading process) for the tests that only read."""
    pipeline = TextPipeline()
    yield pipeline
    pipeline.close_spider()


@pytest.fixture
def closing():
    """A list for the pipelines a test makes; they (and their workers) are closed after it."""
    made: list[TextPipeline] = []
    yield made
    for pipeline in made:
        pipeline.close_spider()


def document(**changes) -> DocumentItem:
    body = html("<h1>Minutes</h1><p>HSI asked for access.</p>", "<title>Minutes</title>")
    values = {"source_id": "springfield_police_board", "url": URL, "body": body,
              "content_type": "text/html", "fetched_at": datetime(2024, 5, 1, tzinfo=UTC)}
    return DocumentItem(**(values | changes))


def test_pipeline_sets_text_and_section_dicts(shared):
    item = shared.read(document())
    assert (item.text, item.sections) == (
        "Minutes\nHSI asked for access.",
        [{"label": 'section "Minutes"', "start": 0, "end": 29}],
    )


def test_pipeline_sets_an_empty_title(shared):
    assert shared.read(document()).title == "Minutes"


def test_pipeline_keeps_the_title_the_spider_gave(shared):
    assert shared.read(document(title="Board, May 1")).title == "Board, May 1"


def test_pipeline_skips_unchanged_documents(shared):
    assert shared.read(document(unchanged=True)).text == ""


def test_pipeline_skips_portal_snapshots(shared):
    item = PortalSnapshotItem(**vars(document()), snapshot=object())
    assert shared.read(item).text == ""


def test_pipeline_drops_unreadable_documents(shared):
    with pytest.raises(DropItem, match="not a readable PDF"):
        shared.read(document(body=b"%PDF-1.7 bad", content_type="application/pdf"))


def test_pipeline_failure_is_counted_and_reported_to_the_document_s_source(closing):
    from config.schema import parse_sources
    from spiders.batch import BatchSpider, source_problem

    entries = {source_id: {"name": "Board", "place": "Springfield", "kind": "minutes",
                           "platform": "document_index", "start_urls": [URL],
                           "documents": ["pdf"]}
               for source_id in ("springfield_police_board", "springfield_city_council")}
    crawler = get_crawler()
    crawler.spider = BatchSpider(list(parse_sources({"sources": entries}, Path("t")).values()))
    reported: dict[str, list[str]] = {}

    def heard(source_id: str, message: str) -> None:
        reported.setdefault(source_id, []).append(message)

    crawler.signals.connect(heard, signal=source_problem)
    pipeline = TextPipeline.from_crawler(crawler)
    closing.append(pipeline)
    with pytest.raises(DropItem):
        pipeline.read(document(body=b"PK\x03\x04", content_type="application/zip"))
    assert "springfield_city_council" not in reported
    assert (crawler.stats.get_value("sidedoor/springfield_police_board/errors/text"),
            reported["springfield_police_board"]) == (
        1, [f"{URL}: not a format sidedoor reads (its first bytes are b'PK\\x03\\x04'); "
            "sidedoor reads PDF, HTML, plain text, CSV, XLSX, DOCX, DOC, RTF, EML and "
            "PNG/JPEG/GIF/TIFF images"],
    )


def test_pipeline_failure_logs_the_source_and_url(shared, caplog):
    with caplog.at_level(logging.ERROR, logger="pipelines.text"), pytest.raises(DropItem):
        shared.read(document(body=b"\x7fELF\x02", content_type="application/zip"))
    assert caplog.records[0].getMessage().startswith(f"source springfield_police_board: {URL}: ")


def test_the_pipeline_reads_text_in_its_reader_thread_off_the_event_loop(closing):
    import asyncio
    import threading

    seen = []
    pipeline = TextPipeline()
    closing.append(pipeline)
    read = pipeline.read
    pipeline.read = lambda item: seen.append(threading.current_thread().name) or read(item)  # type: ignore[method-assign]
    item = asyncio.run(pipeline.process_item(document()))
    assert item.text == "Minutes\nHSI asked for access."
    assert seen[0].startswith("sidedoor-text")


def test_pipeline_records_any_failure_of_reading_as_the_document_s_error(monkeypatch):
    pipeline = TextPipeline()  # its pool is never used: read is replaced

    def fail(*args, **kwargs):
        raise RuntimeError("the pipe broke")

    monkeypatch.setattr(pipeline.pool, "read", fail)
    with pytest.raises(DropItem, match=rf"^{URL}: could not read the text: RuntimeError: "
                                       r"the pipe broke$"):
        pipeline.read(document())


def test_pipeline_reads_in_a_worker_under_the_limits_it_was_given(closing):
    pipeline = TextPipeline(limits=Limits(text_chars=10))
    closing.append(pipeline)
    with pytest.raises(DropItem, match=r"too large: text characters 29 is over the limit of 10"):
        pipeline.read(document())
