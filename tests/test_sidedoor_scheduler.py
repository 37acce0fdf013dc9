"""The scheduler's jobs: one per enabled source, right triggers, kept in the database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import yaml

from config.schema import crontab_weekdays, load_sources, parse_sources
from sidedoor.scheduler import add_jobs, list_phases, make_scheduler, trigger_for
from tests.conftest import ROOT

SOURCES = {"sources": {
    "a_board": {"name": "A", "place": "A", "kind": "minutes", "platform": "document_index",
                "start_urls": ["https://a.example/"], "schedule": "30 6 * * 1-5"},
    "b_portal": {"name": "B", "place": "B", "kind": "portal", "platform": "flock_portal",
                 "start_urls": ["https://b.example/"], "schedule": "every 6 hours"},
    "c_off": {"name": "C", "place": "C", "kind": "news", "platform": "document_index",
              "start_urls": ["https://c.example/"], "enabled": False},
}}

ARGS = {"sources_path": "s.yaml", "data_dir": "data", "db_url": "sqlite://",
        "public_dir": "public", "site_path": "site.yaml"}


@pytest.fixture
def scheduler(tmp_path):
    s = make_scheduler(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    s.start(paused=True)
    yield s
    s.shutdown(wait=False)


def test_one_job_per_enabled_source(scheduler, tmp_path):
    sources = parse_sources(SOURCES, tmp_path / "s.yaml")
    ids = add_jobs(scheduler, sources, job_args=ARGS, jitter=60)
    assert ids == ["a_board", "b_portal"]
    assert sorted(j.id for j in scheduler.get_jobs()) == ["a_board", "b_portal"]


def test_jobs_coalesce_missed_runs_and_never_overlap(scheduler, tmp_path):
    add_jobs(scheduler, parse_sources(SOURCES, tmp_path / "s.yaml"), job_args=ARGS, jitter=0)
    job = scheduler.get_job("a_board")
    assert (job.coalesce, job.max_instances) == (True, 1)


def test_a_source_removed_from_config_loses_its_job(scheduler, tmp_path):
    add_jobs(scheduler, parse_sources(SOURCES, tmp_path / "s.yaml"), job_args=ARGS, jitter=0)
    fewer = {"sources": {"a_board": SOURCES["sources"]["a_board"]}}
    add_jobs(scheduler, parse_sources(fewer, tmp_path / "s.yaml"), job_args=ARGS, jitter=0)
    assert [j.id for j in scheduler.get_jobs()] == ["a_board"]


def test_crontab_weekdays_keep_their_crontab_meaning():
    trigger = trigger_for("30 6 * * 1-5", jitter=0)
    friday = datetime(2025, 3, 7, 7, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, friday) == datetime(2025, 3, 10, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(("field", "expected"), [("1-5", "mon-fri"), ("0", "sun"), ("7", "sun"),
                                                 ("*", "*"), ("1,3", "mon,wed"), ("0-6", "*")])
def test_crontab_weekday_fields_become_names(field, expected):
    assert crontab_weekdays(field) == expected


def test_an_interval_schedule_fires_every_interval():
    trigger = trigger_for("every 6 hours", jitter=0)
    now = datetime(2025, 3, 7, 7, 0, tzinfo=UTC)
    first = trigger.get_next_fire_time(None, now)
    assert (trigger.get_next_fire_time(first, first) - first).total_seconds() == 6 * 3600


def test_sidedoor_schedule_keeps_its_jobs_in_the_store_and_stops_on_sigterm(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "sidedoor.cli", "schedule", "--sources", str(sources)],
        cwd=ROOT, env={**os.environ, "SIDEDOOR_DATA_DIR": str(tmp_path / "data")},
        stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr.readline().startswith("scheduling 2 sources from")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
    db = sqlite3.connect(tmp_path / "data" / "sidedoor.sqlite")
    assert sorted(r[0] for r in db.execute("SELECT id FROM scheduler_jobs")) == [
        "a_board", "b_portal"]


def test_a_list_of_portals_is_spread_over_its_period_one_at_a_time(tmp_path):
    """Every known Flock portal, weekly: each starts alone, at most one a second, all
    inside the week (a fake clock: the triggers' next fire times from a fixed moment)."""
    sources = load_sources(ROOT / "config" / "sources.yaml")
    portals = {i: s.model_copy(update={"enabled": True}) for i, s in sources.items()
               if s.list_id}
    phases = list_phases(portals.values())
    now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    starts = sorted(trigger_for(portals[i].schedule, 0, phases[i]).get_next_fire_time(None, now)
                    for i in portals)
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    # the 5,926 known portals, less those with no state or with an explicit entry
    assert len(starts) == len(portals) > 5800
    assert min(gaps) >= 1.0
    assert (starts[-1] - starts[0]).total_seconds() < 7 * 86400


def test_a_lists_phases_stay_the_same_across_restarts(tmp_path):
    sources = load_sources(ROOT / "config" / "sources.yaml")
    assert list_phases(sources.values()) == list_phases(list(sources.values())[::-1])
