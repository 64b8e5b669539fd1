"""Privacy by design: masked regions never reach the detector; snapshots on disk have people
blurred."""

from __future__ import annotations

import json
import os
from pathlib import Path

import cv2
import numpy as np

from vigil.video.worker.detectors import HogPeopleDetector, MotionBlobDetector
from vigil.video.worker.geometry import fill_mask
from vigil.video.worker.privacy import purge_snapshots
from vigil.video.worker.runner import Worker
from vigil.video.worker.sinks import JsonlSink
from vigil.video.worker.source import from_arrays
from vigil.video.worker.synth import render


class Recording:
    """Wraps a real detector and keeps what it was shown and what it found."""

    def __init__(self, inner):
        self.inner = inner
        self.frames: list[np.ndarray] = []
        self.found = 0

    def detect(self, frame, motion, regions):
        self.frames.append(frame.copy())
        found = self.inner.detect(frame, motion, regions)
        self.found += len(found)
        return found


def _everything_moving_is_inside(clip) -> list[list[tuple[float, float]]]:
    """One band that holds every figure of the clip, in every frame, with a margin."""
    boxes = [box.box for frame in clip.truth for box in frame]
    top = min(b[1] for b in boxes) - 12
    bottom = max(b[3] for b in boxes) + 12
    width = clip.frames[0].shape[1]
    return [[(-1, top), (width + 1, top), (width + 1, bottom), (-1, bottom)]]


def test_a_figure_only_inside_the_mask_is_never_detected() -> None:
    clip = render(
        "street",
        width=1280,
        height=720,
        frames=70,
        seed=4,
        walkers=3,
        vehicles=0,
        lighting=False,
        shake=False,
    )
    # the control: unmasked, HOG finds the figures
    control = Recording(HogPeopleDetector())
    Worker(clip.config, None, detector=control).run(lambda start: from_arrays(clip.frames, start))
    assert control.found > 0
    masks = _everything_moving_is_inside(clip)
    config = clip.config.model_copy(update={"privacy_masks": masks})
    for inner in (HogPeopleDetector(), MotionBlobDetector()):
        masked = Recording(inner)
        stats = Worker(config, None, detector=masked, keep_tracks=True).run(
            lambda start: from_arrays(clip.frames, start)
        )
        assert masked.found == 0
        assert all(tracks == [] for tracks in stats.tracks)
        inside = fill_mask(clip.frames[0].shape[:2], masks) > 0
        assert all(not frame[inside].any() for frame in masked.frames)  # black, before analysis


def _sharpness(image: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


def test_stored_snapshots_have_the_people_blurred(tmp_path: Path) -> None:
    clip = render("street", frames=260, seed=1, lighting=False, shake=False)
    sink = JsonlSink(tmp_path / "events.jsonl")
    Worker(clip.config, sink, detector=MotionBlobDetector(), snapshot_dir=tmp_path / "snaps").run(
        lambda start: from_arrays(clip.frames, start)
    )
    sink.close()
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    with_snapshots = [e for e in events if e["snapshot"] and e["label"] == "person"]
    assert with_snapshots, "the clip should give person events with snapshots"
    checked = 0
    for event in with_snapshots:
        frame_index = int(event["source_event_id"].rsplit(":", 1)[1])
        stored = cv2.imread(str(tmp_path / "snaps" / event["snapshot"]))
        original = clip.frames[frame_index]
        assert stored is not None and stored.shape == original.shape
        for truth in clip.truth[frame_index]:
            if truth.label != "person":
                continue
            x1, y1, x2, y2 = (round(v) for v in truth.box)
            if (x2 - x1) * (y2 - y1) < 300:
                continue
            sharp, kept = _sharpness(original[y1:y2, x1:x2]), _sharpness(stored[y1:y2, x1:x2])
            if sharp < 50:  # hidden behind the pillar: nothing of the person shows
                continue
            assert kept < 0.25 * sharp, (event["source_event_id"], truth.id, kept, sharp)
            checked += 1
    assert checked > 0
    # away from the people the snapshot is the scene itself (JPEG aside)
    corner = (slice(0, 40), slice(0, 40))
    assert np.abs(stored[corner].astype(int) - original[corner].astype(int)).mean() < 6


def test_snapshots_past_their_retention_are_purged(tmp_path: Path) -> None:
    old, new = tmp_path / "cam" / "old.jpg", tmp_path / "cam" / "new.jpg"
    old.parent.mkdir()
    for path, age in ((old, 40 * 86400), (new, 86400)):
        path.write_bytes(b"jpeg")
        stamp = 1_800_000_000 - age
        os.utime(path, (stamp, stamp))
    assert purge_snapshots(tmp_path, 30 * 86400, now=1_800_000_000) == 1
    assert not old.exists() and new.exists()
