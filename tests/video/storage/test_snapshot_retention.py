"""Retention of video events takes their blurred snapshot files with them, and only once the
deletion commits."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from structlog.testing import capture_logs

from tests.video.storage.test_events import _camera
from tests.world import build_world
from vigil.core.runtime import Runtime
from vigil.flows.video_events import ingest_video_events
from vigil.governance.access import system_context
from vigil.governance.retention import apply_retention
from vigil.video import service
from vigil.video.models import VideoEvent
from vigil.video.schemas import VideoEventIn

pytestmark = pytest.mark.storage
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def _event(source_event_id: str, started_at: str, snapshot: str | None) -> VideoEventIn:
    return VideoEventIn.model_validate(
        {
            "source": "webhook",
            "camera": "gate",
            "source_event_id": source_event_id,
            "kind": "intrusion",
            "zone": "perimeter",
            "label": "person",
            "started_at": started_at,
            "snapshot": snapshot,
        }
    )


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "snapshots"
    for name in ("gate/old.jpg", "gate/new.jpg", "gate/unreferenced.jpg"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"\xff\xd8 blurred jpeg")
    (tmp_path / "outside.jpg").write_bytes(b"not in the store")
    # the process's environment names another folder: the runtime's settings are the ones
    # the API serves snapshots from (the demo sets only those), so retention follows them
    monkeypatch.setenv("VIGIL_VIDEO_SNAPSHOT_DIR", str(tmp_path / "not-the-store"))
    return root


@pytest.fixture
def runtime(runtime: Runtime, store: Path) -> Runtime:
    """The suite's runtime, keeping its snapshots in `store`."""
    settings = runtime.settings.model_copy(update={"video_snapshot_dir": store})
    return Runtime.create(settings, engine=runtime.engine)


def _purge(runtime: Runtime) -> list[tuple[str, int]]:
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session,
            system_context(),
            service.RETENTION_RULES,
            runtime.settings.retention_days,
            NOW,
        )
        return [(r.record_type, r.affected) for r in results]


def test_retention_deletes_an_expired_events_snapshot_file(runtime: Runtime, store: Path) -> None:
    _camera(runtime, "gate", org=build_world(runtime).org_ids["A"])
    with runtime.unit_of_work() as session:
        ingest_video_events(
            session,
            system_context(),
            [
                _event("old", "2020-01-01T00:00:00+00:00", "gate/old.jpg"),
                _event("new", "2026-12-01T00:00:00+00:00", "gate/new.jpg"),
            ],
        )
    assert _purge(runtime) == [("video_event", 1)]
    with runtime.unit_of_work() as session:
        assert session.scalars(select(VideoEvent.source_event_id)).all() == ["new"]
    assert not (store / "gate" / "old.jpg").exists()
    assert (store / "gate" / "new.jpg").exists()  # its event is within the period
    assert (store / "gate" / "unreferenced.jpg").exists()  # no event of ours names it
    # a name that would leave the store is never followed (the schema refuses it anyway)
    assert service.remove_snapshots(store, ["gate/../../outside.jpg", "gate/new.jpg"]) == 1
    assert (store.parent / "outside.jpg").exists()


def test_a_rolled_back_purge_keeps_the_files(runtime: Runtime, store: Path) -> None:
    _camera(runtime, "gate", org=build_world(runtime).org_ids["A"])
    with runtime.unit_of_work() as session:
        ingest_video_events(
            session, system_context(), [_event("old", "2020-01-01T00:00:00+00:00", "gate/old.jpg")]
        )
    with pytest.raises(RuntimeError), runtime.unit_of_work() as session:
        apply_retention(
            session, system_context(), service.RETENTION_RULES, runtime.settings.retention_days, NOW
        )
        raise RuntimeError("the unit of work fails after the purge")
    assert (store / "gate" / "old.jpg").exists()
    with runtime.unit_of_work() as session:
        assert session.scalars(select(VideoEvent.source_event_id)).all() == ["old"]


def test_a_purge_with_no_snapshot_folder_says_the_files_are_left(
    runtime: Runtime, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIGIL_VIDEO_SNAPSHOT_DIR")
    bare = Runtime.create(
        runtime.settings.model_copy(update={"video_snapshot_dir": None}), engine=runtime.engine
    )
    _camera(bare, "gate", org=build_world(bare).org_ids["A"])
    with bare.unit_of_work() as session:
        ingest_video_events(
            session, system_context(), [_event("old", "2020-01-01T00:00:00+00:00", "gate/old.jpg")]
        )
    with capture_logs() as logs:
        assert _purge(bare) == [("video_event", 1)]
    warned = [entry for entry in logs if entry["log_level"] == "warning"]
    assert len(warned) == 1 and warned[0]["files"] == 1
    assert "VIGIL_VIDEO_SNAPSHOT_DIR" in warned[0]["event"]
    assert (store / "gate" / "old.jpg").exists()  # nothing said where it is: it stays
