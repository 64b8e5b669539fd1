"""Accuracy against rendered ground truth: MOTA and IDF1 (motmetrics), line-crossing count
error, loitering and intrusion precision and recall, crowd-density error.

Ground-truth events come from running the same rule definitions over the true tracks; the
worker's events come from detection and tracking on the pixels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import motmetrics as mm
import numpy as np

from vigil.video.worker.analytics import LOITER_GAP_S, Analytics, FrameContext
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.events import VideoEvent, event_id, event_key_and_frame
from vigil.video.worker.geometry import inside, polygon_area, project
from vigil.video.worker.places import assign
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


def true_tracks(truth: list[list[TruthBox]]) -> list[list[Track]]:
    """Per frame, the tracks a perfect detector and tracker would give: every person's and
    vehicle's true box, hidden or not, each with its own id (objects are not tracked)."""
    return [[Track(b.id, b.label, b.box) for b in boxes if b.label != "object"] for boxes in truth]


def truth_events(clip: Clip) -> list[VideoEvent]:
    """The events a perfect detector and tracker would give. Line crossings: the worker's
    line rule over the true tracks. Intrusion and loitering: each true person's own stays in
    the zone, measured directly (`zone_truth`), so that the worker's heuristics for broken
    tracks (twins, fragments, adoption) play no part in the ground truth."""
    config = clip.config
    track_rules = [rule for rule in config.rules if rule.kind == "line_crossing"]
    analytics = Analytics(
        config.model_copy(update={"rules": track_rules}), clip.frames[0].shape[:2], 1.0
    )
    assert config.start_at is not None
    events = []
    for index, tracks in enumerate(true_tracks(clip.truth)):
        ctx = FrameContext(
            index, config.start_at + timedelta(seconds=index / config.fps), tracks, None
        )
        events += [item.event for item in analytics.step(ctx)]
    events = [event for event in events if event.kind != "zone_count"]
    return events + zone_truth(clip)


def zone_truth(clip: Clip) -> list[VideoEvent]:
    """Intrusion and loitering over each true person's foot: a stay in the zone begins when
    the foot enters it and ends when it has been out longer than LOITER_GAP_S (the rules' exit
    hysteresis); an intrusion is a stay that lasts `confirm_s`, a loitering one that lasts
    `dwell_s`; one event per stay, starting when the stay began."""
    config = clip.config
    assert config.start_at is not None
    gap = int(LOITER_GAP_S * config.fps)
    zones = {zone.name: zone.polygon for zone in config.zones}
    events: list[VideoEvent] = []
    for rule in config.rules:
        if rule.kind not in ("intrusion", "loitering"):
            continue
        need = round((rule.confirm_s if rule.kind == "intrusion" else rule.dwell_s) * config.fps)
        polygon = zones[rule.zone]  # type: ignore[index]
        stays: dict[int, list[int]] = {}  # actor → [first, last frame in zone, reported]
        for index, boxes in enumerate(clip.truth):
            for box in boxes:
                if box.label not in rule.labels or not inside(polygon, box.foot):
                    continue
                stay = stays.get(box.id)
                if stay is None or index - stay[1] > gap:
                    stay = stays[box.id] = [index, index, 0]
                stay[1] = index
                if stay[2] or index - stay[0] < need:
                    continue
                stay[2] = 1
                at = config.start_at + timedelta(seconds=index / config.fps)
                started = config.start_at + timedelta(seconds=stay[0] / config.fps)
                events.append(
                    VideoEvent(
                        source_event_id=event_id(config.camera, rule.name, box.id, index),
                        camera=config.camera,
                        kind=rule.kind,
                        zone=rule.zone,
                        label=box.label,
                        value=round((index - stay[0]) / config.fps, 3)
                        if rule.kind == "loitering"
                        else None,
                        started_at=started,
                        ended_at=at if rule.kind == "loitering" else None,
                    )
                )
    return events


def replay_rules(
    config: WorkerConfig,
    frame_shape: tuple[int, int],
    motion_scale: float,
    raw_tracks: list[list[Track]],
) -> tuple[list[VideoEvent], list[list[Track]]]:
    """The track rules run again over tracks kept from a run (`RunStats.raw_tracks`, from the
    clip's first frame), through the same stitch: the events (no zone counts) and the stitched
    tracks per frame. The line, intrusion and loitering events are the run's own; the rules
    that look at pixels (crowding, abandoned objects) see no frames here and give none."""
    assert config.start_at is not None
    analytics = Analytics(config, frame_shape, motion_scale)
    events: list[VideoEvent] = []
    stitched = []
    for index, raw in enumerate(raw_tracks):
        tracks = analytics.stitch(index, raw)
        at = config.start_at + timedelta(seconds=index / config.fps)
        events += [item.event for item in analytics.step(FrameContext(index, at, tracks, None))]
        stitched.append(tracks)
    return [event for event in events if event.kind != "zone_count"], stitched


