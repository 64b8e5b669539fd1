"""Pluggable person and vehicle detectors. Each takes the (masked) frame, the motion found in
it and, optionally, the regions to look at, and returns labelled boxes.

- `HogPeopleDetector`: OpenCV's HOG + linear SVM people detector, on the CPU, with no download.
- `MotionBlobDetector`: foreground blobs of the motion mask; wide blobs are vehicles.
- `OnnxDetector`: a model the user supplies, run by onnxruntime (CUDA when present).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

from vigil.video.worker.config import DetectorSpec
from vigil.video.worker.geometry import PersonScale
from vigil.video.worker.groups import fit_people
from vigil.video.worker.motion import Motion
from vigil.video.worker.silhouette import foreground_difference, silhouette

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Detection:
    box: Box  # x1, y1, x2, y2 in frame pixels
    score: float
    label: str  # person | vehicle | object


class Detector(Protocol):
    def detect(
        self, frame: np.ndarray, motion: Motion | None, regions: Sequence[Box] | None
    ) -> list[Detection]:
        """Detections in `regions` (all of the frame when None)."""
        ...


def nms(detections: list[Detection], iou: float = 0.45) -> list[Detection]:
    if len(detections) < 2:
        return detections
    boxes = [[d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1]] for d in detections]
    keep = cv2.dnn.NMSBoxes(boxes, [d.score for d in detections], 0.0, iou)
    return [detections[int(i)] for i in np.asarray(keep).reshape(-1)]


def expand(
    region: Box, frame_shape: tuple[int, ...], pad: float = 0.25, min_w: int = 96, min_h: int = 160
) -> tuple[int, int, int, int]:
    """A region grown by `pad` and to at least a HOG window with margin, clipped to the frame."""
    height, width = frame_shape[:2]
    x1, y1, x2, y2 = region
    w, h = x2 - x1, y2 - y1
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    w, h = max(w * (1 + 2 * pad), min_w), max(h * (1 + 2 * pad), min_h)
    return (
        max(0, int(cx - w / 2)),
        max(0, int(cy - h / 2)),
        min(width, int(cx + w / 2)),
        min(height, int(cy + h / 2)),
    )


def merge_regions(regions: Sequence[Box]) -> list[Box]:
    """Union overlapping regions until none overlap (few regions: quadratic is fine)."""
    merged = [tuple(map(float, r)) for r in regions]
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                    merged[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged  # type: ignore[return-value]


class HogPeopleDetector:
    """OpenCV's default people detector (64x128 window). Small people are upscaled so that a
    person of `min_person_px` fills the window."""

    def __init__(self, min_score: float = 0.4, min_person_px: int = 80):
        self.hog = cv2.HOGDescriptor()
        self.hog.setSVMDetector(
            np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector(), np.float32)
        )
        self.min_score = min_score
        self.upscale = max(1.0, 128 / min_person_px)

    def _run(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.upscale > 1.0:
            image = cv2.resize(
                image, None, fx=self.upscale, fy=self.upscale, interpolation=cv2.INTER_LINEAR
            )
        rects, weights = self.hog.detectMultiScale(
            image, winStride=(8, 8), padding=(8, 8), scale=1.08
        )
        return np.asarray(rects, dtype=np.float64).reshape(-1, 4) / self.upscale, np.asarray(
            weights
        ).reshape(-1)

    def detect(
        self, frame: np.ndarray, motion: Motion | None, regions: Sequence[Box] | None
    ) -> list[Detection]:
        crops = (
            [(0, 0, frame.shape[1], frame.shape[0])]
            if regions is None
            else [
                expand(r, frame.shape)
                for r in merge_regions([expand(r, frame.shape) for r in regions])
            ]
        )
        found = []
        for x1, y1, x2, y2 in crops:
            crop = frame[y1:y2, x1:x2]
            if crop.shape[0] < 128 / self.upscale or crop.shape[1] < 64 / self.upscale:
                continue
            rects, weights = self._run(crop)
            for (x, y, w, h), weight in zip(rects, weights, strict=True):
                if weight < self.min_score:
                    continue
                # the HOG window has a margin around the person: trim it to the figure
                box = (x1 + x + w * 0.18, y1 + y + h * 0.1, x1 + x + w * 0.82, y1 + y + h * 0.92)
                found.append(Detection(box, float(weight), "person"))
        return nms(found)


class MotionBlobDetector:
    """Blobs of the motion mask: tall ones are people, wide ones vehicles. Cheap and label-poor;
    it finds anything that moves, so it carries the combined detector's people and vehicles.

    With a calibration (`calibrate`), each blob is judged against the size a person has at
    its row: a vehicle is wider than 2.5 m on the ground, and a person blob wider than one
    person is cut into as many people at the valleys of its column profile, and one taller
    than a person is cut into the near person and the one behind (whose head tops the blob).
    Where the motion carries a background, a blob's people are found instead in its
    silhouette at full scale, front to back (`groups`): people in a group merge into one
    blob of the reduced mask, but the full frame shows their gaps, heads and feet."""

    VEHICLE_MIN_WIDTH_M = 2.5
    SPLIT_WIDTH = 1.5  # a blob this many person-widths wide holds more than one person
    SPLIT_HEIGHT = 1.35  # ... and this many person-heights tall, one behind another
    REJOIN_WIDTH = 1.3  # two boxes whose union is at most this many person-widths are one
    SHORT = 0.85  # a person blob shorter than this share of a person lacks its feet (groups)

    def __init__(
        self,
        min_area_px: int = 150,
        scale: PersonScale | None = None,
    ):
        self.min_area_px = min_area_px
        self.scale = scale
        self._kernel = cv2.getStructuringElement(
            cv2.MORPH_ELLIPSE, (3, 7)
        )  # joins a figure's parts

    def calibrate(self, scale: PersonScale) -> None:
        if self.scale is None:
            self.scale = scale

    def detect(
        self, frame: np.ndarray, motion: Motion | None, regions: Sequence[Box] | None
    ) -> list[Detection]:
        if motion is None:
            raise ValueError("the motion-blob detector needs the motion mask")
        mask = cv2.morphologyEx(
            cv2.medianBlur(motion.raw, 3) | motion.mask, cv2.MORPH_CLOSE, self._kernel
        )
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        inverse = 1.0 / motion.scale
        found = []
        difference: np.ndarray | None = None  # the full-scale foreground, made when needed
        for i in range(1, count):
            x, y, w, h, area = stats[i]
            if area * inverse * inverse < self.min_area_px:
                continue
            box = (x * inverse, y * inverse, (x + w) * inverse, (y + h) * inverse)
            score = float(min(1.0, area / (w * h) + 0.3))
            if self.scale is None:
                label = "vehicle" if w > 1.25 * h else "person"
                found.append(Detection(box, score, label))
                continue
            person_w, _person_h = self.scale.person_size(((box[0] + box[2]) / 2, box[3]))
            if person_w <= 0:  # above the horizon: not on the ground
                continue
            wide = (box[2] - box[0]) / person_w * self.scale.PERSON_WIDTH_M
            if wide >= self.VEHICLE_MIN_WIDTH_M and w > 1.25 * h:
                found.append(Detection(box, score, "vehicle"))
                continue
            parts = None
            if difference is None:
                difference = foreground_difference(frame, motion)
            if difference is not None:
                parts = self._people_fine(difference, labels, i, (x, y, w, h), inverse)
            if parts is None:
                component = labels[y : y + h, x : x + w] == i
                parts = self._people(component, x, y, inverse)
            found += [Detection(part, score, "person") for part in parts]
        return found

    def _people_fine(
        self,
        difference: np.ndarray,
        labels: np.ndarray,
        index: int,
        stats: tuple[int, int, int, int],
        inverse: float,
    ) -> list[Box] | None:
        """One blob's people, found front to back in its silhouette at full scale (see
        `silhouette` and `groups`), which shows the gaps, heads and feet that the reduced
        motion mask blurs. None when the silhouette is too faint to trust (a figure the
        grey of what is behind it): the blob is then judged at motion scale."""
        assert self.scale is not None
        found = silhouette(difference, labels, index, stats, inverse)
        if found is None:
            return None
        fine, (fx, fy) = found
        return fit_people(fine > 0, fx, fy, self.scale) or None

    def _people(self, component: np.ndarray, x0: int, y0: int, inverse: float) -> list[Box]:
        """One blob (a boolean array at motion scale, placed at x0, y0) as person boxes."""
        assert self.scale is not None
        columns = component.sum(axis=0)
        width = component.shape[1] * inverse
        bottom = (y0 + component.shape[0]) * inverse
        person_w, _ = self.scale.person_size(((x0 + component.shape[1] / 2) * inverse, bottom))
        people = 1
        if width > self.SPLIT_WIDTH * person_w:
            people = min(8, max(2, round(width / person_w)))
        cuts = [0]
        step = component.shape[1] / people
        for k in range(1, people):  # cut at the thinnest column near each even division
            centre = round(k * step)
            lo, hi = max(cuts[-1] + 1, round(centre - step / 3)), round(centre + step / 3)
            hi = min(hi, component.shape[1] - 1)
            if lo >= hi:
                continue
            cuts.append(lo + int(np.argmin(columns[lo:hi])))
        cuts.append(component.shape[1])
        boxes: list[Box] = []
        for left, right in itertools.pairwise(cuts):
            piece = component[:, left:right]
            rows = np.flatnonzero(piece.any(axis=1))
            cols = np.flatnonzero(piece.any(axis=0))
            if rows.size == 0 or cols.size == 0:
                continue
            top, low = rows[0], rows[-1] + 1
            x1, x2 = (x0 + left + cols[0]) * inverse, (x0 + left + cols[-1] + 1) * inverse
            boxes += self._stacked(piece[top:low], x1, x2, (y0 + top) * inverse, inverse)
        return self._rejoin(boxes)

    def _rejoin(self, boxes: list[Box]) -> list[Box]:
        """Undo over-cutting: two side-by-side boxes whose union is still one person's size
        (a person cut at a gap between an arm and the torso, say) are one person."""
        assert self.scale is not None
        boxes = list(boxes)
        merged = True
        while merged and len(boxes) > 1:
            merged = False
            for i in range(len(boxes)):
                for j in range(i + 1, len(boxes)):
                    a, b = boxes[i], boxes[j]
                    union = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    overlap = min(a[3], b[3]) - max(a[1], b[1])
                    if overlap < 0.6 * min(a[3] - a[1], b[3] - b[1]):
                        continue
                    person_w, person_h = self.scale.person_size(
                        ((union[0] + union[2]) / 2, union[3])
                    )
                    if (
                        union[2] - union[0] <= self.REJOIN_WIDTH * person_w
                        and union[3] - union[1] <= self.SPLIT_HEIGHT * person_h
                    ):
                        boxes[i] = union
                        del boxes[j]
                        merged = True
                        break
                if merged:
                    break
        return boxes

    def _stacked(
        self, piece: np.ndarray, x1: float, x2: float, top: float, inverse: float
    ) -> list[Box]:
        """A piece one person wide: the near person, and one behind if it is too tall."""
        assert self.scale is not None
        bottom = top + piece.shape[0] * inverse
        centre = (x1 + x2) / 2
        _person_w, person_h = self.scale.person_size((centre, bottom))
        if person_h <= 0:
            return [(x1, top, x2, bottom)]
        if bottom - top < self.SHORT * person_h:
            # legs that blend into the ground, or a nearer thing hiding them: the head is
            # seen, so the foot is where a person whose head is there stands
            foot = self.scale.foot_for_top(centre, top, top + 4 * (bottom - top))
            return [(x1, top, x2, max(bottom, foot))]
        if bottom - top <= self.SPLIT_HEIGHT * person_h:
            return [(x1, top, x2, bottom)]
        near_top = bottom - person_h
        # the rows above the near person's head (less a margin for the mask's dilation)
        far = piece[: max(0, round((near_top - 0.12 * person_h - top) / inverse))]
        cols = np.flatnonzero(far.sum(axis=0) >= max(1, far.shape[0] // 3))
        if cols.size == 0:
            return [(x1, top, x2, bottom)]
        far_x = x1 + (cols[0] + cols[-1] + 1) / 2 * inverse
        far_foot = self.scale.foot_for_top(far_x, top, bottom)
        far_w, _ = self.scale.person_size((far_x, far_foot))
        near = (x1, near_top, x2, bottom)
        behind = (far_x - far_w / 2, top, far_x + far_w / 2, far_foot)
        return [near, behind]


class CombinedDetector:
    """Motion blobs for people and vehicles, and HOG for the people no blob holds.

    HOG alone misses most people a fixed camera sees small or in groups (on the rendered
    street at 1280x720 it finds about one in four walkers, at any upscale), so the blobs,
    judged against the calibrated person size, carry the people; a HOG person is added only
    where no blob is, so one person is never two detections."""

    DUPLICATE_SHARE = 0.5  # a HOG box this much inside a blob's box is that blob's person

    def __init__(self, min_score: float = 0.4):
        self.people = HogPeopleDetector(min_score)
        self.blobs = MotionBlobDetector()

    def calibrate(self, scale: PersonScale) -> None:
        self.blobs.calibrate(scale)

    def detect(
        self, frame: np.ndarray, motion: Motion | None, regions: Sequence[Box] | None
    ) -> list[Detection]:
        blobs = self.blobs.detect(frame, motion, regions)
        hog = [
            d
            for d in self.people.detect(frame, motion, regions)
            if not any(_inside_share(d.box, b.box) >= self.DUPLICATE_SHARE for b in blobs)
        ]
        return blobs + hog


def _inside_share(box: Box, other: Box) -> float:
    """The share of `box`'s area that lies inside `other`."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    return max(0.0, w) * max(0.0, h) / area if area > 0 else 0.0


