"""The running system's shared pieces: settings, engine, session factory and the vault."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from vigil.core import passwords
from vigil.core.db import make_engine, make_session_factory, unit_of_work
from vigil.core.protect import IdentifierVault
from vigil.core.settings import Settings, get_settings, secret

AUDIT_ENTRY_KEY = "audit_entry_key"
SETTINGS_KEY = "settings"


def session_info(settings: Settings) -> dict[str, Any]:
    """What every session carries: its runtime's settings (a retention rule reads where its
    files are from them), and the key that seals audit entries as they are written
    (`vigil.governance.audit`); it lives in the settings, never in the database."""
    info: dict[str, Any] = {SETTINGS_KEY: settings}
    if settings.audit_entry_key is not None:
        info[AUDIT_ENTRY_KEY] = base64.b64decode(secret(settings.audit_entry_key))
    return info


def session_settings(session: Session) -> Settings:
    """The settings of the runtime that opened `session` (the process's, for a bare one)."""
    settings = session.info.get(SETTINGS_KEY)
    return settings if isinstance(settings, Settings) else get_settings()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    vault: IdentifierVault
    # Per-process state owned by domains (e.g. screening's in-memory indexes), by name.
    extensions: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings | None = None, engine: Engine | None = None) -> Runtime:
        settings = (settings or get_settings()).with_generated_keys()
        engine = engine or make_engine(settings.database_url)
        passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
        return cls(
            settings,
            engine,
            make_session_factory(engine, session_info(settings)),
            IdentifierVault.from_settings(settings),
        )

    @cached_property
    def read_sessions(self) -> sessionmaker[Session]:
        """Sessions for frequent read-only polling; on SQLite they take no write lock."""
        if self.engine.dialect.name != "sqlite":
            return self.sessions
        return make_session_factory(
            make_engine(self.settings.database_url, write_lock=False), session_info(self.settings)
        )

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with unit_of_work(self.sessions) as session:
            yield session

    @property
    def secret_key(self) -> str:
        return secret(self.settings.secret_key)
