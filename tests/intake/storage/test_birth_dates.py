"""Birth dates as registers hold them, on SQLite and PostgreSQL: each ISO 8601 form filed
over the API and the CLI import is stored as filed, anything else is refused with nothing
stored, and a year-only registration is linked and screened downstream."""

from __future__ import annotations

import copy
import csv
import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from tests.intake.conftest import BUSINESS_OF
from tests.intake.samples import SAMPLES, sample
from tests.intake.storage.test_files import env
from tests.world import World
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.cli import app
from vigil.core.migrate import upgrade
from vigil.governance.access import system_context
from vigil.intake.models import OutboxEvent, Submission
from vigil.registry.models import Person, RegistrationLink
from vigil.screening import service as screening

pytestmark = pytest.mark.storage
FORMS = ["1974-08-12", "1974-08", "1974"]
FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def key_of(world: World, sector: str = "hotel") -> dict[str, str]:
    return {"X-API-Key": world.api_keys[BUSINESS_OF[sector]]}


def count(world: World, model: type) -> int:
    with world.runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def stored_persons(world: World, submission_id: int) -> list[dict[str, Any]]:
    with world.runtime.unit_of_work() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        return list(submission.record["persons"])


@pytest.mark.parametrize("filed", FORMS)
def test_each_form_is_filed_over_the_api_and_stored_as_filed(world: World, filed: str) -> None:
    record = sample("hotel")
    record["companions"][0]["birth_date"] = filed  # a passport: nothing to fill it in
    record["guest"]["birth_date"] = filed[:4].replace("1974", "1980")  # the ID says 1980-01-01
    r = world.client.post("/v1/intake/hotel", json=record, headers=key_of(world))
    assert r.status_code == 202, r.text
    (sid,) = r.json()["submission_ids"]
    guest, companion = stored_persons(world, sid)
    assert companion["birth_date"] == filed and "id_birth_date" not in companion
    assert guest["birth_date"] == "1980"
    assert guest["id_birth_date"] == "1980-01-01"  # the number's own date, for screening


