"""End to end: a business files a registration, the outbox worker resolves and screens it,
and the listing agency's officers get an alert; the business never learns of it."""

from __future__ import annotations

import copy
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.alerts.storage.test_alerts import OPENED, _listener, _served
from tests.intake.conftest import add_sector_businesses
from tests.intake.samples import SAMPLES
from tests.world import World, build_world
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.governance.access import system_context
from vigil.registry.models import RegistrationLink
from vigil.screening import service as screening
from vigil.screening.models import WatchlistEntry

pytestmark = pytest.mark.storage
WANTED_ID = "11010519491231002X"
FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    add_sector_businesses(w)
    with runtime.unit_of_work() as session:
        screening.seed_catalogue(session, system_context())
    return w


def _list(world: World, entry: dict[str, Any]) -> None:
    body = {
        "basis_reference": "(2026)Court-17",
        "basis_authority": "Riverside Intermediate Court",
        **entry,
    }
    assert (
        world.client.post(
            "/v1/screening/watchlist", json=body, headers=world.auth("analyst")
        ).status_code
        == 201
    )
    decided = world.client.post(
        f"/v1/screening/watchlist/{entry['entry_id']}/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert decided.json()["status"] == "active"


def _file(world: World, sector: str, record: dict[str, Any], key: str) -> httpx.Response:
    return world.client.post(
        f"/v1/intake/{sector}",
        json=record,
        headers={"X-API-Key": world.api_keys[key], "Idempotency-Key": f"{sector}-{time.time_ns()}"},
    )


def _stay_on_a_passport(name: str) -> dict[str, Any]:
    """A hotel stay whose guest shows a passport: no resident-ID hash to compare, so only
    name and birth date (1949-12-31) can match a listed person."""
    stay = copy.deepcopy(SAMPLES["hotel"])
    stay["guest"] = {
        "name": name,
        "doc_type": "passport",
        "id_number": "E12345678",
        "issuing_country": "CHN",
        "birth_date": "1949-12-31",
        "nationality": "CHN",
    }
    return stay


def test_hotel_stay_of_a_wanted_person_raises_an_explained_lawful_alert(world: World) -> None:
    _list(
        world,
        {
            "entry_id": "W-1",
            "kind": "person",
            "name": "张晓明",
            "birth_date": "1949-12-31",
            "id_number": WANTED_ID,
            "expires_at": FUTURE,
        },
    )
    stay = _stay_on_a_passport("Zhang Xiaoming")
    filed = _file(world, "hotel", stay, "hotel")
    assert filed.status_code == 202, filed.text
    assert "alert" not in filed.text.lower() and "W-1" not in filed.text
    report = pipeline.drain(world.runtime)
    assert report.events == 1 and report.failed == 0 and len(report.alerts) == 1
    alerts = world.client.get(
        "/v1/alerts", headers=world.auth("officer", "screening", "statute:real-name-registration")
    ).json()
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["kind"] == "person" and alert["watchlist_entry_id"] == "W-1"
    assert alert["legal_basis"] == "(2026)Court-17"
    assert alert["explanation"] and all(
        {"score", "detail"} <= set(v) for v in alert["explanation"].values()
    )
    # Guest and companion are both linked to persons in the registry.
    with world.runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(RegistrationLink)) == 2
    # The hotel sees its own submission and nothing of the alert.
    mine = world.client.get(
        "/v1/intake/submissions", headers={"X-API-Key": world.api_keys["hotel"]}
    )
    assert mine.status_code == 200
    assert (
        "W-1" not in mine.text and "alert" not in mine.text.lower() and "Court-17" not in mine.text
    )


def _namesake(entry_id: str, id_number: str, basis: str) -> dict[str, Any]:
    return {
        "entry_id": entry_id,
        "kind": "person",
        "name": "张晓明",
        "birth_date": "1949-12-31",
        "id_number": id_number,
        "expires_at": FUTURE,
        "basis_reference": basis,
    }


