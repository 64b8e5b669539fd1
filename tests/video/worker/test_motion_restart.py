"""A motion model rebuilt on restart is the one an uninterrupted run has at that frame."""

from __future__ import annotations

import numpy as np

from vigil.video.worker.motion import MotionDetector
from vigil.video.worker.synth import render


def test_the_next_model_warms_up_on_its_own_window_only() -> None:
    # a busy street clip: the model warming up beside the current one must not depend on
    # the current one (it used to be steadied against the current model's background, which
    # a restarted worker does not have)
    clip = render("street", frames=200, seed=1)
    whole = MotionDetector(scale=0.5, min_area=20, epoch=60, warmup=30)
    masks = [whole(i, frame).raw for i, frame in enumerate(clip.frames)]
    resumed = MotionDetector(scale=0.5, min_area=20, epoch=60, warmup=30)
    start = resumed.restart_frame(60)
    assert start == 30
    for i in range(start, 60):
        resumed.learn(i, clip.frames[i])
    for i in range(60, 100):
        assert np.array_equal(resumed(i, clip.frames[i]).raw, masks[i]), i
