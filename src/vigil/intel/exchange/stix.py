"""STIX 2.1 bundles as plain JSON dicts (no `stix2` objects: it rejects TLP 2.0 markings).

Export: clue -> report (plus a note for handling and an opinion for the grading); entity ->
identity (person, vehicle, phone), location (address, place) or incident (event); case ->
incident + grouping; relationships and sightings link them. Vigil-only properties ride in a
property-extension (strict validation rejects bare `x_` properties), so gradings, source
types, handling notes and entity keys round-trip losslessly.

Import: every STIX 2.1 object type a partner sends (MISP, OpenCTI) becomes a clue, an entity
of the clues that cite it, or a link (a clue holding both ends), and an `ImportReport` says
per type what was imported, merged or skipped and why. The partner's identity
(created_by_ref) is the originating agency; TLP 1.0 and 2.0 markings, MISP admiralty-scale
tags and `admiralty:B2` labels are understood. A clue imported from another type is exported
as a report that names the original id, with the partner's description and marking."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from vigil.core.text import ascii_digits
from vigil.intel.marking import Tlp, parse_grading

NAMESPACE = uuid.UUID("6d1c1c5e-0a57-4f3c-8a46-7b1f0e9c2d11")
VIGIL_EXT = "extension-definition--0f0c2b6e-5a8e-4a5b-9d52-6b1e8c1d7a11"
TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
TLP2_EPOCH = "2022-10-01T00:00:00.000Z"
_OPINION = {1: "strongly-agree", 2: "agree", 3: "neutral", 4: "disagree", 5: "strongly-disagree"}
_MISP_RELIABILITY = re.compile(r'admiralty-scale:source-reliability=\\?"?([a-f])', re.I)
_MISP_CREDIBILITY = re.compile(r'admiralty-scale:information-credibility=\\?"?([1-6])', re.I)


def stix_id(kind: str, seed: str) -> str:
    """Deterministic (so re-exports are stable) but shaped as a UUIDv4, as STIX requires."""
    return f"{kind}--{uuid.UUID(bytes=uuid.uuid5(NAMESPACE, seed).bytes, version=4)}"


def timestamp(value: datetime) -> str:
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class EntityRecord:
    kind: str
    key: str
    label: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class AttachmentRecord:
    sha256: str
    filename: str = ""
    media_type: str = "application/octet-stream"
    size: int = 0


@dataclass(frozen=True)
class ClueRecord:
    stix_id: str
    organisation: str
    created: datetime
    text: str
    source_type: str
    grading: str
    tlp: Tlp
    handling: str = ""
    entities: tuple[EntityRecord, ...] = ()
    attachments: tuple[AttachmentRecord, ...] = ()


@dataclass(frozen=True)
class CaseRecord:
    stix_id: str
    organisation: str
    created: datetime
    title: str
    description: str
    status: str


def _ext(**props: Any) -> dict[str, Any]:
    return {VIGIL_EXT: {"extension_type": "property-extension", **props}}


def tlp_marking(tlp: Tlp) -> dict[str, Any]:
    """The standard TLP 2.0 marking-definition object."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_EPOCH,
        "name": f"TLP:{tlp.value}",
        "extensions": {
            TLP2_EXT: {"extension_type": "property-extension", "tlp_2_0": tlp.value.lower()}
        },
    }


