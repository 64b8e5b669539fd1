"""Motion first: MOG2 background subtraction on a reduced frame, as Frigate does, giving the
foreground mask and the regions where the detector should look.

The model sees colour (BGR), not grey: a person whose clothes have the grey level of what is
behind them (a red coat against a darker wall) differs from it in hue only, and a grey model
never sees them. OpenCV's MOG2 keeps one variance per Gaussian for all channels together, so
its variances here are three times those of a grey model: a change of lightness alone (the
same in every channel) is foreground at the same size as in grey, and a change of hue at equal
grey is foreground too. `difference` is the matching per-pixel measure for the other
comparisons with the background (silhouette, stillness): the largest change in any channel,
which equals the grey change for a change of lightness and is never smaller than it.

Restart safety: the model in use at frame f is always a fresh MOG2 started `warmup` frames
before the last multiple of `epoch` at or below f (the next model warms up beside the current
one). So the mask at any frame depends only on a bounded window of frames, and a worker that
restarts from a checkpoint at an epoch boundary rebuilds exactly the same model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

HISTORY = 300
VAR_THRESHOLD = 24.0
SHAKE_MIN, SHAKE_MAX = 0.5, 12.0  # pixels at motion scale: a shake to undo
SHAKE_RESPONSE = 0.2  # phase correlation peak: below it the shift is not trusted
GLOBAL_CHANGE = 0.3  # share of the frame: more than this moving at once is not motion
CHANNELS = 3  # MOG2's variance sums the channels' squared deviations


def _model() -> cv2.BackgroundSubtractorMOG2:
    model = cv2.createBackgroundSubtractorMOG2(
        history=HISTORY, varThreshold=VAR_THRESHOLD, detectShadows=False
    )
    # a grey model's variance bounds, per channel: a lightness change is judged as in grey
    model.setVarInit(model.getVarInit() * CHANNELS)
    model.setVarMin(model.getVarMin() * CHANNELS)
    model.setVarMax(model.getVarMax() * CHANNELS)
    return model


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel, the largest |a - b| over the channels (uint8, one channel): a lightness
    change of d levels gives d, as grey would, and a hue change at equal grey is seen too."""
    change = cv2.absdiff(a, b)
    if change.ndim == 2:
        return change
    height, width = change.shape[:2]
    flat = cv2.reduce(change.reshape(-1, change.shape[2]), 1, cv2.REDUCE_MAX)
    return flat.reshape(height, width)


def gray(image: np.ndarray) -> np.ndarray:
    """The image in grey (as it is when it has one channel)."""
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


@dataclass(frozen=True)
class Motion:
    mask: np.ndarray  # uint8 0/255 at motion scale, opened
    raw: np.ndarray  # the subtractor's own mask, thin limbs and noise included
    regions: list[tuple[int, int, int, int]]  # x1, y1, x2, y2 at full scale
    scale: float
    # the colour frame at motion scale as the current model saw it (levelled, steadied)
    small: np.ndarray | None = None
    # the current model's background at motion scale, asked for only by a detector that
    # wants it (motion alone never pays for it), and the gain that levelled this frame
    background: Callable[[], np.ndarray | None] | None = field(
        default=None, compare=False, repr=False
    )
    gain: float = 1.0

    @property
    def any(self) -> bool:
        return bool(self.regions)


