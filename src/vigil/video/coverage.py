"""Where the cameras look, and what nothing covers. Pure: shapely geometry in a local
metric frame, no database.

A camera's view is a sector (its heading, field of view and range) less the shadows of the
buildings in front of it: each building edge casts a quadrilateral from the edge away from
the camera, and the union of those is exactly what the building hides (for any simple
polygon, convex or not). Coverage is then measured over what matters to patrols: key
places, hot-spot cells and road length, by area class. The gap report ranks what is
uncovered and proposes camera sites as a maximal covering location problem (MCLP), solved
exactly as a small MILP (HiGHS through scipy), with the greedy answer as a bound to beat."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import h3
import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import LineString, MultiLineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

METRES_PER_DEGREE_LAT = 111_320.0
UNCLASSIFIED = "unclassified"
ARC_STEP_DEG = 0.5
HOT_CELL_COVERED_SHARE = 0.5  # a hot cell is covered when half its area is in view


@dataclass(frozen=True)
class LocalFrame:
    """An equirectangular frame in metres around an origin: x east, y north. Accurate to
    well under 0.1 % over a city of tens of kilometres."""

    lat0: float
    lon0: float

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.lon0) * METRES_PER_DEGREE_LAT * math.cos(math.radians(self.lat0))
        return x, (lat - self.lat0) * METRES_PER_DEGREE_LAT

    def latlon(self, x: float, y: float) -> tuple[float, float]:
        lon = self.lon0 + x / (METRES_PER_DEGREE_LAT * math.cos(math.radians(self.lat0)))
        return self.lat0 + y / METRES_PER_DEGREE_LAT, lon

    def geometry(self, geom: BaseGeometry) -> BaseGeometry:
        """A GeoJSON-order (lon, lat) geometry in this frame."""
        origin = np.array([self.lon0, self.lat0])
        scale = np.array(
            [METRES_PER_DEGREE_LAT * math.cos(math.radians(self.lat0)), METRES_PER_DEGREE_LAT]
        )
        return shapely.transform(geom, lambda coords: (coords - origin) * scale)


@dataclass(frozen=True)
class CameraView:
    code: str
    x: float
    y: float
    heading_deg: float  # clockwise from north
    fov_deg: float
    range_m: float
    area_class: str = UNCLASSIFIED


@dataclass(frozen=True)
class KeyPlace:
    name: str
    point: Point
    weight: float = 1.0


@dataclass(frozen=True)
class HotCell:
    cell: str
    polygon: Polygon
    weight: float = 1.0


@dataclass
class City:
    """What the coverage is measured on, in a local frame (metres)."""

    roads: list[LineString] = field(default_factory=list)
    buildings: list[Polygon] = field(default_factory=list)
    areas: list[tuple[Polygon, str]] = field(default_factory=list)  # area class polygons
    places: list[KeyPlace] = field(default_factory=list)
    hot_cells: list[HotCell] = field(default_factory=list)


# ----------------------------------------------------------------------- view geometry


def sector(view: CameraView, arc_step_deg: float = ARC_STEP_DEG) -> Polygon:
    """The field of view without obstacles: a circular sector (a disc for 360°). The arc
    has a vertex on the heading and at both edges."""
    if view.fov_deg >= 360:
        return Point(view.x, view.y).buffer(view.range_m, quad_segs=int(90 / arc_step_deg))
    half = view.fov_deg / 2
    steps = max(2, math.ceil(view.fov_deg / arc_step_deg))
    steps += steps % 2  # an even count puts a vertex on the heading
    bearings = np.linspace(view.heading_deg - half, view.heading_deg + half, steps + 1)
    radians = np.radians(bearings)
    xs = view.x + view.range_m * np.sin(radians)
    ys = view.y + view.range_m * np.cos(radians)
    return Polygon([(view.x, view.y), *zip(xs.tolist(), ys.tolist(), strict=True)])


def shadow(origin: tuple[float, float], building: Polygon, reach: float) -> BaseGeometry:
    """What `building` hides from `origin`: the building and, for each of its edges, the
    quadrilateral between the edge and its projection `reach` metres further away."""
    ox, oy = origin
    coords = list(building.exterior.coords)
    quads: list[BaseGeometry] = [building]
    for (ax, ay), (bx, by) in pairwise(coords):
        far = []
        for px, py in ((bx, by), (ax, ay)):
            dx, dy = px - ox, py - oy
            norm = math.hypot(dx, dy)
            if norm == 0:
                return building  # the camera sits on the building's outline
            far.append((px + dx / norm * reach, py + dy / norm * reach))
        quad = Polygon([(ax, ay), (bx, by), *far])
        if quad.is_valid and quad.area > 0:
            quads.append(quad)
        elif quad.area > 0:
            quads.append(quad.buffer(0))
    return unary_union(quads)


def visible_area(
    view: CameraView, buildings: Sequence[Polygon], index: STRtree | None = None
) -> BaseGeometry:
    """The sector less the shadows of the buildings it reaches. A building the camera stands
    in (mounted on its wall or roof) hides nothing."""
    area: BaseGeometry = sector(view)
    if not buildings:
        return area
    candidates = (
        [buildings[i] for i in index.query(area)]
        if index is not None
        else [b for b in buildings if b.intersects(area)]
    )
    origin = Point(view.x, view.y)
    shadows = [
        shadow((view.x, view.y), b, 2 * view.range_m)
        for b in candidates
        if b.intersects(area) and not b.buffer(1e-6).contains(origin)
    ]
    if shadows:
        area = area.difference(unary_union(shadows))
    return area


# ----------------------------------------------------------------------- coverage


@dataclass
class ClassCoverage:
    road_m: float = 0.0
    road_covered_m: float = 0.0
    places: int = 0
    places_covered: int = 0
    hot_cells: int = 0
    hot_cells_covered: int = 0

    @staticmethod
    def _share(part: float, whole: float) -> float | None:
        return round(part / whole, 6) if whole else None

    def shares(self) -> dict[str, float | None]:
        return {
            "road_length": self._share(self.road_covered_m, self.road_m),
            "key_places": self._share(self.places_covered, self.places),
            "hot_cells": self._share(self.hot_cells_covered, self.hot_cells),
        }


@dataclass
class CoverageReport:
    by_class: dict[str, ClassCoverage]
    total: ClassCoverage
    covered: BaseGeometry  # the union of every camera's visible area
    views: dict[str, BaseGeometry]  # per camera code
    uncovered_places: list[tuple[KeyPlace, str]]
    uncovered_cells: list[tuple[HotCell, str, float]]  # with its covered share


def _class_at(point: Point, areas: Sequence[tuple[Polygon, str]]) -> str:
    for polygon, area_class in areas:
        if polygon.covers(point):
            return area_class
    return UNCLASSIFIED


def _road_parts(road: LineString, areas: Sequence[tuple[Polygon, str]]) -> list[tuple[Any, str]]:
    """A road split by the area polygons (the first that holds a part wins)."""
    parts: list[tuple[Any, str]] = []
    rest: BaseGeometry = road
    for polygon, area_class in areas:
        if rest.is_empty:
            break
        inside = rest.intersection(polygon)
        if inside.length > 0:
            parts.append((inside, area_class))
            rest = rest.difference(polygon)
    if rest.length > 0:
        parts.append((rest, UNCLASSIFIED))
    return parts


def coverage(views: Sequence[CameraView], city: City) -> CoverageReport:
    """Every camera's visible area, and the share of road length, key places and hot cells
    they see, per area class and in total."""
    index = STRtree(city.buildings) if city.buildings else None
    visible = {v.code: visible_area(v, city.buildings, index) for v in views}
    covered = unary_union(list(visible.values())) if visible else Polygon()
    by_class: dict[str, ClassCoverage] = {}
    total = ClassCoverage()

    def bucket(area_class: str) -> ClassCoverage:
        return by_class.setdefault(area_class, ClassCoverage())

    for road in city.roads:
        for part, area_class in _road_parts(road, city.areas):
            seen = part.intersection(covered).length if not covered.is_empty else 0.0
            for target in (bucket(area_class), total):
                target.road_m += part.length
                target.road_covered_m += seen
    uncovered_places = []
    for place in city.places:
        area_class = _class_at(place.point, city.areas)
        hit = covered.covers(place.point)
        for target in (bucket(area_class), total):
            target.places += 1
            target.places_covered += int(hit)
        if not hit:
            uncovered_places.append((place, area_class))
    uncovered_cells = []
    for cell in city.hot_cells:
        area_class = _class_at(cell.polygon.centroid, city.areas)
        share = cell.polygon.intersection(covered).area / cell.polygon.area
        hit = share >= HOT_CELL_COVERED_SHARE
        for target in (bucket(area_class), total):
            target.hot_cells += 1
            target.hot_cells_covered += int(hit)
        if not hit:
            uncovered_cells.append((cell, area_class, share))
    return CoverageReport(by_class, total, covered, visible, uncovered_places, uncovered_cells)


# ----------------------------------------------------------------------- gaps and sites


@dataclass(frozen=True)
class Demand:
    """Something a new camera should see: an uncovered key place or hot cell."""

    name: str
    kind: str  # "place" | "hot_cell"
    point: Point
    weight: float
    area_class: str


@dataclass(frozen=True)
class Site:
    x: float
    y: float
    heading_deg: float
    covers: tuple[int, ...]  # demand indices
    weight: float


def gap_demands(report: CoverageReport) -> list[Demand]:
    """The uncovered places and hot cells, heaviest first (the gap ranking)."""
    demands = [
        Demand(p.name, "place", p.point, p.weight, area_class)
        for p, area_class in report.uncovered_places
    ]
    demands += [
        Demand(c.cell, "hot_cell", c.polygon.centroid, c.weight * (1 - share), area_class)
        for c, area_class, share in report.uncovered_cells
    ]
    return sorted(demands, key=lambda d: (-d.weight, d.kind, d.name))


def candidate_sites(
    demands: Sequence[Demand],
    city: City,
    *,
    fov_deg: float,
    range_m: float,
    headings: int = 8,
    extra_points: Iterable[tuple[float, float]] = (),
) -> list[Site]:
    """Candidate sites: at each demand point (a camera on a pole there) and any extra
    points, looking in `headings` directions; each covers the demands in its visible area."""
    points = [(d.point.x, d.point.y) for d in demands] + list(extra_points)
    index = STRtree(city.buildings) if city.buildings else None
    demand_points = [d.point for d in demands]
    sites: dict[tuple[int, ...], Site] = {}
    for x, y in points:
        for step in range(headings):
            heading = 360.0 * step / headings
            view = CameraView("candidate", x, y, heading, fov_deg, range_m)
            area = visible_area(view, city.buildings, index)
            covers = tuple(i for i, p in enumerate(demand_points) if area.covers(p))
            if not covers:
                continue
            weight = float(sum(demands[i].weight for i in covers))
            best = sites.get(covers)
            if best is None:
                sites[covers] = Site(x, y, heading, covers, weight)
    return list(sites.values())


def greedy_sites(demands: Sequence[Demand], sites: Sequence[Site], k: int) -> list[Site]:
    """The greedy MCLP: repeatedly the site that adds most uncovered weight ((1-1/e)-optimal)."""
    chosen: list[Site] = []
    covered: set[int] = set()
    for _ in range(k):
        gains = [sum(demands[i].weight for i in set(s.covers) - covered) for s in sites]
        if not gains or max(gains) <= 0:
            break
        best = sites[int(np.argmax(gains))]
        chosen.append(best)
        covered |= set(best.covers)
    return chosen


def optimal_sites(demands: Sequence[Demand], sites: Sequence[Site], k: int) -> list[Site]:
    """The MCLP solved exactly: maximise Σ w_i y_i subject to y_i ≤ Σ_{j covers i} x_j and
    Σ x_j ≤ k, x and y binary (HiGHS through scipy.optimize.milp)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n_sites, n_demands = len(sites), len(demands)
    if n_sites == 0 or n_demands == 0 or k <= 0:
        return []
    # variables: x_0..x_{S-1}, y_0..y_{D-1}
    cost = np.concatenate([np.zeros(n_sites), -np.array([d.weight for d in demands])])
    rows = lil_matrix((n_demands + 1, n_sites + n_demands))
    for j, site in enumerate(sites):
        for i in site.covers:
            rows[i, j] = -1.0
    for i in range(n_demands):
        rows[i, n_sites + i] = 1.0
    rows[n_demands, :n_sites] = 1.0
    upper = np.concatenate([np.zeros(n_demands), [float(k)]])
    constraint = LinearConstraint(rows.tocsr(), -np.inf, upper)
    result = milp(
        cost,
        constraints=constraint,
        integrality=np.ones(n_sites + n_demands),
        bounds=Bounds(0, 1),
        options={"time_limit": 30},
    )
    if result.x is None:
        return greedy_sites(demands, sites, k)
    picked = [j for j in range(n_sites) if result.x[j] > 0.5]
    return sorted((sites[j] for j in picked), key=lambda s: -s.weight)


