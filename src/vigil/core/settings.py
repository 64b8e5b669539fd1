"""Settings from the environment (prefix `VIGIL_`). Missing keys are generated once and kept
in a private key file so that a restarted demo can still decrypt what it stored. Keys are
never logged: they are `SecretStr`, whose repr hides the value."""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_RETENTION_DAYS: dict[str, int] = {
    "hotel": 365,
    "secondhand": 730,
    "motor": 1095,
    "venue": 180,
    "parcel": 180,
    # precursor sales: the rules' look-back needs far less; a year of sales records
    "chemical": 365,
    "precursor_purchase": 365,
    "tip": 365,
    "person": 1825,
    "incident": 3650,
    "incident_caller": 90,  # a response incident's caller, counted from its resolution
    "alert": 1825,
    "video_event": 30,  # events and their blurred snapshots: a month
    "audit": 3650,
    "unit_position": 90,  # the units' AVL track (no personal data, but no need to keep it)
}

# Real-name filings are due this many hours after the event (check-in, sale, job, entry,
# acceptance); a business's compliance record counts filings on time, late and missing.
DEFAULT_INTAKE_DEADLINE_HOURS: dict[str, int] = {
    "hotel": 24,
    "secondhand": 24,
    "motor": 24,
    "venue": 24,
    "parcel": 24,
    # 危险化学品安全管理条例 Art. 41: sales of precursors are filed within five days
    "chemical": 120,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VIGIL_", env_file=None, extra="ignore")

    database_url: str = "sqlite:///vigil.db"
    secret_key: SecretStr | None = None
    id_encryption_key: SecretStr | None = None
    id_hash_key: SecretStr | None = None
    # During a key rotation (`vigil keys rotate`): the identity keys being replaced. Values
    # they sealed still open, and linkage still finds them, until every one is re-keyed.
    id_encryption_key_previous: SecretStr | None = None
    id_hash_key_previous: SecretStr | None = None
    # Ed25519 seed (32 bytes, base64) that signs the audit log's checkpoints.
    audit_log_key: SecretStr | None = None
    # HMAC-SHA256 key (32 bytes, base64) that seals each audit entry as it is written, so
    # that whoever can write the database but does not hold this key cannot forge or edit
    # an entry, not even one after the last checkpoint (`vigil audit verify` checks it).
    audit_entry_key: SecretStr | None = None
    audit_log_origin: str = "vigil.local/audit"  # the checkpoints' origin line and key name
    # Each checkpoint is also appended here, with the leaf hashes it adds: a copy of the log's
    # state outside the database (a path the database role cannot write), that
    # `vigil audit verify` checks the database against. None: checkpoints stay in the database.
    audit_checkpoint_file: str | None = None
    key_file: Path = Path(".vigil/keys.json")
    access_token_minutes: int = 15
    # a supervisor reviews each emergency read within this many hours, or an alert is raised
    emergency_review_hours: int = Field(default=24, ge=1, le=24 * 14)
    # requests a minute per source address (0: no limit); sign-in also locks accounts
    rate_limit_sign_in_per_minute: int = Field(default=20, ge=0)
    rate_limit_public_per_minute: int = Field(default=30, ge=0)
    # where those requests are counted, as a `limits` storage URI: "memory://" counts in each
    # server process on its own; "redis://127.0.0.1:6379/0" shares one count between all the
    # processes (and hosts) that name the same Redis
    rate_limit_storage: str = "memory://"
    # after that storage fails, each process counts on its own for this many seconds before
    # it asks the storage again (no request waits on a storage known to be down)
    rate_limit_storage_retry_s: float = Field(default=30.0, gt=0)
    retention_days: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_RETENTION_DAYS))
    intake_deadline_hours: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_INTAKE_DEADLINE_HOURS)
    )
    intake_timezone: str = "Asia/Shanghai"  # naive times in filings are local to this zone
    pipeline_in_process: bool = True
    # the road network for unit travel times: a .graphml or .csv file; empty: the demo streets
    road_graph: str = ""
    # where the video workers keep blurred event snapshots (retention deletes them there)
    video_snapshot_dir: Path | None = None
    # When a watchlist entry is approved, the registrations whose event (check-in, sale, ...)
    # happened this many days before are screened against it (vigil/rescreen.py). A week: it
    # covers a hotel stay of several nights and the 24-hour filing deadline many times over,
    # which is where a wanted person may still be found. It is short because the re-screen
    # re-reads people who were lawfully screened already (data minimisation). It cannot
    # exceed the shortest retention period of registrations (180 days).
    rescreen_window_days: int = Field(default=7, ge=0, le=180)
    # How screening decides on a batch of filed persons (`vigil.screening.service`): "score"
    # screens each record by the weighted score and the list's chance check; "posterior"
    # estimates the match probability by EM on the batch and alerts within a budget of
    # false alerts per 1,000 records (a batch too small to estimate from is scored).
    screening_decision: Literal["score", "posterior"] = "score"
    screening_false_alert_budget: float = Field(default=1.0, gt=0, le=100)
    # The learned second opinion on parcel declarations (screening/parcel_model.py): "on"
    # adds an inspect where the rules clear a declaration that the model scores at or above
    # its threshold; it never refuses, and never clears what a rule flagged. Off by default:
    # on the clean hold-out set I it rescued 194 of 479 misses but sent 362 harmless parcels
    # (11 %) to inspection (precision 0.95 -> 0.84).
    parcel_model: Literal["on", "off"] = "off"
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    log_json: bool = True
    log_level: str = "INFO"
    # Where the server writes its logs: a file path, or empty for standard error. `vigil demo`
    # and `vigil serve` default to a file so that the terminal keeps the logins and links.
    log_file: str = ""
    # An offline basemap the agency provides: a raster PMTiles file (PNG, JPEG or WebP tiles),
    # served by Vigil itself with HTTP range requests. Empty: the demo city's own streets.
    basemap_pmtiles: str = ""

    def with_generated_keys(self) -> Settings:
        """Fill missing keys from the key file, generating and saving them if needed."""
        missing = [name for name in KEY_NAMES if getattr(self, name) is None]
        if not missing:
            return self
        stored = _load_or_create_key_file(self.key_file)
        update = {name: SecretStr(stored[name]) for name in missing}
        for name in PREVIOUS_KEY_NAMES:  # a rotation under way, begun in the key file
            if getattr(self, name) is None and stored.get(name) and name[:-9] in missing:
                update[name] = SecretStr(stored[name])
        return self.model_copy(update=update)

    def refuse_new_keys_for_a_database_in_use(self) -> None:
        """Raise `KeyFileMissing` where keys would be made for a database that holds an
        audit log already: it was sealed with keys kept elsewhere, and fresh ones would make
        its log read as forged and its identity numbers unreadable."""
        missing = any(getattr(self, name) is None for name in KEY_NAMES)
        if missing and not self.key_file.exists() and database_has_audit_log(self.database_url):
            raise KeyFileMissing(self.key_file, self.database_url)

    def retention_for(self, record_type: str) -> int | None:
        return self.retention_days.get(record_type)


