"""The generic video event the worker emits (the same shape the video registry's webhook and
`import-events` accept). No field identifies a person."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

SOURCE = "vigil-worker"

EventKind = Literal[
    "line_crossing",
    "intrusion",
    "loitering",
    "crowd_density",
    "crowd_surge",
    "abandoned_object",
    "zone_count",
]


class VideoEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = SOURCE
    source_event_id: str
    camera: str
    kind: EventKind
    zone: str | None = None
    label: Literal["person", "vehicle", "object"] | None = None
    direction: Literal["in", "out"] | None = None
    value: float | None = None
    started_at: datetime
    ended_at: datetime | None = None
    snapshot: str | None = None


def event_id(camera: str, rule: str, track_or_window: str | int, frame_index: int) -> str:
    """Deterministic: a restarted worker that re-emits an event produces the same id."""
    return f"{camera}:{rule}:{track_or_window}:{frame_index}"


def event_key_and_frame(source_event_id: str) -> tuple[str, int]:
    """`event_id`'s track (or window) and frame index, read back from the id."""
    key, frame = source_event_id.rsplit(":", 2)[1:]
    return key, int(frame)
