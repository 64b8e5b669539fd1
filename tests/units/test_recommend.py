"""Recommendation against brute force: every unit's travel time by networkx's Dijkstra on the
same random road graphs, sorted. Also the road graph readers."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.units.recommend import Recommender, UnitAt, nearest_by_straight_line
from vigil.units.roads import (
    RoadGraph,
    RoadGraphError,
    load_graphml,
    load_matrix_csv,
    profile_for,
    street_grid,
)


def random_graph(rng: np.random.Generator, n: int) -> RoadGraph:
    lat = 31.2 + rng.random(n) * 0.03
    lon = 121.4 + rng.random(n) * 0.03
    tail, head = [], []
    for a in range(n):
        for b in rng.choice(n, size=3, replace=False):
            if a != b:
                tail.append(a)
                head.append(int(b))
                if rng.random() < 0.7:  # most streets are two-way
                    tail.append(int(b))
                    head.append(a)
    t, h = np.array(tail), np.array(head)
    east = (lon - lon.mean()) * 111_320 * math.cos(math.radians(31.2))
    north = (lat - lat.mean()) * 111_320
    length = np.hypot(east[t] - east[h], north[t] - north[h]) * (1 + rng.random(len(t)))
    speed = rng.choice([20.0, 30.0, 50.0, 80.0], size=len(t))
    foot = rng.random(len(t)) > 0.1
    return RoadGraph(lat, lon, t, h, length, speed, foot)


def brute_force_times(graph: RoadGraph, units: list[UnitAt], lat: float, lon: float) -> dict:
    """Each unit's time to (lat, lon): nearest nodes by scanning every node, then networkx."""
    east, north = graph.project(graph.lat, graph.lon)

    def nearest(la: float, lo: float) -> tuple[int, float]:
        e, n = graph.project(la, lo)
        d = np.hypot(east - e, north - n)
        return int(np.argmin(d)), float(d.min())

    target, target_m = nearest(lat, lon)
    times = {}
    for unit in units:
        seconds = graph.edge_seconds(unit.profile)
        g = nx.DiGraph()
        g.add_nodes_from(range(graph.node_count))
        for a, b, s in zip(graph.tail, graph.head, seconds, strict=True):
            if np.isfinite(s) and (not g.has_edge(a, b) or g[a][b]["w"] > s):
                g.add_edge(int(a), int(b), w=float(s))
        start, start_m = nearest(unit.lat, unit.lon)
        try:
            road = nx.dijkstra_path_length(g, start, target, weight="w")
        except nx.NetworkXNoPath:
            continue
        speed = unit.profile.speed_kph / 3.6
        times[unit.unit_id] = road + start_m / speed + target_m / speed
    return times


@pytest.mark.parametrize("seed", range(8))
def test_nearest_units_equal_brute_force_dijkstra(seed: int) -> None:
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, int(rng.integers(20, 70)))
    modes = ["foot", "bike", "car", "motorbike"]
    units = [
        UnitAt(
            100 + i,
            31.2 + rng.random() * 0.03,
            121.4 + rng.random() * 0.03,
            profile_for(modes[i % 4], None if rng.random() < 0.5 else float(rng.integers(4, 90))),
        )
        for i in range(int(rng.integers(5, 25)))
    ]
    recommender = Recommender(graph, units)
    for _ in range(5):
        lat, lon = 31.2 + rng.random() * 0.03, 121.4 + rng.random() * 0.03
        eligible = rng.random(len(units)) < 0.7
        k = int(rng.integers(1, 6))
        expected = brute_force_times(
            graph, [u for u, e in zip(units, eligible, strict=True) if e], lat, lon
        )
        got = recommender.nearest(lat, lon, k=k, eligible=eligible)
        best = sorted(expected.values())[:k]
        assert [r.seconds for r in got] == pytest.approx(best, rel=1e-9, abs=1e-6)
        for pick in got:
            assert pick.seconds == pytest.approx(expected[pick.unit_id], rel=1e-9, abs=1e-6)
        ids = {units[i].unit_id for i in np.flatnonzero(eligible)}
        assert {r.unit_id for r in got} <= ids


def test_eligible_as_ids_and_no_units() -> None:
    graph = street_grid(rows=12, cols=12)
    units = [
        UnitAt(i, float(graph.lat[i * 7]), float(graph.lon[i * 7]), profile_for("car"))
        for i in range(1, 6)
    ]
    recommender = Recommender(graph, units)
    lat, lon = float(graph.lat[0]), float(graph.lon[0])
    assert [r.unit_id for r in recommender.nearest(lat, lon, k=5, eligible=[3])] == [3]
    assert recommender.nearest(lat, lon, k=5, eligible=[]) == []
    assert Recommender(graph, []).nearest(lat, lon) == []


