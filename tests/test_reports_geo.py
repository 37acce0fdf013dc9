"""reports/geo.py: TopoJSON decoding, Albers' projection, simplification and SVG path data."""

from __future__ import annotations

import math

import pytest

from reports.geo import (
    CONTERMINOUS,
    AlbersConic,
    area,
    centroid,
    decode_arcs,
    path_data,
    polygons_of,
    simplify,
    stitch,
)

SQUARE = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]


def test_quantised_arcs_are_summed_and_scaled_back_to_degrees() -> None:
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [-100, 30]},
                "arcs": [[[2, 4], [2, 0], [0, -4]]]}
    assert decode_arcs(topology) == [[(-99.0, 31.0), (-98.0, 31.0), (-98.0, 30.0)]]


def test_a_ring_joins_its_arcs_reversing_a_negative_index_and_dropping_shared_ends() -> None:
    arcs = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)], [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]]
    assert stitch([0, ~1], arcs) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0),
                                     (0.0, 0.0)]


def test_polygon_and_multipolygon_give_their_rings_and_anything_else_nothing() -> None:
    assert (polygons_of({"type": "Polygon", "arcs": [[0]]}),
            polygons_of({"type": "MultiPolygon", "arcs": [[[0]], [[1, 2]]]}),
            polygons_of({"type": "Point", "coordinates": [0, 0]})) == \
        ([[[0]]], [[[0]], [[1, 2]]], [])


def test_the_origin_projects_to_zero() -> None:
    x, y = AlbersConic(parallels=(29.5, 45.5), origin=(23.0, -96.0)).project(-96.0, 23.0)
    assert (round(x, 12), round(y, 12)) == (0.0, 0.0)


def test_the_projection_keeps_areas_equal() -> None:
    """Two 1° cells at the same latitude but 30° of longitude apart cover the same area, and a
    cell near the pole less than one near the equator, as on the globe."""
    def cell(lon: float, lat: float) -> float:
        corners = [CONTERMINOUS.project(*p) for p in
                   ((lon, lat), (lon + 1, lat), (lon + 1, lat + 1), (lon, lat + 1))]
        return abs(area(corners))
    on_sphere = (math.sin(math.radians(46)) - math.sin(math.radians(45))) * math.radians(1)
    assert cell(-120, 45) == pytest.approx(cell(-90, 45), rel=1e-6)
    assert cell(-90, 45) == pytest.approx(on_sphere, rel=1e-3)


def test_longitudes_across_the_antimeridian_stay_beside_their_neighbours() -> None:
    east, west = CONTERMINOUS.project(179.5, 52.0), CONTERMINOUS.project(-179.5, 52.0)
    assert abs(east[0] - west[0]) < 0.02


def test_simplifying_drops_points_within_the_tolerance_and_keeps_both_ends() -> None:
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert simplify(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]


def test_centroid_and_area_of_a_square() -> None:
    assert (area(SQUARE), centroid(SQUARE)) == (16.0, (2.0, 2.0))


def test_path_data_moves_once_then_steps_relatively_and_closes() -> None:
    assert path_data([[(10.04, 20.0), (12.5, 20.0), (12.5, 18.25)]]) == "M10,20l2.5,0 0,-1.8z"


def test_rings_that_round_to_fewer_than_three_points_are_left_out() -> None:
    assert path_data([[(1.0, 1.0), (1.01, 1.0), (1.0, 1.02)]]) == ""
