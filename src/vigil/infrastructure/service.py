"""Critical infrastructure: assets and their networks, dependencies, cascades, risk and
sensor events, within the caller's organisation. No personal data. Never commits; every
import is checked in full before the first row is added, so a refused file stores nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from vigil.governance import audit
from vigil.governance.access import AccessContext, Permission, require
from vigil.governance.audit import Action
from vigil.infrastructure import importers, power, water
from vigil.infrastructure.graph import DependencyGraph
from vigil.infrastructure.models import InfraAsset, InfraDependency, InfraNetwork, InfraSensorEvent
from vigil.infrastructure.risk import AssetFacts, IncidentPoint, RiskScore, rank
from vigil.infrastructure.schemas import (
    AssetIn,
    AssetRisk,
    CascadeOut,
    DependencyIn,
    Factor,
    FailedAsset,
    ImportResult,
    SensorEventIn,
)

WATER_LINKS = ("pipe", "pump", "valve")


# ------------------------------------------------------------------ assets and imports


def _existing_ids(
    session: Session, organisation_id: int, external_ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(external_ids))
    for start in range(0, len(unique), 1000):
        rows = session.execute(
            select(InfraAsset.external_id, InfraAsset.id).where(
                InfraAsset.organisation_id == organisation_id,
                InfraAsset.external_id.in_(unique[start : start + 1000]),
            )
        )
        found.update({str(e): int(i) for e, i in rows})
    return found


def store_assets(
    session: Session,
    ctx: AccessContext,
    assets: Sequence[AssetIn],
    dependencies: Sequence[DependencyIn] = (),
    network: InfraNetwork | None = None,
) -> ImportResult:
    """Add assets and dependencies (naming assets new or stored) as one whole: an external
    id already stored, or a dependency naming an unknown asset, refuses everything."""
    require(ctx, Permission.ANALYSE)
    new_ids = [a.external_id for a in assets]
    stored = _existing_ids(session, ctx.organisation_id, new_ids)
    errors = [
        FieldError(f"assets.{n}.external_id", f"{a.external_id!r} is stored already")
        for n, a in enumerate(assets)
        if a.external_id in stored
    ]
    named = [d.supplier for d in dependencies] + [d.dependant for d in dependencies]
    known = set(new_ids) | set(_existing_ids(session, ctx.organisation_id, named))
    for n, dep in enumerate(dependencies):
        for role in ("supplier", "dependant"):
            if getattr(dep, role) not in known:
                errors.append(
                    FieldError(f"dependencies.{n}.{role}", f"no asset {getattr(dep, role)!r}")
                )
    if errors:
        raise ValidationFailed(
            f"{len(errors)} problem(s); nothing was stored", errors[: importers.MAX_ERRORS]
        )
    rows = [
        InfraAsset(
            organisation_id=ctx.organisation_id,
            network_id=network.id if network is not None else None,
            **{
                **a.model_dump(exclude={"carver"}),
                "carver": a.carver.model_dump() if a.carver else {},
            },
        )
        for a in assets
    ]
    session.add_all(rows)
    session.flush()
    ids = {
        **_existing_ids(session, ctx.organisation_id, named),
        **{r.external_id: r.id for r in rows},
    }
    links = [
        InfraDependency(
            organisation_id=ctx.organisation_id,
            supplier_id=ids[d.supplier],
            dependant_id=ids[d.dependant],
            kind=d.kind,
        )
        for d in dependencies
    ]
    session.add_all(links)
    session.flush()
    audit.record(
        session,
        ctx,
        Action.COLLECT,
        "infra_asset",
        f"{rows[0].id}..{rows[-1].id}" if rows else "-",
        detail={
            "assets": len(rows),
            "dependencies": len(links),
            "network": network.id if network is not None else None,
        },
    )
    return ImportResult(
        network_id=network.id if network is not None else None,
        assets=len(rows),
        dependencies=len(links),
    )


def _new_network(
    session: Session, ctx: AccessContext, name: str, kind: str, fmt: str, text: str, source: str
) -> InfraNetwork:
    if session.scalar(
        select(InfraNetwork.id).where(
            InfraNetwork.organisation_id == ctx.organisation_id, InfraNetwork.name == name
        )
    ):
        raise Conflict(f"a network named {name!r} is stored already")
    network = InfraNetwork(
        organisation_id=ctx.organisation_id,
        name=name,
        kind=kind,
        model_format=fmt,
        model_text=text,
        source=source[:200],
    )
    session.add(network)
    session.flush()
    return network


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > 100 or ":" in name:
        raise ValidationFailed(
            "invalid network name", [FieldError("name", "1 to 100 characters, no ':'")]
        )


def import_water_network(
    session: Session,
    ctx: AccessContext,
    name: str,
    inp_text: str,
    operator: str,
    placement: water.Placement,
    source: str = "",
) -> ImportResult:
    """An EPANET network, read by WNTR, kept whole for simulation, and its elements as
    assets placed on the map."""
    require(ctx, Permission.ANALYSE)
    _check_name(name)
    try:
        model = water.read_inp(inp_text)
    except water.NetworkError as bad:
        raise ValidationFailed("unreadable network", [FieldError("inp", str(bad))]) from None
    parsed = importers.assets_from_water_network(model, name, operator, placement)
    network = _new_network(session, ctx, name, "water", "epanet-inp", inp_text, source or name)
    return store_assets(session, ctx, parsed.assets, parsed.dependencies, network)


def import_power_grid(
    session: Session,
    ctx: AccessContext,
    name: str,
    grid_json: str,
    operator: str,
    placement: water.Placement,
    source: str = "",
    people_per_mw: float = power.PEOPLE_PER_MW,
) -> ImportResult:
    """A pandapower grid, kept whole for N-1, its buses, lines and infeeds as assets and the
    feeding relations as dependencies."""
    require(ctx, Permission.ANALYSE)
    _check_name(name)
    try:
        net = power.grid_from_json(grid_json)
    except power.GridError as bad:
        raise ValidationFailed("unreadable grid", [FieldError("grid", str(bad))]) from None
    parsed = importers.assets_from_grid(net, name, operator, placement, people_per_mw)
    network = _new_network(
        session, ctx, name, "power", "pandapower-json", grid_json, source or name
    )
    return store_assets(session, ctx, parsed.assets, parsed.dependencies, network)


def list_assets(session: Session, ctx: AccessContext, kind: str | None = None) -> list[InfraAsset]:
    require(ctx, Permission.ANALYSE)
    query = select(InfraAsset).where(InfraAsset.organisation_id == ctx.organisation_id)
    if kind:
        query = query.where(InfraAsset.kind == kind)
    return list(session.scalars(query.order_by(InfraAsset.id)))


def get_asset(session: Session, ctx: AccessContext, asset_id: int) -> InfraAsset:
    require(ctx, Permission.ANALYSE)
    asset = session.get(InfraAsset, asset_id)
    if asset is None or asset.organisation_id != ctx.organisation_id:
        raise NotFound(f"asset {asset_id} not found")
    return asset


def list_dependencies(session: Session, ctx: AccessContext) -> list[InfraDependency]:
    require(ctx, Permission.ANALYSE)
    query = select(InfraDependency).where(InfraDependency.organisation_id == ctx.organisation_id)
    return list(session.scalars(query.order_by(InfraDependency.id)))


# ------------------------------------------------------------------ cascades


@dataclass
class LoadedGraph:
    assets: list[InfraAsset]
    index: dict[int, int]  # asset id → position
    graph: DependencyGraph


def load_graph(session: Session, ctx: AccessContext) -> LoadedGraph:
    assets = list_assets(session, ctx)
    index = {a.id: n for n, a in enumerate(assets)}
    edges = [
        (index[d.supplier_id], index[d.dependant_id], d.kind)
        for d in list_dependencies(session, ctx)
    ]
    graph = DependencyGraph(len(assets), edges, [a.population_served for a in assets])
    return LoadedGraph(assets, index, graph)


SimulationCache = dict[tuple[int, frozenset[str]], tuple[dict[str, Any], list[str]]]
MAX_ROUNDS = 4  # graph → simulation → graph …: a cascade crosses networks a few times at most


def _simulate_network(
    network: InfraNetwork, elements: frozenset[str]
) -> tuple[dict[str, Any], list[str]]:
    """The outage of these links (water) or lines (power) together, simulated, and the
    network elements it takes out of service (junctions below pressure, unsupplied buses)
    as asset external ids."""
    if network.kind == "water":
        outage = water.links_outage(network.model_text, sorted(elements))
        affected = [
            importers.water_element_id(network.name, "junction", j) for j in outage.newly_below
        ]
        return {
            "model": "wntr",
            "network": network.name,
            "links_closed": list(outage.links),
            "pressure_threshold_m": outage.threshold_m,
            "junctions_below": list(outage.junctions_below),
            "newly_below": list(outage.newly_below),
            "demand_lost_m3s": outage.demand_lost_m3s,
            "population_affected": outage.population_affected,
            "litres_per_person_per_day": outage.litres_per_person_per_day,
        }, affected
    net = power.grid_from_json(network.model_text)
    lines = sorted(int(e) for e in elements)
    result = power.lines_outage(net, lines)
    affected = [importers.grid_element_id(network.name, "bus", b) for b in result.unsupplied_buses]
    return {
        "model": "pandapower",
        "network": network.name,
        "lines_out": lines,
        "converged": result.converged,
        "overloaded_lines": list(result.overloaded_lines),
        "unsupplied_buses": list(result.unsupplied_buses),
        "load_lost_mw": result.load_lost_mw,
        "population_affected": result.population_affected,
        "people_per_mw": power.PEOPLE_PER_MW,
    }, affected


def _simulated_elements(
    failed: Sequence[InfraAsset], water_subtypes: Sequence[str], power_lines: bool
) -> dict[int, frozenset[str]]:
    """Per network, the failed links or lines that a simulation takes out of service."""
    chosen: dict[int, set[str]] = {}
    for asset in failed:
        if asset.network_id is None or asset.network_element is None:
            continue
        if (asset.kind == "water" and asset.subtype in water_subtypes) or (
            power_lines and asset.kind == "power" and asset.subtype == "line"
        ):
            chosen.setdefault(asset.network_id, set()).add(asset.network_element)
    return {network: frozenset(elements) for network, elements in chosen.items()}


def _spread(
    session: Session,
    loaded: LoadedGraph,
    origins: list[int],
    *,
    simulate: bool,
    water_subtypes: Sequence[str] = WATER_LINKS,
    power_lines: bool = True,
    cache: SimulationCache | None = None,
) -> tuple[list[int], list[dict[str, Any]]]:
    """The failed positions and the simulations run: the dependency graph spreads the
    outage, the simulators take the failed links and lines of each network out of service,
    and what they leave without pressure or supply spreads through the graph in turn."""
    cache = {} if cache is None else cache
    by_external = {a.external_id: n for n, a in enumerate(loaded.assets)}
    failed = loaded.graph.failed_set(origins)
    simulations: list[dict[str, Any]] = []
    for _ in range(MAX_ROUNDS if simulate else 0):
        elements = _simulated_elements(
            [loaded.assets[n] for n in failed], water_subtypes, power_lines
        )
        simulations, affected = [], []
        for network_id, names in sorted(elements.items()):
            key = (network_id, names)
            if key not in cache:
                network = session.get(InfraNetwork, network_id)
                if network is None:
                    continue
                cache[key] = _simulate_network(network, names)
            simulations.append(cache[key][0])
            affected.extend(cache[key][1])
        down = set(failed)
        new = [by_external[e] for e in affected if e in by_external and by_external[e] not in down]
        if not new:
            break
        failed = loaded.graph.failed_set([*failed, *new])
    return failed, simulations


def cascade(
    session: Session, ctx: AccessContext, asset_id: int, simulate: bool = True
) -> CascadeOut:
    """What fails when the asset goes down: through the dependency graph and, where the
    failure reaches the links of a simulated network, by WNTR or pandapower too."""
    origin = get_asset(session, ctx, asset_id)
    loaded = load_graph(session, ctx)
    positions, simulations = _spread(session, loaded, [loaded.index[origin.id]], simulate=simulate)
    failed = [loaded.assets[n] for n in positions]
    audit.record(
        session, ctx, Action.CONSULT, "infra_asset", origin.id, detail={"cascade": len(failed)}
    )
    return CascadeOut(
        origin=origin.id,
        failed=[
            FailedAsset(
                id=a.id,
                external_id=a.external_id,
                name=a.name,
                kind=a.kind,
                subtype=a.subtype,
                population_served=a.population_served,
            )
            for a in failed
        ],
        population_affected=sum(a.population_served for a in failed),
        simulations=simulations,
    )


# ------------------------------------------------------------------ risk


def risk_ranking(
    session: Session,
    ctx: AccessContext,
    incidents: Sequence[IncidentPoint],
    *,
    radius_m: float = 500.0,
    since: datetime | None = None,
    window_label: str | None = None,
    limit: int = 50,
    simulate_pumps: bool = True,
) -> list[AssetRisk]:
    """Assets ranked by threat × vulnerability × consequence. The incidents come from the
    caller (incident analytics, through a flow or the CLI); consequence is each asset's
    cascade through the dependency graph and, where it reaches a pump or valve of a water
    network, the hydraulic simulation of their loss (one run per distinct set, cached)."""
    if radius_m <= 0:
        raise ValidationFailed("invalid radius", [FieldError("radius_m", "must be positive")])
    loaded = load_graph(session, ctx)
    cache: SimulationCache = {}
    facts = []
    for position, asset in enumerate(loaded.assets):
        failed, _ = _spread(
            session,
            loaded,
            [position],
            simulate=simulate_pumps,
            water_subtypes=("pump", "valve"),
            power_lines=False,
            cache=cache,
        )
        facts.append(
            AssetFacts(
                asset.id,
                asset.external_id,
                asset.name,
                asset.latitude,
                asset.longitude,
                asset.carver or {},
                int(loaded.graph.population[failed].sum()),
                len(failed),
            )
        )
    window = window_label or (f"since {since:%Y-%m-%d}" if since else "all incidents given")
    ranked = rank(facts, incidents, radius_m=radius_m, since=since, window_label=window)[:limit]
    audit.record(
        session, ctx, Action.CONSULT, "infra_asset", "risk", detail={"ranked": len(ranked)}
    )
    return [_risk_out(score) for score in ranked]


def _risk_out(score: RiskScore) -> AssetRisk:
    def factor(value: Any) -> Factor:
        return Factor(value=value.value, source=value.source, detail=value.detail)

    return AssetRisk(
        asset_id=score.facts.asset_id,
        external_id=score.facts.external_id,
        name=score.facts.name,
        risk=score.risk,
        threat=factor(score.threat),
        vulnerability=factor(score.vulnerability),
        consequence=factor(score.consequence),
    )


# ------------------------------------------------------------------ sensor events


@dataclass(frozen=True)
class StoredEvent:
    """A sensor event stored now, with what an alert about it needs."""

    event_id: int
    organisation_id: int  # the agency responsible for the asset
    asset_id: int
    asset_name: str
    asset_external_id: str
    source: str
    source_event_id: str
    kind: str
    severity: str
    latitude: float | None = None  # the asset's, where it has a point
    longitude: float | None = None


def record_sensor_events(
    session: Session, ctx: AccessContext, events: Sequence[SensorEventIn]
) -> tuple[list[StoredEvent], int]:
    """Store events, once per (source, event id); returns those stored now and the count of
    repeats. The asset is looked up by external id in the caller's organisation (Vigil's
    own listener, the system principal, looks in every organisation)."""
    require(ctx, Permission.WORK_ALERTS)
    if not events:
        return [], 0
    wanted = sorted({e.asset for e in events})
    query = select(InfraAsset).where(InfraAsset.external_id.in_(wanted))
    if ctx.organisation_id:
        query = query.where(InfraAsset.organisation_id == ctx.organisation_id)
    matches: dict[str, list[InfraAsset]] = {}
    for asset in session.scalars(query):
        matches.setdefault(asset.external_id, []).append(asset)
    errors = []
    for n, event in enumerate(events):
        found = matches.get(event.asset, [])
        if len(found) != 1:
            reason = "no such asset" if not found else "held by several organisations"
            errors.append(FieldError(f"events.{n}.asset", f"{event.asset!r}: {reason}"))
    if errors:
        raise ValidationFailed("unknown assets; nothing was stored", errors)
    now = utcnow()
    known: set[tuple[str, str]] = set()
    ids = sorted({e.event_id for e in events})
    for begin in range(0, len(ids), 1000):
        known.update(
            (str(source), str(event_id))
            for source, event_id in session.execute(
                select(InfraSensorEvent.source, InfraSensorEvent.source_event_id).where(
                    InfraSensorEvent.source_event_id.in_(ids[begin : begin + 1000])
                )
            )
        )
    fresh: dict[tuple[str, str], tuple[dict[str, Any], InfraAsset]] = {}
    for event in events:
        key = (event.source, event.event_id)
        if key in known or key in fresh:
            continue
        asset = matches[event.asset][0]
        row = {
            "organisation_id": asset.organisation_id,
            "asset_id": asset.id,
            "source": event.source,
            "source_event_id": event.event_id,
            "kind": event.kind,
            "severity": event.severity,
            "observed_at": event.observed_at,
            "value": event.value,
            "detail": event.detail,
            "received_at": now,
        }
        fresh[key] = (row, asset)
    inserted: dict[tuple[str, str], int] = {}
    if fresh:
        # ON CONFLICT DO NOTHING: a writer racing us with the same event stores it once
        statement = (
            _dialect_insert(session, InfraSensorEvent)
            .on_conflict_do_nothing(index_elements=["source", "source_event_id"])
            .returning(
                InfraSensorEvent.id, InfraSensorEvent.source, InfraSensorEvent.source_event_id
            )
        )
        rows = session.execute(statement, [row for row, _ in fresh.values()])
        inserted = {(str(src), str(eid)): int(i) for i, src, eid in rows}
    stored = [
        StoredEvent(
            inserted[key],
            asset.organisation_id,
            asset.id,
            asset.name,
            asset.external_id,
            key[0],
            key[1],
            str(row["kind"]),
            str(row["severity"]),
            asset.latitude,
            asset.longitude,
        )
        for key, (row, asset) in fresh.items()
        if key in inserted
    ]
    stored.sort(key=lambda event: event.event_id)
    if stored:
        audit.record_many(
            session,
            ctx,
            [
                audit.EntryIn(
                    Action.COLLECT,
                    "infra_sensor_event",
                    s.event_id,
                    detail={"asset": s.asset_id, "kind": s.kind, "source": s.source},
                )
                for s in stored
            ],
        )
    return stored, len(events) - len(stored)


def _dialect_insert(session: Session, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT on the session's back-end."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def list_sensor_events(
    session: Session, ctx: AccessContext, asset_id: int | None = None
) -> list[InfraSensorEvent]:
    require(ctx, Permission.ANALYSE)
    query = select(InfraSensorEvent).where(InfraSensorEvent.organisation_id == ctx.organisation_id)
    if asset_id is not None:
        query = query.where(InfraSensorEvent.asset_id == asset_id)
    return list(session.scalars(query.order_by(InfraSensorEvent.id)))
