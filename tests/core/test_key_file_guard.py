"""A database whose audit log was sealed with keys kept elsewhere is never given fresh keys:
run from another directory, a command used to write a new `.vigil/keys.json` there and then
call the log forged at entry 1 (and would have stored identity numbers under keys nobody
else holds). It now stops, says where the keys should be, and writes no key file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import KeyFileMissing, Settings
from vigil.governance import service as governance
from vigil.governance.access import system_context


def _database_in_use(tmp_path: Path) -> tuple[str, Path]:
    """A migrated SQLite database with one audited change, and the key file it was made with."""
    url = f"sqlite:///{tmp_path / 'city.db'}"
    upgrade(url)
    key_file = tmp_path / "home" / ".vigil" / "keys.json"
    settings = Settings(database_url=url, key_file=key_file, argon2_memory_kib=64)
    settings.refuse_new_keys_for_a_database_in_use()  # a database without a log gets keys
    runtime = Runtime.create(settings.with_generated_keys())
    with runtime.unit_of_work() as session:
        governance.create_organisation(session, system_context(), "Riverside", "agency")
    runtime.engine.dispose()
    assert key_file.exists()
    return url, key_file


def test_no_fresh_keys_for_a_database_that_holds_an_audit_log(tmp_path: Path) -> None:
    url, key_file = _database_in_use(tmp_path)
    elsewhere = tmp_path / "elsewhere" / ".vigil" / "keys.json"
    with pytest.raises(KeyFileMissing, match="VIGIL_KEY_FILE"):
        Settings(database_url=url, key_file=elsewhere).refuse_new_keys_for_a_database_in_use()
    assert not elsewhere.exists()
    Settings(database_url=url, key_file=key_file).refuse_new_keys_for_a_database_in_use()
    fresh = f"sqlite:///{tmp_path / 'new.db'}"
    Settings(database_url=fresh, key_file=elsewhere).refuse_new_keys_for_a_database_in_use()
    assert not (tmp_path / "new.db").exists()  # looking did not create the database


def test_the_command_line_names_the_key_file_instead_of_calling_the_log_forged(
    tmp_path: Path,
) -> None:
    url, key_file = _database_in_use(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env["VIGIL_DATABASE_URL"] = url

    def verify(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from vigil.cli import main; main()", "audit", "verify"],
            capture_output=True,
            text=True,
            env=env | extra,
            cwd=elsewhere,
            timeout=120,
        )

    refused = verify({})
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert refused.stderr.startswith("error: no key file at ")
    assert "VIGIL_KEY_FILE" in refused.stderr and "forged" not in refused.stdout
    assert "Traceback" not in refused.stderr
    assert not (elsewhere / ".vigil").exists()
    pointed = verify({"VIGIL_KEY_FILE": str(key_file)})
    assert pointed.returncode == 0, pointed.stdout + pointed.stderr
    assert "log intact" in pointed.stdout


def test_the_demo_names_its_database_from_the_root(tmp_path: Path) -> None:
    from vigil.demo.scenario import absolute_sqlite_url

    assert absolute_sqlite_url("sqlite:///vigil-demo.db") == f"sqlite:///{Path.cwd()}/vigil-demo.db"
    assert absolute_sqlite_url(f"sqlite:///{tmp_path}/a.db") == f"sqlite:///{tmp_path}/a.db"
    assert absolute_sqlite_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
