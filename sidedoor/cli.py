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
if TYPE_CHECKING:
    from config.schema import SourceConfig
    from reports.build import BuildResult
    from sidedoor.runner import Paths, RunSummary
    from sidedoor.store import SourceRun

ROOT = Path(__file__).resolve().parent.parent
# config.schema.SOURCES_PATH, without importing pydantic to show a default in --help
SOURCES_PATH = ROOT / "config" / "sources.yaml"
# The errors a user can fix (a config file, the store URL, a held lock), by module and name:
# each becomes a one-line message; a command that never loaded a module cannot raise its error.
USER_ERRORS = (("config.schema", "ConfigError"), ("sidedoor.store", "StoreError"),
               ("sidedoor.locks", "LockHeld"))
err = Console(stderr=True)


def default_paths(data: Path | None, public: Path | None) -> Paths:
    from config.schema import data_dir, db_url
    from sidedoor.runner import Paths

    folder = data or data_dir(ROOT / "data")
    return Paths(data_dir=folder, db_url=db_url(f"sqlite:///{folder / 'sidedoor.sqlite'}"),
                 public_dir=public or ROOT / "public")


def read_sources(path: Path, ids: Sequence[str] = (),
                 substitutions: dict[str, str] | None = None, *, list_id: str | None = None,
                 limit: int | None = None) -> list[SourceConfig]:
    """Enabled sources of a config file (or those named, or a list's, at most ``limit``), as a
    user-facing error if invalid."""
    from config.schema import ConfigError, load_sources

    try:
        sources = load_sources(path, substitutions)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise click.ClickException(
            f"{path}: no source with id {', '.join(map(repr, unknown))}; "
            "`sidedoor sources` lists them")
    if list_id is not None:
        members = [s for s in sources.values() if s.list_id == list_id]
        if not members:
            raise click.ClickException(f"{path}: no source list {list_id!r}; "
                                       "`sidedoor sources` lists them")
        return members[:limit]
    chosen = [sources[i] for i in ids] if ids else [s for s in sources.values() if s.enabled]
    return chosen[:limit]


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

    root = folder or ROOT / "public"
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
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
def sources(sources_path: Path, as_json: bool) -> None:
    """Validate the configuration and list the sources (no crawling).

    Checks the sources file and the files every crawl and build reads (config/patterns.yaml,
    config/site.yaml, config/reviews.yaml); exits non-zero with every problem listed.

    Example: sidedoor sources --sources config/sources.yaml
    """
    from config import patterns, reviews
    from config.schema import SITE_PATH, ConfigError, load_site, load_sources

    problems = []
    for load in (lambda: load_sources(sources_path), patterns.load_patterns,
                 lambda: load_site(SITE_PATH), reviews.load_reviews):
        try:
            load()
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise click.ClickException("\n".join(problems))
    entries = load_sources(sources_path)
    if as_json:
        print(json.dumps([s.model_dump(mode="json") for s in entries.values()], indent=2))
        return
    lists: dict[str, list[SourceConfig]] = {}
    for source in entries.values():
        if source.list_id:
            lists.setdefault(source.list_id, []).append(source)
            continue
        state = "" if source.enabled else " (disabled)"
        click.echo(f"{source.id:45} {source.platform:15} {source.schedule:15} "
                   f"{source.place}{state}")
    for list_id, members in lists.items():
        first = members[0]
        notes = [n for n, on in (("disabled", not first.enabled),
                                 ("unverified", not first.verified)) if on]
        shown = f" ({', '.join(notes)})" if notes else ""
        click.echo(f"{list_id:45} {first.platform:15} {first.schedule:15} "
                   f"list of {len(members)} sources{shown}")
    click.echo(f"{len(entries)} sources, all valid ({sources_path})")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passages", type=click.File("r"), default=None,
              help="A JSON-lines file of {id, text}; writes one JSON line of findings per line.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON lines.")
@click.option("--state", "home_state", default=None, metavar="XX",
              help="Two-letter state of the agency whose data the files are about (else read "
                   "from each document); agencies of other states then count as out of state.")
