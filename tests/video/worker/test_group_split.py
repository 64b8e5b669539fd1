"""People side by side in one motion blob are cut apart at the gap between them, which the
full-scale frame shows and the quarter-scale motion mask closes."""

from __future__ import annotations

import numpy as np

from vigil.video.worker.detectors import MotionBlobDetector
from vigil.video.worker.geometry import PersonScale
from vigil.video.worker.motion import MotionDetector
from vigil.video.worker.synth import render

from .support import _one_thread  # noqa: F401

WIDTH, HEIGHT = 640, 360
FOOT_Y = 250
GAP = 2  # pixels between the two figures at full scale: under one motion pixel


def _figures(scale: PersonScale) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A frame with two dark figures a person wide, GAP apart, the left one with an arm held
    out to its left (so the blob's middle is not the gap); their column spans."""
    person_w, person_h = scale.person_size((WIDTH / 2, FOOT_Y))
    w, h = round(person_w), round(person_h)
    frame = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    left = 300
    spans = [(left, left + w), (left + w + GAP, left + 2 * w + GAP)]
    for x1, x2 in spans:
        frame[FOOT_Y - h : FOOT_Y, x1:x2] = (40, 40, 40)
    arm = round(0.6 * w)
    frame[FOOT_Y - round(0.8 * h) : FOOT_Y - round(0.7 * h), left - arm : left] = (40, 40, 40)
    return frame, spans


def test_two_people_in_one_blob_are_cut_at_the_gap_between_them() -> None:
    calibration = render("street", frames=1, width=WIDTH, height=HEIGHT).config.calibration
    assert calibration is not None
    scale = PersonScale(calibration)
    frame, spans = _figures(scale)
    motion = MotionDetector()
    empty = np.full_like(frame, 128)
    for index in range(30):
        motion(index, empty)
    seen = motion(30, frame)
    detector = MotionBlobDetector(scale=scale)
    people = sorted(
        (d for d in detector.detect(frame, seen, None) if d.label == "person"),
        key=lambda d: d.box[0],
    )
    assert len(people) == 2
    (_, a_right), (b_left, b_right) = spans
    gap_middle = (a_right + b_left) / 2
    # each box holds one figure: the cut falls in the gap, within a pixel or two
    assert abs(people[0].box[2] - gap_middle) <= 2
    assert abs(people[1].box[0] - gap_middle) <= 2
    assert abs(people[1].box[2] - b_right) <= 4
    for person in people:
        assert abs(person.box[3] - FOOT_Y) <= 4
