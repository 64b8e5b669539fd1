"""Officers' decisions on person alerts, read back hit by hit to re-estimate the matcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.world import World, build_world
from vigil.alerts import service
from vigil.alerts.schemas import AlertIn, Hit
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import Purpose, system_context
from vigil.governance.audit import AuditEntry
from vigil.governance.models import User
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex
from vigil.screening.scoring import DEFAULT_WEIGHTS, WEAK_EVIDENCE_PENALTY
from vigil.screening.weights import LabelledHit, labelled_operating_point, reestimate_from_labels

pytestmark = pytest.mark.storage
SCREENING = system_context(Purpose.SCREENING, "statute:real-name-registration")
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


def _matches() -> list[tuple[str, list[Hit]]]:
    """Real matches of the matcher: a year-only record of one listed person, and a record of
    two namesakes."""
    index = WatchlistIndex()
    basis = LegalBasis("W-1", "Court", NOW + timedelta(days=30))
    index.add(PersonEntry("E1", "张晓明", basis, (), "1985-03-12"), NOW)
    index.add(PersonEntry("E2", "李娜", basis, (), "1990-01-01"), NOW)
    index.add(PersonEntry("E3", "李娜", basis, (), "1990-01-01"), NOW)
    out = []
    for record in (
        ScreeningRecord("R1", "张晓明", "1985"),
        ScreeningRecord("R2", "李娜", "1990-01-01"),
    ):
        hits = [
            Hit(entry_id=m.entry_id, score=m.score, legal_basis="W-1", explanation=m.explanation)
            for m in index.screen(record, NOW)
        ]
        out.append((record.record_id, hits))
    return out


def _raise(world: World, hits: list[Hit]) -> int:
    with world.runtime.unit_of_work() as session:
        alert = service.raise_alert(
            session,
            SCREENING,
            AlertIn(
                kind="person",
                score=hits[0].score,
                explanation=hits[0].explanation,
                summary="hotel stay matches a wanted person",
                sector="hotel",
                submission_id=12,
                watchlist_entry_id=hits[0].entry_id,
                legal_basis="W-1",
                organisation_id=world.org_ids["A"],
                hits=hits,
            ),
        )
        return alert.id


def test_decisions_are_read_back_hit_by_hit(world: World) -> None:
    (_, year_only), (_, namesakes) = _matches()
    assert [h.entry_id for h in year_only] == ["E1"]
    assert sorted(h.entry_id for h in namesakes) == ["E2", "E3"]
    confirmed = _raise(world, year_only)
    two = _raise(world, namesakes)
    headers = world.auth("officer")
    for alert_id, body in (
        (confirmed, {"action": "resolve", "resolution": "true_hit"}),
        (two, {"action": "resolve", "resolution": "true_hit", "entry_id": "E3"}),
    ):
        response = world.client.post(
            f"/v1/alerts/{alert_id}/transitions", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
    _raise(world, year_only)  # open: no decision yet

    with world.runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == "officer"))
        assert user is not None
        ctx = governance.context_for_user(session, user)
        decided = service.decided_hits(session, ctx)
    # the named hit is confirmed, the alert's other hit is not the person
    expected = [(confirmed, "E1", True)]
    expected += [(two, h.entry_id, h.entry_id == "E3") for h in namesakes]
    assert [(d.alert_id, d.entry_id, d.confirmed) for d in decided] == expected
    # levels and numbers only: no text, so no personal data
    assert all("detail" not in f for d in decided for f in d.explanation.values())
    assert decided[0].explanation["birth_date"]["level"] == "year"
    with world.runtime.unit_of_work() as session:
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "alert", AuditEntry.object_id == "decisions"
            )
        ).all()
        assert len(audited) == 1 and audited[0].detail["hits"] == 3

    labels = [LabelledHit.from_explanation(d.explanation, d.score, d.confirmed) for d in decided]
    assert [x.date_level for x in labels] == ["year", "exact", "exact"]
    after, counts = reestimate_from_labels(labels, DEFAULT_WEIGHTS, strength=1.0)
    assert counts["year"] == 1 and counts["exact"] == 1
    assert after.date_m_table() != DEFAULT_WEIGHTS.date_m_table()
    point = labelled_operating_point(labels, DEFAULT_WEIGHTS, 0.80, WEAK_EVIDENCE_PENALTY)
    assert (point.confirmed, point.confirmed_kept, point.rejected, point.rejected_kept) == (
        2,
        2,
        1,
        1,
    )


def test_decisions_need_the_alert_permission(world: World) -> None:
    with world.runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == "auditor"))
        assert user is not None
        ctx = governance.context_for_user(session, user)
        with pytest.raises(Exception, match="may not"):
            service.decided_hits(session, ctx)


def _cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[int, str]:
    import shlex

    from typer.testing import CliRunner

    from vigil.cli import app as cli_app
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, shlex.split(command))
    return result.exit_code, result.output


def test_reestimate_command(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _cli(world.runtime, monkeypatch, "screening reestimate --as officer")
    assert code == 1 and "nothing to re-estimate" in out
    (_, year_only), _ = _matches()
    alert_id = _raise(world, year_only)
    body = {"action": "resolve", "resolution": "true_hit"}
    headers = world.auth("officer")
    assert world.client.post(f"/v1/alerts/{alert_id}/transitions", json=body, headers=headers)
    code, out = _cli(world.runtime, monkeypatch, "screening reestimate --as officer")
    assert code == 0, out
    assert "decided hits: 1 (1 confirmed)" in out
    assert "before: 1/1 confirmed hits alert" in out and "after:" in out
    assert "张晓明" not in out  # no personal data