@click.option("--owner", default=None,
              help="Name of the agency whose data the files are about (else read from each "
                   "document); data shared with it is coming in, not a finding.")
def extract(paths: tuple[Path, ...], passages: Any, as_json: bool, home_state: str | None,
            owner: str | None) -> None:
    """Run the findings engine on files (pdf, html, txt, csv, xlsx, docx, doc, rtf, eml,
    images) and print the findings.

    Nothing is stored. With --passages, reads JSON lines with at least `id` and `text` and
    writes, in order, `{"id": ..., "findings": [...]}` per line (the evaluation interface).

    Example: sidedoor extract minutes.pdf --json --state CA --owner "San Mateo CA PD"
    """
    from config.schema import load_site
    from pipelines.extract.passages import extract_passages
    from pipelines.sections import TextError
    from pipelines.worker import ReadingPool

    if home_state is not None and not (len(home_state) == 2 and home_state.isupper()):
        raise click.BadParameter(f"expected a two-letter code like CA, got {home_state!r}",
                                 param_hint="--state")
    if passages is not None:
        for line_no, result in enumerate(extract_passages(_json_lines(passages)), 1):
            print(json.dumps(result, ensure_ascii=False), flush=line_no % 100 == 0)
        return
    if not paths:
        raise click.UsageError("give files to read, or --passages FILE.jsonl")
    failed = 0
    pool = ReadingPool(load_site().limits)  # the limits of config/site.yaml, as in a crawl
    try:
        for path in paths:
            try:
                text = pool.read(_file_bytes(path, pool.limits.bytes), "", str(path))
            except TextError as exc:
                err.print(str(exc), style="red", markup=False, highlight=False, soft_wrap=True)
                failed += 1
                continue
            _print_findings(path, text, as_json, home_state=home_state, owner=owner)
    finally:
        pool.close()
    if failed:
        sys.exit(1)


def _print_findings(path: Path, text: Any, as_json: bool, *, home_state: str | None = None,
                    owner: str | None = None) -> None:  # Any: ExtractedText
    from pipelines.extract import extract as find
    from pipelines.sections import section_at

    for f in find(text.text, home_state=home_state, owner=owner):
        where = section_at(text.sections, f.start)
        if as_json:
            print(json.dumps({"file": str(path), "section": where, "category": f.category.value,
                              "agencies": list(f.agencies), "start": f.start, "end": f.end,
                              "snippet": f.snippet, "confidence": f.confidence,
                              "rules": list(f.rules)}, ensure_ascii=False))
        else:
            click.echo(f"{path} ({where}) {f.category.value} {','.join(f.agencies)}: "
                       f"{' '.join(f.snippet.split())}")


def _file_bytes(path: Path, limit: int) -> bytes:
    """A file's bytes; one over ``limit`` is not read, so its error comes from the size."""
    from pipelines.sections import over_limit

    size = path.stat().st_size
    if size > limit:
        raise over_limit(str(path), "file size (bytes)", size, limit, "bytes")
    return path.read_bytes()


def _json_lines(handle: Any) -> Any:  # Any: a text file in, dicts out
    for line_no, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{handle.name}: line {line_no}: not JSON: {exc}") from exc


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


@main.command("inspect")
@click.argument("locations", nargs=-1, required=True)
@click.option("--as", "platform", default=None, metavar="PARSER",
              help="The parser to use (default: guessed from the page): flock_portal, "
                   "audit_log, document, or any platform in spiders/, which runs its first "
                   "callback on the page.")
@click.option("--url", default=None,
              help="Where a saved page was fetched from (links resolve against it).")
@click.option("--json", "as_json", is_flag=True,
              help="Print everything as JSON (one line per page when given several).")