class _Builder:
    def __init__(self, now: datetime) -> None:
        self.now = timestamp(now)
        self.objects: dict[str, dict[str, Any]] = {}

    def add(self, obj: dict[str, Any]) -> str:
        self.objects.setdefault(obj["id"], obj)
        return str(obj["id"])

    def sdo(self, kind: str, oid: str, created: str, **props: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "spec_version": "2.1",
            "id": oid,
            "created": created,
            "modified": created,
            **props,
        }

    def identity(self, org: str) -> str:
        oid = stix_id("identity", f"org:{org}")
        return self.add(
            self.sdo("identity", oid, self.now, name=org, identity_class="organization")
        )

    def entity(self, e: EntityRecord, creator: str, marking: str) -> str:
        seed = f"entity:{e.kind}:{e.key}"
        common = {
            "created_by_ref": creator,
            "object_marking_refs": [marking],
            "extensions": _ext(role="entity", entity_kind=e.kind, entity_key=e.key),
        }
        if e.kind in ("address", "place"):
            where: dict[str, Any]
            if e.latitude is not None and e.longitude is not None:
                where = {"latitude": e.latitude, "longitude": e.longitude}
            else:
                where = {"country": "CN"}  # the locale's country; the key carries the text
            props = {"street_address": e.label} if e.kind == "address" else {"name": e.label}
            obj = self.sdo("location", stix_id("location", seed), self.now, **props, **where)
        elif e.kind == "event":
            obj = self.sdo("incident", stix_id("incident", seed), self.now, name=e.label)
        else:
            cls = "individual" if e.kind == "person" else "unknown"
            obj = self.sdo(
                "identity", stix_id("identity", seed), self.now, name=e.label, identity_class=cls
            )
        obj.update(common)
        return self.add(obj)


def build_bundle(
    clues: Iterable[ClueRecord], case: CaseRecord | None = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """A STIX 2.1 bundle (plain dicts) for a case or a set of clues."""
    b = _Builder(now or datetime.now(UTC))
    clue_list = list(clues)
    owners = {c.organisation for c in clue_list} | ({case.organisation} if case else set())
    vigil_org = b.identity(case.organisation if case else sorted(owners)[0] if owners else "Vigil")
    b.add(
        b.sdo(
            "extension-definition",
            VIGIL_EXT,
            "2026-01-01T00:00:00.000Z",
            created_by_ref=vigil_org,
            name="Vigil intelligence properties",
            description="Admiralty grading, source type, handling notes and entity keys of "
            "Vigil clues, so that they survive a STIX round trip.",
            schema="https://vigil.example/stix/vigil-intel-v1.json",
            version="1.0.0",
            extension_types=["property-extension"],
        )
    )
    used_markings: set[Tlp] = set()
    report_ids: list[str] = []
    entity_ids: list[str] = []
    for clue in clue_list:
        creator = b.identity(clue.organisation)
        marking = TLP2_IDS[clue.tlp]
        used_markings.add(clue.tlp)
        created = timestamp(clue.created)
        refs = [b.entity(e, creator, marking) for e in clue.entities]
        entity_ids += [r for r in refs if r not in entity_ids]
        # A clue imported from another type (incident, note, indicator...) travels as a
        # report that names the original object, so that a re-import recognises it.
        report_id = (
            clue.stix_id if clue.stix_id.startswith("report--") else stix_id("report", clue.stix_id)
        )
        report_props: dict[str, Any] = {
            "name": clue.text.splitlines()[0][:120] if clue.text.strip() else "clue",
            "description": clue.text,
            "report_types": ["threat-report"],
            "published": created,
            "object_refs": refs or [creator],
            "labels": [f"admiralty:{clue.grading}", f"source-type:{clue.source_type}"],
            "created_by_ref": creator,
            "object_marking_refs": [marking],
            "extensions": _ext(
                role="clue",
                admiralty=clue.grading,
                source_type=clue.source_type,
                handling=clue.handling,
                tlp=clue.tlp.value,
                **({} if report_id == clue.stix_id else {"origin_id": clue.stix_id}),
            ),
        }
        if clue.attachments:
            report_props["external_references"] = [
                {
                    "source_name": "vigil-attachment",
                    "description": f"{a.filename}|{a.media_type}|{a.size}",
                    "external_id": a.sha256,
                    "hashes": {"SHA-256": a.sha256},
                }
                for a in clue.attachments
            ]
        report = b.sdo("report", report_id, created, **report_props)
        b.add(report)
        report_ids.append(report_id)
        _, credibility = parse_grading(clue.grading)
        b.add(
            b.sdo(
                "opinion",
                stix_id("opinion", f"{clue.stix_id}:grading"),
                created,
                created_by_ref=creator,
                object_marking_refs=[marking],
                opinion=_OPINION.get(credibility, "neutral"),
                explanation=f"Admiralty grading {clue.grading}",
                object_refs=[report_id],
            )
        )
        if clue.handling:
            b.add(
                b.sdo(
                    "note",
                    stix_id("note", f"{clue.stix_id}:handling"),
                    created,
                    created_by_ref=creator,
                    object_marking_refs=[marking],
                    abstract="Handling",
                    content=clue.handling,
                    object_refs=[report_id],
                )
            )
        if clue.source_type == "sensor" and refs:
            places = [r for r in refs if r.startswith("location--")]
            b.add(
                b.sdo(
                    "sighting",
                    stix_id("sighting", f"{clue.stix_id}:sighting"),
                    created,
                    created_by_ref=creator,
                    object_marking_refs=[marking],
                    first_seen=created,
                    count=1,
                    sighting_of_ref=refs[0],
                    where_sighted_refs=places or [creator],
                )
            )
        for a, c in pairwise(refs):
            b.add(
                b.sdo(
                    "relationship",
                    stix_id("relationship", f"{clue.stix_id}:{a}:{c}"),
                    created,
                    created_by_ref=creator,
                    object_marking_refs=[marking],
                    relationship_type="related-to",
                    source_ref=a,
                    target_ref=c,
                )
            )
    if case is not None:
        creator = b.identity(case.organisation)
        most = max((c.tlp for c in clue_list), key=lambda t: list(Tlp).index(t), default=Tlp.AMBER)
        marking = TLP2_IDS[most if most != Tlp.CLEAR else Tlp.GREEN]
        used_markings.add(Tlp(most if most != Tlp.CLEAR else Tlp.GREEN))
        created = timestamp(case.created)
        b.add(
            b.sdo(
                "incident",
                case.stix_id,
                created,
                name=case.title,
                description=case.description or case.title,
                created_by_ref=creator,
                object_marking_refs=[marking],
                extensions=_ext(role="case", status=case.status),
            )
        )
        for target in entity_ids:
            b.add(
                b.sdo(
                    "relationship",
                    stix_id("relationship", f"{case.stix_id}:{target}"),
                    created,
                    created_by_ref=creator,
                    object_marking_refs=[marking],
                    relationship_type="related-to",
                    source_ref=case.stix_id,
                    target_ref=target,
                )
            )
        b.add(
            b.sdo(
                "grouping",
                stix_id("grouping", case.stix_id),
                created,
                name=case.title,
                description=case.description or case.title,
                context="suspicious-activity",
                created_by_ref=creator,
                object_marking_refs=[marking],
                object_refs=[case.stix_id, *report_ids],
                extensions=_ext(role="case-grouping"),
            )
        )
    for tlp in sorted(used_markings, key=lambda t: list(Tlp).index(t)):
        b.add(tlp_marking(tlp))
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": list(b.objects.values()),
    }


