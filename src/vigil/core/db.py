"""Database engine, declarative base and the unit of work. One code path for SQLite and
PostgreSQL: SQLite gets WAL, foreign keys and `BEGIN IMMEDIATE` so writers serialise the
same way PostgreSQL's row locks make them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from vigil.core.clock import as_utc

# The largest values the integer columns hold: PostgreSQL's integer (most ids and the
# columns that refer to them) and bigint (SQLite's INTEGER holds as much).
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both back-ends (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class FiledDate(TypeDecorator[str]):
    """A date kept as filed, in ISO 8601 at its precision: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    (a register that knows only the year files that; no day is invented). Text sorts as the
    dates do. A `date` given is stored as its full date."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: str | date | None, dialect: Any) -> str | None:
        return value.isoformat() if isinstance(value, date) else value

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return value


JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# `ForeignKey(..., info={STATEMENT_CHECKED: True})`: on PostgreSQL a migration replaced this key
# with statement-level triggers (see `vigil.core.migrate.schema_filter`).
STATEMENT_CHECKED = "postgresql_statement_checked"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, write_lock: bool = True, **kwargs: Any) -> Engine:
    """`write_lock=False` gives SQLite readers plain deferred transactions (for pollers)."""
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, write_lock)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, write_lock: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy issue BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_lock else "BEGIN")


def make_session_factory(
    engine: Engine, info: dict[str, Any] | None = None
) -> sessionmaker[Session]:
    """`info` is copied into every session's `Session.info` (the audit log's entry key)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=info)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit once at the end, or roll everything back, audit entries included."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_rows(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) in the caller's transaction: COPY on
    PostgreSQL from `COPY_MIN_ROWS` rows, else one executemany. The COPY is announced to
    the engine's `before_cursor_execute` listeners like any statement, so that whoever
    counts statements counts it."""
    if not rows:
        return
    table = model.__table__
    assert isinstance(table, Table)
    connection = session.connection()
    if connection.dialect.name != "postgresql" or len(rows) < COPY_MIN_ROWS:
        session.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    convert = [_copy_converter(table.c[c].type, connection.dialect) for c in columns]
    plain = not any(convert)
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        for listener in connection.dispatch.before_cursor_execute:
            listener(connection, cursor, statement, (), None, True)
        with cursor.copy(statement) as copy:
            for row in rows:
                values = [row[c] for c in columns]
                if not plain:
                    values = [
                        v if f is None or v is None else f(v)
                        for v, f in zip(values, convert, strict=True)
                    ]
                copy.write_row(values)


def _copy_converter(column_type: Any, dialect: Any) -> Any:
    """What a value of this column needs before COPY: JSON text, or the type's own bind
    processing (a TypeDecorator's); None for values the driver writes as they are."""
    impl = column_type.dialect_impl(dialect)
    if isinstance(impl, JSON) or isinstance(column_type, JSON):
        return json.dumps
    if isinstance(column_type, TypeDecorator):
        return column_type.bind_processor(dialect)
    return None


COPY_MIN_ROWS = 50


def among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values` for a list of any length. PostgreSQL gets `column = ANY(:array)`,
    one parameter and the same query text whatever the length, so the driver parses the
    query once, not once per batch with a placeholder per value; elsewhere a plain IN."""
    listed = list(values)
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(listed)
    return column == any_(bindparam(None, listed, type_=ARRAY(column.type)))
