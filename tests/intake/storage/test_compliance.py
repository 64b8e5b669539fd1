"""A business's compliance record, counted and ranked by the database on SQLite and
PostgreSQL, agrees with the rule written out in Python (a filing exactly at its deadline is
on time; percentiles are nearest-rank over the late filings)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.intake.samples import sample
from tests.sql import statements_sent
from tests.world import World
from vigil.core.clock import utcnow
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.governance.models import Organisation
from vigil.intake import compliance, service
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


def _file_with_delays(world: World, org_id: int, delays_h: list[float], first: int) -> None:
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "business", Role.BUSINESS)
    filed = utcnow().replace(microsecond=0)
    validator = RowValidator("hotel", org_id, world.runtime.vault)
    with world.runtime.unit_of_work() as session:
        org = session.get(Organisation, org_id)
        assert org is not None
        rows = []
        for i, hours in enumerate(delays_h):
            record = sample("hotel", first + i)
            record.pop("check_out", None)
            record["check_in"] = (filed - timedelta(hours=hours)).isoformat()
            row = validator.validate(record, i + 1)
            assert isinstance(row, PreparedRow), row
            rows.append(row)
        service.store_rows(session, ctx, org, "hotel", "api", rows, now=filed)


def test_compliance_counts_and_percentiles_match_the_rule(world: World) -> None:
    org_id = world.org_ids["hotel"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel X", Role.BUSINESS)
    _file_with_delays(world, org_id, DELAYS_H, 40)
    for deadline in (24, 48):
        with world.runtime.unit_of_work() as session:
            got = compliance.compliance_record(session, ctx, org_id, {"hotel": deadline})
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
        empty = compliance.compliance_record(session, pawn_ctx, pawn, {})
    assert empty["filings"] == 0 and empty["lateness_hours_p50"] is None


def _new_hotels(world: World, count: int, prefix: str) -> list[int]:
    with world.runtime.unit_of_work() as session:
        return [
            governance.create_organisation(
                session, system_context(), f"{prefix} {i}", "business", "hotel"
            ).id
            for i in range(count)
        ]


def test_every_business_in_one_list_matches_its_own_record(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Businesses with different numbers of late filings are ranked apart (each its own
    percentiles), also when the ranking is split over several queries."""
    hotels = _new_hotels(world, 4, "Ranked Hotel")
    for n, org_id in enumerate(hotels):
        _file_with_delays(world, org_id, DELAYS_H[: 3 + 2 * n], 1000 * (n + 1))
    monkeypatch.setattr(compliance, "_RANKED_PER_QUERY", 3)
    officer = AccessContext("test:officer", 1, world.org_ids["A"], "Agency A", Role.OFFICER)
    with world.runtime.unit_of_work() as session:
        listed = compliance.compliance_records(session, officer, {"hotel": 24})
        by_id = {r["organisation_id"]: r for r in listed}
        for n, org_id in enumerate(hotels):
            own = compliance.compliance_record(session, officer, org_id, {"hotel": 24})
            assert by_id[org_id] == own
            late, (p50, p90, p99) = reference(DELAYS_H[: 3 + 2 * n], 24)
            assert (own["late"], own["lateness_hours_p50"]) == (late, p50)
            assert (own["lateness_hours_p90"], own["lateness_hours_p99"]) == (p90, p99)
    assert [r["organisation_id"] for r in listed] == sorted(by_id)


def test_the_agencies_list_costs_the_same_queries_for_more_businesses(world: World) -> None:
    officer = AccessContext("test:officer", 1, world.org_ids["A"], "Agency A", Role.OFFICER)

    def queries_for_the_list() -> int:
        with (
            statements_sent(world.runtime.engine) as sent,
            world.runtime.unit_of_work() as session,
        ):
            compliance.compliance_records(session, officer, {"hotel": 24})
        return len(sent)

    for n, org_id in enumerate(_new_hotels(world, 2, "Few Hotel")):
        _file_with_delays(world, org_id, DELAYS_H, 2000 + 100 * n)
    few = queries_for_the_list()
    for n, org_id in enumerate(_new_hotels(world, 12, "Many Hotel")):
        _file_with_delays(world, org_id, DELAYS_H, 3000 + 100 * n)
    assert queries_for_the_list() == few


def test_the_agencies_list_pages_in_organisation_order(world: World) -> None:
    for n, org_id in enumerate(_new_hotels(world, 5, "Paged Hotel")):
        _file_with_delays(world, org_id, DELAYS_H[: 2 + n], 4000 + 100 * n)
    officer = AccessContext("test:officer", 1, world.org_ids["A"], "Agency A", Role.OFFICER)
    with world.runtime.unit_of_work() as session:
        whole = compliance.compliance_records(session, officer, {"hotel": 24})
        pages, after = [], 0
        while page := compliance.compliance_records(
            session, officer, {"hotel": 24}, after_id=after, limit=2
        ):
            pages.append(page)
            after = page[-1]["organisation_id"]
    assert len(whole) >= 6 and len(pages) == (len(whole) + 1) // 2
    assert all(len(page) == 2 for page in pages[:-1])
    assert [record for page in pages for record in page] == whole
    # the same over the API, where a page holds 100 unless asked otherwise
    url = "/v1/intake/compliance"
    first = world.client.get(f"{url}?limit=3", headers=world.auth("officer")).json()["items"]
    rest = world.client.get(
        f"{url}?after_id={first[-1]['organisation_id']}", headers=world.auth("officer")
    ).json()["items"]
    assert len(first) == 3
    assert [r["organisation_id"] for r in first + rest] == [r["organisation_id"] for r in whole]
