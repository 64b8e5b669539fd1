"""Demo step: an intrusion at the north pumping station opens an incident (from its
infrastructure event's key, twice: the second adds nothing), the duty officer acknowledges it,
and the supervisor publishes a signed CAP 1.2 warning. The XML, the Atom feed and the signing
certificate go to demo-output/response/."""

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
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Purpose
from vigil.governance.models import User
from vigil.response import cap, service
from vigil.response.schemas import CallerIn, IncidentIn, TransitionIn, WarningIn
from vigil.response.settings import ResponseSettings

DEMO_OUTPUT = Path("demo-output/response")
PUMPING_STATION = (31.2655, 121.4410)  # the city's north pumping station
EVENT_KEY = "pumping-station-north/perimeter/intrusion/2026-12-06T02:14:00Z"


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
    intrusion = IncidentIn(
        type="intrusion",
        summary="Perimeter fence alarm and door contact at the north pumping station",
        latitude=PUMPING_STATION[0],
        longitude=PUMPING_STATION[1],
        address="North Pumping Station, 88 Reservoir Road",
        caller=CallerIn(name="Night guard Wang", phone="+86 139 0000 0000"),
    )
    with tempfile.TemporaryDirectory() as keys:
        key_path, cert_path = demo_signing_files(Path(keys))
        settings = ResponseSettings(cap_signing_key=key_path, cap_signing_cert=cert_path)
        with runtime.unit_of_work() as session:
            officer = _as(session, "officer")
            supervisor = _as(session, "supervisor")
            first = service.open_incident(
                session,
                officer,
                intrusion,
                source="infrastructure_event",
                source_key=EVENT_KEY,
                vault=runtime.vault,
            )
            again = service.open_incident(
                session,
                officer,
                intrusion,
                source="infrastructure_event",
                source_key=EVENT_KEY,
                vault=runtime.vault,
            )
            incident = first.incident
            service.transition(session, officer, incident.id, TransitionIn(action="acknowledge"))
            emergency = officer.with_purpose(Purpose.EMERGENCY, service.incident_basis(incident.id))
            caller = service.read_caller(session, emergency, runtime.vault, incident.id)
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
        f"incident {incident.id} ({incident.type}, priority {incident.priority}) opened from "
        f"infrastructure event; opening it again added nothing: {not again.created}",
        f"caller details read under the emergency purpose (basis incident:{incident.id}, "
        f"audited): {'yes' if caller.name else 'no'}",
        f"timeline: {steps} entries; CAP warning {identifier} valid against the CAP 1.2 XSD, "
        f"signed: {warning.signed}",
        f"files: {out_dir}/{identifier}.xml, {out_dir}/feed.atom, {out_dir}/signing-cert.pem",
    ]
