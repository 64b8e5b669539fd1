"""Filing over the API, on SQLite and PostgreSQL: 202 after commit, idempotency, bad input
refused with field-level errors and nothing stored half-way, outbox, who reads what."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.intake.conftest import BUSINESS_OF
from tests.intake.samples import PERSON_FIELD, SAMPLES, sample
from tests.world import World
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import AuditEntry
from vigil.intake import outbox, storage
from vigil.intake.models import IntakeRequest, OutboxEvent, Submission
from vigil.registry import service as registry
from vigil.registry.models import RegistrationLink
from vigil.registry.schemas import PersonIn

pytestmark = pytest.mark.storage


def key_of(world: World, sector: str) -> dict[str, str]:
    return {"X-API-Key": world.api_keys[BUSINESS_OF[sector]]}


def count(world: World, model: type) -> int:
    with world.runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("sector", list(SAMPLES))
def test_file_one_record_and_outbox_event(world: World, sector: str) -> None:
    response = world.client.post(
        f"/v1/intake/{sector}", json=sample(sector), headers=key_of(world, sector)
    )
    assert response.status_code == 202, response.text
    (sid,) = response.json()["submission_ids"]
    with world.runtime.unit_of_work() as session:
        stored = session.get(Submission, sid)
        assert stored is not None and stored.sector == sector
        events = outbox.claim_pending(session, 10)
        assert len(events) == 1
        payload = events[0].payload
        assert payload["sector"] == sector and payload["submission_id"] == sid
        assert "persons" not in payload  # they live once, in the submission
        assert events[0].record is not None
        (person,) = events[0].record["persons"][:1]
        assert {"name", "birth_date", "id_hash", "id_ciphertext"} <= set(person)
        outbox.settle(session, [events[0].id], {})
    number = sample(sector)[PERSON_FIELD[sector]]["id_number"]
    with world.runtime.engine.connect() as conn:
        for table in ("intake_submission", "intake_outbox", "audit_log", "intake_request"):
            dump = json.dumps(
                [list(map(str, r)) for r in conn.execute(text(f"SELECT * FROM {table}"))]
            )
            assert number not in dump, table
    with world.runtime.unit_of_work() as session:
        assert outbox.claim_pending(session, 10) == []


def test_payload_carries_objects_and_parcel_fields(world: World) -> None:
    for sector in ("motor", "secondhand", "parcel"):
        r = world.client.post(
            f"/v1/intake/{sector}", json=sample(sector), headers=key_of(world, sector)
        )
        assert r.status_code == 202
    with world.runtime.unit_of_work() as session:
        payloads = {e.payload["sector"]: e.payload for e in outbox.claim_pending(session, 10)}
    assert payloads["motor"]["objects"] == {"vins": ["1M8GDM9AXKP042788"], "plates": ["粤B12345"]}
    assert payloads["secondhand"]["objects"]["imeis"] == ["490154203237518"]
    assert payloads["parcel"]["parcel"]["sender_verified"] is True
    assert payloads["parcel"]["parcel"]["declared_contents"] == "衣服和书 / clothes and books"
    assert "parcel" not in payloads["motor"] and "objects" not in payloads["parcel"]


def test_a_copied_batch_writes_the_same_events_as_an_inserted_one(world: World) -> None:
    """On PostgreSQL a batch of COPY_MIN_ROWS or more is COPYed; its events must read as
    the row-by-row INSERT path writes them."""
    headers = key_of(world, "motor")
    one = world.client.post("/v1/intake/motor", json=sample("motor", 0), headers=headers)
    batch = [sample("motor", n) for n in range(1, storage.COPY_MIN_ROWS + 1)]
    many = world.client.post("/v1/intake/motor", json=batch, headers=headers)
    assert one.status_code == many.status_code == 202
    ids = one.json()["submission_ids"] + many.json()["submission_ids"]
    with world.runtime.unit_of_work() as session:
        events = outbox.claim_pending(session, len(ids) + 1)
    assert sorted(e.payload["submission_id"] for e in events) == sorted(ids)
    for event in events:
        assert event.record is not None
        details = event.record["details"]
        assert event.payload == {
            "submission_id": event.payload["submission_id"],
            "sector": "motor",
            "objects": {"vins": [details["vin"]], "plates": [details["plate"]]},
        }


def test_batch_and_idempotency_key(world: World) -> None:
    batch = [sample("hotel", n) for n in range(5)]
    headers = {**key_of(world, "hotel"), "Idempotency-Key": "req-1"}
    first = world.client.post("/v1/intake/hotel", json={"records": batch}, headers=headers)
    again = world.client.post("/v1/intake/hotel", json={"records": batch}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert len(set(first.json()["submission_ids"])) == 5
    assert count(world, Submission) == 5 and count(world, OutboxEvent) == 5
    changed = world.client.post("/v1/intake/hotel", json={"records": batch[:4]}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["errors"] == [
        {"field": "Idempotency-Key", "message": "was used before for a different request body"}
    ]
    # The same records under a new key are recognised row by row: no new submissions.
    other = world.client.post(
        "/v1/intake/hotel",
        json=batch,
        headers={**key_of(world, "hotel"), "Idempotency-Key": "req-2"},
    )
    assert other.json()["submission_ids"] == first.json()["submission_ids"]
    assert count(world, Submission) == 5 and count(world, IntakeRequest) == 2


def test_one_bad_record_refuses_the_batch_and_stores_nothing(world: World) -> None:
    batch = [sample("hotel", n) for n in range(4)]
    batch[2]["guest"]["id_number"] = "110105194912310021"
    batch[3]["check_out"] = "2026-01-01T00:00:00+00:00"
    r = world.client.post("/v1/intake/hotel", json=batch, headers=key_of(world, "hotel"))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "records.2.guest.id_number", "message": "check character should be X"},
        {"field": "records.3.check_out", "message": "must be after check_in"},
    ]
    assert count(world, Submission) == 0 and count(world, OutboxEvent) == 0


def test_bad_requests(world: World) -> None:
    headers = key_of(world, "hotel")
    r = world.client.post("/v1/intake/casino", json=sample("hotel"), headers=headers)
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "sector"
    r = world.client.post(
        "/v1/intake/hotel", json=[sample("hotel", n) for n in range(1001)], headers=headers
    )
    assert r.status_code == 413
    assert r.json()["errors"] == [
        {"field": "records", "message": "at most 1000 records per request"}
    ]
    r = world.client.post(
        "/v1/intake/hotel",
        content=json.dumps(sample("hotel")),
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert r.status_code == 415
    r = world.client.post(
        "/v1/intake/hotel",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "body"
    r = world.client.post("/v1/intake/motor", json=sample("motor"), headers=headers)
    assert r.status_code == 403  # a hotel may not file motor records
    r = world.client.post("/v1/intake/hotel", json=sample("hotel"))
    assert r.status_code == 401
    r = world.client.post("/v1/intake/hotel", json=sample("hotel"), headers=world.auth("officer"))
    assert r.status_code == 403  # agency staff do not file
    assert count(world, Submission) == 0


def test_business_reads_only_its_own_submissions(world: World) -> None:
    mine = world.client.post(
        "/v1/intake/hotel", json=sample("hotel", 1), headers=key_of(world, "hotel")
    )
    theirs = world.client.post(
        "/v1/intake/hotel",
        json=sample("hotel", 2),
        headers={"X-API-Key": world.api_keys["other_hotel_key"]},
    )
    assert mine.status_code == theirs.status_code == 202
    listed = world.client.get("/v1/intake/submissions", headers=key_of(world, "hotel")).json()[
        "items"
    ]
    assert [i["id"] for i in listed] == mine.json()["submission_ids"]
    item = listed[0]
    assert "id_hash" not in item["persons"][0] and "id_ciphertext" not in item["persons"][0]
    assert not {"alerts", "screening", "statute:real-name-registration", "status"} & set(item)
    foreign = world.client.get(
        f"/v1/intake/submissions?organisation_id={world.org_ids['other_hotel']}",
        headers=key_of(world, "hotel"),
    )
    assert foreign.status_code == 403
    clerk = world.client.get("/v1/intake/submissions", headers=world.auth("clerk")).json()["items"]
    assert [i["id"] for i in clerk] == mine.json()["submission_ids"]


def test_agency_read_needs_purpose_and_is_audited(world: World) -> None:
    filed = world.client.post(
        "/v1/intake/hotel", json=sample("hotel", 1), headers=key_of(world, "hotel")
    )
    submission_id = filed.json()["submission_ids"][0]
    refused = world.client.get("/v1/intake/submissions", headers=world.auth("officer"))
    assert refused.status_code == 403
    screening = world.client.get(  # a statute is for the pipeline and alert handling only
        "/v1/intake/submissions",
        headers=world.auth("officer", "screening", "statute:hotel-registration"),
    )
    assert screening.status_code == 403
    with world.runtime.unit_of_work() as session:  # the warrant names the registration's guest
        guest = registry.create_person(
            session, system_context(), world.runtime.vault, PersonIn(name="张伟")
        )
        session.add(
            RegistrationLink(
                sector="hotel",
                submission_id=submission_id,
                position=0,
                person_id=guest.id,
                method="id_hash",
            )
        )
        session.flush()
        governance.register_legal_basis(
            session,
            system_context(),
            "warrant:W-7",
            "warrant",
            organisation_id=world.org_ids["A"],
            subjects=[guest.id],
        )
    r = world.client.get(
        "/v1/intake/submissions", headers=world.auth("officer", "investigation", "warrant:W-7")
    )
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    with world.runtime.unit_of_work() as session:
        consult = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "consult", AuditEntry.object_type == "intake_submission"
            )
        ).all()
    assert len(consult) == 1 and consult[0].legal_basis == "warrant:W-7"
    auditor = world.client.get(
        "/v1/intake/submissions", headers=world.auth("auditor", "oversight", "x")
    )
    assert auditor.status_code == 403


def test_compliance_record_is_for_own_business_only(world: World) -> None:
    hotel_id, other_id = world.org_ids["hotel"], world.org_ids["other_hotel"]
    on_time = sample("hotel", 1)
    on_time["check_in"] = on_time["check_out"] = None
    del on_time["check_out"]
    from datetime import UTC, datetime, timedelta

    on_time["check_in"] = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    late = sample("hotel", 2)  # checked in on 2026-01-10: filed long after 24 h
    orphan = sample("hotel", 3)
    orphan.update(event="check_out", stay_ref="F-orphan")
    for record in (on_time, late, orphan):
        assert (
            world.client.post(
                "/v1/intake/hotel", json=record, headers=key_of(world, "hotel")
            ).status_code
            == 202
        )
    bad = sample("hotel", 4)
    bad["room"] = ""
    assert (
        world.client.post("/v1/intake/hotel", json=bad, headers=key_of(world, "hotel")).status_code
        == 422
    )
    own = world.client.get(f"/v1/intake/compliance/{hotel_id}", headers=key_of(world, "hotel"))
    assert own.status_code == 200
    record = own.json()
    assert (record["filings"], record["on_time"], record["late"], record["missing"]) == (3, 1, 2, 1)
    assert record["rows_rejected"] == 1 and record["rejected_rate"] == 0.25
    assert record["lateness_hours_p50"] > 0
    assert (
        world.client.get(
            f"/v1/intake/compliance/{other_id}", headers=key_of(world, "hotel")
        ).status_code
        == 403
    )
    mine = world.client.get("/v1/intake/compliance", headers=key_of(world, "hotel")).json()["items"]
    assert [r["organisation_id"] for r in mine] == [hotel_id]
    past = world.client.get(
        f"/v1/intake/compliance?after_id={hotel_id}", headers=key_of(world, "hotel")
    ).json()["items"]
    assert past == []  # its one record is on the page its id falls in
    agency = world.client.get("/v1/intake/compliance", headers=world.auth("officer")).json()[
        "items"
    ]
    assert {r["organisation_id"] for r in agency} >= {hotel_id, other_id}
    assert not any("person" in k for r in agency for k in r)


def test_missing_counts_each_stay_checked_out_without_its_check_in(world: World) -> None:
    """Per business: a check-out whose stay has a check-in is not missing; one whose stay
    has none (filed twice, or checked in only at another hotel) is missing once."""

    def stay(n: int, ref: str, event: str) -> dict[str, Any]:
        record = sample("hotel", n)
        record.update(stay_ref=ref, event=event)
        return record

    filings = [
        ("hotel", stay(10, "S-a", "check_in")),
        ("hotel", stay(11, "S-a", "check_out")),
        ("hotel", stay(12, "S-b", "check_out")),
        ("hotel", stay(13, "S-b", "check_out")),
        ("other_hotel", stay(14, "S-c", "check_in")),
        ("hotel", stay(15, "S-c", "check_out")),
    ]
    for business, record in filings:
        headers = {"X-API-Key": world.api_keys[f"{business}_key"]}
        response = world.client.post("/v1/intake/hotel", json=record, headers=headers)
        assert response.status_code == 202, response.text
    hotel_id, other_id = world.org_ids["hotel"], world.org_ids["other_hotel"]
    officer = world.auth("officer")
    records = {
        r["organisation_id"]: r
        for r in world.client.get("/v1/intake/compliance", headers=officer).json()["items"]
    }
    assert records[hotel_id]["missing"] == 2  # S-b and S-c
    assert records[other_id]["missing"] == 0


def test_retention_deletes_expired_submissions(world: World) -> None:
    from datetime import UTC, datetime

    from vigil.domains import retention_rules
    from vigil.governance.access import system_context
    from vigil.governance.retention import apply_retention

    world.client.post("/v1/intake/hotel", json=sample("hotel", 1), headers=key_of(world, "hotel"))
    recent = sample("hotel", 2)
    recent["check_in"], recent["check_out"] = "2026-05-20T08:00:00+00:00", None
    kept = world.client.post("/v1/intake/hotel", json=recent, headers=key_of(world, "hotel"))
    (kept_id,) = kept.json()["submission_ids"]
    with world.runtime.unit_of_work() as session:
        results = apply_retention(
            session,
            system_context(),
            retention_rules(),
            {"hotel": 30},
            datetime(2026, 6, 1, tzinfo=UTC),
        )
    assert {r.record_type: r.affected for r in results}["hotel"] == 1
    assert count(world, Submission) == 1 and count(world, OutboxEvent) == 1
    with world.runtime.unit_of_work() as session:
        (event,) = session.scalars(select(OutboxEvent))
        assert event.submission_id == kept_id


def test_awkward_characters_survive_the_bulk_path(world: World) -> None:
    """A batch large enough for COPY on PostgreSQL (and multi-row INSERT on SQLite) keeps
    tabs and line breaks (in free text: names refuse them), backslashes and quotes in values
    exactly."""
    awkward = ["a\tb", "line\nbreak", "back\\slash", 'quote"d', "\\N", "\\.", "cr\rlf"]
    batch = []
    for n in range(60):
        record = sample("hotel", 500 + n)
        record["stay_ref"] = f"{awkward[n % len(awkward)]}-{n}"
        record["guest"]["name"] = (
            f"{awkward[n % len(awkward)].split(chr(9))[0].splitlines()[0]}名{n}"
        )
        batch.append(record)
    r = world.client.post("/v1/intake/hotel", json=batch, headers=key_of(world, "hotel"))
    assert r.status_code == 202, r.text
    ids = r.json()["submission_ids"]
    with world.runtime.unit_of_work() as session:
        for n, sid in enumerate(ids):
            stored = session.get(Submission, sid)
            assert stored is not None
            assert stored.ref == batch[n]["stay_ref"]
            assert stored.record["persons"][0]["name"] == batch[n]["guest"]["name"]