def test_listed_namesakes_make_one_alert_per_agency_with_every_hit_and_its_basis(
    world: World,
) -> None:
    _list(world, _namesake("W-1", WANTED_ID, "(2026)Court-17"))
    _list(world, _namesake("W-2", "110105194912310046", "(2026)Court-18"))
    stay = _stay_on_a_passport("张晓明")
    assert _file(world, "hotel", stay, "hotel").status_code == 202
    report = pipeline.drain(world.runtime)
    assert report.failed == 0 and len(report.alerts) == 1  # one record to review
    officer = world.auth("officer", "screening", "statute:real-name-registration")
    alert = world.client.get(f"/v1/alerts/{report.alerts[0]}", headers=officer).json()
    hits = {hit["entry_id"]: hit["legal_basis"] for hit in alert["hits"]}
    assert hits == {"W-1": "(2026)Court-17", "W-2": "(2026)Court-18"}
    assert alert["watchlist_entry_id"] == alert["hits"][0]["entry_id"]
    assert all(hit["explanation"] for hit in alert["hits"])

    url = f"/v1/alerts/{alert['id']}/transitions"
    which = world.client.post(
        url, json={"action": "resolve", "resolution": "true_hit"}, headers=officer
    )
    assert which.status_code == 422 and which.json()["errors"][0]["field"] == "entry_id"
    stranger = {"action": "resolve", "resolution": "true_hit", "entry_id": "W-7"}
    wrong = world.client.post(url, json=stranger, headers=officer)
    assert wrong.status_code == 422 and "W-1" in wrong.json()["errors"][0]["message"]
    done = world.client.post(url, json={**stranger, "entry_id": "W-2"}, headers=officer).json()
    assert done["resolution"] == "true_hit" and done["confirmed_entry_id"] == "W-2"

    # An entry another agency listed goes to that agency, in an alert of its own.
    with world.runtime.unit_of_work() as session:
        row = session.scalar(select(WatchlistEntry).where(WatchlistEntry.entry_id == "W-2"))
        assert row is not None
        row.organisation_id = world.org_ids["B"]
    stay["room"] = "1802"
    assert _file(world, "hotel", stay, "hotel").status_code == 202
    report = pipeline.drain(world.runtime)
    with world.runtime.unit_of_work() as session:
        routed = {
            (a.organisation_id, tuple(h["entry_id"] for h in a.hits))
            for a in session.scalars(select(Alert).where(Alert.id.in_(report.alerts)))
        }
    assert routed == {(world.org_ids["A"], ("W-1",)), (world.org_ids["B"], ("W-2",))}


def test_stolen_phone_and_vehicle_hit_on_their_identifiers(world: World) -> None:
    _list(
        world,
        {
            "entry_id": "P-1",
            "kind": "property",
            "imei": "490154203237518",
            "description": "stolen phone",
        },
    )
    _list(
        world,
        {
            "entry_id": "V-1",
            "kind": "vehicle",
            "vin": "1M8GDM9AXKP042788",
            "description": "stolen car",
        },
    )
    assert _file(world, "secondhand", SAMPLES["secondhand"], "Pawn Z").status_code == 202
    assert _file(world, "motor", SAMPLES["motor"], "Motor Z").status_code == 202
    report = pipeline.drain(world.runtime)
    with world.runtime.unit_of_work() as session:
        hits = sorted((a.kind, a.watchlist_entry_id) for a in session.scalars(select(Alert)))
    assert hits == [("property", "P-1"), ("vehicle", "V-1")]
    assert report.failed == 0


def test_parcels_with_banned_items_or_unverified_senders_are_flagged(world: World) -> None:
    banned = copy.deepcopy(SAMPLES["parcel"])
    banned["declared_contents"] = "仿真手枪一把 toy?"
    banned["waybill"] = "CC1"
    unverified = copy.deepcopy(SAMPLES["parcel"])
    unverified["sender_verified"] = False
    unverified["waybill"] = "CC2"
    innocent = copy.deepcopy(SAMPLES["parcel"])
    innocent["waybill"] = "CC3"
    for record in (banned, unverified, innocent):
        assert _file(world, "parcel", record, "Courier Z").status_code == 202
    pipeline.drain(world.runtime)
    with world.runtime.unit_of_work() as session:
        alerts = {
            a.summary.split(":")[0]: a
            for a in session.scalars(select(Alert).where(Alert.kind == "parcel"))
        }
    assert set(alerts) == {"parcel refuse", "parcel inspect"}
    assert "禁止寄递" in alerts["parcel refuse"].legal_basis


