"""End to end: a parcel the rules clear but the learned second opinion flags raises an
inspect alert, audited like any other; with the model off the rules alone decide."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sqlalchemy import select

from tests.intake.conftest import add_sector_businesses
from tests.intake.samples import SAMPLES
from tests.pipeline.storage.test_pipeline import _file
from tests.world import World, build_world
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.alerts.service import SECOND_OPINION_BASIS
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.screening import service as screening
from vigil.screening.parcel_model import ParcelModel

pytestmark = pytest.mark.storage
TEXT = "2 boxes of zorblax crystals"  # no rule knows the word


def _flags_zorblax() -> ParcelModel:
    blank = ParcelModel(np.zeros(2 * 2**12), -4.0, 0.5, 2**12, 2, 4)
    coef = np.zeros(2 * 2**12)
    coef[blank.features(["zorblax"]).indices] = 6.0
    return ParcelModel(coef, -4.0, 0.5, 2**12, 2, 4)


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    add_sector_businesses(w)
    with runtime.unit_of_work() as session:
        screening.seed_catalogue(session, system_context())
    return w


def _file_parcel(world: World, waybill: str) -> None:
    parcel = copy.deepcopy(SAMPLES["parcel"])
    parcel["declared_contents"] = TEXT
    parcel["waybill"] = waybill
    assert _file(world, "parcel", parcel, "Courier Z").status_code == 202
    pipeline.drain(world.runtime)


def test_the_second_opinion_raises_an_audited_inspect_alert(world: World) -> None:
    screening.state_for(world.runtime).parcel_model = _flags_zorblax()
    _file_parcel(world, "SO1")
    with world.runtime.unit_of_work() as session:
        alerts = session.scalars(select(Alert).where(Alert.kind == "parcel")).all()
        assert len(alerts) == 1
        alert = alerts[0]
        assert alert.summary.startswith("parcel inspect: learned second opinion (score ")
        assert alert.legal_basis == SECOND_OPINION_BASIS
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "alert", AuditEntry.object_id == str(alert.id)
            )
        ).all()
    assert [e.detail["basis"] for e in audited] == [SECOND_OPINION_BASIS]


def test_with_the_model_off_the_rules_alone_decide(world: World) -> None:
    screening.state_for(world.runtime).parcel_model = None
    _file_parcel(world, "SO2")
    with world.runtime.unit_of_work() as session:
        assert session.scalars(select(Alert).where(Alert.kind == "parcel")).all() == []