class OnnxDetector:
    """A user-supplied ONNX model. Contract: input float32 NCHW RGB in [0, 1] of `input_size`
    (the frame is letterboxed into it); output (N, 6) rows of x1, y1, x2, y2, score, class in
    input pixels. Classes map to labels through `class_labels`; others are dropped."""

    def __init__(self, spec: DetectorSpec, providers: Sequence[str] | None = None):
        import onnxruntime as ort

        available = ort.get_available_providers()
        wanted = list(providers) if providers else ["CUDAExecutionProvider", "CPUExecutionProvider"]
        self.providers = [p for p in wanted if p in available] or ["CPUExecutionProvider"]
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(
            spec.model_path, sess_options=options, providers=self.providers
        )
        self.input_name = self.session.get_inputs()[0].name
        self.size = spec.input_size
        self.labels = spec.class_labels
        self.min_score = spec.min_score

    def _letterbox(self, image: np.ndarray) -> tuple[np.ndarray, float, int, int]:
        width, height = self.size
        scale = min(width / image.shape[1], height / image.shape[0])
        resized = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
        canvas = np.zeros((height, width, 3), np.uint8)
        top, left = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
        canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
        tensor = (
            cv2.cvtColor(canvas, cv2.COLOR_BGR2RGB).astype(np.float32).transpose(2, 0, 1)[None]
            / 255.0
        )
        return tensor, scale, left, top

    def detect(
        self, frame: np.ndarray, motion: Motion | None, regions: Sequence[Box] | None
    ) -> list[Detection]:
        crops = (
            [(0, 0, frame.shape[1], frame.shape[0])]
            if regions is None
            else [
                expand(r, frame.shape, min_w=160, min_h=160) for r in merge_regions(list(regions))
            ]
        )
        found = []
        for x1, y1, x2, y2 in crops:
            tensor, scale, left, top = self._letterbox(frame[y1:y2, x1:x2])
            rows = np.asarray(self.session.run(None, {self.input_name: tensor})[0]).reshape(-1, 6)
            for bx1, by1, bx2, by2, score, cls in rows:
                label = self.labels.get(int(cls))
                if label is None or score < self.min_score:
                    continue
                box = (
                    max(x1, x1 + (bx1 - left) / scale),
                    max(y1, y1 + (by1 - top) / scale),
                    min(x2, x1 + (bx2 - left) / scale),
                    min(y2, y1 + (by2 - top) / scale),
                )
                if box[2] > box[0] and box[3] > box[1]:
                    found.append(Detection(box, float(score), label))
        return nms(found)


def build_detector(spec: DetectorSpec) -> Detector:
    if spec.kind == "hog":
        return HogPeopleDetector(spec.min_score)
    if spec.kind == "motion_blob":
        return MotionBlobDetector()
    if spec.kind == "onnx":
        return OnnxDetector(spec)
    return CombinedDetector(spec.min_score)
