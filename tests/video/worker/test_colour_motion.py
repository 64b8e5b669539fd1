"""Motion sees colour: a figure whose clothes have the grey level of the ground behind it, but
another hue, reaches the motion mask, the full-scale silhouette and the still-person keeper
(a grey model sees nothing of it); a change of lightness is judged as a grey model judges it."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np

from tests.video.worker.support import Collect, _one_thread  # noqa: F401
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.detectors import MotionBlobDetector
from vigil.video.worker.motion import Motion, MotionDetector
from vigil.video.worker.runner import Worker
from vigil.video.worker.silhouette import DIFFERENCE, foreground_difference, silhouette
from vigil.video.worker.source import from_arrays
from vigil.video.worker.stillness import StillKeeper

WIDTH, HEIGHT = 320, 240
RED = (60, 100, 230)  # BGR: a red coat
FIGURE = (slice(150, 186), slice(-6, 6))  # rows, and columns around the figure's x
WALK_IN, STAND, WALK_OFF = 40, 120, 40  # frames: in at 3 px a frame, still, off again
SPOT = 200  # x where the figure stands


def _grey_of(colour: tuple[int, int, int]) -> int:
    return int(cv2.cvtColor(np.uint8([[colour]]), cv2.COLOR_BGR2GRAY)[0, 0])


def _ground(level: int) -> np.ndarray:
    """A grey textured ground around `level` (a few levels of fixed texture)."""
    rng = np.random.default_rng(7)
    texture = cv2.GaussianBlur(rng.normal(0, 8, (HEIGHT, WIDTH)).astype(np.float32), (0, 0), 2)
    ground = np.clip(level + texture, 0, 255).astype(np.uint8)
    return cv2.merge([ground, ground, ground])


def _scene(colour: tuple[int, int, int], ground_level: int) -> tuple[list[np.ndarray], list]:
    """Frames of the ground and a 12x36 figure in `colour` that walks in, stands still and
    walks off; the figure's x in each frame (None when it is not there)."""
    background = _ground(ground_level)
    xs: list[int | None] = [None] * 30  # an empty scene to learn first
    xs += [SPOT - 3 * (WALK_IN - k) for k in range(WALK_IN)]
    xs += [SPOT] * STAND
    xs += [SPOT + 3 * k for k in range(1, WALK_OFF)]
    xs += [None] * 30
    frames = []
    for x in xs:
        frame = background.copy()
        if x is not None:
            cv2.rectangle(frame, (x - 6, 150), (x + 6, 186), colour, -1)
        frames.append(frame)
    return frames, xs


def _motion_over_the_walk(colour, ground_level) -> list[tuple[int, Motion]]:
    """The figure's x and the motion found, in each frame where it walks."""
    frames, xs = _scene(colour, ground_level)
    motion = MotionDetector(scale=0.5, min_area=10)
    seen = [motion(i, frame) for i, frame in enumerate(frames)]
    return [(x, seen[i]) for i, x in enumerate(xs) if x is not None and x != SPOT]


def _covers(region: tuple[int, int, int, int], x: int) -> bool:
    x1, y1, x2, y2 = region
    return x1 <= x <= x2 and y1 <= 168 <= y2


def test_the_figure_has_the_grounds_grey() -> None:
    # the premise: in grey, the figure is the ground (a grey model has nothing to see)
    frames, xs = _scene(RED, _grey_of(RED))
    walking = next(i for i, x in enumerate(xs) if x is not None)
    rows, cols = FIGURE
    x = xs[walking]
    patch = (slice(rows.start, rows.stop), slice(x + cols.start, x + cols.stop))
    grey_then = cv2.cvtColor(frames[walking], cv2.COLOR_BGR2GRAY)[patch].astype(int)
    grey_before = cv2.cvtColor(frames[0], cv2.COLOR_BGR2GRAY)[patch].astype(int)
    assert np.abs(grey_then - grey_before).mean() < 4


def test_a_figure_of_the_grounds_grey_in_another_hue_is_motion() -> None:
    found = [
        any(_covers(r, x) for r in m.regions) for x, m in _motion_over_the_walk(RED, _grey_of(RED))
    ]
    assert sum(found) >= 0.9 * len(found), found


