"""The rules over hand-made tracks, with results worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import cv2
import numpy as np
import pytest

from vigil.video.worker.analytics import Analytics, FrameContext, crowd_count
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.geometry import homography
from vigil.video.worker.motion import Motion
from vigil.video.worker.tracking import Track

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # a Monday


def _config(**rules) -> WorkerConfig:
    return WorkerConfig.model_validate(
        {
            "camera": "cam-1",
            "fps": 10,
            "start_at": START.isoformat(),
            "zones": [
                {"name": "yard", "polygon": [[100, 100], [200, 100], [200, 200], [100, 200]]}
            ],
            "lines": [{"name": "gate", "a": [300, 0], "b": [300, 200]}],
            "rules": rules.get("rules", []),
        }
    )


def _run(config: WorkerConfig, frames: list[list[Track]]):
    analytics = Analytics(config, (400, 600), 1.0)
    events = []
    for index, tracks in enumerate(frames):
        at = config.start_at + timedelta(seconds=index / config.fps)  # type: ignore[operator]
        events += [e.event for e in analytics.step(FrameContext(index, at, tracks, None))]
    return events, analytics


def _walker(track_id: int, xs: list[float], y: float = 150.0, label: str = "person") -> list[Track]:
    return [Track(track_id, label, (x - 10, y - 60, x + 10, y)) for x in xs]


def test_line_crossing_counts_each_direction_once() -> None:
    config = _config(rules=[{"name": "count", "kind": "line_crossing", "zone": "gate"}])
    # a→b points down the image: its right-hand side is x < 300, its left-hand side x > 300
    rightwards = _walker(1, [250 + 10 * i for i in range(11)])  # right-hand → left-hand: in
    leftwards = _walker(2, [350 - 10 * i for i in range(11)])  # out
    frames = [[a, b] for a, b in zip(rightwards, leftwards, strict=True)]
    events, _ = _run(config, frames)
    crossings = [e for e in events if e.kind == "line_crossing"]
    assert sorted(e.direction for e in crossings) == ["in", "out"]
    assert (
        next(e for e in crossings if e.source_event_id.startswith("cam-1:count:1:")).direction
        == "in"
    )
    assert (
        next(e for e in crossings if e.source_event_id.startswith("cam-1:count:2:")).direction
        == "out"
    )
    assert all(e.value == 1.0 for e in crossings)


def test_line_crossing_beyond_the_segment_is_not_counted() -> None:
    config = _config(rules=[{"name": "count", "kind": "line_crossing", "zone": "gate"}])
    frames = [[t] for t in _walker(1, [250 + 10 * i for i in range(11)], y=300.0)]  # below b
    events, _ = _run(config, frames)
    assert [e for e in events if e.kind == "line_crossing"] == []


def test_a_track_hovering_on_the_line_counts_nothing() -> None:
    config = _config(rules=[{"name": "count", "kind": "line_crossing", "zone": "gate"}])
    frames = [[t] for t in _walker(1, [299.5, 300.5] * 10)]
    events, _ = _run(config, frames)
    assert events == [] or all(e.kind != "line_crossing" for e in events)


def test_intrusion_fires_once_per_track_and_only_for_its_labels() -> None:
    config = _config(
        rules=[{"name": "fence", "kind": "intrusion", "zone": "yard", "labels": ["person"]}]
    )
    person = _walker(1, [50 + 10 * i for i in range(12)])  # enters the yard at x = 100
    car = _walker(2, [50 + 10 * i for i in range(12)], label="vehicle")
    events, _ = _run(config, [[a, b] for a, b in zip(person, car, strict=True)])
    intrusions = [e for e in events if e.kind == "intrusion"]
    # confirmed after 0.5 s inside (frame 10), dated from the entry (frame 5)
    assert [e.source_event_id for e in intrusions] == ["cam-1:fence:1:10"]
    assert intrusions[0].started_at == START + timedelta(seconds=0.5)


def test_an_intrusion_needs_the_foot_inside_for_the_confirmation_time() -> None:
    config = _config(rules=[{"name": "fence", "kind": "intrusion", "zone": "yard"}])
    # a foot that dips into the yard for 0.3 s and leaves is not an intrusion
    dips = _walker(1, [90.0, 95.0, 100.0, 105.0, 110.0, 95.0, 90.0, 85.0, 80.0])
    events, _ = _run(config, [[t] for t in dips])
    assert [e for e in events if e.kind == "intrusion"] == []


def test_a_track_that_continues_a_lost_one_in_the_zone_is_not_a_new_intrusion() -> None:
    config = _config(rules=[{"name": "fence", "kind": "intrusion", "zone": "yard"}])
    first = _walker(1, [80 + 5 * i for i in range(12)])  # in at x = 100, seen until x = 135
    second = _walker(2, [145 + 5 * i for i in range(12)])  # the tracker's new id after a gap
    frames = [[t] for t in first] + [[]] * 3 + [[t] for t in second]
    events, _ = _run(config, frames)
    assert len([e for e in events if e.kind == "intrusion"]) == 1


def test_loitering_needs_the_full_dwell() -> None:
    config = _config(rules=[{"name": "loiter", "kind": "loitering", "zone": "yard", "dwell_s": 5}])
    stays = _walker(1, [150.0] * 60)  # 6 s in the yard at 10 fps
    passes = _walker(2, [150.0] * 30)  # 3 s
    frames = [[stays[i]] + ([passes[i]] if i < 30 else []) for i in range(60)]
    events, _ = _run(config, frames)
    loiter = [e for e in events if e.kind == "loitering"]
    assert len(loiter) == 1 and loiter[0].source_event_id == "cam-1:loiter:1:50"
    assert loiter[0].value == pytest.approx(5.0)
    assert (loiter[0].ended_at - loiter[0].started_at).total_seconds() == pytest.approx(5.0)


def test_a_rule_outside_its_schedule_stays_silent() -> None:
    night = {"days": [0], "start": "22:00", "end": "06:00", "timezone": "Europe/Berlin"}
    config = _config(
        rules=[{"name": "fence", "kind": "intrusion", "zone": "yard", "schedule": night}]
    )
    events, _ = _run(config, [[t] for t in _walker(1, [50 + 10 * i for i in range(12)])])
    assert [e for e in events if e.kind == "intrusion"] == []  # 14:00 in Berlin on a Monday


def test_zone_counts_close_each_quarter_hour() -> None:
    config = _config().model_copy(update={"count_interval_s": 1.0})  # 10 frames a bucket
    a = _walker(1, [150.0] * 15)
    b = _walker(2, [150.0] * 5)
    frames = [[a[i]] + ([b[i]] if i < 5 else []) for i in range(15)]
    analytics = Analytics(config, (400, 600), 1.0)
    events = []
    for index, tracks in enumerate(frames):
        at = START + timedelta(seconds=index / 10)
        events += [e.event for e in analytics.step(FrameContext(index, at, tracks, None))]
    events += [
        e.event
        for e in analytics.finish(FrameContext(14, START + timedelta(seconds=1.4), [], None))
    ]
    counts = [(e.zone, e.label, e.value, e.started_at) for e in events if e.kind == "zone_count"]
    assert counts == [
        ("yard", "person", 2.0, START),
        ("yard", "person", 1.0, START + timedelta(seconds=1)),
    ]


def test_crowd_count_weighs_each_blob_by_its_ground_area() -> None:
    # a 1 px = 1 cm² ground plane: 100x100 px is one square metre
    calibration = {
        "image_points": [[0, 0], [100, 0], [100, 100], [0, 100]],
        "world_points": [[0, 0], [1, 0], [1, 1], [0, 1]],
    }
    config = WorkerConfig.model_validate({"camera": "c", "calibration": calibration})
    to_world = homography(config.calibration)  # type: ignore[arg-type]
    mask = np.zeros((300, 300), np.uint8)
    # each blob's outline pixels are half the figure's: 21x21 pixels hold a 20x20 figure
    mask[10:31, 10:31] = 255  # 0.04 m²: one person of footprint 0.04
    mask[100:121, 100:161] = 255  # 0.12 m²: three people merged into one blob
    zone = np.full((300, 300), 255, np.uint8)
    motion = Motion(mask, mask, [], 1.0)
    assert crowd_count(motion, zone, to_world, 0.04) == pytest.approx(4.0, rel=0.02)
    zone[:, 50:] = 0
    assert crowd_count(motion, zone, to_world, 0.04) == pytest.approx(1.0, rel=0.02)


def test_crowd_count_takes_half_of_a_figures_outline() -> None:
    # figures drawn with smooth edges, as a camera sees them; the motion mask takes in every
    # pixel a figure covers by a tenth or more (a figure far from the background's colour)
    calibration = {
        "image_points": [[0, 0], [100, 0], [100, 100], [0, 100]],
        "world_points": [[0, 0], [1, 0], [1, 1], [0, 1]],
    }
    config = WorkerConfig.model_validate({"camera": "c", "calibration": calibration})
    to_world = homography(config.calibration)  # type: ignore[arg-type]
    zone = np.full((200, 200), 255, np.uint8)
    for radius in (6, 10, 16):
        cover = np.zeros((200, 200), np.uint8)
        cv2.circle(cover, (100, 100), radius, 255, -1, cv2.LINE_AA)
        mask = np.where(cover > 25, 255, 0).astype(np.uint8)
        footprint = cover.sum() / 255 / 10_000  # the disc's area (its coverage) in m²
        motion = Motion(mask, mask, [], 1.0)
        assert crowd_count(motion, zone, to_world, footprint) == pytest.approx(1.0, abs=0.05)
