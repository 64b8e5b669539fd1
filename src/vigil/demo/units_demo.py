"""Demo step: the city's units (foot, bike and car teams, and response units) with their
positions, the nearest units by road to an incident at the Old Town Market, and one open
alert dispatched to the nearest patrol. Writes demo-output/units/units.geojson for the map."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vigil.alerts.models import Alert
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.incidents import DEMO_PLACES
from vigil.flows import dispatch
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, system_context
from vigil.governance.models import User
from vigil.units import service
from vigil.units.models import Unit
from vigil.units.roads import cached_road_graph
from vigil.units.schemas import UnitIn

DEMO_OUTPUT = Path("demo-output/units")
SEED = 20
# (code prefix, mode, capabilities, top speed or None, how many, shift)
FLEET: tuple[tuple[str, str, tuple[str, ...], float | None, int, tuple[str, str]], ...] = (
    ("FOOT", "foot", ("patrol",), None, 12, ("07:00", "19:00")),
    ("BIKE", "bike", ("patrol",), None, 8, ("07:00", "19:00")),
    ("CAR", "car", ("patrol", "traffic"), None, 10, ("00:00", "23:59")),
    ("FIRE", "car", ("fire", "rescue"), 70.0, 3, ("00:00", "23:59")),
    ("AMB", "car", ("ambulance",), 80.0, 3, ("00:00", "23:59")),
    ("SWAT", "car", ("tactical",), None, 2, ("00:00", "23:59")),
    ("K9", "car", ("k9", "patrol"), None, 1, ("08:00", "20:00")),
)
JITTER_DEG = 0.004  # a few hundred metres around the home base


def _staff(runtime: Runtime, username: str) -> AccessContext:
    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return governance.context_for_user(session, user)


def _register(runtime: Runtime, supervisor: AccessContext, rng: random.Random) -> int:
    count = 0
    with runtime.unit_of_work() as session:
        for prefix, mode, caps, speed, how_many, (start, end) in FLEET:
            for number in range(1, how_many + 1):
                base = DEMO_PLACES[(count + number) % len(DEMO_PLACES)]
                service.create_unit(
                    session,
                    supervisor,
                    UnitIn(
                        code=f"{prefix}-{number:02d}",
                        mode=mode,
                        capabilities=list(caps),
                        speed_kph=speed,
                        capacity=4 if prefix in {"FIRE", "SWAT"} else 2,
                        shift_start=start,
                        shift_end=end,
                        home_lat=round(base.lat + rng.uniform(-1, 1) * JITTER_DEG, 6),
                        home_lon=round(base.lon + rng.uniform(-1, 1) * JITTER_DEG, 6),
                        status="on_patrol" if "patrol" in caps else "available",
                    ),
                )
            count += how_many
    return count


def _positions(runtime: Runtime, rng: random.Random) -> int:
    """One AVL fix per unit, a minute ago, near its home base (as the MQTT feed would)."""
    at = utcnow() - timedelta(minutes=1)
    with runtime.unit_of_work() as session:
        units = session.scalars(select(Unit).order_by(Unit.id)).all()
        fixes = [
            service.Fix(
                u.id,
                u.home_lat + rng.uniform(-1, 1) * JITTER_DEG,
                u.home_lon + rng.uniform(-1, 1) * JITTER_DEG,
                at,
            )
            for u in units
        ]
        result = service.record_fixes(session, system_context(), fixes, source="avl")
    return result.applied


def _geojson(runtime: Runtime, supervisor: AccessContext, out_dir: Path) -> Path:
    with runtime.unit_of_work() as session:
        features: list[dict[str, Any]] = []
        for unit in service.list_units(session, supervisor):
            lat, lon = service.unit_location(unit)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "code": unit.code,
                        "mode": unit.mode,
                        "capabilities": unit.capabilities,
                        "status": unit.status,
                    },
                }
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "units.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1))
    return path


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    rng = random.Random(SEED)
    supervisor = _staff(runtime, "supervisor")
    officer = _staff(runtime, "officer")
    registered = _register(runtime, supervisor, rng)
    moved = _positions(runtime, rng)
    lines = [f"{registered} units registered for the first agency; {moved} AVL positions"]

    graph = cached_road_graph(runtime.settings.road_graph)
    market = next(p for p in DEMO_PLACES if p.name == "Old Town Market")
    with runtime.unit_of_work() as session:
        for capability in ("patrol", "ambulance"):
            picks = service.recommend(
                session, officer, graph, market.lat, market.lon, capability=capability, k=3
            )
            listed = ", ".join(f"{u.code} {r.seconds / 60:.1f} min" for u, r in picks)
            lines.append(f"  nearest {capability} units by road to {market.name}: {listed}")

    with runtime.unit_of_work() as session:
        open_alert = session.scalar(
            select(Alert.id)
            .where(
                Alert.organisation_id == officer.organisation_id,
                Alert.status.in_(dispatch.OPEN_FOR_DISPATCH),
            )
            .order_by(Alert.id)
            .limit(1)
        )
    if open_alert is None:
        lines.append("  no open alert to dispatch")
    else:
        # alerts carry no location: the officer sends units to the filing hotel's address,
        # which the demo places by the Riverside Mall
        hotel = next(p for p in DEMO_PLACES if p.name == "Riverside Mall")
        with runtime.unit_of_work() as session:
            picks = dispatch.units_for_alert(
                session, officer, graph, open_alert, hotel.lat, hotel.lon, capability="patrol", k=1
            )
            unit, pick = picks[0]
            done = dispatch.dispatch_alert(
                session, officer, open_alert, unit.id, note="nearest patrol by road"
            )
        lines.append(
            f"  officer dispatched {done.unit.code} ({pick.seconds / 60:.1f} min away) to "
            f"alert {open_alert}; unit status {done.unit.status}, audited"
        )
    path = _geojson(runtime, supervisor, out_dir)
    lines.append(f"  unit map layer: {path}")
    return lines
