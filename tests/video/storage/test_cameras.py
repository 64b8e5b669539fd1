"""The camera registry over the API, on both back-ends."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.world import add_user, build_world
from vigil.governance.access import Role
from vigil.governance.models import AuditEntry
from vigil.video.models import Camera

pytestmark = pytest.mark.storage

STREAM = "rtsp://viewer:s3cret@10.0.0.7:554/stream1"
GATE = {
    "code": "gate_1",
    "name": "Water works gate",
    "latitude": 31.2304,
    "longitude": 121.4737,
    "height_m": 6.0,
    "heading_deg": 90.0,
    "fov_deg": 90.0,
    "range_m": 60.0,
    "area_class": "urban_rural_fringe",
    "owner_kind": "agency",
    "owner_name": "Agency A",
    "legal_basis": "Public security video regulation, art. 7",
    "stream_url": STREAM,
    "privacy_masks": [[[0.0, 0.0], [0.3, 0.0], [0.3, 0.2]]],
}

CSV = (
    "code,name,latitude,longitude,height_m,heading_deg,fov_deg,range_m,area_class,"
    "owner_kind,owner_name,agreement_reference,legal_basis,stream_url,privacy_masks\n"
    "sq_1,Square north,31.2323,121.4720,8,180,100,80,public_area,agency,Agency A,,"
    "PSVR art. 7,rtsp://10.0.0.8/live,\n"
    "shop_1,Shop door,31.2330,121.4730,3,0,90,30,public_area,business,Hotel X,AGR-17,"
    'PSVR art. 9,,"[[[0.5,0.5],[0.9,0.5],[0.9,0.9]]]"\n'
)


def test_register_list_and_never_show_the_stream_url(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/video/cameras", json=GATE, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    camera = r.json()
    assert camera["has_stream_url"] is True and "stream_url" not in camera
    assert camera["privacy_masks"] == [[[0.0, 0.0], [0.3, 0.0], [0.3, 0.2]]]
    listed = w.client.get("/v1/video/cameras", headers=w.auth("officer"))
    assert [c["code"] for c in listed.json()] == ["gate_1"]
    assert STREAM not in listed.text and "s3cret" not in listed.text
    assert w.client.get("/v1/video/cameras", headers=w.auth("analyst_b")).json() == []
    with runtime.unit_of_work() as session:
        stored = session.scalars(select(Camera)).one()
        assert stored.stream_url_ciphertext and "s3cret" not in stored.stream_url_ciphertext
        assert runtime.vault.reveal(stored.stream_url_ciphertext) == STREAM


def test_only_an_admin_with_a_reason_sees_the_stream_url_audited(runtime) -> None:
    w = build_world(runtime)
    camera_id = w.client.post("/v1/video/cameras", json=GATE, headers=w.auth("supervisor")).json()[
        "id"
    ]
    url = f"/v1/video/cameras/{camera_id}/stream-url"
    reason = {"reason": "re-pointing the NVR after the network change"}
    for who in ("analyst", "supervisor", "auditor"):
        assert w.client.post(url, json=reason, headers=w.auth(who)).status_code == 403
    short = w.client.post(url, json={"reason": "x"}, headers=w.auth("admin"))
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "reason"
    r = w.client.post(url, json=reason, headers=w.auth("admin"))
    assert r.status_code == 200, r.text
    assert r.json()["stream_url"] == STREAM
    with runtime.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "video_camera_stream")
        ).all()
        assert [(e.action, e.outcome) for e in entries] == [("consult", "ok")]
        assert entries[0].detail["reason"] == reason["reason"]
        refused = session.scalars(
            select(AuditEntry).where(
                AuditEntry.outcome == "refused", AuditEntry.object_id == f"POST {url}"
            )
        ).all()
        assert len(refused) == 3


BAD_CAMERAS = [
    ({"fov_deg": 0}, "fov_deg"),
    ({"heading_deg": 360}, "heading_deg"),
    ({"area_class": "downtown"}, "area_class"),
    ({"stream_url": "ftp://x/y"}, "stream_url"),
    ({"privacy_masks": [[[0, 0], [2, 0], [1, 1]]]}, "privacy_masks"),
    ({"code": "has space"}, "code"),
]


def test_bad_cameras_get_field_level_errors(runtime) -> None:
    w = build_world(runtime)
    for change, field in BAD_CAMERAS:
        r = w.client.post(
            "/v1/video/cameras", json={**GATE, **change}, headers=w.auth("supervisor")
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
    assert w.client.get("/v1/video/cameras", headers=w.auth("analyst")).json() == []


def test_business_camera_needs_its_agreement(runtime) -> None:
    w = build_world(runtime)
    body = {**GATE, "owner_kind": "business", "owner_name": "Hotel X"}
    r = w.client.post("/v1/video/cameras", json=body, headers=w.auth("supervisor"))
    assert r.status_code == 422 and "agreement_reference" in r.text


def test_roles_without_analysis_rights_are_refused(runtime) -> None:
    w = build_world(runtime)
    for who in ("auditor", "hotel_key"):
        r = w.client.post("/v1/video/cameras", json=GATE, headers=w.auth(who))
        assert r.status_code == 403, who
        assert w.client.get("/v1/video/cameras", headers=w.auth(who)).status_code == 403


def test_csv_import_all_or_nothing(runtime) -> None:
    w = build_world(runtime)
    files = {"file": ("cameras.csv", CSV.encode(), "text/csv")}
    r = w.client.post("/v1/video/cameras/import", files=files, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    assert r.json() == {"created": 2, "codes": ["sq_1", "shop_1"]}
    cameras = w.client.get("/v1/video/cameras", headers=w.auth("analyst")).json()
    assert cameras[1]["agreement_reference"] == "AGR-17" and cameras[1]["has_stream_url"] is False
    # a second file with one bad row and one good row: nothing of it is stored
    bad = CSV.replace("sq_1", "sq_2").replace("shop_1", "shop_2").replace(",180,", ",400,")
    files = {"file": ("more.csv", bad.encode(), "text/csv")}
    r = w.client.post("/v1/video/cameras/import", files=files, headers=w.auth("supervisor"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["row 1.heading_deg"]
    # a code already taken
    files = {"file": ("again.csv", CSV.encode(), "text/csv")}
    r = w.client.post("/v1/video/cameras/import", files=files, headers=w.auth("supervisor"))
    assert r.status_code == 422 and "exists already" in r.text
    assert len(w.client.get("/v1/video/cameras", headers=w.auth("analyst")).json()) == 2


def test_onvif_device_information_import(runtime) -> None:
    w = build_world(runtime)
    device = {
        "code": "pump_cam",
        "name": "Pumping station",
        "DeviceInformation": {
            "Manufacturer": "Acme",
            "Model": "IPC-9",
            "FirmwareVersion": "2.1",
            "SerialNumber": "SN123",
            "HardwareId": "hw1",
        },
        "GeoLocation": {"lat": 31.30, "lon": 121.60, "elevation": 9.5},
        "GeoOrientation": {"yaw": -90.0},
        "MediaUri": {"Uri": "rtsp://10.0.0.9/onvif1"},
        "fov_deg": 70,
        "range_m": 90,
        "area_class": "rural",
        "owner_kind": "agency",
        "owner_name": "Agency A",
        "legal_basis": "Critical infrastructure protection order 12",
    }
    files = {"file": ("devices.json", json.dumps([device]).encode(), "application/json")}
    r = w.client.post("/v1/video/cameras/import", files=files, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    (camera,) = w.client.get("/v1/video/cameras", headers=w.auth("analyst")).json()
    assert (camera["manufacturer"], camera["serial_number"]) == ("Acme", "SN123")
    assert (camera["heading_deg"], camera["height_m"]) == (270.0, 9.5)
    assert camera["has_stream_url"] is True
    broken = {**device, "code": "pump_2", "GeoLocation": {"lat": 99, "lon": 121.6}}
    files = {"file": ("devices.json", json.dumps(broken).encode(), "application/json")}
    r = w.client.post("/v1/video/cameras/import", files=files, headers=w.auth("supervisor"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "devices[0].latitude"


def test_rules_per_camera(runtime) -> None:
    w = build_world(runtime)
    camera_id = w.client.post("/v1/video/cameras", json=GATE, headers=w.auth("supervisor")).json()[
        "id"
    ]
    url = f"/v1/video/cameras/{camera_id}/rules"
    rule = {"name": "perimeter", "kind": "intrusion", "zone": "fence", "labels": ["person"]}
    r = w.client.post(url, json=rule, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    assert r.json()["active"] is True and r.json()["labels"] == ["person"]
    bad = w.client.post(url, json={**rule, "kind": "face"}, headers=w.auth("supervisor"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    assert w.client.post(url, json=rule, headers=w.auth("auditor")).status_code == 403
    # another agency neither sees nor adds rules to this camera
    assert w.client.get(url, headers=w.auth("analyst_b")).status_code == 404
    add_user(w, "supervisor_b", Role.SUPERVISOR, "B")
    assert w.client.post(url, json=rule, headers=w.auth("supervisor_b")).status_code == 404
    listed = w.client.get(url, headers=w.auth("officer")).json()
    assert [x["zone"] for x in listed] == ["fence"]


def test_status_and_coverage_of_active_cameras(runtime) -> None:
    w = build_world(runtime)
    camera_id = w.client.post("/v1/video/cameras", json=GATE, headers=w.auth("supervisor")).json()[
        "id"
    ]
    lat, lon = GATE["latitude"], GATE["longitude"]
    road = {
        "type": "Feature",
        "properties": {"kind": "road"},
        "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon + 0.002, lat]]},
    }
    city = {"type": "FeatureCollection", "features": [road]}
    seen = w.client.post("/v1/video/coverage", json=city, headers=w.auth("analyst"))
    assert seen.status_code == 200, seen.text
    assert seen.json()["total"]["road_share"] > 0.2
    r = w.client.post(
        f"/v1/video/cameras/{camera_id}/status",
        json={"status": "maintenance"},
        headers=w.auth("supervisor"),
    )
    assert r.status_code == 200 and r.json()["status"] == "maintenance"
    unseen = w.client.post("/v1/video/coverage", json=city, headers=w.auth("analyst")).json()
    assert unseen["cameras"] == 0 and unseen["total"]["road_share"] == 0.0
    bad = w.client.post(
        f"/v1/video/cameras/{camera_id}/status",
        json={"status": "gone"},
        headers=w.auth("supervisor"),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    not_a_city = w.client.post("/v1/video/coverage", json={"type": "x"}, headers=w.auth("analyst"))
    assert not_a_city.status_code == 422 and not_a_city.json()["errors"][0]["field"] == "type"
    gaps = w.client.post("/v1/video/gaps?sites=2", json=city, headers=w.auth("analyst"))
    assert gaps.status_code == 200 and gaps.json()["sites"] == []
