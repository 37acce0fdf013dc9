"""reports/atlas.py: the states of us-atlas (installed by make install) placed on the map."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from config.vocabulary import vocabulary
from reports.atlas import Atlas, AtlasError, load_atlas


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(vocabulary().state_names)


def test_the_fifty_states_and_dc_are_drawn_and_no_territory(atlas: Atlas) -> None:
    codes = {s.code for s in atlas.states}
    assert (len(codes), "DC" in codes, "PR" in codes, all(s.d.startswith("M") for s in
                                                          atlas.states)) == (51, True, False, True)


def test_a_town_falls_in_its_state(atlas: Atlas) -> None:
    """Chicago lies near the middle of Illinois' north-east, not in Indiana or Iowa."""
    centre = {s.code: s.centre for s in atlas.states}
    chicago = atlas.point(-87.63, 41.88, "IL")
    nearest = min(centre, key=lambda code: math.dist(centre[code], chicago))
    assert nearest == "IL"


def test_alaska_and_hawaii_are_insets_below_the_west(atlas: Atlas) -> None:
    anchorage = atlas.point(-149.9, 61.2, "AK")
    honolulu = atlas.point(-157.86, 21.31, "HI")
    seattle = atlas.point(-122.33, 47.61, "WA")
    assert anchorage[0] < honolulu[0] < atlas.width / 2 and seattle[1] < anchorage[1]
    assert max(anchorage[1], honolulu[1]) < atlas.height


def test_missing_boundaries_say_how_to_install_them(tmp_path: Path) -> None:
    with pytest.raises(AtlasError, match=r"states-10m\.json: the state boundaries are missing "
                                         r"\(.*\); run `make install`"):
        load_atlas(vocabulary().state_names, tmp_path / "states-10m.json")


def test_a_file_that_is_not_the_atlas_is_a_one_line_error(tmp_path: Path) -> None:
    wrong = tmp_path / "states-10m.json"
    wrong.write_text('{"type": "Topology", "objects": {}}', encoding="utf-8")
    with pytest.raises(AtlasError) as error:
        load_atlas(vocabulary().state_names, wrong)
    assert str(error.value).startswith(f"{wrong}: not the states TopoJSON of us-atlas")
    assert "\n" not in str(error.value)