@pytest.mark.parametrize(
    ("filed", "message"),
    [
        ("12/08/1974", "must be a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ("19740812", "must be a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ("1974-8", "must be a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ("1974-02-30", "is not a real date (send YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("1850", "is before 1900"),
        (str(datetime.now(UTC).year + 1), "is in the future"),
    ],
)
def test_anything_else_is_refused_and_nothing_is_stored(
    world: World, filed: str, message: str
) -> None:
    batch = [sample("hotel", n) for n in range(3)]
    batch[0]["companions"][0]["birth_date"] = "1974"  # a good record in the same batch
    batch[2]["companions"][0]["birth_date"] = filed
    r = world.client.post("/v1/intake/hotel", json=batch, headers=key_of(world))
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {"field": "records.2.companions.0.birth_date", "message": message}
    ]
    assert count(world, Submission) == 0 and count(world, OutboxEvent) == 0


def test_the_cli_import_takes_each_form_and_reports_the_rest(world: World, tmp_path: Path) -> None:
    header = ["guest.name", "guest.doc_type", "guest.id_number", "guest.issuing_country"]
    header += ["guest.birth_date", "check_in", "room"]
    births = ["1974-08-12", "1974-08", "1974", "74-08-12", ""]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, born in enumerate(births):
        when = sample("hotel", n)["check_in"]
        writer.writerow([f"Guest {n}", "passport", f"E1234567{n}", "GBR", born, when, "101"])
    path = tmp_path / "register.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    from vigil.core.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(
        app, ["intake", "load", str(path), "--sector", "hotel", "--org", "Hotel X"], env=env(world)
    )
    assert result.exit_code == 1, result.output  # one row refused
    with (tmp_path / "register.csv.errors.csv").open() as handle:
        report = [(r["row"], r["field"], r["message"]) for r in csv.DictReader(handle)]
    assert report == [("4", "guest.birth_date", "must be a date as YYYY-MM-DD, YYYY-MM or YYYY")]
    with world.runtime.unit_of_work() as session:
        kept = {
            s.record["persons"][0]["name"]: s.record["persons"][0]["birth_date"]
            for s in session.scalars(select(Submission))
        }
    assert kept == {
        "Guest 0": "1974-08-12",
        "Guest 1": "1974-08",
        "Guest 2": "1974",
        "Guest 4": None,
    }


# --- Downstream: identity resolution and screening ---------------------------------------------


def _list_person(world: World, entry_id: str, name: str, birth_date: str) -> None:
    body = {
        "entry_id": entry_id,
        "kind": "person",
        "name": name,
        "birth_date": birth_date,
        "expires_at": FUTURE,
        "basis_reference": "(2026)Court-23",
        "basis_authority": "Riverside Intermediate Court",
    }
    listed = world.client.post("/v1/screening/watchlist", json=body, headers=world.auth("analyst"))
    assert listed.status_code == 201, listed.text
    decided = world.client.post(
        f"/v1/screening/watchlist/{entry_id}/decision",
        json={"approve": True},
        headers=world.auth("supervisor"),
    )
    assert decided.json()["status"] == "active"


def _stay(
    name: str, birth_date: str, number: str = "E12345678", doc_type: str = "passport"
) -> dict[str, Any]:
    stay = copy.deepcopy(SAMPLES["hotel"])
    stay["guest"] = {
        "name": name,
        "doc_type": doc_type,
        "id_number": number,
        "issuing_country": "CHN",
        "birth_date": birth_date,
        "nationality": "CHN",
    }
    stay["companions"] = []
    return stay


def _file(world: World, record: dict[str, Any]) -> int:
    headers = {**key_of(world), "Idempotency-Key": f"stay-{time.time_ns()}"}
    r = world.client.post("/v1/intake/hotel", json=record, headers=headers)
    assert r.status_code == 202, r.text
    (sid,) = r.json()["submission_ids"]
    return int(sid)


def test_a_year_only_registration_is_screened_and_raises_a_hit(world: World) -> None:
    with world.runtime.unit_of_work() as session:
        screening.seed_catalogue(session, system_context())
    _list_person(world, "W-23", "欧阳建国", "1961-04-17")
    _list_person(world, "W-24", "欧阳建国", "1975-09-02")  # a namesake born another year
    _file(world, _stay("欧阳建国", "1961"))
    report = pipeline.drain(world.runtime)
    assert report.events == 1 and report.failed == 0
    with world.runtime.unit_of_work() as session:
        alerts = session.scalars(select(Alert).where(Alert.id.in_(report.alerts))).all()
        hits = [(a.watchlist_entry_id, a.explanation) for a in alerts]
    assert [h[0] for h in hits] == ["W-23"], hits  # the listed person of that year only
    assert hits[0][1]["birth_date"]["level"] == "year"  # scored as a partial level


def test_a_partial_date_links_only_at_its_precision(world: World) -> None:
    first = _file(world, _stay("欧阳建国", "1961-04-17", "E11111111"))
    pipeline.drain(world.runtime)
    # other documents (two numbers of one type are two people, whatever else agrees)
    year_only = _file(world, _stay("欧阳建国", "1961", "M22222222", "other"))
    other_year = _file(world, _stay("欧阳建国", "1962", "M33333333", "other"))
    report = pipeline.drain(world.runtime)
    assert report.failed == 0
    with world.runtime.unit_of_work() as session:
        links = {
            link.submission_id: link
            for link in session.scalars(
                select(RegistrationLink).where(RegistrationLink.position == 0)
            )
        }
        births = {p.id: p.birth_date for p in session.scalars(select(Person))}
    # each is a person of its own (a year alone never links automatically), kept as filed
    assert births[links[first].person_id] == "1961-04-17"
    assert births[links[year_only].person_id] == "1961"
    assert births[links[other_year].person_id] == "1962"
    assert len({links[s].person_id for s in (first, year_only, other_year)}) == 3
    with world.runtime.unit_of_work() as session:
        reviewed = session.execute(
            text("SELECT submission_id, candidate_person_id FROM review_item")
        ).all()
    # the year that agrees is put before a clerk with the full-date person; the other is not
    assert [tuple(r) for r in reviewed] == [(year_only, links[first].person_id)]


# --- The migration ---------------------------------------------------------------------------


def test_migration_keeps_full_dates_and_stores_partial_ones(empty_database: str) -> None:
    upgrade(empty_database, "0031_insider_hardening")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (id, name, name_key, birth_date, pseudonymised, created_at,"
                " last_seen_at) VALUES (1, 'A', 'a', :born, false, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP), (2, 'B', 'b', NULL, false, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            ),
            {"born": datetime(1985, 3, 12).date()},
        )
        conn.execute(
            text(
                "INSERT INTO person_document (id, person_id, doc_type, id_hash, id_ciphertext)"
                " VALUES (1, 1, 'passport', 'h', 'c')"
            )
        )
    upgrade(empty_database, "0034_partial_birth_dates")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (id, name, name_key, birth_date, pseudonymised, created_at,"
                " last_seen_at) VALUES (3, 'C', 'c', '1985', false, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP), (4, 'D', 'd', '1985-03', false, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )
        births = conn.execute(text("SELECT id, birth_date FROM person ORDER BY id")).all()
        documents = conn.execute(text("SELECT person_id FROM person_document")).all()
        # the blocking index follows the column: a partial date is found by it
        found = conn.execute(
            text("SELECT id FROM person WHERE name_key = 'c' AND birth_date = '1985'")
        ).all()
    assert [tuple(r) for r in births] == [(1, "1985-03-12"), (2, None), (3, "1985"), (4, "1985-03")]
    assert [tuple(r) for r in documents] == [(1,)]  # the table rebuild (SQLite) kept them
    assert [tuple(r) for r in found] == [(3,)]
    engine.dispose()
