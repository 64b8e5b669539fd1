"""Development aid: the zone and line rules scored again in seconds, without the pixels.

`cache` renders the accuracy bench's street clips (the blob detector at 640x360, as in
bench/video_accuracy.py), runs the worker once over each and writes what the rules need to a
JSON file per seed: the configuration, the tracker's own tracks before the rules' stitch, the
true boxes and the true events (about 5-20 s a seed). `score` runs the rules as they are now
over the cached tracks (`evaluate.replay_rules`) and over the true tracks, and prints
intrusion and loitering precision and recall, matched as the accuracy bench matches them (by
time; on the person; over the true tracks), in 2-4 s a seed: a change to the rules can be
tried over a hundred seeds in a few minutes. A change to the motion detector, the detector or
the tracker needs a new cache. The figures are the bench's own: the replay gives the run's
line, intrusion and loitering events again (tests/video/worker/test_evaluate.py).
The same protocol holds as for the bench: develop on development seeds, never on a report
range.
Usage: python bench/video_replay.py cache|score --seeds 1000 1001 ... [--dir .cache/video]
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

import cv2

from video_accuracy import FRAMES, settled
from video_common import Collect
from vigil.video.worker import evaluate
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.detectors import MotionBlobDetector
from vigil.video.worker.events import VideoEvent
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import from_arrays
from vigil.video.worker.synth import TruthBox, render
from vigil.video.worker.tracking import Track

ZONE_KINDS = (("intrusion", 3.0), ("loitering", 10.0))


def cache(seed: int, directory: Path) -> None:
    clip = render("street", frames=FRAMES, seed=seed, width=640, height=360)
    worker = Worker(clip.config, Collect(), detector=MotionBlobDetector(), keep_tracks=True)
    stats = worker.run(lambda start: from_arrays(clip.frames, start))
    record = {
        "config": clip.config.model_dump(mode="json"),
        "shape": list(clip.frames[0].shape[:2]),
        "motion_scale": worker.motion.scale,
        "raw_tracks": [[[t.id, t.label, *t.box] for t in frame] for frame in stats.raw_tracks],
        "truth_boxes": [
            [[b.id, b.label, *b.box, *b.foot, *b.world] for b in frame] for frame in clip.truth
        ],
        "truth_events": [e.model_dump(mode="json") for e in evaluate.truth_events(clip)],
    }
    (directory / f"street-{seed}.json").write_text(json.dumps(record))


def score(seed: int, directory: Path) -> dict[str, int]:
    record = json.loads((directory / f"street-{seed}.json").read_text())
    config = WorkerConfig.model_validate(record["config"])
    shape = (int(record["shape"][0]), int(record["shape"][1]))
    raw = [
        [Track(i, label, tuple(box)) for i, label, *box in frame] for frame in record["raw_tracks"]
    ]
    people = [
        [TruthBox(v[0], v[1], tuple(v[2:6]), (v[6], v[7]), (v[8], v[9])) for v in frame]
        for frame in record["truth_boxes"]
    ]
    truth = [VideoEvent.model_validate(e) for e in record["truth_events"]]
    found, stitched = evaluate.replay_rules(config, shape, record["motion_scale"], raw)
    perfect = evaluate.replay_rules(config, shape, 1.0, evaluate.true_tracks(people))[0]
    assert config.start_at is not None
    end = config.start_at + timedelta(seconds=len(raw) / config.fps)
    row: dict[str, int] = {}
    for kind, tolerance in ZONE_KINDS:
        truth, found = settled(truth, kind, end, tolerance), settled(found, kind, end, tolerance)
        perfect = settled(perfect, kind, end, tolerance)
        result = evaluate.match_events(truth, found, kind, tolerance)
        row[f"{kind} truth"], row[f"{kind} found"], row[f"{kind} matched"] = (
            result.truth,
            result.found,
            result.matched,
        )
        own = evaluate.match_events_on_person(people, stitched, truth, found, kind, tolerance)
        row[f"{kind} own"] = own.matched
        on_truth = evaluate.match_events(truth, perfect, kind, tolerance)
        row[f"{kind} perfect found"], row[f"{kind} perfect matched"] = (
            on_truth.found,
            on_truth.matched,
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("cache", "score"))
    parser.add_argument("--seeds", type=int, nargs="+", required=True)
    parser.add_argument("--dir", type=Path, default=Path(".cache/video"))
    args = parser.parse_args()
    cv2.setNumThreads(1)
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.step == "cache":
        for seed in args.seeds:
            cache(seed, args.dir)
            print(f"cached street seed {seed}", flush=True)
        return
    totals: dict[str, int] = {}
    for seed in args.seeds:
        for key, value in score(seed, args.dir).items():
            totals[key] = totals.get(key, 0) + value

    def scores(matched: int, found: int, truth: int) -> str:
        return f"precision {matched / max(1, found):.3f} recall {matched / max(1, truth):.3f}"

    for kind, _ in ZONE_KINDS:
        t, f, m = (totals[f"{kind} {part}"] for part in ("truth", "found", "matched"))
        print(
            f"{kind}: t/f/m {t}/{f}/{m}, {scores(m, f, t)}; on the person: "
            f"{scores(totals[f'{kind} own'], f, t)}; over the true tracks: "
            f"{scores(totals[f'{kind} perfect matched'], totals[f'{kind} perfect found'], t)}"
        )


if __name__ == "__main__":
    main()
