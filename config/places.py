"""Load and validate a places file: the county and position of the places sources name.

``config/places.yaml`` maps a state to its places, each with its county and, where known, its
latitude and longitude (public facts, for the site's map and for a finding's county)::

    places:
      IL:
        Evanston: {county: Cook County, lat: 42.0451, lon: -87.6877}
        Cook County: {county: Cook County, lat: 41.84, lon: -87.82}   # a county is its own

A places file sits beside the sources and site files it goes with (``demo/places.yaml`` for
the demo world: :func:`places_beside`); ``SIDEDOOR_PLACES`` names an operator's own file
instead of ``config/places.yaml``. A missing file means no places. Every problem is reported
together, each on one line naming the file and the entry (``places.IL.Evanston.lat``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from config.problems import validation_problems
from config.schema import CONFIG_DIR, ConfigError
from config.yamlfile import read_yaml

# SIDEDOOR_PLACES: an operator's own places file instead of the shipped one.
PLACES_PATH = Path(os.environ.get("SIDEDOOR_PLACES") or CONFIG_DIR / "places.yaml")
_STATE = "two capital letters, like IL"


class PlaceInfo(BaseModel):
    """One place: its county ("" for a place that is no county's) and its position."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    county: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _both_or_neither(self) -> PlaceInfo:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Places:
    """The places of one file, looked up by name (any case) and two-letter state."""

    entries: Mapping[tuple[str, str], tuple[str, PlaceInfo]] = field(default_factory=dict)

    def get(self, place: str, state: str) -> PlaceInfo | None:
        """The place's entry, or None when the file does not name it."""
        found = self.entries.get((place.strip().casefold(), state.strip().upper()))
        return found[1] if found else None

    def county_of(self, place: str, state: str) -> str:
        """The place's county, or "" when unknown."""
        info = self.get(place, state)
        return info.county if info else ""

    def __iter__(self) -> Iterator[tuple[str, str, PlaceInfo]]:
        """Every place as (name as written, state, entry), in the file's order."""
        for (_, state), (name, info) in self.entries.items():
            yield name, state, info

    def __len__(self) -> int:
        return len(self.entries)


_HINTS = {"extra_forbidden": "unknown key (a typo?); allowed: county, lat, lon"}


def parse_places(data: Any, path: Path) -> Places:  # Any: raw YAML
    """Validate the parsed YAML of a places file; raise ConfigError listing every problem."""
    if data is None:
        return Places()
    if not isinstance(data, Mapping) or set(data) - {"places"} \
            or not isinstance(data.get("places") or {}, Mapping):
        raise ConfigError(f"{path}: expected a top-level 'places:' mapping of state → places")
    problems: list[str] = []
    entries: dict[tuple[str, str], tuple[str, PlaceInfo]] = {}
    for state, places in (data.get("places") or {}).items():
        code = str(state)
        if len(code) != 2 or not code.isalpha() or not code.isupper():
            problems.append(f"{path}: places.{code}: not a state code; expected {_STATE}")
            continue
        if not isinstance(places, Mapping):
            problems.append(f"{path}: places.{code}: expected a mapping of place name → entry")
            continue
        for name, entry in places.items():
            where = f"places.{code}.{name}"
            if not isinstance(entry, Mapping):
                problems.append(f"{path}: {where}: expected a mapping with county, lat, lon")
                continue
            try:
                info = PlaceInfo.model_validate(entry)
            except ValidationError as exc:
                problems.extend(validation_problems(path, exc, prefix=where, hints=_HINTS))
                continue
            key = (str(name).strip().casefold(), code)
            if key in entries:
                problems.append(f"{path}: {where}: named twice in {code}; keep one entry")
            entries[key] = (str(name).strip(), info)
    if problems:
        raise ConfigError("\n".join(problems))
    return Places(entries)


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> Places:
    return parse_places(read_yaml(path), path)


def load_places(path: Path | None = None) -> Places:
    """Read and validate a places file (default ``PLACES_PATH``), cached until it changes;
    a missing file means no places."""
    path = Path(path or PLACES_PATH).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        return Places()
    return _load(path, mtime)


def places_beside(config_file: Path) -> Path:
    """The places file that goes with a sources or site file: ``places.yaml`` in its folder,
    so ``demo/site.yaml`` has ``demo/places.yaml`` (and ``config/`` has ``PLACES_PATH``)."""
    folder = Path(config_file).resolve().parent
    return PLACES_PATH if folder == CONFIG_DIR else folder / "places.yaml"