def rules_over_true_tracks(clip: Clip) -> list[VideoEvent]:
    """The events the worker's rules give over the clip's true tracks: every person's and
    vehicle's box, hidden or not, each with its own id, through the same stitch and rules as
    the worker's tracks. Scored against `truth_events`, this is the rules' own error, apart
    from the detector's and the tracker's."""
    return replay_rules(clip.config, clip.frames[0].shape[:2], 1.0, true_tracks(clip.truth))[0]


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
    truth: list[VideoEvent],
    found: list[VideoEvent],
    kind: str,
    tolerance_s: float,
    matching: str = "optimal",
) -> PrecisionRecall:
    """One-to-one matching of the `kind` events by zone, direction and start time within
    `tolerance_s` (see `_matched_pairs`)."""
    gt = [e for e in truth if e.kind == kind]
    hyp = [e for e in found if e.kind == kind]
    return PrecisionRecall(len(gt), len(hyp), len(_matched_pairs(gt, hyp, tolerance_s, matching)))


def match_events_on_person(
    truth_boxes: list[list[TruthBox]],
    tracks: list[list[Track]],
    truth: list[VideoEvent],
    found: list[VideoEvent],
    kind: str,
    tolerance_s: float,
    min_iou: float = 0.3,
) -> PrecisionRecall:
    """`match_events` with identity: a found event may pair with a true one only when it was
    reported on that event's person, the box of the track it names, in the frame it was
    reported, overlapping that person's true box more than anyone else's (IoU at least
    `min_iou`). Ids are read from the events' ids (camera:rule:track:frame); `tracks` and
    `truth_boxes` are per frame from the clip's first. A zone rule that keeps a place while the
    tracker hands its box from one person to another pairs on time and fails here."""
    gt = [e for e in truth if e.kind == kind]
    hyp = [e for e in found if e.kind == kind]
    people = [int(event_key_and_frame(e.source_event_id)[0]) for e in gt]
    on = [_reported_on(truth_boxes, tracks, e, min_iou) for e in hyp]
    pairs = _matched_pairs(gt, hyp, tolerance_s, allowed=lambda t, i: on[i] == people[t])
    return PrecisionRecall(len(gt), len(hyp), len(pairs))


def _reported_on(
    truth_boxes: list[list[TruthBox]], tracks: list[list[Track]], event: VideoEvent, min_iou: float
) -> int | None:
    """The true person under the track `event` names, in the frame it names or, for a track
    lost by then (a stay reported when someone stood still and left the motion detector), the
    last frame before that held it; None if none."""
    key, frame = event_key_and_frame(event.source_event_id)
    track_id = int(key)
    for index in range(min(frame, len(tracks) - 1, len(truth_boxes) - 1), -1, -1):
        box = next((track.box for track in tracks[index] if track.id == track_id), None)
        if box is None:
            continue
        if not truth_boxes[index]:
            return None
        overlap = 1.0 - iou_distances([box], [b.box for b in truth_boxes[index]], min_iou)[0]
        if np.isnan(overlap).all():
            return None
        return truth_boxes[index][int(np.nanargmax(overlap))].id
    return None


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
    matching: str = "optimal",
) -> PrecisionRecall:
    """`match_events`, with the grazes of `borderline` as don't-care: a true event of a
    grazing actor that nothing found is not a miss, and a found event that matches no true
    one but falls in a graze's time (within the tolerance) is not a false alarm."""
    ids, windows = grazing
    hyp = [e for e in found if e.kind == kind]
    kept_truth = [
        e
        for e in truth
        if e.kind == kind and int(event_key_and_frame(e.source_event_id)[0]) not in ids
    ]
    firm = match_events(kept_truth, hyp, kind, tolerance_s, matching)

    def in_graze(event: VideoEvent) -> bool:
        at = (event.started_at - start).total_seconds()
        return any(a - tolerance_s <= at <= b + tolerance_s for a, b in windows)

    # the found events left unmatched are false alarms, unless they fall in a graze
    used = set(_matched_pairs(kept_truth, hyp, tolerance_s, matching).values())
    spared = sum(1 for i, e in enumerate(hyp) if i not in used and in_graze(e))
    return PrecisionRecall(len(kept_truth), len(hyp) - spared, firm.matched)


