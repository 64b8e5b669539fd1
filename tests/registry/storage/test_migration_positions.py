"""Migration 0017 rewrites the links and review items the pipeline stored with
`submission_id * 100 + position` as their submission id."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from vigil.core.migrate import upgrade

pytestmark = pytest.mark.storage


def test_old_links_and_review_items_get_their_real_submission_and_position(
    empty_database: str,
) -> None:
    upgrade(empty_database, "0015_registry_name_birth_index")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (id, name, name_key, pseudonymised, created_at, last_seen_at)"
                " VALUES (1, 'A', 'a', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        for link_id, stored in ((1, 1700), (2, 1701), (3, 4200)):  # a guest, a companion
            conn.execute(
                text(
                    "INSERT INTO registration_link (id, sector, submission_id, position, "
                    "person_id, method, confidence, explanation, created_at) VALUES "
                    "(:id, 'hotel', :v, 0, 1, 'new', 1.0, '{}', CURRENT_TIMESTAMP)"
                ),
                {"id": link_id, "v": stored},
            )
        conn.execute(
            text(
                "INSERT INTO review_item (id, sector, submission_id, candidate_person_id, "
                "weight, explanation, record, status, created_at) VALUES "
                "(1, 'hotel', 1701, 1, 0.7, '{}', '{}', 'pending', CURRENT_TIMESTAMP)"
            )
        )
    upgrade(empty_database, "0017_pipeline_set_based")
    with engine.connect() as conn:
        links = conn.execute(
            text("SELECT id, submission_id, position FROM registration_link ORDER BY id")
        ).all()
        items = conn.execute(text("SELECT submission_id, position FROM review_item")).all()
    engine.dispose()
    assert [tuple(r) for r in links] == [(1, 17, 0), (2, 17, 1), (3, 42, 0)]
    assert [tuple(r) for r in items] == [(17, 1)]
