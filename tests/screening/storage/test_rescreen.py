"""Screening when a list changes. A stay filed before a watchlist entry's approval raises an
alert once the entry is approved, if the stay falls within the look-back window. The screen
is audited under the entry's warrant, no registration is alerted twice, and the business
learns nothing."""

from __future__ import annotations

import copy
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.intake.conftest import add_sector_businesses
from tests.intake.samples import SAMPLES
from tests.world import World, build_world
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry, BasisSubject
from vigil.registry import service as registry
from vigil.registry.models import RegistrationLink
from vigil.registry.schemas import DocumentIn, PersonIn
from vigil.rescreen import rescreen_for_approved_entries
from vigil.screening import service as screening
from vigil.screening.entries import (
    LegalBasis,
    PersonEntry,
    ScreeningRecord,
)
from vigil.screening.index import WatchlistIndex
from vigil.screening.models import ScreeningEventRow

pytestmark = pytest.mark.storage
WANTED_ID = "11010519491231002X"
BASIS = "(2026)Court-31"
WARRANT = f"warrant:{BASIS}"
WINDOW_DAYS = 7


@pytest.fixture
def world(runtime: Runtime) -> World:
    runtime.settings.rescreen_window_days = WINDOW_DAYS
    w = build_world(runtime)
    add_sector_businesses(w)
    return w


def _propose(world: World, entry_id: str = "W-9") -> None:
    body = {
        "entry_id": entry_id,
        "kind": "person",
        "name": "张晓明",
        "birth_date": "1949-12-31",
        "id_number": WANTED_ID,
        "basis_reference": BASIS,
        "basis_authority": "Riverside Intermediate Court",
        "expires_at": (datetime.now(UTC) + timedelta(days=365)).isoformat(),
    }
    response = world.client.post(
        "/v1/screening/watchlist", json=body, headers=world.auth("analyst")
    )
    assert response.status_code == 201, response.text


