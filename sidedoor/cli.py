"""The ``sidedoor`` command line: a thin click layer over the runner, the store and reports.

Each command's docstring is its ``--help``. See README, "Command reference".
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

# Each command imports what it needs when it runs, so `--help` and light commands do not pay
# for Scrapy, SQLAlchemy and pydantic (bench/startup.py measures this).
from sidedoor import maintainers
from sidedoor.console import ROOT, SOURCES_PATH, USER_ERRORS, default_paths, err, read_sources

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
                  console=err, transient=True) as bar:
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


class Commands(click.Group):
    """The command group: a user's mistake in config or store settings is one line, not a
    traceback, whichever command meets it."""

    def invoke(self, ctx: click.Context) -> Any:  # Any: whatever the command returns
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if isinstance(exc, _user_errors()):
                raise click.ClickException(str(exc)) from exc
            raise


def _user_errors() -> tuple[type[Exception], ...]:
    """The classes of USER_ERRORS whose modules are loaded."""
    return tuple(getattr(sys.modules[module], name) for module, name in USER_ERRORS
                 if module in sys.modules)


@click.group(cls=Commands)
@click.version_option(package_name="sidedoor")
def main() -> None:
    """sidedoor watches public documents for local police data reaching federal agencies
    and other states, and publishes what it finds as a static site with feeds.

    Start with `sidedoor demo`, then `sidedoor serve`.
    """


@main.command()
@click.option("--fresh", is_flag=True, help="Forget the demo's earlier runs (demo-data/).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: public/).")
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Where the demo keeps its store and archive (default: demo-data/).")
def demo(fresh: bool, as_json: bool, out: Path | None, data: Path | None) -> None:
    """Crawl the offline demo world and publish it to public/.

    Starts the demo sites on 127.0.0.1 (free ports), crawls every demo source, extracts
    findings, stores them in demo-data/ and builds the site. Runs are kept between calls:
    a second run finds nothing new.

    Example: sidedoor demo --fresh && sidedoor serve
    """
    from demo.server import DemoWorld
    from sidedoor.runner import Paths, summarise
    from sidedoor.store import Store

    started = time.monotonic()
    data = data or ROOT / "demo-data"
    if fresh and data.exists():
        shutil.rmtree(data)
    paths = Paths(data_dir=data, db_url=f"sqlite:///{data / 'sidedoor.sqlite'}",
                  public_dir=out or ROOT / "public")
    with DemoWorld() as world:
        sources = read_sources(ROOT / "demo" / "sources.yaml", substitutions=world.hosts)
        rows = run_with_progress(sources, paths, command="demo", quiet=as_json,
                                 settings={"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
                                           "RETRY_TIMES": 1})
    build(paths, site_path=ROOT / "demo" / "site.yaml")
    report(rows, summarise(Store.open(paths.db_url), rows, started), as_json)
    sys.exit(exit_code(rows, strict=False))


@main.command()
@click.argument("source_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@click.option("--sources", "sources_path", type=click.Path(exists=True, path_type=Path),
              default=SOURCES_PATH, show_default=True, help="The sources file.")
@click.option("--no-build", is_flag=True, help="Crawl and store only; do not rebuild the site.")
@click.option("--strict", is_flag=True,
              help="Exit non-zero when any source fails (for CI), not only when all do.")
@click.option("--list", "list_id", default=None,
              help="Run the sources of one source list (`lists:` in the sources file).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Run at most this many of the chosen sources.")
def run(source_ids: tuple[str, ...], as_json: bool, sources_path: Path, no_build: bool,
        strict: bool = False, list_id: str | None = None, limit: int | None = None) -> None:
    """Crawl sources, extract findings, store them and rebuild the site.

    With no SOURCE_ID, runs every enabled source; with --list, the sources of that list. A
    source that fails is reported and the others go on.

    Example: sidedoor run il_secretary_of_state_alpr_audits --json

    Example: sidedoor run --list il_flock_portals --limit 20
    """
    from sidedoor.runner import summarise
    from sidedoor.store import Store

    started = time.monotonic()
    paths = default_paths(None, None)
    sources = read_sources(sources_path, source_ids, list_id=list_id, limit=limit)
    rows = run_with_progress(sources, paths, command="run", quiet=as_json)
    if not no_build:
        build(paths)
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


@main.command("crawl")
@click.argument("source_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@click.option("--sources", "sources_path", type=click.Path(exists=True, path_type=Path),
              default=SOURCES_PATH, show_default=True, help="The sources file.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any source fails.")
@click.option("--list", "list_id", default=None, help="Crawl the sources of one source list.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Crawl at most this many of the chosen sources.")
@click.pass_context
def crawl_command(ctx: click.Context, source_ids: tuple[str, ...], as_json: bool,
                  sources_path: Path, strict: bool, list_id: str | None,
                  limit: int | None) -> None:
    """Crawl and store sources without rebuilding the site (same as `run --no-build`).

    Example: sidedoor crawl cook_county_board
    """
    ctx.invoke(run, source_ids=source_ids, as_json=as_json, sources_path=sources_path,
               no_build=True, strict=strict, list_id=list_id, limit=limit)


@main.command("build")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: public/).")
@click.option("--no-search", is_flag=True, help="Skip the Pagefind search index.")
def build_command(out: Path | None, no_search: bool) -> None:
    """Build the static site and feeds from the store.

    Example: sidedoor build --out /var/www/sidedoor
    """
    result = build(default_paths(None, out), search=not no_search)
    click.echo(f"built {result.pages} pages and {result.feeds} feeds in {result.out} "
               f"({result.rendered} files rendered, {result.reused} unchanged; "
               f"{result.seconds:.1f}s)")


@main.command()
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=None,
              help="The folder to serve (default: public/).")
@click.option("--port", default=8000, show_default=True, help="The port on 127.0.0.1.")
def serve(folder: Path | None, port: int) -> None:
    """Preview the built site on http://127.0.0.1:8000 (Ctrl-C stops).

    Example: sidedoor serve --port 8080
    """
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from config.schema import public_dir

    root = folder or public_dir(ROOT / "public")
    if not (root / "index.html").exists():
        raise click.ClickException(f"{root} has no index.html: run `sidedoor demo` or "
                                   "`sidedoor build` first")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {root} on http://127.0.0.1:{port}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@main.command()
@click.option("--sources", "sources_path", type=click.Path(exists=True, path_type=Path),
              default=SOURCES_PATH, show_default=True, help="The sources file.")
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


for command in (maintainers.sources, maintainers.extract, maintainers.inspect_command,
                maintainers.new_source):
    main.add_command(command)


def command_reference() -> str:
    """The README's command table, made from the commands themselves (cog writes it into
    README.md; `make lint` checks it is current): each command's options and the first
    paragraph of its --help."""
    rows = ["| command | what it does |", "|---|---|"]
    for name, command in sorted(main.commands.items()):
        words = [f"sidedoor {name}"]
        for param in command.params:
            if isinstance(param, click.Argument):
                word = f"{param.human_readable_name}{'...' if param.nargs < 0 else ''}"
            elif isinstance(param, click.Option):
                flag = max(param.opts, key=len)
                value = param.metavar or flag.lstrip("-").upper()
                word = flag if param.is_flag else f"{flag} {value}"
            else:
                continue
            words.append(word if param.required else f"[{word}]")
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        rows.append(f"| `{' '.join(words)}` | {summary} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
