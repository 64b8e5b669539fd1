"""ONVIF event and analytics messages into the generic video event.

XML: a `tt:MetadataStream` (the analytics metadata stream) or a `wsnt:Notify` holding
`wsnt:NotificationMessage`s, each with a `wsnt:Topic` and a `tt:Message` (UtcTime,
PropertyOperation, Source/Key/Data `tt:SimpleItem`s). JSON: the same message as an object
`{"topic", "utc_time", "property_operation", "source": {..}, "key": {..}, "data": {..}}`, or
a list of them. The messages name no camera, so the caller says which camera sent them.

The rule engine's topics become events: FieldDetector/ObjectsInside (intrusion into the
rule's field), LineDetector/Crossed (line crossing), LoiteringDetector (loitering) and
CountAggregation/Counter (a zone count). Other topics are not video analytics and are
skipped. An ONVIF message has no id: the source_event_id is a hash of the camera, topic,
time, rule and key, so the same message read twice is the same event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree
from pydantic import ValidationError

from vigil.video.schemas import VideoEventIn

SOURCE = "onvif"
NS = {"tt": "http://www.onvif.org/ver10/schema", "wsnt": "http://docs.oasis-open.org/wsn/b-2"}
_TT = "{" + NS["tt"] + "}"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
# topic (without its namespace prefix) → event kind
TOPIC_KINDS: dict[str, str] = {
    "ruleengine/fielddetector/objectsinside": "intrusion",
    "ruleengine/linedetector/crossed": "line_crossing",
    "ruleengine/loiteringdetector/objectisloitering": "loitering",
    "ruleengine/countaggregation/counter": "zone_count",
}
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_LABELS = {"human": "person", "person": "person", "face": "person", "vehicle": "vehicle"}
_LABELS |= {"car": "vehicle", "bus": "vehicle", "truck": "vehicle", "bike": "vehicle"}


class OnvifFormatError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass
class OnvifMessage:
    topic: str
    utc_time: str
    property_operation: str = ""
    source: dict[str, str] = field(default_factory=dict)
    key: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


def _topic_kind(topic: str) -> str | None:
    path = "/".join(part.split(":", 1)[-1] for part in topic.strip().split("/"))
    return TOPIC_KINDS.get(path.lower())


def _event_id(camera: str, message: OnvifMessage) -> str:
    parts = [camera, message.topic.strip(), message.utc_time.strip(), message.property_operation]
    parts += [f"{k}={v}" for k, v in sorted(message.source.items())]
    parts += [f"{k}={v}" for k, v in sorted(message.key.items())]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def _value(message: OnvifMessage, where: str) -> float | None:
    raw = message.data.get("Count")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise OnvifFormatError(f"{where}.data.Count", "a number") from None
    if not 0 <= value <= 1e9:
        raise OnvifFormatError(f"{where}.data.Count", "a count between 0 and 1e9")
    return value


def to_event(camera: str, message: OnvifMessage, where: str = "message") -> VideoEventIn | None:
    """The generic event for one ONVIF message, or None when it reports no analytics event
    (another topic, or a detector's state turning false)."""
    kind = _topic_kind(message.topic)
    if kind is None:
        return None
    states = {
        v.strip().lower() for k, v in message.data.items() if k in ("IsInside", "IsLoitering")
    }
    if states & _FALSE and not states & _TRUE:
        return None
    try:
        started = datetime.fromisoformat(message.utc_time.strip().replace("Z", "+00:00"))
    except ValueError:
        raise OnvifFormatError(f"{where}.UtcTime", "an ISO 8601 time") from None
    label_raw = next(
        (v for k, v in message.data.items() if k in ("ClassTypes", "ObjectType", "Type")), ""
    )
    raw = {
        "source": SOURCE,
        "source_event_id": _event_id(camera, message),
        "camera": camera,
        "kind": kind,
        "zone": message.source.get("Rule") or None,
        "label": _LABELS.get(label_raw.strip().lower()) if label_raw else None,
        "value": _value(message, where),
        "started_at": started,
    }
    try:
        return VideoEventIn.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = ".".join(str(p) for p in error["loc"]) or "message"
        raise OnvifFormatError(f"{where}.{loc}", error["msg"]) from None


def _items(element: Any, name: str) -> dict[str, str]:
    holder = element.find(f"{_TT}{name}")
    if holder is None:
        return {}
    items: dict[str, str] = {}
    for item in holder.iter(f"{_TT}SimpleItem"):
        key, value = item.get("Name"), item.get("Value")
        if key and value is not None:
            items[key] = value
    return items


def parse_xml(document: bytes | str) -> list[OnvifMessage]:
    """Every NotificationMessage's topic and tt:Message in an XML document."""
    raw = document.encode() if isinstance(document, str) else document
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise OnvifFormatError("document", f"not well-formed XML ({exc.msg})") from None
    if root is None:
        raise OnvifFormatError("document", "empty XML")
    messages = []
    for number, notification in enumerate(root.iterfind(".//wsnt:NotificationMessage", NS)):
        where = f"NotificationMessage[{number}]"
        topic = notification.find("wsnt:Topic", NS)
        message = notification.find("wsnt:Message/tt:Message", NS)
        if topic is None or not (topic.text or "").strip():
            raise OnvifFormatError(f"{where}.Topic", "a topic is required")
        if message is None:
            raise OnvifFormatError(f"{where}.Message", "a tt:Message is required")
        messages.append(
            OnvifMessage(
                topic=(topic.text or "").strip(),
                utc_time=message.get("UtcTime") or "",
                property_operation=message.get("PropertyOperation") or "",
                source=_items(message, "Source"),
                key=_items(message, "Key"),
                data=_items(message, "Data"),
            )
        )
    return messages


def _string_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in value.items()
    ):
        raise OnvifFormatError(where, "an object of simple items (name: value)")
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()}