def test_an_expired_warrant_raises_nothing(world: World) -> None:
    # still in the future when listed, however slow the machine; processed after it passed
    expiry = datetime.now(UTC) + timedelta(minutes=10)
    _list(
        world,
        {
            "entry_id": "W-9",
            "kind": "person",
            "name": "张晓明",
            "birth_date": "1949-12-31",
            "id_number": WANTED_ID,
            "expires_at": expiry.isoformat(),
        },
    )
    stay = copy.deepcopy(SAMPLES["hotel"])
    assert _file(world, "hotel", stay, "hotel").status_code == 202
    report = pipeline.process_batch(world.runtime, now=expiry + timedelta(seconds=1))
    assert report.events == 1 and report.alerts == []


def test_officer_stream_receives_the_alert_from_a_hotel_stay(world: World) -> None:
    _list(
        world,
        {
            "entry_id": "W-1",
            "kind": "person",
            "name": "张晓明",
            "birth_date": "1949-12-31",
            "id_number": WANTED_ID,
            "expires_at": FUTURE,
        },
    )
    # the app with its in-process pipeline, stopped on leaving even if the stream is open
    with _served(world, pipeline_in_process=True) as port:
        listener, received = _listener(world, port, 1)
        # the stream must start (its cursor set) before the alert exists: waiting for that,
        # not a fixed sleep, which a loaded machine outlasts
        assert OPENED[id(received)].wait(30), "the stream did not open"
        filed = httpx.post(
            f"http://127.0.0.1:{port}/v1/intake/hotel",
            json=SAMPLES["hotel"],
            headers={"X-API-Key": world.api_keys["hotel"], "Idempotency-Key": "sse-1"},
        )
        assert filed.status_code == 202
        listener.join(timeout=30)
    assert received and received[0]["watchlist_entry_id"] == "W-1"


def test_no_identity_number_in_plain_text_anywhere_after_the_whole_flow(
    world: World, capfd: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    from tests.intake.samples import ID_A, ID_B, sample

    _list(
        world,
        {
            "entry_id": "W-1",
            "kind": "person",
            "name": "张晓明",
            "id_number": ID_A,
            "expires_at": FUTURE,
        },
    )
    keys = {
        "hotel": "hotel",
        "secondhand": "Pawn Z",
        "motor": "Motor Z",
        "venue": "Cafe Z",
        "parcel": "Courier Z",
    }
    for sector, key in keys.items():
        assert _file(world, sector, SAMPLES[sector], key).status_code == 202
        assert _file(world, sector, sample(sector, 5), key).status_code == 202
    report = pipeline.drain(world.runtime)
    assert report.events == 10 and report.alerts
    numbers = {ID_A, ID_B, "L898902C3", sample("hotel", 5)["guest"]["id_number"]}
    runtime = world.runtime
    runtime.engine.dispose()
    url = runtime.settings.database_url
    if url.startswith("sqlite"):
        from pathlib import Path

        path = url.removeprefix("sqlite:///")
        dump = b"".join(
            Path(path + sfx).read_bytes() for sfx in ("", "-wal") if Path(path + sfx).exists()
        )
        assert b"CC000000005" in dump  # the stored filings really are in what we search
        found = [n for n in numbers if n.encode() in dump]
    else:
        with runtime.engine.connect() as conn:
            tables = (
                conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))
                .scalars()
                .all()
            )
            # the rows' full text (a Row's repr would cut long values short)
            dump_text = "".join(
                row[0]
                for t in tables
                for row in conn.execute(text(f'SELECT row_to_json(t)::text FROM "{t}" t'))
            )
        assert "CC000000005" in dump_text
        found = [n for n in numbers if n in dump_text]
    assert found == []
    logs = capfd.readouterr()
    assert not [n for n in numbers if n in logs.out or n in logs.err]


