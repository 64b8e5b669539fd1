"""CAP 1.2: the model, the XML against the OASIS XSD, field-level refusals, the XML signature,
the Atom feed, and a fuzz of the builder and validator. No database."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.response.keys import signing_pair
from vigil.core.errors import ValidationFailed
from vigil.response import cap

NS = {"cap": cap.CAP_NS}


def valid_document() -> dict[str, Any]:
    return {
        "identifier": "vigil-1-7-abc123",
        "sender": "warnings@riverside.example",
        "sent": "2026-12-06T10:15:30+08:00",
        "status": "Actual",
        "msgType": "Alert",
        "scope": "Public",
        "info": [
            {
                "category": ["Security"],
                "event": "Intrusion at a protected site",
                "responseType": ["Avoid"],
                "urgency": "Immediate",
                "severity": "Moderate",
                "certainty": "Observed",
                "headline": "Police operation at the north pumping station",
                "area": [
                    {
                        "areaDesc": "North pumping station",
                        "circle": ["31.2655,121.441 0.5"],
                        "polygon": ["31.26,121.43 31.27,121.43 31.27,121.45 31.26,121.43"],
                    }
                ],
            }
        ],
    }


def test_a_written_message_validates_against_the_cap_xsd() -> None:
    xml = cap.write_valid_xml(cap.check_cap(valid_document()))
    assert cap.schema_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.tag == f"{{{cap.CAP_NS}}}alert"
    # CAP writes UTC as -00:00 and whole seconds: 10:15:30 at +08:00 is 02:15:30 UTC
    assert root.findtext("cap:sent", namespaces=NS) == "2026-12-06T02:15:30-00:00"
    assert root.findtext("cap:info/cap:area/cap:circle", namespaces=NS) == "31.2655,121.441 0.5"


def test_the_xsd_itself_catches_what_is_wrong() -> None:
    """The schema check is real: a document missing <scope> or with a Z time fails it."""
    xml = cap.to_xml(cap.check_cap(valid_document()))
    root = etree.fromstring(xml)
    root.remove(root.find("cap:scope", namespaces=NS))
    assert any("scope" in p for p in cap.schema_errors(etree.tostring(root)))
    root = etree.fromstring(xml)
    root.find("cap:sent", namespaces=NS).text = "2026-12-06T02:15:30Z"
    assert cap.schema_errors(etree.tostring(root)) != []
    assert cap.schema_errors(b"<alert") != []


REQUIRED = [
    ("identifier",),
    ("sender",),
    ("sent",),
    ("status",),
    ("msgType",),
    ("scope",),
    ("info", 0, "category"),
    ("info", 0, "event"),
    ("info", 0, "urgency"),
    ("info", 0, "severity"),
    ("info", 0, "certainty"),
    ("info", 0, "area", 0, "areaDesc"),
]


@pytest.mark.parametrize("path", REQUIRED, ids=lambda p: ".".join(map(str, p)))
def test_each_missing_required_element_is_refused_by_name(path: tuple[Any, ...]) -> None:
    document = valid_document()
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    with pytest.raises(ValidationFailed) as refused:
        cap.check_cap(document)
    assert [e.loc for e in refused.value.errors] == [".".join(map(str, path))]
    assert refused.value.status == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"identifier": "two words"}, "identifier"),
        ({"sender": "a,b"}, "sender"),
        ({"sent": "2026-12-06T10:15:30"}, "sent"),  # no offset
        ({"status": "Live"}, "status"),
        ({"scope": "Restricted"}, "info"),  # placeholder replaced below
    ],
)
def test_bad_values_are_refused_by_name(change: dict[str, Any], field: str) -> None:
    document = {**valid_document(), **change}
    if change.get("scope") == "Restricted":
        field = "scope-needs-restriction"
    with pytest.raises(ValidationFailed) as refused:
        cap.check_cap(document)
    messages = str(refused.value)
    if field == "scope-needs-restriction":
        assert "needs a restriction" in messages
    else:
        assert [e.loc for e in refused.value.errors] == [field]


def test_an_area_carries_geometry_and_never_a_person() -> None:
    document = valid_document()
    area = document["info"][0]["area"][0]
    for extra in ({"person": "Wang Wei"}, {"contact": "+86 139 0000 0000"}, {"geocode": "x"}):
        with pytest.raises(ValidationFailed) as refused:
            cap.check_cap(
                {**document, "info": [{**document["info"][0], "area": [{**area, **extra}]}]}
            )
        assert refused.value.errors[0].loc.startswith("info.0.area.0.")
    bare = {"areaDesc": "somewhere"}
    with pytest.raises(ValidationFailed, match="polygon or a circle"):
        cap.check_cap({**document, "info": [{**document["info"][0], "area": [bare]}]})
    xml = cap.write_valid_xml(cap.check_cap(document))
    area_node = etree.fromstring(xml).find("cap:info/cap:area", namespaces=NS)
    children = {etree.QName(child).localname for child in area_node}
    assert children == {"areaDesc", "polygon", "circle"}


@pytest.mark.parametrize(
    ("polygon", "problem"),
    [
        ("31,121 31.1,121 31.1,121.1", "at least four"),
        ("31,121 31.1,121 31.1,121.1 31.2,121", "end at its first point"),
        ("31,121 91,121 31.1,121.1 31,121", "outside"),
        ("31;121 31.1,121 31.1,121.1 31,121", "not a 'latitude,longitude' pair"),
    ],
)
def test_bad_polygons_are_refused(polygon: str, problem: str) -> None:
    document = valid_document()
    document["info"][0]["area"][0]["polygon"] = [polygon]
    with pytest.raises(ValidationFailed) as refused:
        cap.check_cap(document)
    assert refused.value.errors[0].loc == "info.0.area.0.polygon.0"
    assert problem in refused.value.errors[0].message


def test_a_signed_message_verifies_and_a_tampered_one_does_not() -> None:
    key_pem, cert_pem = signing_pair()
    xml = cap.write_valid_xml(cap.check_cap(valid_document()))
    signed = cap.sign(xml, key_pem, cert_pem)
    assert cap.schema_errors(signed) == []  # ds:Signature sits where the schema allows it
    verified = etree.fromstring(cap.verify(signed, cert_pem))
    assert verified.findtext("cap:identifier", namespaces=NS) == "vigil-1-7-abc123"
    tampered = signed.replace(b"Moderate", b"Extreme")
    assert tampered != signed
    with pytest.raises(Exception, match=r"(?i)digest|signature"):
        cap.verify(tampered, cert_pem)
    _, other_cert = signing_pair("someone else")
    with pytest.raises(Exception):  # noqa: B017 - signxml raises its own InvalidSignature types
        cap.verify(signed, other_cert)


def test_the_atom_feed_parses_with_feedparser() -> None:
    sent = [datetime(2026, 12, 6, 2, m, tzinfo=UTC) for m in (10, 40)]
    entries = [
        cap.FeedEntry(f"vigil-1-{i}", s, f"Warning {i}", "", f"http://x/w/vigil-1-{i}.xml")
        for i, s in enumerate(sent)
    ]
    parsed = feedparser.parse(cap.atom_feed(entries, "urn:vigil:feed", "Warnings", "http://x/f"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Warning 1", "Warning 0"]  # newest first
    first = parsed.entries[0]
    assert first.id == "urn:cap:vigil-1-1"
    (link,) = first.links
    assert (link["href"], link["rel"], link["type"]) == (
        "http://x/w/vigil-1-1.xml",
        "alternate",
        cap.CAP_MEDIA_TYPE,
    )


# --- fuzz -------------------------------------------------------------------------------------

_texts = st.text(max_size=40)  # any character, XML-illegal ones included
_maybe = st.one_of(st.none(), _texts, st.integers(), st.just(""), st.just("  "))
_tokens = st.from_regex(r"[A-Za-z0-9._@:+-]{1,40}", fullmatch=True)
_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80)
_pairs = st.lists(
    st.tuples(st.floats(-100, 100, allow_nan=False), st.floats(-200, 200, allow_nan=False)),
    min_size=0,
    max_size=6,
)
_polygon_text = st.one_of(
    _texts, _pairs.map(lambda ps: " ".join(f"{a},{b}" for a, b in [*ps, *ps[:1]]))
)
_circle_text = st.one_of(
    _texts,
    st.tuples(
        st.floats(-100, 100, allow_nan=False),
        st.floats(-200, 200, allow_nan=False),
        st.floats(-1, 30000, allow_nan=False),
    ).map(lambda t: f"{t[0]},{t[1]} {t[2]}"),
)
_times = st.one_of(
    _texts,
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
)


@st.composite
def fuzzed_documents(draw: st.DrawFn) -> dict[str, Any]:
    document = valid_document()
    info = document["info"][0]
    area = info["area"][0]
    choices: list[tuple[dict[str, Any], str, st.SearchStrategy[Any]]] = [
        (document, "identifier", st.one_of(_tokens, _maybe)),
        (document, "sender", st.one_of(_tokens, _maybe)),
        (document, "sent", _times),
        (document, "status", st.sampled_from(["Actual", "Test", "Live", ""])),
        (document, "scope", st.sampled_from(["Public", "Restricted", "Private"])),
        (document, "restriction", _maybe),
        (document, "note", st.one_of(_words, _maybe)),
        (info, "event", st.one_of(_words, _maybe)),
        (info, "language", st.one_of(st.sampled_from(["zh-CN", "en", "x-klingon-1"]), _maybe)),
        (info, "category", st.lists(st.sampled_from(["Security", "Fire", "Nope"]), max_size=3)),
        (info, "headline", st.one_of(_words, _maybe)),
        (info, "description", st.text(max_size=200)),
        (info, "expires", _times),
        (info, "web", _maybe),
        (area, "areaDesc", st.one_of(_words, _maybe)),
        (area, "polygon", st.lists(_polygon_text, max_size=2)),
        (area, "circle", st.lists(_circle_text, max_size=2)),
    ]
    for target, key, strategy in choices:
        action = draw(st.sampled_from(["keep"] * 6 + ["set"] * 3 + ["drop"]))
        if action == "set":
            target[key] = draw(strategy)
        elif action == "drop":
            target.pop(key, None)
    return copy.deepcopy(document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed_documents())
def test_fuzz_what_the_model_accepts_the_xsd_accepts(document: dict[str, Any]) -> None:
    """Either a field-level refusal, or XML that the CAP 1.2 schema accepts: never a crash."""
    try:
        alert = cap.check_cap(document)
    except ValidationFailed as refused:
        assert refused.errors
        assert all(e.loc and e.message for e in refused.errors)
        return
    xml = cap.to_xml(alert)
    assert cap.schema_errors(xml) == [], xml


CATEGORIES = ["Geo", "Fire", "CBRNE", "Infra"]


@st.composite
def plausible_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Documents an editor might send: right shapes, any text, times and coordinates."""
    moments = st.datetimes(
        min_value=datetime(1975, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones()
    )
    points = draw(
        st.lists(
            st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)),
            min_size=3,
            max_size=8,
        )
    )
    circle = draw(
        st.tuples(
            st.floats(-90, 90, allow_nan=False),
            st.floats(-180, 180, allow_nan=False),
            st.floats(0.001, 20000, allow_nan=False),
        )
    )
    return {
        "identifier": draw(_tokens),
        "sender": draw(_tokens),
        "sent": draw(moments).isoformat(),
        "status": draw(st.sampled_from(["Actual", "Exercise", "System", "Test", "Draft"])),
        "msgType": draw(st.sampled_from(["Alert", "Update", "Cancel", "Ack", "Error"])),
        "scope": "Public",
        "note": draw(st.one_of(st.none(), _words)),
        "info": [
            {
                "language": draw(st.sampled_from(["en-US", "zh-CN", "fr"])),
                "category": draw(
                    st.lists(
                        st.sampled_from(["Geo", "Fire", "CBRNE", "Infra"]), min_size=1, max_size=4
                    )
                ),
                "event": draw(_words.filter(str.strip)),
                "urgency": "Expected",
                "severity": "Minor",
                "certainty": "Likely",
                "headline": draw(st.one_of(st.none(), _words)),
                "description": draw(_words),
                "expires": draw(moments).isoformat(),
                "area": [
                    {
                        "areaDesc": draw(_words.filter(str.strip)),
                        "polygon": [" ".join(f"{a:.6f},{b:.6f}" for a, b in [*points, points[0]])],
                        "circle": [f"{circle[0]:.6f},{circle[1]:.6f} {circle[2]:.3f}"],
                    }
                ],
            }
        ],
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible_documents())
def test_fuzz_plausible_messages_write_schema_valid_xml(document: dict[str, Any]) -> None:
    try:
        alert = cap.check_cap(document)
    except ValidationFailed as refused:
        raise AssertionError(f"a plausible message was refused: {refused}") from None
    xml = cap.to_xml(alert)
    assert cap.schema_errors(xml) == [], xml
    parsed = etree.fromstring(xml)
    assert parsed.findtext("cap:info/cap:event", namespaces=NS) == alert.info[0].event