# --- import ---------------------------------------------------------------------------------


def _entity_of(obj: dict[str, Any]) -> EntityRecord | None:
    ext = obj.get("extensions", {}).get(VIGIL_EXT, {})
    lat, lon = obj.get("latitude"), obj.get("longitude")
    if ext.get("role") == "entity":
        label = obj.get("name") or obj.get("street_address") or ext["entity_key"]
        return EntityRecord(ext["entity_kind"], ext["entity_key"], str(label), lat, lon)
    kind_map = {"identity": "person", "location": "place", "incident": "event"}
    kind = kind_map.get(obj["type"])
    if kind is None:
        return None
    if obj["type"] == "identity" and obj.get("identity_class") != "individual":
        return None  # organisations are sources, not entities
    if obj["type"] == "location" and obj.get("street_address"):
        kind, label = "address", obj["street_address"]
    else:
        label = obj.get("name") or obj.get("region") or obj.get("country") or obj["id"]
    return EntityRecord(kind, " ".join(str(label).split()).casefold(), str(label), lat, lon)


# Every STIX 2.1 object type a partner may send, and what it becomes in Vigil.
CLUE_TYPES = (
    "report",
    "grouping",
    "incident",
    "note",
    "opinion",
    "sighting",
    "indicator",
    "observed-data",
    "threat-actor",
    "relationship",
    "attack-pattern",
    "malware",
    "tool",
    "infrastructure",
    "campaign",
    "intrusion-set",
    "vulnerability",
    "course-of-action",
    "malware-analysis",
)
ENTITY_TYPES = ("location", "identity")
_META_TYPES = ("marking-definition", "extension-definition", "language-content")
# Cyber observables (SCOs) carry no marking of their own here: observed-data cites them.
_OBSERVABLE_TYPES = (
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
)
_REF_PROPERTIES = ("object_refs", "where_sighted_refs", "observed_data_refs")
_ONE_REF_PROPERTIES = ("source_ref", "target_ref", "sighting_of_ref")