def _approve(world: World, entry_id: str = "W-9") -> None:
    decided = world.client.post(
        f"/v1/screening/watchlist/{entry_id}/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert decided.json()["status"] == "active", decided.text


def _file_stay(
    world: World, name: str, hours_ago: float, ref: str, resident_id: str | None = None
) -> int:
    """A hotel stay whose guest shows a passport (born 1949-12-31), or the resident ID given,
    checked in `hours_ago`."""
    stay = copy.deepcopy(SAMPLES["hotel"])
    stay["guest"] = {
        "name": name,
        "doc_type": "passport",
        "id_number": "E12345678",
        "issuing_country": "CHN",
        "birth_date": "1949-12-31",
        "nationality": "CHN",
    }
    if resident_id is not None:
        stay["guest"] |= {"doc_type": "cn_resident_id", "id_number": resident_id}
        del stay["guest"]["issuing_country"]
    check_in = datetime.now(UTC) - timedelta(hours=hours_ago)
    stay["check_in"] = check_in.isoformat()
    stay["check_out"] = (check_in + timedelta(hours=1)).isoformat()
    stay["stay_ref"] = ref
    filed = world.client.post(
        "/v1/intake/hotel",
        json=stay,
        headers={
            "X-API-Key": world.api_keys["hotel"],
            "Idempotency-Key": f"{ref}-{time.time_ns()}",
        },
    )
    assert filed.status_code == 202, filed.text
    assert "alert" not in filed.text.lower()
    return int(filed.json()["submission_ids"][0])


def _alerts(world: World) -> list[Alert]:
    with world.runtime.unit_of_work() as session:
        alerts = list(session.scalars(select(Alert).order_by(Alert.id)))
        session.expunge_all()
    return alerts


def _pending_events(world: World) -> int:
    with world.runtime.unit_of_work() as session:
        return int(
            session.scalar(select(func.count()).where(ScreeningEventRow.status == "pending")) or 0
        )


def test_a_stay_filed_before_approval_is_screened_when_it_falls_in_the_window(
    world: World,
) -> None:
    _propose(world)
    recent = _file_stay(world, "Zhang Xiaoming", hours_ago=1, ref="recent")
    too_old = _file_stay(world, "Zhang Xiaoming", hours_ago=24 * (WINDOW_DAYS + 3), ref="old")
    other = _file_stay(world, "Li Hua", hours_ago=2, ref="other")
    report = pipeline.drain(world.runtime)
    assert report.events == 3 and report.alerts == []  # the entry is not active yet
    own_view = world.client.get(
        "/v1/intake/submissions", headers={"X-API-Key": world.api_keys["hotel"]}
    )
    assert own_view.status_code == 200

    _approve(world)
    assert _pending_events(world) == 1
    pipeline.drain(world.runtime)  # the pipeline's loop runs the re-screen

    alerts = _alerts(world)
    assert [a.submission_id for a in alerts] == [recent]  # not `too_old`, not `other`
    assert {too_old, other}.isdisjoint(a.submission_id for a in alerts)
    alert = alerts[0]
    assert alert.kind == "person" and alert.watchlist_entry_id == "W-9"
    assert alert.legal_basis == BASIS
    assert alert.organisation_id == world.org_ids["A"]  # the listing agency
    assert [hit["entry_id"] for hit in alert.hits] == ["W-9"]
    features = alert.explanation.values()
    assert features and all({"score", "detail"} <= set(v) for v in features)
    assert f"hotel registration {recent} matches person W-9" == alert.summary
    with world.runtime.unit_of_work() as session:  # the guest the registry linked the stay to
        guest = session.scalar(
            select(RegistrationLink.person_id).where(
                RegistrationLink.submission_id == recent, RegistrationLink.position == 0
            )
        )
    assert guest is not None and alert.person_id == guest
    assert _pending_events(world) == 0

    # The screen is audited under the entry's warrant: the read, the alert and a summary.
    with world.runtime.unit_of_work() as session:
        under_warrant = session.execute(
            select(AuditEntry.action, AuditEntry.object_type, AuditEntry.detail)
            .where(AuditEntry.legal_basis == WARRANT)
            .order_by(AuditEntry.seq)
        ).all()
    kinds = [(action, object_type) for action, object_type, _ in under_warrant]
    assert ("consult", "intake_submission") in kinds
    assert ("collect", "alert") in kinds
    summary = [d for a, o, d in under_warrant if (a, o) == ("consult", "watchlist_entry")]
    assert len(summary) == 1 and summary[0]["screened"] == 2  # `recent` and `other`
    assert summary[0]["alerts"] == [alert.id]

    # The officers see it; the business learns nothing.
    listing = world.client.get(
        "/v1/alerts", headers=world.auth("officer", "screening", "statute:real-name-registration")
    ).json()
    assert [a["submission_id"] for a in listing] == [recent]
    after = world.client.get(
        "/v1/intake/submissions", headers={"X-API-Key": world.api_keys["hotel"]}
    )
    assert after.text == own_view.text


def test_no_registration_is_alerted_twice_for_the_entry(world: World) -> None:
    _propose(world)
    before = _file_stay(world, "Zhang Xiaoming", hours_ago=1, ref="before")
    pipeline.drain(world.runtime)
    _approve(world)
    # Filed after the approval: the live screen alerts, and the re-screen leaves it be.
    after = _file_stay(world, "Zhang Xiaoming", hours_ago=0.5, ref="after")
    pipeline.drain(world.runtime)
    assert sorted(a.submission_id for a in _alerts(world)) == [before, after]
    # A retried approval event (say, after a crash before it was marked done) adds nothing.
    with world.runtime.unit_of_work() as session:
        session.add(
            ScreeningEventRow(kind="watchlist_entry.approved", entry_id="W-9", at=datetime.now(UTC))
        )
    assert rescreen_for_approved_entries(world.runtime) == 0
    assert len(_alerts(world)) == 2 and _pending_events(world) == 0


def test_the_rescreen_waits_for_registrations_still_in_the_outbox(world: World) -> None:
    _propose(world)
    waiting = _file_stay(world, "Zhang Xiaoming", hours_ago=1, ref="waiting")
    _approve(world)
    assert rescreen_for_approved_entries(world.runtime) == 0
    assert _pending_events(world) == 1  # not done: the stay has not been screened live yet
    pipeline.drain(world.runtime)  # the live screen alerts; the re-screen then adds nothing
    assert [a.submission_id for a in _alerts(world)] == [waiting]
    assert _pending_events(world) == 0


def test_a_withdrawn_entry_is_not_rescreened(world: World) -> None:
    _propose(world)
    _file_stay(world, "Zhang Xiaoming", hours_ago=1, ref="stay")
    pipeline.drain(world.runtime)
    _approve(world)
    withdrawn = world.client.delete("/v1/screening/watchlist/W-9", headers=world.auth("analyst"))
    assert withdrawn.status_code == 200, withdrawn.text
    pipeline.drain(world.runtime)
    assert _alerts(world) == [] and _pending_events(world) == 0


def _person(entry_id: str, name: str, birth: str) -> PersonEntry:
    basis = LegalBasis("(2026)X-1", "Court", datetime.now(UTC) + timedelta(days=30))
    return PersonEntry(entry_id, name, basis, birth_date=birth)


def test_screening_against_one_entry_matches_exactly_as_the_live_screen() -> None:
    now = datetime.now(UTC)
    index = WatchlistIndex()
    entries = [
        _person("P-1", "王伟", "1980"),
        _person("P-2", "王伟", "1980-05-06"),
        *(_person(f"N-{i}", "王伟", f"19{50 + i}") for i in range(40)),
        _person("P-3", "陈静", "1975-01-02"),
    ]
    for entry in entries:
        index.add(entry, now)
    records = [
        ScreeningRecord("r:1:0", name="王伟", birth_date="1980-05-06"),
        ScreeningRecord("r:2:0", name="Wang Wei", birth_date="1980-05-07"),
        ScreeningRecord("r:3:0", name="王伟", birth_date="1980-01-01"),
        ScreeningRecord("r:4:0", name="陈静", birth_date="1975-01-02"),
        ScreeningRecord("r:5:0", name="李娜", birth_date="1980-05-06"),
    ]
    for entry in entries[:2] + entries[-1:]:
        live = [m for r in records for m in index.screen(r, now) if m.entry_id == entry.entry_id]
        assert screening.screen_against_entry(index, entry.entry_id, records, now) == live
    assert [m.record_id for m in screening.screen_against_entry(index, "P-3", records, now)] == [
        "r:4:0"
    ]
    assert screening.screen_against_entry(index, "gone", records, now) == []
    # A one-entry index alone would be more lenient: with the other namesakes on the list,
    # a date slip or a year-only date is weak evidence that the live screen discounts.
    alone = WatchlistIndex()
    alone.add(entries[1], now)
    found_alone = [m.record_id for r in records for m in alone.screen(r, now)]
    found = [m.record_id for m in screening.screen_against_entry(index, "P-2", records, now)]
    assert found == ["r:1:0"] and found_alone == ["r:1:0", "r:2:0"]


def test_the_entrys_warrant_reads_the_persons_holding_the_resident_id_it_names(
    world: World,
) -> None:
    ctx = system_context()
    with world.runtime.unit_of_work() as session:
        wanted, bystander = (
            registry.create_person(
                session,
                ctx,
                world.runtime.vault,
                PersonIn(name=name, documents=[DocumentIn(doc_type="cn_resident_id", number=n)]),
            ).id
            for name, n in (("张晓明", WANTED_ID), ("李华", "360426199101010071"))
        )
    _propose(world)
    _approve(world)
    pipeline.drain(world.runtime)
    with world.runtime.unit_of_work() as session:
        linked = session.scalars(
            select(BasisSubject.subject_id).where(BasisSubject.reference == WARRANT)
        ).all()
    assert linked == [wanted]
    investigator = world.auth("officer", "investigation", WARRANT)
    read = world.client.get(f"/v1/persons/{wanted}", headers=investigator)
    assert read.status_code == 200, read.text
    assert world.client.get(f"/v1/persons/{bystander}", headers=investigator).status_code == 403


def test_a_person_filed_after_the_approval_is_read_by_the_warrant_naming_their_id(
    world: World,
) -> None:
    # the live screen, not the re-screen, meets this filing: it links the warrant too
    _propose(world)
    _approve(world)
    pipeline.drain(world.runtime)
    _file_stay(world, "张晓明", hours_ago=1, ref="after", resident_id=WANTED_ID)
    _file_stay(world, "张晓明", hours_ago=1, ref="namesake")  # same name, a passport
    report = pipeline.drain(world.runtime)
    assert len(report.alerts) >= 1
    with world.runtime.unit_of_work() as session:
        linked = session.scalars(
            select(BasisSubject.subject_id).where(BasisSubject.reference == WARRANT)
        ).all()
        holders = registry.persons_holding(session, world.runtime.vault.hash(WANTED_ID))
    assert linked == holders and len(holders) == 1
    investigator = world.auth("officer", "investigation", WARRANT)
    assert world.client.get(f"/v1/persons/{holders[0]}", headers=investigator).status_code == 200
