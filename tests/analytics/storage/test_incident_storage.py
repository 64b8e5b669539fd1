"""Incident storage on both back-ends: import with per-row errors, idempotency, the frame
read back, agency scoping, retention, the CLI import, the demo step and the table's columns."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import h3
import pandas as pd
import pytest
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from tests.analytics.storage.conftest import csv_text, json_row
from vigil.analytics import service
from vigil.analytics.frame import FRAME_COLUMNS, incidents_to_frame
from vigil.analytics.loader import load_incident_rows
from vigil.analytics.models import IncidentRecord
from vigil.analytics.service import IncidentFilters
from vigil.core.errors import Forbidden
from vigil.core.runtime import Runtime
from vigil.domains import retention_rules
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.governance.models import AuditEntry, Organisation
from vigil.governance.retention import apply_retention

pytestmark = pytest.mark.storage


def _context(runtime: Runtime, org: str, role: Role = Role.ANALYST) -> AccessContext:
    with runtime.unit_of_work() as session:
        organisation = session.scalar(select(Organisation).where(Organisation.name == org))
        if organisation is None:
            organisation = governance.create_organisation(session, system_context(), org, "agency")
        user = governance.create_user(
            session,
            system_context(),
            f"{role.value}-{org}".replace(" ", ""),
            "pw-12345678",
            role,
            organisation.id,
        )
        return governance.context_for_user(session, user)


def _stored(runtime: Runtime) -> dict[tuple[int, str], IncidentRecord]:
    with runtime.unit_of_work() as session:
        records = session.scalars(select(IncidentRecord)).all()
        return {(r.organisation_id, r.incident_id): r for r in records}


def _import(
    runtime: Runtime, ctx: AccessContext, rows: list[dict[str, Any]]
) -> service.ImportReport:
    with runtime.unit_of_work() as session:
        return service.import_incidents(session, ctx, rows)


def test_good_rows_stored_bad_rows_reported_per_row_and_audited(
    runtime: Runtime, generated_rows: list[dict[str, str]], bad_rows: list[dict[str, Any]]
) -> None:
    ctx = _context(runtime, "Agency A")
    good = [json_row(r) for r in generated_rows[:20]]
    rows = [*good[:10], *bad_rows, *good[10:]]
    report = _import(runtime, ctx, rows)

    assert (report.received, report.stored, report.duplicates, report.rejected) == (23, 20, 0, 3)
    by_row = {(e.row, e.field) for e in report.errors}
    assert {(11, "lat"), (11, "lon"), (12, "time"), (13, "type")} <= by_row
    assert all(e.message for e in report.errors)
    stored = _stored(runtime)
    assert {key[1] for key in stored} == {r["incident_id"] for r in good}  # nothing half-stored
    with runtime.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "incident")
        ).all()
    assert len(entries) == 1
    assert entries[0].action == "collect" and entries[0].actor == ctx.principal
    assert entries[0].detail["stored"] == 20 and entries[0].detail["rejected"] == 3


def test_reimport_is_idempotent_and_first_write_wins(
    runtime: Runtime, generated_rows: list[dict[str, str]]
) -> None:
    ctx = _context(runtime, "Agency A")
    rows = [json_row(r) for r in generated_rows[:50]]
    first = _import(runtime, ctx, rows)
    assert (first.stored, first.duplicates) == (50, 0)
    before = {k: (r.id, r.type, r.lat) for k, r in _stored(runtime).items()}

    changed = [{**rows[0], "type": "other"}, *rows[1:], rows[3]]  # re-sent, and twice in one go
    again = _import(runtime, ctx, changed)
    assert (again.received, again.stored, again.duplicates, again.rejected) == (51, 0, 51, 0)
    assert {k: (r.id, r.type, r.lat) for k, r in _stored(runtime).items()} == before


def test_same_incident_id_in_two_agencies_and_reads_are_scoped(
    runtime: Runtime, generated_rows: list[dict[str, str]]
) -> None:
    ctx_a = _context(runtime, "Agency A")
    ctx_b = _context(runtime, "Agency B")
    rows = [json_row(r) for r in generated_rows[:30]]
    assert _import(runtime, ctx_a, rows).stored == 30
    assert _import(runtime, ctx_b, rows[:5]).stored == 5
    with runtime.unit_of_work() as session:
        assert len(service.load_frame(session, ctx_a)) == 30
        assert len(service.load_frame(session, ctx_b)) == 5
        assert service.count_incidents(session, ctx_b) == 5


def test_frame_read_back_equals_the_pure_frame(runtime: Runtime) -> None:
    ctx = _context(runtime, "Agency A")
    rows: list[dict[str, Any]] = [
        {"incident_id": "T-1", "type": "Theft", "lat": 31.2, "lon": 121.4,
         "time": "2024-03-04T08:30:00"},
        {"incident_id": "T-2", "type": "burglary", "lat": 31.21, "lon": 121.41,
         "window_start": "2024-03-05T22:00:00+08:00", "window_end": "2024-03-06T06:00:00+08:00",
         "place_type": "Residential", "severity": 3, "source": "patrol"},
        {"incident_id": "T-3", "type": "traffic", "lat": -33.9, "lon": 151.2,
         "time": "2024-03-06T23:59:59Z", "killed": 1, "injured": 2},
        {"incident_id": "T-4", "type": "public order", "lat": 31.22, "lon": 121.42,
         "time": "2024-03-07T12:00:00", "h3": h3.latlng_to_cell(31.22, 121.42, 7)},
    ]  # fmt: skip
    assert _import(runtime, ctx, rows).stored == 4
    with runtime.unit_of_work() as session:
        frame = service.load_frame(session, ctx)
        stored = {r.incident_id: r for r in session.scalars(select(IncidentRecord))}
    expected = incidents_to_frame(load_incident_rows(rows).incidents)
    assert list(frame.columns) == list(FRAME_COLUMNS)
    pd.testing.assert_frame_equal(
        frame.drop(columns=["h3", "severity"]),
        expected.drop(columns=["h3", "severity"]),
        check_dtype=False,
    )
    assert frame["start"].dt.hour.tolist() == [8, 22, 23, 12]  # local wall-clock times
    assert stored["T-2"].utc_offset_min == 480 and stored["T-3"].utc_offset_min == 0
    assert stored["T-1"].utc_offset_min is None
    assert {h3.get_resolution(cell) for cell in frame["h3"]} == {9}  # always resolution 9
    assert frame["severity"].tolist()[1] == 3


def test_filters_by_type_and_time(runtime: Runtime, generated_rows: list[dict[str, str]]) -> None:
    ctx = _context(runtime, "Agency A")
    rows = [json_row(r) for r in generated_rows]
    _import(runtime, ctx, rows)
    since, until = datetime(2023, 1, 16), datetime(2023, 2, 1)
    with runtime.unit_of_work() as session:
        thefts = service.load_frame(session, ctx, IncidentFilters(("THEFT",)))
        january = service.load_frame(session, ctx, IncidentFilters(since=since, until=until))
    assert len(thefts) == sum(r["type"] == "theft" for r in rows) > 0
    assert len(january) > 0
    assert (january["end"] >= since).all() and (january["start"] < until).all()
    expected = sum(
        1
        for r in generated_rows
        if datetime.fromisoformat(r["time"] or r["window_end"]) >= since
        and datetime.fromisoformat(r["time"] or r["window_start"]) < until
    )
    assert len(january) == expected


def test_roles_without_analyse_are_refused(runtime: Runtime) -> None:
    auditor = _context(runtime, "Agency A", Role.AUDITOR)
    with pytest.raises(Forbidden), runtime.unit_of_work() as session:
        service.import_incidents(session, auditor, [])
    with pytest.raises(Forbidden), runtime.unit_of_work() as session:
        service.load_frame(session, auditor)


def test_retention_deletes_incidents_past_their_period(
    runtime: Runtime, generated_rows: list[dict[str, str]]
) -> None:
    ctx = _context(runtime, "Agency A")
    old = {"incident_id": "OLD-1", "type": "theft", "lat": 31.2, "lon": 121.4,
           "time": "2010-05-01T10:00:00"}  # fmt: skip
    _import(runtime, ctx, [old, *(json_row(r) for r in generated_rows[:10])])
    with runtime.unit_of_work() as session:
        results = apply_retention(
            session,
            system_context(),
            retention_rules(),
            {"incident": 3650},
            datetime(2026, 1, 1, tzinfo=UTC),
        )
    assert [(r.record_type, r.affected) for r in results] == [("incident", 1)]
    assert "OLD-1" not in {key[1] for key in _stored(runtime)}
    assert len(_stored(runtime)) == 10


def test_incident_table_has_no_person_fields(runtime: Runtime) -> None:
    columns = {c["name"] for c in inspect(runtime.engine).get_columns("incident")}
    assert columns == {
        "id", "organisation_id", "incident_id", "type", "time", "window_start", "window_end",
        "utc_offset_min", "lat", "lon", "h3", "place_type", "severity", "killed", "injured",
        "source", "created_at",
    }  # fmt: skip
    person_like = re.compile(
        r"name|person|birth|age|sex|gender|nation|ethnic|religio|phone|email|address|"
        r"id_number|passport|plate|suspect|victim|offender|witness|face|biometric"
    )
    assert not [c for c in columns if person_like.search(c)]


def test_person_fields_in_input_are_dropped_not_stored(runtime: Runtime) -> None:
    ctx = _context(runtime, "Agency A")
    row = {"incident_id": "P-1", "type": "theft", "lat": 31.2, "lon": 121.4,
           "time": "2024-01-01T10:00:00", "suspect_name": "张三",
           "victim_phone": "13800000000"}  # fmt: skip
    report = _import(runtime, ctx, [row])
    assert report.stored == 1
    assert {(e.row, e.field) for e in report.errors} == {(0, "suspect_name"), (0, "victim_phone")}
    with runtime.unit_of_work() as session:
        record = session.scalar(select(IncidentRecord))
        assert record is not None
        values = [str(getattr(record, c.key)) for c in IncidentRecord.__table__.columns]
    assert not any("张三" in v or "13800000000" in v for v in values)


def test_cli_import_with_progress_and_error_report(
    runtime: Runtime,
    generated_rows: list[dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vigil.cli import app
    from vigil.core.settings import get_settings

    _context(runtime, "Agency A")
    monkeypatch.setenv("VIGIL_DATABASE_URL", runtime.settings.database_url)
    get_settings.cache_clear()
    rows: list[dict[str, Any]] = [*generated_rows[:40], {**generated_rows[40], "lat": ""}]
    source = tmp_path / "incidents.csv"
    source.write_text(csv_text(rows), encoding="utf-8")
    args = ["analytics", "import", "--incidents", str(source), "--org", "Agency A"]

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "40 stored" in result.output and "1 rejected" in result.output
    with (tmp_path / "incidents.errors.csv").open(encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == [
            {"row": "41", "field": "lat", "message": "missing value"}
        ]
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and "40 duplicates" in again.output
    assert len(_stored(runtime)) == 40
    unknown = CliRunner().invoke(app, [*args[:-1], "No Such Agency"])
    assert unknown.exit_code == 2


def test_demo_step_imports_and_writes_charts(runtime: Runtime, tmp_path: Path) -> None:
    from vigil.demo import analytics_demo
    from vigil.demo.scenario import seed_city

    city = seed_city(runtime)
    out = tmp_path / "analytics"
    lines = analytics_demo.run(runtime, city, incidents=3000, permutations=99, out_dir=out)
    assert lines[0].startswith(f"incidents: {3000 + analytics_demo.SURGE_INCIDENTS} stored")
    assert any(line.startswith("hot spots:") for line in lines)
    assert any("theft surge" in line for line in lines)
    for name in ("hour_of_week", "trend", "hotspots"):
        for suffix in ("png", "svg", "json"):
            assert (out / f"{name}.{suffix}").stat().st_size > 500
