"""ByteTrack (supervision) over the detections of one camera. Track ids live only inside
one camera's run: they never leave it and are never matched across cameras."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import supervision as sv

from vigil.video.worker.detectors import Detection

LABELS = ("person", "vehicle", "object")
# a lost track can be found again this long: 1 s, what the accuracy bench was measured with
# at 10 fps (3 s moved the counts of the small accuracy test's clip and no bench figure)
LOST_S = 1.0


@dataclass(frozen=True)
class Track:
    id: int
    label: str
    box: tuple[float, float, float, float]

    @property
    def foot(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, self.box[3]


class Tracker:
    def __init__(self, fps: float):
        self.byte = sv.ByteTrack(
            track_activation_threshold=0.3,
            # supervision keeps a lost track frame_rate / 30 * lost_track_buffer frames (the
            # buffer is counted in 30 fps frames), so LOST_S is LOST_S * 30 at any frame rate
            lost_track_buffer=round(LOST_S * 30),
            minimum_matching_threshold=0.8,
            frame_rate=round(fps),
            minimum_consecutive_frames=2,
        )

    def update(self, detections: list[Detection]) -> list[Track]:
        if detections:
            sv_detections = sv.Detections(
                xyxy=np.asarray([d.box for d in detections], dtype=np.float32),
                confidence=np.asarray([d.score for d in detections], dtype=np.float32),
                class_id=np.asarray([LABELS.index(d.label) for d in detections], dtype=int),
            )
        else:
            sv_detections = sv.Detections.empty()
        tracked = self.byte.update_with_detections(sv_detections)
        if tracked.tracker_id is None or tracked.class_id is None:
            return []
        return [
            Track(int(tid), LABELS[int(cls)], tuple(float(v) for v in box))  # type: ignore[arg-type]
            for box, tid, cls in zip(
                tracked.xyxy, tracked.tracker_id, tracked.class_id, strict=True
            )
        ]
