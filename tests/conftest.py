"""Shared fixtures. Storage tests run on SQLite and on PostgreSQL; PostgreSQL is never
skipped: if no server answers on 127.0.0.1:5432, a throwaway one is started from the
`pgserver` wheel, and if that fails the session stops with an error."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from vigil.all_models import Base
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import Settings, generate_keys

ADMIN_URL = os.environ.get("VIGIL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")
_throwaway_server = None


def _server_answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def postgres_admin_url() -> str:
    """The URL of a PostgreSQL server we may create databases on."""
    global _throwaway_server
    if _server_answers(ADMIN_URL):
        return ADMIN_URL
    if _throwaway_server is None:
        import pgserver

        data_dir = Path(tempfile.gettempdir()) / "vigil-pgserver"
        _throwaway_server = pgserver.get_server(data_dir, cleanup_mode="stop")
    url = str(_throwaway_server.get_uri())
    if not _server_answers(url):
        pytest.exit("PostgreSQL is required for the storage tests and none could be started", 3)
    return url


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _with_database(url: str, database: str) -> str:
    head, _, tail = url.rpartition("/")
    query = ""
    if "?" in tail:
        query = "?" + tail.split("?", 1)[1]
    return f"{head}/{database}{query}"


@contextlib.contextmanager
def fresh_database(admin: str, prefix: str = "vigil_test") -> Iterator[str]:
    """A new, empty PostgreSQL database's DSN (named `prefix_…`), dropped afterwards."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def test_keys() -> dict[str, str]:
    return generate_keys()


def make_settings(url: str, keys: dict[str, str], tmp: Path) -> Settings:
    return Settings(
        database_url=url,
        secret_key=keys["secret_key"],  # type: ignore[arg-type]
        id_encryption_key=keys["id_encryption_key"],  # type: ignore[arg-type]
        id_hash_key=keys["id_hash_key"],  # type: ignore[arg-type]
        key_file=tmp / "keys.json",
        log_json=True,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
    )


@pytest.fixture(scope="session")
def migrated_databases(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[dict[str, str]]:
    """One migrated database per back-end and per test worker."""
    tmp = tmp_path_factory.mktemp("db")
    sqlite_url = f"sqlite:///{tmp / 'vigil.db'}"
    upgrade(sqlite_url)
    with fresh_database(postgres_admin_url(), f"vigil_test_{worker_id}") as dsn:
        pg_url = _sqlalchemy_url(dsn)
        upgrade(pg_url)
        yield {"sqlite": sqlite_url, "postgresql": pg_url}


def _empty_all_tables(runtime: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with runtime.engine.begin() as conn:
        if runtime.engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            if _has_sqlite_sequence(conn):
                conn.execute(text("DELETE FROM sqlite_sequence"))


def _has_sqlite_sequence(conn: object) -> bool:
    row = conn.execute(  # type: ignore[attr-defined]
        text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
    ).first()
    return row is not None


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def runtime(
    backend: str, migrated_databases: dict[str, str], test_keys: dict[str, str], tmp_path: Path
) -> Iterator[Runtime]:
    """A runtime on an empty, migrated database of the requested back-end."""
    rt = Runtime.create(make_settings(migrated_databases[backend], test_keys, tmp_path))
    _empty_all_tables(rt)
    yield rt
    rt.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads or writes the developer's key file or database."""
    from vigil.core.settings import get_settings

    monkeypatch.setenv("VIGIL_KEY_FILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("VIGIL_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
