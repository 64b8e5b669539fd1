"""AVL over the real Mosquitto broker on 127.0.0.1:1883: fixes published to MQTT move units,
a repeated fix is stored once, an older one never moves a unit, bad messages are refused."""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.world import build_world
from vigil.governance.models import AuditEntry
from vigil.units.avl import AvlError, AvlSubscriber, parse_message, topic_for
from vigil.units.models import Unit, UnitPosition

BROKER = ("127.0.0.1", 1883)
T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _publisher() -> mqtt.Client:
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    client.connect(*BROKER)
    client.loop_start()
    return client


def _fix(lat: float, lon: float, seconds: int) -> bytes:
    return json.dumps(
        {"lat": lat, "lon": lon, "at": (T0 + timedelta(seconds=seconds)).isoformat()}
    ).encode()


def _register(w, code: str = "CAR-7") -> int:
    body = {
        "code": code,
        "mode": "car",
        "capabilities": ["patrol"],
        "home_lat": 31.23,
        "home_lon": 121.47,
    }
    r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


@pytest.mark.storage
def test_fixes_over_mqtt_are_stored_once_and_in_order(runtime) -> None:
    w = build_world(runtime)
    unit_id = _register(w)
    agency = w.org_ids["A"]
    prefix = f"vigil-test/{secrets.token_hex(4)}/avl"
    subscriber = AvlSubscriber(runtime, *BROKER, prefix=prefix, flush_s=0.05)
    stop = threading.Event()
    worker = threading.Thread(target=subscriber.run, args=(stop,), daemon=True)
    worker.start()
    assert subscriber.ready.wait(10), "the broker did not confirm the subscription"

    topic = topic_for(agency, "CAR-7", prefix)
    messages = [
        (topic, _fix(31.231, 121.471, 0)),
        (topic, _fix(31.232, 121.472, 10)),
        (topic, _fix(31.100, 121.100, 5)),  # late: older than the fix before it
        (topic_for(agency, "NOPE-1", prefix), _fix(31.2, 121.4, 0)),  # no such unit
        (topic_for(w.org_ids["B"], "CAR-7", prefix), _fix(31.2, 121.4, 0)),  # B has no CAR-7
        (topic, b"{not json"),
        (f"{prefix}/{agency}/lower-case", _fix(31.2, 121.4, 0)),
    ]
    publisher = _publisher()

    def publish(batch: list[tuple[str, bytes]], until: int) -> None:
        for name, payload in batch:
            publisher.publish(name, payload, qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 15
        while subscriber.stats.processed < until and time.monotonic() < deadline:
            time.sleep(0.05)

    publish(messages[:2], 2)  # stored before the late fix is sent
    publish(messages[2:], len(messages))
    publish(messages, 2 * len(messages))  # everything again: nothing changes
    stop.set()
    worker.join(10)
    publisher.loop_stop()
    publisher.disconnect()

    stats = subscriber.stats
    assert stats.received == 14
    assert stats.rejected == 4  # bad JSON and a bad code, twice
    assert (stats.unknown_unit, stats.applied, stats.stale, stats.duplicate) == (4, 2, 1, 3)
    with runtime.unit_of_work() as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None
        assert (unit.latitude, unit.longitude) == (31.232, 121.472)
        assert unit.position_at == T0 + timedelta(seconds=10)
        assert session.scalar(select(func.count()).select_from(UnitPosition)) == 3
        sources = session.scalars(select(UnitPosition.source).distinct()).all()
        assert sources == ["mqtt"]
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "unit",
                AuditEntry.object_id == str(unit_id),
                AuditEntry.action == "alter",
            )
        ).all()
        assert len(audited) == 3 and {e.detail["source"] for e in audited} == {"mqtt"}


@pytest.mark.storage
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_avl_command_stores_what_the_broker_delivers(runtime, monkeypatch) -> None:
    from vigil.cli import app
    from vigil.core.settings import get_settings

    w = build_world(runtime)
    unit_id = _register(w, "BIKE-3")
    monkeypatch.setenv("VIGIL_DATABASE_URL", runtime.settings.database_url)
    get_settings.cache_clear()
    prefix = f"vigil-test/{secrets.token_hex(4)}/avl"
    result: list = []
    command = threading.Thread(
        target=lambda: result.append(
            CliRunner().invoke(app, ["units", "avl", "--prefix", prefix, "--max-messages", "3"])
        ),
        daemon=True,
    )
    command.start()
    publisher = _publisher()
    deadline = time.monotonic() + 20
    while command.is_alive() and time.monotonic() < deadline:  # it subscribes when it is ready
        publisher.publish(
            topic_for(w.org_ids["A"], "BIKE-3", prefix), _fix(31.24, 121.48, 60), qos=1
        ).wait_for_publish(5)
        time.sleep(0.2)
    publisher.loop_stop()
    publisher.disconnect()
    command.join(5)
    assert result and result[0].exit_code == 0, result and result[0].output
    counts = re.search(r"received (\d+): applied (\d+), stale 0, duplicate (\d+)", result[0].output)
    assert counts, result[0].output
    received, applied, duplicate = map(int, counts.groups())
    assert received >= 3 and applied == 1 and duplicate == received - 1
    with runtime.unit_of_work() as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None and (unit.latitude, unit.longitude) == (31.24, 121.48)


@pytest.mark.parametrize(
    ("topic", "payload", "message"),
    [
        ("vigil/avl/1", b"{}", "is not vigil/avl/<agency id>/<unit code>"),
        ("vigil/avl/x/CAR-1", b"{}", "is not vigil/avl"),
        ("vigil/avl/1/CAR-1", b"[1, 2]", "JSON object"),
        ("vigil/avl/1/CAR-1", b'{"lat": 91, "lon": 0, "at": "2026-12-06T08:00:00Z"}', "lat:"),
        ("vigil/avl/1/CAR-1", b'{"lat": 1, "lon": 0, "at": "2026-12-06T08:00:00"}', "at:"),
        ("vigil/avl/1/CAR-1", b'{"lat": 1, "lon": 0}', "at: Field required"),
        ("vigil/avl/1/CAR-1", b"\xff\xfe", "not JSON"),
    ],
)
def test_bad_messages_say_what_is_wrong(topic: str, payload: bytes, message: str) -> None:
    with pytest.raises(AvlError, match=message):
        parse_message(topic, payload)


def test_a_good_message() -> None:
    fix = parse_message("vigil/avl/12/FOOT-07", _fix(31.2, 121.4, 30))
    assert (fix.agency_id, fix.code, fix.lat, fix.lon) == (12, "FOOT-07", 31.2, 121.4)
    assert fix.at == T0 + timedelta(seconds=30)


@settings(max_examples=200, deadline=None)
@given(
    topic=st.one_of(
        st.text(max_size=40), st.from_regex(r"vigil/avl/\d{1,3}/[A-Z0-9-]{1,8}", fullmatch=True)
    ),
    payload=st.one_of(
        st.binary(max_size=80),
        st.dictionaries(
            st.sampled_from(["lat", "lon", "at", "x"]),
            st.one_of(st.floats(), st.text(max_size=30), st.integers()),
            max_size=4,
        ).map(lambda d: json.dumps(d).encode()),
    ),
)
def test_the_parser_refuses_with_avl_errors_only(topic: str, payload: bytes) -> None:
    try:
        fix = parse_message(topic, payload)
    except AvlError:
        return
    assert -90 <= fix.lat <= 90 and -180 <= fix.lon <= 180 and fix.at.tzinfo is not None
