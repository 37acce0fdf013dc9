"""The US states as SVG shapes, from the Census Bureau's boundaries in npm's ``us-atlas``.

``make install`` fetches ``us-atlas`` with npm into the virtualenv (``ATLAS_PATH``): the
states as TopoJSON in longitude and latitude (``states-10m.json``, 1:10,000,000). This module
projects them (reports/geo.py: Albers' equal-area conic for the conterminous states, with
Alaska at 0.35 of the scale and Hawaii at full scale as insets at the bottom left), simplifies
them to about a pixel, and keeps the result for the life of the process, so a build
decodes the file once. The 50 states and DC are kept, by the names in config/patterns.yaml
(``states:``); territories are left out, as no source is there yet.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reports.geo import (
    ALASKA,
    CONTERMINOUS,
    HAWAII,
    AlbersConic,
    Frame,
    Point,
    area,
    bounds,
    centroid,
    decode_arcs,
    path_data,
    polygons_of,
    simplify,
    stitch,
)

ATLAS_PATH = Path(sys.prefix) / "share" / "us-atlas" / "states-10m.json"
WIDTH = 960.0
MARGIN = 8.0
TOLERANCE = 1.0  # pixels a simplified border may stray from the Census line
INSETS = {"AK": (ALASKA, 0.35), "HI": (HAWAII, 1.0)}  # projection, share of the main scale
INSET_GAP = 24.0


class AtlasError(Exception):
    """The boundaries file is missing or is not the states TopoJSON of us-atlas."""


@dataclass(frozen=True)
class StateShape:
    """A state drawn on the map."""

    code: str  # "IL"
    name: str  # "Illinois"
    d: str  # SVG path data
    centre: Point  # the middle of its largest part, for lines and labels


@dataclass(frozen=True)
class Atlas:
    """The states placed on a ``width`` × ``height`` page, and how to place a point."""

    width: float
    height: float
    states: tuple[StateShape, ...]
    frames: Mapping[str, Frame]  # "AK", "HI" and "" (the conterminous states)

    def point(self, lon: float, lat: float, state: str) -> Point:
        """Where a longitude and latitude in ``state`` falls on the map."""
        return self.frames.get(state, self.frames[""])(lon, lat)


def load_atlas(names: Mapping[str, str], path: Path = ATLAS_PATH) -> Atlas:
    """The states of ``path`` whose names ``names`` (code → name) gives, placed on the page;
    cached until the file changes."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise AtlasError(f"{path}: the state boundaries are missing ({exc.strerror}); run "
                         "`make install`, which fetches them with npm (us-atlas)") from None
    return _load(path, mtime, tuple(sorted(names.items())))


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, names: tuple[tuple[str, str], ...]) -> Atlas:
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        geometries = topology["objects"]["states"]["geometries"]
        arcs = decode_arcs(topology)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AtlasError(f"{path}: not the states TopoJSON of us-atlas ({exc!r}); run "
                         "`make install` again") from None
    codes = {name: code for code, name in names}
    wanted = [(codes[g["properties"]["name"]], g) for g in geometries
              if g.get("properties", {}).get("name") in codes]
    group: dict[int, str] = {}  # arc → the state code whose frame projects it
    for code, geometry in wanted:
        for polygon in polygons_of(geometry):
            for ring in polygon:
                for index in ring:
                    group.setdefault(index if index >= 0 else ~index, code)
    frames = _frames(arcs, group)
    placed = _place_arcs(arcs, group, frames)
    states = tuple(sorted((_shape(code, geometry, placed, dict(names)[code])
                           for code, geometry in wanted), key=lambda s: s.code))
    height = frames[""].dy - frames[""].scale * _raw_bounds(arcs, group, "", CONTERMINOUS)[1]
    return Atlas(width=WIDTH, height=round(height + MARGIN), states=states, frames=frames)


def _raw_bounds(arcs: list[list[Point]], group: Mapping[int, str], code: str,
                projection: AlbersConic) -> tuple[float, float, float, float]:
    return bounds(projection.project(*p) for i, arc in enumerate(arcs)
                  if i in group and _frame_key(group[i]) == code for p in arc)


def _frame_key(code: str) -> str:
    return code if code in INSETS else ""


def _frames(arcs: list[list[Point]], group: Mapping[int, str]) -> dict[str, Frame]:
    x0, y0, x1, y1 = _raw_bounds(arcs, group, "", CONTERMINOUS)
    scale = (WIDTH - 2 * MARGIN) / (x1 - x0)
    frames = {"": Frame(CONTERMINOUS, scale, MARGIN - scale * x0, MARGIN + scale * y1)}
    bottom = MARGIN + scale * (y1 - y0)
    left = MARGIN
    for code, (projection, share) in INSETS.items():
        if not any(_frame_key(c) == code for c in group.values()):
            continue
        ix0, iy0, ix1, _ = _raw_bounds(arcs, group, code, projection)
        inset = scale * share
        frames[code] = Frame(projection, inset, left - inset * ix0, bottom + inset * iy0)
        left += inset * (ix1 - ix0) + INSET_GAP
    return frames


def _place_arcs(arcs: list[list[Point]], group: Mapping[int, str],
                frames: Mapping[str, Frame]) -> dict[int, list[Point]]:
    placed = {}
    for index, code in group.items():
        frame = frames[_frame_key(code)]
        placed[index] = simplify([frame(*p) for p in arcs[index]], TOLERANCE)
    return placed


def _shape(code: str, geometry: Mapping[str, object], placed: Mapping[int, list[Point]],
           name: str) -> StateShape:
    rings = [stitch(ring, placed) for polygon in polygons_of(geometry) for ring in polygon]
    drawn = [r for r in rings if abs(area(r)) >= 0.5] or rings  # specks under a pixel go
    largest = max(drawn, key=lambda r: abs(area(r)))
    return StateShape(code=code, name=name, d=path_data(drawn), centre=centroid(largest))

