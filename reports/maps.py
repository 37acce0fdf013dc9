"""The site's maps: the map page (``map/``) and the map of each place and state page.

Works out where each place is from the places file and which findings each map shows, for
reports/usmap.py. Without the state boundaries (``make install`` fetches them) the site is
built without maps, with a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from config.places import Places
from config.vocabulary import vocabulary
from reports.atlas import ATLAS_PATH, AtlasError, load_atlas
from reports.usmap import UsMap, focus_map, located_places, overview_map
from reports.views import Facet, SiteData

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteMaps:
    """The map of every finding and the map of each place (None: no boundaries)."""

    overview: UsMap | None = None
    by_place: dict[Facet, UsMap] = field(default_factory=dict)


def site_maps(data: SiteData, places: Places, atlas_path: Path = ATLAS_PATH) -> SiteMaps:
    """Every map of the site, from the findings of ``data``."""
    words = vocabulary()
    try:
        atlas = load_atlas(words.state_names, atlas_path)
    except AtlasError as exc:
        logger.warning("no maps on the site: %s", exc)
        return SiteMaps()
    named = {s.place: (s.place_name, s.state) for s in data.sources}
    named.update({f.place: (f.place_name, f.state) for f in data.findings})
    located = located_places(((facet, *where) for facet, where in named.items()), places,
                             atlas)
    by_place = {}
    for facet, findings in data.places.items():
        name, state = named.get(facet, (facet.label, ""))
        if words.is_state(name, state):
            in_state = [f for f in data.findings if f.state == state]
            by_place[facet] = focus_map(words.state_names.get(state, name), state, in_state,
                                        atlas, located)
        else:
            by_place[facet] = focus_map(facet.label, state, findings, atlas, located,
                                        focus=facet)
    return SiteMaps(overview_map(data.findings, atlas, located), by_place)

