"""Precursor sales end to end, on SQLite and PostgreSQL: refusal at filing on every channel,
the cumulative and mixture rules through the pipeline and the alert machinery, the
catalogue's versions and its API, and no tipping-off of the seller."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.intake.samples import SAMPLES, cn_id
from tests.world import World, build_world
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.domains import retention_rules
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.governance.models import AuditEntry
from vigil.intake import files, stream
from vigil.intake.models import OutboxEvent, Submission
from vigil.precursors import service as precursors
from vigil.screening import precursor_sales
from vigil.screening.models import PrecursorPurchaseRow

pytestmark = pytest.mark.storage
NATS_URL = "nats://127.0.0.1:4222"
SHOP_A, SHOP_B = "91110108000000001A", "91110108000000002D"


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    ctx = system_context()
    with runtime.unit_of_work() as session:
        precursors.seed_catalogue(session, ctx)
        for name in ("Shop A", "Shop B"):
            org = governance.create_organisation(session, ctx, name, "business", "chemical")
            w.org_ids[name] = org.id
            w.api_keys[name] = governance.create_api_key(session, ctx, org.id).secret
    return w


def sale(
    when: datetime,
    *,
    buyer: str = cn_id(7, "19850505"),
    seller: str = SHOP_A,
    cas: str = "7722-84-1",
    pct: float = 12,
    quantity: float = 5,
    unit: str = "L",
    use: str = "cleaning",
    ref: str = "S-1",
) -> dict[str, Any]:
    record = copy.deepcopy(SAMPLES["chemical"])
    record["buyer"]["id_number"] = buyer
    record.update(
        seller_licence=seller,
        substance_cas=cas,
        concentration_pct=pct,
        quantity=quantity,
        unit=unit,
        stated_use=use,
        sold_at=when.isoformat(),
        sale_ref=ref,
    )
    return record


def file(world: World, shop: str, record: dict[str, Any]) -> Any:
    return world.client.post(
        "/v1/intake/chemical", json=record, headers={"X-API-Key": world.api_keys[shop]}
    )


def stored(world: World, shop: str) -> tuple[int, int]:
    with world.runtime.unit_of_work() as session:
        subs = session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.organisation_id == world.org_ids[shop])
        )
        events = session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .join(Submission, Submission.id == OutboxEvent.submission_id)
            .where(Submission.organisation_id == world.org_ids[shop])
        )
        return int(subs or 0), int(events or 0)


def chemical_alerts(world: World) -> list[Alert]:
    with world.runtime.unit_of_work() as session:
        rows = list(
            session.scalars(select(Alert).where(Alert.kind == "chemical").order_by(Alert.id))
        )
        session.expunge_all()
        return rows


# --- 2. a restricted sale to a private person is refused on every channel ------------------


async def _publish(prefix: str, org_id: int, records: list[dict[str, Any]]) -> None:
    import nats

    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    await js.add_stream(name=prefix.upper(), subjects=[f"{prefix}.>"])
    for record in records:
        await js.publish(
            f"{prefix}.chemical",
            json.dumps(record).encode(),
            headers={stream.ORG_HEADER: str(org_id)},
        )
    await nc.close()


def _nats_listening() -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 4222)) == 0


def test_a_restricted_sale_to_a_private_person_is_refused_on_every_channel(
    world: World, backend: str
) -> None:
    now = datetime.now(UTC) - timedelta(hours=1)
    restricted = sale(now, pct=30)  # hydrogen peroxide above 12 % w/w
    expected_field = "concentration_pct"

    answer = file(world, "Shop A", restricted)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"].endswith(expected_field)
    assert "restricted-sale" in error["message"] and "2019/1148" in error["message"]
    assert "12 % w/w" in error["message"]

    org_id = world.org_ids["Shop A"]
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Shop A", Role.BUSINESS)
    body = (json.dumps(restricted) + "\n").encode()
    report = files.load_stream(world.runtime, ctx, "chemical", io.BytesIO(body), "jsonl", workers=1)
    assert [(e.row, e.field) for e in report.errors] == [(1, expected_field)]
    assert "restricted-sale" in report.errors[0].message

    assert _nats_listening(), "the stream channel needs NATS on 127.0.0.1:4222"
    prefix = f"chem{backend}{datetime.now(UTC).strftime('%H%M%S%f')}"
    asyncio.run(_publish(prefix, org_id, [restricted]))
    stats = asyncio.run(
        stream.consume(
            world.runtime,
            NATS_URL,
            stream=prefix.upper(),
            subject_prefix=prefix,
            durable=f"{prefix}_consumer",
            idle_exit_s=1.0,
        )
    )
    assert stats.messages == 1 and stats.rejected == 1
    assert [(e.field, "restricted-sale" in e.message) for e in stats.errors] == [
        (expected_field, True)
    ]

    assert stored(world, "Shop A") == (0, 0)  # nothing stored on any channel
    # the same sale to a business buyer, or at 12 %, is filed
    business = sale(now, pct=30, ref="S-2")
    business.update(
        buyer_kind="business", buyer_business="Clean Co", buyer_licence="91110108000000000" + "7"
    )
    assert file(world, "Shop A", business).status_code == 202
    assert file(world, "Shop A", sale(now, pct=12, ref="S-3")).status_code == 202
    assert stored(world, "Shop A") == (2, 2)


def test_bad_identifiers_are_field_errors(world: World) -> None:
    now = datetime.now(UTC) - timedelta(hours=1)
    wrong_cas = sale(now, cas="7722-84-2")
    answer = file(world, "Shop A", wrong_cas)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "CAS check digit should be 1"
    wrong_licence = sale(now, seller="91110108000000001B")
    answer = file(world, "Shop A", wrong_licence)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"].endswith("seller_licence")
    unlisted = sale(now, cas="7732-18-5")  # water
    answer = file(world, "Shop A", unlisted)
    assert "not a listed precursor" in answer.json()["errors"][0]["message"]
    hotel = world.client.post(
        "/v1/intake/chemical", json=sale(now), headers={"X-API-Key": world.api_keys["hotel_key"]}
    )
    assert hotel.status_code == 403
    assert stored(world, "Shop A") == (0, 0)


# --- 3. the cumulative rule across sellers and across the window boundary ------------------


def test_cumulative_rule_alerts_once_when_crossed_inside_the_window(world: World) -> None:
    start = datetime.now(UTC) - timedelta(days=40)
    # 12 % x 5 L = 0.6 kg pure each; the threshold is 2 kg within 30 days
    plan = [
        (0, "Shop A", SHOP_A),  # leaves the window before the others
        (31, "Shop B", SHOP_B),
        (32, "Shop A", SHOP_A),
        (33, "Shop B", SHOP_B),  # 1.8 kg inside the window: no alert
        (34, "Shop A", SHOP_A),  # 2.4 kg: crossed here
        (35, "Shop B", SHOP_B),  # still above: no second alert
    ]
    ids: list[int] = []
    alerts_after: list[int] = []
    for n, (day, shop, licence) in enumerate(plan):
        answer = file(world, shop, sale(start + timedelta(days=day), seller=licence, ref=f"S-{n}"))
        assert answer.status_code == 202, answer.text
        ids += answer.json()["submission_ids"]
        pipeline.drain(world.runtime)
        alerts_after.append(len(chemical_alerts(world)))
    assert alerts_after == [0, 0, 0, 0, 1, 1]
    [alert] = chemical_alerts(world)
    assert alert.submission_id == ids[4]
    assert alert.organisation_id == world.org_ids["A"]
    behind = sorted(int(k.split(":")[1]) for k in alert.explanation if k.startswith("transaction:"))
    assert behind == ids[1:5]  # the four inside the window, from both shops
    rule = alert.explanation["rule:cumulative-quantity"]["detail"]
    assert "2019/1148" in rule and "2 seller(s)" in rule
    assert "2019/1148" in alert.legal_basis
    # the ledger holds only the rules' fields, and its read was audited under screening
    with world.runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(PrecursorPurchaseRow)) == 6
        reads = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.object_type == "precursor_purchases")
            )
        )
        assert reads and all(r.detail["purpose"] == "screening" for r in reads)
    # a redelivered event changes nothing
    pipeline.process_events(world.runtime, [])
    assert len(chemical_alerts(world)) == 1
    # retention: the ledger forgets purchases past the cutoff
    assert "precursor_purchase" in {rule.record_type for rule in retention_rules()}
    with world.runtime.unit_of_work() as session:
        purged = precursor_sales.purge_purchases(session, start + timedelta(days=1))
        assert len(purged) == 1
        assert session.scalar(select(func.count()).select_from(PrecursorPurchaseRow)) == 5


# --- 4. the mixture rule ------------------------------------------------------------------


def test_mixture_rule_fires_on_the_combination_only(world: World) -> None:
    start = datetime.now(UTC) - timedelta(days=3)
    perchlorate = dict(cas="7778-74-7", pct=30, quantity=1, unit="kg", use="laboratory")
    aluminium = dict(cas="7429-90-5", pct=100, quantity=0.5, unit="kg", use="laboratory")
    one, two, three = cn_id(11, "19900101"), cn_id(12, "19900101"), cn_id(13, "19900101")
    assert file(world, "Shop A", sale(start, buyer=one, ref="P1", **perchlorate)).status_code == 202
    assert (
        file(
            world, "Shop B", sale(start, buyer=two, seller=SHOP_B, ref="P2", **aluminium)
        ).status_code
        == 202
    )
    pipeline.drain(world.runtime)
    assert chemical_alerts(world) == []  # each substance alone
    assert (
        file(world, "Shop A", sale(start, buyer=three, ref="P3", **perchlorate)).status_code == 202
    )
    answer = file(
        world,
        "Shop B",
        sale(start + timedelta(hours=5), buyer=three, seller=SHOP_B, ref="P4", **aluminium),
    )
    pipeline.drain(world.runtime)
    [alert] = chemical_alerts(world)
    assert alert.submission_id == answer.json()["submission_ids"][0]
    assert "rule:explosive-mixture" in alert.explanation
    assert "flash powder" in alert.summary
    assert len([k for k in alert.explanation if k.startswith("transaction:")]) == 2


# --- 5. no tipping-off --------------------------------------------------------------------


def test_the_seller_sees_the_same_whether_or_not_an_alert_was_raised(world: World) -> None:
    start = datetime.now(UTC) - timedelta(days=5)
    buyer = cn_id(21, "19800101")
    for day in range(3):  # 1.8 kg from Shop B
        file(
            world,
            "Shop B",
            sale(start + timedelta(days=day), buyer=buyer, seller=SHOP_B, ref=f"B{day}"),
        )
    pipeline.drain(world.runtime)
    key = {"X-API-Key": world.api_keys["Shop A"]}
    quiet = file(world, "Shop A", sale(start + timedelta(days=3), buyer=cn_id(22), ref="A0"))
    loud = file(world, "Shop A", sale(start + timedelta(days=3), buyer=buyer, ref="A1"))
    assert quiet.status_code == loud.status_code == 202
    quiet_id, loud_id = quiet.json()["submission_ids"][0], loud.json()["submission_ids"][0]
    assert quiet.content.replace(str(quiet_id).encode(), b"ID") == loud.content.replace(
        str(loud_id).encode(), b"ID"
    )
    org = world.org_ids["Shop A"]
    views = [
        "/v1/intake/submissions",
        f"/v1/intake/compliance/{org}",
        "/v1/intake/compliance",
    ]
    before = [world.client.get(url, headers=key) for url in views]
    pipeline.drain(world.runtime)
    after = [world.client.get(url, headers=key) for url in views]
    [alert] = chemical_alerts(world)
    assert alert.submission_id == loud_id  # the alert was raised on Shop A's sale
    for b, a in zip(before, after, strict=True):
        assert b.status_code == a.status_code
        assert b.content == a.content  # byte-identical
    listing = before[0].json()["items"]
    assert {item["id"] for item in listing} == {quiet_id, loud_id}
    assert "alert" not in before[0].text.lower()
    assert world.client.get("/v1/alerts", headers=key).status_code in (400, 403)


# --- the catalogue and the rules over the API -----------------------------------------------


def test_the_catalogue_is_versioned_and_extended_at_run_time(world: World) -> None:
    staff = world.auth("admin")
    seeded = world.client.get("/v1/precursors/catalogue", headers=staff).json()
    assert seeded["version"] == len(seeded["substances"]) >= 30
    new = {
        "substance_id": "sodium-chlorite",
        "name_zh": "亚氯酸钠",
        "name_en": "sodium chlorite",
        "cas": "7758-19-2",
        "lists": [],
        "cumulative_pure_kg": 1,
        "restricted_above_pct": 60,
        "mixture_role": "oxidiser",
    }
    refused = world.client.post(
        "/v1/precursors/catalogue", json=new, headers={"X-API-Key": world.api_keys["Shop A"]}
    )
    assert refused.status_code == 403
    wrong = world.client.post(
        "/v1/precursors/catalogue", json={**new, "cas": "7758-19-3"}, headers=staff
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"].endswith("cas")
    added = world.client.post("/v1/precursors/catalogue", json=new, headers=staff)
    assert added.status_code == 201, added.text
    assert added.json()["version"] == seeded["version"] + 1
    # the next filing sees the new version
    now = datetime.now(UTC) - timedelta(hours=1)
    answer = file(world, "Shop A", sale(now, cas="7758-19-2", pct=50, quantity=0.2, unit="kg"))
    assert answer.status_code == 202, answer.text
    answer = file(world, "Shop A", sale(now, cas="7758-19-2", pct=80, quantity=0.2, unit="kg"))
    assert answer.status_code == 422
    assert "above 60 % w/w for sodium chlorite" in answer.json()["errors"][0]["message"]
    rules = world.client.get("/v1/precursors/rules", headers=world.auth("analyst")).json()["rules"]
    cumulative = next(r for r in rules if r["rule_id"] == "cumulative-quantity")
    assert cumulative["parameters"]["window_days"] == 30 and "2019/1148" in cumulative["source"]
    assert (
        world.client.get(
            "/v1/precursors/rules", headers={"X-API-Key": world.api_keys["Shop A"]}
        ).status_code
        == 403
    )