class KeyFileMissing(RuntimeError):
    """The keys of a database that is in use already are not where the settings look."""

    def __init__(self, key_file: Path, database_url: str) -> None:
        super().__init__(
            f"no key file at {key_file.absolute()}, but {database_url} already holds an "
            "audit log sealed with its keys: run from the directory that holds its "
            ".vigil/keys.json, or set VIGIL_KEY_FILE to that file"
        )


def database_has_audit_log(url: str) -> bool:
    """Whether the database at `url` holds audit entries (so its keys exist somewhere).
    Never creates an SQLite file; a database that cannot be read counts as empty (the
    command that uses it says why it cannot)."""
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    try:
        parsed = make_url(url)
    except (SQLAlchemyError, ValueError):
        return False
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("audit_log"):
                return False
            return connection.execute(text("SELECT 1 FROM audit_log LIMIT 1")).first() is not None
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


KEY_NAMES = ("secret_key", "id_encryption_key", "id_hash_key", "audit_log_key", "audit_entry_key")


PREVIOUS_KEY_NAMES = ("id_encryption_key_previous", "id_hash_key_previous")


def generate_keys() -> dict[str, str]:
    return {
        "secret_key": secrets.token_urlsafe(48),
        "id_encryption_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "id_hash_key": secrets.token_urlsafe(48),
        "audit_log_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "audit_entry_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def _load_or_create_key_file(path: Path) -> dict[str, str]:
    """The stored keys; a key file from an older version gains the keys it lacks."""
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
        missing = {k: v for k, v in generate_keys().items() if k not in data}
        if missing:
            data.update(missing)
            _write_private(path.with_name(path.name + ".new"), data)
            os.replace(path.with_name(path.name + ".new"), path)
        return data
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = generate_keys()
    _write_private(path, keys)
    return keys


ROTATED_KEY_NAMES = ("id_encryption_key", "id_hash_key")


def begin_key_rotation(path: Path) -> None:
    """The key file's identity keys become the previous keys, and new ones take their
    place. Refused while a rotation is under way."""
    data = _load_or_create_key_file(path)
    if any(data.get(name) for name in PREVIOUS_KEY_NAMES):
        raise ValueError("a key rotation is under way already: finish it first")
    fresh = generate_keys()
    for name in ROTATED_KEY_NAMES:
        data[f"{name}_previous"] = data[name]
        data[name] = fresh[name]
    _replace_private(path, data)


def finish_key_rotation(path: Path) -> bool:
    """Drop the previous identity keys from the key file; False if there were none."""
    data = _load_or_create_key_file(path)
    if not any(data.get(name) for name in PREVIOUS_KEY_NAMES):
        return False
    for name in PREVIOUS_KEY_NAMES:
        data.pop(name, None)
    _replace_private(path, data)
    return True


def _replace_private(path: Path, keys: dict[str, str]) -> None:
    staged = path.with_name(path.name + ".new")
    staged.unlink(missing_ok=True)
    _write_private(staged, keys)
    os.replace(staged, path)


def _write_private(path: Path, keys: dict[str, str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)


def secret(value: SecretStr | None) -> str:
    if value is None:
        raise RuntimeError("key not configured; call Settings.with_generated_keys() first")
    return value.get_secret_value()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, from the environment (the `vigil` command, the server)."""
    settings = Settings()
    settings.refuse_new_keys_for_a_database_in_use()
    return settings.with_generated_keys()
