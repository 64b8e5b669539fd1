"""Road graphs for travel times: a GraphML file (as osmnx writes one), a CSV travel-time
matrix, or a generated street grid for the demo city. Nothing downloads.

A `RoadGraph` is a directed graph in compressed-sparse-row arrays: each edge has a length in
metres and the road's speed in km/h. A unit's travel time over an edge is
`length / min(road speed, unit speed)`, and foot and bike teams may use every road except
motorways. Points are snapped to the nearest node with a k-d tree over local metres."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

METRES_PER_DEGREE_LAT = 111_320.0
# default speeds (km/h) by travel mode, and for roads whose type gives none
MODE_SPEED_KPH: dict[str, float] = {"foot": 5.0, "bike": 15.0, "motorbike": 60.0, "car": 60.0}
MOTOR_MODES = frozenset({"car", "motorbike"})
HIGHWAY_SPEED_KPH: dict[str, float] = {
    "motorway": 100.0,
    "trunk": 80.0,
    "primary": 60.0,
    "secondary": 50.0,
    "tertiary": 40.0,
    "residential": 30.0,
    "living_street": 10.0,
    "service": 20.0,
    "unclassified": 30.0,
}
DEFAULT_ROAD_SPEED_KPH = 30.0
NO_FOOT_HIGHWAYS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
# the demo city's centre (as the demo incidents use)
CITY_CENTRE: tuple[float, float] = (31.2304, 121.4737)


class RoadGraphError(ValueError):
    """A road graph file that cannot be read: says which line or element, and why."""


@dataclass(frozen=True)
class TravelProfile:
    """How a unit moves: motor vehicles follow road speeds up to their own top speed; foot and
    bike teams move at their own speed and keep off motorways."""

    mode: str
    speed_kph: float

    @property
    def motor(self) -> bool:
        return self.mode in MOTOR_MODES


def profile_for(mode: str, speed_kph: float | None = None) -> TravelProfile:
    travel_mode = mode if mode in MODE_SPEED_KPH else "car"
    return TravelProfile(travel_mode, float(speed_kph or MODE_SPEED_KPH[travel_mode]))


@dataclass(eq=False)
class RoadGraph:
    """Node coordinates and the edges `tail[i] -> head[i]` with length and road speed."""

    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    tail: npt.NDArray[np.int64]
    head: npt.NDArray[np.int64]
    length_m: npt.NDArray[np.float64]
    speed_kph: npt.NDArray[np.float64]
    foot_allowed: npt.NDArray[np.bool_]
    node_ids: list[Any] = field(default_factory=list)
    _weights: dict[TravelProfile, csr_matrix] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        n = len(self.lat)
        if not (len(self.lon) == n and n > 0):
            raise RoadGraphError("a road graph needs at least one node with lat and lon")
        sizes = {len(self.tail), len(self.head), len(self.length_m), len(self.speed_kph)}
        if len(sizes) != 1 or len(self.foot_allowed) != len(self.tail):
            raise RoadGraphError("edge arrays differ in length")
        if len(self.tail) and (
            min(self.tail.min(), self.head.min()) < 0 or max(self.tail.max(), self.head.max()) >= n
        ):
            raise RoadGraphError("an edge refers to a node that does not exist")
        if np.any(self.length_m < 0) or np.any(self.speed_kph <= 0):
            raise RoadGraphError("edge lengths must be >= 0 and speeds > 0")
        if not self.node_ids:
            self.node_ids = list(range(n))

    @property
    def node_count(self) -> int:
        return len(self.lat)

    @property
    def edge_count(self) -> int:
        return len(self.tail)

    @cached_property
    def _origin(self) -> tuple[float, float]:
        return float(np.mean(self.lat)), float(np.mean(self.lon))

    def project(
        self, lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Local metres (east, north) around the graph's mean point."""
        lat0, lon0 = self._origin
        north = (np.asarray(lat, dtype=np.float64) - lat0) * METRES_PER_DEGREE_LAT
        east = (np.asarray(lon, dtype=np.float64) - lon0) * (
            METRES_PER_DEGREE_LAT * math.cos(math.radians(lat0))
        )
        return east, north

    @cached_property
    def _tree(self) -> cKDTree:
        east, north = self.project(self.lat, self.lon)
        return cKDTree(np.column_stack([east, north]))

    def snap(
        self, lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The nearest node of each point and the straight-line distance to it in metres."""
        east, north = self.project(np.atleast_1d(lat), np.atleast_1d(lon))
        distance, node = self._tree.query(np.column_stack([east, north]))
        return np.asarray(node, dtype=np.int64), np.asarray(distance, dtype=np.float64)

    def edge_seconds(self, profile: TravelProfile) -> npt.NDArray[np.float64]:
        """Each edge's travel time for `profile`; `inf` where it may not go."""
        speed = (
            np.minimum(self.speed_kph, profile.speed_kph)
            if profile.motor
            else np.full(self.edge_count, profile.speed_kph)
        )
        seconds = self.length_m / (speed / 3.6)
        if not profile.motor:
            seconds = np.where(self.foot_allowed, seconds, np.inf)
        return seconds

    def reverse_weights(self, profile: TravelProfile) -> csr_matrix:
        """The reversed graph weighted by `profile`'s travel times (head -> tail), so that one
        search from an incident finds every unit's time *to* it. Zero-length edges get a tiny
        weight, since a sparse matrix drops explicit zeros; parallel edges keep the fastest."""
        if profile not in self._weights:
            seconds = self.edge_seconds(profile)
            usable = np.isfinite(seconds)
            weight = np.maximum(seconds[usable], 1e-9)
            rows, cols = self.head[usable], self.tail[usable]
            order = np.lexsort((weight, cols, rows))
            rows, cols, weight = rows[order], cols[order], weight[order]
            first = np.ones(len(rows), dtype=bool)
            first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
            n = self.node_count
            matrix = csr_matrix((weight[first], (rows[first], cols[first])), shape=(n, n))
            matrix.sort_indices()
            self._weights[profile] = matrix
        return self._weights[profile]


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * 6_371_008.8 * np.arcsin(np.sqrt(a)), dtype=np.float64)


