"""The map of the site: US states shaded by findings, places as points, and for a place or a
state the other states whose agencies got access (reports/templates/usmap.html draws it).

Everything is worked out here at build time into plain numbers and SVG path data, so the page
holds a small static SVG: no tiles, no script, no request to anyone. The shapes come from
reports/atlas.py, a place's position from its places file (config/places.py) and who got
the data from a finding's recipients (``FindingView.fact.recipients``: an out-of-state agency
carries its two-letter state). Each map comes with the same facts as a table, for screen readers and
for anyone who would rather read.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from config.places import Places
from reports.atlas import Atlas
from reports.facets import Facet
from reports.finding_view import FindingView
from reports.geo import Point

LEVELS = ((1, "1–2"), (3, "3–9"), (10, "10–29"), (30, "30 or more"))  # least findings, label


@dataclass(frozen=True)
class MapState:
    """A state on the map: how many findings are filed under it and how it is marked."""

    code: str
    name: str
    d: str
    count: int
    received: int = 0  # findings whose data this state's agencies got (place and state maps)
    home: bool = False  # the state of the page's place

    @property
    def level(self) -> int:
        """0 for no findings, else 1 to 4 by ``LEVELS``."""
        return sum(1 for least, _ in LEVELS if self.count >= least)

    @property
    def label(self) -> str:
        """What the state's tooltip says."""
        if self.received:
            return f"{self.name}: its agencies got access ({_findings(self.received)})"
        return f"{self.name}: {_findings(self.count)}"


@dataclass(frozen=True)
class MapPoint:
    """A place with a position: where it is, how many findings, whether the page is its."""

    facet: Facet
    x: float
    y: float
    count: int
    focus: bool = False

    @property
    def radius(self) -> float:
        return round((5.0 if self.focus else 2.5) + 1.5 * math.sqrt(self.count), 1)

    @property
    def label(self) -> str:
        return f"{self.facet.label}: {_findings(self.count)}"


@dataclass(frozen=True)
class MapFlow:
    """A curve from where the data is to a state whose agencies got it."""

    d: str
    to: str  # the state's name


@dataclass(frozen=True)
class UsMap:
    """One map and its text alternative."""

    title: str
    description: str
    width: float
    height: float
    states: tuple[MapState, ...]
    points: tuple[MapPoint, ...] = ()
    flows: tuple[MapFlow, ...] = ()
    focus: str = ""  # "" on the map of every finding; else the place or state shown
    home: str = ""  # the name of the focus's state

    @property
    def legend(self) -> tuple[tuple[int, str], ...]:
        return LEVELS

    @property
    def shaded(self) -> tuple[MapState, ...]:
        """States with findings, most first: the rows of the text alternative."""
        return tuple(sorted((s for s in self.states if s.count),
                            key=lambda s: (-s.count, s.name)))

    @property
    def receiving(self) -> tuple[MapState, ...]:
        """States whose agencies got access, most findings first."""
        return tuple(sorted((s for s in self.states if s.received),
                            key=lambda s: (-s.received, s.name)))


def located_places(pairs: Iterable[tuple[Facet, str, str]], places: Places,
                   atlas: Atlas) -> dict[Facet, tuple[str, Point]]:
    """Each place facet with a position in ``places``: its state and point on the map.

    ``pairs`` are (facet, place name, state) of the sources and findings."""
    found: dict[Facet, tuple[str, Point]] = {}
    for facet, name, state in pairs:
        info = places.get(name, state)
        if facet not in found and info and info.lat is not None and info.lon is not None:
            found[facet] = (state, atlas.point(info.lon, info.lat, state))
    return found


def overview_map(findings: Sequence[FindingView], atlas: Atlas,
                 located: Mapping[Facet, tuple[str, Point]]) -> UsMap:
    """Every state shaded by the findings filed under it, every placed town as a point."""
    counts = Counter(f.state for f in findings)
    per_place = Counter(f.place for f in findings)
    states = tuple(MapState(s.code, s.name, s.d, counts.get(s.code, 0)) for s in atlas.states)
    points = tuple(MapPoint(facet, x, y, per_place.get(facet, 0))
                   for facet, (_, (x, y)) in located.items())
    with_findings = sum(1 for s in states if s.count)
    return UsMap(
        title="Map of findings by state",
        description=(f"The United States, each state shaded by the number of findings filed "
                     f"under its agencies; {with_findings} state"
                     f"{'s have' if with_findings != 1 else ' has'} findings. Dots mark the "
                     f"{len(points)} watched places we can place on the map."),
        width=atlas.width, height=atlas.height, states=states, points=_big_first(points))


def focus_map(name: str, state: str, findings: Sequence[FindingView], atlas: Atlas,
              located: Mapping[Facet, tuple[str, Point]], *, focus: Facet | None = None
              ) -> UsMap:
    """A place's or a state's map: its state marked, the other states whose agencies got
    access to its data highlighted, with a curve to each from the place (or the state).

    ``findings`` are the place's (or the whole state's), ``focus`` is the place's facet
    (None for a state)."""
    got = Counter(code for f in findings
                  for code in dict.fromkeys(r.state.upper() for r in f.fact.out_of_state)
                  if code != f.state)
    counts = Counter(f.state for f in findings)
    states = tuple(sorted((MapState(s.code, s.name, s.d, counts.get(s.code, 0),
                                    got.get(s.code, 0), home=s.code == state)
                           for s in atlas.states), key=lambda s: bool(s.received or s.home)))
    # the marked states come last, so their outlines are drawn over their neighbours'
    per_place = Counter(f.place for f in findings)
    points = tuple(MapPoint(facet, x, y, per_place.get(facet, 0), focus=facet == focus)
                   for facet, (where, (x, y)) in located.items()
                   if (facet == focus if focus else where == state))
    start = next((p for p in points if p.focus), None)
    centres = {s.code: s.centre for s in atlas.states}
    origin = (start.x, start.y) if start else centres.get(state)
    flows = tuple(MapFlow(_curve(origin, centres[s.code]), s.name) for s in states
                  if s.received and origin and s.code in centres)
    receiving = ", ".join(s.name for s in sorted(states, key=lambda s: -s.received)
                          if s.received)
    return UsMap(
        title=f"Map: where data from {name} went",
        description=(f"The United States with {name} marked. " +
                     (f"Agencies in {receiving} got access to its data, by the findings."
                      if receiving else "No finding names an agency of another state as "
                      "getting access to its data.")),
        width=atlas.width, height=atlas.height, states=states, points=_big_first(points),
        flows=flows, focus=name, home=next((s.name for s in states if s.home), ""))


def _curve(start: Point, end: Point) -> str:
    """A gentle arc from ``start`` to ``end``, bowed to the left of its direction."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cx, cy = mx + (y1 - y0) * 0.2, my - (x1 - x0) * 0.2
    return f"M{x0:.1f},{y0:.1f}Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}"


def _big_first(points: Iterable[MapPoint]) -> tuple[MapPoint, ...]:
    """Larger dots first, so that a small one drawn over them stays in sight."""
    return tuple(sorted(points, key=lambda p: (-p.radius, p.x, p.facet.label)))


def _findings(n: int) -> str:
    return f"{n} finding{'s' if n != 1 else ''}"
