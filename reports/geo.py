"""Map geometry in pure Python: decode TopoJSON, project it with Albers' equal-area conic, and
simplify it for a small SVG (reports/usmap.py draws the map).

TopoJSON (the format of npm's ``us-atlas``) stores each border once, as an *arc*: a line of
quantised, delta-encoded positions that two neighbouring states share. A polygon's ring lists
the arcs it is made of by index, a negative index ``~i`` meaning arc ``i`` reversed. Because
the arcs are projected and simplified once each before rings are put together, neighbours
keep one common border with no gaps or slivers.

The projection is Albers' equal-area conic on the sphere, as given in Snyder's *Map
Projections: A Working Manual* (USGS Professional Paper 1395, 1987, pp. 98-101), with the
USGS's parallels for the conterminous states, Alaska and Hawaii. Areas keep their proportions,
so a state's share of the map is its share of the land.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]
Ring = list[int]  # arc indices; ~i is arc i reversed


@dataclass(frozen=True)
class AlbersConic:
    """Albers' equal-area conic projection on the unit sphere (Snyder 1987, eq. 14-1 to 14-4).

    ``parallels`` are the two standard parallels and ``origin`` the (latitude, longitude) that
    maps to (0, 0); x grows eastward and y northward, in earth radii."""

    parallels: tuple[float, float]
    origin: tuple[float, float]

    def project(self, lon: float, lat: float) -> Point:
        phi1, phi2 = (math.radians(p) for p in self.parallels)
        n = (math.sin(phi1) + math.sin(phi2)) / 2
        c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
        rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(self.origin[0]))) / n
        rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
        delta = (lon - self.origin[1] + 180) % 360 - 180  # the Aleutians cross 180°
        theta = n * math.radians(delta)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)


# The USGS's parameters for maps of the United States (Snyder 1987, p. 99).
CONTERMINOUS = AlbersConic(parallels=(29.5, 45.5), origin=(23.0, -96.0))
ALASKA = AlbersConic(parallels=(55.0, 65.0), origin=(50.0, -154.0))
HAWAII = AlbersConic(parallels=(8.0, 18.0), origin=(3.0, -157.0))


@dataclass(frozen=True)
class Frame:
    """A projection placed on the page: projected units scaled and moved to SVG pixels
    (y grows downward)."""

    projection: AlbersConic
    scale: float
    dx: float
    dy: float

    def __call__(self, lon: float, lat: float) -> Point:
        x, y = self.projection.project(lon, lat)
        return self.dx + self.scale * x, self.dy - self.scale * y


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:  # Any: parsed JSON
    """Every arc of a TopoJSON topology as (longitude, latitude) points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def polygons_of(geometry: Mapping[str, Any]) -> list[list[Ring]]:  # Any: parsed JSON
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings of arcs."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def stitch(ring: Ring, arcs: Mapping[int, Sequence[Point]] | Sequence[Sequence[Point]]
           ) -> list[Point]:
    """The points of a ring: its arcs in order, reversed where the index is negative, each
    arc's first point dropped after the first arc (it repeats the last one)."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: drop the points within ``tolerance`` of the line their neighbours
    kept; the first and last points always stay (so shared arcs still meet)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = _farthest(points, first, last)
        if distance > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _farthest(points: Sequence[Point], first: int, last: int) -> tuple[int, float]:
    (ax, ay), (bx, by) = points[first], points[last]
    length = math.hypot(bx - ax, by - ay)
    best, far = first, -1.0
    for i in range(first + 1, last):
        px, py = points[i]
        if length == 0:
            d = math.hypot(px - ax, py - ay)
        else:
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if d > far:
            best, far = i, d
    return best, far


def area(ring: Sequence[Point]) -> float:
    """The signed area of a closed ring (shoelace formula)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]],
                                                                 strict=True)) / 2


def centroid(ring: Sequence[Point]) -> Point:
    """The centre of mass of a closed ring, or its first point when it has no area."""
    a = area(ring)
    if a == 0:
        return ring[0]
    pairs = list(zip(ring, [*ring[1:], ring[0]], strict=True))
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * a)
    return cx, cy


def bounds(points: Iterable[Point]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of some points."""
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def path_data(rings: Iterable[Sequence[Point]], digits: int = 1) -> str:
    """SVG path data for closed rings: an absolute move, then relative lines, rounded to
    ``digits`` decimals (rounded first, so the steps add up to the rounded points)."""
    out = []
    unit = 10 ** digits
    for ring in rings:
        fixed = [(round(x * unit), round(y * unit)) for x, y in ring]
        fixed = [p for i, p in enumerate(fixed) if i == 0 or p != fixed[i - 1]]
        if len(fixed) < 3:
            continue
        steps = [f"{_num(x1 - x0, unit)},{_num(y1 - y0, unit)}"
                 for (x0, y0), (x1, y1) in zip(fixed, fixed[1:], strict=False)]
        out.append(f"M{_num(fixed[0][0], unit)},{_num(fixed[0][1], unit)}l{' '.join(steps)}z")
    return "".join(out)


def _num(value: int, unit: int) -> str:
    text = f"{value / unit:.{len(str(unit)) - 1}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"

