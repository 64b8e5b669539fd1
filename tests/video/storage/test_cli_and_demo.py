"""`vigil video ...` against a real database, and the demo step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.world import build_world
from vigil.alerts.models import Alert
from vigil.cli import app
from vigil.core.runtime import Runtime
from vigil.core.settings import get_settings
from vigil.governance.models import AuditEntry
from vigil.video.models import Camera, VideoEvent

pytestmark = pytest.mark.storage

CSV = (
    "code,name,latitude,longitude,height_m,heading_deg,fov_deg,range_m,area_class,"
    "owner_kind,owner_name,legal_basis\n"
    "sq_1,Square,31.2304,121.4737,8,90,90,100,public_area,agency,Agency A,PSVR art. 7\n"
    "farm_1,Farm gate,31.2400,121.4737,4,0,60,50,rural,agency,Agency A,CIP order 3\n"
)


@pytest.fixture
def cli_env(
    runtime: Runtime, test_keys: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Runtime:
    monkeypatch.setenv("VIGIL_DATABASE_URL", runtime.settings.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", test_keys[name])
    get_settings.cache_clear()
    build_world(runtime)
    return runtime


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, ["video", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cameras_import_list_coverage_and_events(cli_env: Runtime, tmp_path: Path) -> None:
    cameras = tmp_path / "cameras.csv"
    cameras.write_text(CSV)
    # an officer reads cameras but does not register them: refused, nothing stored
    refused = CliRunner().invoke(
        app, ["video", "cameras", "import", str(cameras), "--as", "officer"]
    )
    assert refused.exit_code == 2 and "may read cameras but not change them" in refused.output
    assert "sq_1" not in _invoke("cameras", "list", "--org", "Agency A")
    assert "2 cameras imported: sq_1, farm_1" in _invoke(
        "cameras", "import", str(cameras), "--as", "supervisor"
    )
    assert "farm_1" in _invoke("cameras", "list", "--org", "Agency A")
    with cli_env.unit_of_work() as session:
        actors = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.object_type == "video_camera")
        ).all()
    assert actors == ["user:supervisor", "user:supervisor"]
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("sq_1", "sq_2").replace("farm_1", "farm_2").replace("rural", "moon"))
    result = CliRunner().invoke(app, ["video", "cameras", "import", str(bad), "--as", "admin"])
    assert result.exit_code == 2 and "row 2.area_class" in result.output

    # a road east from the square camera: 100 m of its 400 m in view
    lat, lon = 31.2304, 121.4737
    metres = 111_320.0 * 0.85587  # a degree of longitude at this latitude, roughly
    road = {
        "type": "Feature",
        "properties": {"kind": "road"},
        "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon + 400 / metres, lat]]},
    }
    city = tmp_path / "city.geojson"
    city.write_text(json.dumps({"type": "FeatureCollection", "features": [road]}))
    report = json.loads(_invoke("coverage", "--city", str(city), "--org", "Agency A", "--json"))
    assert report["cameras"] == 2
    assert report["total"]["road_share"] == pytest.approx(0.25, rel=0.01)

    events = tmp_path / "events.jsonl"
    line = {
        "source": "vigil-worker",
        "source_event_id": "sq_1:crowd:w17:4500",
        "camera": "sq_1",
        "kind": "crowd_density",
        "zone": "plaza",
        "value": 1.8,
        "started_at": "2026-03-01T10:00:00+08:00",
    }
    events.write_text(json.dumps(line) + "\n" + json.dumps({**line, "source_event_id": "b"}) + "\n")
    assert "2 events: 2 stored" in _invoke("import-events", str(events))
    assert "2 events: 0 stored, 2 known" in _invoke("import-events", str(events))
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({**line, "source_event_id": "c"}) + "\n" + "{]\n")
    result = CliRunner().invoke(app, ["video", "import-events", str(broken)])
    assert result.exit_code == 2 and "line 2" in result.output
    with cli_env.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(VideoEvent)) == 2
        assert session.scalar(select(func.count()).select_from(Camera)) == 2


def test_the_demo_step(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.demo import video_demo

    store = tmp_path / "snapshots"
    monkeypatch.setattr(runtime.settings, "video_snapshot_dir", store)
    from vigil.demo.scenario import seed_city

    lines = video_demo.run(runtime, seed_city(runtime))
    assert lines[0].startswith("7 cameras registered: 4 public_area, 1 rural, 2 urban_rural_fringe")
    assert any(line.startswith("coverage rural") for line in lines)
    assert "evening crowd counts at two station forecourts: 28 video events" in lines[-3]
    assert lines[-2].endswith("delivered 2 times: 1 video event, 1 alert, 1 duplicate")
    assert lines[-1].startswith("console: pub-1's zones, lines and rules stored for the worker")
    assert "3 events to review with blurred snapshots" in lines[-1]
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
        pub = session.scalar(select(Camera).where(Camera.code == "pub-1"))
        assert pub is not None and pub.analytics_config is not None
        shots = session.scalars(select(VideoEvent.snapshot).where(VideoEvent.snapshot.is_not(None)))
        names = list(shots)
    assert len(names) == 3 and all((store / name).is_file() for name in names)


def test_listen_takes_a_frigate_event_from_the_broker(cli_env: Runtime, tmp_path: Path) -> None:
    """`vigil video listen` against the real broker: a retained Frigate message on a topic
    of this test's own is delivered on subscription, stored, and alerts by the rule."""
    import secrets

    import paho.mqtt.publish as publish

    from vigil.governance import service as governance
    from vigil.governance.access import system_context
    from vigil.video import service
    from vigil.video.schemas import RuleIn

    cameras = tmp_path / "cameras.csv"
    cameras.write_text(CSV)
    _invoke("cameras", "import", str(cameras), "--as", "supervisor")
    with cli_env.unit_of_work() as session:
        ctx = service.agency_context(session, "Agency A")
        farm = session.scalars(select(Camera).where(Camera.code == "farm_1")).one()
        service.add_rule(session, ctx, farm.id, RuleIn(name="farm gate", kind="intrusion"))
        key = governance.create_api_key(session, system_context(), ctx.organisation_id).secret
    topic = f"vigil-test-{secrets.token_hex(4)}/events"
    after = {
        "id": "1764931111.5-abc",
        "camera": "farm_1",
        "label": "car",
        "start_time": 1764931111.5,
        "entered_zones": [],
    }
    message = json.dumps({"type": "new", "before": after, "after": after})
    publish.single(topic, message, qos=1, retain=True, hostname="127.0.0.1", port=1883)
    try:
        out = _invoke(
            "listen",
            "--api-key",
            key,
            "--mqtt",
            "127.0.0.1:1883",
            "--topic",
            topic,
            "--client-id",
            f"vigil-test-{secrets.token_hex(4)}",
            "--max-messages",
            "1",
            "--idle-timeout",
            "30",
        )
    finally:
        publish.single(topic, b"", qos=1, retain=True, hostname="127.0.0.1", port=1883)
    assert "1 messages: 1 events stored, 0 known, 1 alerts, 0 rejected, 0 refused" in out
    assert "for Agency A's" in out
    with cli_env.unit_of_work() as session:
        event = session.scalars(select(VideoEvent)).one()
        assert (event.camera_id, event.label, event.zone) == (farm.id, "vehicle", None)


