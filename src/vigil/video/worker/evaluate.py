"""Accuracy against rendered ground truth: MOTA and IDF1 (motmetrics), line-crossing count
error, loitering and intrusion precision and recall, crowd-density error.

Ground-truth events come from running the same rule definitions over the true tracks; the
worker's events come from detection and tracking on the pixels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import motmetrics as mm
import numpy as np

from vigil.video.worker.analytics import Analytics, FrameContext
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.events import VideoEvent
from vigil.video.worker.geometry import inside, polygon_area, project
from vigil.video.worker.synth import Clip, TruthBox
from vigil.video.worker.tracking import Track


def iou_distances(a: list, b: list, min_iou: float) -> np.ndarray:
    """1 − IoU between each pair of boxes, NaN (no match) below `min_iou`."""
    if not a or not b:
        return np.empty((len(a), len(b)))
    x = np.asarray(a, dtype=np.float64)[:, None, :]
    y = np.asarray(b, dtype=np.float64)[None, :, :]
    w = np.clip(np.minimum(x[..., 2], y[..., 2]) - np.maximum(x[..., 0], y[..., 0]), 0, None)
    h = np.clip(np.minimum(x[..., 3], y[..., 3]) - np.maximum(x[..., 1], y[..., 1]), 0, None)
    inter = w * h
    area = lambda z: (z[..., 2] - z[..., 0]) * (z[..., 3] - z[..., 1])  # noqa: E731
    iou = inter / (area(x) + area(y) - inter)
    return np.where(iou >= min_iou, 1.0 - iou, np.nan)


def mot_scores(
    truth: list[list[TruthBox]],
    tracks: list[list[Track]],
    labels: tuple[str, ...] = ("person", "vehicle"),
    min_iou: float = 0.4,
) -> dict[str, float]:
    """MOTA, IDF1, ID switches over frames (boxes matched at IoU >= min_iou, labels pooled)."""
    acc = mm.MOTAccumulator(auto_id=True)
    for gt, hyp in zip(truth, tracks, strict=True):
        gt = [box for box in gt if box.label in labels]
        hyp = [track for track in hyp if track.label in labels]
        distances = iou_distances([b.box for b in gt], [t.box for t in hyp], min_iou)
        acc.update([b.id for b in gt], [t.id for t in hyp], distances)
    summary = mm.metrics.create().compute(
        acc, metrics=["mota", "idf1", "num_switches", "precision", "recall"]
    )
    row = summary.iloc[0]
    return {
        "mota": float(row["mota"]),
        "idf1": float(row["idf1"]),
        "id_switches": float(row["num_switches"]),
        "precision": float(row["precision"]),
        "recall": float(row["recall"]),
    }


def truth_events(clip: Clip) -> list[VideoEvent]:
    """The events a perfect detector and tracker would give: the rules over the true tracks."""
    config = clip.config
    track_rules = [
        rule for rule in config.rules if rule.kind in ("line_crossing", "intrusion", "loitering")
    ]
    analytics = Analytics(
        config.model_copy(update={"rules": track_rules}), clip.frames[0].shape[:2], 1.0
    )
    assert config.start_at is not None
    from datetime import timedelta

    events = []
    for index, boxes in enumerate(clip.truth):
        tracks = [Track(b.id, b.label, b.box) for b in boxes if b.label != "object"]
        ctx = FrameContext(
            index, config.start_at + timedelta(seconds=index / config.fps), tracks, None
        )
        events += [item.event for item in analytics.step(ctx)]
    return [event for event in events if event.kind != "zone_count"]


@dataclass(frozen=True)
class PrecisionRecall:
    truth: int
    found: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0


def match_events(
    truth: list[VideoEvent], found: list[VideoEvent], kind: str, tolerance_s: float
) -> PrecisionRecall:
    """Greedy one-to-one matching by zone, direction and time within `tolerance_s`."""
    gt = sorted((e for e in truth if e.kind == kind), key=lambda e: e.started_at)
    hyp = sorted((e for e in found if e.kind == kind), key=lambda e: e.started_at)
    used: set[int] = set()
    matched = 0
    for event in gt:
        best, best_gap = None, tolerance_s
        for i, other in enumerate(hyp):
            if i in used or other.zone != event.zone or other.direction != event.direction:
                continue
            gap = abs((other.started_at - event.started_at).total_seconds())
            if gap <= best_gap:
                best, best_gap = i, gap
        if best is not None:
            used.add(best)
            matched += 1
    return PrecisionRecall(len(gt), len(hyp), matched)


def crossing_count_error(truth: list[VideoEvent], found: list[VideoEvent]) -> float:
    """|counted − true| summed over directions, over the true total."""

    def counts(events):
        return {
            d: sum(1 for e in events if e.kind == "line_crossing" and e.direction == d)
            for d in ("in", "out")
        }

    t, f = counts(truth), counts(found)
    total = t["in"] + t["out"]
    return (abs(t["in"] - f["in"]) + abs(t["out"] - f["out"])) / total if total else 0.0


def true_density(clip: Clip, config: WorkerConfig, zone: str, frame: int) -> float:
    to_world = np.linalg.inv(clip.world_to_image)
    polygon = next(z.polygon for z in config.zones if z.name == zone)
    world_polygon = [tuple(p) for p in project(to_world, polygon)]
    people = sum(
        1 for b in clip.truth[frame] if b.label == "person" and inside(world_polygon, b.world)
    )
    return people / polygon_area(world_polygon)


def density_error(
    clip: Clip, measured: list[tuple[int, float]], zone: str, floor: float = 0.25
) -> dict[str, float]:
    """Mean absolute relative error of the measured density where the true one is >= `floor`,
    and the relative error at the peak."""
    errors, peak_true, peak_measured = [], 0.0, 0.0
    for frame, value in measured:
        truth = true_density(clip, clip.config, zone, frame)
        if truth >= floor:
            errors.append(abs(value - truth) / truth)
        if truth > peak_true:
            peak_true, peak_measured = truth, value
    return {
        "mean_relative_error": float(np.mean(errors)) if errors else float("nan"),
        "peak_true": peak_true,
        "peak_measured": peak_measured,
        "samples": float(len(errors)),
    }


def borderline(
    clip: Clip, zone: str, band_m: float = 0.3
) -> tuple[set[int], list[tuple[float, float]]]:
    """The truth actors that graze a zone: at some moment their foot is within `band_m` of the
    zone's edge on the ground, and it never goes deeper than `band_m` inside. Whether such a
    graze is an entry is below what the image resolves (at the back of the street scene one
    pixel of foot height is about 0.3 m of depth), so it is scored as "don't care", as
    detection benchmarks do with ambiguous objects: found or not, it counts neither way.
    Returns their ids and the times (s) they spend within the band."""
    from shapely.geometry import Point as ShapelyPoint
    from shapely.geometry import Polygon

    to_world = np.linalg.inv(clip.world_to_image)
    polygon_px = next(z.polygon for z in clip.config.zones if z.name == zone)
    ground = Polygon([tuple(p) for p in project(to_world, polygon_px)])
    deepest: dict[int, float] = {}
    near: dict[int, list[int]] = {}
    for frame, boxes in enumerate(clip.truth):
        for box in boxes:
            if box.label == "object":
                continue
            point = ShapelyPoint(box.world)
            edge = ground.exterior.distance(point)
            depth = edge if ground.contains(point) else -edge
            deepest[box.id] = max(deepest.get(box.id, -np.inf), depth)
            if edge <= band_m:
                near.setdefault(box.id, []).append(frame)
    ids = {i for i, depth in deepest.items() if i in near and depth < band_m}
    fps = clip.config.fps
    return ids, [(min(near[i]) / fps, max(near[i]) / fps) for i in sorted(ids)]


def match_events_dont_care(
    truth: list[VideoEvent],
    found: list[VideoEvent],
    kind: str,
    tolerance_s: float,
    grazing: tuple[set[int], list[tuple[float, float]]],
    start: datetime,
) -> PrecisionRecall:
    """`match_events`, with the grazes of `borderline` as don't-care: a true event of a
    grazing actor that nothing found is not a miss, and a found event that matches no true
    one but falls in a graze's time (within the tolerance) is not a false alarm."""
    ids, windows = grazing
    hyp = [e for e in found if e.kind == kind]
    kept_truth = [
        e for e in truth if e.kind == kind and int(e.source_event_id.split(":")[2]) not in ids
    ]
    firm = match_events(kept_truth, hyp, kind, tolerance_s)

    def in_graze(event: VideoEvent) -> bool:
        at = (event.started_at - start).total_seconds()
        return any(a - tolerance_s <= at <= b + tolerance_s for a, b in windows)

    # the found events left unmatched are false alarms, unless they fall in a graze
    used = _matched_indices(kept_truth, hyp, tolerance_s)
    spared = sum(1 for i, e in enumerate(hyp) if i not in used and in_graze(e))
    return PrecisionRecall(len(kept_truth), len(hyp) - spared, firm.matched)


def _matched_indices(truth: list[VideoEvent], found: list[VideoEvent], tolerance_s: float) -> set:
    gt = sorted(truth, key=lambda e: e.started_at)
    order = sorted(range(len(found)), key=lambda i: found[i].started_at)
    used: set[int] = set()
    for event in gt:
        best, best_gap = None, tolerance_s
        for i in order:
            other = found[i]
            if i in used or other.zone != event.zone or other.direction != event.direction:
                continue
            gap = abs((other.started_at - event.started_at).total_seconds())
            if gap <= best_gap:
                best, best_gap = i, gap
        if best is not None:
            used.add(best)
    return used