def test_foot_teams_keep_off_the_expressway_and_the_river_needs_a_bridge() -> None:
    graph = street_grid(rows=40, cols=40, missing_share=0.0, bridges=1)
    foot = graph.edge_seconds(profile_for("foot"))
    car = graph.edge_seconds(profile_for("car"))
    assert np.isinf(foot).any() and np.isfinite(car).all()
    assert car.min() < foot[np.isfinite(foot)].min()
    # across the river, a unit right opposite is slower than one further away on its side
    north = street_grid(rows=40, cols=40, missing_share=0.0, bridges=1)
    centre = 20 * 40 + 5  # just south of the river, far from the bridge
    opposite = 19 * 40 + 5
    same_side = 24 * 40 + 5
    units = [
        UnitAt(1, float(north.lat[opposite]), float(north.lon[opposite]), profile_for("car")),
        UnitAt(2, float(north.lat[same_side]), float(north.lon[same_side]), profile_for("car")),
    ]
    picks = Recommender(north, units).nearest(float(north.lat[centre]), float(north.lon[centre]), 2)
    assert [p.unit_id for p in picks] == [2, 1]
    baseline = nearest_by_straight_line(
        Recommender(north, units), float(north.lat[centre]), float(north.lon[centre])
    )
    assert baseline == [1]


def test_graphml_as_osmnx_writes_it(tmp_path) -> None:
    g = nx.MultiDiGraph()
    g.add_node(1, x="121.470", y="31.230")
    g.add_node(2, x="121.480", y="31.230")
    g.add_node(3, x="121.480", y="31.240")
    g.add_edge(1, 2, length="950.5", highway="primary", maxspeed="['50', '60']")
    g.add_edge(2, 3, length="1110.0", highway="motorway")
    g.add_edge(3, 1, highway="residential", speed_kph="25")
    path = tmp_path / "city.graphml"
    nx.write_graphml(g, path)
    graph = load_graphml(path)
    assert (graph.node_count, graph.edge_count) == (3, 3)
    assert graph.node_ids == ["1", "2", "3"]
    assert list(graph.speed_kph) == [50.0, 100.0, 25.0]
    assert list(graph.foot_allowed) == [True, False, True]
    assert graph.length_m[0] == 950.5 and 1000 < graph.length_m[2] < 2000  # haversine
    node, metres = graph.snap(31.2301, 121.4801)
    assert node[0] == 1 and metres[0] < 20


def test_graphml_without_coordinates_is_refused(tmp_path) -> None:
    g = nx.DiGraph()
    g.add_edge("a", "b")
    nx.write_graphml(g, tmp_path / "bad.graphml")
    with pytest.raises(RoadGraphError, match="needs numeric x and y"):
        load_graphml(tmp_path / "bad.graphml")


def test_csv_matrix(tmp_path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "id,lat,lon,A,B,C\nA,31.23,121.47,0,300,\nB,31.24,121.48,320,0,200\nC,31.25,121.49,,,0\n"
    )
    graph = load_matrix_csv(path)
    assert graph.node_ids == ["A", "B", "C"] and graph.edge_count == 3
    car = graph.edge_seconds(profile_for("car", 200))
    assert sorted(car.round(6)) == [200.0, 300.0, 320.0]
    units = [UnitAt(1, 31.23, 121.47, profile_for("car", 200))]
    [pick] = Recommender(graph, units).nearest(31.25, 121.49, k=1)
    assert pick.seconds == pytest.approx(500.0)
    assert Recommender(graph, units).nearest(31.23, 121.47, k=1)[0].seconds == 0.0
    # C has no way out: a unit there cannot reach A and is left out
    assert (
        Recommender(graph, [UnitAt(2, 31.25, 121.49, profile_for("car"))]).nearest(31.23, 121.47)
        == []
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lat,lon,A\nA,1,2,0\n", "line 1 must start"),
        ("id,lat,lon,A,B\nA,1,2,0,5\n", "row ids must be the column ids"),
        ("id,lat,lon,A,B\nA,1,2,0,x\nB,1,2,5,0\n", "column B"),
        ("id,lat,lon,A,B\nA,1,2,0,-4\nB,1,2,5,0\n", "seconds must be positive"),
        ("id,lat,lon,A,B\nA,100,2,0,4\nB,1,2,5,0\n", "out of range"),
        ("id,lat,lon,A,B\nA,1,2,0\nB,1,2,5,0\n", "line 2 has 4 cells"),
    ],
)
def test_bad_csv_matrix_says_where(tmp_path, text: str, message: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(text)
    with pytest.raises(RoadGraphError, match=message):
        load_matrix_csv(path)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("id,latonAB0123456789.-\n x")), max_size=120))
def test_csv_matrix_reader_only_ever_raises_road_graph_errors(tmp_path_factory, text) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "m.csv"
    path.write_text(text)
    try:
        graph = load_matrix_csv(path)
    except RoadGraphError:
        return
    assert graph.node_count >= 1 and np.all(graph.speed_kph > 0)


@pytest.mark.parametrize("seed", range(3))
def test_travel_matrix_equals_brute_force(seed: int) -> None:
    from vigil.units.recommend import travel_matrix

    rng = np.random.default_rng(100 + seed)
    graph = random_graph(rng, 40)
    points = [(31.2 + rng.random() * 0.03, 121.4 + rng.random() * 0.03) for _ in range(6)]
    profile = profile_for("bike" if seed % 2 else "car")
    matrix = travel_matrix(graph, points[:4], points[2:], profile)
    assert matrix.shape == (4, 4)
    for j, (lat, lon) in enumerate(points[2:]):
        units = [UnitAt(i, la, lo, profile) for i, (la, lo) in enumerate(points[:4])]
        expected = brute_force_times(graph, units, lat, lon)
        for i in range(4):
            assert matrix[i, j] == pytest.approx(expected.get(i, math.inf), rel=1e-9, abs=1e-6)
    assert travel_matrix(graph, [], points, profile).shape == (0, 6)
