"""Run Alembic migrations programmatically (`vigil db upgrade`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from vigil.core.db import STATEMENT_CHECKED

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


def schema_filter(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for comparing the models with a database: on PostgreSQL a
    foreign key whose `ForeignKey.info` holds `STATEMENT_CHECKED` is enforced by
    statement-level triggers instead (a migration says which), so it is not compared."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if dialect != "postgresql" or type_ != "foreign_key_constraint" or reflected:
            return True
        return not any(key.info.get(STATEMENT_CHECKED) for key in obj.elements)

    return include
