"""The people in one silhouette, found front to back against the calibrated person size."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.video.worker.geometry import PersonScale
from vigil.video.worker.groups import fit_people
from vigil.video.worker.synth import render

WIDTH, HEIGHT = 640, 360


@pytest.fixture(scope="module")
def scale() -> PersonScale:
    calibration = render("street", frames=1, width=WIDTH, height=HEIGHT).config.calibration
    assert calibration is not None
    return PersonScale(calibration)


def _figure(canvas: np.ndarray, scale: PersonScale, x: float, foot: int) -> None:
    """A person-sized silhouette (body 0.8 of the calibrated width) standing at (x, foot)."""
    person_w, person_h = scale.person_size((x, foot))
    half = 0.4 * person_w
    canvas[round(foot - person_h) : foot, round(x - half) : round(x + half)] = True


def test_two_people_touching_side_by_side_are_two(scale: PersonScale) -> None:
    canvas = np.zeros((HEIGHT, WIDTH), bool)
    person_w, _ = scale.person_size((320, 250))
    xs = (300.0, 300.0 + 0.8 * person_w)  # shoulder to shoulder: no gap at all
    for x in xs:
        _figure(canvas, scale, x, 250)
    boxes = sorted(fit_people(canvas, 0, 0, scale))
    assert len(boxes) == 2
    for box, x in zip(boxes, xs, strict=True):
        assert abs((box[0] + box[2]) / 2 - x) <= 3
        assert abs(box[3] - 250) <= 1


def test_someone_behind_whose_feet_are_hidden_stands_where_their_head_says(
    scale: PersonScale,
) -> None:
    canvas = np.zeros((HEIGHT, WIDTH), bool)
    _figure(canvas, scale, 320, 200)  # behind
    _figure(canvas, scale, 323, 230)  # in front, hiding the legs of the one behind
    boxes = sorted(fit_people(canvas, 0, 0, scale), key=lambda b: b[3])
    assert len(boxes) == 2
    behind, front = boxes
    assert abs(front[3] - 230) <= 1
    assert abs(behind[3] - 200) <= 3  # from the head's row and the calibration
    assert abs((behind[0] + behind[2]) / 2 - 320) <= 3


def test_one_person_with_an_arm_out_is_one(scale: PersonScale) -> None:
    canvas = np.zeros((HEIGHT, WIDTH), bool)
    _figure(canvas, scale, 320, 250)
    person_w, person_h = scale.person_size((320, 250))
    arm_row = round(250 - 0.75 * person_h)
    canvas[arm_row : arm_row + 3, round(320 + 0.4 * person_w) : round(320 + 0.9 * person_w)] = True
    boxes = fit_people(canvas, 0, 0, scale)
    assert len(boxes) == 1
    assert abs(boxes[0][3] - 250) <= 1


def test_the_origin_places_the_boxes_in_the_frame(scale: PersonScale) -> None:
    canvas = np.zeros((HEIGHT, WIDTH), bool)
    _figure(canvas, scale, 320, 250)
    crop = canvas[150:260, 280:360]
    (box,) = fit_people(crop, 280, 150, scale)
    (whole,) = fit_people(canvas, 0, 0, scale)
    assert box == pytest.approx(whole)


def test_someone_whose_lower_legs_blend_into_the_ground_stands_where_their_head_says(
    scale: PersonScale,
) -> None:
    # the lower fifth of the figure is the ground's grey: the box's bottom would put the foot
    # a metre too deep at the back of the scene; the head's row and the calibration do not
    canvas = np.zeros((HEIGHT, WIDTH), bool)
    _figure(canvas, scale, 320, 170)
    _, person_h = scale.person_size((320, 170))
    canvas[round(170 - 0.2 * person_h) :, :] = False
    (box,) = fit_people(canvas, 0, 0, scale)
    assert abs(box[3] - 170) <= 1