def test_concurrent_workers_share_the_outbox_without_deadlock_or_double_work(world: World) -> None:
    from tests.intake.samples import sample

    _list(
        world,
        {
            "entry_id": "W-1",
            "kind": "person",
            "name": "张晓明",
            "birth_date": "1949-12-31",
            "id_number": WANTED_ID,
            "expires_at": FUTURE,
        },
    )
    records = []
    for n in range(120):
        stay = sample("hotel", n % 7)  # the same seven guests come back again and again
        stay["stay_ref"] = f"R-{n}"
        stay["room"] = str(n)
        records.append(stay)
    for start in range(0, len(records), 40):
        response = world.client.post(
            "/v1/intake/hotel",
            json=records[start : start + 40],
            headers={"X-API-Key": world.api_keys["hotel"], "Idempotency-Key": f"bulk-{start}"},
        )
        assert response.status_code == 202, response.text
    reports: list[pipeline.BatchReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            reports.append(pipeline.drain(world.runtime, batch=5))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.failed for r in reports) == 0
    assert sum(r.events for r in reports) == 120
    with world.runtime.unit_of_work() as session:
        links = session.scalar(select(func.count()).select_from(RegistrationLink))
        persons = session.scalar(select(func.count(func.distinct(RegistrationLink.person_id))))
    assert links == 240  # guest and companion of every stay, each linked once
    assert persons == 8  # seven returning guests and the one companion


def test_a_broken_event_is_retried_then_dead_lettered_and_the_rest_go_through(
    world: World,
) -> None:
    from sqlalchemy import update

    from tests.intake.samples import sample
    from vigil.intake import outbox
    from vigil.intake.models import OutboxEvent

    for n in range(2):
        assert _file(world, "hotel", sample("hotel", n), "hotel").status_code == 202
    with world.runtime.engine.begin() as conn:
        first = conn.execute(select(func.min(OutboxEvent.id))).scalar_one()
        conn.execute(
            update(OutboxEvent).where(OutboxEvent.id == first).values(payload={"sector": "hotel"})
        )
    report = pipeline.drain(world.runtime)
    assert (report.events, report.failed, report.dead_lettered) == (2, 1, 0)

    def event() -> OutboxEvent:
        with world.runtime.unit_of_work() as session:
            row = session.get(OutboxEvent, first)
            assert row is not None
            session.expunge(row)
            return row

    broken = event()
    assert (broken.status, broken.attempts, broken.error) == ("pending", 1, "KeyError")
    assert broken.retry_at is not None
    # not before its backoff has passed
    assert (
        pipeline.process_batch(world.runtime, now=broken.retry_at - timedelta(seconds=1)).events
        == 0
    )
    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        retry_at = event().retry_at
        assert retry_at is not None
        report = pipeline.process_batch(world.runtime, now=retry_at)
        assert (report.events, report.failed) == (1, 1)
        assert event().attempts == attempt
    assert report.dead_lettered == 1
    dead = event()
    assert (dead.status, dead.retry_at) == ("failed", None)
    assert (
        pipeline.process_batch(world.runtime, now=datetime.now(UTC) + timedelta(days=1)).events == 0
    )

    # the operational signal: /metrics and `vigil pipeline status`
    metrics = world.client.get("/metrics").text
    assert "vigil_pipeline_dead_letter_events 1.0" in metrics
    assert "vigil_pipeline_unscreened_registrations 1.0" in metrics
    with world.runtime.unit_of_work() as session:
        health = outbox.health(session)
    assert (health.dead_lettered, health.unscreened) == (1, 1)


def test_a_batch_that_fails_whole_is_run_one_event_at_a_time_and_counted(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.intake.samples import sample
    from vigil.intake.events import RegistrationFiled

    def fails_on_more_than_one(session, ctx, events, batch) -> None:
        if len(events) > 1:  # a defect only a batch meets, as a batch-only constraint error
            raise RuntimeError("a batch of several events fails")

    handlers = [*pipeline.HANDLERS[RegistrationFiled], fails_on_more_than_one]
    monkeypatch.setitem(pipeline.HANDLERS, RegistrationFiled, handlers)

    def split_total() -> float:
        metrics = world.client.get("/metrics").text
        line = next(m for m in metrics.splitlines() if m.startswith("vigil_pipeline_split_"))
        assert line.startswith("vigil_pipeline_split_batches_total ")
        return float(line.split()[1])

    for n in range(3):
        assert _file(world, "hotel", sample("hotel", n), "hotel").status_code == 202
    before = split_total()  # a count this process keeps since it started
    report = pipeline.drain(world.runtime)
    assert (report.events, report.failed, report.split_batches) == (3, 0, 1)
    assert split_total() == before + 1  # and /metrics shows it
    with world.runtime.unit_of_work() as session:
        linked = select(func.count(func.distinct(RegistrationLink.submission_id)))
        assert session.scalar(linked) == 3  # every filing went through
