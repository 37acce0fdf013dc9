"""The maintainers' status feed: one entry when a source breaks, one when it recovers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser

from config.schema import SiteConfig
from reports.status import StatusEvent, streak_events, write_status_feed
from sidedoor.store import SourceRun

START = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)


def runs(outcomes: str) -> list[SourceRun]:
    """'ok' = o, error = e, empty = n; one run a day."""
    names = {"o": "ok", "e": "error", "n": "empty"}
    return [SourceRun(source_id="a_board", started_at=START + timedelta(days=i),
                      outcome=names[c], error_messages=[f"day {i}: HTTP 500"] if c == "e" else [])
            for i, c in enumerate(outcomes)]


def kinds(outcomes: str, broken_after: int = 3) -> list[tuple[str, int]]:
    return [(e.kind, e.at.day) for e in streak_events("A", "a_board", runs(outcomes), broken_after)]


def test_a_source_is_reported_broken_once_when_the_streak_reaches_the_limit():
    assert kinds("oeeeee") == [("broken", 4)]


def test_a_shorter_streak_is_not_reported():
    assert kinds("oeeoeeo") == []


def test_empty_runs_count_as_failures():
    assert kinds("enn") == [("broken", 3)]


def test_the_first_good_run_after_a_broken_streak_is_a_recovery():
    assert kinds("eeeeo" "o") == [("broken", 3), ("recovered", 5)]


def test_each_streak_has_its_own_guid():
    events = streak_events("A", "a_board", runs("eeeoeee"), 3)
    assert len({e.guid for e in events}) == 3


def test_the_feed_parses_and_names_the_errors(tmp_path):
    site = SiteConfig(title="t", base_url="https://example.org/", description="d")
    event = StatusEvent("a_board", "A board", "broken", START, START, 3,
                        ("https://a.example/: the server answered HTTP 500",))
    write_status_feed(tmp_path, [event], site, fallback=START)
    feed = feedparser.parse((tmp_path / "feeds" / "status.xml").read_bytes())
    assert not feed.bozo
    assert [(e.title, e.id) for e in feed.entries] == [
        ("Broken: A board (3 failed runs in a row)", event.guid)]
    assert "HTTP 500" in feed.entries[0].description
