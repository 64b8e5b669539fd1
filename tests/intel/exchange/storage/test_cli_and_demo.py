"""`vigil intel export|import` end to end, and the intel demo step on a fresh demo city."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from stix2validator import ValidationOptions, validate_instance
from typer.testing import CliRunner

from vigil.cli import app as cli_app
from vigil.core.runtime import Runtime
from vigil.demo import intel_demo
from vigil.demo.scenario import seed_city
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Purpose, Role, system_context
from vigil.governance.models import AuditEntry, Organisation, User
from vigil.intel.cases import service as case_service
from vigil.intel.cases.models import CaseClue
from vigil.intel.clues import service as clue_service
from vigil.intel.clues.models import Agreement, Clue, Share
from vigil.intel.clues.schemas import ClueIn, EntityIn
from vigil.intel.clues.visibility import decide
from vigil.intel.tips.models import Reward, Tip, Volunteer, VolunteerAssignment

pytestmark = pytest.mark.storage

PASSWORD = "correct horse battery staple"
CLUES = [  # (tlp, grading, entities)
    ("GREEN", "C3", [{"kind": "phone", "value": "+86 138 0013 8000"}]),
    ("AMBER", "B2", [{"kind": "vehicle", "value": "沪A 12345"}]),
    ("RED", "A1", [{"kind": "address", "value": "上海市黄浦区南京东路1号"}]),
]


def _strictly_valid(bundle: dict[str, Any]) -> list[str]:
    result = validate_instance(bundle, ValidationOptions(version="2.1", strict=True))
    return [str(e) for e in result.errors]


def _cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[int, str]:
    """Run `vigil ...` against the fixture's database, as the audit CLI tests do."""
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    monkeypatch.setenv("VIGIL_ARGON2_TIME_COST", str(s.argon2_time_cost))
    monkeypatch.setenv("VIGIL_ARGON2_MEMORY_KIB", str(s.argon2_memory_kib))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, shlex.split(command))
    return result.exit_code, result.output


def _agency_with_analyst(runtime: Runtime, org: str, username: str) -> tuple[int, int]:
    """A new agency with one analyst and an open case; returns (org id, case id)."""
    with runtime.unit_of_work() as session:
        agency = governance.create_organisation(session, system_context(), org, "agency")
        user = governance.create_user(
            session, system_context(), username, PASSWORD, Role.ANALYST, agency.id
        )
        ctx = governance.context_for_user(session, user)
        case = case_service.open_case(session, ctx, f"case of {username}")
        case_service.approve_case(session, system_context(), case.id)  # the second person
        return agency.id, case.id


def _ctx(runtime: Runtime, username: str, basis: str) -> AccessContext:
    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        ctx = governance.context_for_user(session, user)
    return ctx.with_purpose(Purpose.INVESTIGATION, basis)


