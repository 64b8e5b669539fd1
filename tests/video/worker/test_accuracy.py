"""Acceptance 1, small: the worker against rendered ground truth (people and vehicles walking
and driving, a pillar that hides them, a lighting change, camera shake; a square that fills up
to more than 2 people per m²). bench/video_accuracy.py runs more clips and prints the tables."""

from __future__ import annotations

from tests.video.worker.support import Collect, _one_thread  # noqa: F401
from vigil.video.worker import evaluate
from vigil.video.worker.detectors import CombinedDetector, MotionBlobDetector
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import from_arrays
from vigil.video.worker.synth import render


def test_street_scene_tracks_counts_and_events() -> None:
    # one loiterer and one intruder, no near misses: the bench scores the full clips
    clip = render("street", frames=400, seed=1, loiterers=1, intruders=1, near_misses=False)
    sink = Collect()
    stats = Worker(clip.config, sink, detector=MotionBlobDetector(), keep_tracks=True).run(
        lambda start: from_arrays(clip.frames, start)
    )
    truth = evaluate.truth_events(clip)
    scores = evaluate.mot_scores(clip.truth, stats.tracks)
    print("MOT", scores)
    assert scores["mota"] >= 0.5 and scores["idf1"] >= 0.45
    crossings = sum(1 for e in truth if e.kind == "line_crossing")
    assert crossings >= 8  # the clip is not trivial
    assert evaluate.crossing_count_error(truth, sink.events) <= 0.05
    for kind, tolerance in (("intrusion", 3.0), ("loitering", 10.0), ("line_crossing", 3.0)):
        result = evaluate.match_events(truth, sink.events, kind, tolerance)
        print(kind, result, result.precision, result.recall)
        assert result.truth >= 1
        assert result.precision >= 0.95 and result.recall >= 0.95, kind
    left = [e for e in sink.events if e.kind == "abandoned_object"]
    assert len(left) == 1 and left[0].zone == "pavement"


def test_crowd_density_within_ten_percent_and_the_surge_is_seen() -> None:
    clip = render("plaza", frames=220, seed=1)
    sink = Collect()
    worker = Worker(clip.config, sink, gate="motion_only")
    worker.run(lambda start: from_arrays(clip.frames, start))
    assert worker.analytics is not None
    error = evaluate.density_error(clip, worker.analytics.densities["crowded"], "centre")
    print("density", error)
    assert error["peak_true"] >= 2.0
    assert error["mean_relative_error"] <= 0.10
    kinds = [e.kind for e in sink.events]
    assert "crowd_density" in kinds and "crowd_surge" in kinds
    crowded = next(e for e in sink.events if e.kind == "crowd_density")
    assert crowded.value is not None and crowded.value >= 1.5


def test_combined_detector_at_1280x720_tracks_the_walkers() -> None:
    # HOG alone finds few rendered walkers: the combined detector must not rest on it
    clip = render(
        "street",
        frames=150,
        seed=3,
        width=1280,
        height=720,
        loiterers=0,
        intruders=0,
        near_misses=False,
    )
    stats = Worker(clip.config, None, detector=CombinedDetector(), keep_tracks=True).run(
        lambda start: from_arrays(clip.frames, start)
    )
    scores = evaluate.mot_scores(clip.truth, stats.tracks)
    print("MOT", scores)
    assert scores["recall"] >= 0.6 and scores["mota"] >= 0.5
