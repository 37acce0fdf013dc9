"""The maintainers' commands: check the config, read files, preview pages, draft sources.

``sources``, ``extract``, ``inspect`` and ``new-source`` are for the people who add and tune
sources; sidedoor/cli.py registers them on the ``sidedoor`` group beside the operators'
commands. Each imports what it needs when it runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sidedoor.console import ROOT, SOURCES_PATH, err, sources_option

if TYPE_CHECKING:
    from config.schema import SourceConfig


@click.command()
@sources_option
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON.")
def sources(sources_path: Path, as_json: bool) -> None:
    """Validate the configuration and list the sources (no crawling).

    Checks the sources file and the files every crawl and build reads (config/patterns.yaml,
    config/site.yaml, config/reviews.yaml, config/laws.yaml, the places.yaml beside the
    sources file); exits non-zero with every problem listed.

    Example: sidedoor sources --sources config/sources.yaml
    """
    from config import laws, patterns, reviews
    from config.places import load_places, places_beside
    from config.schema import SITE_PATH, ConfigError, load_site, load_sources

    problems = []
    for load in (lambda: load_sources(sources_path), patterns.load_patterns,
                 lambda: load_site(SITE_PATH), reviews.load_reviews, laws.load_laws,
                 lambda: load_places(places_beside(sources_path))):
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


@click.command()
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
    if home_state is not None and not (len(home_state) == 2 and home_state.isupper()):
        raise click.BadParameter(f"expected a two-letter code like CA, got {home_state!r}",
                                 param_hint="--state")
    if passages is not None:
        from pipelines.extract.passages import extract_passages

        for line_no, result in enumerate(extract_passages(_json_lines(passages)), 1):
            print(json.dumps(result, ensure_ascii=False), flush=line_no % 100 == 0)
        return
    if not paths:
        raise click.UsageError("give files to read, or --passages FILE.jsonl")
    from config.schema import load_site
    from pipelines.sections import TextError, file_bytes
    from pipelines.worker import ReadingPool

    failed = 0
    pool = ReadingPool(load_site().limits)  # the limits of config/site.yaml, as in a crawl
    _start_while_compiling(pool)
    try:
        for path in paths:
            try:
                text = pool.read(file_bytes(path, pool.limits.bytes), "", str(path))
            except TextError as exc:
                err.print(str(exc), style="red", markup=False, highlight=False, soft_wrap=True)
                failed += 1
                continue
            _print_findings(path, text, as_json, home_state=home_state, owner=owner)
    finally:
        pool.close()
    if failed:
        sys.exit(1)


def _start_while_compiling(pool: Any) -> None:  # Any: a ReadingPool
    """Start the reading processes while this one loads the findings engine and its rules:
    each takes a few tenths of a second, and a machine has a core for each."""
    starting = pool.start_in_background()
    try:
        from pipelines.extract.lexicon import get_lexicon

        get_lexicon()
    finally:
        starting.join()


def _print_findings(path: Path, text: Any, as_json: bool, *, home_state: str | None = None,
                    owner: str | None = None) -> None:  # Any: ExtractedText
    from pipelines.extract import extract as find
    from pipelines.sections import section_at
    from sidedoor.inspect import finding_json

    for f in find(text.text, home_state=home_state, owner=owner):
        where = section_at(text.sections, f.start)
        if as_json:
            print(json.dumps({"file": str(path), "section": where, **finding_json(f)},
                             ensure_ascii=False))
        else:
            click.echo(f"{path} ({where}) {f.category.value} {','.join(f.agencies)}: "
                       f"{' '.join(f.snippet.split())}")


def _json_lines(handle: Any) -> Any:  # Any: a text file in, dicts out
    for line_no, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{handle.name}: line {line_no}: not JSON: {exc}") from exc


@click.command("inspect")
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
    cannot be read gives {"location", "error"} and the exit status is 1. Each page is parsed in
    a reading process under the limits of a crawl (limits: in config/site.yaml), so a page
    that is too large, too slow or unreadable gives one line naming it.

    Example: sidedoor inspect tests/fixtures/flock_portal/new_layout.html --json
    """
    from config.platforms import platforms
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


@click.command("new-source")
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
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False, path_type=Path),
              default=SOURCES_PATH, show_default=True,
              help="The sources file (--write makes it if missing).")
def new_source(location: str, source_id: str, name: str, place: str, kind: str,
               platform: str | None, spider: bool, write: bool, sources_path: Path) -> None:
    """Draft a source from a URL or a saved page: a YAML entry, or with --spider a new spider.

    Prints the entry (guessing the platform and the document-link patterns) and how many
    links on the page it matches; --write appends it to the sources file.

    Example: sidedoor new-source https://springfield.example.gov/agendas --id
    springfield_city_council --name "Springfield City Council" --place Springfield --write
    """
    from sidedoor.inspect import InspectError, in_reader, load, reading_pool
    from sidedoor.scaffold import ScaffoldError, append_entry, entry_yaml, write_spider

    try:
        with reading_pool() as pool:  # the page is parsed under the limits of a crawl
            page = load(location, pool.limits)
            if spider:
                for path in write_spider(page, source_id):
                    click.echo(f"wrote {path.relative_to(ROOT)}")
                platform = source_id
            entry, note = in_reader(pool, location, "sidedoor.scaffold:draft_entry", page,
                                    source_id=source_id, name=name, place=place, kind=kind,
                                    platform=platform)
        click.echo(entry_yaml(entry), nl=False)
        err.print(f"guessed: {note}", highlight=False)
        if write:
            append_entry(sources_path, entry)
            click.echo(f"appended {source_id} to {sources_path}; check it with `sidedoor sources`")
    except (InspectError, ScaffoldError) as exc:
        raise click.ClickException(str(exc)) from exc


COMMANDS = (sources, extract, inspect_command, new_source)