def test_cli_export_and_import_keep_markings_and_originator(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    origin_id, case_id = _agency_with_analyst(runtime, "Riverside PSB", "river")
    ctx = _ctx(runtime, "river", f"case:{case_id}")
    with runtime.unit_of_work() as session:
        for n, (tlp, grade, entities) in enumerate(CLUES):
            clue = clue_service.create_clue(
                session,
                ctx,
                ClueIn(
                    text=f"clue {n} {tlp}",
                    source_type="informant",
                    grading=grade,
                    tlp=tlp,
                    handling=f"handle {tlp}",
                    entities=[EntityIn(**e) for e in entities],
                ),
            )
            case_service.add_clue_to_case(session, ctx, case_id, clue.id)
        # outside the case, but visible to its author: only --all exports it
        clue_service.create_clue(
            session, ctx, ClueIn(text="loose clue", source_type="officer", grading="B3")
        )

    case_file = tmp_path / "bundle.json"
    code, output = _cli(
        runtime, monkeypatch, f"intel export --case {case_id} --out {case_file} --as river"
    )
    assert code == 0, output
    bundle = json.loads(case_file.read_text(encoding="utf-8"))
    assert _strictly_valid(bundle) == []
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    assert sorted(r["description"] for r in reports) == [
        "clue 0 GREEN",
        "clue 1 AMBER",
        "clue 2 RED",
    ]
    assert any(o["type"] == "incident" for o in bundle["objects"])
    assert f"wrote {len(bundle['objects'])} STIX objects (3 clues)" in " ".join(output.split())

    all_file = tmp_path / "all.json"
    code, output = _cli(
        runtime,
        monkeypatch,
        f"intel export --all --out {all_file} --as river --legal-basis case:{case_id}",
    )
    assert code == 0, output
    everything = json.loads(all_file.read_text(encoding="utf-8"))
    assert _strictly_valid(everything) == []
    assert sum(o["type"] == "report" for o in everything["objects"]) == 4

    # --all without a legal basis is refused before anything is read
    code, output = _cli(
        runtime, monkeypatch, f"intel export --all --out {tmp_path / 'x.json'} --as river"
    )
    assert code == 2 and "--legal-basis" in output and not (tmp_path / "x.json").exists()

    # The receiving side: forget the clues (another installation), a fresh partner agency.
    with runtime.engine.begin() as conn:
        for table in (
            "intel_case_clue",
            "intel_share",
            "intel_clue_entity",
            "intel_attachment",
            "intel_clue",
        ):
            conn.execute(text(f"DELETE FROM {table}"))
    harbour_id, harbour_case = _agency_with_analyst(runtime, "Harbour Police", "harbour")

    importing = f"intel import {case_file} --as harbour"
    code, output = _cli(runtime, monkeypatch, importing)
    assert code == 2 and "--legal-basis" in output

    code, output = _cli(runtime, monkeypatch, f"{importing} --legal-basis case:{harbour_case}")
    assert code == 0, output
    assert "imported 3 clues," in output and "report: imported 3, merged 0, skipped 0" in output
    code, output = _cli(runtime, monkeypatch, f"{importing} --legal-basis case:{harbour_case}")
    assert code == 0 and "imported 0 clues," in output, output
    assert "report: imported 0, merged 3, skipped 0" in output
    assert "3 merged: already imported (same STIX id)" in output

    with runtime.unit_of_work() as session:
        clues = list(session.scalars(select(Clue).order_by(Clue.id)))
        assert [(c.tlp, f"{c.reliability}{c.credibility}") for c in clues] == [
            (t, g) for t, g, _ in CLUES
        ]
        # the partner stays the originating agency; the importer holds grants, not ownership
        assert {c.organisation_id for c in clues} == {origin_id}
        assert {c.imported_by for c in clues} == {harbour_id}
        grants = session.execute(
            select(Clue.tlp, Share.recipient_org_id, Share.recipient_user_id).join(
                Share, Share.clue_id == Clue.id
            )
        ).all()
        harbour_user = session.scalar(select(User.id).where(User.username == "harbour"))
        assert sorted(grants) == sorted(
            [
                ("GREEN", harbour_id, None),
                ("AMBER", harbour_id, None),
                ("RED", harbour_id, harbour_user),
            ]
        )
        partner = session.get(Organisation, origin_id)
        assert partner is not None and partner.name == "Riverside PSB"
    reader = _ctx(runtime, "harbour", f"case:{harbour_case}")
    with runtime.unit_of_work() as session:
        amber = next(c for c in clues if c.tlp == "AMBER")
        seen = clue_service.read_clue(session, reader, amber.id)
        assert seen.organisation_id == origin_id
        assert seen.visible_because == "TLP:AMBER shared with the viewer's agency"
        assert [e.label for e in seen.entities] == ["沪A 12345"]
        assert audit.verify(session, runtime.settings).intact


def test_intel_demo_on_a_fresh_demo_city(runtime: Runtime, tmp_path: Path) -> None:
    city = seed_city(runtime)
    lines = intel_demo.run(runtime, city, out_dir=tmp_path)
    assert 6 <= len(lines) <= 10
    riverside, harbour = city.agency_ids

    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Clue)) == 9
        case_id = min(session.scalars(select(CaseClue.case_id)))
        in_case = case_service.case_clue_ids(session, case_id)
        assert len(in_case) == 7
        clues = {c.id: c for c in session.scalars(select(Clue))}
        assert {clues[i].tlp for i in in_case} == {"GREEN", "AMBER", "AMBER+STRICT", "RED"}
        assert {c.organisation_id for c in clues.values()} == {riverside}

        tip = session.scalar(select(Tip))
        assert tip is not None and tip.anonymous and tip.contact is None
        assert tip.clue_id in in_case and tip.status == "triaged"
        columns = {c.name for c in Tip.__table__.columns}
        assert not columns & {"ip", "ip_address", "user_agent", "remote_addr"}
        reward = session.scalar(select(Reward))
        assert reward is not None and reward.tip_id == tip.id
        assert (reward.status, reward.approved_by, reward.amount_cents) == (
            "approved",
            "user:supervisor",
            50_000,
        )
        assert session.scalar(select(func.count()).select_from(Volunteer)) == 2
        assert session.scalar(select(func.count()).select_from(VolunteerAssignment)) == 1

        harbour_grants = list(
            session.scalars(select(Share.clue_id).where(Share.recipient_org_id == harbour))
        )
        assert [clues[i].tlp for i in harbour_grants] == ["AMBER"]

    bundle = json.loads((tmp_path / f"case-{case_id}.json").read_text(encoding="utf-8"))
    assert _strictly_valid(bundle) == []
    assert sum(o["type"] == "report" for o in bundle["objects"]) == 7

    # Harbour's analyst: the shared AMBER clue yes, the RED one no (through the read path).
    red = next(c for c in clues.values() if c.tlp == "RED")
    with runtime.unit_of_work() as session:
        agreement = session.scalar(select(Agreement))
        assert agreement is not None
        assert (agreement.from_org_id, agreement.to_org_id) == (riverside, harbour)
    partner = _ctx(runtime, "analyst-harbour", f"agreement:{agreement.id}")
    with runtime.unit_of_work() as session:
        assert clue_service.read_clue(session, partner, harbour_grants[0]).tlp == "AMBER"
        assert not decide(session, partner, session.get(Clue, red.id))
        # the RED clue's named recipients: its author and the supervisor, nobody in Harbour
        named = set(
            session.scalars(
                select(User.username)
                .join(Share, Share.recipient_user_id == User.id)
                .where(Share.clue_id == red.id)
            )
        )
        assert named == {"analyst", "supervisor"}
        assert audit.verify(session, runtime.settings).intact
        refusals = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor == "user:analyst-harbour", AuditEntry.outcome == "refused")
        )
        assert refusals and refusals > 0
