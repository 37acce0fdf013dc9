"""The operators' crawling commands: ``demo``, ``run`` and ``crawl``."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from sidedoor.commands.running import build, finish, run_with_progress
from sidedoor.console import ROOT, default_paths, read_sources, sources_option


@click.command()
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
    from config.places import places_beside
    from demo.server import DemoWorld
    from sidedoor.runner import Paths

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
                                           "RETRY_TIMES": 1,
                                           "SIDEDOOR_PLACES_FILE": str(places_beside(
                                               ROOT / "demo" / "sources.yaml"))})
    build(paths, site_path=ROOT / "demo" / "site.yaml")
    finish(rows, paths, started, as_json=as_json, strict=False)


@click.command()
@click.argument("source_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@sources_option
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
    started = time.monotonic()
    paths = default_paths(None, None)
    sources = read_sources(sources_path, source_ids, list_id=list_id, limit=limit)
    rows = run_with_progress(sources, paths, command="run", quiet=as_json)
    if not no_build:
        build(paths)
    finish(rows, paths, started, as_json=as_json, strict=strict)


@click.command("crawl")
@click.argument("source_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@sources_option
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


COMMANDS = (demo, run, crawl_command)
