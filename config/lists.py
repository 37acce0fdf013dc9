"""Source lists: one platform, many sources, from a CSV (``lists:`` in config/sources.yaml).

A vendor's portals or a state's boards on one platform differ only in their URL, name and
place, so they are kept as rows of a CSV (``id,name,place,state,url``; see sidedoor/lists.py)
instead of thousands of YAML blocks. A list entry names the platform, kind, schedule and the
CSV, optionally keeps only some states (``states``) or leaves some out (``exclude_states``);
each row becomes a source validated exactly like a single one, carrying its list's id. Rows
whose URL a single source already crawls are left to that source; rows without a state are
left out with a warning (a source's state decides what counts as out of state). Sources that
no live run has checked yet are ``verified: false``.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from config.problems import validation_problems
from config.schema import Kind, SourceConfig

logger = logging.getLogger(__name__)
LIST_COLUMNS = ("id", "name", "place", "state", "url")


class SourceList(BaseModel):
    """One entry of ``lists:`` in the sources file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    platform: str
    kind: Kind
    csv: str = Field(description="the CSV of sources, relative to the sources file")
    schedule: str = "every 7 days"
    enabled: bool = True
    verified: bool = False
    render_js: bool = False
    states: tuple[str, ...] = ()
    exclude_states: tuple[str, ...] = ()
    limit: int | None = Field(default=None, ge=1)


def expand_lists(lists: Mapping[str, Any], path: Path, single: Mapping[str, SourceConfig],
                 ) -> tuple[dict[str, SourceConfig], list[str]]:  # Any: raw YAML
    """Every list's sources (by id) and every problem found, each naming file, list and row,
    worded as single sources' problems are (config/problems.py)."""
    sources: dict[str, SourceConfig] = {}
    problems: list[str] = []
    taken_urls = {url for s in single.values() for url in s.urls}
    for list_id, entry in lists.items():
        where = f"lists.{list_id}"
        try:
            listed = SourceList.model_validate(entry)
        except ValidationError as exc:
            problems.extend(validation_problems(path, exc, prefix=where))
            continue
        table = path.parent / listed.csv
        try:
            rows = _read_rows(table)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            problems.append(f"{path}: {where}.csv: cannot read {table}: {exc}")
            continue
        stateless = [line for line, row in rows if not row.get("state")]
        if stateless and listed.enabled and not listed.states:  # rows it would have kept
            # a source's state decides what is out of state: never guess it
            logger.warning("%s: %d rows of list %s have no state and are left out (lines %s); "
                           "fill in their state column", table, len(stateless), list_id,
                           ", ".join(map(str, stateless[:10])) + (" ..." if len(stateless) > 10
                                                                  else ""))
        for line, row in rows:
            if not row.get("state") or not _kept(listed, row) or row["url"] in taken_urls:
                continue
            if listed.limit is not None and sum(
                    s.list_id == list_id for s in sources.values()) >= listed.limit:
                break
            try:
                source = SourceConfig.model_validate(_entry(list_id, listed, row))
            except ValidationError as exc:
                problems.extend(validation_problems(table, exc,
                                                    prefix=f"line {line} ({row.get('id')})"))
                continue
            if source.id in single or source.id in sources:
                problems.append(f"{table}: line {line}: id {source.id!r} is already a source")
                continue
            sources[source.id] = source
    return sources, problems


def _read_rows(table: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with table.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(LIST_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"missing columns {sorted(missing)}; expected "
                             f"{','.join(LIST_COLUMNS)}")
        return [(n, row) for n, row in enumerate(reader, start=2)]


def _kept(listed: SourceList, row: Mapping[str, str]) -> bool:
    state = row.get("state", "")
    if listed.states and state not in listed.states:
        return False
    return state not in listed.exclude_states


def _entry(list_id: str, listed: SourceList, row: Mapping[str, str]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "place": row["place"] or row["name"],
            "state": row["state"], "kind": listed.kind, "platform": listed.platform,
            "start_urls": [row["url"]], "schedule": listed.schedule, "enabled": listed.enabled,
            "render_js": listed.render_js, "verified": listed.verified, "list_id": list_id}
