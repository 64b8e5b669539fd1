"""Video events from every source into one typed event, idempotently, and into alerts
through the cameras' rules; the Frigate MQTT path over the real Mosquitto broker."""

from __future__ import annotations

import json
import secrets
import threading

import paho.mqtt.publish as publish
import pytest
from sqlalchemy import func, select

from tests.video.sources import source_key
from tests.world import build_world
from vigil.alerts.models import Alert
from vigil.core.runtime import Runtime
from vigil.flows.video_events import ListenTally, frigate_message_handler
from vigil.governance.access import AccessContext, Role, system_context
from vigil.video import service
from vigil.video.models import Camera, VideoEvent
from vigil.video.mqtt import MqttSubscriber
from vigil.video.schemas import CameraIn, RuleIn

pytestmark = pytest.mark.storage
BROKER = ("127.0.0.1", 1883)


def _camera(runtime: Runtime, code: str, owner_org: int | None = None, org: int = 1) -> int:
    ctx = AccessContext("user:test", 1, org, "Agency A", Role.SUPERVISOR)
    data = CameraIn(
        code=code,
        name=f"Camera {code}",
        latitude=31.23,
        longitude=121.47,
        height_m=5,
        heading_deg=0,
        fov_deg=90,
        range_m=50,
        area_class="urban_rural_fringe",
        owner_kind="business" if owner_org else "agency",
        owner_name="Hotel X" if owner_org else "Agency A",
        owner_organisation_id=owner_org,
        agreement_reference="AGR-1" if owner_org else None,
        legal_basis="Infrastructure perimeter order 3",
    )
    with runtime.unit_of_work() as session:
        (camera,) = service.register_cameras(session, ctx, runtime.vault, [data])
        service.add_rule(
            session,
            ctx,
            camera.id,
            RuleIn(
                name="perimeter intrusion", kind="intrusion", zone="perimeter", labels=["person"]
            ),
        )
        return camera.id


def _counts(runtime: Runtime) -> tuple[int, int]:
    with runtime.unit_of_work() as session:
        events = session.scalar(select(func.count()).select_from(VideoEvent))
        alerts = session.scalar(select(func.count()).select_from(Alert))
    return int(events or 0), int(alerts or 0)


def _frigate(kind: str, camera: str, end_time: float | None = None) -> bytes:
    after = {
        "id": "1764930000.123456-k2p9zq",
        "camera": camera,
        "label": "person",
        "sub_label": None,
        "false_positive": False,
        "start_time": 1764930000.123456,
        "end_time": end_time,
        "current_zones": ["perimeter"],
        "entered_zones": ["perimeter"],
    }
    return json.dumps({"type": kind, "before": after, "after": after}).encode()


def _listen(runtime: Runtime, key: str, messages: list[bytes]) -> ListenTally:
    """Listen on a fresh topic of the real broker as `key`, publish `messages` to it, and
    return the listener's tally once it has taken them all."""
    topic = f"vigil-test-{secrets.token_hex(4)}/events"
    tally = ListenTally()
    subscribed, stop = threading.Event(), threading.Event()
    subscriber = MqttSubscriber(
        *BROKER, topic=topic, client_id=f"vigil-test-{secrets.token_hex(4)}", clean_session=True
    )
    thread = threading.Thread(
        target=subscriber.run,
        args=(frigate_message_handler(runtime, key, tally),),
        kwargs={"max_messages": len(messages), "stop": stop, "subscribed": subscribed},
        daemon=True,
    )
    thread.start()
    try:
        assert subscribed.wait(20), "no subscription to the broker"
        for message in messages:
            publish.single(topic, message, qos=1, hostname=BROKER[0], port=BROKER[1])
        thread.join(60)
    finally:
        stop.set()
    assert not thread.is_alive()
    return tally


def test_frigate_mqtt_event_over_the_real_broker_becomes_one_event_and_one_alert(
    runtime: Runtime,
) -> None:
    """Acceptance 3: published twice (and ended once), one video event and one alert."""
    w = build_world(runtime)
    _camera(runtime, "substation_gate")
    message = _frigate("new", "substation_gate")
    ended = _frigate("end", "substation_gate", end_time=1764930042.0)
    tally = _listen(runtime, w.api_keys[source_key(w)], [message, message, ended])
    assert (tally.messages, tally.stored, tally.alerts, tally.rejected) == (3, 1, 1, 0)
    assert _counts(runtime) == (1, 1)
    with runtime.unit_of_work() as session:
        event = session.scalars(select(VideoEvent)).one()
        alert = session.scalars(select(Alert)).one()
        assert (event.source, event.kind, event.zone) == ("frigate", "intrusion", "perimeter")
        assert event.ended_at is not None and event.ended_at.timestamp() == 1764930042.0
        assert (alert.kind, alert.sector, alert.submission_id) == ("video", "video", event.id)
        assert alert.legal_basis == "Infrastructure perimeter order 3"


