"""Turn files into assets and dependencies, checked in full before anything is stored: an
EPANET network (through WNTR), a pandapower grid, a CSV (through `vigil.core.tabular`) or a
GeoJSON FeatureCollection. Every problem comes back as a `FieldError` naming the row or
feature and the field. Pure apart from reading the given text."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from vigil.core.errors import FieldError, ValidationFailed
from vigil.core.tabular import RowProblem, read_table
from vigil.infrastructure.schemas import CARVER_FACTORS, AssetIn, DependencyIn
from vigil.infrastructure.water import Placement, junction_population, node_positions

if TYPE_CHECKING:
    from pandapower.auxiliary import pandapowerNet
    from wntr.network import WaterNetworkModel

MAX_ERRORS = 200


@dataclass
class Parsed:
    assets: list[AssetIn] = field(default_factory=list)
    dependencies: list[DependencyIn] = field(default_factory=list)


def _pydantic_errors(prefix: str, error: ValidationError) -> list[FieldError]:
    found = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        found.append(FieldError(f"{prefix}.{where}" if where else prefix, problem["msg"]))
    return found


def _raise_if(errors: list[FieldError], what: str) -> None:
    if errors:
        raise ValidationFailed(
            f"{len(errors)} problem(s) in {what}; nothing was stored", errors[:MAX_ERRORS]
        )


# ------------------------------------------------------------------ generic files


def _blank_to_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if v in ("", None) else v) for k, v in values.items()}


def _asset_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A flat record (CSV row, GeoJSON properties) as AssetIn's fields: `carver_<factor>`
    columns gather into `carver`, `protective_measures` splits on ';'."""
    record = {k: v for k, v in _blank_to_none(values).items() if not k.startswith("carver_")}
    carver = {f: values.get(f"carver_{f}") for f in CARVER_FACTORS}
    if any(v not in (None, "") for v in carver.values()):
        record["carver"] = carver
    measures = record.get("protective_measures")
    if isinstance(measures, str):
        record["protective_measures"] = [m.strip() for m in measures.split(";") if m.strip()]
    return {k: v for k, v in record.items() if v is not None}


def assets_from_csv(data: bytes, source: str = "assets.csv") -> list[AssetIn]:
    """Rows of an assets CSV; any problem anywhere refuses the whole file."""
    errors: list[FieldError] = []
    assets: list[AssetIn] = []
    seen: set[str] = set()
    for row in read_table(io.BytesIO(data), "csv", source=source):
        if isinstance(row, RowProblem):
            errors.append(FieldError(f"rows.{row.number}", row.message))
            continue
        errors.extend(_repeat(row.values.get("external_id"), seen, f"rows.{row.number}"))
        try:
            assets.append(AssetIn.model_validate(_asset_fields(row.values)))
        except ValidationError as invalid:
            errors.extend(_pydantic_errors(f"rows.{row.number}", invalid))
    _raise_if(errors, source)
    return assets


def dependencies_from_csv(data: bytes, source: str = "dependencies.csv") -> list[DependencyIn]:
    errors: list[FieldError] = []
    found: list[DependencyIn] = []
    for row in read_table(io.BytesIO(data), "csv", source=source):
        if isinstance(row, RowProblem):
            errors.append(FieldError(f"rows.{row.number}", row.message))
            continue
        try:
            found.append(DependencyIn.model_validate(_blank_to_none(row.values)))
        except ValidationError as invalid:
            errors.extend(_pydantic_errors(f"rows.{row.number}", invalid))
    _raise_if(errors, source)
    return found


def _representative_point(geometry: Mapping[str, Any]) -> tuple[float, float] | None:
    """The mean of a geometry's positions as (latitude, longitude)."""
    positions: list[tuple[float, float]] = []

    def walk(node: Any) -> None:
        if (
            isinstance(node, list)
            and len(node) >= 2
            and all(isinstance(x, int | float) for x in node[:2])
        ):
            positions.append((float(node[0]), float(node[1])))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(geometry.get("coordinates"))
    finite = [p for p in positions if all(math.isfinite(x) for x in p)]
    if not finite:
        return None
    lon = sum(p[0] for p in finite) / len(finite)
    lat = sum(p[1] for p in finite) / len(finite)
    return round(lat, 7), round(lon, 7)


