"""Deterministic test clips with ground truth: people and vehicles as moving figures on a
calibrated ground plane, with occlusion, a lighting change, camera shake and crowding.

Two views: `street` (an oblique view of a street and a square, for crossings, intrusion,
loitering and abandoned objects) and `plaza` (a high, steep view of a square that fills up to
more than 2 people per m², for crowd density and surge). Everything follows from the seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np

from vigil.video.worker.config import Calibration, Line, Point, Rule, WorkerConfig, Zone
from vigil.video.worker.geometry import project

PERSON_HEIGHT_M = 1.7
PERSON_WIDTH_M = 0.55
PERSON_RADIUS_M = 0.2  # overhead footprint
VEHICLE_LENGTH_M = 4.4
VEHICLE_HEIGHT_M = 1.5


@dataclass
class Actor:
    """A figure that follows straight legs between key frames (frame, world x, world y)."""

    id: int
    label: Literal["person", "vehicle", "object"]
    keys: list[tuple[int, float, float]]
    colour: tuple[int, int, int]

    def position(self, frame: int) -> tuple[float, float] | None:
        if frame < self.keys[0][0] or frame > self.keys[-1][0]:
            return None
        for (f0, x0, y0), (f1, x1, y1) in zip(self.keys, self.keys[1:], strict=False):
            if f0 <= frame <= f1:
                t = 0.0 if f1 == f0 else (frame - f0) / (f1 - f0)
                return x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        return self.keys[-1][1], self.keys[-1][2]


@dataclass(frozen=True)
class TruthBox:
    id: int
    label: str
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 pixels
    foot: Point  # image point on the ground
    world: Point  # ground-plane metres


@dataclass
class Clip:
    frames: list[np.ndarray]
    truth: list[list[TruthBox]]  # per frame
    config: WorkerConfig
    world_to_image: np.ndarray
    density_zone_area_m2: float | None = None
    meta: dict[str, object] = field(default_factory=dict)


def _calibration(width: int, height: int, view: str) -> tuple[Calibration, np.ndarray]:
    if view == "street":  # 20 m wide, 15 m deep, seen obliquely
        world = [(0.0, 0.0), (20.0, 0.0), (20.0, 15.0), (0.0, 15.0)]
        image = [
            (-0.1 * width, 0.98 * height),
            (1.1 * width, 0.98 * height),
            (0.78 * width, 0.42 * height),
            (0.22 * width, 0.42 * height),
        ]
    else:  # 12 m by 7 m seen from high above, a mild keystone
        world = [(0.0, 0.0), (12.0, 0.0), (12.0, 7.0), (0.0, 7.0)]
        image = [
            (0.02 * width, 0.98 * height),
            (0.98 * width, 0.98 * height),
            (0.9 * width, 0.04 * height),
            (0.1 * width, 0.04 * height),
        ]
    calibration = Calibration(image_points=image, world_points=world)
    to_image, _ = cv2.findHomography(np.asarray(world), np.asarray(image), 0)
    return calibration, to_image


def _pixels_per_metre(to_image: np.ndarray, x: float, y: float) -> float:
    a, b = project(to_image, [(x, y), (x + 1.0, y)])
    return float(np.hypot(*(b - a)))


def _background(width: int, height: int, rng: np.random.Generator, view: str) -> np.ndarray:
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    base = 90 + 70 * rows if view == "street" else np.full((height, 1), 120, np.float32)
    image = np.repeat(base, width, axis=1)
    noise = cv2.GaussianBlur(rng.normal(0, 12, (height, width)).astype(np.float32), (0, 0), 3)
    image = np.clip(image + noise, 0, 255)
    frame = cv2.merge([image * 0.95, image, image * 1.05]).clip(0, 255).astype(np.uint8)
    if view == "street":  # a sky band and a few facades
        frame[: int(0.42 * height)] = (170, 150, 120)
        for _ in range(6):
            x = int(rng.uniform(0, width * 0.9))
            w = int(rng.uniform(0.05, 0.15) * width)
            top = int(rng.uniform(0.05, 0.3) * height)
            shade = int(rng.uniform(60, 140))
            cv2.rectangle(
                frame, (x, top), (x + w, int(0.42 * height)), (shade, shade, shade + 10), -1
            )
    return frame


def _draw_person(
    frame: np.ndarray, foot: np.ndarray, px_per_m: float, colour, frame_no: int, view: str
) -> tuple[float, float, float, float]:
    x, y = float(foot[0]), float(foot[1])
    if view == "plaza":
        r = PERSON_RADIUS_M * px_per_m
        cv2.ellipse(
            frame,
            (round(x), round(y)),
            (round(r), round(r * 0.8)),
            0,
            0,
            360,
            colour,
            -1,
            cv2.LINE_AA,
        )
        cv2.circle(
            frame, (round(x), round(y)), max(1, round(r * 0.45)), (40, 40, 40), -1, cv2.LINE_AA
        )
        return x - r, y - r * 0.8, x + r, y + r * 0.8
    h = PERSON_HEIGHT_M * px_per_m
    w = PERSON_WIDTH_M * px_per_m
    head = h * 0.13
    swing = np.sin(frame_no * 0.6) * w * 0.35
    hip = (x, y - h * 0.48)
    thick = max(2, round(w * 0.22))
    dark = tuple(int(c * 0.5) for c in colour)
    for dx in (swing, -swing):  # legs
        cv2.line(
            frame,
            (round(hip[0]), round(hip[1])),
            (round(x + dx), round(y)),
            dark,
            thick,
            cv2.LINE_AA,
        )
    torso = np.array(
        [
            [x - w * 0.5, y - h * 0.85],
            [x + w * 0.5, y - h * 0.85],
            [x + w * 0.38, y - h * 0.45],
            [x - w * 0.38, y - h * 0.45],
        ],
        np.int32,
    )
    cv2.fillConvexPoly(frame, torso, colour, cv2.LINE_AA)
    for dx in (w * 0.55, -w * 0.55):  # arms
        cv2.line(
            frame,
            (round(x + dx * 0.9), round(y - h * 0.82)),
            (round(x + dx - swing * 0.5), round(y - h * 0.5)),
            colour,
            max(1, thick - 1),
            cv2.LINE_AA,
        )
    cv2.circle(frame, (round(x), round(y - h + head)), round(head), (60, 80, 110), -1, cv2.LINE_AA)
    return x - w * 0.6, y - h, x + w * 0.6, y


def _draw_vehicle(
    frame: np.ndarray, foot: np.ndarray, px_per_m: float, colour
) -> tuple[float, float, float, float]:
    x, y = float(foot[0]), float(foot[1])
    length, height = VEHICLE_LENGTH_M * px_per_m, VEHICLE_HEIGHT_M * px_per_m
    x1, x2, y1 = x - length / 2, x + length / 2, y - height
    cv2.rectangle(
        frame,
        (round(x1), round(y1 + height * 0.35)),
        (round(x2), round(y - height * 0.15)),
        colour,
        -1,
    )
    cv2.rectangle(
        frame,
        (round(x1 + length * 0.2), round(y1)),
        (round(x2 - length * 0.25), round(y1 + height * 0.4)),
        tuple(int(c * 0.7) for c in colour),
        -1,
    )
    for wx in (x1 + length * 0.2, x2 - length * 0.2):
        cv2.circle(
            frame, (round(wx), round(y - height * 0.15)), round(height * 0.15), (20, 20, 20), -1
        )
    return x1, y1, x2, y


def _draw_object(
    frame: np.ndarray, foot: np.ndarray, px_per_m: float
) -> tuple[float, float, float, float]:
    x, y = float(foot[0]), float(foot[1])
    w, h = 0.6 * px_per_m, 0.45 * px_per_m
    cv2.rectangle(
        frame, (round(x - w / 2), round(y - h)), (round(x + w / 2), round(y)), (30, 60, 160), -1
    )
    return x - w / 2, y - h, x + w / 2, y


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    palette = [
        (30, 30, 200),
        (200, 60, 30),
        (30, 160, 40),
        (20, 20, 20),
        (230, 230, 230),
        (40, 180, 220),
    ]
    return palette[int(rng.integers(len(palette)))]


def _street_actors(
    frames: int,
    fps: float,
    rng: np.random.Generator,
    walkers: int,
    vehicles: int,
    loiterers: int = 3,
    intruders: int = 3,
    near_misses: bool = True,
) -> list[Actor]:
    actors: list[Actor] = []
    next_id = 1

    def add(label, keys):
        nonlocal next_id
        actors.append(
            Actor(next_id, label, keys, _colour(rng) if label != "object" else (30, 60, 160))
        )
        next_id += 1

    for i in range(walkers):  # crossing the scene left to right or back, on the pavement
        start = int(rng.uniform(0, frames * 0.8))
        speed = rng.uniform(1.0, 1.6) / fps  # metres per frame
        depth = rng.uniform(6.5, 13.5)
        left_to_right = i % 2 == 0
        xs = (-1.0, 21.0) if left_to_right else (21.0, -1.0)
        duration = int(22.0 / speed)
        add(
            "person", [(start, xs[0], depth), (start + duration, xs[1], depth + rng.uniform(-1, 1))]
        )
    for i in range(vehicles):  # on the road, 1 to 4.5 m deep
        start = int(rng.uniform(0, frames * 0.85))
        speed = rng.uniform(6.0, 9.0) / fps
        lane = 1.8 if i % 2 == 0 else 3.8
        xs = (-3.0, 23.0) if i % 2 == 0 else (23.0, -3.0)
        add("vehicle", [(start, xs[0], lane), (start + int(26.0 / speed), xs[1], lane)])
    _zone_actors(add, frames, fps, rng, loiterers, intruders, near_misses)
    # a bag is left on the square and stays
    add("object", [(int(frames * 0.3), 11.0, 9.5), (frames - 1, 11.0, 9.5)])
    return actors


# The street scene's zones on the ground (metres): the square where loitering is watched and
# the perimeter where any entry is an intrusion (see _scene_config).
SQUARE = (3.0, 8.0, 7.0, 12.0)  # x0, y0, x1, y1
PERIMETER = (13.0, 12.0, 18.0, 14.5)
LOITER_DWELL_S = 15.0


def _pace(
    keys: list[tuple[int, float, float]],
    rng: np.random.Generator,
    fps: float,
    until: int,
    xs: tuple[float, float],
    ys: tuple[float, float],
) -> None:
    """Append legs of a slow walk (0.3-0.7 m/s) between random points of a box until frame
    `until` (the last leg is cut to end there)."""
    t, x, y = keys[-1]
    while t < until:
        nx, ny = rng.uniform(*xs), rng.uniform(*ys)
        step = max(1, int(np.hypot(nx - x, ny - y) / rng.uniform(0.3, 0.7) * fps))
        if t + step > until:
            share = (until - t) / step
            nx, ny, step = x + share * (nx - x), y + share * (ny - y), until - t
        t, x, y = t + step, nx, ny
        keys.append((t, x, y))


def _zone_actors(add, frames: int, fps: float, rng, loiterers: int, intruders: int, near_misses):
    """The scripted people the zone rules are scored on, spread over the clip:

    - `loiterers` people who walk in from the left and pace the square for 17-22 s (over the
      15 s threshold), each in its own band of depth so that they are told apart on the ground,
      though they overlap in time and hide each other on the image;
    - `intruders` people who walk into the perimeter from the right, 0.6-2 m deep, wander in it
      for 2-5 s and leave to the right or to the front;
    - with `near_misses`: one person who paces the square for only 10-12.5 s (under the
      threshold: no loitering), one who walks along the perimeter's front edge 0.7-1.0 m
      outside it, and one who walks down its right-hand side 0.6-1.0 m outside it (no
      intrusion)."""
    x0, y0, x1, y1 = SQUARE
    duration = frames / fps
    walk = 1.3  # m/s, in and out
    if loiterers:
        last_start = max(0.0, duration - 30.0)
        band = (y1 - y0 - 0.6) / loiterers
        for k in range(loiterers):
            start = int((k * last_start / max(1, loiterers - 1) + rng.uniform(0, 1.5)) * fps)
            lo, hi = y0 + 0.3 + k * band, y0 + 0.3 + (k + 1) * band - 0.2
            depth = rng.uniform(lo, hi)
            entry = (x0 + rng.uniform(0.4, 1.0), depth)
            arrive = start + int((entry[0] + 1.0) / walk * fps)
            keys = [(start, -1.0, depth), (arrive, *entry)]
            stay = int(rng.uniform(LOITER_DWELL_S + 2.0, LOITER_DWELL_S + 7.0) * fps)
            _pace(keys, rng, fps, arrive + stay, (x0 + 0.4, x1 - 0.4), (lo, hi))
            t, x, y = keys[-1]
            keys.append((t + int((x + 1.0) / walk * fps), -1.0, y))
            add("person", keys)
    for k in range(intruders):
        start = int((duration * (0.03 + 0.85 * k / max(1, intruders)) + rng.uniform(0, 2)) * fps)
        px0, py0, px1, py1 = PERIMETER
        depth = rng.uniform(py0 + 0.6, py1 - 0.3)
        entry = (rng.uniform(px0 + 1.0, px1 - 1.0), depth)
        arrive = start + int((24.0 - entry[0]) / walk * fps)
        keys = [(start, 24.0, depth), (arrive, *entry)]
        _pace(
            keys,
            rng,
            fps,
            arrive + int(rng.uniform(2.0, 5.0) * fps),
            (px0 + 0.6, px1 - 0.6),
            (py0 + 0.6, py1 - 0.3),
        )
        t, x, y = keys[-1]
        if k % 2 == 0:  # back out to the right
            keys.append((t + int((24.0 - x) / walk * fps), 24.0, y))
        else:  # out through the front edge, then right along the square's far side
            keys.append((t + int((y - 10.0) / walk * fps), x, 10.0))
            keys.append((keys[-1][0] + int((24.0 - x) / walk * fps), 24.0, 10.0))
        add("person", keys)
    if near_misses:
        # a short stay in the square, under the loitering threshold
        start = int(rng.uniform(0.1, max(0.11, 0.9 - 18.0 / duration)) * duration * fps)
        depth = rng.uniform(y0 + 0.5, y1 - 0.5)
        arrive = start + int((x0 + 1.5) / walk * fps)
        keys = [(start, -1.0, depth), (arrive, x0 + 0.5, depth)]
        stay = int(rng.uniform(LOITER_DWELL_S - 5.0, LOITER_DWELL_S - 2.5) * fps)
        _pace(keys, rng, fps, arrive + stay, (x0 + 0.4, x1 - 0.4), (y0 + 0.4, y1 - 0.4))
        t, x, y = keys[-1]
        keys.append((t + int((x + 1.0) / walk * fps), -1.0, y))
        add("person", keys)
        px0, py0, px1, py1 = PERIMETER
        # along the front edge, outside it, from the right and back again
        start = int(rng.uniform(0.05, 0.5) * duration * fps)
        depth = py0 - rng.uniform(0.7, 1.0)
        turn = start + int((24.0 - (px0 - 0.5)) / walk * fps)
        keys = [(start, 24.0, depth), (turn, px0 - 0.5, depth)]
        keys.append((turn + int((px0 - 0.5 - 11.0) / walk * fps) + 1, 11.0, depth - 1.5))
        keys.append((keys[-1][0] + int(13.0 / walk * fps), 24.0, depth - 2.0))
        add("person", keys)
        # down the right-hand side, outside it
        start = int(rng.uniform(0.3, 0.75) * duration * fps)
        x = px1 + rng.uniform(0.6, 1.0)
        keys = [(start, x, py1 + 0.4), (start + int((py1 + 0.4 - 8.0) / walk * fps), x, 8.0)]
        keys.append((keys[-1][0] + int((24.0 - x) / walk * fps), 24.0, 8.0))
        add("person", keys)


def _plaza_actors(
    frames: int, fps: float, rng: np.random.Generator, peak_density: float
) -> list[Actor]:
    """Rows 0.6 m apart stream across the square at 0.8 m/s; their spacing along the flow
    shrinks over the clip, so the density rises from 0.3 per m² to `peak_density` (a surge)."""
    actors: list[Actor] = []
    speed = 0.8 / fps
    row_gap = 0.6
    rows = np.arange(0.5, 6.6, row_gap)
    frame = -int(13.0 / speed)  # the square starts populated
    next_id = 1
    while frame < frames:
        progress = min(1.0, max(0.0, frame / frames) * 1.6)
        density = 0.3 + (peak_density - 0.3) * progress
        spacing = 1.0 / (density * row_gap)
        for row in rows:
            jitter = rng.uniform(-0.05, 0.05)
            start_x = -0.5 + rng.uniform(-0.08, 0.08)
            end_frame = frame + int(13.0 / speed)
            actors.append(
                Actor(
                    next_id,
                    "person",
                    [(frame, start_x, row + jitter), (end_frame, 12.5, row + jitter)],
                    _colour(rng),
                )
            )
            next_id += 1
        frame += max(1, int(spacing / speed))
    return actors


def render(
    view: Literal["street", "plaza"] = "street",
    *,
    width: int = 640,
    height: int = 360,
    frames: int = 300,
    fps: float = 10.0,
    seed: int = 0,
    walkers: int = 10,
    vehicles: int = 3,
    peak_density: float = 2.2,
    occlusion: bool = True,
    lighting: bool = True,
    shake: bool = True,
    static_share: float = 0.0,
    loiterers: int = 3,
    intruders: int = 3,
    near_misses: bool = True,
) -> Clip:
    """Render a clip and its ground truth. `static_share` blanks the actors out of that share of
    the clip (in long runs of empty frames), for scenes that are mostly static."""
    rng = np.random.default_rng(seed)
    calibration, to_image = _calibration(width, height, view)
    background = _background(width, height, rng, view)
    if view == "street":
        actors = _street_actors(
            frames, fps, rng, walkers, vehicles, loiterers, intruders, near_misses
        )
    else:
        actors = _plaza_actors(frames, fps, rng, peak_density)
    pillar = (int(0.62 * width), int(0.35 * height), int(0.66 * width), int(0.9 * height))
    active = np.ones(frames, bool)
    if static_share > 0:  # quiet stretches: blocks of 50 frames with nothing moving
        block = 50
        blocks = max(1, frames // block)
        quiet = rng.choice(blocks, size=round(blocks * static_share), replace=False)
        for b in quiet:
            active[b * block : (b + 1) * block] = False
    out_frames: list[np.ndarray] = []
    truth: list[list[TruthBox]] = []
    for f in range(frames):
        frame = background.copy()
        boxes: list[TruthBox] = []
        present = []
        for actor in actors:
            pos = actor.position(f)
            if pos is None or (not active[f] and actor.label != "object"):
                continue
            present.append((pos[1], actor, pos))
        for _, actor, pos in sorted(present, key=lambda item: -item[0]):  # far ones first
            foot = project(to_image, [pos])[0]
            ppm = _pixels_per_metre(to_image, *pos)
            if actor.label == "person":
                box = _draw_person(frame, foot, ppm, actor.colour, f, view)
            elif actor.label == "vehicle":
                box = _draw_vehicle(frame, foot, ppm, actor.colour)
            else:
                box = _draw_object(frame, foot, ppm)
            x1, y1, x2, y2 = (
                max(0.0, box[0]),
                max(0.0, box[1]),
                min(width - 1.0, box[2]),
                min(height - 1.0, box[3]),
            )
            if x2 - x1 > 2 and y2 - y1 > 2:
                boxes.append(
                    TruthBox(
                        actor.id,
                        actor.label,
                        (x1, y1, x2, y2),
                        (float(foot[0]), float(foot[1])),
                        pos,
                    )
                )
        if occlusion and view == "street":
            cv2.rectangle(frame, pillar[:2], pillar[2:], (90, 90, 100), -1)
        if lighting:  # the light dims by 15 % over 8 s in the middle of the clip, and stays
            start, span = int(frames * 0.55), int(8 * fps)
            gain = 1.0 - 0.15 * min(1.0, max(0.0, (f - start) / span))
            if gain < 1.0:
                frame = cv2.convertScaleAbs(frame, alpha=gain)
        if shake and int(frames * 0.7) <= f < int(frames * 0.7) + int(2 * fps):
            dx, dy = rng.integers(-2, 3, size=2)
            frame = cv2.warpAffine(
                frame,
                np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32),
                (width, height),
                borderMode=cv2.BORDER_REPLICATE,
            )
        out_frames.append(frame)
        truth.append(boxes)
    config, zone_area = _scene_config(view, calibration, to_image, fps, width)
    return Clip(out_frames, truth, config, to_image, zone_area, {"view": view, "seed": seed})


def _image_polygon(to_image: np.ndarray, world: list[Point]) -> list[Point]:
    return [(float(x), float(y)) for x, y in project(to_image, world)]


def _scene_config(
    view: str, calibration: Calibration, to_image: np.ndarray, fps: float, width: int
) -> tuple[WorkerConfig, float | None]:
    if view == "street":
        a, b = _image_polygon(to_image, [(10.0, 5.5), (10.0, 14.5)])
        zones = [
            Zone(
                name="square", polygon=_image_polygon(to_image, [(3, 8), (7, 8), (7, 12), (3, 12)])
            ),
            Zone(
                name="perimeter",
                polygon=_image_polygon(to_image, [(13, 12), (18, 12), (18, 14.5), (13, 14.5)]),
            ),
            Zone(
                name="pavement",
                polygon=_image_polygon(to_image, [(8, 8.5), (12, 8.5), (12, 10.5), (8, 10.5)]),
            ),
        ]
        lines = [Line(name="crossing", a=a, b=b)]
        rules = [
            Rule(name="count", kind="line_crossing", zone="crossing", labels=["person"]),
            Rule(name="loiter", kind="loitering", zone="square", dwell_s=15.0),
            Rule(name="perimeter", kind="intrusion", zone="perimeter"),
            Rule(
                name="left-object",
                kind="abandoned_object",
                zone="pavement",
                labels=["object"],
                static_s=8.0,
            ),
        ]
        config = WorkerConfig(
            camera="synthetic-street",
            fps=fps,
            calibration=calibration,
            zones=zones,
            lines=lines,
            rules=rules,
            start_at="2026-06-01T12:00:00+00:00",
            motion_scale=0.5 if width <= 960 else 0.25,
            min_motion_area=20,
        )
        return config, None
    zone_world = [(3.0, 1.0), (9.0, 1.0), (9.0, 6.0), (3.0, 6.0)]
    zones = [Zone(name="centre", polygon=_image_polygon(to_image, zone_world))]
    rules = [
        Rule(name="crowded", kind="crowd_density", zone="centre", density_per_m2=1.5),
        Rule(
            name="surge", kind="crowd_surge", zone="centre", surge_per_m2=0.5, surge_window_s=10.0
        ),
    ]
    config = WorkerConfig(
        camera="synthetic-plaza",
        fps=fps,
        calibration=calibration,
        zones=zones,
        rules=rules,
        person_footprint_m2=float(np.pi * PERSON_RADIUS_M * PERSON_RADIUS_M * 0.8),
        motion_scale=1.0,
        start_at="2026-06-01T12:00:00+00:00",
        detector={"kind": "motion_blob"},
    )
    return config, 30.0
