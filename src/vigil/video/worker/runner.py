"""The worker loop: privacy mask → motion → detection where motion is → ByteTrack → rules →
blurred snapshots → sink, with checkpoints at epoch boundaries for restart safety.

A checkpoint holds the next frame's index, the tracker and the rules' state, pickled; it is
read back by an unpickler that builds only the worker's and ByteTrack's state classes and
plain data (`load_checkpoint`), so a planted file cannot run code. On restart the
motion model is rebuilt from the `motion_warmup` frames before it (see `motion`), so the
resumed run computes exactly what an uninterrupted run would: events it re-emits carry the
same source_event_id and the idempotent sink drops them."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np

from vigil.video.worker.analytics import STILL_GAP_S, Analytics, Emitted, FrameContext
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.detectors import Detector, MotionBlobDetector, build_detector
from vigil.video.worker.geometry import PersonScale
from vigil.video.worker.motion import MotionDetector
from vigil.video.worker.privacy import PrivacyMask, snapshot_name, write_snapshot
from vigil.video.worker.sinks import Sink
from vigil.video.worker.stillness import StillKeeper
from vigil.video.worker.tracking import Track, Tracker

Gate = Literal["motion", "every_frame", "motion_only"]
FrameSource = Callable[[int], Iterator[tuple[int, np.ndarray]]]  # start index → frames


@dataclass
class RunStats:
    frames: int = 0
    detector_calls: int = 0
    emitted: int = 0
    duplicates: int = 0
    resumed_from: int = 0
    tracks: list[list[Track]] = field(default_factory=list)  # per processed frame (if kept)
    # the tracker's own tracks, before the rules' stitch, per processed frame (if kept): the
    # rules can be run again over them (`evaluate.replay_rules`)
    raw_tracks: list[list[Track]] = field(default_factory=list)


# What a checkpoint may hold: the worker's own state classes, ByteTrack's, and the plain
# containers, numbers, arrays and times they use. Anything else in the file (a crafted
# pickle calling os.system, say) is refused before it is built.
CHECKPOINT_MODULES = ("vigil.video.worker.", "supervision.tracker.byte_tracker.")
CHECKPOINT_GLOBALS = frozenset(
    {
        ("collections", "deque"),
        ("collections", "OrderedDict"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy.core.numeric", "_frombuffer"),
        ("pydantic_core._pydantic_core", "TzInfo"),
    }
)


class CheckpointRefused(ValueError):
    """The checkpoint file holds something other than the worker's state."""


class _CheckpointUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) in CHECKPOINT_GLOBALS or module.startswith(CHECKPOINT_MODULES):
            return super().find_class(module, name)
        raise CheckpointRefused(f"a checkpoint may not hold {module}.{name}")


def load_checkpoint(handle: BinaryIO) -> dict:
    """Read a checkpoint, building only the classes a worker's state is made of."""
    try:
        data = _CheckpointUnpickler(handle).load()
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise CheckpointRefused(f"not a worker checkpoint: {exc}") from None
    if not isinstance(data, dict) or "config" not in data:
        raise CheckpointRefused("not a worker checkpoint")
    return data


def _config_digest(config: WorkerConfig) -> str:
    return hashlib.sha256(config.model_dump_json().encode()).hexdigest()[:16]


