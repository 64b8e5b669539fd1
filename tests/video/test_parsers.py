"""Frigate and ONVIF messages into generic video events; fuzzed with hypothesis."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.video.ingest import frigate, onvif

FRIGATE_MESSAGE = {
    "type": "update",
    "before": {"id": "1607123955.475377-mxklsc", "camera": "gate_1", "label": "person"},
    "after": {
        "id": "1607123955.475377-mxklsc",
        "camera": "gate_1",
        "frame_time": 1607123961.837752,
        "label": "person",
        "sub_label": "Alice",  # a recognised face's name: never carried over
        "top_score": 0.958984375,
        "false_positive": False,
        "start_time": 1607123955.475377,
        "end_time": None,
        "score": 0.7890625,
        "box": [424, 500, 536, 712],
        "current_zones": ["perimeter"],
        "entered_zones": ["yard", "perimeter"],
        "has_snapshot": True,
    },
}

ONVIF_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"
    xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tns1="http://www.onvif.org/ver10/topics">
  <tt:Event>
    <wsnt:NotificationMessage>
      <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
        >tns1:RuleEngine/FieldDetector/ObjectsInside</wsnt:Topic>
      <wsnt:Message>
        <tt:Message UtcTime="2026-03-01T10:15:00.250Z" PropertyOperation="Changed">
          <tt:Source>
            <tt:SimpleItem Name="VideoSourceConfigurationToken" Value="1"/>
            <tt:SimpleItem Name="Rule" Value="perimeter"/>
          </tt:Source>
          <tt:Key><tt:SimpleItem Name="ObjectId" Value="17"/></tt:Key>
          <tt:Data>
            <tt:SimpleItem Name="IsInside" Value="true"/>
            <tt:SimpleItem Name="ClassTypes" Value="Human"/>
          </tt:Data>
        </tt:Message>
      </wsnt:Message>
    </wsnt:NotificationMessage>
    <wsnt:NotificationMessage>
      <wsnt:Topic>tns1:RuleEngine/CountAggregation/Counter</wsnt:Topic>
      <wsnt:Message>
        <tt:Message UtcTime="2026-03-01T10:15:00Z">
          <tt:Source><tt:SimpleItem Name="Rule" Value="plaza"/></tt:Source>
          <tt:Data><tt:SimpleItem Name="Count" Value="42"/></tt:Data>
        </tt:Message>
      </wsnt:Message>
    </wsnt:NotificationMessage>
    <wsnt:NotificationMessage>
      <wsnt:Topic>tns1:VideoSource/MotionAlarm</wsnt:Topic>
      <wsnt:Message><tt:Message UtcTime="2026-03-01T10:15:00Z"/></wsnt:Message>
    </wsnt:NotificationMessage>
  </tt:Event>
</tt:MetadataStream>"""


def test_a_frigate_message_becomes_one_intrusion_per_entered_zone() -> None:
    events = frigate.parse_mqtt_message(json.dumps(FRIGATE_MESSAGE).encode())
    assert [(e.zone, e.kind, e.label) for e in events] == [
        ("yard", "intrusion", "person"),
        ("perimeter", "intrusion", "person"),
    ]
    assert events[0].source_event_id == "1607123955.475377-mxklsc:yard"
    assert events[0].started_at.timestamp() == pytest.approx(1607123955.475377)
    assert events[0].ended_at is None and events[0].snapshot is None
    assert "Alice" not in json.dumps([e.model_dump(mode="json") for e in events])


def test_frigate_false_positives_and_api_events() -> None:
    fp = {**FRIGATE_MESSAGE, "after": {**FRIGATE_MESSAGE["after"], "false_positive": True}}
    assert frigate.parse_mqtt_message(json.dumps(fp)) == []
    api = [
        {
            "id": "1700000000.1-abc",
            "camera": "lot_2",
            "label": "car",
            "sub_label": None,
            "zones": [],
            "start_time": 1700000000.1,
            "end_time": 1700000030.5,
            "has_snapshot": True,
        }
    ]
    (event,) = frigate.parse_api_events(json.dumps(api))
    assert (event.source_event_id, event.zone, event.label) == ("1700000000.1-abc", None, "vehicle")
    assert event.ended_at is not None and event.ended_at > event.started_at


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "begin"}, "type"),
        ({"after": {**FRIGATE_MESSAGE["after"], "camera": ""}}, "after.camera"),
        ({"after": {**FRIGATE_MESSAGE["after"], "start_time": "noon"}}, "after.start_time"),
        ({"after": {**FRIGATE_MESSAGE["after"], "entered_zones": "yard"}}, "after.entered_zones"),
        ({"after": {**FRIGATE_MESSAGE["after"], "camera": "bad camera!"}}, "after.camera"),
    ],
)
def test_bad_frigate_messages_name_the_field(change: dict, field: str) -> None:
    with pytest.raises(frigate.FrigateFormatError) as caught:
        frigate.parse_mqtt_message(json.dumps({**FRIGATE_MESSAGE, **change}))
    assert caught.value.field == field


