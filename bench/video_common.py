"""What the video benchmarks share (bench/video_accuracy.py, bench/video_real.py): a sink
that keeps the worker's events in memory, to be scored or counted after the run."""

from __future__ import annotations

from vigil.video.worker.events import VideoEvent


class Collect:
    """The worker's events, in the order it emitted them (a Sink)."""

    def __init__(self) -> None:
        self.events: list[VideoEvent] = []

    def emit(self, event: VideoEvent) -> bool:
        self.events.append(event)
        return True

    def close(self) -> None:
        pass
