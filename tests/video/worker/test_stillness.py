"""People who stop still stay found (stillness.StillKeeper), on pixels: a figure walks into a
zone and stands there long after the background model has learnt it, then walks off."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np

from tests.video.worker.support import Collect, _one_thread  # noqa: F401
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.detectors import Detection, MotionBlobDetector
from vigil.video.worker.motion import Motion
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import from_arrays
from vigil.video.worker.stillness import KEEP_ONLY_SCORE, StillKeeper, StillView

WIDTH, HEIGHT = 320, 240
WALK_IN, STAND, WALK_OFF = 40, 200, 40  # frames: in at 3 px a frame, still, off again
SPOT = 200  # x where the figure stands


def _scene() -> tuple[list[np.ndarray], list[int | None]]:
    """Frames of a grey textured ground and a dark 12x36 figure, and its x in each frame."""
    rng = np.random.default_rng(5)
    ground = np.clip(
        130 + cv2.GaussianBlur(rng.normal(0, 14, (HEIGHT, WIDTH)).astype(np.float32), (0, 0), 2),
        0,
        255,
    ).astype(np.uint8)
    background = cv2.merge([ground, ground, ground])
    xs: list[int | None] = [None] * 30  # an empty scene to learn first
    xs += [SPOT - 3 * (WALK_IN - k) for k in range(WALK_IN)]
    xs += [SPOT] * STAND
    xs += [SPOT + 3 * k for k in range(1, WALK_OFF)]
    xs += [None] * 30
    frames = []
    for x in xs:
        frame = background.copy()
        if x is not None:
            cv2.rectangle(frame, (x - 6, 150), (x + 6, 186), (40, 30, 20), -1)
        frames.append(frame)
    return frames, xs


def _config() -> WorkerConfig:
    return WorkerConfig.model_validate(
        {
            "camera": "cam-still",
            "fps": 10,
            "start_at": "2026-06-01T12:00:00+00:00",
            "zones": [
                {"name": "yard", "polygon": [[170, 100], [260, 100], [260, 230], [170, 230]]}
            ],
            "rules": [
                {"name": "fence", "kind": "intrusion", "zone": "yard"},
                {"name": "loiter", "kind": "loitering", "zone": "yard", "dwell_s": 12},
            ],
            "motion_scale": 0.5,
            "min_motion_area": 10,
        }
    )


def _run():
    frames, xs = _scene()
    sink = Collect()
    worker = Worker(_config(), sink, detector=MotionBlobDetector(), keep_tracks=True)
    stats = worker.run(lambda start: from_arrays(frames, start))
    return frames, xs, sink.events, stats.tracks, worker


def test_a_person_who_stops_still_keeps_one_track_one_intrusion_and_loiters_once() -> None:
    frames, xs, events, tracks, worker = _run()
    standing = [i for i, x in enumerate(xs) if x == SPOT]
    # the background model alone has learnt the figure long before it walks off ...
    last = standing[-1]
    assert worker.motion(last, frames[last]).regions == []
    # ... yet one track holds it all the while it stands
    ids = Counter(
        t.id for i in standing for t in tracks[i] if abs((t.box[0] + t.box[2]) / 2 - SPOT) < 12
    )
    assert ids, "the figure was never tracked while it stood"
    frames_held = ids.most_common(1)[0][1]
    assert frames_held >= 0.95 * len(standing), ids
    assert len([e for e in events if e.kind == "intrusion"]) == 1
    assert len([e for e in events if e.kind == "loitering"]) == 1


def test_the_spot_a_person_walks_off_from_holds_no_one() -> None:
    _, xs, events, tracks, _ = _run()
    gone = [i for i, x in enumerate(xs) if x is None and i > 100]
    # a second after it left the scene, nobody is seen where it stood (no ghost)
    ghosts = [t for i in gone[10:] for t in tracks[i] if abs((t.box[0] + t.box[2]) / 2 - SPOT) < 30]
    assert ghosts == []
    assert len([e for e in events if e.kind == "intrusion"]) == 1


def test_a_detection_made_of_still_pixels_only_continues_a_track() -> None:
    mask = np.zeros((60, 80), np.uint8)
    still = np.zeros_like(mask)
    still[10:40, 10:20] = 255  # a figure that only differs from the reference
    mask[10:40, 50:60] = 255  # a figure that moves
    view = StillView(Motion(mask | still, mask | still, [], 1.0, None), still)
    graded = StillKeeper(10).grade(
        [Detection((10, 10, 20, 40), 0.9, "person"), Detection((50, 10, 60, 40), 0.9, "person")],
        view,
    )
    assert [d.score for d in graded] == [KEEP_ONLY_SCORE, 0.9]
