"""A command run against a database that was never migrated says what to do, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil.cli import _missing_schema


def test_a_command_on_an_unmigrated_database_names_the_fix(tmp_path: Path) -> None:
    env = os.environ | {"VIGIL_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    args = ["intel", "pull", "--server", "http://127.0.0.1:9/", "--collection", "c"]
    args += ["--as", "analyst", "--legal-basis", "agreement:1"]
    result = subprocess.run(
        [sys.executable, "-c", "from vigil.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "vigil db upgrade" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("message", "missing"),
    [
        ("(sqlite3.OperationalError) no such table: app_user", True),
        ('(psycopg.errors.UndefinedTable) relation "app_user" does not exist', True),
        ("(sqlite3.OperationalError) database is locked", False),
    ],
)
def test_only_a_missing_table_is_read_as_a_missing_schema(message: str, missing: bool) -> None:
    from sqlalchemy.exc import OperationalError

    assert _missing_schema(OperationalError("SELECT 1", {}, Exception(message))) is missing
    assert _missing_schema(ValueError(message)) is False
