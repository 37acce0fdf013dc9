"""The maintainers' feed, ``feeds/status.xml``: a source broke, or came back.

A source is broken when ``broken_after`` runs in a row failed or found nothing
(``config/site.yaml``). Each broken streak is one entry, published when the streak reached
that length, with a GUID made of the source id and the streak's first failed run, so it
never repeats; the run that ends a streak gives a "recovered" entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.schema import SiteConfig
from reports.feeds import with_stylesheet, xml_text
from reports.sources import FAILED
from sidedoor.store import Source, SourceRun

STATUS_FEED = "feeds/status.xml"


@dataclass(frozen=True)
class StatusEvent:
    """A source became broken, or recovered."""

    source_id: str
    source_name: str
    kind: str  # "broken" | "recovered"
    at: datetime
    since: datetime  # the first failed run of the streak
    failed_runs: int
    messages: tuple[str, ...]

    @property
    def guid(self) -> str:
        return f"sidedoor-status:{self.source_id}:{self.kind}:{self.since.isoformat()}"


def streak_events(name: str, source_id: str, runs: Sequence[SourceRun],
                  broken_after: int) -> list[StatusEvent]:
    """The broken/recovered events of one source's runs (oldest first)."""
    events: list[StatusEvent] = []
    streak: list[SourceRun] = []
    for run in runs:
        if run.outcome in FAILED:
            streak.append(run)
            if len(streak) == broken_after:
                events.append(_event(name, source_id, "broken", run.started_at, streak))
            continue
        if len(streak) >= broken_after:
            events.append(_event(name, source_id, "recovered", run.started_at, streak))
        streak = []
    return events


def _event(name: str, source_id: str, kind: str, at: datetime,
           streak: list[SourceRun]) -> StatusEvent:
    messages = tuple(dict.fromkeys(m for r in streak for m in (r.error_messages or [])))
    return StatusEvent(source_id=source_id, source_name=name, kind=kind, at=at,
                       since=streak[0].started_at, failed_runs=len(streak),
                       messages=messages[:5])


def load_status_events(session: Session, broken_after: int) -> list[StatusEvent]:
    """Every broken/recovered event of every source, newest first."""
    runs: dict[str, list[SourceRun]] = defaultdict(list)
    for run in session.scalars(select(SourceRun).order_by(SourceRun.started_at, SourceRun.id)):
        runs[run.source_id].append(run)
    events = [event for source in session.scalars(select(Source))
              for event in streak_events(source.name, source.id, runs[source.id], broken_after)]
    return sorted(events, key=lambda e: (e.at, e.guid), reverse=True)


def write_status_feed(out: Path, events: Sequence[StatusEvent], site: SiteConfig,
                      fallback: datetime) -> None:
    """Write ``feeds/status.xml`` (RSS 2.0) into the site folder ``out``."""
    base = str(site.base_url).rstrip("/") + "/"
    fg = FeedGenerator()
    fg.id(base + "sources/")
    fg.title(xml_text(f"{site.title}: source status"))
    fg.description("Sources that broke (failed or found nothing several runs in a row) "
                   "and sources that recovered. For maintainers.")
    fg.link(href=base + "sources/", rel="alternate")
    fg.language(site.language)
    fg.generator("sidedoor")
    newest = events[0].at if events else fallback
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for event in reversed(events[:200]):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.guid(event.guid, permalink=False)
        entry.link(href=f"{base}sources/#{event.source_id}")
        entry.published(event.at)
        entry.updated(event.at)
        if event.kind == "broken":
            entry.title(xml_text(f"Broken: {event.source_name} ({event.failed_runs} failed "
                                 "runs in a row)"))
        else:
            entry.title(xml_text(f"Recovered: {event.source_name} (after {event.failed_runs} "
                                 "failed runs)"))
        lines = [f"Source {event.source_id}, failing since {event.since:%Y-%m-%d %H:%M} UTC."]
        entry.description(xml_text(" ".join([*lines, *event.messages])))
    target = out / STATUS_FEED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(with_stylesheet(fg.rss_str(pretty=True), STATUS_FEED))