def _matched_pairs(
    truth: list[VideoEvent],
    found: list[VideoEvent],
    tolerance_s: float,
    matching: str = "optimal",
    allowed: Callable[[int, int], bool] | None = None,
) -> dict[int, int]:
    """The index of each matched true event → its found one. A pair may match when zone and
    direction agree and the starts are within `tolerance_s`. "optimal": the most pairs, and
    of those the least total gap (a maximum bipartite matching, sed_eval's default for event
    detection). "greedy": each true event in start order takes the nearest free found one,
    which depends on the order (a true event can take the found event of its neighbour,
    whose own lies just out of reach of it); kept to compare with figures reported before.
    `allowed(t, i)`, when given, must also hold for a pair."""
    if matching not in ("optimal", "greedy"):
        raise ValueError(f"matching must be 'optimal' or 'greedy', not {matching!r}")
    gaps = np.full((len(truth), len(found)), np.inf)
    for t, event in enumerate(truth):
        for i, other in enumerate(found):
            if allowed is not None and not allowed(t, i):
                continue
            if other.zone == event.zone and other.direction == event.direction:
                gap = abs((other.started_at - event.started_at).total_seconds())
                if gap <= tolerance_s:
                    gaps[t, i] = gap
    if matching == "optimal":  # the loitering places' assignment, in one tier
        return {t: i for i, t in assign(gaps, [0] * len(truth)).items()}
    pairs: dict[int, int] = {}
    used: set[int] = set()
    order = sorted(range(len(found)), key=lambda i: found[i].started_at)
    for t in sorted(range(len(truth)), key=lambda t: truth[t].started_at):
        best, best_gap = None, tolerance_s
        for i in order:
            if i not in used and gaps[t, i] <= best_gap:
                best, best_gap = i, gaps[t, i]
        if best is not None:
            used.add(best)
            pairs[t] = best
    return pairs


def explain(
    clip: Clip, truth: list[VideoEvent], found: list[VideoEvent], tolerances: dict[str, float]
) -> list[str]:
    """One line per missed true event and per false found one, for intrusion, loitering (at
    their tolerances) and line crossings (2 s): the person or track, the zone, the frames, and
    for a false zone event the true people near the zone then, each with how deep inside its
    edge they stood (m, negative outside). For diagnosis, not scoring."""
    from shapely.geometry import Point as ShapelyPoint
    from shapely.geometry import Polygon

    config = clip.config
    assert config.start_at is not None
    start = config.start_at
    to_world = np.linalg.inv(clip.world_to_image)

    def frame(event: VideoEvent) -> int:
        return round((event.started_at - start).total_seconds() * config.fps)

    lines = []
    for kind, tolerance in [*tolerances.items(), ("line_crossing", 2.0)]:
        gt = [e for e in truth if e.kind == kind]
        hyp = [e for e in found if e.kind == kind]
        pairs = _matched_pairs(gt, hyp, tolerance)
        hit, seen = set(pairs.values()), set(pairs)
        for i, event in enumerate(gt):
            if i not in seen:
                who, _ = event_key_and_frame(event.source_event_id)
                lines.append(
                    f"missed {kind} {event.zone} {event.direction or ''} person {who} "
                    f"from frame {frame(event)}"
                )
        for i, event in enumerate(hyp):
            if i in hit:
                continue
            track, confirmed = event_key_and_frame(event.source_event_id)
            note = ""
            if kind != "line_crossing":
                polygon = next(z.polygon for z in config.zones if z.name == event.zone)
                ground = Polygon([tuple(p) for p in project(to_world, polygon)])
                near = []
                for box in clip.truth[min(len(clip.truth) - 1, frame(event))]:
                    point = ShapelyPoint(box.world)
                    edge = ground.exterior.distance(point)
                    if box.label != "object" and (ground.contains(point) or edge < 2.0):
                        near.append(f"{box.id}:{edge if ground.contains(point) else -edge:+.2f}")
                note = f"; true people near the zone then (id:depth m) {' '.join(near)}"
            lines.append(
                f"false {kind} {event.zone} {event.direction or ''} track {track} "
                f"from frame {frame(event)} (reported {confirmed}){note}"
            )
    return lines