def test_onvif_xml_analytics_messages() -> None:
    events = onvif.parse_events(ONVIF_XML, "gate_1")
    assert [(e.kind, e.zone, e.label, e.value) for e in events] == [
        ("intrusion", "perimeter", "person", None),
        ("zone_count", "plaza", None, 42.0),
    ]
    again = onvif.parse_events(ONVIF_XML, "gate_1")
    assert [e.source_event_id for e in events] == [e.source_event_id for e in again]
    assert events[0].source_event_id != onvif.parse_events(ONVIF_XML, "gate_2")[0].source_event_id


def test_onvif_json_and_a_detector_turning_false() -> None:
    message = {
        "topic": "tns1:RuleEngine/LineDetector/Crossed",
        "utc_time": "2026-03-01T10:16:00+00:00",
        "source": {"Rule": "north_line"},
        "key": {"ObjectId": 3},
        "data": {},
    }
    off = {**message, "topic": "tns1:RuleEngine/FieldDetector/ObjectsInside"}
    off["data"] = {"IsInside": False}
    events = onvif.parse_events(json.dumps([message, off]), "gate_1")
    assert [(e.kind, e.zone) for e in events] == [("line_crossing", "north_line")]


def test_onvif_refuses_entities_and_names_bad_fields() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema">&e;</tt:MetadataStream>"""
    assert onvif.parse_xml(bomb) == []  # the entity is not resolved, no message in it
    with pytest.raises(onvif.OnvifFormatError) as caught:
        onvif.parse_events(b"<a><b></a>", "gate_1")
    assert caught.value.field == "document"
    bad_time = ONVIF_XML.replace(b'UtcTime="2026-03-01T10:15:00.250Z"', b'UtcTime="soon"')
    with pytest.raises(onvif.OnvifFormatError) as caught:
        onvif.parse_events(bad_time, "gate_1")
    assert caught.value.field == "messages[0].UtcTime"


_json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["new", "update", "end", "x"]),
    after=st.dictionaries(
        st.sampled_from(["id", "camera", "label", "start_time", "end_time", "entered_zones"]),
        _json_values,
    ),
)
def test_frigate_parser_fuzz(kind: str, after: dict) -> None:
    """Any payload gives events or a FrigateFormatError, never another exception."""
    try:
        events = frigate.parse_mqtt_message(json.dumps({"type": kind, "after": after}))
    except frigate.FrigateFormatError:
        return
    assert all(e.source == "frigate" for e in events)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_onvif_parser_fuzz(document: bytes) -> None:
    try:
        events = onvif.parse_events(document, "cam")
    except onvif.OnvifFormatError:
        return
    assert all(e.source == "onvif" for e in events)


@settings(max_examples=200, deadline=None)
@given(
    topic=st.sampled_from(list(onvif.TOPIC_KINDS)) | st.text(max_size=30),
    utc=st.text(max_size=30) | st.datetimes().map(lambda d: d.isoformat() + "Z"),
    items=st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=10), max_size=4),
)
def test_onvif_xml_fuzz(topic: str, utc: str, items: dict) -> None:
    from xml.sax.saxutils import quoteattr

    simple = "".join(
        f"<tt:SimpleItem Name={quoteattr(k)} Value={quoteattr(v)}/>" for k, v in items.items()
    )
    doc = (
        '<wsnt:Notify xmlns:tt="http://www.onvif.org/ver10/schema" '
        'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"><wsnt:NotificationMessage>'
        f"<wsnt:Topic>tns1:{topic.replace('<', '').replace('&', '')}</wsnt:Topic><wsnt:Message>"
        f"<tt:Message UtcTime={quoteattr(utc)}><tt:Source>{simple}</tt:Source>"
        f"<tt:Data>{simple}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify>"
    )
    try:
        events = onvif.parse_events(doc.encode(), "cam")
    except onvif.OnvifFormatError:
        return
    assert len(events) <= 1
