"""Cameras, rules and video events in and out. The video event is the generic format that
every source (the built-in worker, Frigate, ONVIF, webhooks) is normalised into."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from shapely.geometry import Polygon

AreaClass = Literal["public_area", "urban_rural_fringe", "rural"]
AREA_CLASSES: tuple[str, ...] = ("public_area", "urban_rural_fringe", "rural")
OwnerKind = Literal["agency", "business"]
CameraStatus = Literal["active", "inactive", "maintenance"]
# the events an operator reviews; a zone count is a measurement, not an event to review
ReviewKind = Literal[
    "line_crossing",
    "intrusion",
    "loitering",
    "crowd_density",
    "crowd_surge",
    "abandoned_object",
]
EventKind = Literal[ReviewKind, "zone_count"]
Label = Literal["person", "vehicle", "object"]
Direction = Literal["in", "out"]

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
SOURCE_PATTERN = r"^[a-z0-9][a-z0-9_.-]{0,39}$"
STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "http", "https")
SNAPSHOT_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

Point = tuple[float, float]


def _mask_polygon(points: list[Point]) -> list[Point]:
    if len(points) < 3:
        raise ValueError("a privacy mask needs at least 3 points")
    if any(not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0) for x, y in points):
        raise ValueError("mask points are image coordinates between 0 and 1")
    polygon = Polygon(points)
    if not polygon.is_valid or polygon.area <= 0:
        raise ValueError("a privacy mask must be a simple polygon with an area")
    return points


class CameraIn(BaseModel):
    """A camera: where it stands, where it looks, who owns it and why it may watch."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=CODE_PATTERN, description="the name events use for the camera")
    name: str = Field(min_length=1, max_length=200)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    height_m: float = Field(ge=0, le=500)
    heading_deg: float = Field(ge=0, lt=360, description="clockwise from north")
    fov_deg: float = Field(gt=0, le=360, description="horizontal field of view")
    range_m: float = Field(gt=0, le=5000, description="distance at which people are detected")
    area_class: AreaClass
    owner_kind: OwnerKind
    owner_name: str = Field(min_length=1, max_length=200)
    owner_organisation_id: int | None = Field(default=None, ge=1)
    agreement_reference: str | None = Field(default=None, min_length=1, max_length=120)
    legal_basis: str = Field(min_length=3, max_length=200)
    stream_url: str | None = Field(default=None, max_length=500)
    status: CameraStatus = "active"
    privacy_masks: list[list[Point]] = Field(default_factory=list, max_length=32)
    manufacturer: str | None = Field(default=None, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    serial_number: str | None = Field(default=None, max_length=120)

    @field_validator("name", "owner_name", "legal_basis")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("may not be blank")
        return value.strip()

    @field_validator("stream_url")
    @classmethod
    def _stream_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme not in STREAM_SCHEMES or len(value.split("://", 1)[1]) == 0:
            raise ValueError(f"a URL with one of the schemes {', '.join(STREAM_SCHEMES)}")
        return value.strip()

    @field_validator("privacy_masks")
    @classmethod
    def _masks(cls, value: list[list[Point]]) -> list[list[Point]]:
        return [_mask_polygon(mask) for mask in value]

    @model_validator(mode="after")
    def _business_needs_agreement(self) -> CameraIn:
        if self.owner_kind == "business" and not self.agreement_reference:
            raise ValueError("a business's camera needs its agreement_reference")
        return self


class CameraOut(BaseModel):
    """A camera as listed: never its stream URL, only whether it has one."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    latitude: float
    longitude: float
    height_m: float
    heading_deg: float
    fov_deg: float
    range_m: float
    area_class: str
    owner_kind: str
    owner_name: str
    owner_organisation_id: int | None
    agreement_reference: str | None
    legal_basis: str
    status: str
    privacy_masks: list[list[Point]]
    infrastructure_asset_id: int | None = None
    manufacturer: str | None
    model: str | None
    serial_number: str | None
    has_stream_url: bool
    created_at: datetime


class StreamUrlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=10, max_length=400, description="why the URL is needed")


class StreamUrlOut(BaseModel):
    camera_id: int
    stream_url: str | None


class ImportProblem(BaseModel):
    row: int
    field: str
    message: str


class CameraImportOut(BaseModel):
    created: int
    codes: list[str]


class RuleIn(BaseModel):
    """An alert rule: events of this kind (in this zone, of these labels) raise an alert."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    kind: EventKind
    zone: str | None = Field(default=None, min_length=1, max_length=120)
    labels: list[Label] = Field(default_factory=list, max_length=3)
    min_value: float | None = Field(default=None, ge=0)
    score: float = Field(default=1.0, ge=0, le=1)


class RuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    camera_id: int
    name: str
    kind: str
    zone: str | None
    labels: list[str]
    min_value: float | None
    score: float
    active: bool


def check_snapshot_path(value: str | None) -> str | None:
    """A snapshot is a relative path to a blurred image: no absolute path, no `..`."""
    if value is None:
        return None
    path = PurePosixPath(value)
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value) or "\\" in value:
        raise ValueError("a relative path (no drive, no leading slash, forward slashes)")
    if any(part in ("..", ".", "") for part in value.split("/")):
        raise ValueError("a relative path without '.' or '..' segments")
    if path.suffix.lower() not in SNAPSHOT_SUFFIXES:
        raise ValueError(f"an image path ending in {', '.join(SNAPSHOT_SUFFIXES)}")
    return value


