"""Coverage on a small city whose geometry is worked out by hand (acceptance 5)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon, box

from vigil.video.coverage import (
    CameraView,
    City,
    HotCell,
    KeyPlace,
    candidate_sites,
    coverage,
    covered_weight,
    gap_demands,
    greedy_sites,
    optimal_sites,
    sector,
    visible_area,
)

# Camera C at the origin looks east with a 90° view to 100 m; camera D at (200, -50) looks
# north with 60° to 80 m. One building, x 30..40, y 10..20, stands in C's view.
CAM_C = CameraView("C", 0.0, 0.0, 90.0, 90.0, 100.0, "public_area")
CAM_D = CameraView("D", 200.0, -50.0, 0.0, 60.0, 80.0, "public_area")
BUILDING = box(30, 10, 40, 20)
ROAD_A = LineString([(-100, 0), (300, 0)])  # 400 m, east-west through both views
ROAD_B = LineString([(50, -100), (50, 100)])  # 200 m, crosses C's view behind the building
ROAD_C = LineString([(0, 200), (100, 200)])  # 100 m, rural, out of every view
PUBLIC = box(-150, -150, 350, 150)
RURAL = box(-150, 150, 350, 250)


def _city() -> City:
    return City(
        roads=[ROAD_A, ROAD_B, ROAD_C],
        buildings=[BUILDING],
        areas=[(PUBLIC, "public_area"), (RURAL, "rural")],
    )


def _hand_computed() -> dict[str, float]:
    # Road A in C's view: x from 0 to 100 (the arc meets the road on the heading).
    a_by_c = 100.0
    # Road A in D's view: 50 m north of D, the 30° half-angle spans 50·tan 30° either side.
    a_by_d = 2 * 50 * math.tan(math.radians(30))
    # Road B at x = 50: C's 45° edges bound it to |y| ≤ 50 (and 50·√2 < 100 m, in range);
    # the building hides the rays between the slopes 10/40 and 20/30 of its corners.
    b_seen = 100.0 - (50 * 20 / 30 - 50 * 10 / 40)
    covered = a_by_c + a_by_d + b_seen
    return {"public": covered / 600.0, "total": covered / 700.0, "rural": 0.0}


def test_covered_road_share_matches_the_hand_computed_share_to_one_percent() -> None:
    report = coverage([CAM_C, CAM_D], _city())
    expected = _hand_computed()
    public = report.by_class["public_area"].shares()["road_length"]
    total = report.total.shares()["road_length"]
    assert public is not None and total is not None
    assert public == pytest.approx(expected["public"], rel=0.01)
    assert total == pytest.approx(expected["total"], rel=0.01)
    assert report.by_class["rural"].shares()["road_length"] == expected["rural"]
    assert report.total.road_m == pytest.approx(700.0)
    print(f"covered road share: {total:.6f} (hand-computed {expected['total']:.6f})")


def test_the_building_casts_its_shadow() -> None:
    bare = visible_area(CAM_C, [])
    clipped = visible_area(CAM_C, [BUILDING])
    assert bare.area == pytest.approx(math.pi * 100**2 / 4, rel=0.001)
    assert clipped.area < bare.area
    assert not clipped.contains(Point(60, 25))  # behind the building
    assert clipped.contains(Point(60, 5)) and clipped.contains(Point(20, 15))
    # a building behind the camera changes nothing
    assert visible_area(CAM_C, [box(-40, -5, -30, 5)]).area == pytest.approx(bare.area)


def test_sector_edges_and_full_circle() -> None:
    s = sector(CAM_D)
    assert s.contains(Point(200, 0)) and not s.contains(Point(260, -40))
    circle = sector(CameraView("P", 0, 0, 0, 360, 10))
    assert circle.area == pytest.approx(math.pi * 100, rel=0.001)


def test_places_and_hot_cells_by_area_class() -> None:
    city = _city()
    city.places = [
        KeyPlace("in view", Point(80, 0), 3.0),
        KeyPlace("behind the building", Point(60, 25), 5.0),
        KeyPlace("rural farm", Point(50, 200), 1.0),
    ]
    city.hot_cells = [
        HotCell("seen", box(60, -10, 80, 10), 4.0),
        HotCell("hidden", box(60, 30, 70, 40), 9.0),
    ]
    report = coverage([CAM_C, CAM_D], city)
    assert report.by_class["public_area"].places_covered == 1
    assert report.by_class["public_area"].places == 2
    assert report.by_class["rural"].shares()["key_places"] == 0.0
    assert report.total.hot_cells_covered == 1
    ranked = gap_demands(report)
    assert [d.name for d in ranked] == ["hidden", "behind the building", "rural farm"]


def _brute_force(demands, sites, k) -> float:  # type: ignore[no-untyped-def]
    best = 0.0
    for r in range(1, k + 1):
        for combo in itertools.combinations(sites, r):
            best = max(best, covered_weight(demands, combo))
    return best


def test_the_milp_finds_the_optimum_greedy_can_miss() -> None:
    # Three clusters of demand: greedy takes the heavy middle site that overlaps both
    # sides; two side sites together cover more.
    city = City(
        places=[
            KeyPlace("w1", Point(-60, 0), 5.0),
            KeyPlace("w2", Point(-55, 5), 5.0),
            KeyPlace("m", Point(0, 0), 2.0),
            KeyPlace("e1", Point(60, 0), 5.0),
            KeyPlace("e2", Point(55, 5), 5.0),
        ]
    )
    report = coverage([], city)
    demands = gap_demands(report)
    sites = candidate_sites(
        demands, city, fov_deg=360, range_m=60, headings=1, extra_points=[(-30, 0), (30, 0)]
    )
    for k in (1, 2):
        exact = covered_weight(demands, optimal_sites(demands, sites, k))
        greedy = covered_weight(demands, greedy_sites(demands, sites, k))
        assert exact == pytest.approx(_brute_force(demands, sites, k))
        assert exact >= greedy


def test_an_empty_city_has_no_shares() -> None:
    report = coverage([CAM_C], City())
    assert report.total.shares() == {"road_length": None, "key_places": None, "hot_cells": None}
    assert not report.covered.is_empty
    assert Polygon().is_empty


_coordinate = st.floats(min_value=-150, max_value=150, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    heading=st.floats(min_value=0, max_value=359.9),
    fov=st.floats(min_value=5, max_value=360),
    corners=st.lists(st.tuples(_coordinate, _coordinate), min_size=2, max_size=2),
    size=st.floats(min_value=1, max_value=40),
)
def test_a_building_only_ever_hides(heading, fov, corners, size) -> None:  # type: ignore[no-untyped-def]
    """Whatever its place, a building never adds to the view, and the view stays inside
    the sector."""
    view = CameraView("P", 0.0, 0.0, heading, fov, 100.0)
    bare = visible_area(view, [])
    buildings = [box(x, y, x + size, y + size) for x, y in corners]
    clipped = visible_area(view, buildings)
    assert clipped.area <= bare.area + 1e-6
    assert clipped.difference(sector(view)).area < 1e-6
    for building in buildings:
        if building.distance(Point(0, 0)) > 1e-6:  # a building the camera is on hides nothing
            assert clipped.intersection(building).area < 1e-6
