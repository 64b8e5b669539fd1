"""The migration that gave existing alerts their one hit (the entry they named), on both
back-ends."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from vigil.core.migrate import upgrade

pytestmark = pytest.mark.storage


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
