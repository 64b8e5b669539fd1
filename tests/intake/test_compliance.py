"""A business's compliance record, counted and ranked by the database on SQLite and
PostgreSQL, agrees with the rule written out in Python (a filing exactly at its deadline is
on time; percentiles are nearest-rank over the late filings)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.intake.samples import sample
from tests.world import World
from vigil.core.clock import utcnow
from vigil.governance.access import AccessContext, Role
from vigil.governance.models import Organisation
from vigil.intake import service
from vigil.intake.validation import PreparedRow, RowValidator

pytestmark = pytest.mark.storage
DELAYS_H = [1, 24, 24 + 1 / 3600, 30, 48, 100, 25, 23.5, 72.25]


def reference(delays_h: list[float], deadline_h: float) -> tuple[int, list[float | None]]:
    late = sorted(d - deadline_h for d in delays_h if d > deadline_h)
    picks: list[float | None] = []
    for q in (0.5, 0.9, 0.99):
        picks.append(
            round(late[min(len(late) - 1, round(q * (len(late) - 1)))], 2) if late else None
        )
    return len(late), picks


def test_compliance_counts_and_percentiles_match_the_rule(world: World) -> None:
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    filed = utcnow().replace(microsecond=0)
    validator = RowValidator("hotel", org_id, world.runtime.vault)
    with world.runtime.unit_of_work() as session:
        org = session.get(Organisation, org_id)
        assert org is not None
        for i, hours in enumerate(DELAYS_H):
            record = sample("hotel", 40 + i)
            record.pop("check_out", None)
            record["check_in"] = (filed - timedelta(hours=hours)).isoformat()
            row = validator.validate(record, 1)
            assert isinstance(row, PreparedRow), row
            service.store_rows(session, ctx, org, "hotel", "api", [row], now=filed)
    for deadline in (24, 48):
        with world.runtime.unit_of_work() as session:
            got = service.compliance_record(session, ctx, org_id, {"hotel": deadline})
        late, (p50, p90, p99) = reference(DELAYS_H, deadline)
        assert (got["filings"], got["late"], got["on_time"]) == (
            len(DELAYS_H),
            late,
            len(DELAYS_H) - late,
        )
        assert (got["lateness_hours_p50"], got["lateness_hours_p90"]) == (p50, p90)
        assert got["lateness_hours_p99"] == p99
    pawn = world.org_ids["Pawn Z"]
    pawn_ctx = AccessContext(f"test:{pawn}", 0, pawn, "Pawn Z", Role.BUSINESS)
    with world.runtime.unit_of_work() as session:
        empty = service.compliance_record(session, pawn_ctx, pawn, {})
    assert empty["filings"] == 0 and empty["lateness_hours_p50"] is None
