"""``sidedoor schedule``: run each source on its own schedule, for months, unattended.

APScheduler 3.x keeps its jobs in the store's database (SQLAlchemyJobStore). Each source is
one job with its cron or interval trigger plus jitter, so hundreds of sources do not fire at
once; missed runs after downtime are coalesced into one; a source never runs twice at once
(max_instances=1, and the crawl lock shared with ``sidedoor run``). Crawls run in a child
process (see sidedoor/crawl.py). After a crawl that found something new the site is rebuilt.
SIGTERM and SIGINT stop the scheduler after the crawls under way have finished.
"""

from __future__ import annotations

import logging
import re
import signal
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.cron import cron_trigger
from config.schema import SourceConfig, load_sources
from sidedoor.locks import LockHeld
from sidedoor.runner import Paths, build, crawl
from sidedoor.store import Store

logger = logging.getLogger(__name__)
INTERVAL = re.compile(r"every (\d+) (minutes|hours|days)")
_BUILD = threading.Lock()


# Interval jobs of a source list start at fixed phases after this moment, so a restart keeps
# each source's place in the period.
PHASE_ORIGIN = datetime(2025, 1, 1, tzinfo=UTC)
UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}


def trigger_for(schedule: str, jitter: int, phase: float | None = None) -> BaseTrigger:
    """The APScheduler trigger of a validated ``schedule`` (cron or "every N unit"); an
    interval with a ``phase`` (seconds into its period) starts there, without jitter."""
    interval = INTERVAL.fullmatch(schedule)
    if interval:
        period = {interval.group(2): int(interval.group(1))}
        if phase is not None:
            return IntervalTrigger(**period, timezone=UTC,
                                   start_date=PHASE_ORIGIN + timedelta(seconds=phase))
        return IntervalTrigger(**period, jitter=jitter, timezone=UTC)
    return cron_trigger(schedule, jitter)


def list_phases(sources: Iterable[SourceConfig]) -> dict[str, float]:
    """Seconds into its period at which each member of a source list runs.

    The list sources on one host with one interval (every Flock portal is on the vendor's
    site, whichever list it is in) are spread evenly over it: member k of N at k/N of the
    period, by id. So thousands of portals are fetched one at a time all week long instead of
    all at once; 5,926 portals weekly is one every 102 s.
    """
    groups: dict[tuple[str, int], list[SourceConfig]] = {}
    for source in sources:
        every = INTERVAL.fullmatch(source.schedule)
        if source.list_id and source.enabled and every:
            period = int(every.group(1)) * UNIT_SECONDS[every.group(2)]
            host = urlsplit(source.urls[0]).netloc.lower()
            groups.setdefault((host, period), []).append(source)
    phases = {}
    for (_, period), group in groups.items():
        group.sort(key=lambda s: s.id)
        for k, source in enumerate(group):
            phases[source.id] = k * period / len(group)
    return phases


def run_scheduled(source_id: str, sources_path: str, data_dir: str, db_url: str,
                  public_dir: str, site_path: str) -> None:
    """One scheduled crawl of one source (the scheduler's job function; arguments are plain
    so the job store can keep them)."""
    sources = load_sources(Path(sources_path))
    source = sources.get(source_id)
    if source is None or not source.enabled:
        logger.warning("scheduled source %s is no longer enabled in %s; skipped", source_id,
                       sources_path)
        return
    paths = Paths(data_dir=Path(data_dir), db_url=db_url, public_dir=Path(public_dir))
    try:
        _, rows = crawl([source], paths, command="schedule", keep_warm=True)
    except LockHeld as exc:
        logger.warning("%s; this scheduled run is skipped", exc)
        return
    if any(r.documents_new or r.findings_new for r in rows):
        rebuild(paths, Path(site_path))


def rebuild(paths: Paths, site_path: Path) -> None:
    """Rebuild the site; one build at a time."""
    with _BUILD:
        build(paths, site_path)


def add_jobs(scheduler: BaseScheduler, sources: Mapping[str, SourceConfig], *,
             job_args: Mapping[str, str], jitter: int) -> list[str]:
    """Put one job per enabled source on ``scheduler`` and drop jobs of removed sources."""
    wanted = {s.id for s in sources.values() if s.enabled}
    phases = list_phases(sources.values())
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
    for source_id in sorted(wanted):
        trigger = trigger_for(sources[source_id].schedule, jitter, phases.get(source_id))
        scheduler.add_job(
            "sidedoor.scheduler:run_scheduled", trigger,
            id=source_id, name=sources[source_id].name, replace_existing=True,
            kwargs={"source_id": source_id, **job_args}, coalesce=True, max_instances=1,
            misfire_grace_time=None,
        )
    return sorted(wanted)


def make_scheduler(db_url: str, workers: int = 2) -> BackgroundScheduler:
    """A scheduler whose jobs live in the store's database."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=db_url, tablename="scheduler_jobs")},
        executors={"default": ThreadPoolExecutor(workers)}, timezone=UTC,
    )


def serve_forever(sources_path: Path, paths: Paths, site_path: Path, *, jitter: int,
                  workers: int, ready: Callable[[list[str]], None] | None = None) -> None:
    """Run the scheduler until SIGTERM or SIGINT, then stop after the crawls under way."""
    Store.open(paths.db_url)  # creates the database, and its folder, before the job store
    scheduler = make_scheduler(paths.db_url, workers)
    args: dict[str, Any] = {"sources_path": str(sources_path), "data_dir": str(paths.data_dir),
                            "db_url": paths.db_url, "public_dir": str(paths.public_dir),
                            "site_path": str(site_path)}
    stopping = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("signal %d: stopping after the crawls under way", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start(paused=True)
    ids = add_jobs(scheduler, load_sources(sources_path), job_args=args, jitter=jitter)
    scheduler.resume()
    if ready is not None:
        ready(ids)
    stopping.wait()
    scheduler.shutdown(wait=True)
