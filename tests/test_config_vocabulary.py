"""config/vocabulary.py: the one vocabulary of config/patterns.yaml, read by portals, audit
logs and watch lists, and the same words the findings engine reads."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.patterns import PATTERNS_PATH, load_patterns
from config.vocabulary import build_vocabulary, vocabulary
from pipelines.extract.engine import extract_findings
from pipelines.extract.lexicon import build_lexicon
from tests.conftest import ROOT

VOCABULARY = vocabulary()


@pytest.mark.parametrize(("name", "agencies"), [
    ("U.S. Border Patrol", ("USBP",)),
    ("[Federal] US Postal Inspection Service", ("USPIS",)),
    ("Homeland Security Investigations - Phoenix", ("HSI",)),
    ("U.S. Marshals Service", ("USMS",)),
    ("Federal Way WA PD", ()),
    ("Iowa Department of Homeland Security", ()),
    ("Tombstone Marshals Office", ()),
])
def test_the_federal_agencies_an_organisation_name_refers_to(name, agencies):
    assert VOCABULARY.agencies_in(name) == agencies


@pytest.mark.parametrize(("reason", "agencies"), [
    ("ICE WARRANT", ("ICE",)),
    ("ice", ("ICE",)),
    ("assist HSI case 24-101", ("HSI",)),
    ("visa overstay", ()),
    ("removal order", ()),
    ("Immigration (civil/administrative)", ()),
    ("FBI bank robbery", None),
    ("stolen vehicle", None),
])
def test_an_immigration_related_search_reason_and_the_agencies_it_names(reason, agencies):
    assert VOCABULARY.immigration_reason(reason) == agencies


@pytest.mark.parametrize(("title", "watched"), [
    ("Approve a contract with Flock Safety for ALPR cameras", True),
    ("Resolution on cooperation with ICE", True),
    ("Parks department ice rink resurfacing", False),
    ("Budget amendment for fiscal year 2026", False),
])
def test_a_title_is_watched_when_it_is_about_plate_readers_or_immigration(title, watched):
    assert VOCABULARY.watched(title) is watched


@pytest.fixture(scope="module")
def with_alias(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """patterns.yaml with one more alias of the Border Patrol and one more search reason."""
    data = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))
    data["agencies"]["USBP"]["names"].append("Frontier Guard")
    data["immigration_reasons"].append("asylum check*")
    data["triggers"] += ["frontier guard", "asylum"]  # the engine reads no phrase without one
    path = tmp_path_factory.mktemp("patterns") / "patterns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_alias_added_to_the_yaml_reaches_organisation_names(with_alias):
    assert build_vocabulary(load_patterns(with_alias)).agencies_in("Frontier Guard Sector 9") == (
        "USBP",)


def test_an_alias_added_to_the_yaml_reaches_the_findings_engine(with_alias):
    lexicon = build_lexicon(load_patterns(with_alias), with_alias)
    text = "The county shared its license plate data with the Frontier Guard last year."
    assert [f.agencies for f in extract_findings(text, lexicon=lexicon)] == [("USBP",)]


def test_a_search_reason_added_to_the_yaml_reaches_audit_reasons(with_alias):
    assert build_vocabulary(load_patterns(with_alias)).immigration_reason("asylum checks") == ()


# -- one vocabulary on every path: extract, inspect and a crawl read the same patterns file --

AUDIT = ("id,userId,searchDate,networkCount,reason\n"
         "1,officer1,2025-06-02,12,MIGRANT CHECK\n"
         "2,officer2,2025-06-03,4,stolen vehicle\n")


@pytest.fixture(scope="module")
def own_patterns(tmp_path_factory) -> dict:
    """A patterns file with one more immigration reason, and an audit log that logs it."""
    folder = tmp_path_factory.mktemp("vocabulary")
    data = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))
    data["immigration_reasons"].append("migrant check")
    (folder / "patterns.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                          encoding="utf-8")
    (folder / "audits").mkdir()
    (folder / "audits" / "search_audit.csv").write_text(AUDIT, encoding="utf-8")
    return {"folder": folder, "env": {**os.environ, "SIDEDOOR_PATTERNS": str(
        folder / "patterns.yaml"), "SIDEDOOR_DATA_DIR": str(folder / "data")}}


def sidedoor(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sidedoor.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_without_the_added_reason_the_audit_holds_no_immigration_search(own_patterns):
    assert VOCABULARY.immigration_reason("MIGRANT CHECK") is None


def test_a_reason_added_to_the_yaml_reaches_extract(own_patterns):
    done = sidedoor("extract", "--json", str(own_patterns["folder"] / "audits" /
                                             "search_audit.csv"), env=own_patterns["env"])
    found = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert "immigration_search" in {f["category"] for f in found}, done.stderr[-2000:]


def test_a_reason_added_to_the_yaml_reaches_inspect(own_patterns):
    done = sidedoor("inspect", "--as", "audit_log", "--json", str(
        own_patterns["folder"] / "audits" / "search_audit.csv"), env=own_patterns["env"])
    report = json.loads(done.stdout)
    assert "immigration_search" in {f["category"] for f in report["findings"]}, done.stderr


def test_a_reason_added_to_the_yaml_reaches_a_crawl(own_patterns):
    folder = own_patterns["folder"]
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": {"town_police_audits": {
        "name": "Town PD search audits", "place": "Town", "kind": "audit",
        "platform": "audit_log", "start_urls": [(folder / "audits").as_uri() + "/"]}}}),
        encoding="utf-8")
    done = sidedoor("crawl", "--json", "--sources", str(folder / "sources.yaml"),
                    env=own_patterns["env"])
    assert done.returncode == 0, done.stderr[-2000:]
    db = sqlite3.connect(folder / "data" / "sidedoor.sqlite")
    categories = {row[0] for row in db.execute("SELECT category FROM findings")}
    assert "immigration_search" in categories


def test_the_federal_agencies_are_the_short_names_of_the_patterns_file():
    assert VOCABULARY.federal_agencies == frozenset(load_patterns().agencies)
    assert {"ICE", "USBP", "DOJ"} <= VOCABULARY.federal_agencies
    assert VOCABULARY.immigration_agencies < VOCABULARY.federal_agencies
