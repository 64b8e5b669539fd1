"""An alert holds every entry its record matched: the schema's rule and the migration that
gave existing alerts their one hit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, text

from tests.conftest import _sqlalchemy_url, fresh_database, postgres_admin_url
from vigil.alerts.schemas import AlertIn
from vigil.core.migrate import upgrade


def _alert(**change: Any) -> dict[str, Any]:
    hits = [
        {"entry_id": "W-1", "score": 0.97, "legal_basis": "warrant 1", "explanation": {}},
        {"entry_id": "W-2", "score": 0.91, "legal_basis": "warrant 2", "explanation": {}},
    ]
    return {
        "kind": "person",
        "score": 0.97,
        "explanation": {},
        "sector": "hotel",
        "submission_id": 1,
        "watchlist_entry_id": "W-1",
        "legal_basis": "warrant 1",
        "organisation_id": 1,
        "hits": hits,
        **change,
    }


def test_an_alert_names_its_best_hit_and_lists_hits_best_first() -> None:
    assert [h.entry_id for h in AlertIn(**_alert()).hits] == ["W-1", "W-2"]
    with pytest.raises(ValidationError, match="best hit"):
        AlertIn(**_alert(watchlist_entry_id="W-2", legal_basis="warrant 2"))
    swapped = _alert()
    swapped["hits"] = swapped["hits"][::-1]
    with pytest.raises(ValidationError):
        AlertIn(**swapped)
    no_basis = _alert()
    no_basis["hits"][1]["legal_basis"] = ""
    with pytest.raises(ValidationError, match="legal_basis"):
        AlertIn(**no_basis)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with fresh_database(postgres_admin_url(), "vigil_alert_hits") as dsn:
        yield _sqlalchemy_url(dsn)


@pytest.mark.storage
def test_the_migration_gives_an_existing_alert_its_entry_as_its_one_hit(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0012_intake_org_check")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisation (id, name, kind, created_at) "
                "VALUES (1, 'Agency A', 'agency', CURRENT_TIMESTAMP)"
            )
        )
        for alert_id, entry in ((1, "W-1"), (2, None)):  # a person alert, a parcel alert
            conn.execute(
                text(
                    "INSERT INTO alert (id, kind, status, score, explanation, summary, sector, "
                    "submission_id, watchlist_entry_id, legal_basis, organisation_id, note, "
                    "created_at) VALUES (:id, 'person', 'new', 0.93, :why, '', 'hotel', 7, "
                    ":entry, 'warrant 1', 1, '', CURRENT_TIMESTAMP)"
                ),
                {"id": alert_id, "entry": entry, "why": json.dumps({"name": {"score": 0.6}})},
            )
    upgrade(empty_database)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, hits FROM alert")).all())
    engine.dispose()
    hits = {k: json.loads(v) if isinstance(v, str) else v for k, v in rows.items()}
    assert hits[1] == [
        {
            "entry_id": "W-1",
            "score": 0.93,
            "legal_basis": "warrant 1",
            "explanation": {"name": {"score": 0.6}},
        }
    ]
    assert hits[2] == []
