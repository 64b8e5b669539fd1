"""One filing path for three channels: the same records filed over the API, from a JSONL
file and from the NATS JetStream stream give the same stored rows, the same field-level
errors and the same audit entries (ids, times, ciphertexts and the channel's own name
aside). Each channel files for a business of its own, so that no channel's rows count as
another's duplicates. The stream needs NATS on 127.0.0.1:4222."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from tests.intake.samples import sample
from tests.world import World
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.governance.models import AuditEntry
from vigil.intake import files, stream
from vigil.intake.models import OutboxEvent, Submission

pytestmark = pytest.mark.storage
NATS_URL = "nats://127.0.0.1:4222"

Errors = list[tuple[int, str, str]]


def batches() -> list[list[dict[str, Any]]]:
    """Valid records; invalid ones (a check character, a stay that ends before it starts,
    a missing room, a protected attribute); and the valid ones again (duplicates)."""
    valid = [sample("hotel", 700 + i) for i in range(4)]
    bad_id, reversed_stay, no_room, protected = (sample("hotel", 800 + i) for i in range(4))
    bad_id["guest"]["id_number"] = "110105194912310021"
    reversed_stay["check_out"] = "2020-01-01T00:00:00+08:00"
    del no_room["room"]
    protected["guest"]["ethnicity"] = "x"
    return [valid, [bad_id, reversed_stay, no_room, protected], valid]


def new_business(world: World, name: str) -> tuple[int, str]:
    with world.runtime.unit_of_work() as session:
        org = governance.create_organisation(session, system_context(), name, "business", "hotel")
        return org.id, governance.create_api_key(session, system_context(), org.id).secret


def file_over_api(world: World, key: str, records: list[dict[str, Any]]) -> Errors:
    answer = world.client.post("/v1/intake/hotel", json=records, headers={"X-API-Key": key})
    if answer.status_code == 202:
        assert answer.json()["count"] == len(records)
        return []
    assert answer.status_code == 422, answer.text
    errors = []
    for error in answer.json()["errors"]:
        _, index, field = error["field"].split(".", 2)  # records.<index>.<field>
        errors.append((int(index) + 1, field, error["message"]))
    return errors


def file_from_file(world: World, org_id: int, records: list[dict[str, Any]]) -> Errors:
    ctx = AccessContext(f"test:{org_id}", 0, org_id, "Hotel file", Role.BUSINESS)
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    report = files.load_stream(world.runtime, ctx, "hotel", io.BytesIO(body), "jsonl", workers=1)
    assert report.rows == len(records) and report.aborted is None
    return [(e.row, e.field, e.message) for e in report.errors]


async def _publish(prefix: str, stream_name: str, org_id: int, records: list[Any]) -> None:
    import nats

    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    await js.add_stream(name=stream_name, subjects=[f"{prefix}.>"])
    for record in records:
        body = json.dumps(record).encode()
        await js.publish(f"{prefix}.hotel", body, headers={stream.ORG_HEADER: str(org_id)})
    await nc.close()


def file_from_stream(
    world: World, prefix: str, org_id: int, records: list[dict[str, Any]]
) -> Errors:
    """Publish the batch, then consume until the stream is drained: one fetch, one batch."""
    name = prefix.replace(".", "_").upper()
    asyncio.run(_publish(prefix, name, org_id, records))
    stats = asyncio.run(
        stream.consume(
            world.runtime,
            NATS_URL,
            stream=name,
            subject_prefix=prefix,
            durable=f"{name}_consumer",
            idle_exit_s=1.0,
        )
    )
    assert stats.messages == len(records)
    return [(e.row, e.field, e.message) for e in stats.errors]


def stored_rows(world: World, org_id: int) -> list[dict[str, Any]]:
    """Each stored submission and its outbox event, without ids, times, the row key (it
    names the business), ciphertexts (a fresh nonce each) and the channel."""
    with world.runtime.unit_of_work() as session:
        query = (
            select(Submission, OutboxEvent)
            .join(OutboxEvent, OutboxEvent.submission_id == Submission.id)
            .where(Submission.organisation_id == org_id)
            .order_by(Submission.id)
        )
        rows = []
        for sub, event in session.execute(query):
            record = json.loads(json.dumps(sub.record))
            for person in record.get("persons", []):
                assert person.pop("id_ciphertext")
            payload = {k: v for k, v in event.payload.items() if k != "submission_id"}
            rows.append(
                {
                    "sector": sub.sector,
                    "event_kind": sub.event_kind,
                    "ref": sub.ref,
                    "event_time": sub.event_time.isoformat(),
                    "id_hash": sub.id_hash,
                    "record": record,
                    "event": (event.kind, event.status, payload),
                }
            )
        return rows


def audit_entries(world: World, org_name: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    with world.runtime.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.organisation == org_name,
                AuditEntry.object_type.like("intake_submission%"),
            )
            .order_by(AuditEntry.id)
        )
        out = []
        for entry in entries:
            detail = dict(entry.detail)
            assert detail.pop("channel") in stream.service.CHANNELS
            out.append((entry.action, entry.object_type, entry.outcome, detail))
        return out


def _nats_listening() -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 4222)) == 0


def test_the_three_channels_file_alike(world: World) -> None:
    if not _nats_listening():
        pytest.fail("NATS is not listening on 127.0.0.1:4222")
    api_org, api_key = new_business(world, "Hotel api")
    file_org, _ = new_business(world, "Hotel file")
    stream_org, _ = new_business(world, "Hotel stream")
    prefix = f"vigil.test{uuid.uuid4().hex[:8]}"
    errors: dict[str, list[Errors]] = {"api": [], "file": [], "stream": []}
    for records in batches():
        errors["api"].append(file_over_api(world, api_key, records))
        errors["file"].append(file_from_file(world, file_org, records))
        errors["stream"].append(file_from_stream(world, prefix, stream_org, records))

    assert errors["api"] == errors["file"] == errors["stream"]
    valid, invalid, again = errors["api"]
    assert valid == again == []
    assert {row for row, _, _ in invalid} == {1, 2, 3, 4}
    fields = {field for _, field, _ in invalid}
    assert {"guest.id_number", "check_out", "room"} <= fields

    rows = stored_rows(world, api_org)
    assert len(rows) == 4
    assert stored_rows(world, file_org) == rows
    assert stored_rows(world, stream_org) == rows

    audit = audit_entries(world, "Hotel api")
    assert [entry[3] for entry in audit] == [
        {"stored": 4, "duplicates": 0, "rejected": 0},
        {"stored": 0, "duplicates": 0, "rejected": 4},
        {"stored": 0, "duplicates": 4, "rejected": 0},
    ]
    assert audit_entries(world, "Hotel file") == audit
    assert audit_entries(world, "Hotel stream") == audit
