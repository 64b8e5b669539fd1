"""The console's basemap: the road graph's streets as GeoJSON, each two-way segment once,
every segment in exactly one road class."""

from __future__ import annotations

from vigil.units.roads import street_grid
from vigil.web.streets import street_features


def test_every_street_segment_is_drawn_once_in_one_class() -> None:
    graph = street_grid(rows=12, cols=12, seed=3)
    features = street_features(graph)
    assert [f["properties"]["class"] for f in features] == ["expressway", "arterial", "street"]
    drawn = [tuple(map(tuple, line)) for f in features for line in f["geometry"]["coordinates"]]
    assert len(drawn) == len(set(drawn)) == graph.edge_count // 2  # two-way streets
    assert sum(f["properties"]["segments"] for f in features) == len(drawn)
    lons = [point[0] for line in drawn for point in line]
    assert min(lons) >= graph.lon.min() - 1e-6 and max(lons) <= graph.lon.max() + 1e-6