class VideoEventIn(BaseModel):
    """The generic video event. No field identifies a person."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(pattern=SOURCE_PATTERN)
    source_event_id: str = Field(min_length=1, max_length=200)
    camera: str = Field(pattern=CODE_PATTERN)
    kind: EventKind
    zone: str | None = Field(default=None, min_length=1, max_length=120)
    label: Label | None = None
    direction: Direction | None = None
    value: float | None = Field(default=None, ge=0, le=1e9)
    started_at: datetime
    ended_at: datetime | None = None
    snapshot: str | None = Field(default=None, max_length=300)

    @field_validator("started_at", "ended_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError("give the time with its UTC offset")
        return value

    @field_validator("snapshot")
    @classmethod
    def _snapshot(cls, value: str | None) -> str | None:
        return check_snapshot_path(value)

    @field_validator("direction")
    @classmethod
    def _direction_of_a_crossing(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("kind") != "line_crossing":
            raise ValueError("direction goes only with a line_crossing")
        return value

    @field_validator("ended_at")
    @classmethod
    def _ends_after_start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        started = info.data.get("started_at")
        if value is not None and started is not None and value < started:
            raise ValueError("ended_at is before started_at")
        return value


class VideoEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    source_event_id: str
    camera_id: int
    kind: str
    zone: str | None
    label: str | None
    direction: str | None
    value: float | None
    started_at: datetime
    ended_at: datetime | None
    snapshot: str | None
    received_at: datetime
    review_state: str = "open"
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None


ReviewState = Literal["open", "confirmed", "false_alarm"]
REVIEW_STATES: tuple[str, ...] = ("open", "confirmed", "false_alarm")


class ReviewIn(BaseModel):
    """An operator's verdict on an event: confirmed or a false alarm (or open again)."""

    model_config = ConfigDict(extra="forbid")

    state: ReviewState
    note: str | None = Field(default=None, max_length=500)

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class CountPoint(BaseModel):
    started_at: datetime
    value: float


class ZoneCountsOut(BaseModel):
    """One camera's zone and label: its latest count and the counts before it, oldest first
    (each a `zone_count` event: the people or vehicles seen in the zone over 15 minutes)."""

    camera_id: int
    camera: str
    zone: str
    label: str | None
    latest: float
    latest_at: datetime
    series: list[CountPoint]


FRAME_DEFAULT = (1280, 720)


class AnalyticsConfigIn(BaseModel):
    """The worker's zones, lines and rules for a camera, in pixels of a frame of this size.
    `config` is the worker's own configuration (`vigil video watch --config`), less `camera`
    and `privacy_masks`, which the camera's registry entry provides."""

    model_config = ConfigDict(extra="forbid")

    frame_width: int = Field(ge=16, le=7680)
    frame_height: int = Field(ge=16, le=4320)
    config: dict[str, Any]


class AnalyticsConfigOut(BaseModel):
    camera_id: int
    camera: str
    stored: bool = Field(description="false: nothing saved yet, the worker's defaults")
    frame_width: int
    frame_height: int
    config: dict[str, Any]
    privacy_masks: list[list[Point]] = Field(
        description="the camera's masks in this frame's pixels: never analysed, not zones"
    )
    still_event_id: int | None = Field(
        description="the camera's latest event with a blurred snapshot, to draw on"
    )
    updated_at: datetime | None
    updated_by: str | None


class CameraAssetIn(BaseModel):
    """The infrastructure asset a camera guards (its row id), or null to unlink."""

    model_config = ConfigDict(extra="forbid")

    asset_id: int | None = Field(ge=1, le=2**31 - 1)


class IngestOut(BaseModel):
    """What a batch of events did: stored anew, already known, ended, alerts raised."""

    received: int
    stored: int
    duplicates: int
    ended: int
    alerts: int
    event_ids: list[int]
    incidents: list[int] = Field(
        default_factory=list, description="incidents opened at guarded infrastructure assets"
    )


class ClassShares(BaseModel):
    """Coverage of one area class: lengths in metres, shares from 0 to 1 (None: nothing of
    that kind in the class)."""

    area_class: str
    road_m: float
    road_covered_m: float
    road_share: float | None
    key_places: int
    key_places_covered: int
    key_place_share: float | None
    hot_cells: int
    hot_cells_covered: int
    hot_cell_share: float | None


class CoverageOut(BaseModel):
    cameras: int
    covered_area_m2: float
    total: ClassShares
    by_class: list[ClassShares]


class GapOut(BaseModel):
    name: str
    kind: str  # place | hot_cell
    area_class: str
    weight: float
    latitude: float
    longitude: float


class SiteOut(BaseModel):
    latitude: float
    longitude: float
    heading_deg: float
    covers: list[str]
    weight: float


class GapReportOut(BaseModel):
    """Uncovered places and hot cells, heaviest first, and the proposed camera sites."""

    gaps: list[GapOut]
    sites: list[SiteOut]
    uncovered_weight: float
    covered_by_sites: float
    covered_by_greedy: float


class CameraStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CameraStatus
