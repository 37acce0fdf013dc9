"""Open data: findings.json, findings.csv and sources.json as documented in docs/data.md."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from store_seed import SITE, load_seed, seed_folder

from reports.build import build_site
from reports.opendata import CSV_COLUMNS, neutralise

DOCS = Path(__file__).resolve().parents[1] / "docs" / "data.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("opendata")
    seeded = seed_folder(folder)
    build_site(seeded.store, folder / "public", site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now, reviews=seeded.reviews, search_index=False)
    return seeded, folder / "public" / "data"


@pytest.fixture(scope="module")
def findings(site) -> dict:
    return json.loads((site[1] / "findings.json").read_text(encoding="utf-8"))


def test_findings_json_lists_every_published_finding(site, findings) -> None:
    expected = set(site[0].finding_ids.values()) - {site[0].finding_ids["vega_denial"]}
    assert {f["id"] for f in findings["findings"]} == expected


def test_findings_json_gives_the_evidence_with_its_archived_copy(site, findings) -> None:
    wanted = site[0].finding_ids["border_patrol_audit"]
    finding = next(f for f in findings["findings"] if f["id"] == wanted)
    evidence = finding["evidence"][0]
    assert (finding["place"], finding["state"], evidence["section"],
            evidence["archive_url"]) == (
        "Illinois", "IL", "page 7",
        f"https://sidedoor.example.org/archive/{evidence['sha256']}.pdf")


def test_findings_json_carries_the_review(site, findings) -> None:
    wanted = site[0].finding_ids["hsi_pilot"]
    finding = next(f for f in findings["findings"] if f["id"] == wanted)
    assert finding["review"]["status"] == "confirmed"


def test_findings_csv_has_one_row_per_finding_with_the_documented_columns(site,
                                                                         findings) -> None:
    rows = list(csv.DictReader(io.StringIO((site[1] / "findings.csv").read_text("utf-8-sig"))))
    assert ([r["id"] for r in rows], tuple(rows[0])) == (
        [f["id"] for f in findings["findings"]], CSV_COLUMNS)


def test_findings_csv_starts_with_a_byte_order_mark_for_spreadsheets(site) -> None:
    assert (site[1] / "findings.csv").read_bytes()[:5] == b"\xef\xbb\xbfid"


@pytest.mark.parametrize("cell,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tTAB", "'\tTAB"), ("\rCR", "'\rCR"),
    ("Chief Dorsey = HSI", "Chief Dorsey = HSI"), ("", ""), (0.93, 0.93),
])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised(cell, expected) -> None:
    assert neutralise(cell) == expected


def test_a_hostile_title_reaches_findings_csv_inert(tmp_path: Path) -> None:
    data = load_seed()
    data["documents"][0]["title"] = "=HYPERLINK(\"http://evil.example/\",\"Minutes\")"
    seeded = seed_folder(tmp_path, data)
    build_site(seeded.store, tmp_path / "public", site=SITE, archive_dir=seeded.archive_dir,
               now=seeded.now, reviews=seeded.reviews, search_index=False)
    text = (tmp_path / "public" / "data" / "findings.csv").read_text("utf-8-sig")
    titles = {row["document_title"] for row in csv.DictReader(io.StringIO(text))}
    assert "'=HYPERLINK(\"http://evil.example/\",\"Minutes\")" in titles and not any(
        t.startswith(("=", "+", "-", "@")) for t in titles)


def test_sources_json_flags_the_broken_source(site) -> None:
    sources = json.loads((site[1] / "sources.json").read_text(encoding="utf-8"))["sources"]
    assert [s["id"] for s in sources if s["broken"]] == ["cedar_county_board"]


def test_every_exported_field_is_documented(site, findings) -> None:
    sources = json.loads((site[1] / "sources.json").read_text(encoding="utf-8"))["sources"]
    fields = (set(findings["findings"][0]) | set(findings["findings"][0]["evidence"][0])
              | set(sources[0]) | set(CSV_COLUMNS))
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", DOCS.read_text(encoding="utf-8"),
                                re.MULTILINE))
    assert fields - documented == set()


def test_each_place_has_a_csv_of_its_own_findings(site, findings) -> None:
    text = (site[1] / "places" / "marlow-il.csv").read_text("utf-8-sig")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(text))]
    assert ids == [f["id"] for f in findings["findings"] if f["place"] == "Marlow"]


def test_findings_json_validates_against_the_published_schema(site, findings) -> None:
    schema = json.loads((site[1] / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(findings)]
    assert errors == []
    broken = {**findings, "findings": [{**findings["findings"][0], "status": "maybe"}]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


@pytest.mark.parametrize(("recipient", "cell"), [
    ({"name": "HSI", "state": None}, "HSI"),
    ({"name": "Cedar Bend TX PD", "state": "TX"}, "Cedar Bend TX PD (TX)"),
    ({"name": None, "state": "IA"}, "agencies in IA"),
])
def test_a_recipient_in_findings_csv(recipient, cell) -> None:
    from reports.opendata import _recipient_cell

    assert _recipient_cell(recipient) == cell
