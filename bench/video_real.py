"""Real footage: the worker on OpenCV's pedestrian sample clip `vtest.avi` (768x576, 795
frames at 10 fps, people walking across a campus square), which Debian ships in the
`opencv-doc` package (/usr/share/doc/opencv-doc/examples/data/vtest.avi). No ground truth
ships with it, so this prints what the worker did (tracks, line crossings by direction, zone
entries, detector calls, frames/s), not an accuracy. Nothing is downloaded: give the path.

Usage: python bench/video_real.py /usr/share/doc/opencv-doc/examples/data/vtest.avi
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import cv2

from video_common import Collect
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import frames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("clip")
    parser.add_argument("--detector", default="hog+motion_blob")
    args = parser.parse_args()
    capture = cv2.VideoCapture(args.clip)
    if not capture.isOpened():
        sys.exit(f"cannot open {args.clip} (install Debian's opencv-doc for vtest.avi)")
    width, height = int(capture.get(3)), int(capture.get(4))
    fps = capture.get(cv2.CAP_PROP_FPS) or 10.0
    capture.release()
    cv2.setNumThreads(1)
    # a line down the middle of the square and a zone on its right: no calibration exists
    config = WorkerConfig.model_validate(
        {
            "camera": "opencv-vtest",
            "fps": fps,
            "start_at": "2026-06-01T12:00:00+00:00",
            "lines": [{"name": "middle", "a": [width * 0.5, 0], "b": [width * 0.5, height]}],
            "zones": [
                {
                    "name": "right",
                    "polygon": [
                        [width * 0.6, height * 0.3],
                        [width, height * 0.3],
                        [width, height * 0.7],
                        [width * 0.6, height * 0.7],
                    ],
                }
            ],
            "rules": [
                {"name": "count", "kind": "line_crossing", "zone": "middle"},
                {"name": "enter", "kind": "intrusion", "zone": "right"},
                {"name": "linger", "kind": "loitering", "zone": "right", "dwell_s": 10},
            ],
            "detector": {"kind": args.detector},
            "motion_scale": 0.5,
        }
    )
    sink = Collect()
    started = time.process_time()
    stats = Worker(config, sink, keep_tracks=True).run(lambda start: frames(args.clip, start))
    seconds = time.process_time() - started
    ids = {track.id for tracks in stats.tracks for track in tracks}
    kinds = Counter(
        (e.kind, e.direction) if e.kind == "line_crossing" else (e.kind, None) for e in sink.events
    )
    print(f"{args.clip}: {width}x{height}, {stats.frames} frames, detector {args.detector}")
    print(
        f"detector ran on {stats.detector_calls} frames; {len(ids)} track ids; "
        f"{stats.frames / seconds:.1f} frames/s per core"
    )
    for (kind, direction), count in sorted(kinds.items(), key=str):
        print(f"  {kind}{' ' + direction if direction else ''}: {count}")
    print("no ground truth ships with this clip: these are counts, not an accuracy")


if __name__ == "__main__":
    main()
