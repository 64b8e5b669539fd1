"""Frigate NVR events into the generic video event.

Two shapes: the MQTT `frigate/events` message (`{"type": "new"|"update"|"end", "before":
{...}, "after": {...}}`) and the HTTP API's `/api/events` list (a JSON array of events with
`zones`). A tracked object becomes one `intrusion` event per zone it entered (its
source_event_id `<frigate id>:<zone>`), or one event with no zone when it entered none.

What is never carried over: `sub_label` (Frigate may put a recognised face's name there),
boxes, scores per frame, and snapshots (Frigate's are not blurred)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from vigil.video.schemas import VideoEventIn

SOURCE = "frigate"
MESSAGE_TYPES = ("new", "update", "end")
VEHICLE_LABELS = frozenset({"car", "truck", "bus", "motorcycle", "bicycle", "boat", "vehicle"})


class FrigateFormatError(ValueError):
    """A Frigate payload that cannot be read: `field` says where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def label_class(label: str) -> str:
    if label == "person":
        return "person"
    return "vehicle" if label in VEHICLE_LABELS else "object"


def _time(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FrigateFormatError(field, "a Unix time in seconds")
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise FrigateFormatError(field, "a Unix time in seconds") from None


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise FrigateFormatError(f"{where}.{key}", "a non-empty string")
    return value


def _zones(obj: Mapping[str, Any], keys: Sequence[str], where: str) -> list[str]:
    zones: list[str] = []
    for key in keys:
        value = obj.get(key) or []
        if not isinstance(value, list) or not all(isinstance(z, str) and z for z in value):
            raise FrigateFormatError(f"{where}.{key}", "a list of zone names")
        zones += [z for z in value if z not in zones]
    return zones


def tracked_object_events(
    obj: Mapping[str, Any], where: str, zone_keys: Sequence[str]
) -> list[VideoEventIn]:
    """The events of one Frigate tracked object (an MQTT `after` or an API event)."""
    if not isinstance(obj, Mapping):
        raise FrigateFormatError(where, "an object")
    if obj.get("false_positive") is True:
        return []
    frigate_id = _text(obj, "id", where)
    camera = _text(obj, "camera", where)
    label = _text(obj, "label", where)
    started = _time(obj.get("start_time"), f"{where}.start_time")
    if started is None:
        raise FrigateFormatError(f"{where}.start_time", "a Unix time in seconds")
    ended = _time(obj.get("end_time"), f"{where}.end_time")
    zones: list[str | None] = list(_zones(obj, zone_keys, where)) or [None]
    events = []
    for zone in zones:
        raw = {
            "source": SOURCE,
            "source_event_id": f"{frigate_id}:{zone}" if zone else frigate_id,
            "camera": camera,
            "kind": "intrusion",
            "zone": zone,
            "label": label_class(label),
            "started_at": started,
            "ended_at": ended,
        }
        try:
            events.append(VideoEventIn.model_validate(raw))
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "event"
            raise FrigateFormatError(f"{where}.{field}", error["msg"]) from None
    return events


def parse_mqtt_message(payload: bytes | str | Mapping[str, Any]) -> list[VideoEventIn]:
    """One `frigate/events` message: the state after the change is what counts."""
    message = _json(payload)
    if not isinstance(message, Mapping):
        raise FrigateFormatError("message", "a JSON object with type, before and after")
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        raise FrigateFormatError("type", f"one of {', '.join(MESSAGE_TYPES)}")
    after = message.get("after")
    if after is None:
        raise FrigateFormatError("after", "the tracked object's state after the change")
    return tracked_object_events(after, "after", ("entered_zones", "current_zones"))


def parse_api_events(payload: bytes | str | Sequence[Any]) -> list[VideoEventIn]:
    """The `/api/events` list (or one event of it)."""
    document = _json(payload)
    items = [document] if isinstance(document, Mapping) else document
    if not isinstance(items, list):
        raise FrigateFormatError("events", "a JSON array of Frigate events")
    events: list[VideoEventIn] = []
    for number, item in enumerate(items):
        events += tracked_object_events(item, f"events[{number}]", ("zones",))
    return events


def _json(payload: Any) -> Any:
    if isinstance(payload, bytes | str):
        try:
            return json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FrigateFormatError("message", f"not JSON ({exc})") from None
    return payload
