"""Rules over tracks and motion: line crossing, intrusion, loitering, crowd density and surge,
abandoned objects, and counts per zone and 15 minutes. Pure state machines: their state is
plain data, so a checkpoint pickles it whole."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import cv2
import numpy as np

from vigil.video.worker.config import Rule, WorkerConfig
from vigil.video.worker.events import VideoEvent, event_id
from vigil.video.worker.geometry import (
    area_per_pixel,
    fill_mask,
    homography,
    inside,
    polygon_area,
    project,
    side,
)
from vigil.video.worker.motion import Motion
from vigil.video.worker.places import assign
from vigil.video.worker.tracking import Track

LINE_MARGIN = 0.3  # of the box's width: a foot this close to a line has not left its side yet
LOITER_GAP_S = 3.0  # a track out of the zone this long starts its dwell afresh
STATIC_DIFF = 35  # grey levels between a frame and the long-term background
STITCH_GAP_S = 3.0
# a new track this close on the ground to where a lost one would have walked on continues it
# (one body height on the image is metres at the back of a foreshortened scene)
STITCH_M = 1.7
TWIN_M = 0.45  # two feet closer than this on the ground are one person's
ADOPT_M = 0.8  # a new track this close on the ground to one in the zone may be its swap
# a new box in a zone that much under a reported track's box (of the smaller one) is a second
# box on that person: two people do not stand one mostly inside the other's box
SECOND_BOX = 0.5
# a track lost this deep inside a zone (on the ground) has stopped there, not left: the
# motion detector no longer sees a person who stands still, so its stay stays open for
# STILL_GAP_S, for a track that reappears within STILL_M of where it was lost
STILL_DEPTH_M = 0.5
STILL_GAP_S = 15.0
# a loitering place kept this long is someone who stays: lost, it stays open for STILL_GAP_S
STAYED_S = 8.0
# a loitering place opened within ARRIVAL_S of one reported already, within ARRIVAL_M of where
# that one was opened, is the same arrival: a second box on that person (wherever it has
# drifted since), or someone who came in with them
ARRIVAL_S = 2.0
ARRIVAL_M = 1.5
# a place held open past the exit gap and taken up again reports only once it has been kept
# this long since: a passer-by within reach of it for a moment is not the person back
TAKEN_UP_S = 1.0
STILL_M = 1.2
# ... and further, the longer they were lost up to HIDDEN_S, by HIDDEN_M_S a second (at most
# FRAGMENT_MAX_M): someone who paces on unseen behind a pillar comes out metres from where they
# were lost (on the bench's street, intruders lost 3-5 s behind the pillar came back 1.4-2.1 m
# off and were reported twice); lost longer, they had stood still
HIDDEN_M_S = 0.4
HIDDEN_S = 6.0
WALK_M_S = 1.5  # how far a walker gets while its track is lost ...
FRAGMENT_MAX_M = 3.0  # ... up to this: a fragment continues a track lost within that reach
LEFT_S = 0.5  # a track of a zone seen outside it this long after left it (was not lost in it)
# a new stay within ADOPT_M of where a reported one was this recently, that one no longer in
# the zone, continues it: the tracker gave the reported person a new id
REPORTED_TRAIL_S = 0.3
SWAP_S = 0.3  # a track seen outside a zone this soon after it was in it may have swapped ids
# a track seen outside a zone this recently (lost in between, as when it passes someone), within
# a walk of where it is now in the zone, walked in
WALK_IN_S = 1.0
GONE_FRAMES = 2  # frames a track of a zone is seen ADOPT_M outside it: it walked away
CROSSING_TWIN_S = 1.0  # a second crossing by a twin within this time is the same crossing
# a track first seen this close to a line (in box widths), that walks away from it within
# BORN_S, came from its other side: it split from a blob it shared with another person, or
# came out from behind one, as it crossed
BORN_NEAR = 1.5
BORN_S = 2.0
# ... by this much (in box widths, about 0.3 m): a box that stays where it was born (the
# motion model's ghost of someone who stood there) has not walked away
WALK_AWAY = 0.5
# loitering: a place kept this long is someone's: kept last frame, it is assigned its foot
# before a newer place is
PLACE_CONFIRM_S = 1.0
# loitering: a held place taken up again and missed more than this many frames before it was
# kept TAKEN_UP_S is taken up afresh when kept again (glimpses of a passer-by are not the
# person back)
TAKEN_UP_BREAK = 2
# loitering: an unreported place kept STAYED_S whose keeper walks out of the zone hands its stay
# to a younger place it met (their feet within ADOPT_M, one of them without a foot: their boxes
# merged) this recently: where two people's boxes merge and part, the tracker may swap them,
# and the one who stays goes on in the other's place
MET_S = 3.0
STILL_DIFF = 8  # grey levels between two frames of something that does not move
BACKGROUND_RATE = 0.05
_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))


@dataclass
class Emitted:
    event: VideoEvent
    box: tuple[float, float, float, float] | None = None  # what the snapshot centres on


@dataclass
class FrameContext:
    index: int
    at: datetime
    tracks: list[Track]
    motion: Motion | None
    gray_small: np.ndarray | None = None  # the frame at motion scale, for abandoned objects


def crowd_count(
    motion: Motion, zone_mask_small: np.ndarray, to_world: np.ndarray, footprint_m2: float
) -> float:
    """People in a zone from the foreground: the ground area of the moving pixels inside the
    zone over one person's footprint (so a blob of three people counts three, and a person
    half inside the zone counts half). A blob's outline pixels (those with a 4-neighbour
    outside it) count half: the figure's edge passes through them, and the motion model,
    which sees colour, takes in a pixel the figure covers only in part."""
    mask = cv2.bitwise_and(motion.mask, zone_mask_small)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    outline = cv2.subtract(mask, cv2.erode(mask, _CROSS))
    outline_px = np.bincount(labels[outline > 0], minlength=count)
    inverse = 1.0 / motion.scale
    people = 0.0
    for i in range(1, count):
        area = stats[i][4]
        if area * inverse * inverse < 4:
            continue
        cx, cy = centroids[i] * inverse
        covered = area - 0.5 * outline_px[i]
        ground = covered * inverse * inverse * area_per_pixel(to_world, (cx, cy))
        people += ground / footprint_m2
    return float(people)


@dataclass
class RuleState:
    sides: dict[int, float] = field(default_factory=dict)  # line crossing: last firm side per track
    # line crossing: where each track was first seen (frame, signed distance, position along)
    born: dict[int, tuple[int, float, float]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"in": 0, "out": 0})
    crossings: list[tuple[int, float, float, str]] = field(
        default_factory=list
    )  # line crossing: recent (frame, foot x, foot y, direction)
    fired: set[int] = field(default_factory=set)  # intrusion: stays already reported
    # intrusion: feet of the reported stays in the last REPORTED_TRAIL_S (frame, root, x, y)
    trail: list[tuple[int, int, float, float]] = field(default_factory=list)
    # intrusion: frames an unreported stay was seen in the zone with a reported one
    beside: dict[tuple[int, int], int] = field(default_factory=dict)
    outside: dict[int, int] = field(default_factory=dict)  # zone rules: last frame seen out
    entered: dict[int, tuple[int, int]] = field(
        default_factory=dict
    )  # intrusion: first, last frame in zone
    family: dict[int, int] = field(default_factory=dict)  # zone rules: track → whose stay
    # loitering: places people stand in the zone: x, y (image), first, last frame kept,
    # reported (0/1), last kept deep inside (0/1)
    places: dict[int, list[float]] = field(default_factory=dict)
    next_place: int = 0
    place_origins: dict[int, tuple[float, float]] = field(default_factory=dict)  # where opened
    place_keepers: dict[int, int] = field(default_factory=dict)  # loitering: who kept each last
    # loitering: the last frame each place met each other one (their feet within ADOPT_M, one
    # of the two without a foot that frame: `_meet_places`)
    place_meetings: dict[int, dict[int, int]] = field(default_factory=dict)
    # loitering: the frame each held place was taken up again
    taken_up: dict[int, int] = field(default_factory=dict)
    # loitering: places reported in the last minute (first frame, x, y where opened, frame
    # reported)
    reported_places: list[tuple[int, float, float, int]] = field(default_factory=list)
    feet: dict[int, tuple[float, float, float]] = field(
        default_factory=dict
    )  # intrusion: last foot (x, y) and box height in the zone
    # intrusion: tracks that left the zone by a jump no walker makes (their id went to someone
    # else): their stays are orphaned where they were last in the zone, for a newcomer there
    orphaned: set[int] = field(default_factory=set)
    # intrusion: tracks whose stay began with a step in from outside the zone, with their label
    walked_in: dict[int, str] = field(default_factory=dict)
    # intrusion: frames each track of a stay was seen ADOPT_M or more outside its zone since it
    # was last in it; in GONE_FRAMES it walked away, and its stay is over (its id, back in the
    # zone, may be on someone else): one frame is a box that lost its feet
    gone: dict[int, int] = field(default_factory=dict)
    active: bool = False  # crowd density above threshold
    history: deque = field(default_factory=deque)  # crowd: (frame, density)
    quiet_until: int = -1  # crowd surge refractory
    background: np.ndarray | None = None  # abandoned: long-term background, motion scale
    age: np.ndarray | None = None  # abandoned: frames each pixel has been static-foreground
    previous: np.ndarray | None = None  # abandoned: the last frame, motion scale
    reported: list[tuple[float, float]] = field(default_factory=list)  # abandoned: centres reported

    def __setstate__(self, data: dict) -> None:
        # a checkpoint written by an older worker lacks the newer fields: they start empty
        self.__dict__.update(RuleState().__dict__ | data)


class Analytics:
    def __init__(self, config: WorkerConfig, frame_shape: tuple[int, int], motion_scale: float):
        self.config = config
        self.fps = config.fps
        self.zones = {zone.name: zone.polygon for zone in config.zones}
        self.lines = {line.name: (line.a, line.b) for line in config.lines}
        self.to_world = homography(config.calibration) if config.calibration else None
        small = (
            max(1, round(frame_shape[0] * motion_scale)),
            max(1, round(frame_shape[1] * motion_scale)),
        )
        self.zone_masks_small = {
            name: fill_mask(small, [[(x * motion_scale, y * motion_scale) for x, y in polygon]])
            for name, polygon in self.zones.items()
        }
        self.zone_area_m2 = {
            name: polygon_area(project(self.to_world, polygon))
            if self.to_world is not None
            else None
            for name, polygon in self.zones.items()
        }
        # each zone on the ground (metres), where calibrated: depths of feet inside it
        self.zones_ground = {
            name: project(self.to_world, polygon).astype(np.float32).reshape(-1, 1, 2)
            for name, polygon in self.zones.items()
            if self.to_world is not None
        }
        self.state: dict[str, RuleState] = {rule.name: RuleState() for rule in config.rules}
        self.densities: dict[str, list[tuple[int, float]]] = {}  # per crowd rule, for evaluation
        self.bucket: int | None = None
        self.bucket_tracks: dict[tuple[str, str], set[int]] = {}
        self.alias: dict[int, int] = {}  # tracker id → the id the rules see
        self.next_id = 0
        self.last_seen: dict[int, tuple[int, tuple[float, float], float, str]] = {}
        # each track's foot in the last frames (frame, x, y, box height): entries into zones
        self.previous: dict[int, tuple[int, float, float, float]] = {}
        self.velocity: dict[int, tuple[float, float]] = {}  # canonical id → foot px/frame
        # each track's first and last frame seen: a track seen while another was in a zone
        # is someone else than that one
        self.seen: dict[int, tuple[int, int]] = {}

    # -- state, for checkpoints ---------------------------------------------------------------
    def snapshot_state(self) -> dict:
        return {
            "state": self.state,
            "densities": self.densities,
            "bucket": self.bucket,
            "bucket_tracks": self.bucket_tracks,
            "alias": self.alias,
            "last_seen": self.last_seen,
            "previous": self.previous,
            "velocity": self.velocity,
            "seen": self.seen,
            "next_id": self.next_id,
        }

    def restore_state(self, data: dict) -> None:
        self.state, self.densities = data["state"], data["densities"]
        self.bucket, self.bucket_tracks = data["bucket"], data["bucket_tracks"]
        self.alias, self.last_seen = data["alias"], data["last_seen"]
        self.previous, self.velocity = data["previous"], data["velocity"]
        self.seen = data.get("seen", {})  # absent from an older worker's checkpoint
        self.next_id = data["next_id"]

    def stitch(self, index: int, tracks: list[Track]) -> list[Track]:
        """Bridge the tracker's id switches: a new track that starts close to where a track of
        the same label was lost moments before (within STITCH_GAP_S and STITCH_M)
        carries that track's id. Only place and time are compared, never appearance, and
        never across cameras."""
        gap = int(STITCH_GAP_S * self.fps)
        canons: dict[int, int] = {}  # position in `tracks` → canonical id
        used: set[int] = set()  # canonical ids given out in this frame
        # continuing tracks first: a new track must not take the id of one still in view
        for position, track in enumerate(tracks):
            canon = self.alias.get(track.id)
            if canon is not None and canon not in used:
                canons[position] = canon
                used.add(canon)
        for position, track in enumerate(tracks):
            if position in canons:
                continue
            canon = self._stitch_new(index, track, used, gap)
            # the track it continues is over: if the tracker revives it, it is a new one
            self.alias = {raw: c for raw, c in self.alias.items() if c != canon}
            self.alias[track.id] = canon
            canons[position] = canon
            used.add(canon)
        out = []
        for position, track in enumerate(tracks):
            canon = canons[position]
            self.velocity[canon] = self._velocity(canon, index, track.foot)
            self.last_seen[canon] = (index, track.foot, track.box[3] - track.box[1], track.label)
            out.append(Track(canon, track.label, track.box))
        for canon in [c for c, seen in self.last_seen.items() if index - seen[0] > gap]:
            del self.last_seen[canon]
        live = set(self.last_seen)
        self.alias = {raw: canon for raw, canon in self.alias.items() if canon in live}
        self.velocity = {canon: v for canon, v in self.velocity.items() if canon in live}
        return out

    def _velocity(self, canon: int, index: int, foot: tuple[float, float]) -> tuple[float, float]:
        """The foot's velocity (pixels per frame), smoothed over the last steps."""
        seen = self.last_seen.get(canon)
        if seen is None or seen[0] >= index:
            return (0.0, 0.0)
        frames = index - seen[0]
        vx, vy = (foot[0] - seen[1][0]) / frames, (foot[1] - seen[1][1]) / frames
        old = self.velocity.get(canon)
        if old is None:
            return (vx, vy)
        return (0.5 * (old[0] + vx), 0.5 * (old[1] + vy))

    def _stitch_new(self, index: int, track: Track, used: set[int], gap: int) -> int:
        """The id a new track carries: a lost track's whose position, carried on at its last
        velocity, is within STITCH_M on the ground (one body height on the image where the
        camera is not calibrated), else a fresh one."""
        reach = STITCH_M if self.to_world is not None else track.box[3] - track.box[1]
        best, best_score = None, 1.0
        for canon, (last, foot, _, label) in self.last_seen.items():
            if canon in used or label != track.label or index - last > gap or last >= index:
                continue
            # where the lost track would be now, had it walked on as it did (behind a pillar)
            vx, vy = self.velocity.get(canon, (0.0, 0.0))
            x, y = foot[0] + vx * (index - last), foot[1] + vy * (index - last)
            score = self._distance((x, y), track.foot) / reach
            if score <= best_score:
                best, best_score = canon, score
        if best is None:
            self.next_id += 1
            best = self.next_id
        return best

    # -- the frame step -----------------------------------------------------------------------
    def step(self, ctx: FrameContext) -> list[Emitted]:
        out: list[Emitted] = []
        horizon = int(2 * STILL_GAP_S * self.fps)
        self.seen = {k: v for k, v in self.seen.items() if ctx.index - v[1] <= horizon}
        for track in ctx.tracks:
            self.seen[track.id] = (self.seen.get(track.id, (ctx.index, 0))[0], ctx.index)
        out += self._zone_counts(ctx)
        for rule in self.config.rules:
            if not rule.schedule.armed(ctx.at):
                continue
            handler = getattr(self, f"_{rule.kind}")
            out += handler(rule, self.state[rule.name], ctx)
        recent = round(WALK_IN_S * self.fps)
        self.previous = {
            track_id: seen
            for track_id, seen in self.previous.items()
            if seen[0] >= ctx.index - recent
        }
        for track in ctx.tracks:
            self.previous[track.id] = (
                ctx.index,
                track.foot[0],
                track.foot[1],
                track.box[3] - track.box[1],
            )
        return out

    def _walked_in(self, polygon: list, track: Track, index: int) -> bool:
        """Whether the track stepped into the zone: its foot was outside it when last seen,
        within WALK_IN_S, a walk from where it is now (`_walkable`; not a track born inside,
        nor an id that jumped here from another person)."""
        seen = self.previous.get(track.id)
        if seen is None or seen[0] < index - round(WALK_IN_S * self.fps) or seen[0] >= index:
            return False
        foot = (seen[1], seen[2])
        return self._walkable(track, foot, index - seen[0]) and not inside(polygon, foot)

    def _walkable(self, track: Track, foot: tuple[float, float], frames: int) -> bool:
        """Whether the track's foot is a walk from `foot`, where it was `frames` ago: within
        ADOPT_M, and WALK_M_S for each frame after the first, on the ground where calibrated
        (half a body height on the image spans metres of depth at the back of a scene), else
        within half a body height a frame."""
        if self.to_world is not None:
            reach = ADOPT_M + WALK_M_S * (max(1, frames) - 1) / self.fps
            return self._distance(foot, track.foot) <= reach
        reach = 0.5 * max(1.0, track.box[3] - track.box[1]) * max(1, frames - 1)
        return float(np.hypot(foot[0] - track.foot[0], foot[1] - track.foot[1])) <= reach

    def finish(self, ctx: FrameContext) -> list[Emitted]:
        """At the end of a clip: the open 15-minute bucket's counts."""
        return self._close_bucket(ctx) if self.bucket is not None else []

    def _event(self, rule_name: str, key: str | int, ctx: FrameContext, **fields) -> VideoEvent:
        return VideoEvent(
            source_event_id=event_id(self.config.camera, rule_name, key, ctx.index),
            camera=self.config.camera,
            started_at=ctx.at,
            **fields,
        )

    def _tracks(self, rule: Rule, ctx: FrameContext) -> list[Track]:
        return [track for track in ctx.tracks if track.label in rule.labels]

    def _line_crossing(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        a, b = self.lines[rule.zone]  # type: ignore[index]
        length = float(np.hypot(b[0] - a[0], b[1] - a[1]))
        out = []
        born_within = int(BORN_S * self.fps)
        sides_before = dict(state.sides)
        # tracks whose person a new track took over this frame: their jump is no crossing
        heirs = {
            track.id: parent
            for track in self._tracks(rule, ctx)
            if track.id not in state.sides
            and track.id not in state.born
            and (parent := self._jumped_from(track, ctx)) is not None
            and parent in sides_before
        }
        left_behind = set(heirs.values())
        for track in self._tracks(rule, ctx):
            distance = side(a, b, track.foot) / length
            width = track.box[2] - track.box[0]
            margin = max(2.0, LINE_MARGIN * width)
            if track.id not in state.sides and track.id not in state.born:
                if track.id in heirs:
                    # the person a track was on goes on under this new id: their side too
                    state.sides[track.id] = sides_before[heirs[track.id]]
                else:
                    state.born[track.id] = (ctx.index, distance, _projection(a, b, track.foot))
            if abs(distance) < margin:
                continue
            before = state.sides.get(track.id)
            if track.id in left_behind:
                state.sides[track.id] = distance  # it jumped off its person: not a walk across
                continue
            inferred = False
            if before is None:
                # a track born at the line that walks away from it crossed it as it was born
                first, at, along = state.born[track.id]
                at_birth = (
                    ctx.index - first <= born_within
                    and abs(at) <= BORN_NEAR * width
                    and ((at > 0) == (distance > 0) or abs(at) < margin)
                    and 0.0 <= along <= 1.0
                )
                if at_birth and abs(distance) < abs(at) + max(margin / 2, WALK_AWAY * width):
                    continue  # not walking away yet: its side stays open
                state.sides[track.id] = distance
                if abs(at) >= margin and (at > 0) != (distance > 0):
                    before = at  # born clear of the line on one side, now on the other
                elif not at_birth:
                    continue
                else:
                    before, inferred = -distance, True
            else:
                state.sides[track.id] = distance
                if (before > 0) == (distance > 0):
                    continue
            # the foot passed the line's infinite extension: count it only within the segment
            t = _projection(a, b, track.foot)
            if not 0.0 <= t <= 1.0:
                continue
            direction = "in" if before > 0 else "out"
            window = (BORN_S if inferred else CROSSING_TWIN_S) * self.fps
            recent = [
                c for c in state.crossings if ctx.index - c[0] <= window and c[3] == direction
            ]
            state.crossings = [
                *(c for c in state.crossings if ctx.index - c[0] <= BORN_S * self.fps),
                (ctx.index, track.foot[0], track.foot[1], direction),
            ]
            if inferred and any(self._near(track, (c[1], c[2])) for c in recent):
                continue  # a fragment of a person counted as it crossed moments ago
            if not inferred and any(
                self._close(track, (c[1], c[2]))
                for c in recent
                if ctx.index - c[0] <= CROSSING_TWIN_S * self.fps
            ):
                continue  # a second box on a person already counted
            state.counts[direction] += 1
            event = self._event(
                rule.name,
                track.id,
                ctx,
                kind="line_crossing",
                zone=rule.zone,
                label=track.label,
                direction=direction,
                value=float(state.counts[direction]),
            )
            out.append(Emitted(event, track.box))
        if len(state.born) > 4096:  # forget births long past
            state.born = {k: v for k, v in state.born.items() if ctx.index - v[0] <= 60 * self.fps}
        return out

    def _jumped(self, track: Track, index: int) -> bool:
        """Whether the track's foot moved further than ADOPT_M (one box width without a
        calibration) since the last frame: further than anyone walks in a frame."""
        seen = self.previous.get(track.id)
        if seen is None or seen[0] != index - 1:
            return False
        limit = ADOPT_M if self.to_world is not None else track.box[2] - track.box[0]
        return self._distance(track.foot, seen[1:3]) > limit

    def _jumped_from(self, track: Track, ctx: FrameContext) -> int | None:
        """Another track whose foot was, a frame ago, within ADOPT_M (one box width without a
        calibration) of where this new track is, and has jumped since, further than a walker's
        step (a box cut to half a person, or its id given to someone else): the new track is on
        the person that one was on."""
        limit = ADOPT_M if self.to_world is not None else track.box[2] - track.box[0]
        for other in ctx.tracks:
            seen = self.previous.get(other.id)
            if other.id == track.id or seen is None or seen[0] != ctx.index - 1:
                continue
            if self._distance(track.foot, seen[1:3]) <= limit and self._jumped(other, ctx.index):
                return other.id
        return None

    def _in_zone(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[tuple[Track, int]]:
        """The rule's tracks whose foot is in its zone now, each with the frame its stay began.

        A track keeps its entry frame through absences shorter than LOITER_GAP_S (exit
        hysteresis: a foot that steps out and back, or a track the tracker lost a moment), and
        through longer ones, up to STILL_GAP_S, when it was lost standing deep in the zone and
        comes back where it stood. A track new to the zone joins the stay of another track (its
        entry frame, and one report for both, through `state.family`) when it is a twin (a
        second box on the same person), or stands where a track of the zone stood a frame ago
        that has jumped off since (`_jumped_from`: the tracker gave that id to someone
        else, or cut its box), or continues one that vanished near where it starts
        (`_predecessor`: a fragment; not an unreported one whose track walked away outside
        the zone), or steps in where a track of the zone stood moments ago, that track now
        outside it (`_swapped`), or, born inside the zone rather than walking in, starts
        next to a track in the zone (`_neighbour`: the tracker may have swapped their ids as
        they passed) or mostly inside a reported track's box (`_second_box`). Tracks of a stay
        are seen first, new ones then. Only place and time are compared, never appearance."""
        gap = int(LOITER_GAP_S * self.fps)
        polygon = self.zones[rule.zone]  # type: ignore[index]
        self._orphan(state, polygon, ctx)
        present = {track.id for track in ctx.tracks} - state.orphaned
        # the stays someone present continues: their lost tracks need no other continuation
        continued = {_root(state.family, t) for t in present if t in state.entered}
        out = []
        # tracks of a stay first: a new track sees where they stand this frame (a twin, a
        # neighbour), whatever the tracker's order
        ordered = sorted(self._tracks(rule, ctx), key=lambda t: t.id not in state.entered)
        for track in ordered:
            if not inside(polygon, track.foot):
                if track.id in state.entered:
                    state.outside[track.id] = ctx.index
                    last = state.entered[track.id][1]
                    if (
                        self._depth(
                            rule.zone,  # type: ignore[arg-type]
                            track.foot,
                        )
                        <= -ADOPT_M
                        and self._walkable(track, state.feet[track.id][:2], ctx.index - last)
                    ):
                        state.gone[track.id] = state.gone.get(track.id, 0) + 1
                continue
            state.orphaned.discard(track.id)  # back in the zone: it carries its stay again
            first, last = state.entered.get(track.id, (ctx.index, ctx.index))
            if track.id not in state.entered:
                walked = self._walked_in(polygon, track, ctx.index)
                if walked:
                    state.walked_in[track.id] = track.label
                other = self._twin(state.feet, state.entered, track, ctx.index)
                if other is None:  # where a track of the zone stood, that jumped off since
                    jumped = self._jumped_from(track, ctx)
                    other = jumped if jumped in state.entered else None
                if other is None:
                    other = self._predecessor(
                        state,
                        rule.zone,  # type: ignore[arg-type]
                        track,
                        present | continued,
                        ctx.index,
                        gap,
                        walked,
                    )
                if other is None:
                    other = self._swapped(state, polygon, track, ctx)
                if other is None and not walked:
                    other = self._neighbour(state, track, ctx.index)
                if other is None and not walked:
                    other = self._second_box(state, track, ctx)
                if other is not None:
                    first = min(first, state.entered[other][0])
                    state.family[track.id] = _root(state.family, other)
            elif (
                state.gone.get(track.id, 0) >= GONE_FRAMES
                and self._walked_in(polygon, track, ctx.index)
            ) or (
                ctx.index - last > gap
                and not self._still_there(
                    rule.zone,  # type: ignore[arg-type]
                    state.feet[track.id],
                    track,
                    ctx.index - last,
                )
            ):  # walked away and back in, or out longer than the gap (and not lost standing
                # here): a new stay, reported anew
                first = ctx.index
                _reroot(state, track.id)
                state.family.pop(track.id, None)
                state.fired.discard(track.id)
            state.gone.pop(track.id, None)
            state.entered[track.id] = (first, ctx.index)
            state.feet[track.id] = (track.foot[0], track.foot[1], track.box[3] - track.box[1])
            out.append((track, first))
        forget = max(10 * gap, int(2 * STILL_GAP_S * self.fps))
        for other in [k for k, (_, last) in state.entered.items() if ctx.index - last > forget]:
            del state.entered[other]  # forget long-gone tracks
            state.feet.pop(other, None)
        live = set(state.entered)
        state.outside = {k: v for k, v in state.outside.items() if k in live}
        state.orphaned &= live
        state.gone = {k: v for k, v in state.gone.items() if k in live}
        state.walked_in = {k: v for k, v in state.walked_in.items() if k in live}
        state.family = {
            k: v for k, v in state.family.items() if k in live or v in live
        }  # a family lives while one of its tracks does
        return out

    def _orphan(self, state: RuleState, polygon: list, ctx: FrameContext) -> None:
        """Orphan the stays whose tracks left the zone by a jump (where calibrated): a track
        first seen outside the zone since it was last in it, further from its last foot
        there than a walker gets in the time (ADOPT_M + WALK_M_S per second), is on someone
        else now: the tracker gave its id away, or lost it and the stitch revived it on
        another person. Its stay stays where it was, for `_predecessor` to hand to a track
        that appears there, as it would a lost track's."""
        if self.to_world is None:
            return
        for track in ctx.tracks:
            if track.id not in state.entered or track.id in state.orphaned:
                continue
            _, last = state.entered[track.id]
            if inside(polygon, track.foot) or state.outside.get(track.id, -1) >= last:
                continue  # in the zone, or seen outside it already since it left
            x, y, _ = state.feet[track.id]
            reach = ADOPT_M + WALK_M_S * (ctx.index - last) / self.fps
            if self._distance((x, y), track.foot) > reach:
                state.orphaned.add(track.id)

    def _swapped(
        self, state: RuleState, polygon: list, track: Track, ctx: FrameContext
    ) -> int | None:
        """A track of the zone seen now outside it, in the zone moments ago (SWAP_S), whose
        last foot there is within ADOPT_M (one box width without a calibration) of where
        this new one is: two people passed close and the tracker swapped their ids, so the
        person in the zone goes on under the id of the one outside it."""
        recent = max(1, round(SWAP_S * self.fps))
        limit = ADOPT_M if self.to_world is not None else track.box[2] - track.box[0]
        outside = (
            t.id
            for t in ctx.tracks
            if not inside(polygon, t.foot)
            and t.id != track.id
            and t.id in state.feet
            and ctx.index - state.entered[t.id][1] <= recent
        )
        return self._nearest(state, track, outside, limit)

    def _neighbour(self, state: RuleState, track: Track, index: int) -> int | None:
        """The nearest track in the zone this frame or the last: within ADOPT_M on the ground
        where the camera is calibrated (one body height on the image spans metres of depth at
        the back of a scene, where it would join people standing apart), else within one body
        height."""
        height = max(1.0, track.box[3] - track.box[1])
        limit = ADOPT_M if self.to_world is not None else height
        recent = (other for other, (_, last) in state.entered.items() if last >= index - 1)
        return self._nearest(state, track, recent, limit)

    def _second_box(self, state: RuleState, track: Track, ctx: FrameContext) -> int | None:
        """A reported stay's track in the zone this frame whose box covers SECOND_BOX of this
        new one's (of the smaller box): the blob detector boxed that person twice, or cut
        their blob in two; on the ground the two feet may stand metres apart at the back of
        a scene."""
        for other in ctx.tracks:
            if other.id == track.id or state.entered.get(other.id, (0, -1))[1] != ctx.index:
                continue
            fired = _root(state.family, other.id) in state.fired
            if fired and _covered(track.box, other.box) >= SECOND_BOX:
                return other.id
        return None

    def _nearest(
        self, state: RuleState, track: Track, others: Iterable[int], limit: float
    ) -> int | None:
        """Of `others` (their last feet in the zone), the one nearest this track's foot,
        within `limit`; never the track itself."""
        best, best_distance = None, limit
        for other in others:
            if other == track.id or other not in state.feet:
                continue
            x, y, _ = state.feet[other]
            distance = self._distance(track.foot, (x, y))
            if distance <= best_distance:
                best, best_distance = other, distance
        return best

    def _distance(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        """Metres on the ground where calibrated, else pixels."""
        if self.to_world is None:
            return float(np.hypot(a[0] - b[0], a[1] - b[1]))
        p, q = project(self.to_world, [a, b])
        return float(np.hypot(*(p - q)))

    def _twin(
        self,
        feet: dict[int, tuple[float, float, float]],
        seen: dict[int, tuple[int, int]],
        track: Track,
        index: int,
    ) -> int | None:
        """Another track seen this frame or the last whose foot stands where this one's does
        (closer than two people can stand: TWIN_M on the ground, or a third of a box width
        without a calibration): a second box on the same person."""
        for other, (x, y, _) in feet.items():
            if other == track.id or seen.get(other, (0, -10))[1] < index - 1:
                continue
            if self._close(track, (x, y)):
                return other
        return None

    def _near(self, track: Track, foot: tuple[float, float]) -> bool:
        """Within ADOPT_M on the ground (one box width without a calibration)."""
        if self.to_world is None:
            limit = track.box[2] - track.box[0]
            return float(np.hypot(foot[0] - track.foot[0], foot[1] - track.foot[1])) < limit
        return self._distance(track.foot, foot) < ADOPT_M

    def _close(self, track: Track, foot: tuple[float, float]) -> bool:
        if self.to_world is None:
            limit = (track.box[2] - track.box[0]) / 3
            return float(np.hypot(foot[0] - track.foot[0], foot[1] - track.foot[1])) < limit
        a, b = project(self.to_world, [track.foot, foot])
        return float(np.hypot(*(a - b))) < TWIN_M

    def _predecessor(
        self,
        state: RuleState,
        zone: str,
        track: Track,
        present: set[int],
        index: int,
        gap: int,
        walked: bool = False,
    ) -> int | None:
        """A track of the zone, lost moments ago (or orphaned by a jump), that this new one
        continues: lost within `gap` frames and one body height of here, or (where
        calibrated) lost standing deep in the zone (STILL_DEPTH_M from its edge) within
        STILL_GAP_S and `_still_reach` of here (STILL_M, further for one lost a few
        seconds), as a reported one lost anywhere in the zone, never seen leaving it. A
        reported stay in reach comes before an unreported one. A track that `walked` in from
        outside continues neither one lost standing still (who stood in the zone did not walk
        in from outside it) nor one lost while this track was already seen (two people at
        once)."""
        height = max(1.0, track.box[3] - track.box[1])
        still_gap = int(STILL_GAP_S * self.fps)
        # a reported stay in reach first: its person was in the zone for certain, where a stay
        # too short to confirm may be a glimpse (a box that glanced in, an id passing through)
        best, best_rank = None, (True, 1.0)
        walked_out = round(LEFT_S * self.fps)
        born = self.seen.get(track.id, (index, index))[0]
        for other, (_, last) in state.entered.items():
            if other in present or other not in state.feet or index - last > max(gap, still_gap):
                continue
            if walked and born <= last:
                continue  # this one was seen elsewhere while that one was in the zone
            if (
                state.outside.get(other, -1) - last >= walked_out
                and _root(state.family, other) not in state.fired
                and other not in state.orphaned
            ):
                continue  # an unreported stay whose track walked away outside the zone
            if _root(state.family, other) in present:
                continue  # its stay goes on in a track seen now
            x, y, _ = state.feet[other]
            if self.to_world is None:
                score = float(np.hypot(x - track.foot[0], y - track.foot[1])) / height
            else:  # on the ground: as far as a walker gets in the time, and not across a square
                reach = min(FRAGMENT_MAX_M, ADOPT_M + WALK_M_S * (index - last) / self.fps)
                score = self._distance((x, y), track.foot) / reach
            if index - last > gap or score > 1.0:
                # lost standing deep in the zone, or a reported intruder lost anywhere in it
                # (never seen leaving it: the detector lost them, as `_lost_inside` holds)
                lost_reported = (
                    _root(state.family, other) in state.fired
                    and state.outside.get(other, -1) < last
                )
                if walked or not (self._stood_in(zone, (x, y)) or lost_reported):
                    continue
                score = self._distance((x, y), track.foot) / self._still_reach(index - last)
            rank = (_root(state.family, other) not in state.fired, score)
            if score <= 1.0 and rank <= best_rank:
                best, best_rank = other, rank
        return best

    def _still_there(
        self, zone: str, seen: tuple[float, float, float], track: Track, absent: int
    ) -> bool:
        """Whether a track back in the zone after `absent` frames had only stood still there:
        lost standing deep in it (the motion detector no longer saw it) within STILL_GAP_S,
        and back within `_still_reach` of where it was lost (STILL_M, further for one lost a few
        seconds: they paced on unseen behind something)."""
        return (
            absent <= STILL_GAP_S * self.fps
            and self._stood_in(zone, seen[:2])
            and self._distance(seen[:2], track.foot) <= self._still_reach(absent)
        )

    def _still_reach(self, absent: int) -> float:
        """How far from where it was lost deep in a zone a track lost `absent` frames may come
        back: STILL_M, and HIDDEN_M_S more a second for the first HIDDEN_S (FRAGMENT_MAX_M at
        most); lost longer, STILL_M (who was lost that long stood still)."""
        seconds = absent / self.fps
        if seconds > HIDDEN_S:
            return STILL_M
        return min(FRAGMENT_MAX_M, STILL_M + HIDDEN_M_S * seconds)

    def _depth(self, zone: str, foot: tuple[float, float]) -> float:
        """How deep a foot is inside the zone on the ground (m; negative outside), 0 where the
        camera is not calibrated."""
        ground = self.zones_ground.get(zone)
        if ground is None or self.to_world is None:
            return 0.0
        x, y = project(self.to_world, [foot])[0]
        return cv2.pointPolygonTest(ground, (float(x), float(y)), True)

    def _stood_in(self, zone: str, foot: tuple[float, float]) -> bool:
        """Whether a foot is at least STILL_DEPTH_M inside the zone on the ground."""
        return self._depth(zone, foot) >= STILL_DEPTH_M

    def _intrusion(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        out = []
        need = round(rule.confirm_s * self.fps)
        recent = round(REPORTED_TRAIL_S * self.fps)
        state.trail = [p for p in state.trail if ctx.index - p[0] <= recent]
        staying = self._in_zone(rule, state, ctx)
        reported_now = {_root(state.family, t.id) for t, _ in staying} & state.fired
        for root in {_root(state.family, t.id) for t, _ in staying} - state.fired:
            for other in reported_now:  # seen in the zone together this frame
                state.beside[(root, other)] = state.beside.get((root, other), 0) + 1
        for track, first in staying:
            root = _root(state.family, track.id)
            if root not in state.fired:
                met = self._met_reported(state, root, track, reported_now, ctx.index)
                if met is not None:  # where a reported stay's track just vanished: it goes on
                    state.family[root] = met
                    continue
            if root in state.fired or ctx.index - first < need:
                continue
            state.fired.add(root)
            entered = ctx.at - timedelta(seconds=(ctx.index - first) / self.fps)
            event = VideoEvent(
                source_event_id=event_id(self.config.camera, rule.name, track.id, ctx.index),
                camera=self.config.camera,
                kind="intrusion",
                zone=rule.zone,
                label=track.label,
                started_at=entered,
            )
            out.append(Emitted(event, track.box))
        out += self._lost_inside(rule, state, ctx)
        for track, _ in staying:
            root = _root(state.family, track.id)
            if root in state.fired:
                state.trail.append((ctx.index, root, track.foot[0], track.foot[1]))
        state.beside = {pair: n for pair, n in state.beside.items() if pair[0] in state.entered}
        return out

    def _lost_inside(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        """Stays too short to confirm whose person walked in and was not seen leaving: a stay
        that began with a step in from outside the zone, whose tracks were all lost inside
        it (none seen outside it since) and stay lost for the exit gap, is reported then,
        from when it began. Someone who stepped in and vanished there is in the zone: the
        motion detector lost them (at the back of a scene, or behind something), they did
        not graze its edge and walk on."""
        gap = int(LOITER_GAP_S * self.fps)
        latest: dict[int, int] = {}  # each stay's last frame in the zone, over its tracks
        for track_id, (_, last) in state.entered.items():
            root = _root(state.family, track_id)
            latest[root] = max(latest.get(root, -1), last)
        out = []
        for track_id, (first, last) in list(state.entered.items()):
            root = _root(state.family, track_id)
            if root in state.fired or root not in state.walked_in:
                continue
            if ctx.index - last != gap + 1 or latest[root] != last:
                continue  # not lost just the exit gap ago, or its stay went on in another
            if state.outside.get(track_id, -1) >= last:
                continue  # seen leaving
            if self._went_on(state, track_id, last):
                continue  # its person went on under a stay reported since
            state.fired.add(root)
            x, y, height = state.feet[track_id]
            event = VideoEvent(
                source_event_id=event_id(self.config.camera, rule.name, track_id, ctx.index),
                camera=self.config.camera,
                kind="intrusion",
                zone=rule.zone,
                label=state.walked_in[root],
                started_at=ctx.at - timedelta(seconds=(ctx.index - first) / self.fps),
            )
            out.append(Emitted(event, (x - height / 4, y - height, x + height / 4, y)))
        return out

    def _went_on(self, state: RuleState, track_id: int, last: int) -> bool:
        """Whether a reported stay took up the person of a track lost in the zone at `last`:
        a track of it, first seen from WALK_IN_S before then to the exit gap after (a second
        box on them as they walked in, or the track that found them again), and last seen in
        the zone within a walk (FRAGMENT_MAX_M at most) of where this one was lost."""
        early, gap = round(WALK_IN_S * self.fps), int(LOITER_GAP_S * self.fps)
        x, y, _ = state.feet[track_id]
        for other, (_, seen) in state.entered.items():
            born = self.seen.get(other, (seen, seen))[0]
            if other == track_id or not last - early <= born <= last + gap:
                continue
            if _root(state.family, other) not in state.fired:
                continue
            reach = min(FRAGMENT_MAX_M, ADOPT_M + WALK_M_S * abs(seen - last) / self.fps)
            if self._distance((x, y), state.feet[other][:2]) <= reach:
                return True
        return False

    def _met_reported(
        self, state: RuleState, root: int, track: Track, reported_now: set[int], index: int
    ) -> int | None:
        """The reported stay whose foot was within ADOPT_M of this one's in the last
        REPORTED_TRAIL_S (one box width without a calibration) and that is not in the zone
        now: its track vanished or its id went to someone else, and this track goes on with
        the person it was on. A stay seen in the zone together with this one for more than
        a frame is someone else, and so is one seen in the zone after this track, which then
        walked in from outside, was first seen."""
        limit = ADOPT_M if self.to_world is not None else track.box[2] - track.box[0]
        # a track that walked in, seen already when that stay was seen in the zone: two people
        born = self.seen.get(track.id, (index, index))[0] if track.id in state.walked_in else None
        for frame, reported, x, y in reversed(state.trail):
            if reported in reported_now or state.beside.get((root, reported), 0) > 1:
                continue
            if born is not None and born <= frame:
                continue
            if self._distance(track.foot, (x, y)) <= limit:
                return reported
        return None

    def _loitering(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        """Dwell at a place in the zone, not per track: a blob tracker loses a person who
        paces slowly or stands behind another one, and gives their box to a passer-by, so a
        track's id says little about who stayed. A place is where someone stands in the zone;
        the feet in the zone keep the open places alive and move them, by a joint assignment
        (`_assign_places`: least total distance, within STILL_M, one body height without a
        calibration, the places of people seen a moment ago first), and a foot left over opens
        a new one, unless it is a second box on someone placed already; a place nobody keeps alive
        for LOITER_GAP_S closes (STILL_GAP_S where it was last kept deep inside the zone, once
        kept PLACE_CONFIRM_S: a person standing still there has left the motion detector, not
        the zone; a glimpse of a foot is nobody standing). An unreported place kept STAYED_S
        that walks out of the zone hands its stay to a younger place it met moments before
        (`_hand_on_stays`: the tracker swapped the two people's boxes as they met). A place open
        for `dwell_s` is one loiterer, reported once. A place kept for STAYED_S is someone who
        stays, and stays open for STILL_GAP_S wherever it was lost. A place opened within
        ARRIVAL_S of a reported one, within ARRIVAL_M of where that one was opened (one body height
        without a calibration), is the same arrival (a second box on that person, wherever it
        drifted since, or someone who came in with them) and is not reported again. A place held
        open past LOITER_GAP_S (on a calibrated camera) is taken up again only by a foot within
        ADOPT_M of where it was lost, and reports only once that foot has kept it TAKEN_UP_S
        without a break longer than TAKEN_UP_BREAK frames."""
        polygon = self.zones[rule.zone]  # type: ignore[index]
        feet = [t for t in self._tracks(rule, ctx) if inside(polygon, t.foot)]
        gap, still = int(LOITER_GAP_S * self.fps), int(STILL_GAP_S * self.fps)
        places = state.places
        taken: set[int] = set()
        kept: set[int] = set()
        placed: list[Track] = []
        keepers: dict[int, int] = {}
        for i, key in self._assign_places(state, feet, ctx.index).items():
            taken.add(i)
            kept.add(key)
            track = feet[i]
            keepers[key] = track.id
            absent = ctx.index - places[key][3]
            if absent > gap or (key in state.taken_up and absent > TAKEN_UP_BREAK):
                state.taken_up[key] = ctx.index  # (again): kept without a break since
            places[key] = [
                track.foot[0],
                track.foot[1],
                places[key][2],
                ctx.index,
                places[key][4],
                float(self._stood_in(rule.zone, track.foot)),  # type: ignore[arg-type]
            ]
            placed.append(track)
        for i, track in enumerate(feet):
            if i in taken or any(self._close(track, other.foot) for other in placed):
                continue  # a second box on someone placed already
            state.next_place += 1
            places[state.next_place] = [track.foot[0], track.foot[1], ctx.index, ctx.index, 0, 0]
            state.place_origins[state.next_place] = track.foot
            kept.add(state.next_place)
            keepers[state.next_place] = track.id
            placed.append(track)
        self._hand_on_stays(state, polygon, kept, ctx)
        state.place_keepers.update(keepers)
        self._meet_places(state, ctx.index)
        out = []
        for key in list(places):
            x, y, first, last, fired, deep = places[key]
            stayed = last - first >= STAYED_S * self.fps
            # held for someone who stood still only where someone was: a glimpse is not
            deep = deep if last - first >= PLACE_CONFIRM_S * self.fps else 0
            if ctx.index - last > (still if deep or stayed else gap):
                del places[key]
                state.taken_up.pop(key, None)
                state.place_origins.pop(key, None)
                state.place_keepers.pop(key, None)
                state.place_meetings.pop(key, None)
                continue
            dwell = (ctx.index - first) / self.fps
            if fired or key not in kept or dwell < rule.dwell_s:
                continue
            if key in state.taken_up and ctx.index - state.taken_up[key] < TAKEN_UP_S * self.fps:
                continue  # taken up again a moment ago: not yet known to be the person back
            places[key][4] = 1
            track = min(feet, key=lambda t: self._distance(t.foot, (x, y)))
            origin = state.place_origins.get(key, (x, y))
            apart = ARRIVAL_M if self.to_world is not None else track.box[3] - track.box[1]
            arrival = any(
                abs(first - r[0]) <= ARRIVAL_S * self.fps
                and self._distance((r[1], r[2]), origin) <= apart
                for r in state.reported_places
            )
            state.reported_places = [
                *(r for r in state.reported_places if ctx.index - r[3] <= 60 * self.fps),
                (int(first), origin[0], origin[1], ctx.index),
            ]
            if arrival:
                continue  # the same arrival as a reported place: its second box, or a companion
            event = VideoEvent(
                source_event_id=event_id(self.config.camera, rule.name, track.id, ctx.index),
                camera=self.config.camera,
                kind="loitering",
                zone=rule.zone,
                label=track.label,
                value=round(dwell, 3),
                started_at=ctx.at - timedelta(seconds=dwell),
                ended_at=ctx.at,
            )
            out.append(Emitted(event, track.box))
        return out

    def _hand_on_stays(
        self, state: RuleState, polygon: list, kept: set[int], ctx: FrameContext
    ) -> None:
        """An unreported place kept STAYED_S, kept last frame and not now, whose keeper is seen
        outside the zone now, walked out: its stay goes on in the place opened after it that
        it met last within MET_S (`_meet_places`: their boxes merged) and that is kept now
        (where they parted, the tracker swapped their boxes: the one who leaves took the stay
        of the one who stays), which reports it, from when it began, once (the place that
        walked out reports nothing)."""
        places = state.places
        outside = {t.id for t in ctx.tracks if not inside(polygon, t.foot)}
        for key in list(places):
            x, y, first, last, fired, _ = places[key]
            if fired or key in kept or last != ctx.index - 1 or last - first < STAYED_S * self.fps:
                continue
            if state.place_keepers.get(key) not in outside:
                continue
            met = {
                other: frame
                for other, frame in state.place_meetings.get(key, {}).items()
                if other in kept
                and other in places
                and places[other][2] > first
                and ctx.index - frame <= MET_S * self.fps
            }
            if not met:
                continue
            heir = max(met, key=lambda other: met[other])
            places[heir][2], places[heir][4] = first, 0
            state.place_origins[heir] = state.place_origins.get(key, (x, y))
            places[key][4] = 1  # its stay goes on in the heir

    def _meet_places(self, state: RuleState, index: int) -> None:
        """Record which places met: kept, one this frame and the other last frame and not now,
        within ADOPT_M of each other on the ground (one body height apart without a calibration
        is too far to tell). The one not kept lost its foot beside the other: their people's
        boxes merged, and where they part the tracker may swap them. Two places both kept
        now are two people seen apart, whom a tracker tells apart as they pass."""
        recent = [key for key, place in state.places.items() if place[3] >= index - 1]
        if self.to_world is None or len(recent) < 2:
            return
        ground = project(self.to_world, np.asarray([state.places[key][:2] for key in recent]))
        for i, a in enumerate(recent):
            for j in range(i + 1, len(recent)):
                if state.places[a][3] == index and state.places[recent[j]][3] == index:
                    continue
                if float(np.hypot(*(ground[i] - ground[j]))) <= ADOPT_M:
                    b = recent[j]
                    state.place_meetings.setdefault(a, {})[b] = index
                    state.place_meetings.setdefault(b, {})[a] = index

    def _assign_places(self, state: RuleState, feet: list[Track], index: int) -> dict[int, int]:
        """Which open place each foot in the zone keeps (foot index → place key): the joint
        assignment of `places.assign`, each pair costing its distance over the place's reach.
        A place's reach is STILL_M from where it was last kept (one body height without a
        calibration); a place held open past the exit gap for someone who stood still
        (calibrated) reaches only ADOPT_M: the person who stood there is back where they
        stood, while a passer-by or another loiterer a metre away would inherit a stay that
        began before they came. The tiers: places that have lasted PLACE_CONFIRM_S, kept last
        frame, then lost a moment (within the exit gap: a foot missed or misplaced for a frame
        or two is still its person's); then the places newer than that, in the same order (a
        place that new is as likely a second box on someone, or a passer-by's foot, and gives
        way to the person's own place); then the places held open past the exit gap."""
        gap = int(LOITER_GAP_S * self.fps)
        calibrated = self.to_world is not None
        keys = list(state.places)
        distances = np.full((len(keys), len(feet)), np.inf)
        tiers = []
        for row, key in enumerate(keys):
            x, y, first, last = state.places[key][:4]
            absent = index - last
            confirmed = last - first >= PLACE_CONFIRM_S * self.fps
            if absent > gap:
                tiers.append(4)
            else:
                tiers.append((0 if confirmed else 2) + (1 if absent > 1 else 0))
            held = absent > gap and calibrated
            for col, track in enumerate(feet):
                reach = ADOPT_M if held else STILL_M
                if not calibrated:
                    reach = track.box[3] - track.box[1]
                distance = self._distance(track.foot, (x, y))
                if distance <= reach:
                    distances[row, col] = distance / reach
        return {col: keys[row] for col, row in assign(distances, tiers).items()}

    def _density(self, rule: Rule, state: RuleState, ctx: FrameContext) -> float | None:
        """The zone's density, sampled once a second; None between samples."""
        every = max(1, round(self.fps))
        if ctx.index % every or ctx.motion is None or self.to_world is None:
            return None
        if ctx.index < self.config.motion_warmup:  # the motion model is still learning the scene
            return None
        people = crowd_count(
            ctx.motion,
            self.zone_masks_small[rule.zone],  # type: ignore[index]
            self.to_world,
            self.config.person_footprint_m2,
        )
        density = people / self.zone_area_m2[rule.zone]  # type: ignore[index,operator]
        self.densities.setdefault(rule.name, []).append((ctx.index, density))
        return density

    def _crowd_density(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        density = self._density(rule, state, ctx)
        if density is None:
            return []
        if not state.active and density >= rule.density_per_m2:
            state.active = True
            window = ctx.index // max(1, round(self.fps))
            return [
                Emitted(
                    self._event(
                        rule.name,
                        f"s{window}",
                        ctx,
                        kind="crowd_density",
                        zone=rule.zone,
                        label="person",
                        value=round(density, 3),
                    )
                )
            ]
        if state.active and density < 0.8 * rule.density_per_m2:
            state.active = False
        return []

    def _crowd_surge(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        density = self._density(rule, state, ctx)
        if density is None:
            return []
        window = int(rule.surge_window_s * self.fps)
        state.history.append((ctx.index, density))
        while state.history and state.history[0][0] < ctx.index - window:
            state.history.popleft()
        low = min(value for _, value in state.history)
        if ctx.index >= state.quiet_until and density - low >= rule.surge_per_m2:
            state.quiet_until = ctx.index + window
            state.history.clear()
            return [
                Emitted(
                    self._event(
                        rule.name,
                        f"s{ctx.index // max(1, round(self.fps))}",
                        ctx,
                        kind="crowd_surge",
                        zone=rule.zone,
                        label="person",
                        value=round(density - low, 3),
                    )
                )
            ]
        return []

    def _abandoned_object(self, rule: Rule, state: RuleState, ctx: FrameContext) -> list[Emitted]:
        """A dual-background test: pixels that differ from a slow long-term background but are
        not moving now, for `static_s`, in the zone, are a left object."""
        if ctx.gray_small is None or ctx.motion is None:
            return []
        gray = ctx.gray_small.astype(np.float32)
        if state.background is None or state.age is None or state.previous is None:
            state.background, state.age = gray.copy(), np.zeros(gray.shape, np.uint16)
            state.previous = gray
            return []
        differs = np.abs(gray - state.background) > STATIC_DIFF
        still = np.abs(gray - state.previous) < STILL_DIFF
        state.previous = gray
        static = differs & still & (self.zone_masks_small[rule.zone] > 0)  # type: ignore[index]
        state.age = np.where(static, np.minimum(state.age + 1, 60000), 0).astype(np.uint16)
        cv2.accumulateWeighted(
            gray, state.background, BACKGROUND_RATE, mask=(~differs).astype(np.uint8)
        )
        need = int(rule.static_s * self.fps)
        ripe = (state.age >= need).astype(np.uint8)
        count, _, stats, centroids = cv2.connectedComponentsWithStats(ripe, connectivity=8)
        out = []
        inverse = 1.0 / ctx.motion.scale
        for i in range(1, count):
            x, y, w, h, area = stats[i]
            if area * inverse * inverse < 50:
                continue
            centre = (float(centroids[i][0] * inverse), float(centroids[i][1] * inverse))
            if any(np.hypot(centre[0] - cx, centre[1] - cy) < 20 for cx, cy in state.reported):
                continue
            state.reported.append(centre)
            box = (x * inverse, y * inverse, (x + w) * inverse, (y + h) * inverse)
            key = f"{round(centre[0])}x{round(centre[1])}"
            event = self._event(
                rule.name,
                key,
                ctx,
                kind="abandoned_object",
                zone=rule.zone,
                label="object",
                value=rule.static_s,
            )
            out.append(Emitted(event, box))
        return out

    # -- counts per zone and 15 minutes ----------------------------------------------------------
    def _bucket_of(self, at: datetime) -> int:
        return int(at.timestamp() // self.config.count_interval_s)

    def _zone_counts(self, ctx: FrameContext) -> list[Emitted]:
        bucket = self._bucket_of(ctx.at)
        out = []
        if self.bucket is not None and bucket != self.bucket:
            out = self._close_bucket(ctx)
        self.bucket = bucket
        for track in ctx.tracks:
            for name, polygon in self.zones.items():
                if inside(polygon, track.foot):
                    self.bucket_tracks.setdefault((name, track.label), set()).add(track.id)
        return out

    def _close_bucket(self, ctx: FrameContext) -> list[Emitted]:
        assert self.bucket is not None
        start = datetime.fromtimestamp(self.bucket * self.config.count_interval_s, tz=ctx.at.tzinfo)
        end = start + timedelta(seconds=self.config.count_interval_s)
        out = []
        for (zone, label), tracks in sorted(self.bucket_tracks.items()):
            event = VideoEvent(
                source_event_id=event_id(
                    self.config.camera, "zone_count", f"{zone}|{label}|{self.bucket}", ctx.index
                ),
                camera=self.config.camera,
                kind="zone_count",
                zone=zone,
                label=label,
                value=float(len(tracks)),
                started_at=start,
                ended_at=end,
            )
            out.append(Emitted(event))
        self.bucket_tracks = {}
        return out


def _root(family: dict[int, int], track_id: int) -> int:
    """The track whose stay `track_id` continues (itself when none)."""
    seen = {track_id}
    while track_id in family and family[track_id] not in seen:
        track_id = family[track_id]
        seen.add(track_id)
    return track_id


def _reroot(state: RuleState, track_id: int) -> None:
    """A track that begins a new stay leaves the stay it carried as a root: the tracks that
    continued that one go on under the first of them, reported as it was."""
    heirs = [k for k, v in state.family.items() if v == track_id]
    if not heirs:
        return
    heir = heirs[0]
    del state.family[heir]
    for other in heirs[1:]:
        state.family[other] = heir
    if track_id in state.fired:
        state.fired.add(heir)
    if track_id in state.walked_in:
        state.walked_in[heir] = state.walked_in[track_id]


def _covered(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The share of the smaller of two boxes that the other covers."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / max(1e-9, smaller)


def _projection(a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    return ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)