def test_a_lightness_change_is_judged_as_in_grey() -> None:
    # a figure 6 levels lighter than the ground in every channel: under the grey model's
    # threshold (sqrt(24 * 4) levels at its least variance), so not motion in colour either;
    # 20 levels lighter is
    level = 128
    faint = _motion_over_the_walk((level + 6,) * 3, level)
    plain = _motion_over_the_walk((level + 20,) * 3, level)
    assert sum(bool(m.regions) for _, m in faint) == 0
    assert sum(any(_covers(r, x) for r in m.regions) for x, m in plain) >= 0.9 * len(plain)


def test_the_silhouette_of_a_figure_of_the_grounds_grey_is_seen_at_full_scale() -> None:
    frames, xs = _scene(RED, _grey_of(RED))
    motion = MotionDetector(scale=0.5, min_area=10)
    index = next(i for i, x in enumerate(xs) if x is not None) + 10
    for i in range(index):
        motion(i, frames[i])
    seen = motion(index, frames[index])
    difference = foreground_difference(frames[index], seen)
    assert difference is not None
    x = xs[index]
    rows, cols = FIGURE
    inside = difference[rows.start + 2 : rows.stop - 2, x + cols.start + 2 : x + cols.stop - 2]
    assert (inside > DIFFERENCE).mean() > 0.95
    count, labels, stats, _ = cv2.connectedComponentsWithStats(seen.mask, connectivity=8)
    blob = max(range(1, count), key=lambda k: stats[k][4])
    found = silhouette(difference, labels, blob, tuple(stats[blob][:4]), 2.0)
    assert found is not None
    fine, (fx, fy) = found
    ys, columns = np.nonzero(fine)
    # the silhouette is the figure: 12 by 36 pixels at its place, give or take a pixel or two
    assert abs(fx + columns.min() - (x - 6)) <= 2 and abs(fx + columns.max() - (x + 6)) <= 2
    assert abs(fy + ys.min() - 150) <= 2 and abs(fy + ys.max() - 186) <= 3


def _config() -> WorkerConfig:
    return WorkerConfig.model_validate(
        {
            "camera": "cam-colour",
            "fps": 10,
            "start_at": "2026-06-01T12:00:00+00:00",
            "zones": [
                {"name": "yard", "polygon": [[170, 100], [260, 100], [260, 230], [170, 230]]}
            ],
            "rules": [{"name": "fence", "kind": "intrusion", "zone": "yard"}],
            "motion_scale": 0.5,
            "min_motion_area": 10,
        }
    )


def test_a_figure_of_the_grounds_grey_walks_in_stands_and_is_one_intrusion() -> None:
    frames, xs = _scene(RED, _grey_of(RED))
    sink = Collect()
    stats = Worker(_config(), sink, detector=MotionBlobDetector(), keep_tracks=True).run(
        lambda start: from_arrays(frames, start)
    )
    standing = [i for i, x in enumerate(xs) if x == SPOT]
    ids = Counter(
        t.id
        for i in standing
        for t in stats.tracks[i]
        if abs((t.box[0] + t.box[2]) / 2 - SPOT) < 12
    )
    assert ids, "the figure was never tracked while it stood"
    assert ids.most_common(1)[0][1] >= 0.95 * len(standing), ids
    assert len([e for e in sink.events if e.kind == "intrusion"]) == 1


def test_a_grey_reference_from_an_older_checkpoint_is_relearnt_not_compared() -> None:
    # a checkpoint written before motion saw colour holds the keeper's reference in grey
    keeper = StillKeeper(10)
    keeper.reference = np.full((120, 160), 128, np.float32)
    keeper.recent = {1: (0, (40.0, 40.0, 80.0, 120.0))}
    small = np.full((120, 160, 3), 128, np.uint8)
    mask = np.zeros((120, 160), np.uint8)
    mask[20:60, 20:40] = 255
    motion = Motion(mask, mask, [(40, 40, 80, 120)], 0.5, small)
    view = keeper.view(motion)
    assert view.motion is motion and not view.still.any()
    keeper.learn(1, motion, [])
    assert keeper.reference is not None and keeper.reference.shape == small.shape
