"""Demo step: the city's water network (WNTR's Net3, placed on the city) and a power feeder
(pandapower's 33-bus distribution feeder) as critical assets, with the feeder's buses
powering Net3's two pumping stations. It shows a feeder outage cascading into the water
network, a pump outage simulated in WNTR, and the risk ranking with the analytics demo's
incidents as the threat. Files in demo-output/infrastructure/. Assets only, no persons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vigil.analytics.service import agency_context
from vigil.core.runtime import Runtime
from vigil.demo.analytics_demo import DEMO_END
from vigil.demo.city import DemoCity
from vigil.demo.incidents import DEMO_CENTRE
from vigil.flows.asset_risk import rank_assets
from vigil.infrastructure import power, service, water
from vigil.infrastructure.models import InfraAsset
from vigil.infrastructure.schemas import AssetIn, Carver, CascadeOut, DependencyIn

DEMO_OUTPUT = Path("demo-output/infrastructure")
WATER = "Net3"
FEEDER = "Feeder33"
# Net3's pumps draw on two buses at the ends of the feeder's laterals.
PUMP_SUPPLY = {"10": 17, "335": 32}
PUMP_CARVER = Carver(
    criticality=9,
    accessibility=6,
    recuperability=7,
    vulnerability=6,
    effect=8,
    recognizability=8,
    shock=6,
)


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    lat, lon = DEMO_CENTRE
    with runtime.unit_of_work() as session:
        ctx = agency_context(session, str(city.agency_ids[0]))
        water_result = service.import_water_network(
            session,
            ctx,
            WATER,
            water.shipped_network("Net3.inp").read_text(),
            "City Water Utility",
            water.Placement(lat, lon, 100.0),
            source="wntr: Net3.inp",
        )
        grid_result = service.import_power_grid(
            session,
            ctx,
            FEEDER,
            power.grid_to_json(power.shipped_grid("case33bw")),
            "City Power Distribution",
            water.Placement(lat + 0.03, lon - 0.03, 60.0),
            source="pandapower: case33bw",
        )
        substation = AssetIn(
            external_id="substation-north",
            name="North primary substation",
            kind="power",
            subtype="substation",
            operator="City Power Distribution",
            latitude=lat + 0.03,
            longitude=lon - 0.03,
            criticality=5,
            protective_measures=["fence", "cctv", "intrusion detection"],
            carver=Carver(
                criticality=10,
                accessibility=5,
                recuperability=8,
                vulnerability=5,
                effect=9,
                recognizability=9,
                shock=7,
            ),
        )
        links = [DependencyIn(supplier="substation-north", dependant=f"{FEEDER}:infeed:0")]
        links += [
            DependencyIn(supplier=f"{FEEDER}:bus:{bus}", dependant=f"{WATER}:pump:{pump}")
            for pump, bus in PUMP_SUPPLY.items()
        ]
        service.store_assets(session, ctx, [substation], links)
        pumps = session.scalars(
            select(InfraAsset).where(
                InfraAsset.organisation_id == ctx.organisation_id,
                InfraAsset.external_id.in_([f"{WATER}:pump:{p}" for p in PUMP_SUPPLY]),
            )
        ).all()
        for pump in pumps:
            pump.carver = PUMP_CARVER.model_dump()
            pump.protective_measures = ["fence", "door contacts"]
        session.flush()

        ids = {
            a.external_id: a.id
            for a in service.list_assets(session, ctx)
            if a.external_id
            in ("substation-north", f"{FEEDER}:line:0", f"{WATER}:pump:335", f"{WATER}:pipe:229")
        }
        feeder_cut = service.cascade(session, ctx, ids[f"{FEEDER}:line:0"])
        pump_out = service.cascade(session, ctx, ids[f"{WATER}:pump:335"])
        pipe_out = service.cascade(session, ctx, ids[f"{WATER}:pipe:229"])
        ranked = rank_assets(session, ctx, window_days=365, radius_m=500.0, limit=500, now=DEMO_END)

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "cascades.json").write_text(
        json.dumps([c.model_dump() for c in (feeder_cut, pump_out, pipe_out)], indent=2),
        encoding="utf-8",
    )
    (out_dir / "risk.json").write_text(
        json.dumps([r.model_dump() for r in ranked], indent=2), encoding="utf-8"
    )

    def failed_of(kind: str, subtype: str, result: CascadeOut) -> int:
        return sum(1 for f in result.failed if f.kind == kind and f.subtype == subtype)

    def water_run(result: CascadeOut) -> dict[str, Any]:
        return next((s for s in result.simulations if s["model"] == "wntr"), {})

    simulation = water_run(pipe_out)
    top = ranked[0] if ranked else None
    lines = [
        f"assets: {water_result.assets} from Net3.inp (WNTR), {grid_result.assets} from the "
        f"33-bus feeder (pandapower), {grid_result.dependencies + len(links)} dependencies",
        f"feeder line 0 down: {failed_of('power', 'bus', feeder_cut)} buses unsupplied, "
        f"{failed_of('water', 'pump', feeder_cut)} pumps stop, "
        f"{len(water_run(feeder_cut).get('newly_below', []))} junctions lose pressure (WNTR): "
        f"{feeder_cut.population_affected} people lose service",
        f"pump 335 down (WNTR): {len(water_run(pump_out).get('newly_below', []))} "
        f"junctions below {water.PRESSURE_THRESHOLD_M:g} m",
        f"pipe 229 closed (WNTR): {len(simulation.get('newly_below', []))} junctions below "
        f"{water.PRESSURE_THRESHOLD_M:g} m, about {simulation.get('population_affected', 0)} "
        f"people at {water.LITRES_PER_PERSON_PER_DAY:g} L per person per day",
    ]
    if top is not None:
        lines.append(
            f"highest risk: {top.name} = {top.risk:.3f} (threat {top.threat.value:.2f} from "
            f"{top.threat.detail['incidents_nearby']} incidents nearby, vulnerability "
            f"{top.vulnerability.value:.2f}, consequence {top.consequence.value:.2f})"
        )
    for place, score in enumerate(ranked, start=1):
        if score.external_id == "substation-north":
            lines.append(
                f"{score.name}: rank {place} of {len(ranked)}, risk {score.risk:.3f} "
                f"(consequence: {score.consequence.detail['assets_failed']} assets fail, "
                f"{score.consequence.detail['population_affected']} people)"
            )
    lines.append(f"files: cascades.json, risk.json in {out_dir}/")
    return lines
