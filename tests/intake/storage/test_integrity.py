"""A submission names an organisation that exists, on both back-ends: SQLite by its foreign
key, PostgreSQL by statement-level triggers (migration 0012), on every write path."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from tests.intake.samples import sample
from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import Organisation
from vigil.intake import copyrows, service, storage
from vigil.intake.models import IntakeBatch, Submission
from vigil.intake.validation import PreparedRow, RowValidator

pytestmark = pytest.mark.storage
# the COPY path talks to the driver directly, so its error is the driver's own
REFUSED = (IntegrityError, psycopg.errors.IntegrityError)


def prepared(runtime: Runtime, organisation_id: int, n: int) -> list[PreparedRow]:
    validator = RowValidator("hotel", organisation_id, runtime.vault)
    rows, errors = validator.validate_many((i + 1, sample("hotel", i)) for i in range(n))
    assert not errors and len(rows) == n
    return rows


def stored(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


def _insert_of(runtime: Runtime) -> Any:
    """The engine's own INSERT construct (each has ON CONFLICT DO NOTHING)."""
    if runtime.engine.dialect.name == "postgresql":
        return pg_insert
    return sqlite_insert


def new_hotel(runtime: Runtime, name: str) -> int:
    with runtime.unit_of_work() as session:
        return governance.create_organisation(
            session, system_context(), name, "business", "hotel"
        ).id


def test_rows_for_an_organisation_that_does_not_exist_are_refused(runtime: Runtime) -> None:
    """Each write path on its own, before the batch count (whose own foreign key would refuse
    the load too): a multi-row INSERT, and on PostgreSQL a COPY."""
    ghost = Organisation(id=987_654, name="ghost", kind="business", sector="hotel")
    rows = prepared(runtime, ghost.id, 3)
    now = utcnow()
    with pytest.raises(REFUSED), runtime.unit_of_work() as session:
        storage.InsertStorage(_insert_of(runtime)).store(session, ghost, "hotel", "file", rows, now)
    if runtime.engine.dialect.name == "postgresql":
        encoded = copyrows.encode(rows, "hotel")
        with pytest.raises(REFUSED), runtime.unit_of_work() as session:
            storage._copy_rows(session, ghost, "hotel", "file", encoded, now)
    assert stored(runtime) == 0


def test_a_submission_cannot_move_to_a_missing_organisation(runtime: Runtime) -> None:
    org_id = new_hotel(runtime, "Hotel Q")
    with runtime.unit_of_work() as session:
        org = session.get(Organisation, org_id)
        assert org is not None
        service.store_rows(
            session, system_context(), org, "hotel", "file", prepared(runtime, org_id, 2)
        )
    with pytest.raises(REFUSED), runtime.unit_of_work() as session:
        session.execute(update(Submission).values(organisation_id=987_654))
    with runtime.unit_of_work() as session:
        assert set(session.scalars(select(Submission.organisation_id))) == {org_id}


def test_an_organisation_with_submissions_cannot_be_deleted(runtime: Runtime) -> None:
    keep, empty = new_hotel(runtime, "Hotel Q"), new_hotel(runtime, "Hotel R")
    with runtime.unit_of_work() as session:
        org = session.get(Organisation, keep)
        assert org is not None
        service.store_rows(
            session, system_context(), org, "hotel", "file", prepared(runtime, keep, 2)
        )
        session.execute(delete(IntakeBatch))  # leaves only the submissions naming it
    with pytest.raises(REFUSED), runtime.unit_of_work() as session:
        session.execute(delete(Organisation).where(Organisation.id == keep))
    with pytest.raises(REFUSED), runtime.unit_of_work() as session:
        session.execute(text("UPDATE organisation SET id = 987654 WHERE id = :id"), {"id": keep})
    with runtime.unit_of_work() as session:
        session.execute(delete(Organisation).where(Organisation.id == empty))
        session.execute(
            text("UPDATE organisation SET name = 'Hotel Q2' WHERE id = :id"), {"id": keep}
        )
    with runtime.unit_of_work() as session:
        assert {o.id for o in session.scalars(select(Organisation))} >= {keep}
        assert session.get(Organisation, empty) is None
    assert stored(runtime) == 2


def test_copied_lines_keep_han_characters_whatever_the_client_encoding(runtime: Runtime) -> None:
    """COPY lines go out as UTF-8 bytes; a session set to another client encoding is switched
    to UTF-8 for the transaction, not fed bytes it would read as Latin-1."""
    org_id = new_hotel(runtime, "Hotel Q")
    rows = prepared(runtime, org_id, storage.COPY_MIN_ROWS)
    with runtime.unit_of_work() as session:
        if runtime.engine.dialect.name == "postgresql":
            session.execute(text("SET LOCAL client_encoding TO 'LATIN1'"))
        org = session.get(Organisation, org_id)
        assert org is not None
        result = service.store_rows(session, system_context(), org, "hotel", "file", rows)
    with runtime.unit_of_work() as session:
        names = {s.id: s.record["persons"][0]["name"] for s in session.scalars(select(Submission))}
    assert [names[i] for i in result.ids] == [r.persons[0]["name"] for r in rows]
    assert any(not name.isascii() for name in names.values())