def covered_weight(demands: Sequence[Demand], sites: Iterable[Site]) -> float:
    covered = set().union(*(set(s.covers) for s in sites)) if sites else set()
    return float(sum(demands[i].weight for i in covered))


# ----------------------------------------------------------------------- the city file


def hot_cell_polygon(cell: str, frame: LocalFrame) -> Polygon:
    boundary = h3.cell_to_boundary(cell)  # (lat, lng) pairs
    return Polygon([frame.xy(lat, lon) for lat, lon in boundary])


def city_from_geojson(document: Mapping[str, Any], frame: LocalFrame) -> City:
    """A GeoJSON FeatureCollection (lon, lat) whose features say what they are in
    `properties.kind`: road (LineString), building (Polygon), area (Polygon with
    `area_class`), place (Point with `name`, `weight`), hot_cell (`h3` cell, `weight`)."""
    from vigil.core.errors import FieldError, ValidationFailed

    city = City()
    errors: list[FieldError] = []
    features = document.get("features")
    if document.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise ValidationFailed(
            "not a city", [FieldError("type", "a GeoJSON FeatureCollection with features")]
        )
    for number, feature in enumerate(features):
        where = f"features[{number}]"
        try:
            props = feature.get("properties") or {}
            kind = props.get("kind")
            if kind == "hot_cell":
                cell = str(props.get("h3", ""))
                if not h3.is_valid_cell(cell):
                    errors.append(FieldError(f"{where}.properties.h3", "a valid H3 cell"))
                    continue
                weight = float(props.get("weight", 1.0))
                city.hot_cells.append(HotCell(cell, hot_cell_polygon(cell, frame), weight))
                continue
            geom = frame.geometry(shape(feature["geometry"]))
            if kind == "road" and isinstance(geom, LineString | MultiLineString):
                lines = [geom] if isinstance(geom, LineString) else list(geom.geoms)
                city.roads.extend(lines)
            elif kind == "building" and isinstance(geom, Polygon):
                city.buildings.append(geom)
            elif kind == "area" and isinstance(geom, Polygon):
                area_class = props.get("area_class")
                if area_class not in ("public_area", "urban_rural_fringe", "rural"):
                    errors.append(
                        FieldError(
                            f"{where}.properties.area_class",
                            "public_area, urban_rural_fringe or rural",
                        )
                    )
                    continue
                city.areas.append((geom, area_class))
            elif kind == "place" and isinstance(geom, Point):
                name = str(props.get("name") or f"place {number}")
                city.places.append(KeyPlace(name, geom, float(props.get("weight", 1.0))))
            else:
                errors.append(
                    FieldError(
                        f"{where}.properties.kind",
                        "road (LineString), building/area (Polygon), place (Point) or hot_cell",
                    )
                )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            errors.append(FieldError(where, f"not a readable feature ({exc})"))
    if errors:
        raise ValidationFailed("the city file has errors", errors[:200])
    return city