@dataclass
class ImportedClue:
    stix_id: str
    partner: str
    text: str
    source_type: str
    grading: str
    tlp: Tlp
    handling: str = ""
    entities: list[EntityRecord] = field(default_factory=list)
    attachments: list[AttachmentRecord] = field(default_factory=list)
    stix_type: str = "report"


@dataclass
class TypeReport:
    """What became of the objects of one STIX type."""

    imported: int = 0
    merged: int = 0
    skipped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, reason: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        key = f"{outcome}: {reason}"
        self.reasons[key] = self.reasons.get(key, 0) + 1


@dataclass
class ImportReport:
    by_type: dict[str, TypeReport] = field(default_factory=dict)

    def note(self, stix_type: str, outcome: str, reason: str) -> None:
        self.by_type.setdefault(stix_type, TypeReport()).add(outcome, reason)

    def total(self, outcome: str) -> int:
        return sum(getattr(r, outcome) for r in self.by_type.values())

    def lines(self) -> list[str]:
        out = []
        for stix_type in sorted(self.by_type):
            r = self.by_type[stix_type]
            out.append(
                f"{stix_type}: imported {r.imported}, merged {r.merged}, skipped {r.skipped}"
            )
            out += [f"  {n} {why}" for why, n in sorted(r.reasons.items())]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            t: {
                "imported": r.imported,
                "merged": r.merged,
                "skipped": r.skipped,
                "reasons": dict(sorted(r.reasons.items())),
            }
            for t, r in sorted(self.by_type.items())
        }


@dataclass
class ParsedBundle:
    clues: list[ImportedClue]
    report: ImportReport


def _marking_of(obj: dict[str, Any], markings: dict[str, dict[str, Any]]) -> Tlp:
    for ref in obj.get("object_marking_refs", []):
        for tlp, mid in TLP2_IDS.items():
            if ref == mid:
                return tlp
        if ref in TLP1_IDS:
            return TLP1_IDS[ref]
        definition = markings.get(ref, {})
        name = str(definition.get("name", "")) or str(
            definition.get("definition", {}).get("tlp", "")
        )
        try:
            return Tlp(name.upper().removeprefix("TLP:").replace("WHITE", "CLEAR"))
        except ValueError:
            continue
    return Tlp.AMBER  # unmarked partner data is handled as AMBER until someone grades it


def _grading_of(obj: dict[str, Any], ext: dict[str, Any], opinions: list[str]) -> str:
    if ext.get("admiralty"):
        return str(ext["admiralty"])
    for label in obj.get("labels", []):
        if str(label).startswith("admiralty:"):
            return str(label).split(":", 1)[1].upper()
    tags = " ".join(str(x) for x in obj.get("labels", []))
    rel, cred = _MISP_RELIABILITY.search(tags), _MISP_CREDIBILITY.search(tags)
    if rel or cred:
        return f"{rel.group(1).upper() if rel else 'F'}{cred.group(1) if cred else '6'}"
    for text in opinions:
        found = re.search(r"Admiralty grading ([A-F][1-6])", text)
        if found:
            return found.group(1)
    return "F6"