class Worker:
    def __init__(
        self,
        config: WorkerConfig,
        sink: Sink | None,
        *,
        checkpoint: str | Path | None = None,
        detector: Detector | None = None,
        gate: Gate = "motion",
        keep_tracks: bool = False,
        snapshot_dir: str | Path | None = None,
    ):
        self.config = config
        self.sink = sink
        self.checkpoint = Path(checkpoint) if checkpoint else None
        self.detector = detector
        self.gate = gate
        self.keep_tracks = keep_tracks
        directory = snapshot_dir or config.snapshot_dir
        self.snapshot_dir = Path(directory) if directory else None
        self.motion = MotionDetector(
            config.motion_scale,
            config.min_motion_area,
            epoch=config.checkpoint_every,
            warmup=config.motion_warmup,
        )
        self.tracker = Tracker(config.fps)
        self.keeper = StillKeeper(config.fps)  # people who stop stay found
        self.analytics: Analytics | None = None
        self.privacy: PrivacyMask | None = None
        self.start_at = config.start_at
        self._blobs = MotionBlobDetector(min_area_px=8)
        # each track's last box (frame, box): a person who stops leaves the motion detector
        # and the tracker, not the scene, so snapshots blur where they were last seen too
        self._last_boxes: dict[int, tuple[int, tuple[float, float, float, float]]] = {}
        self.wants_gray = any(rule.kind == "abandoned_object" for rule in config.rules)

    # -- checkpoints ----------------------------------------------------------------------------
    def _save(self, next_frame: int) -> None:
        if self.checkpoint is None or self.analytics is None:
            return
        data = {
            "config": _config_digest(self.config),
            "next_frame": next_frame,
            "start_at": self.start_at,
            "tracker": self.tracker,
            "keeper": self.keeper,
            "analytics": self.analytics.snapshot_state(),
        }
        temporary = self.checkpoint.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.checkpoint)

    def _load(self) -> dict | None:
        if self.checkpoint is None or not self.checkpoint.exists():
            return None
        with self.checkpoint.open("rb") as handle:
            data = load_checkpoint(handle)
        if data["config"] != _config_digest(self.config):
            raise ValueError(f"the checkpoint {self.checkpoint} belongs to another configuration")
        return data

    # -- the loop -------------------------------------------------------------------------------
    def _setup(self, frame: np.ndarray) -> None:
        shape = frame.shape[:2]
        self.privacy = PrivacyMask(self.config.privacy_masks, shape)
        self.analytics = Analytics(self.config, shape, self.motion.scale)
        if self.detector is None and self.gate != "motion_only":
            self.detector = build_detector(self.config.detector)
        calibrate = getattr(self.detector, "calibrate", None)
        if calibrate is not None and self.config.calibration is not None:
            calibrate(PersonScale(self.config.calibration))
        if self.start_at is None:
            self.start_at = datetime.now(UTC)

    def run(self, source: FrameSource, max_frames: int | None = None) -> RunStats:
        stats = RunStats()
        state = self._load()
        start = 0 if state is None else int(state["next_frame"])
        stats.resumed_from = start
        replay_from = self.motion.restart_frame(start) if start else 0
        last: FrameContext | None = None
        for index, frame in source(replay_from):
            if self.analytics is None:
                self._setup(frame)
                if state is not None:
                    self.tracker = state["tracker"]
                    self.keeper = state.get("keeper", self.keeper)
                    self.start_at = state["start_at"]
                    assert self.analytics is not None
                    self.analytics.restore_state(state["analytics"])
            assert self.privacy is not None and self.analytics is not None
            masked = self.privacy.apply(frame)
            if index < start:  # rebuild the motion model only
                self.motion.learn(index, masked)
                continue
            if max_frames is not None and stats.frames >= max_frames:
                break
            last = self._process(index, masked, stats)
            if (index + 1) % self.config.checkpoint_every == 0:
                self._save(index + 1)
        else:
            if last is not None and self.analytics is not None:
                self._deliver(self.analytics.finish(last), None, stats)
        return stats

    def _process(self, index: int, frame: np.ndarray, stats: RunStats) -> FrameContext:
        assert self.analytics is not None and self.start_at is not None
        motion = self.motion(index, frame)
        tracks: list[Track] = []
        raw_tracks: list[Track] = []
        if self.gate != "motion_only":
            assert self.detector is not None
            detections = []
            view = self.keeper.view(motion)
            if self.gate == "every_frame":
                detections = self.detector.detect(frame, view.motion, None)
                stats.detector_calls += 1
            elif view.motion.any:
                detections = self.detector.detect(frame, view.motion, view.motion.regions)
                stats.detector_calls += 1
            detections = self.keeper.grade(detections, view)
            raw_tracks = self.tracker.update(detections)
            self.keeper.learn(index, motion, raw_tracks)
            tracks = self.analytics.stitch(index, raw_tracks)
            horizon = int(STILL_GAP_S * self.config.fps)
            self._last_boxes = {
                k: v for k, v in self._last_boxes.items() if index - v[0] <= horizon
            }
            self._last_boxes.update({track.id: (index, track.box) for track in tracks})
        at = self.start_at + timedelta(seconds=index / self.config.fps)
        gray = self.motion.gray_small(frame) if self.wants_gray else None
        ctx = FrameContext(index, at, tracks, motion, gray)
        self._deliver(self.analytics.step(ctx), (frame, tracks, motion), stats)
        stats.frames += 1
        if self.keep_tracks:
            stats.tracks.append(tracks)
            stats.raw_tracks.append(raw_tracks)
        return ctx

    def _deliver(self, emitted: Iterable[Emitted], seen, stats: RunStats) -> None:
        for item in emitted:
            event = item.event
            if self.snapshot_dir is not None and seen is not None and item.box is not None:
                frame, tracks, motion = seen
                # everyone tracked, and anything moving whether detected or not, grown by half
                # its height: a blob may be only part of a person (one coming out from
                # behind a pillar shows a sliver whose legs the mask misses)
                moving = self._blobs.detect(frame, motion, None)
                blur = [track.box for track in tracks] + [_grown(d.box) for d in moving]
                blur += [box for _, box in self._last_boxes.values()]  # people who stopped
                name = write_snapshot(
                    self.snapshot_dir,
                    snapshot_name(event.camera, event.source_event_id),
                    frame,
                    blur,
                )
                event = event.model_copy(update={"snapshot": name})
            stats.emitted += 1
            if self.sink is not None and not self.sink.emit(event):
                stats.duplicates += 1


def _grown(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A box grown by half its height on each side."""
    margin = 0.5 * (box[3] - box[1])
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)
