"""What the crawling commands share: a crawl with a progress bar, a site build whose errors
are one line, the run's report and its exit code."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from sidedoor.console import err

if TYPE_CHECKING:
    from config.schema import SourceConfig
    from reports.build import BuildResult
    from sidedoor.runner import Paths, RunSummary
    from sidedoor.store import SourceRun


def run_with_progress(sources: list[SourceConfig], paths: Paths, *, command: str,
                      quiet: bool, settings: dict[str, Any] | None = None) -> list[SourceRun]:
    """Crawl with a progress bar on stderr (none when ``quiet``)."""
    from sidedoor.locks import LockHeld

    try:
        return _crawl_with_progress(sources, paths, command=command, quiet=quiet,
                                    settings=settings)
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from exc


def _crawl_with_progress(sources: list[SourceConfig], paths: Paths, *, command: str,
                         quiet: bool, settings: dict[str, Any] | None) -> list[SourceRun]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from sidedoor.runner import crawl

    if quiet:
        return crawl(sources, paths, command=command, settings=settings)[1]
    with Progress(TextColumn("crawling"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err.rich(), transient=True) as bar:
        task = bar.add_task("", total=len(sources))

        def update(done: int, total: int, rows: list[SourceRun]) -> None:
            last = rows[-1].source_id if rows else ""
            bar.update(task, completed=done, description=last)

        return crawl(sources, paths, command=command, settings=settings, progress=update)[1]


def build(paths: Paths, *, site_path: Path | None = None, search: bool = True) -> BuildResult:
    """Build the static site from the store into ``paths.public_dir``."""
    from config.schema import SITE_PATH, ConfigError
    from reports.search import SearchIndexError
    from sidedoor.runner import build as build_site

    try:
        return build_site(paths, site_path or SITE_PATH, search=search)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except SearchIndexError as exc:
        raise click.ClickException(f"{exc} (the previous site in {paths.public_dir} is "
                                   "unchanged; `sidedoor build --no-search` skips search)") from exc


def report(rows: list[SourceRun], summary: RunSummary, as_json: bool) -> None:
    """Print the run's outcome per source and the summary (JSON as the last line)."""
    from rich.console import Console

    out = Console()
    for row in rows:
        if row.outcome == "ok" and not row.errors:
            continue
        colour = "yellow" if row.outcome == "ok" else "red"
        for message in row.error_messages or [row.outcome]:
            err.print(f"[{colour}]{row.source_id}[/]: {message}", highlight=False, soft_wrap=True)
    if as_json:
        print(json.dumps(summary.as_json()))
        return
    out.print(
        f"{summary.sources} sources, {summary.documents_fetched} documents fetched "
        f"({summary.documents_new} new, {summary.documents_unchanged} unchanged), "
        f"{summary.findings_new} new findings ({summary.findings_total} in all), "
        f"{summary.errors} errors, {summary.seconds:.1f}s", highlight=False)


def finish(rows: list[SourceRun], paths: Paths, started: float, *, as_json: bool,
           strict: bool) -> NoReturn:
    """Report a run (``started``: its ``time.monotonic()``) and exit with its exit code."""
    from sidedoor.runner import summarise
    from sidedoor.store import Store

    report(rows, summarise(Store.open(paths.db_url), rows, started), as_json)
    sys.exit(exit_code(rows, strict=strict))


def exit_code(rows: Sequence[SourceRun], *, strict: bool) -> int:
    """1 when every source failed, when sidedoor's own code raised (a pipeline or parser
    exception), or with ``strict`` when any source failed; else 0. A few sources' network
    trouble does not fail a run of thousands."""
    from pipelines.runstatus import is_internal

    internal = sum(is_internal(m) for r in rows for m in r.error_messages)
    if internal:
        err.print(f"{internal} internal errors (exceptions in sidedoor's pipelines or parsers); "
                  "the messages above name them", highlight=False)
    failed = [r for r in rows if r.outcome != "ok"]
    return int(bool(internal) or (bool(rows) and len(failed) == len(rows))
               or (strict and bool(failed)))
