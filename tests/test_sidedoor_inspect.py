"""`sidedoor inspect`: a saved page through its platform's parser, nothing stored."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sidedoor.cli import main
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def el_cajon(corpus):
    page = corpus / "flock_portals" / "old_layout" / "el-cajon-pd-ca_2026-04-29.html"
    result = CliRunner().invoke(main, ["inspect", str(page), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_portal_page_is_recognised_without_being_told(el_cajon):
    assert el_cajon["platform"] == "flock_portal"


def test_portal_figures_are_integers(el_cajon):
    assert (el_cajon["data_retention_days"], el_cajon["camera_count"],
            el_cajon["searches_30d"]) == (30, 102, 614)


def test_organizations_carry_name_state_federal_and_tags(el_cajon):
    orgs = el_cajon["organizations_with_access"]
    assert len(orgs) == 683
    assert set(orgs[0]) >= {"name", "state", "federal", "tags"}


def test_findings_name_their_category(el_cajon):
    assert [f["category"] for f in el_cajon["findings"]] == ["out_of_state_sharing"]


def test_a_missing_file_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {tmp_path / 'nope.html'}: no such file "
                                     "(give a saved page or an http(s) URL)")


def test_several_pages_give_one_json_line_each_in_order(corpus, tmp_path):
    real = corpus / "flock_portals" / "real_pages"
    pages = [real / "buckeye-az-pd_2026-04-29.html", real / "galt-ca-pd_2026-04-26.html"]
    result = CliRunner().invoke(main, ["inspect", "--as", "flock_portal", "--json",
                                       *map(str, pages)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(d["location"], d["searches_30d"]) for d in lines] == [
        (str(pages[0]), 350), (str(pages[1]), 82)]


def test_a_page_that_fails_among_several_is_a_json_error_line(corpus, tmp_path):
    unrelated = tmp_path / "agenda.html"
    unrelated.write_text("<html><body><p>Next meeting</p><div>March 3</div></body></html>")
    good = corpus / "flock_portals" / "real_pages" / "galt-ca-pd_2026-04-26.html"
    result = CliRunner().invoke(main, ["inspect", "--as", "flock_portal", "--json",
                                       str(unrelated), str(good)])
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert result.exit_code == 1
    assert first["error"].startswith(f"{unrelated}: not a Flock transparency portal")
    assert second["agency"] == "Galt Police Department"


def test_a_page_in_no_known_layout_is_a_one_line_error(tmp_path):
    unrelated = tmp_path / "agenda.html"
    unrelated.write_text("<html><body><p>Next meeting</p><div>March 3</div></body></html>")
    result = CliRunner().invoke(main, ["inspect", "--as", "flock_portal", str(unrelated)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {unrelated}: not a Flock transparency portal")


def test_a_new_layout_portal_without_access_list_is_recognised(corpus):
    page = corpus / "flock_portals" / "real_pages" / "buckeye-az-pd_2026-04-29.html"
    result = CliRunner().invoke(main, ["inspect", str(page), "--json"])
    assert json.loads(result.output)["platform"] == "flock_portal"


def test_any_platform_spider_runs_its_first_callback_on_a_saved_page():
    page = ROOT / "tests" / "fixtures" / "civicplus" / "agenda_center.html"
    result = CliRunner().invoke(main, ["inspect", str(page), "--as", "civicplus", "--json",
                                       "--url", "https://village.example.gov/AgendaCenter"])
    report = json.loads(result.output)
    assert (report["platform"], len(report["requests"])) == ("civicplus", 6)
    assert report["requests"][0] == {
        "url": "https://village.example.gov/AgendaCenter/ViewFile/Agenda/_10202025-3305",
        "callback": "parse_document", "published": "2025-10-20",
        "title": report["requests"][0]["title"]}


def test_a_platform_spider_reports_a_layout_change_as_an_error_line():
    page = ROOT / "tests" / "fixtures" / "legistar" / "calendar_redesigned.html"
    result = CliRunner().invoke(main, ["inspect", str(page), "--as", "legistar", "--json",
                                       "--url", "https://chicago.legistar.com/Calendar.aspx"])
    assert json.loads(result.output)["errors"] == [
        "https://chicago.legistar.com/Calendar.aspx: no meeting grid (table.rgMasterTable); "
        "not a Legistar calendar page, or Legistar changed its layout"]


def test_an_unknown_parser_names_the_known_ones(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>hi</p>", encoding="utf-8")
    result = CliRunner().invoke(main, ["inspect", str(page), "--as", "sharepoint"])
    assert result.exit_code == 2 and "'sharepoint' is not one of audit_log, " in result.output
    assert "civicplus, document, document_index, " in result.output