def assets_from_geojson(text: str | bytes, source: str = "assets.geojson") -> list[AssetIn]:
    """Features of a GeoJSON FeatureCollection; each feature's properties are AssetIn's
    fields and its geometry the asset's."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ValidationFailed(f"{source} is not JSON", [FieldError("file", str(exc))]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValidationFailed(
            f"{source} is not a FeatureCollection",
            [FieldError("type", "must be FeatureCollection")],
        )
    features = document.get("features")
    if not isinstance(features, list):
        raise ValidationFailed(f"{source} has no features", [FieldError("features", "a list")])
    errors: list[FieldError] = []
    assets: list[AssetIn] = []
    seen: set[str] = set()
    for number, feature in enumerate(features):
        where = f"features.{number}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            errors.append(FieldError(where, "a Feature with properties"))
            continue
        errors.extend(_repeat(feature["properties"].get("external_id"), seen, where))
        record = _asset_fields(feature["properties"])
        geometry = feature.get("geometry")
        if isinstance(geometry, dict):
            record["geometry"] = geometry
            if geometry.get("type") == "Point" or "latitude" not in record:
                point = _representative_point(geometry)
                if point is not None and "latitude" not in record:
                    record["latitude"], record["longitude"] = point
        try:
            assets.append(AssetIn.model_validate(record))
        except ValidationError as invalid:
            errors.extend(_pydantic_errors(where, invalid))
    _raise_if(errors, source)
    return assets


def _repeat(external_id: Any, seen: set[str], where: str) -> list[FieldError]:
    """An error when the file named this external id before."""
    if not isinstance(external_id, str) or not external_id.strip():
        return []
    key = external_id.strip()
    if key in seen:
        return [FieldError(f"{where}.external_id", f"{key!r} repeats an earlier one")]
    seen.add(key)
    return []


# ------------------------------------------------------------------ water networks


def water_element_id(network: str, element_kind: str, name: str) -> str:
    return f"{network}:{element_kind}:{name}"


def assets_from_water_network(
    wn: WaterNetworkModel, network: str, operator: str, placement: Placement
) -> Parsed:
    """Sources, tanks and junctions as point assets, pipes, pumps and valves as lines; the
    people behind each junction follow from its demand (`water.junction_population`)."""
    positions = node_positions(wn, placement)
    people = junction_population(wn)
    parsed = Parsed()
    node_kinds = (
        ("reservoir", wn.reservoir_name_list, 4),
        ("tank", wn.tank_name_list, 4),
        ("junction", wn.junction_name_list, 2),
    )
    for subtype, names, criticality in node_kinds:
        for name in names:
            lat, lon = positions[name]
            parsed.assets.append(
                AssetIn(
                    external_id=water_element_id(network, subtype, name),
                    name=f"{network} {subtype} {name}",
                    kind="water",
                    subtype=subtype,
                    operator=operator,
                    latitude=lat,
                    longitude=lon,
                    criticality=criticality,
                    population_served=people.get(name, 0),
                    network_element=str(name),
                )
            )
    link_kinds = (
        ("pump", wn.pump_name_list, 5),
        ("valve", wn.valve_name_list, 3),
        ("pipe", wn.pipe_name_list, 2),
    )
    for subtype, names, criticality in link_kinds:
        for name in names:
            link = wn.get_link(name)
            a, b = positions[link.start_node_name], positions[link.end_node_name]
            parsed.assets.append(
                AssetIn(
                    external_id=water_element_id(network, subtype, name),
                    name=f"{network} {subtype} {name}",
                    kind="water",
                    subtype=subtype,
                    operator=operator,
                    latitude=round((a[0] + b[0]) / 2, 7),
                    longitude=round((a[1] + b[1]) / 2, 7),
                    geometry={"type": "LineString", "coordinates": [[a[1], a[0]], [b[1], b[0]]]},
                    criticality=criticality,
                    network_element=str(name),
                )
            )
    return parsed


# ------------------------------------------------------------------ power grids


def grid_element_id(grid: str, element_kind: str, index: int) -> str:
    return f"{grid}:{element_kind}:{index}"


def bus_layout(net: pandapowerNet, placement: Placement) -> dict[int, tuple[float, float]]:
    """(latitude, longitude) per bus: a deterministic force layout of the grid's topology
    when the grid carries no geodata, `metres_per_unit` × 20 across."""
    import networkx as nx
    import pandapower.topology as topology

    graph = topology.create_nxgraph(net, respect_switches=True, include_out_of_service=True)
    layout = nx.spring_layout(graph, seed=7)
    scale = placement.metres_per_unit * 10
    per_degree_lat = 111_320.0
    per_degree_lon = per_degree_lat * math.cos(math.radians(placement.latitude))
    return {
        int(bus): (
            round(placement.latitude + float(y) * scale / per_degree_lat, 7),
            round(placement.longitude + float(x) * scale / per_degree_lon, 7),
        )
        for bus, (x, y) in layout.items()
    }


def assets_from_grid(
    net: pandapowerNet, grid: str, operator: str, placement: Placement, people_per_mw: float
) -> Parsed:
    """Infeeds, buses and lines as assets. Dependencies follow the flow outward from the
    infeeds: a line requires the bus nearer the infeed, and a bus requires the line that
    feeds it, or draws redundantly on several when more than one does."""
    import networkx as nx

    positions = bus_layout(net, placement)
    load = net.load[net.load.in_service]
    people = ((load.p_mw * load.scaling).groupby(load.bus).sum() * people_per_mw).round()
    parsed = Parsed()

    def bus_id(bus: int) -> str:
        return grid_element_id(grid, "bus", bus)

    for bus in net.bus.index:
        lat, lon = positions[int(bus)]
        parsed.assets.append(
            AssetIn(
                external_id=bus_id(int(bus)),
                name=f"{grid} bus {bus} ({float(net.bus.at[bus, 'vn_kv']):g} kV)",
                kind="power",
                subtype="bus",
                operator=operator,
                latitude=lat,
                longitude=lon,
                criticality=3,
                population_served=int(people.get(bus, 0)),
                network_element=str(int(bus)),
            )
        )
    for index in net.ext_grid.index:
        bus = int(net.ext_grid.at[index, "bus"])
        lat, lon = positions[bus]
        parsed.assets.append(
            AssetIn(
                external_id=grid_element_id(grid, "infeed", int(index)),
                name=f"{grid} infeed {index}",
                kind="power",
                subtype="grid_infeed",
                operator=operator,
                latitude=lat,
                longitude=lon,
                criticality=5,
                network_element=str(int(index)),
            )
        )
        parsed.dependencies.append(
            DependencyIn(
                supplier=grid_element_id(grid, "infeed", int(index)), dependant=bus_id(bus)
            )
        )
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(int(b) for b in net.bus.index)
    in_service = net.line[net.line.in_service]
    graph.add_edges_from(
        zip(in_service.from_bus.astype(int), in_service.to_bus.astype(int), strict=True)
    )
    sources = [int(b) for b in net.ext_grid.bus[net.ext_grid.in_service]]
    depth = nx.multi_source_dijkstra_path_length(graph, sources) if sources else {}
    feeders: dict[int, list[str]] = {}
    for index, row in net.line.iterrows():
        a, b = positions[int(row.from_bus)], positions[int(row.to_bus)]
        line_id = grid_element_id(grid, "line", int(index))
        parsed.assets.append(
            AssetIn(
                external_id=line_id,
                name=f"{grid} line {index}",
                kind="power",
                subtype="line",
                operator=operator,
                latitude=round((a[0] + b[0]) / 2, 7),
                longitude=round((a[1] + b[1]) / 2, 7),
                geometry={"type": "LineString", "coordinates": [[a[1], a[0]], [b[1], b[0]]]},
                criticality=3,
                network_element=str(int(index)),
            )
        )
        ends = [int(row.from_bus), int(row.to_bus)]
        if not bool(row.in_service) or not all(e in depth for e in ends):
            continue
        near, far = sorted(ends, key=lambda bus: depth[bus])
        if depth[near] == depth[far]:
            continue  # a line between equally distant buses feeds neither
        parsed.dependencies.append(DependencyIn(supplier=bus_id(near), dependant=line_id))
        feeders.setdefault(far, []).append(line_id)
    for bus, lines in feeders.items():
        kind = "requires" if len(lines) == 1 else "redundant"
        for line_id in lines:
            parsed.dependencies.append(
                DependencyIn(supplier=line_id, dependant=bus_id(bus), kind=kind)
            )
    return parsed