def inspect_command(locations: tuple[str, ...], platform: str | None, url: str | None,
                    as_json: bool) -> None:
    """Show what a platform's parser makes of saved pages or live URLs; stores nothing.

    Several pages are read in one process; with --json each gives one JSON line, a page that
    cannot be read gives {"location", "error"} and the exit status is 1.

    Example: sidedoor inspect tests/fixtures/flock_portal/new_layout.html --json
    """
    from config.schema import platforms
    from sidedoor.inspect import PLATFORMS, inspect_each

    known = sorted({*PLATFORMS, *platforms()})
    if platform is not None and platform not in known:
        raise click.BadParameter(f"{platform!r} is not one of {', '.join(known)}",
                                 param_hint="--as")
    if len(locations) == 1:
        (result,) = inspect_each(locations, platform, url)
        if "error" in result:
            raise click.ClickException(result["error"])
        result.pop("location")
        if as_json:
            print(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            _echo_inspected(result)
        return
    failed = 0
    for result in inspect_each(locations, platform, url):
        failed += "error" in result
        if as_json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        elif "error" in result:
            err.print(f"{result['location']}: error: {result['error']}", highlight=False)
        else:
            click.echo(f"== {result.pop('location')}")
            _echo_inspected(result)
    if failed:
        raise SystemExit(1)


def _echo_inspected(result: dict[str, Any]) -> None:  # Any: inspect's JSON-ready report
    for key, value in result.items():
        if isinstance(value, list):
            click.echo(f"{key}: {len(value)}")
        elif value not in (None, ""):
            click.echo(f"{key}: {value}")
    for f in result["findings"]:
        click.echo(f"- {f['category']} {','.join(f['agencies'])}: {' '.join(f['snippet'].split())}")
    for d in result.get("documents", []):
        click.echo(f"- document {d['url']} ({d['title']}, {d['published']})")
    for r in result.get("requests", []):
        click.echo(f"- request {r['url']} -> {r['callback']}")
    for e in result.get("errors", []):
        click.echo(f"- error {e}")


@main.command("new-source")
@click.argument("location")
@click.option("--id", "source_id", required=True,
              help="The new source's id: <jurisdiction>_<body>, e.g. springfield_city_council.")
@click.option("--name", required=True, help="The name readers see.")
@click.option("--place", required=True, help="The town, county or state.")
@click.option("--kind", type=click.Choice(["minutes", "audit", "portal", "records", "news"]),
              default="minutes", show_default=True)
@click.option("--platform", default=None, help="The platform (default: guessed from the page).")
@click.option("--spider", is_flag=True,
              help="A site unlike any platform: write a spider, a test and a saved page.")
@click.option("--write", is_flag=True, help="Append the entry to the sources file.")
@click.option("--sources", "sources_path", type=click.Path(exists=True, path_type=Path),
              default=SOURCES_PATH, show_default=True, help="The sources file.")
def new_source(location: str, source_id: str, name: str, place: str, kind: str,
               platform: str | None, spider: bool, write: bool, sources_path: Path) -> None:
    """Draft a source from a URL or a saved page: a YAML entry, or with --spider a new spider.

    Prints the entry (guessing the platform and the document-link patterns) and how many
    links on the page it matches; --write appends it to the sources file.

    Example: sidedoor new-source https://springfield.example.gov/agendas --id
    springfield_city_council --name "Springfield City Council" --place Springfield --write
    """
    from sidedoor.inspect import InspectError, load
    from sidedoor.scaffold import ScaffoldError, append_entry, draft_entry, entry_yaml, write_spider

    try:
        page = load(location)
        if spider:
            for path in write_spider(page, source_id):
                click.echo(f"wrote {path.relative_to(ROOT)}")
            platform = source_id
        entry, note = draft_entry(page, source_id=source_id, name=name, place=place, kind=kind,
                                  platform=platform)
        click.echo(entry_yaml(entry), nl=False)
        err.print(f"guessed: {note}", highlight=False)
        if write:
            append_entry(sources_path, entry)
            click.echo(f"appended {source_id} to {sources_path}; check it with `sidedoor sources`")
    except (InspectError, ScaffoldError) as exc:
        raise click.ClickException(str(exc)) from exc


if __name__ == "__main__":
    main()