def test_the_listener_takes_only_its_source_keys_cameras_over_the_real_broker(
    runtime: Runtime,
) -> None:
    """Listening as agency A's video source key: agency A's camera is stored; agency B's
    camera and an unregistered one are refused (counted, with the reason), nothing stored."""
    w = build_world(runtime)
    own = _camera(runtime, "a_gate")
    _camera(runtime, "b_gate", org=w.org_ids["B"])
    key = w.api_keys[source_key(w)]
    tally = _listen(runtime, key, [_frigate("new", c) for c in ("b_gate", "nowhere", "a_gate")])
    assert (tally.messages, tally.stored, tally.refused, tally.rejected) == (3, 1, 2, 0)
    assert "camera 'b_gate' is not yours to report" in tally.problems[0]
    assert "Agency A" in tally.problems[0]
    assert "no camera 'nowhere'" in tally.problems[1]
    with runtime.unit_of_work() as session:
        event = session.scalars(select(VideoEvent)).one()
        assert event.camera_id == own


def test_a_message_for_an_unknown_camera_is_rejected_and_the_listener_goes_on(
    runtime: Runtime,
) -> None:
    w = build_world(runtime)
    tally = ListenTally()
    handle = frigate_message_handler(runtime, w.api_keys[source_key(w)], tally)
    assert handle(_frigate("new", "nowhere")) is None
    assert handle(b"{not json") is None
    assert (tally.refused, tally.rejected) == (1, 1) and "nowhere" in tally.problems[0]
    assert _counts(runtime) == (0, 0)


def _generic(camera: str, **change: object) -> dict[str, object]:
    return {
        "source": "acme-nvr",
        "source_event_id": "evt-1",
        "camera": camera,
        "kind": "intrusion",
        "zone": "perimeter",
        "label": "person",
        "started_at": "2026-03-01T02:00:00+08:00",
        "snapshot": "blurred/2026/03/01/evt-1.jpg",
        **change,
    }


