"""Still people stay found. Background subtraction learns a person who stands still or paces
slowly into its background within seconds, so the motion-blob detector loses them and their
track breaks (Frigate keeps stationary objects tracked for the same reason). The keeper holds
a reference background that learns only where nothing moves and no track was seen moments
ago, so a tracked person who stops still goes on differing from it where they stand. It gives
the detector the motion found, with two corrections:

- inside the boxes of tracks seen in the last RECENT_S, the pixels that differ from the
  reference by STILL_DIFF are foreground too: a person who stops stays a blob;
- motion pixels that match the reference (within KEEP_DIFF) are not: where a person who
  stood still walks off, the background model sees the ground they uncover as motion.

A detection made mostly of still pixels is graded keep-only (`grade`): the tracker continues
a track with it and never starts one, so a difference the reference holds by mistake cannot
raise a person. The keeper's state (the reference and the recent boxes) is plain data that a
checkpoint holds, so a restarted worker keeps exactly the same people."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from vigil.video.worker.detectors import Box, Detection
from vigil.video.worker.motion import Motion, difference
from vigil.video.worker.tracking import Track

RECENT_S = 3.0  # a track seen this long ago may still be standing where it was
# differences from the reference are motion.difference: levels in the channel that changes most
STILL_DIFF = 18  # levels from the reference: a still person's pixel
KEEP_DIFF = 10  # levels from the reference below which motion is uncovered ground
LEARN_RATE = 0.05  # of the reference, per frame, where nothing moves and nobody stood
MARGIN = 0.6  # of a recent box's width (and half that of its height), added on each side
KEEP_ONLY_SCORE = 0.2  # below the tracker's activation threshold, above its floor (0.1)
MOVING_SHARE = 0.3  # a detection with less of its foreground moving than this is still


@dataclass(frozen=True)
class StillView:
    motion: Motion  # the motion the detector is given
    still: np.ndarray  # uint8 0/255 at motion scale: foreground only because it stood still


class StillKeeper:
    def __init__(self, fps: float):
        self.horizon = max(1, round(RECENT_S * fps))
        self.reference: np.ndarray | None = None  # float32 at motion scale, as Motion.small
        self.recent: dict[int, tuple[int, Box]] = {}  # track id → (frame last seen, box)

    def _recent_mask(self, shape: tuple[int, ...], scale: float) -> np.ndarray:
        region = np.zeros(shape[:2], np.uint8)
        for _, (x1, y1, x2, y2) in self.recent.values():
            dx, dy = MARGIN * (x2 - x1), 0.5 * MARGIN * (y2 - y1)
            cv2.rectangle(
                region,
                (int((x1 - dx) * scale), int((y1 - dy) * scale)),
                (int((x2 + dx) * scale), int((y2 + dy) * scale)),
                255,
                -1,
            )
        return region

    def view(self, motion: Motion) -> StillView:
        """The motion to detect in: still people kept, uncovered ground dropped."""
        empty = np.zeros_like(motion.mask)
        if (
            motion.small is None
            or self.reference is None
            or self.reference.shape != motion.small.shape
        ):
            return StillView(motion, empty)
        diff = difference(motion.small, cv2.convertScaleAbs(self.reference))
        moving = cv2.threshold(diff, KEEP_DIFF, 255, cv2.THRESH_BINARY)[1]
        mask, raw = motion.mask & moving, motion.raw & moving
        if not self.recent:
            return StillView(replace(motion, mask=mask, raw=raw), empty)
        region = self._recent_mask(mask.shape, motion.scale)
        still = cv2.threshold(diff, STILL_DIFF, 255, cv2.THRESH_BINARY)[1] & region
        still = cv2.morphologyEx(still, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) & ~mask
        regions = list(motion.regions)
        if cv2.countNonZero(still):
            _, _, stats, _ = cv2.connectedComponentsWithStats(still, connectivity=8)
            inverse = 1.0 / motion.scale
            for x, y, w, h, _area in stats[1:]:
                regions.append(
                    (
                        int(x * inverse),
                        int(y * inverse),
                        int((x + w) * inverse),
                        int((y + h) * inverse),
                    )
                )
        return StillView(
            replace(motion, mask=mask | still, raw=raw | still, regions=regions), still
        )

    def grade(self, detections: list[Detection], view: StillView) -> list[Detection]:
        """Detections made mostly of still pixels, graded keep-only."""
        if not cv2.countNonZero(view.still):
            return detections
        scale = view.motion.scale
        out = []
        for detection in detections:
            x1, y1, x2, y2 = (round(v * scale) for v in detection.box)
            still = cv2.countNonZero(view.still[y1:y2, x1:x2]) if x2 > x1 and y2 > y1 else 0
            moving = cv2.countNonZero(view.motion.mask[y1:y2, x1:x2]) - still if still else 0
            if still and moving < MOVING_SHARE * (moving + still):
                detection = Detection(detection.box, KEEP_ONLY_SCORE, detection.label)
            out.append(detection)
        return out

    def learn(self, index: int, motion: Motion, tracks: list[Track]) -> None:
        """After the frame's tracking: remember where people were, and learn the reference
        where nothing moves and nobody was seen moments ago."""
        for track in tracks:
            self.recent[track.id] = (index, track.box)
        self.recent = {k: v for k, v in self.recent.items() if index - v[0] <= self.horizon}
        if motion.small is None:
            return
        if self.reference is None or self.reference.shape != motion.small.shape:
            self.reference = motion.small.astype(np.float32)
            return
        busy = motion.mask | self._recent_mask(motion.small.shape, motion.scale)
        cv2.accumulateWeighted(motion.small, self.reference, LEARN_RATE, mask=cv2.bitwise_not(busy))
