"""The ``worker`` command: crawl sources from a shared Redis frontier (sidedoor/worker.py)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from sidedoor.commands.running import exit_code, report
from sidedoor.console import SOURCES_PATH, default_paths, err, read_sources


@click.command()
@click.argument("source_ids", nargs=-1)
@click.option("--push", is_flag=True,
              help="First add a cycle to the frontier: every enabled source, or SOURCE_IDs.")
@click.option("--push-only", is_flag=True, help="Add the cycle and exit without crawling.")
@click.option("--redis", "redis", default=None, metavar="URL",
              help="The frontier's Redis (default: $SIDEDOOR_REDIS_URL, else "
                   "redis://127.0.0.1:6379/0).")
@click.option("--idle", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds to wait for more work once the frontier is empty.")
@click.option("--lease", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds a killed worker's hosts stay leased to it.")
@click.option("--claim", type=click.IntRange(min=1), default=None,
              help="Hosts this worker keeps claimed at once (default: enough to fill "
                   "CONCURRENT_REQUESTS at CONCURRENT_REQUESTS_PER_DOMAIN a host).")
@click.option("--sources", "sources_path", type=click.Path(exists=True, path_type=Path),
              default=SOURCES_PATH, show_default=True, help="The sources file (the same on "
              "every worker).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
def worker(source_ids: tuple[str, ...], push: bool, push_only: bool, redis: str | None,
           idle: float, lease: float, claim: int | None, sources_path: Path,
           as_json: bool) -> None:
    """Crawl sources taken from a shared Redis frontier, as one of many workers.

    Every worker, on any machine, claims hosts from one Redis (scrapy-redis) and crawls
    their sources into one store (SIDEDOOR_DB_URL, PostgreSQL beyond one machine); a host
    is crawled by one worker at a time. The worker stops when the frontier is empty
    (after --idle seconds). A cycle is one --push, from cron or the scheduler's machine.

    Example: sidedoor worker --push   (then `sidedoor worker` on the other machines)
    """
    from config.deployment import redis_url
    from sidedoor.runner import summarise
    from sidedoor.store import Store
    from sidedoor.worker import CLAIM, work
    from sidedoor.worker import push as push_cycle

    started = time.monotonic()
    url = redis or redis_url()
    catalog = read_sources(sources_path)
    paths = default_paths(None, None)
    if push or push_only:
        Store.open(paths.db_url)  # create or migrate the store once, before workers share it
        chosen = read_sources(sources_path, source_ids) if source_ids else catalog
        added = _redis_call(url, lambda: push_cycle(url, chosen))
        err.print(f"pushed {added} new host groups ({len(chosen)} sources) to {url}",
                  highlight=False)
        if push_only:
            return
    elif source_ids:
        raise click.UsageError("SOURCE_IDs choose what --push adds; a worker crawls what "
                               "the frontier holds")
    _, rows = _redis_call(url, lambda: work(catalog, paths, redis_url=url,
                                             idle_seconds=idle, lease_seconds=lease,
                                             claim=claim or CLAIM))
    report(rows, summarise(Store.open(paths.db_url), rows, started), as_json)
    sys.exit(exit_code(rows, strict=False) if rows else 0)


T = TypeVar("T")


def _redis_call(url: str, call: Callable[[], T]) -> T:
    from redis.exceptions import ConnectionError as RedisDown

    try:
        return call()
    except RedisDown as exc:
        raise click.ClickException(f"cannot reach the frontier's Redis at {url}: {exc} "
                                   "(start redis-server, or set SIDEDOOR_REDIS_URL)") from exc


COMMANDS = (worker,)
