"""The units demo step on a fresh demo city: units with positions, recommendations by road,
an open alert dispatched, and the map layer written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from vigil.alerts import service as alerts
from vigil.alerts.models import Alert
from vigil.alerts.schemas import AlertIn
from vigil.demo import units_demo
from vigil.demo.scenario import seed_city
from vigil.governance.access import system_context
from vigil.units.models import Unit, UnitAssignment

pytestmark = pytest.mark.storage


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_demo_step_registers_units_and_dispatches_an_open_alert(runtime, tmp_path) -> None:
    city = seed_city(runtime)
    with runtime.unit_of_work() as session:
        alert = alerts.raise_alert(
            session,
            system_context(),
            AlertIn(
                kind="person",
                score=0.9,
                explanation={},
                sector="hotel",
                submission_id=1,
                legal_basis="warrant 1",
                organisation_id=city.agency_ids[0],
            ),
        )
        alert_id = alert.id
    lines = units_demo.run(runtime, city, out_dir=tmp_path)
    total = sum(row[4] for row in units_demo.FLEET)
    assert lines[0] == f"{total} units registered for the first agency; {total} AVL positions"
    assert any("nearest ambulance units by road" in line and "AMB-" in line for line in lines)
    with runtime.unit_of_work() as session:
        units = session.scalars(select(Unit)).all()
        assert len(units) == total and all(u.position_at is not None for u in units)
        [assignment] = session.scalars(select(UnitAssignment)).all()
        assert assignment.subject_id == str(alert_id)
        dispatched = session.get(Unit, assignment.unit_id)
        assert dispatched is not None and dispatched.status == "dispatched"
        assert "patrol" in dispatched.capabilities
        stored = session.get(Alert, alert_id)
        assert stored is not None and stored.status == "dispatched"
    layer = json.loads((tmp_path / "units.geojson").read_text())
    assert len(layer["features"]) == total
    assert sum(f["properties"]["status"] == "dispatched" for f in layer["features"]) == 1
