"""End to end: the real crawl of the demo world over 127.0.0.1 into SQLite and a built site.

These tests run the `sidedoor` command in a child process, as a user would, and check what
it stored and published against the demo's answer key (demo/expected.yaml).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

from demo.server import DemoWorld

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = yaml.safe_load((ROOT / "demo" / "expected.yaml").read_text(encoding="utf-8"))


def sidedoor(*args: str, env: dict[str, str] | None = None) -> tuple[dict, str]:
    """Run the CLI; return its last-line JSON summary and its stderr."""
    done = subprocess.run([sys.executable, "-m", "sidedoor.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    args = ("demo", "--fresh", "--json", "--data", str(base / "data"), "--out",
            str(base / "public"))
    # both runs ask for the same ports, in a range of their own: a demo running elsewhere on
    # the machine must not move a site to another port (its documents would look new)
    ports = {"SIDEDOOR_DEMO_FIRST_PORT": str(20000 + random.randrange(9) * 1000)}
    first, _ = sidedoor(*args, env=ports)
    second, _ = sidedoor(*args[:1], *args[2:], env=ports)  # same store, no --fresh
    db = sqlite3.connect(base / "data" / "sidedoor.sqlite")
    db.row_factory = sqlite3.Row
    return {"first": first, "second": second, "db": db, "public": base / "public"}


def findings(demo_run) -> list[sqlite3.Row]:
    return demo_run["db"].execute("SELECT * FROM findings").fetchall()


def test_the_first_run_stores_every_demo_document_without_errors(demo_run):
    first = demo_run["first"]
    assert (first["errors"], first["documents_new"]) == (0, first["documents_fetched"])
    assert first["documents_fetched"] >= 8


def test_a_second_run_finds_nothing_new(demo_run):
    second = demo_run["second"]
    assert (second["documents_new"], second["findings_new"]) == (0, 0)
    assert second["documents_unchanged"] == demo_run["first"]["documents_fetched"]


def quotes(demo_run, finding_id: str) -> list[str]:
    """Every piece of evidence of a finding, as its documents' text gives it."""
    rows = demo_run["db"].execute(
        "SELECT v.text, o.start, o.\"end\" FROM occurrences o JOIN document_versions v "
        "ON v.id = o.version_id WHERE o.finding_id = ?", (finding_id,)).fetchall()
    return [" ".join(r["text"][r["start"]:r["end"]].split()).lower() for r in rows]


def planted_matches(demo_run, planted) -> list[sqlite3.Row]:
    """The stored findings of a planted fact: of its source, with its phrase in the finding's
    quoted evidence (any of its documents) or, for generated evidence, its summary."""
    phrase = planted["phrase"].lower()
    return [f for f in findings(demo_run) if f["source_id"] == planted["source"]
            and (phrase in " ".join(f["snippet"].split()).lower()
                 or any(phrase in q for q in quotes(demo_run, f["id"])))]


@pytest.mark.parametrize("planted", EXPECTED["findings"], ids=lambda p: p["phrase"][:40])
def test_every_planted_finding_is_found(demo_run, planted):
    matches = planted_matches(demo_run, planted)
    assert matches and planted["category"] in json.loads(matches[0]["categories"])


@pytest.mark.parametrize("planted", EXPECTED["findings"], ids=lambda p: p["phrase"][:40])
def test_every_planted_fact_is_one_finding_with_its_place_categories_status_and_when(
        demo_run, planted):
    fact = planted["fact"]
    [row] = planted_matches(demo_run, planted)
    assert row["place"] == fact["place"]
    assert json.loads(row["categories"]) == fact["categories"]
    assert row["status"] == fact["status"]
    if "event" in fact:
        assert [row["event_start"], row["event_end"]] == [str(d) for d in fact["event"]]
    recipients = json.loads(row["recipients"])
    assert set(fact.get("recipients", [])) <= {r["name"] for r in recipients if not r["state"]}
    assert set(fact.get("recipient_states", [])) == {r["state"] for r in recipients
                                                      if r["state"]}
    assert json.loads(row["counts"]).items() >= fact.get("counts", {}).items()
    documents = demo_run["db"].execute(
        "SELECT COUNT(DISTINCT v.document_id) FROM occurrences o JOIN document_versions v "
        "ON v.id = o.version_id WHERE o.finding_id = ?", (row["id"],)).fetchone()[0]
    assert documents == fact.get("documents", 1)


def test_a_first_crawl_is_backfill_dated_by_its_events_not_news(demo_run):
    rows = findings(demo_run)
    assert rows and all(r["backfill"] for r in rows)
    feed = feedparser.parse((demo_run["public"] / "atom.xml").read_bytes())
    crawled = {r["first_seen"][:10] for r in rows}
    for entry in feed.entries:
        assert "backfill" in {t.term for t in entry.tags}
        if "Harlan Grove IL PD transparency portal" not in entry.summary:  # read today
            assert entry.published[:10] not in crawled, entry.title


@pytest.mark.parametrize("trap", EXPECTED["traps"], ids=lambda t: t["phrase"][:40])
def test_no_planted_trap_becomes_a_finding(demo_run, trap):
    snippets = [" ".join(f["snippet"].split()).lower() for f in findings(demo_run)]
    assert not [s for s in snippets if trap["phrase"].lower() in s]


