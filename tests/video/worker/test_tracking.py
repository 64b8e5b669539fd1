"""The tracker keeps a lost track for LOST_S seconds at the camera's own frame rate.

supervision's ByteTrack counts its lost-track buffer in 30 fps frames (it keeps a lost track
frame_rate / 30 * lost_track_buffer frames), so a buffer given in the camera's own frames
(fps * 3) kept a lost track 1 s at 10 fps but 2.5 s at 25 fps."""

from __future__ import annotations

import pytest

from vigil.video.worker.detectors import Detection
from vigil.video.worker.tracking import LOST_S, Tracker

BOX = (100.0, 50.0, 120.0, 110.0)


def _ids_after_a_gap(fps: float, gap_s: float) -> tuple[int, int]:
    """The id of a person seen standing for a second, and the id the tracker gives them when
    they are seen again at the same spot after `gap_s` seconds unseen."""
    tracker = Tracker(fps)
    person = [Detection(BOX, 0.9, "person")]
    before = []
    for _ in range(round(fps)):
        before = tracker.update(person)
    for _ in range(round(gap_s * fps)):
        tracker.update([])
    after = []
    for _ in range(4):  # a new track shows from its second frame on
        after = tracker.update(person)
    assert len(before) == 1 and len(after) == 1
    return before[0].id, after[0].id


@pytest.mark.parametrize("fps", [10.0, 25.0])
def test_a_track_lost_for_most_of_lost_s_is_found_again_at_any_frame_rate(fps: float) -> None:
    first, again = _ids_after_a_gap(fps, 0.8 * LOST_S)
    assert again == first


@pytest.mark.parametrize("fps", [10.0, 25.0])
def test_a_track_lost_for_longer_than_lost_s_is_a_new_one(fps: float) -> None:
    first, again = _ids_after_a_gap(fps, LOST_S + 1.0)
    assert again != first