def test_webhook_with_the_owners_api_key_is_idempotent(runtime: Runtime) -> None:
    w = build_world(runtime)
    _camera(runtime, "shop_door", owner_org=w.org_ids["hotel"], org=w.org_ids["A"])
    events = [
        _generic("shop_door"),
        _generic("shop_door", source_event_id="evt-2", zone="car_park"),
        _generic("shop_door", source_event_id="evt-3", label="vehicle"),
    ]
    r = w.client.post("/v1/video/events/webhook", json=events, headers=w.auth("hotel_key"))
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("received", "stored", "duplicates", "alerts")} == {
        "received": 3,
        "stored": 3,
        "duplicates": 0,
        "alerts": 1,  # only the person in the perimeter matches the rule
    }
    again = w.client.post("/v1/video/events/webhook", json=events, headers=w.auth("hotel_key"))
    assert again.json()["stored"] == 0 and again.json()["duplicates"] == 3
    assert again.json()["alerts"] == 0
    assert _counts(runtime) == (3, 1)
    listed = w.client.get("/v1/video/events?order=oldest", headers=w.auth("analyst")).json()
    assert [e["source_event_id"] for e in listed] == ["evt-1", "evt-2", "evt-3"]
    assert listed[0]["snapshot"] == "blurred/2026/03/01/evt-1.jpg"
    # another business's key may not report for this camera; nothing is stored
    other = [_generic("shop_door", source_event_id="evt-9")]
    r = w.client.post("/v1/video/events/webhook", json=other, headers=w.auth("other_hotel_key"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "0.camera"
    assert _counts(runtime) == (3, 1)


def test_one_event_id_on_two_cameras_in_one_batch_is_refused_naming_both_rows(
    runtime: Runtime,
) -> None:
    """The same (source, source_event_id) twice on one camera is the same event (its last
    word wins); on two cameras it is a contradiction: the batch is refused, nothing stored."""
    w = build_world(runtime)
    _camera(runtime, "gate", org=w.org_ids["A"])
    _camera(runtime, "yard", org=w.org_ids["A"])
    key = w.auth(source_key(w))
    events = [_generic("gate"), _generic("gate", source_event_id="evt-2"), _generic("yard")]
    r = w.client.post("/v1/video/events/webhook", json=events, headers=key)
    assert r.status_code == 422, r.text
    (error,) = r.json()["errors"]
    assert error["field"] == "2.source_event_id"
    assert "row 0" in error["message"] and "'gate'" in error["message"]
    assert "'yard'" in error["message"]
    assert _counts(runtime) == (0, 0)
    same_camera = [_generic("gate"), _generic("gate", ended_at="2026-03-01T02:05:00+08:00")]
    r = w.client.post("/v1/video/events/webhook", json=same_camera, headers=key)
    assert r.status_code == 200 and r.json()["stored"] == 1, r.text


BAD_EVENTS = [
    ({"snapshot": "../../etc/passwd.jpg"}, "snapshot"),
    ({"snapshot": "/var/snap/raw.jpg"}, "snapshot"),
    ({"kind": "face_match"}, "kind"),
    ({"started_at": "2026-03-01T02:00:00"}, "started_at"),
    ({"direction": "in"}, "direction"),
    ({"ended_at": "2026-03-01T01:00:00+08:00"}, "ended_at"),
    ({"track_id": 7}, "track_id"),
]


def test_bad_events_are_field_errors_and_nothing_is_stored(runtime) -> None:
    w = build_world(runtime)
    _camera(runtime, "gate", org=w.org_ids["A"])
    for change, field in BAD_EVENTS:
        events = [_generic("gate", source_event_id="ok"), _generic("gate", **change)]
        r = w.client.post("/v1/video/events/webhook", json=events, headers=w.auth(source_key(w)))
        assert r.status_code == 422, r.text
        assert any(field in e["field"] for e in r.json()["errors"]), r.json()
    assert _counts(runtime) == (0, 0)


def test_frigate_api_and_onvif_endpoints(runtime: Runtime) -> None:
    w = build_world(runtime)
    _camera(runtime, "gate", org=w.org_ids["A"])
    api_events = [
        {
            "id": "1700000000.1-abc",
            "camera": "gate",
            "label": "person",
            "zones": ["perimeter"],
            "start_time": 1700000000.1,
            "end_time": 1700000030.5,
        }
    ]
    r = w.client.post(
        "/v1/video/events/frigate", content=json.dumps(api_events), headers=w.auth(source_key(w))
    )
    assert r.status_code == 200 and r.json()["alerts"] == 1, r.text
    onvif_json = {
        "topic": "tns1:RuleEngine/FieldDetector/ObjectsInside",
        "utc_time": "2026-03-01T10:15:00Z",
        "source": {"Rule": "perimeter"},
        "data": {"IsInside": "true", "ClassTypes": "Human"},
    }
    r = w.client.post(
        "/v1/video/events/onvif?camera=gate",
        content=json.dumps(onvif_json),
        headers=w.auth(source_key(w)),
    )
    assert r.status_code == 200 and r.json()["alerts"] == 1, r.text
    r = w.client.post(
        "/v1/video/events/onvif?camera=gate", content=b"<oops", headers=w.auth(source_key(w))
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "document"
    assert _counts(runtime) == (2, 2)
    assert w.client.get("/v1/video/events", headers=w.auth("auditor")).status_code == 403


def test_retention_deletes_old_events(runtime: Runtime) -> None:
    from datetime import UTC, datetime

    from vigil.governance.retention import apply_retention

    w = build_world(runtime)
    _camera(runtime, "gate", org=w.org_ids["A"])
    events = [
        _generic("gate", source_event_id="old", started_at="2020-01-01T00:00:00+00:00"),
        _generic("gate", source_event_id="new", started_at="2026-11-30T00:00:00+00:00"),
    ]
    assert w.client.post(
        "/v1/video/events/webhook", json=events, headers=w.auth(source_key(w))
    ).is_success
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session,
            system_context(),
            service.RETENTION_RULES,
            runtime.settings.retention_days,
            datetime(2026, 12, 6, tzinfo=UTC),
        )
        assert [(r.record_type, r.affected) for r in results] == [("video_event", 1)]
        assert session.scalars(select(VideoEvent.source_event_id)).all() == ["new"]
        assert session.scalars(select(Camera.code)).all() == ["gate"]


def test_a_frigate_update_into_a_new_zone_is_a_new_event(runtime: Runtime) -> None:
    """An object first in the yard, then entering the perimeter: two zone events, and the
    perimeter rule alerts once, on the update."""
    w = build_world(runtime)
    _camera(runtime, "gate")
    handle = frigate_message_handler(runtime, w.api_keys[source_key(w)])
    first = json.loads(_frigate("new", "gate"))
    first["after"]["entered_zones"] = first["after"]["current_zones"] = ["yard"]
    assert handle(json.dumps(first).encode()).alerts == 0  # type: ignore[union-attr]
    assert _counts(runtime) == (1, 0)
    update = json.loads(_frigate("update", "gate"))
    update["after"]["entered_zones"] = ["yard", "perimeter"]
    result = handle(json.dumps(update).encode())
    assert result is not None and (result.stored, result.duplicates, result.alerts) == (1, 1, 1)
    assert _counts(runtime) == (2, 1)