# --- GraphML (osmnx's layout: node x/y, edge length/speed_kph/maxspeed/highway) -------------


def _first(value: Any) -> str:
    """osmnx writes merged ways' lists as "['a', 'b']"; the first item is enough here."""
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].split(",")[0].strip().strip("'\"")
    return text


def _speed_from(attrs: dict[str, Any]) -> float:
    for key in ("speed_kph", "maxspeed"):
        if key in attrs and attrs[key] not in (None, ""):
            raw = _first(attrs[key]).lower().replace("km/h", "").strip()
            try:
                if raw.endswith("mph"):
                    return float(raw[:-3]) * 1.609344
                speed = float(raw)
            except ValueError:
                continue
            if speed > 0:
                return speed
    return HIGHWAY_SPEED_KPH.get(_first(attrs.get("highway", "")), DEFAULT_ROAD_SPEED_KPH)


def load_graphml(path: str | Path) -> RoadGraph:
    """Reads a GraphML road network from disk (osmnx's `save_graphml` output or any graph
    whose nodes carry `x` = longitude and `y` = latitude). Undirected graphs get both ways."""
    import networkx as nx

    try:
        graph = nx.read_graphml(path)
    except (OSError, nx.NetworkXError, SyntaxError) as exc:
        raise RoadGraphError(f"{path}: not a readable GraphML file ({exc})") from exc
    index: dict[Any, int] = {}
    lat: list[float] = []
    lon: list[float] = []
    for node, attrs in graph.nodes(data=True):
        try:
            lon.append(float(attrs["x"]))
            lat.append(float(attrs["y"]))
        except (KeyError, ValueError) as exc:
            raise RoadGraphError(f"{path}: node {node!r} needs numeric x and y") from exc
        index[node] = len(index)
    tail: list[int] = []
    head: list[int] = []
    length: list[float] = []
    speed: list[float] = []
    foot: list[bool] = []
    pairs: Iterable[tuple[Any, Any, dict[str, Any]]] = graph.edges(data=True)
    for u, v, attrs in pairs:
        if "length" in attrs:
            metres = float(attrs["length"])
        else:
            a, b = index[u], index[v]
            metres = float(haversine_m(lat[a], lon[a], lat[b], lon[b]))
        kph = _speed_from(attrs)
        allowed = _first(attrs.get("highway", "")) not in NO_FOOT_HIGHWAYS
        ways = [(u, v)] if graph.is_directed() else [(u, v), (v, u)]
        for a_node, b_node in ways:
            tail.append(index[a_node])
            head.append(index[b_node])
            length.append(metres)
            speed.append(kph)
            foot.append(allowed)
    return RoadGraph(
        np.array(lat),
        np.array(lon),
        np.array(tail, dtype=np.int64),
        np.array(head, dtype=np.int64),
        np.array(length),
        np.array(speed),
        np.array(foot, dtype=bool),
        node_ids=list(index),
    )


# --- CSV travel-time matrix ---------------------------------------------------------------


