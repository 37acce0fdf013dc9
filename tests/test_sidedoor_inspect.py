"""`sidedoor inspect`: a saved page through its platform's parser, nothing stored."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sidedoor.cli import main


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
