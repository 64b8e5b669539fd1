"""`vigil response escalate` against a real database, and `vigil response check-cap`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.response.keys import signing_pair
from tests.response.test_cap import valid_document
from vigil.cli import app
from vigil.core import clock
from vigil.core.settings import get_settings
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.response import cap, service
from vigil.response.schemas import IncidentIn

runner = CliRunner()


@pytest.mark.storage
def test_escalate_command_escalates_what_is_past_its_deadline(runtime, monkeypatch) -> None:
    ctx = system_context()
    with runtime.unit_of_work() as session:
        org = governance.create_organisation(session, ctx, "Agency A", "agency").id
        data = IncidentIn(type="fire", latitude=31.2, longitude=121.4)  # priority 1: 2 minutes
        incident_id = service.open_incident(session, ctx, data, organisation_id=org).incident.id
    monkeypatch.setenv("VIGIL_DATABASE_URL", runtime.settings.database_url)
    get_settings.cache_clear()
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=1))
    early = runner.invoke(app, ["response", "escalate"])
    assert early.exit_code == 0, early.output
    assert "escalated" not in early.output
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=3))
    due = runner.invoke(app, ["response", "escalate"])
    assert due.exit_code == 0, due.output
    assert f"incident {incident_id} " in due.output and "unacknowledged" in due.output
    again = runner.invoke(app, ["response", "escalate"])
    assert "escalated" not in again.output


def test_check_cap_command_validates_and_verifies(tmp_path: Path) -> None:
    key_pem, cert_pem = signing_pair()
    cert = tmp_path / "cert.pem"
    cert.write_bytes(cert_pem)
    signed = cap.sign(cap.write_valid_xml(cap.check_cap(valid_document())), key_pem, cert_pem)
    good, tampered, invalid = tmp_path / "good.xml", tmp_path / "bad.xml", tmp_path / "inv.xml"
    good.write_bytes(signed)
    tampered.write_bytes(signed.replace(b"Moderate", b"Minor"))
    invalid.write_bytes(signed.replace(b"<status>Actual</status>", b""))
    ok = runner.invoke(app, ["response", "check-cap", str(good), "--cert", str(cert)])
    assert ok.exit_code == 0, ok.output
    assert "signature verifies" in ok.output
    bad = runner.invoke(app, ["response", "check-cap", str(tampered), "--cert", str(cert)])
    assert bad.exit_code == 1 and "does not verify" in bad.output
    broken = runner.invoke(app, ["response", "check-cap", str(invalid)])
    assert broken.exit_code == 1 and "status" in broken.output