def load_matrix_csv(path: str | Path) -> RoadGraph:
    """A square matrix of motor travel times in seconds between located points:

        id,lat,lon,A,B,C
        A,31.23,121.47,0,300,
        B,31.24,121.48,320,0,200
        ...

    An empty cell means no direct link. Each link becomes an edge whose length is the
    straight line and whose speed is what the matrix implies, so foot and bike teams take
    `max(matrix time, straight line at their speed)`."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or [c.strip().lower() for c in rows[0][:3]] != ["id", "lat", "lon"]:
        raise RoadGraphError(f"{path}: line 1 must start with the columns id,lat,lon")
    targets = [c.strip() for c in rows[0][3:]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    ids = [r[0].strip() for r in body]
    if sorted(ids) != sorted(targets) or len(set(ids)) != len(ids):
        raise RoadGraphError(f"{path}: the row ids must be the column ids, each once")
    position = {name: i for i, name in enumerate(ids)}
    lat = np.zeros(len(ids))
    lon = np.zeros(len(ids))
    tail: list[int] = []
    head: list[int] = []
    seconds: list[float] = []
    for line, row in enumerate(body, start=2):
        if len(row) != 3 + len(targets):
            raise RoadGraphError(
                f"{path}: line {line} has {len(row)} cells, expected {3 + len(targets)}"
            )
        try:
            lat[line - 2], lon[line - 2] = float(row[1]), float(row[2])
        except ValueError as exc:
            raise RoadGraphError(f"{path}: line {line}: lat and lon must be numbers") from exc
        if not (-90 <= lat[line - 2] <= 90 and -180 <= lon[line - 2] <= 180):
            raise RoadGraphError(f"{path}: line {line}: lat/lon out of range")
        for target, cell in zip(targets, row[3:], strict=True):
            cell = cell.strip()
            if not cell or target == ids[line - 2]:
                continue
            try:
                value = float(cell)
            except ValueError as exc:
                raise RoadGraphError(
                    f"{path}: line {line}, column {target}: {cell!r} is not a number of seconds"
                ) from exc
            if not value > 0 or not math.isfinite(value):
                raise RoadGraphError(
                    f"{path}: line {line}, column {target}: seconds must be positive"
                )
            tail.append(line - 2)
            head.append(position[target])
            seconds.append(value)
    t = np.array(tail, dtype=np.int64)
    h = np.array(head, dtype=np.int64)
    straight = np.maximum(haversine_m(lat[t], lon[t], lat[h], lon[h]), 1.0)
    speed = straight / np.array(seconds) * 3.6
    return RoadGraph(lat, lon, t, h, straight, speed, np.ones(len(t), dtype=bool), node_ids=ids)


# --- The demo city's streets --------------------------------------------------------------


def street_grid(
    rows: int = 120,
    cols: int = 120,
    spacing_m: float = 150.0,
    centre: tuple[float, float] = CITY_CENTRE,
    seed: int = 7,
    missing_share: float = 0.08,
    bridges: int = 4,
) -> RoadGraph:
    """A city of streets on a grid: two-way residential streets (30 km/h), an arterial every
    eighth street (60 km/h), an expressway ring without foot access (80 km/h), some blocks
    without a through street, and a river across the city that only a few bridges cross."""
    rng = np.random.default_rng(seed)
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    north = (r.ravel() - (rows - 1) / 2) * spacing_m
    east = (c.ravel() - (cols - 1) / 2) * spacing_m
    east = east + rng.normal(0, spacing_m * 0.05, east.size)  # streets are not ruler-straight
    north = north + rng.normal(0, spacing_m * 0.05, north.size)
    lat = centre[0] + north / METRES_PER_DEGREE_LAT
    lon = centre[1] + east / (METRES_PER_DEGREE_LAT * math.cos(math.radians(centre[0])))

    horizontal = (r[:, :-1].ravel(), c[:, :-1].ravel(), 0, 1)
    vertical = (r[:-1, :].ravel(), c[:-1, :].ravel(), 1, 0)
    tails, heads, speeds, foot = [], [], [], []
    river_row = rows // 2
    bridge_cols = (
        set(
            np.linspace(cols // (bridges + 1), cols - 1 - cols // (bridges + 1), bridges)
            .astype(int)
            .tolist()
        )
        if bridges
        else set()
    )
    for rr, cc, dr, dc in (horizontal, vertical):
        a = rr * cols + cc
        b = (rr + dr) * cols + (cc + dc)
        line = rr if dr == 0 else cc  # the street the segment runs along
        arterial = line % 8 == 0
        ring = (
            (line == rows // 6) | (line == rows - 1 - rows // 6)
            if dr == 0
            else ((line == cols // 6) | (line == cols - 1 - cols // 6))
        )
        speed = np.where(ring, 80.0, np.where(arterial, 60.0, 30.0))
        keep = (rng.random(a.size) >= missing_share) | arterial | ring
        if dr == 1:  # crossing the river between river_row - 1 and river_row
            crossing = rr == river_row - 1
            keep &= ~crossing | np.isin(cc, list(bridge_cols))
        a, b, speed, allowed = a[keep], b[keep], speed[keep], ~ring[keep]
        tails += [a, b]
        heads += [b, a]
        speeds += [speed, speed]
        foot += [allowed, allowed]
    tail = np.concatenate(tails).astype(np.int64)
    head = np.concatenate(heads).astype(np.int64)
    length = np.hypot(east[tail] - east[head], north[tail] - north[head])
    return RoadGraph(lat, lon, tail, head, length, np.concatenate(speeds), np.concatenate(foot))


def load_road_graph(path: str | Path | None) -> RoadGraph:
    """A GraphML (`.graphml`) or CSV matrix (`.csv`) file, or the demo city's streets."""
    if path is None or str(path) == "":
        return street_grid()
    suffix = Path(path).suffix.lower()
    if suffix == ".graphml":
        return load_graphml(path)
    if suffix == ".csv":
        return load_matrix_csv(path)
    raise RoadGraphError(f"{path}: a road graph is a .graphml or .csv file")


@lru_cache(maxsize=4)
def cached_road_graph(path: str = "") -> RoadGraph:
    """`load_road_graph`, once per process and path (a graph is read-only once built)."""
    return load_road_graph(path or None)