def test_every_finding_has_a_page_or_section(demo_run):
    rows = demo_run["db"].execute("SELECT finding_id, section FROM occurrences").fetchall()
    assert rows and all(r["section"] for r in rows)


def test_feeds_carry_one_entry_per_finding_with_the_finding_id_as_guid(demo_run):
    ids = sorted(f["id"] for f in findings(demo_run))
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((demo_run["public"] / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert sorted(e.id.rsplit("/", 1)[-1].split(":")[-1] for e in feed.entries) == ids


def test_the_home_page_quotes_the_evidence_of_every_finding(demo_run):
    home = (demo_run["public"] / "index.html").read_text(encoding="utf-8")
    for finding in findings(demo_run):
        assert (demo_run["public"] / "findings" / finding["id"] / "index.html").exists()
        assert f'findings/{finding["id"]}/' in home


@pytest.mark.enable_socket
def test_a_broken_source_is_reported_by_url_and_the_others_are_stored(tmp_path):
    with DemoWorld() as world:
        good = yaml.safe_load((ROOT / "demo" / "sources.yaml").read_text(encoding="utf-8"))
        source_id, entry = next((k, v) for k, v in good["sources"].items()
                                if v["platform"] == "document_index")
        broken = {**entry, "start_urls": [entry["start_urls"][0].rsplit("/", 1)[0] + "/gone.html"]}
        config = {"sources": {source_id: entry, "demo_broken_board": broken}}
        text = yaml.safe_dump(config)
        for name, host in world.hosts.items():
            text = text.replace("{" + name + "}", host)
        sources = tmp_path / "sources.yaml"
        sources.write_text(text, encoding="utf-8")
        summary, stderr = sidedoor("run", "--json", "--no-build", "--sources", str(sources),
                                   env={"SIDEDOOR_DATA_DIR": str(tmp_path / "data")})
    assert summary["documents_new"] > 0
    assert summary["errors"] == 1
    assert "demo_broken_board" in stderr and "/gone.html: the server answered HTTP 404" in stderr


@pytest.mark.enable_socket
def test_a_large_run_is_crawled_in_batches_under_one_run(tmp_path, monkeypatch):
    from config.schema import load_sources
    from sidedoor import runner

    monkeypatch.setattr(runner, "BATCH", 3)
    with DemoWorld() as world:
        sources = list(load_sources(ROOT / "demo" / "sources.yaml", world.hosts).values())
        paths = runner.Paths(tmp_path, f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path / "public")
        run_id, rows = runner.crawl(sources, paths, command="test")
    assert sorted(r.source_id for r in rows) == sorted(s.id for s in sources)
    assert {r.run_id for r in rows} == {run_id}
    assert all(r.outcome == "ok" for r in rows)


@pytest.mark.enable_socket
def test_robots_txt_is_fetched_once_per_host_however_many_sources_share_it(tmp_path):
    from config.schema import load_sources
    from sidedoor import runner

    asked: list[str] = []
    with DemoWorld(on_request=asked.append) as world:
        sources = list(load_sources(ROOT / "demo" / "sources.yaml", world.hosts).values())
        paths = runner.Paths(tmp_path, f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path / "public")
        runner.crawl(sources, paths, command="test")
    hosts = {s.urls[0].split("/")[2] for s in sources if s.urls[0].startswith("http")}
    shared = len(sources) - len([s for s in sources if s.urls[0].startswith("file")])
    assert shared > len(hosts)  # the demo has sources that share a host
    assert asked.count("/robots.txt") == len(hosts)


def test_a_broken_patterns_file_fails_the_run_naming_the_error(tmp_path):
    """Every document fails in the findings pipeline: the run says so and exits non-zero."""
    broken = tmp_path / "patterns.yaml"
    broken.write_text((ROOT / "config" / "patterns.yaml").read_text(encoding="utf-8")
                      + "\nnot_a_section: [1]\n", encoding="utf-8")
    with DemoWorld() as world:
        sources = tmp_path / "sources.yaml"
        text = (ROOT / "demo" / "sources.yaml").read_text(encoding="utf-8")
        for name, host in world.hosts.items():
            text = text.replace("{" + name + "}", host)
        sources.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "sidedoor.cli", "crawl", "--json", "--sources", str(sources),
             "maplewood_public_safety_committee"], cwd=ROOT, capture_output=True, text=True,
            timeout=300, env={**os.environ, "SIDEDOOR_PATTERNS": str(broken),
                              "SIDEDOOR_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 1, done.stderr[-2000:]
    assert "internal error: could not be processed: ConfigError" in done.stdout + done.stderr
    assert "not_a_section" in done.stdout + done.stderr


@pytest.mark.parametrize(("phrase", "place"), [
    ("12 plate searches at the request of Homeland Security Investigations", "Maplewood"),
    ("4 of the 214 searches logged by the department", "Harlan Grove"),
])
def test_a_state_audit_finding_is_filed_under_the_town_it_is_about(demo_run, phrase, place):
    rows = [r for r in findings(demo_run)
            if r["source_id"] == "illinois_technology_audits" and phrase in " ".join(
                r["snippet"].split())]
    assert [r["place"] for r in rows] == [place]
