"""Emergency response on both back-ends: idempotent incidents, the timeline, caller details
under the emergency purpose, escalation by a moved clock, warnings and the public feed."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from lxml import etree
from sqlalchemy import select, text

from tests.response.keys import signing_pair
from tests.world import build_world
from vigil.core import clock
from vigil.core.errors import Forbidden, MissingLegalBasis
from vigil.governance.access import Purpose, system_context
from vigil.governance.models import AuditEntry
from vigil.governance.retention import apply_retention
from vigil.response import cap, service
from vigil.response.api import SETTINGS_EXTENSION
from vigil.response.models import ResponseIncident, ResponseTimelineEntry, ResponseWarning
from vigil.response.schemas import IncidentIn, TransitionIn
from vigil.response.settings import ResponseSettings

pytestmark = pytest.mark.storage

INTRUSION = {
    "type": "intrusion",
    "summary": "Fence alarm at the north pumping station",
    "latitude": 31.2655,
    "longitude": 121.441,
    "address": "North Pumping Station, 88 Reservoir Road",
    "caller": {"name": "Wang Wei", "phone": "+86 139 1234 5678"},
}
WARNING = {
    "headline": "Police operation at the north pumping station",
    "description": "Keep away while officers deal with an intrusion.",
    "urgency": "Immediate",
    "severity": "Moderate",
    "certainty": "Observed",
    "response_type": ["Avoid"],
    "radius_km": 0.5,
}


def _audit(runtime, object_type: str) -> list[AuditEntry]:
    with runtime.unit_of_work() as session:
        query = select(AuditEntry).where(AuditEntry.object_type == object_type)
        return list(session.scalars(query.order_by(AuditEntry.id)))


def test_an_infrastructure_event_opens_one_incident_however_often_it_arrives(runtime) -> None:
    w = build_world(runtime)
    ctx = system_context()
    data = IncidentIn.model_validate({k: v for k, v in INTRUSION.items() if k != "caller"})
    org = w.org_ids["A"]
    with runtime.unit_of_work() as session:
        first = service.open_incident(
            session,
            ctx,
            data,
            source="infrastructure_event",
            source_key="ev-1",
            organisation_id=org,
        )
        again = service.open_incident(
            session,
            ctx,
            data,
            source="infrastructure_event",
            source_key="ev-1",
            organisation_id=org,
        )
        assert first.created and not again.created
        assert again.incident.id == first.incident.id
    with runtime.unit_of_work() as session:  # and in a later transaction too
        later = service.open_incident(
            session,
            ctx,
            data,
            source="infrastructure_event",
            source_key="ev-1",
            organisation_id=org,
        )
        other_source = service.open_incident(
            session, ctx, data, source="tip", source_key="ev-1", organisation_id=org
        )
        assert not later.created and other_source.created
        counts = session.execute(
            select(ResponseIncident.source, ResponseIncident.id).order_by(ResponseIncident.id)
        ).all()
        timeline_rows = session.scalars(select(ResponseTimelineEntry.kind)).all()
    assert [c.source for c in counts] == ["infrastructure_event", "tip"]
    assert timeline_rows == ["opened", "opened"]
    assert len(_audit(runtime, "response_incident")) == 2
    incident = first.incident
    assert (incident.capability, incident.priority, incident.organisation_id) == ("patrol", 2, org)


def test_officer_opens_works_and_times_an_incident(runtime) -> None:
    w = build_world(runtime)
    officer = w.auth("officer")
    headers = {**officer, "Idempotency-Key": "call-0001"}
    r = w.client.post("/v1/response/incidents", json=INTRUSION, headers=headers)
    assert r.status_code == 201, r.text
    incident = r.json()
    assert incident["has_caller"] is True and "caller" not in incident
    assert "Wang" not in r.text and "1234" not in r.text
    again = w.client.post("/v1/response/incidents", json=INTRUSION, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == incident["id"]
    base = f"/v1/response/incidents/{incident['id']}"
    acknowledged = w.client.post(
        f"{base}/transitions", json={"action": "acknowledge"}, headers=officer
    )
    assert acknowledged.json()["status"] == "acknowledged"
    unit = _unit(w, "P-07")
    sent = w.client.post(f"{base}/units", json={"unit_id": unit}, headers=officer)
    assert sent.status_code == 201, sent.text
    assert sent.json()["unit_code"] == "P-07"
    w.client.post(f"{base}/units", json={"unit_id": unit}, headers=officer)
    board = w.client.get(f"/v1/units/{unit}", headers=officer).json()
    assert board["status"] == "dispatched"
    w.client.post(f"{base}/transitions", json={"action": "arrive"}, headers=officer)
    w.client.post(f"{base}/notes", json={"note": "gate forced, nobody inside"}, headers=officer)
    done = w.client.post(
        f"{base}/transitions", json={"action": "resolve", "note": "all clear"}, headers=officer
    )
    detail = done.json()
    assert detail["status"] == "resolved"
    assert [u["unit_code"] for u in detail["units"]] == ["P-07"]
    kinds = [entry["kind"] for entry in detail["timeline"]]
    assert kinds == ["opened", "acknowledge", "unit_assigned", "arrive", "note", "resolve"]
    assert detail["timeline"][2]["detail"]["to"] == "dispatched"
    assert all(entry["actor"] == "user:officer" for entry in detail["timeline"])
    # a transition out of order is a conflict and leaves no trace
    stale = w.client.post(f"{base}/transitions", json={"action": "arrive"}, headers=officer)
    assert stale.status_code == 409
    assert len(w.client.get(base, headers=officer).json()["timeline"]) == 6
    # another agency does not see it; an auditor or a business may not work incidents
    assert w.client.get(base, headers=w.auth("analyst_b")).status_code == 404
    assert w.client.get(base, headers=w.auth("auditor")).status_code == 403
    business = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("hotel_key"))
    assert business.status_code == 403
    assert w.client.get("/v1/response/incidents", headers=w.auth("hotel_key")).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**INTRUSION, "type": "alien_landing"}, "type"),
        ({**INTRUSION, "latitude": 95}, "latitude"),
        ({**INTRUSION, "priority": 0}, "priority"),
        ({**INTRUSION, "caller": {"phone": "call me"}}, "caller.phone"),
    ],
)
def test_bad_incidents_get_field_level_422_and_nothing_stored(runtime, body, field) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/response/incidents", json=body, headers=w.auth("officer"))
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert w.client.get("/v1/response/incidents", headers=w.auth("officer")).json() == []


def test_the_timeline_is_append_only(runtime) -> None:
    w = build_world(runtime)
    r = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("officer"))
    incident_id = r.json()["id"]
    with runtime.unit_of_work() as session:
        entry = session.scalar(
            select(ResponseTimelineEntry).where(ResponseTimelineEntry.incident_id == incident_id)
        )
        assert entry is not None
        entry.kind = "rewritten"
        with pytest.raises(PermissionError):
            session.flush()
        session.rollback()
    if runtime.engine.dialect.name == "postgresql":  # the database refuses it too
        with pytest.raises(Exception, match="append-only"), runtime.engine.begin() as conn:
            conn.execute(text("DELETE FROM response_timeline"))


def test_caller_details_need_the_emergency_purpose_and_the_incident_as_basis(runtime) -> None:
    w = build_world(runtime)
    created = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("officer"))
    incident_id = created.json()["id"]
    url = f"/v1/response/incidents/{incident_id}/caller"
    basis = f"incident:{incident_id}"
    refused = [
        (w.auth("officer"), 403),  # no purpose, no basis
        (w.auth("officer", "investigation", basis), 403),  # wrong purpose
        (w.auth("officer", "emergency", "incident:999"), 403),  # another incident
        (w.auth("officer", "emergency", "case:1"), 403),
        (w.auth("analyst_b", "emergency", basis), 403),  # another agency
        (w.auth("auditor", "emergency", basis), 403),
    ]
    for headers, status in refused:
        r = w.client.get(url, headers=headers)
        assert r.status_code == status, (headers, r.text)
        assert "Wang" not in r.text
    assert _audit(runtime, "response_incident_caller") == []
    refusals = [e for e in _audit(runtime, "endpoint") if e.outcome == "refused"]
    assert len(refusals) >= 4

    allowed = w.client.get(url, headers=w.auth("officer", "emergency", basis))
    assert allowed.status_code == 200, allowed.text
    assert allowed.json() == {
        "incident_id": incident_id,
        "name": "Wang Wei",
        "phone": "+86 139 1234 5678",
    }
    (read,) = _audit(runtime, "response_incident_caller")
    assert (read.action, read.purpose, read.legal_basis) == ("consult", "emergency", basis)
    assert read.detail["review"] == "required"
    with runtime.unit_of_work() as session:
        stored = session.get(ResponseIncident, incident_id)
        assert stored is not None
        assert "Wang" not in (stored.caller_name_ciphertext or "")
        assert "1234" not in (stored.caller_phone_ciphertext or "")
        kinds = session.scalars(
            select(ResponseTimelineEntry.kind).where(
                ResponseTimelineEntry.incident_id == incident_id
            )
        ).all()
    assert "caller_details_read" in kinds

    # once closed, the incident is no longer a basis
    for action in ("resolve", "close"):
        w.client.post(
            f"/v1/response/incidents/{incident_id}/transitions",
            json={"action": action},
            headers=w.auth("officer"),
        )
    assert w.client.get(url, headers=w.auth("officer", "emergency", basis)).status_code == 403


def test_the_service_gate_without_http(runtime) -> None:
    w = build_world(runtime)
    from vigil.governance import service as governance
    from vigil.governance.models import User

    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == "officer"))
        assert user is not None
        officer = governance.context_for_user(session, user)
        data = IncidentIn.model_validate(INTRUSION)
        opened = service.open_incident(session, officer, data, vault=runtime.vault)
        incident_id = opened.incident.id
        with pytest.raises(MissingLegalBasis):
            service.read_caller(session, officer, runtime.vault, incident_id)
        screening = officer.with_purpose(Purpose.SCREENING, f"incident:{incident_id}")
        with pytest.raises(Forbidden, match=r"emergency purpose|not a legal basis for screening"):
            service.read_caller(session, screening, runtime.vault, incident_id)
        emergency = officer.with_purpose(Purpose.EMERGENCY, f"incident:{incident_id}")
        assert (
            service.read_caller(session, emergency, runtime.vault, incident_id).name == "Wang Wei"
        )
    del w


def test_an_unacknowledged_incident_escalates_at_its_deadline(runtime, monkeypatch) -> None:
    w = build_world(runtime)
    policy = service.policy_from(
        ResponseSettings(acknowledge_minutes={1: 2, 2: 5}, attend_minutes={1: 10, 2: 20})
    )
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start)
    ctx = system_context()
    org = w.org_ids["A"]
    plain = IncidentIn.model_validate({k: v for k, v in INTRUSION.items() if k != "caller"})
    with runtime.unit_of_work() as session:
        urgent = service.open_incident(
            session, ctx, plain.model_copy(update={"priority": 1}), organisation_id=org
        ).incident.id
        waiting = service.open_incident(session, ctx, plain, organisation_id=org).incident.id
        answered = service.open_incident(session, ctx, plain, organisation_id=org).incident.id
        service.transition(session, ctx, answered, TransitionIn(action="acknowledge"))

    def sweep_at(minutes: float) -> list[tuple[int, str]]:
        monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=minutes))
        with runtime.unit_of_work() as session:
            return [(e.incident_id, e.reason) for e in service.escalate_due(session, ctx, policy)]

    assert sweep_at(1.9) == []
    assert sweep_at(2) == [(urgent, "unacknowledged")]  # priority 1: 2 minutes
    assert sweep_at(4) == []  # once only
    assert sweep_at(5) == [(waiting, "unacknowledged")]  # priority 2: 5 minutes
    assert sweep_at(19) == []
    assert sweep_at(20) == [(answered, "unattended")]  # acknowledged, no unit in 20 minutes
    assert sweep_at(60) == []

    supervisor = w.auth("supervisor")
    listed = w.client.get("/v1/response/incidents?escalated=true", headers=supervisor).json()
    assert sorted(i["id"] for i in listed) == sorted([urgent, waiting, answered])
    detail = w.client.get(f"/v1/response/incidents/{urgent}", headers=supervisor).json()
    (escalated,) = [t for t in detail["timeline"] if t["kind"] == "escalated"]
    assert escalated["detail"]["reason"] == "unacknowledged"
    assert escalated["detail"]["to"] == "supervisor"
    assert detail["escalations"] == 1 and detail["last_escalation"] == "unacknowledged"
    # the sweep is the supervisor's (or Vigil's own job's), not the officer's
    r = w.client.post("/v1/response/escalations/sweep", headers=w.auth("officer"))
    assert r.status_code == 403


def test_supervisor_publishes_a_signed_cap_warning_and_the_feed_carries_it(
    runtime, tmp_path
) -> None:
    w = build_world(runtime)
    key_pem, cert_pem = signing_pair()
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    runtime.extensions[SETTINGS_EXTENSION] = ResponseSettings(
        cap_signing_key=tmp_path / "key.pem",
        cap_signing_cert=tmp_path / "cert.pem",
        feed_base_url="https://warnings.example/v1/response/warnings",
    )
    created = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("officer"))
    url = f"/v1/response/incidents/{created.json()['id']}/warnings"
    assert w.client.post(url, json=WARNING, headers=w.auth("officer")).status_code == 403

    r = w.client.post(url, json=WARNING, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    warning = r.json()
    assert warning["signed"] is True
    xml = warning["xml"].encode()
    assert cap.schema_errors(xml) == []
    cap.verify(xml, cert_pem)
    for personal in (b"Wang", b"1234 5678"):  # the caller never reaches a public warning
        assert personal not in xml
    area = etree.fromstring(xml).find("{*}info/{*}area")
    assert {etree.QName(c).localname for c in area if "xmldsig" not in c.tag} == {
        "areaDesc",
        "circle",
    }

    update = w.client.post(
        url, json={**WARNING, "msg_type": "Update"}, headers=w.auth("supervisor")
    )
    assert warning["identifier"] in update.json()["xml"]  # <references> the first

    feed = w.client.get("/v1/response/warnings/feed.atom")  # public, no login
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo
    assert len(parsed.entries) == 2
    hrefs = {e.links[0]["href"] for e in parsed.entries}
    assert f"https://warnings.example/v1/response/warnings/{warning['identifier']}.xml" in hrefs
    served = w.client.get(f"/v1/response/warnings/{warning['identifier']}.xml")
    assert served.headers["content-type"].startswith(cap.CAP_MEDIA_TYPE)
    assert served.content == xml
    disclosures = _audit(runtime, "response_warning")
    assert [(d.action, d.recipient) for d in disclosures] == [("disclose", "public")] * 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"area_desc": " "}, "info.0.area.0.areaDesc"),
        ({"event": ""}, "info.0.event"),
        ({"radius_km": None}, "info.0.area.0"),
        ({"polygon": "31,121 31.1,121 31.1,121.1"}, "info.0.area.0.polygon.0"),
        ({"language": "not a tag"}, "info.0.language"),
    ],
)
def test_an_invalid_warning_is_refused_by_cap_field_before_publication(
    runtime, change, field
) -> None:
    w = build_world(runtime)
    created = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("officer"))
    incident_id = created.json()["id"]
    url = f"/v1/response/incidents/{incident_id}/warnings"
    r = w.client.post(url, json={**WARNING, **change}, headers=w.auth("supervisor"))
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
    with runtime.unit_of_work() as session:
        assert session.scalars(select(ResponseWarning)).all() == []
    feed = feedparser.parse(w.client.get("/v1/response/warnings/feed.atom").content)
    assert feed.entries == []


def test_the_warning_editor_check_names_the_missing_element(runtime) -> None:
    w = build_world(runtime)
    from tests.response.test_cap import valid_document

    document = valid_document()
    r = w.client.post("/v1/response/warnings/check", json=document, headers=w.auth("supervisor"))
    assert r.status_code == 200 and r.json()["valid"] is True
    del document["info"][0]["urgency"]
    r = w.client.post("/v1/response/warnings/check", json=document, headers=w.auth("supervisor"))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["info.0.urgency"]


def test_retention_clears_the_caller_of_long_resolved_incidents(runtime) -> None:
    w = build_world(runtime)
    start = clock.utcnow()
    ctx = system_context()
    org = w.org_ids["A"]
    data = IncidentIn.model_validate(INTRUSION)
    with runtime.unit_of_work() as session:
        old = service.open_incident(
            session, ctx, data, organisation_id=org, vault=runtime.vault
        ).incident.id
        still_open = service.open_incident(
            session, ctx, data, organisation_id=org, vault=runtime.vault
        ).incident.id
        service.transition(session, ctx, old, TransitionIn(action="resolve"))
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session,
            ctx,
            service.RETENTION_RULES,
            {"incident_caller": 90},
            start + timedelta(days=91),
        )
    assert [(r.record_type, r.affected) for r in results] == [("incident_caller", 1)]
    with runtime.unit_of_work() as session:
        cleared = session.get(ResponseIncident, old)
        kept = session.get(ResponseIncident, still_open)
        assert cleared is not None and kept is not None
        assert cleared.caller_name_ciphertext is None and cleared.caller_cleared
        assert kept.caller_name_ciphertext is not None
        emergency = ctx.with_purpose(Purpose.EMERGENCY, f"incident:{old}")
        assert service.read_caller(session, emergency, runtime.vault, old).name is None


def test_an_incident_is_an_emergency_basis_only_and_only_while_open(runtime) -> None:
    """Platform-wide: the emergency purpose cites a registered, open incident of one's own
    agency, and an incident is no basis for an investigation."""
    from vigil.governance import service as governance
    from vigil.governance.access import require_personal_data_access
    from vigil.governance.models import User

    w = build_world(runtime)
    created = w.client.post("/v1/response/incidents", json=INTRUSION, headers=w.auth("officer"))
    basis = f"incident:{created.json()['id']}"
    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == "officer"))
        assert user is not None
        officer = governance.context_for_user(session, user)
        require_personal_data_access(
            session, officer.with_purpose(Purpose.EMERGENCY, basis), "incidents"
        )
        with pytest.raises(Forbidden, match="not a legal basis for investigation"):
            require_personal_data_access(
                session, officer.with_purpose(Purpose.INVESTIGATION, basis), "incidents"
            )
        with pytest.raises(Forbidden, match="registered"):
            require_personal_data_access(
                session, officer.with_purpose(Purpose.EMERGENCY, "a fire somewhere"), "incidents"
            )
    for action in ("resolve", "close"):
        w.client.post(
            f"/v1/response/incidents/{created.json()['id']}/transitions",
            json={"action": action},
            headers=w.auth("officer"),
        )
    with runtime.unit_of_work() as session, pytest.raises(Forbidden, match="active"):
        require_personal_data_access(
            session, officer.with_purpose(Purpose.EMERGENCY, basis), "incidents"
        )


def test_the_periodic_sweep_hands_escalations_to_a_flow_in_its_transaction(
    runtime, monkeypatch
) -> None:
    w = build_world(runtime)
    settings = ResponseSettings(acknowledge_minutes={1: 2, 2: 5, 3: 5, 4: 5})
    ctx = system_context()
    plain = IncidentIn.model_validate({k: v for k, v in INTRUSION.items() if k != "caller"})
    with runtime.unit_of_work() as session:
        opened = service.open_incident(session, ctx, plain, organisation_id=w.org_ids["A"])
        incident_id = opened.incident.id
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=6))

    def failing_notifier(session, ctx, escalations) -> None:
        raise RuntimeError("pager down")

    with pytest.raises(RuntimeError):
        service.sweep_escalations(runtime, settings, failing_notifier)
    with runtime.unit_of_work() as session:  # the notice failed, so nothing escalated
        assert session.get(ResponseIncident, incident_id).escalations == 0

    def page_supervisor(session, ctx, escalations) -> None:
        for escalation in escalations:
            service.add_note(session, ctx, escalation.incident_id, "supervisor paged")

    escalated = service.sweep_escalations(runtime, settings, page_supervisor)
    assert [(e.incident_id, e.reason) for e in escalated] == [(incident_id, "unacknowledged")]
    with runtime.unit_of_work() as session:
        kinds = [t.kind for t in service.timeline(session, ctx, incident_id)]
    assert kinds == ["opened", "escalated", "note"]


def test_a_recommendation_goes_on_the_timeline_once(runtime) -> None:
    w = build_world(runtime)
    ctx = system_context()
    plain = IncidentIn.model_validate({k: v for k, v in INTRUSION.items() if k != "caller"})
    p07, p03 = _unit(w, "P-07"), _unit(w, "P-03")
    units = [
        service.RecommendedUnit(p07, "P-07", 184.26),
        service.RecommendedUnit(p03, "P-03", 301.0),
    ]
    with runtime.unit_of_work() as session:
        opened = service.open_incident(session, ctx, plain, organisation_id=w.org_ids["A"])
        incident_id = opened.incident.id
        assert service.record_recommendation(session, ctx, incident_id, units)
        assert not service.record_recommendation(session, ctx, incident_id, units)
        assert service.record_recommendation(session, ctx, incident_id, units[1:])
        service.assign_unit(session, ctx, incident_id, p03)
    with runtime.unit_of_work() as session:
        entries = service.timeline(session, ctx, incident_id)
    assert [e.kind for e in entries] == [
        "opened",
        "units_recommended",
        "units_recommended",
        "unit_assigned",
    ]
    assert entries[1].detail == {
        "capability": "patrol",
        "units": [
            {"unit_id": p07, "unit_code": "P-07", "travel_s": 184.3},
            {"unit_id": p03, "unit_code": "P-03", "travel_s": 301.0},
        ],
    }


def _unit(w, code: str, lat: float | None = None, lon: float | None = None) -> int:
    """A patrol car of agency A in the unit registry, at (lat, lon) or the city centre."""
    from vigil.units.roads import CITY_CENTRE

    body = {
        "code": code,
        "mode": "car",
        "capabilities": ["patrol"],
        "home_lat": CITY_CENTRE[0] if lat is None else lat,
        "home_lon": CITY_CENTRE[1] if lon is None else lon,
    }
    r = w.client.post("/v1/units", json=body, headers=w.auth("supervisor"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_the_nearest_capable_unit_by_road_is_recommended_and_put_on_the_timeline(
    runtime,
) -> None:
    from vigil.units.roads import CITY_CENTRE

    w = build_world(runtime)
    officer = w.auth("officer")
    lat, lon = CITY_CENTRE
    near = _unit(w, "P-NEAR", lat + 0.004, lon)
    _unit(w, "P-FAR", lat + 0.03, lon + 0.03)
    fire = {
        "code": "F-1",
        "mode": "car",
        "capabilities": ["fire"],
        "home_lat": lat,
        "home_lon": lon,
    }
    assert w.client.post("/v1/units", json=fire, headers=w.auth("supervisor")).status_code == 201
    body = {k: v for k, v in INTRUSION.items() if k != "caller"}
    body.update(latitude=lat, longitude=lon)
    incident = w.client.post("/v1/response/incidents", json=body, headers=officer).json()
    base = f"/v1/response/incidents/{incident['id']}"
    picks = w.client.post(f"{base}/recommendation", params={"k": 2}, headers=officer)
    assert picks.status_code == 200, picks.text
    codes = [p["unit_code"] for p in picks.json()]
    assert codes == ["P-NEAR", "P-FAR"]  # the fire engine lacks the capability
    assert picks.json()[0]["unit_id"] == near
    again = w.client.post(f"{base}/recommendation", params={"k": 2}, headers=officer)
    assert again.json() == picks.json()
    detail = w.client.get(base, headers=officer).json()
    recommended = [e for e in detail["timeline"] if e["kind"] == "units_recommended"]
    assert len(recommended) == 1  # the same recommendation twice adds nothing
