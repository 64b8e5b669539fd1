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
        argon2_memory_kib=64,  # the cheapest hashing: tests create and log in many users
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
        _commit_without_waiting_for_disk(dsn)
        pg_url = _sqlalchemy_url(dsn)
        upgrade(pg_url)
        yield {"sqlite": sqlite_url, "postgresql": pg_url}


def _commit_without_waiting_for_disk(dsn: str) -> None:
    """A commit on the test database returns before its WAL record reaches the disk: only a
    crash of the server itself could lose one, and a test database does not outlive the run.
    Isolation and visibility are unchanged."""
    name = dsn.rpartition("/")[2].split("?", 1)[0]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


def _empty_written_tables(runtime: Runtime) -> None:
    """Delete the rows of every table that has any, children first, and restart the id
    sequences that were used: a test starts on empty tables and ids from 1, as after a fresh
    migration. One query finds the tables with rows; most tests write a handful of tables.
    DELETE, not TRUNCATE: TRUNCATE gives each table a new file, which costs far more than
    deleting a few rows (measured: about 1 s against 10 ms for the 43 tables on PostgreSQL)."""
    quote = runtime.engine.dialect.identifier_preparer.quote
    tables = [quote(t.name) for t in reversed(Base.metadata.sorted_tables)]
    probe = " UNION ALL ".join(
        f"SELECT {n} WHERE EXISTS (SELECT 1 FROM {t})" for n, t in enumerate(tables)
    )
    with runtime.engine.begin() as conn:
        if runtime.engine.dialect.name == "postgresql":
            # append-only tables guard themselves with DELETE triggers; a test's cleanup
            # is not an edit, so triggers stay off for this transaction only
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        written = {row[0] for row in conn.execute(text(probe))}
        for n, table in enumerate(tables):
            if n in written:
                conn.execute(text(f"DELETE FROM {table}"))
        if runtime.engine.dialect.name == "postgresql":
            used = conn.execute(
                text(
                    "SELECT quote_ident(sequencename) FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            ).scalars()
            for sequence in list(used):
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
        elif conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database of the requested back-end with no migration applied, for
    tests that upgrade it step by step (migrations of existing rows)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with fresh_database(postgres_admin_url(), "vigil_empty") as dsn:
        yield _sqlalchemy_url(dsn)


@pytest.fixture
def runtime(
    backend: str, migrated_databases: dict[str, str], test_keys: dict[str, str], tmp_path: Path
) -> Iterator[Runtime]:
    """A runtime on an empty, migrated database of the requested back-end (the worker's own,
    emptied of what earlier tests wrote)."""
    rt = Runtime.create(make_settings(migrated_databases[backend], test_keys, tmp_path))
    _empty_written_tables(rt)
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
