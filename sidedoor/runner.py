"""Run sources: crawl them in a child process, record the run, build the site, summarise.

This is the library under ``sidedoor run``, ``sidedoor crawl`` and ``sidedoor demo``; the
scheduler calls it too. Time is passed in; every datetime is UTC.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.schema import SourceConfig
from pipelines.store import source_record
from sidedoor.locks import source_locks
from sidedoor.standby import STANDBY_AFTER, spare
from sidedoor.store import SourceRun, SourceRunRecord, Store

if TYPE_CHECKING:
    from reports.build import BuildResult

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
# Sources crawled in one child process, through one crawler (sidedoor/crawl.py). Their
# outcomes are recorded when the batch ends, so a process that dies takes only its own
# batch's outcomes with it (documents and findings are saved as they come); batches run one
# after another.
BATCH = 500


@dataclass(frozen=True)
class Paths:
    """Where a run keeps its state and writes the site."""

    data_dir: Path
    db_url: str
    public_dir: Path

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


@dataclass
class RunSummary:
    """The figures ``--json`` prints; the keys are a contract."""

    sources: int = 0
    documents_fetched: int = 0
    documents_new: int = 0
    documents_unchanged: int = 0
    findings_new: int = 0
    findings_total: int = 0
    errors: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:  # Any: JSON values
        return asdict(self)


Progress = Callable[[int, int, list[SourceRun]], None]


def crawl(
    sources: Sequence[SourceConfig],
    paths: Paths,
    *,
    command: str,
    settings: Mapping[str, Any] | None = None,  # Any: Scrapy setting values
    progress: Progress | None = None,
    keep_warm: bool = False,
) -> tuple[int, list[SourceRun]]:
    """Crawl ``sources`` in one child process; return the run id and each source's outcome.

    ``keep_warm``: this process will crawl again (a scheduler), so leave a standby child
    warm for that crawl. Raises LockHeld, naming the holder, when another process is crawling
    one of them.
    """
    with source_locks(paths.data_dir / "locks", [s.id for s in sources],
                      f"sidedoor {command}") as locks:
        return _crawl(sources, paths, command=command, settings=settings, progress=progress,
                      locks=locks, keep_warm=keep_warm)


def _crawl(
    sources: Sequence[SourceConfig],
    paths: Paths,
    *,
    command: str,
    settings: Mapping[str, Any] | None,  # Any: Scrapy setting values
    progress: Progress | None,
    locks: Sequence[int] = (),
    keep_warm: bool = False,
) -> tuple[int, list[SourceRun]]:
    store = Store.open(paths.db_url)
    store.sync_sources(source_record(s) for s in sources)
    run_id = store.start_run(command, datetime.now(UTC))
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    log_path = paths.log_dir / f"run-{run_id}.log"
    for start in range(0, len(sources), BATCH):
        batch = sources[start:start + BATCH]
        job = {"run_id": run_id, "db_url": paths.db_url, "data_dir": str(paths.data_dir),
               "settings": dict(settings or {}),
               "sources": [s.model_dump(mode="json") for s in batch]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(job, handle)
        try:
            code = _run_child(Path(handle.name), log_path, store, run_id, len(sources),
                              progress, locks, batch_follows=start + BATCH < len(sources),
                              keep_warm=keep_warm)
        finally:
            Path(handle.name).unlink(missing_ok=True)
        _record_missing(store, run_id, batch, store.source_runs(run_id), code, log_path)
    store.finish_run(run_id, datetime.now(UTC))
    return run_id, store.source_runs(run_id)


def _run_child(
    job: Path, log_path: Path, store: Store, run_id: int, total: int, progress: Progress | None,
    locks: Sequence[int] = (), *, batch_follows: bool = False, keep_warm: bool = False,
) -> int:
    """Crawl in a child that holds the sources' locks and stops when this process dies: the
    standby child started by the previous crawl, else a new one."""
    with log_path.open("ab") as log:
        standby = spare.take()
        child = standby.hand(job, log.fileno(), locks) if standby is not None else None
        if child is None:
            child = subprocess.Popen([sys.executable, "-m", "sidedoor.crawl", str(job)],
                                     cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                     pass_fds=tuple(locks))
        # the next batch's child
        standby_at = time.monotonic() + STANDBY_AFTER if batch_follows else math.inf
        while child.poll() is None:
            if progress is not None:
                rows = store.source_runs(run_id)
                progress(len(rows), total, rows)
            if time.monotonic() >= standby_at:
                spare.start(store.engine.url.render_as_string(hide_password=False))
            try:
                child.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                continue
    if keep_warm:
        spare.start(store.engine.url.render_as_string(hide_password=False))
    return child.returncode


def _record_missing(
    store: Store, run_id: int, sources: Sequence[SourceConfig], rows: list[SourceRun],
    code: int, log_path: Path,
) -> None:
    """A source the child never reported on failed with it; say so and where the log is."""
    reported = {row.source_id for row in rows}
    now = datetime.now(UTC)
    for source in sources:
        if source.id not in reported:
            message = (f"the crawl process exited with code {code} before this source "
                       f"finished; see logs/{log_path.name} in the data folder")
            store.record_source_run(run_id, SourceRunRecord(
                source_id=source.id, started_at=now, finished_at=now, outcome="error",
                errors=1, error_messages=[message]))


def build(paths: Paths, site_path: Path, *, search: bool = True) -> BuildResult:
    """Build the site from the store into ``paths.public_dir``, with the reviews applied.

    Raises ConfigError for an invalid site or reviews file, SearchIndexError when Pagefind
    fails (the previous site stays in place). Then sends the news to the site's ``notify:``
    targets; a failed send is logged as a warning, one line per target, and fails nothing.
    """
    from config.deployment import archive_url
    from config.places import load_places, places_beside
    from config.reviews import load_reviews
    from config.schema import load_site
    from reports.build import build_site
    from reports.notify import send_notifications
    from sidedoor.store.archive import open_archive

    site, reviews = load_site(site_path), load_reviews()
    places = load_places(places_beside(site_path))  # demo/site.yaml: demo/places.yaml
    store, now = Store.open(paths.db_url), datetime.now(UTC)
    archive = open_archive(archive_url(str(paths.archive_dir)))  # SIDEDOOR_ARCHIVE_URL
    result = build_site(store, paths.public_dir, site=site, archive_dir=archive,
                        now=now, reviews=reviews, search_index=search, places=places)
    send_notifications(store, site, now=now, site_path=site_path, reviews=reviews)
    return result


def summarise(store: Store, rows: Sequence[SourceRun], started: float) -> RunSummary:
    """The run's figures across sources."""
    return RunSummary(
        sources=len(rows),
        documents_fetched=sum(r.documents_fetched for r in rows),
        documents_new=sum(r.documents_new for r in rows),
        documents_unchanged=sum(r.documents_unchanged for r in rows),
        findings_new=sum(r.findings_new for r in rows),
        findings_total=store.count_findings(),
        errors=sum(r.errors for r in rows),
        seconds=round(time.monotonic() - started, 2),
    )
