"""The worker's configuration: one camera, its privacy masks, ground-plane calibration, zones,
lines and rules with schedules. Read from YAML or JSON and validated field by field."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Point = tuple[float, float]
RuleKind = Literal[
    "line_crossing", "intrusion", "loitering", "crowd_density", "crowd_surge", "abandoned_object"
]
Label = Literal["person", "vehicle", "object"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _polygon(points: list[Point]) -> list[Point]:
    if len(points) < 3:
        raise ValueError("a polygon needs at least 3 points")
    return points


class Zone(_Strict):
    name: str = Field(min_length=1, max_length=80)
    polygon: list[Point]  # image pixels

    _check = field_validator("polygon")(_polygon)


class Line(_Strict):
    """A counting line from `a` to `b` (image pixels). Looking along it from `a` towards `b` on
    the image, a crossing from its right-hand side to its left-hand side is "in"."""

    name: str = Field(min_length=1, max_length=80)
    a: Point
    b: Point

    @model_validator(mode="after")
    def _not_a_point(self) -> Line:
        if self.a == self.b:
            raise ValueError("a line needs two distinct end points")
        return self


class Calibration(_Strict):
    """Four or more image points and the ground-plane points (metres) they show."""

    image_points: list[Point] = Field(min_length=4)
    world_points: list[Point] = Field(min_length=4)

    @model_validator(mode="after")
    def _paired(self) -> Calibration:
        if len(self.image_points) != len(self.world_points):
            raise ValueError("image_points and world_points must pair up one to one")
        return self


class Schedule(_Strict):
    """When a rule is armed: weekdays (0 = Monday) and a daily window, in a time zone.
    A window whose end is before its start runs over midnight."""

    days: list[int] = Field(default=[0, 1, 2, 3, 4, 5, 6])
    start: time = time(0, 0)
    end: time = time(23, 59, 59, 999999)
    timezone: str = "UTC"

    @field_validator("days")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        if not days or any(day < 0 or day > 6 for day in days):
            raise ValueError("days are weekday numbers 0 (Monday) to 6 (Sunday), at least one")
        return days

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except Exception as exc:  # ZoneInfoNotFoundError or ValueError
            raise ValueError(f"unknown time zone {name!r}") from exc
        return name

    def armed(self, moment: datetime) -> bool:
        local = moment.astimezone(ZoneInfo(self.timezone))
        clock = local.timetz().replace(tzinfo=None)
        if self.start <= self.end:
            return local.weekday() in self.days and self.start <= clock <= self.end
        if clock >= self.start:
            return local.weekday() in self.days
        return (local.weekday() - 1) % 7 in self.days and clock <= self.end


class Rule(_Strict):
    name: str = Field(min_length=1, max_length=80)
    kind: RuleKind
    zone: str | None = None  # a zone name, or a line name for line_crossing
    labels: list[Label] = Field(default=["person"])
    schedule: Schedule = Schedule()
    dwell_s: float = Field(default=30.0, gt=0)  # loitering
    density_per_m2: float = Field(default=2.0, gt=0)  # crowd_density threshold
    surge_per_m2: float = Field(default=0.5, gt=0)  # crowd_surge: rise in density ...
    surge_window_s: float = Field(default=30.0, gt=0)  # ... within this window
    static_s: float = Field(default=10.0, gt=0)  # abandoned_object: still for this long
    # intrusion: the foot stays inside this long before it counts (entry hysteresis)
    confirm_s: float = Field(default=0.5, ge=0)


class DetectorSpec(_Strict):
    kind: Literal["hog", "motion_blob", "hog+motion_blob", "onnx"] = "hog+motion_blob"
    model_path: str | None = None  # onnx
    input_size: tuple[int, int] = (640, 640)  # onnx: width, height
    class_labels: dict[int, Label] = Field(default={0: "person", 2: "vehicle"})
    min_score: float = Field(default=0.4, ge=0, le=1)

    @model_validator(mode="after")
    def _model(self) -> DetectorSpec:
        if self.kind == "onnx" and not self.model_path:
            raise ValueError("an onnx detector needs model_path")
        return self


class WorkerConfig(_Strict):
    camera: str = Field(min_length=1, max_length=80)
    fps: float = Field(default=10.0, gt=0)
    start_at: datetime | None = None  # the clip's first frame; live streams use the clock
    privacy_masks: list[list[Point]] = Field(default_factory=list)
    calibration: Calibration | None = None
    person_footprint_m2: float = Field(default=0.126, gt=0)  # ground area one person covers
    zones: list[Zone] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    detector: DetectorSpec = DetectorSpec()
    motion_scale: float = Field(default=0.25, gt=0, le=1)  # motion runs on a smaller frame
    min_motion_area: int = Field(default=40, ge=1)  # pixels at motion scale
    count_interval_s: float = Field(default=900.0, gt=0)  # zone counts every 15 minutes
    checkpoint_every: int = Field(default=300, ge=2)  # frames; also the motion model's epoch
    motion_warmup: int = Field(default=100, ge=1)  # frames a fresh motion model learns first
    snapshot_dir: str | None = None

    @field_validator("privacy_masks")
    @classmethod
    def _masks(cls, masks: list[list[Point]]) -> list[list[Point]]:
        return [_polygon(mask) for mask in masks]

    @field_validator("start_at")
    @classmethod
    def _aware(cls, moment: datetime | None) -> datetime | None:
        if moment is not None and moment.tzinfo is None:
            raise ValueError("start_at needs a UTC offset")
        return moment

    @model_validator(mode="after")
    def _references(self) -> WorkerConfig:
        zones = {zone.name for zone in self.zones}
        lines = {line.name for line in self.lines}
        for rule in self.rules:
            names = lines if rule.kind == "line_crossing" else zones
            if rule.zone is None or rule.zone not in names:
                what = "line" if rule.kind == "line_crossing" else "zone"
                raise ValueError(f"rule {rule.name!r} names no known {what}: {rule.zone!r}")
            if rule.kind in ("crowd_density", "crowd_surge") and self.calibration is None:
                raise ValueError(f"rule {rule.name!r} measures density: it needs a calibration")
        if self.motion_warmup >= self.checkpoint_every:
            raise ValueError("motion_warmup must be shorter than checkpoint_every")
        if len({rule.name for rule in self.rules}) != len(self.rules):
            raise ValueError("rule names must be unique")
        return self


def load_config(path: str | Path) -> WorkerConfig:
    """Read a YAML or JSON worker configuration."""
    text = Path(path).read_text(encoding="utf-8")
    if str(path).endswith((".yaml", ".yml")):
        import yaml

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    return WorkerConfig.model_validate(data)