def parse_json(document: bytes | str | Any) -> list[OnvifMessage]:
    data = document
    if isinstance(document, bytes | str):
        try:
            data = json.loads(document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise OnvifFormatError("document", f"not JSON ({exc})") from None
    items = [data] if isinstance(data, Mapping) else data
    if not isinstance(items, list):
        raise OnvifFormatError("document", "an ONVIF message object or a list of them")
    messages = []
    for number, item in enumerate(items):
        where = f"messages[{number}]"
        if not isinstance(item, Mapping):
            raise OnvifFormatError(where, "an object")
        topic, utc = item.get("topic"), item.get("utc_time")
        if not isinstance(topic, str) or not topic.strip():
            raise OnvifFormatError(f"{where}.topic", "a topic is required")
        if not isinstance(utc, str):
            raise OnvifFormatError(f"{where}.utc_time", "an ISO 8601 time")
        operation = item.get("property_operation") or ""
        if not isinstance(operation, str):
            raise OnvifFormatError(f"{where}.property_operation", "a string")
        messages.append(
            OnvifMessage(
                topic=topic,
                utc_time=utc,
                property_operation=operation,
                source=_string_map(item.get("source"), f"{where}.source"),
                key=_string_map(item.get("key"), f"{where}.key"),
                data=_string_map(item.get("data"), f"{where}.data"),
            )
        )
    return messages


def parse_events(document: bytes | str, camera: str, fmt: str = "auto") -> list[VideoEventIn]:
    """XML or JSON (by its first character unless `fmt` says) → generic events."""
    text = document.decode(errors="replace") if isinstance(document, bytes) else document
    chosen = fmt if fmt != "auto" else ("xml" if text.lstrip().startswith("<") else "json")
    messages = parse_xml(document) if chosen == "xml" else parse_json(document)
    events = []
    for number, message in enumerate(messages):
        event = to_event(camera, message, f"messages[{number}]")
        if event is not None:
            events.append(event)
    return events
