"""The bench's event matching: one to one, by zone, direction and start time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.video.worker.support import Collect
from vigil.video.worker import evaluate
from vigil.video.worker.detectors import MotionBlobDetector
from vigil.video.worker.events import VideoEvent
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import from_arrays
from vigil.video.worker.synth import TruthBox, render
from vigil.video.worker.tracking import Track

START = datetime(2026, 1, 1, tzinfo=UTC)


def _loitering(at_s: float, key: int, zone: str = "square") -> VideoEvent:
    return VideoEvent(
        source_event_id=f"cam:loiter:{key}:0",
        camera="cam",
        kind="loitering",
        zone=zone,
        started_at=START + timedelta(seconds=at_s),
    )


def test_optimal_matching_pairs_every_event_that_greedy_order_leaves_out() -> None:
    # Truth at 0 s and 5 s; found at 3 s and -6 s. In start order, the true event at 0 s takes
    # the nearer found one (3 s), and the one at 5 s has none within 10 s (-6 s is 11 s away).
    truth = [_loitering(0, 1), _loitering(5, 2)]
    found = [_loitering(3, 3), _loitering(-6, 4)]
    greedy = evaluate.match_events(truth, found, "loitering", 10.0, "greedy")
    optimal = evaluate.match_events(truth, found, "loitering", 10.0)
    assert (greedy.truth, greedy.found, greedy.matched) == (2, 2, 1)
    assert (optimal.truth, optimal.found, optimal.matched) == (2, 2, 2)


def test_matching_is_one_to_one_and_respects_zone_and_tolerance() -> None:
    truth = [_loitering(0, 1), _loitering(1, 2), _loitering(50, 3)]
    found = [_loitering(0.5, 4), _loitering(30, 5), _loitering(50, 6, zone="perimeter")]
    result = evaluate.match_events(truth, found, "loitering", 10.0)
    assert result.matched == 1  # one found event near two true ones counts once
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(1 / 3)


def test_of_the_largest_matchings_the_nearest_in_time_is_kept() -> None:
    truth = [_loitering(0, 1)]
    found = [_loitering(8, 2), _loitering(1, 3)]
    pairs = evaluate._matched_pairs(truth, found, 10.0)
    assert pairs == {0: 1}


def test_an_unknown_matching_is_refused() -> None:
    with pytest.raises(ValueError, match="matching"):
        evaluate.match_events([], [], "loitering", 10.0, "first")


def _box(person: int, x: float) -> TruthBox:
    box = (x, 100.0, x + 20.0, 160.0)
    return TruthBox(person, "person", box, (x + 10.0, 160.0), (0.0, 0.0))


def test_identity_matching_pairs_an_event_only_with_the_person_it_was_reported_on() -> None:
    # Two people in frame 0: person 7 at x=0, person 8 at x=100. The true loitering event is
    # person 7's (id cam:loiter:7:0); the found one names track 3 in frame 0 (cam:loiter:3:0).
    truth_boxes = [[_box(7, 0.0), _box(8, 100.0)]]
    truth, found = [_loitering(0, 7)], [_loitering(2, 3)]
    on_eight = [[Track(3, "person", (101.0, 101.0, 121.0, 160.0))]]
    on_seven = [[Track(3, "person", (1.0, 101.0, 21.0, 160.0))]]
    by_time = evaluate.match_events(truth, found, "loitering", 10.0)
    wrong = evaluate.match_events_on_person(truth_boxes, on_eight, truth, found, "loitering", 10.0)
    right = evaluate.match_events_on_person(truth_boxes, on_seven, truth, found, "loitering", 10.0)
    assert by_time.matched == 1
    assert (wrong.truth, wrong.found, wrong.matched) == (1, 1, 0)
    assert (right.truth, right.found, right.matched) == (1, 1, 1)
    # a track lost by the frame named is judged where it was last held; one never held
    # pairs with nobody
    lost = [found[0].model_copy(update={"source_event_id": "cam:loiter:3:1"})]
    people = truth_boxes * 2
    held_before = [*on_seven, []]
    assert (
        evaluate.match_events_on_person(people, held_before, truth, lost, "loitering", 10.0).matched
        == 1
    )
    never: list[list[Track]] = [[], []]
    assert (
        evaluate.match_events_on_person(people, never, truth, lost, "loitering", 10.0).matched == 0
    )


def test_the_rules_over_a_clips_true_tracks_find_its_true_zone_events_and_nothing_else() -> None:
    # a perfect detector and tracker: the rules' own error on a street clip (seed 1000), which a
    # rule that takes a meeting of two people for a swap of their boxes would fail
    clip = render("street", frames=400, seed=1000, width=640, height=360)
    truth = evaluate.truth_events(clip)
    found = evaluate.rules_over_true_tracks(clip)
    assert not any(e.kind == "zone_count" for e in found)
    for kind, tolerance in (("intrusion", 3.0), ("loitering", 10.0)):
        result = evaluate.match_events(truth, found, kind, tolerance)
        assert result.truth >= 3
        assert result.truth == result.found == result.matched


def test_the_rules_replayed_over_a_runs_kept_tracks_give_its_events_again() -> None:
    # the worker keeps the tracker's own tracks; the track rules run again over them, through
    # the same stitch, give the run's line, intrusion and loitering events and its tracks
    clip = render("street", frames=400, seed=1000, width=640, height=360)
    sink = Collect()
    worker = Worker(clip.config, sink, detector=MotionBlobDetector(), keep_tracks=True)
    stats = worker.run(lambda start: from_arrays(clip.frames, start))
    events, stitched = evaluate.replay_rules(
        clip.config, clip.frames[0].shape[:2], worker.motion.scale, stats.raw_tracks
    )
    kinds = {"line_crossing", "intrusion", "loitering"}
    ran = sorted((e.source_event_id, e.started_at) for e in sink.events if e.kind in kinds)
    again = sorted((e.source_event_id, e.started_at) for e in events if e.kind in kinds)
    assert {e.kind for e in sink.events} >= kinds
    assert again == ran
    assert stitched == stats.tracks