def _refs(obj: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for prop in _REF_PROPERTIES:
        out += [str(r) for r in obj.get(prop, []) or []]
    out += [str(obj[p]) for p in _ONE_REF_PROPERTIES if obj.get(p)]
    return out


def _vigil_role(obj: dict[str, Any]) -> str:
    return str(obj.get("extensions", {}).get(VIGIL_EXT, {}).get("role", ""))


def _body(obj: dict[str, Any]) -> str:
    """The object's own text: description, or a note's content, or an opinion's explanation."""
    for prop in ("description", "content", "explanation"):
        if str(obj.get(prop) or "").strip():
            return str(obj[prop]).strip()
    return ""


def _label(obj: dict[str, Any] | None) -> str:
    if obj is None:
        return "an object not in the bundle"
    for prop in ("name", "value", "street_address", "abstract", "pattern"):
        if obj.get(prop):
            return str(obj[prop])
    return str(obj.get("id", "?"))


def _facts(obj: dict[str, Any], objects: dict[str, dict[str, Any]]) -> list[str]:
    """What a type says beyond its text: a pattern, a verdict, who relates to whom."""
    kind = obj["type"]
    if kind == "indicator":
        return [f"pattern ({obj.get('pattern_type', 'stix')}): {obj.get('pattern', '')}"]
    if kind == "opinion":
        return [f"opinion: {obj.get('opinion', '')}"]
    if kind == "note" and obj.get("abstract"):
        return [f"note: {obj['abstract']}"]
    if kind == "relationship":
        return [
            f"{_label(objects.get(obj.get('source_ref', '')))} "
            f"{obj.get('relationship_type', 'related-to')} "
            f"{_label(objects.get(obj.get('target_ref', '')))}"
        ]
    if kind == "sighting":
        where = ", ".join(_label(objects.get(r)) for r in obj.get("where_sighted_refs", []))
        return [
            f"sighting of {_label(objects.get(obj.get('sighting_of_ref', '')))}"
            f" x{obj.get('count', 1)}"
            + (f" at {where}" if where else "")
            + (f", first seen {obj['first_seen']}" if obj.get("first_seen") else "")
        ]
    if kind == "observed-data":
        seen = ", ".join(_label(objects.get(r)) for r in obj.get("object_refs", []))
        return [
            f"observed {obj.get('number_observed', 1)} time(s) between "
            f"{obj.get('first_observed', '?')} and {obj.get('last_observed', '?')}: {seen}"
        ]
    return []


def _clue_text(obj: dict[str, Any], objects: dict[str, dict[str, Any]]) -> str:
    """The partner's description verbatim, after the name when the description lacks it,
    and followed by the type's facts."""
    body = _body(obj)
    if _vigil_role(obj) == "clue":
        return body or str(obj.get("name") or obj["id"])
    name = str(obj.get("name") or "").strip()
    parts = [name] if name and name not in body else []
    parts += [body] if body else []
    parts += _facts(obj, objects)
    return "\n\n".join(parts) or obj["id"]


def _attachments_of(obj: dict[str, Any]) -> list[AttachmentRecord]:
    attachments = []
    for ref in obj.get("external_references", []):
        digest = ref.get("hashes", {}).get("SHA-256")
        if digest:
            name, media, size = [*str(ref.get("description", "")).split("|"), "", "", "0"][:3]
            attachments.append(
                AttachmentRecord(
                    digest.lower(),
                    name,
                    media or "application/octet-stream",
                    int(size) if ascii_digits(size) else 0,
                )
            )
    return attachments


def parse_bundle(bundle: dict[str, Any]) -> ParsedBundle:
    """Clues from a STIX 2.1 bundle (Vigil, MISP or OpenCTI), with a report on every object.

    Each object becomes a clue (its text, marking and creator kept), an entity of the clues
    that cite it (locations, individuals, incidents), or the link between them (relationships
    and sightings become clues that hold both ends); what is left is reported with a reason."""
    if bundle.get("type") != "bundle":
        raise ValueError("not a STIX bundle: type must be 'bundle'")
    raw = bundle.get("objects")
    if not isinstance(raw, list):
        raise ValueError("a STIX bundle needs an 'objects' list")
    report = ImportReport()
    objects: dict[str, dict[str, Any]] = {}
    for obj in raw:
        kind = str(obj.get("type", "?")) if isinstance(obj, dict) else "?"
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or "--" not in obj["id"]:
            report.note(kind, "skipped", "malformed: no STIX id")
        elif obj["id"] in objects:
            report.note(kind, "merged", "duplicate id in the bundle")
        else:
            objects[obj["id"]] = obj
    markings = {k: v for k, v in objects.items() if v.get("type") == "marking-definition"}
    creators = {str(o["created_by_ref"]) for o in objects.values() if o.get("created_by_ref")}
    cited: dict[str, list[str]] = {}  # object id -> the objects that cite it
    for obj in objects.values():
        for ref in _refs(obj):
            cited.setdefault(ref, []).append(obj["id"])
    opinions: dict[str, list[str]] = {}
    handling_notes: dict[str, list[str]] = {}
    vigil_parts: set[str] = set()  # notes, opinions and links inside Vigil's own clues
    for obj in objects.values():
        refs = _refs(obj)
        if not refs or obj["type"] not in ("note", "opinion", "relationship", "sighting"):
            continue
        targets = [objects.get(r) for r in refs if r not in creators]
        roles = {_vigil_role(t) for t in targets if t is not None}
        if None in targets or not roles or not roles <= {"clue", "entity", "case"}:
            continue
        vigil_parts.add(obj["id"])
        for ref in refs:
            if obj["type"] == "opinion":
                opinions.setdefault(ref, []).append(str(obj.get("explanation", "")))
            elif obj["type"] == "note" and obj.get("abstract") == "Handling":
                handling_notes.setdefault(ref, []).append(str(obj.get("content", "")))

    clues: list[ImportedClue] = []
    for oid, obj in objects.items():
        kind = str(obj.get("type", ""))
        role = _vigil_role(obj)
        if kind in ("marking-definition",):
            report.note(kind, "merged", "a marking, kept on the objects it marks")
            continue
        if kind in _META_TYPES:
            report.note(kind, "merged", "a definition the other objects use")
            continue
        if kind in _OBSERVABLE_TYPES:
            if oid in cited:
                report.note(kind, "merged", "an observable, named in the text of its citer")
            else:
                report.note(kind, "skipped", "an observable no observed-data cites")
            continue
        if kind not in CLUE_TYPES and kind not in ENTITY_TYPES:
            report.note(kind or "?", "skipped", f"type {kind!r} is not a STIX 2.1 type Vigil reads")
            continue
        if role == "case":
            report.note(kind, "skipped", "a Vigil case: cases are not imported, their clues are")
            continue
        if role == "case-grouping":
            report.note(kind, "skipped", "the grouping of a Vigil case")
            continue
        if oid in vigil_parts:
            report.note(kind, "merged", "part of a Vigil clue (grading, handling or link)")
            continue
        if role == "entity":
            report.note(kind, "merged", "an entity of the clues that cite it")
            continue
        if kind == "identity" and oid in creators and not _body(obj):
            report.note(kind, "merged", "a creator: the originating agency of its objects")
            continue
        if kind in ENTITY_TYPES and oid in cited and not _body(obj):
            entity = _entity_of(obj)
            if entity is not None:
                report.note(kind, "merged", "an entity of the clues that cite it")
                continue
        ext = obj.get("extensions", {}).get(VIGIL_EXT, {})
        creator = objects.get(str(obj.get("created_by_ref", "")), {})
        partner = str(creator.get("name") or "Unknown partner")
        handling = ext.get("handling")
        if handling is None:
            handling = "\n".join(handling_notes.get(oid, []))
        entities: list[EntityRecord] = []
        for ref in [oid, *_refs(obj)]:
            target = objects.get(ref)
            if target is None or ref == obj.get("created_by_ref") or _vigil_role(target) == "case":
                continue
            entity = _entity_of(target)
            if entity is not None and entity not in entities:
                entities.append(entity)
        try:
            grade = "".join(map(str, parse_grading(_grading_of(obj, ext, opinions.get(oid, [])))))
        except ValueError:
            grade = "F6"
        clues.append(
            ImportedClue(
                stix_id=str(ext.get("origin_id") or oid),
                partner=partner,
                text=_clue_text(obj, objects),
                source_type=str(ext.get("source_type") or "partner_agency"),
                grading=grade,
                tlp=_marking_of(obj, markings),
                handling=str(handling or ""),
                entities=entities,
                attachments=_attachments_of(obj),
                stix_type=kind,
            )
        )
    return ParsedBundle(clues, report)