def test_the_worker_takes_the_consoles_configuration_from_the_database(
    cli_env: Runtime, tmp_path: Path
) -> None:
    """What the console stores for a camera is what `export-config` writes and what `watch
    --camera` runs with: zones, lines and rules in pixels, and the camera's masks."""
    from vigil.video import service
    from vigil.video.schemas import AnalyticsConfigIn, CameraIn
    from vigil.video.worker.config import load_config
    from vigil.video.worker.source import write_clip
    from vigil.video.worker.synth import render

    clip = render("street", frames=40, seed=3, width=160, height=90)
    with cli_env.unit_of_work() as session:
        ctx = service.agency_context(session, "Agency A")
        camera = CameraIn.model_validate(
            {
                "code": clip.config.camera, "name": "Street", "latitude": 31.23,
                "longitude": 121.47, "height_m": 6, "heading_deg": 0, "fov_deg": 90,
                "range_m": 60, "area_class": "public_area", "owner_kind": "agency",
                "owner_name": "Agency A", "legal_basis": "PSVR art. 7",
                "privacy_masks": [[[0.0, 0.0], [0.5, 0.0], [0.5, 0.1]]],
            }
        )  # fmt: skip
        (row,) = service.register_cameras(session, ctx, cli_env.vault, [camera])
        drawn = clip.config.model_dump(mode="json", exclude={"camera", "privacy_masks"})
        service.save_analytics_config(
            session, ctx, row.id, AnalyticsConfigIn(frame_width=160, frame_height=90, config=drawn)
        )
    exported = tmp_path / "worker.json"
    _invoke("export-config", clip.config.camera, "--org", "Agency A", "--out", str(exported))
    config = load_config(exported)
    assert config.zones == clip.config.zones and config.rules == clip.config.rules
    assert config.privacy_masks == [[(0.0, 0.0), (80.0, 0.0), (80.0, 9.0)]]

    video = tmp_path / "clip.mkv"
    write_clip(video, clip.frames, clip.config.fps)
    events = tmp_path / "events.jsonl"
    out = _invoke(
        "watch", str(video), "--camera", clip.config.camera, "--org", "Agency A",
        "--events", str(events),
    )  # fmt: skip
    assert "frames 40" in out
    refused = CliRunner().invoke(app, ["video", "watch", str(video), "--events", str(events)])
    assert refused.exit_code != 0 and "--config or --camera" in refused.output
