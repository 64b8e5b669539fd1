"""The demo city's own streets as GeoJSON: the console's offline basemap (no tiles)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from vigil.units.roads import RoadGraph

# Speed classes drawn as separate features so the map can style them.
CLASSES = (("expressway", 70.0), ("arterial", 45.0), ("street", 0.0))


def street_features(graph: RoadGraph) -> list[dict[str, Any]]:
    """One MultiLineString per road class; each two-way street segment drawn once."""
    once = graph.tail < graph.head
    tail, head, speed = graph.tail[once], graph.head[once], graph.speed_kph[once]
    lon, lat = np.round(graph.lon, 6), np.round(graph.lat, 6)
    features: list[dict[str, Any]] = []
    taken = np.zeros(len(tail), dtype=bool)
    for name, floor in CLASSES:
        chosen = (speed >= floor) & ~taken
        taken |= chosen
        lines = [
            [[float(lon[a]), float(lat[a])], [float(lon[b]), float(lat[b])]]
            for a, b in zip(tail[chosen], head[chosen], strict=True)
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"class": name, "segments": len(lines)},
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            }
        )
    return features


@lru_cache(maxsize=2)
def streets_geojson(path: str = "") -> dict[str, Any]:
    from vigil.units.roads import cached_road_graph

    graph = cached_road_graph(path)
    south, north = float(graph.lat.min()), float(graph.lat.max())
    west, east = float(graph.lon.min()), float(graph.lon.max())
    return {
        "type": "FeatureCollection",
        "bbox": [west, south, east, north],
        "features": street_features(graph),
    }
