"""Every domain that reads files reads them through the one tabular reader: the same GBK,
BOM and CRLF files give the same stored rows in intake (file load), analytics (incident
upload) and screening (watchlist import)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.world import World, build_world
from vigil.analytics.models import IncidentRecord
from vigil.cli import app
from vigil.core.runtime import Runtime
from vigil.intake.models import Submission
from vigil.screening.models import WatchlistEntry

pytestmark = pytest.mark.storage

# (encoding, line end): a UTF-8 BOM, GBK (read as GB18030), and Windows line ends
CASES = [("utf-8-sig", "\n"), ("gbk", "\n"), ("utf-8", "\r\n")]
NAMES = ["张伟", "李娜", "王芳"]
EXPIRES = "2036-01-01T00:00:00+08:00"  # the warrant's expiry: last column, so CRLF shows


def _encoded(header: list[str], rows: list[list[str]], encoding: str, newline: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def world(runtime: Runtime) -> World:
    return build_world(runtime)


@pytest.mark.parametrize(("encoding", "newline"), CASES)
def test_intake_analytics_and_screening_read_the_same_file_alike(
    world: World, tmp_path: Path, encoding: str, newline: str
) -> None:
    from tests.intake.samples import sample

    # intake: the file channel
    rows = []
    for i, name in enumerate(NAMES):
        record = sample("hotel", i)
        guest = record["guest"]
        rows.append(
            [
                name,
                guest["doc_type"],
                guest["id_number"],
                "CHN",
                record["check_in"],
                record["check_out"],
                str(100 + i),
            ]
        )
    header = [
        "guest.name",
        "guest.doc_type",
        "guest.id_number",
        "guest.nationality",
        "check_in",
        "check_out",
        "room",
    ]
    path = tmp_path / "stays.csv"
    path.write_bytes(_encoded(header, rows, encoding, newline))
    settings = world.runtime.settings
    env = {
        "VIGIL_DATABASE_URL": settings.database_url,
        "VIGIL_SECRET_KEY": settings.secret_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_ENCRYPTION_KEY": settings.id_encryption_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_ID_HASH_KEY": settings.id_hash_key.get_secret_value(),  # type: ignore[union-attr]
        "VIGIL_AUDIT_ENTRY_KEY": settings.audit_entry_key.get_secret_value(),  # type: ignore[union-attr]
    }
    from vigil.core.settings import get_settings

    get_settings.cache_clear()
    loaded = CliRunner().invoke(
        app, ["intake", "load", str(path), "--sector", "hotel", "--org", "Hotel X"], env=env
    )
    assert loaded.exit_code == 0, loaded.output

    # analytics: the incident upload
    incidents = [
        [f"事件{i}", "theft", "31.23", "121.47", f"2026-03-04T08:0{i}"] for i in range(len(NAMES))
    ]
    body = _encoded(["incident_id", "type", "lat", "lon", "time"], incidents, encoding, newline)
    uploaded = world.client.post(
        "/v1/incidents/import",
        files={"file": ("incidents.csv", body, "text/csv")},
        headers=world.auth("officer"),
    )
    assert uploaded.status_code == 200, uploaded.text

    # screening: the watchlist import
    entries = [
        [f"W{i}", "person", name, "1980-01-01", "(2026)京0105刑初1号", "朝阳区人民法院", EXPIRES]
        for i, name in enumerate(NAMES)
    ]
    body = _encoded(
        [
            "entry_id",
            "kind",
            "name",
            "birth_date",
            "basis_reference",
            "basis_authority",
            "expires_at",
        ],
        entries,
        encoding,
        newline,
    )
    imported = world.client.post(
        "/v1/screening/watchlist/import",
        files={"file": ("list.csv", body, "text/csv")},
        headers=world.auth("analyst"),
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["errors"] == []

    with world.runtime.unit_of_work() as session:
        filed = sorted(s.record["persons"][0]["name"] for s in session.scalars(select(Submission)))
        places = sorted(
            (r.incident_id, r.time.minute) for r in session.scalars(select(IncidentRecord))
        )
        listed = sorted(e.name for e in session.scalars(select(WatchlistEntry)))
        authorities = {e.basis_authority for e in session.scalars(select(WatchlistEntry))}
    assert filed == sorted(NAMES)
    assert places == [(f"事件{i}", i) for i in range(len(NAMES))]
    assert listed == sorted(NAMES) and authorities == {"朝阳区人民法院"}