class MotionDetector:
    def __init__(
        self, scale: float = 0.25, min_area: int = 40, epoch: int = 600, warmup: int = 100
    ):
        if warmup >= epoch:
            raise ValueError("warmup must be shorter than an epoch")
        self.scale = scale
        self.min_area = min_area
        self.epoch = epoch
        self.warmup = warmup
        self._current = _model()
        self._next: cv2.BackgroundSubtractorMOG2 | None = None
        self._kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self._seen: np.ndarray | None = None  # the last frame the current model learnt
        self._gain = 1.0  # the last frame's levelling gain

    def restart_frame(self, frame_index: int) -> int:
        """The first frame to feed when resuming at `frame_index` (an epoch boundary)."""
        return max(0, frame_index - self.warmup) if frame_index % self.epoch == 0 else frame_index

    def reduced(self, frame: np.ndarray) -> np.ndarray:
        """The frame at motion scale, in colour."""
        if self.scale == 1.0:
            return frame
        size = (
            max(1, round(frame.shape[1] * self.scale)),
            max(1, round(frame.shape[0] * self.scale)),
        )
        return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)

    def gray_small(self, frame: np.ndarray) -> np.ndarray:
        """The frame at motion scale, in grey."""
        return gray(self.reduced(frame))

    @staticmethod
    def gain_of(image: np.ndarray) -> float:
        """The gain that brings the frame to a mean grey of 128 (1 for a black frame)."""
        mean = float(gray(image).mean())
        return 1.0 if mean < 1.0 else 128.0 / mean

    @staticmethod
    def levelled(image: np.ndarray, gain: float) -> np.ndarray:
        """The frame scaled by `gain` (in every channel) to a mean grey of 128: a global
        lighting change is not motion."""
        return image if gain == 1.0 else cv2.convertScaleAbs(image, alpha=gain)

    @staticmethod
    def steadied(model: cv2.BackgroundSubtractorMOG2, small: np.ndarray) -> np.ndarray:
        """The frame shifted back onto `model`'s background when the camera shakes: the global
        translation between the two (phase correlation, which the static scene dominates)
        is undone when it is at least SHAKE_MIN and at most SHAKE_MAX pixels. Each model is
        steadied against its own background, so a model warming up depends on its own window
        of frames only, as a restart needs."""
        background = model.getBackgroundImage()
        if background is None or background.shape != small.shape:
            return small
        (dx, dy), response = cv2.phaseCorrelate(
            gray(background).astype(np.float32), gray(small).astype(np.float32)
        )
        if response < SHAKE_RESPONSE or not SHAKE_MIN <= float(np.hypot(dx, dy)) <= SHAKE_MAX:
            return small
        shift = np.array([[1.0, 0.0, -dx], [0.0, 1.0, -dy]], dtype=np.float32)
        return cv2.warpAffine(
            small, shift, (small.shape[1], small.shape[0]), borderMode=cv2.BORDER_REPLICATE
        )

    def learn(self, frame_index: int, frame: np.ndarray) -> np.ndarray:
        """Feed one frame (in order); the raw foreground mask at motion scale."""
        reduced = self.reduced(frame)
        self._gain = self.gain_of(reduced)
        small = self.levelled(reduced, self._gain)
        position = frame_index % self.epoch
        if position == self.epoch - self.warmup:
            self._next = _model()
        if position == 0 and frame_index > 0 and self._next is not None:
            self._current, self._next = self._next, None
        if self._next is not None:
            self._next.apply(self.steadied(self._next, small))
        self._seen = self.steadied(self._current, small)
        return self._current.apply(self._seen)

    def __call__(self, frame_index: int, frame: np.ndarray) -> Motion:
        raw = self.learn(frame_index, frame)
        mask = cv2.morphologyEx(raw, cv2.MORPH_OPEN, self._kernel)
        if cv2.countNonZero(mask) > GLOBAL_CHANGE * mask.size:  # a lighting jump or a knock:
            return Motion(
                np.zeros_like(mask), np.zeros_like(mask), [], self.scale
            )  # not motion, and it is learnt (nor a frame to compare still people with)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        regions = []
        inverse = 1.0 / self.scale
        for label in range(1, count):
            x, y, w, h, area = stats[label]
            if area < self.min_area:
                continue
            regions.append(
                (int(x * inverse), int(y * inverse), int((x + w) * inverse), int((y + h) * inverse))
            )
        return Motion(
            mask, raw, regions, self.scale, self._seen, self._current.getBackgroundImage, self._gain
        )
