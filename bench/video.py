"""Benchmark: the video worker's frames per second on one core at 1280x720, on a rendered
street scene that is 80 % static (blocks of empty frames), three ways in the same run:

- motion only (MOG2 on a quarter-scale frame, the privacy mask, the rules' bookkeeping);
- motion-gated detection and tracking (HOG people + motion blobs, only where motion is);
- detection on every frame, the baseline (same detector, whole frame, every frame).

The baseline is timed on every `--baseline-stride`-th frame of the same clip (its cost per
frame hardly depends on the content) to keep the run short. With `--onnx MODEL` it also times
an ONNX detector on every frame (the CUDA provider when onnxruntime has it).
Usage: python bench/video.py [--frames 500] [--baseline-stride 6] [--onnx model.onnx]
"""

from __future__ import annotations

import argparse
import os
import time

import cv2

from vigil.video.worker.config import DetectorSpec
from vigil.video.worker.detectors import CombinedDetector, OnnxDetector
from vigil.video.worker.runner import Worker
from vigil.video.worker.source import from_arrays
from vigil.video.worker.synth import render


def _time(worker: Worker, frames) -> tuple[float, int, int]:
    """CPU seconds of this (single-threaded) process: on a shared machine, wall time would
    count the other processes' turns."""
    started = time.process_time()
    stats = worker.run(lambda start: from_arrays(frames, start))
    return time.process_time() - started, stats.frames, stats.detector_calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=500)
    parser.add_argument("--baseline-stride", type=int, default=6)
    parser.add_argument("--static-share", type=float, default=0.8)
    parser.add_argument("--onnx", default=None)
    args = parser.parse_args()
    cv2.setNumThreads(1)  # one core
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    clip = render(
        "street",
        width=1280,
        height=720,
        frames=args.frames,
        seed=7,
        walkers=8,
        vehicles=2,
        static_share=args.static_share,
    )
    config = clip.config.model_copy(update={"motion_scale": 0.25, "min_motion_area": 20})
    moving = sum(1 for boxes in clip.truth if any(b.label != "object" for b in boxes)) / args.frames
    print(f"clip: {args.frames} frames 1280x720, {moving:.0%} with something moving; cv2 threads 1")

    seconds, frames, _ = _time(Worker(config, None, gate="motion_only"), clip.frames)
    motion_fps = frames / seconds
    print(f"motion only                     {motion_fps:8.1f} frames/s per core")

    seconds, frames, calls = _time(
        Worker(config, None, detector=CombinedDetector(), gate="motion"), clip.frames
    )
    gated_fps = frames / seconds
    print(
        f"motion-gated detection+tracking {gated_fps:8.1f} frames/s per core "
        f"(detector ran on {calls} of {frames} frames, on motion regions only)"
    )

    sample = clip.frames[:: args.baseline_stride]
    seconds, frames, calls = _time(
        Worker(config, None, detector=CombinedDetector(), gate="every_frame"), sample
    )
    every_fps = frames / seconds
    print(
        f"detection on every frame        {every_fps:8.1f} frames/s per core "
        f"(baseline, {frames} frames)"
    )
    print(f"motion-gated / every-frame      {gated_fps / every_fps:8.1f}x   (goal >= 5x)")
    print(f"motion only                     {motion_fps:8.1f} fps      (goal >= 25)")

    if args.onnx:
        spec = DetectorSpec(kind="onnx", model_path=args.onnx)
        detector = OnnxDetector(spec)
        seconds, frames, _ = _time(
            Worker(config, None, detector=detector, gate="every_frame"), sample
        )
        print(f"onnx every frame ({detector.providers[0]}) {frames / seconds:8.1f} frames/s")
        seconds, frames, _ = _time(
            Worker(config, None, detector=OnnxDetector(spec), gate="motion"), clip.frames
        )
        print(f"onnx motion-gated ({detector.providers[0]}) {frames / seconds:8.1f} frames/s")


if __name__ == "__main__":
    main()
