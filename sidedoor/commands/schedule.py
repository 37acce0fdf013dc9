"""The ``schedule`` command: run every enabled source on its own schedule."""

from __future__ import annotations

from pathlib import Path

import click

from sidedoor.console import default_paths, err, read_sources, sources_option


@click.command()
@sources_option
@click.option("--jitter", default=300, show_default=True,
              help="Up to this many seconds of random delay per run, so sources spread out.")
@click.option("--workers", default=2, show_default=True, help="Crawls that may run at once.")
def schedule(sources_path: Path, jitter: int, workers: int) -> None:
    """Run every enabled source on its own schedule until stopped (SIGTERM or Ctrl-C).

    Jobs live in the store's database; missed runs after downtime are coalesced into one;
    a source is never crawled twice at once, and `sidedoor run` waits its turn. The site is
    rebuilt after a crawl that found something new.

    Example: SIDEDOOR_DATA_DIR=/srv/sidedoor/data sidedoor schedule --jitter 600
    """
    from config.schema import SITE_PATH
    from sidedoor.scheduler import serve_forever

    read_sources(sources_path)  # fail now, with every problem listed, not at the first job
    paths = default_paths(None, None)

    def ready(ids: list[str]) -> None:
        err.print(f"scheduling {len(ids)} sources from {sources_path}; SIGTERM or Ctrl-C stops")

    serve_forever(sources_path, paths, SITE_PATH, jitter=jitter, workers=workers, ready=ready)


COMMANDS = (schedule,)
