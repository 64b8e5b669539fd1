"""Demo step: the perimeter sensor at Net3's pumping station 335 reports an intrusion (over
the same flow as MQTT, delivered twice: the second adds nothing). It becomes an alert and an
incident with the nearest capable units recommended by road; the duty officer acknowledges
it and dispatches the first; a resident's call about the same site is read under the
emergency purpose; the supervisor publishes a signed CAP 1.2 warning. The XML, the Atom feed
and the signing certificate go to demo-output/response/."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.infrastructure_demo import WATER
from vigil.flows.sensor_events import ingest
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Purpose
from vigil.governance.models import User
from vigil.infrastructure.models import InfraAsset
from vigil.infrastructure.schemas import SensorEventIn
from vigil.response import cap, service
from vigil.response.schemas import CallerIn, IncidentIn, TransitionIn, WarningIn
from vigil.response.settings import ResponseSettings
from vigil.units.roads import cached_road_graph

DEMO_OUTPUT = Path("demo-output/response")
PUMP = f"{WATER}:pump:335"  # placed on the city by the infrastructure demo step


def _as(session: Session, username: str) -> AccessContext:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return governance.context_for_user(session, user)


def demo_signing_files(directory: Path) -> tuple[Path, Path]:
    """A throwaway ECDSA key and self-signed certificate for the demo's warnings."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vigil demo warnings")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "key.pem", directory / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    sensor = SensorEventIn(
        source="perimeter-gateway-north",
        event_id="2026-12-06T02:14:00Z/door-3",
        asset=PUMP,
        kind="intrusion",
        severity="critical",
        observed_at=datetime(2026, 12, 6, 2, 14, tzinfo=UTC),
        detail={"zone": "north fence", "door": 3},
    )
    graph = cached_road_graph(runtime.settings.road_graph)
    with runtime.unit_of_work() as session:
        officer = _as(session, "officer")
        first = ingest(session, officer, [sensor], graph)
        again = ingest(session, officer, [sensor], graph)
        pump = session.scalars(select(InfraAsset).where(InfraAsset.external_id == PUMP)).one()
        site = (pump.latitude or 0.0, pump.longitude or 0.0)
    (incident_id,) = first.incidents
    call = IncidentIn(
        type="intrusion",
        summary="Resident reports people climbing the pumping station fence",
        latitude=site[0],
        longitude=site[1],
        address=f"Pumping station 335 ({PUMP})",
        caller=CallerIn(name="Resident Wang", phone="+86 139 0000 0000"),
    )
    with tempfile.TemporaryDirectory() as keys:
        key_path, cert_path = demo_signing_files(Path(keys))
        settings = ResponseSettings(cap_signing_key=key_path, cap_signing_cert=cert_path)
        with runtime.unit_of_work() as session:
            officer = _as(session, "officer")
            supervisor = _as(session, "supervisor")
            incident = service.get_incident(session, officer, incident_id)
            service.transition(session, officer, incident.id, TransitionIn(action="acknowledge"))
            picks = service.recommend_units(session, officer, graph, incident.id)
            sent = service.assign_unit(session, officer, incident.id, picks[0].unit_id)
            phoned = service.open_incident(session, officer, call, vault=runtime.vault)
            emergency = officer.with_purpose(
                Purpose.EMERGENCY, service.incident_basis(phoned.incident.id)
            )
            caller = service.read_caller(session, emergency, runtime.vault, phoned.incident.id)
            warning = service.publish_warning(
                session,
                supervisor,
                incident.id,
                WarningIn(
                    headline="Police operation at the north pumping station",
                    description="An intrusion at the pumping station is being dealt with.",
                    instruction="Keep away from Reservoir Road; tap water is safe to drink.",
                    urgency="Immediate",
                    severity="Moderate",
                    certainty="Observed",
                    response_type=["Avoid"],
                    radius_km=0.5,
                ),
                settings,
            )
            feed = service.atom_feed(session, settings)
            steps = len(service.timeline(session, officer, incident.id))
            identifier, xml = warning.identifier, warning.xml.encode()
        cap.verify(xml, cert_path.read_bytes())  # the demo's own check before writing it out
        (out_dir / f"{identifier}.xml").write_bytes(xml)
        (out_dir / "feed.atom").write_bytes(feed)
        (out_dir / "signing-cert.pem").write_bytes(cert_path.read_bytes())
    return [
        f"sensor event at {PUMP} → alert {first.alerts[0]} and incident {incident.id} "
        f"({incident.type}, priority {incident.priority}); delivered again, it added "
        f"{len(again.stored)} events, {len(again.alerts)} alerts, {len(again.incidents)} incidents",
        "nearest capable units by road: "
        + ", ".join(f"{p.unit_code} ({p.travel_seconds / 60:.1f} min)" for p in picks)
        + f"; {sent.unit_code} dispatched",
        f"a resident's call (incident {phoned.incident.id}): caller details read under the "
        f"emergency purpose (basis incident:{phoned.incident.id}, audited): "
        f"{'yes' if caller.name else 'no'}",
        f"timeline: {steps} entries; CAP warning {identifier} valid against the CAP 1.2 XSD, "
        f"signed: {warning.signed}",
        f"files: {out_dir}/{identifier}.xml, {out_dir}/feed.atom, {out_dir}/signing-cert.pem",
    ]
