"""The one validation path that the API, file loads and the stream all share.

`validate_rows` turns raw mappings into `PreparedRow`s (ready to store: identity numbers are
already a vault hash + ciphertext) or precise field-level `RowError`s. It does no I/O, so a
row is either fully prepared or refused; nothing is stored half-way."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import ValidationError

from vigil.core.errors import FieldError, NotFound
from vigil.core.protect import IdentifierVault
from vigil.core.protected import is_protected_name
from vigil.core.text import identity_problem, text_problem
from vigil.intake.sectors import SECTORS, SectorRecord


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based position in the batch or file
    field: str
    message: str

    def as_field_error(self, prefix: str = "") -> FieldError:
        return FieldError(f"{prefix}{self.field}", self.message)


@dataclass
class PreparedRow:
    row: int
    row_key: str
    event_kind: str
    ref: str | None
    event_time: datetime
    id_hash: str
    record: dict[str, Any]
    persons: list[dict[str, Any]]
    objects: dict[str, list[str]]
    parcel: dict[str, Any] | None


def sector_model(sector: str) -> type[SectorRecord]:
    model = SECTORS.get(sector)
    if model is None:
        error = NotFound(f"unknown sector {sector!r}")
        error.errors = [FieldError("sector", f"must be one of {', '.join(SECTORS)}")]
        raise error
    return model


def _protected_paths(value: Any, path: str = "") -> list[str]:
    """Dotted paths of every protected-attribute key, at any depth."""
    found: list[str] = []
    if isinstance(value, dict | Mapping):
        for key, inner in value.items():
            if isinstance(key, str) and is_protected_name(key):
                found.append(f"{path}{key}")
            elif type(inner) is str:  # the common leaf: skip the slower checks below
                continue
            elif isinstance(inner, dict | list | Mapping):
                found += _protected_paths(inner, f"{path}{key}.")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            if isinstance(inner, dict | list | Mapping):
                found += _protected_paths(inner, f"{path}{i}.")
    return found


_IDENTITY_MARKERS = ("id_number", "doc_type")


def _flatten(value: Any, path: str = "", strict: bool = False) -> list[tuple[str, str, bool]]:
    """(dotted path, string, is an identity field) for every string leaf."""
    out: list[tuple[str, str, bool]] = []
    if isinstance(value, str):
        return [(path.rstrip("."), value, strict)]
    if isinstance(value, dict | Mapping):
        identity = strict or any(k in value for k in _IDENTITY_MARKERS)
        for key, inner in value.items():
            out += _flatten(inner, f"{path}{key}.", identity or key == "name")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += _flatten(inner, f"{path}{i}.", strict)
    return out


def unsafe_characters(raw: Mapping[str, Any], row: int) -> list[RowError]:
    """Field errors for control, zero-width and text-direction characters (`core.text`)."""
    errors = []
    for path, value, identity in _flatten(raw):
        problem = identity_problem(value) if identity else text_problem(value)
        if problem:
            errors.append(RowError(row, path or "record", problem))
    return errors


@contextmanager
def paused_gc() -> Iterator[None]:
    """Validating a batch allocates many short-lived containers that reference counting
    frees; the cycle collector's passes over them cost about a fifth of the time. It is
    paused for the batch, then runs once over what the batch left behind."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(0)


_PREFIXES = ("Value error, ", "Assertion failed, ")


def pydantic_errors(exc: ValidationError) -> list[tuple[str, str]]:
    """(dotted field, message) pairs; never the input value."""
    out = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = [str(p) for p in error["loc"]]
        message = str(error["msg"])
        for prefix in _PREFIXES:
            if message.startswith(prefix):
                message = message[len(prefix) :]
        if message.startswith("@") and ": " in message:
            field, message = message[1:].split(": ", 1)
            loc.append(field)
        if error["type"] == "extra_forbidden":
            message = "is not a field of this record"
        elif error["type"] == "missing":
            message = "is required"
        out.append((".".join(loc) or "record", message))
    return out


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the form row keys are hashed from."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


class RowValidator:
    """Validates and prepares rows for one business and sector."""

    def __init__(
        self,
        sector: str,
        organisation_id: int,
        vault: IdentifierVault,
        *,
        timezone: str = "Asia/Shanghai",
        now: datetime | None = None,
        precursors: Any = None,
    ) -> None:
        """`precursors`: the precursor catalogue a chemical sale is judged against (the
        database's current version; without it, the shipped seed)."""
        self.sector = sector
        self.model = sector_model(sector)
        # `model_validate` without its Python wrapper: the same call, once per row
        self._validate_python = self.model.__pydantic_validator__.validate_python
        self.organisation_id = organisation_id
        self.vault = vault
        self.context: dict[str, Any] = {"timezone": timezone}
        if precursors is not None:
            self.context["precursors"] = precursors
        self._fixed_now = now
        if now is not None:
            self.context["now"] = now
        self._key_prefix = f"{organisation_id}|{sector}|".encode()

    def validate(
        self, raw: Any, row: int, *, keys_screened: bool = False
    ) -> PreparedRow | list[RowError]:
        """`keys_screened`: the caller has already found no protected-attribute key in
        `raw` (a CSV row whose header names none and whose cells hold no JSON)."""
        if type(raw) is not dict and not isinstance(raw, Mapping):
            return [RowError(row, "record", "must be a JSON object")]
        protected = [] if keys_screened else _protected_paths(raw)
        if protected:
            return [
                RowError(row, path, "is a protected attribute; Vigil does not collect it")
                for path in protected
            ]
        unsafe = unsafe_characters(raw, row)
        if unsafe:
            return unsafe
        try:
            record = self._validate_python(raw, context=self.context)
        except ValidationError as exc:
            return [RowError(row, f, m) for f, m in pydantic_errors(exc)]
        return self._prepare(record, row)

    def _prepare(self, record: SectorRecord, row: int) -> PreparedRow:
        persons = []
        keyed = []
        roles = record.persons()
        protect_hash, encrypt = self.vault.hash, self.vault.encrypt
        for role, identity in roles:
            number, birth, sex = identity.id_number, identity.birth_date, identity.sex
            fields = {
                "role": role,
                "name": identity.name,
                "doc_type": identity.doc_type.value,
                "issuing_country": identity.issuing_country,
                "birth_date": birth,  # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
                "sex": sex.value if sex else None,
                "nationality": identity.nationality,
                "id_hash": protect_hash(number),
            }
            apart = identity.filed_apart_from_id()
            if apart:  # the resident ID's own date, where it is not the one filed (screening)
                fields["id_birth_date"] = apart
            keyed.append(fields)
            person = fields.copy()
            person["id_ciphertext"] = encrypt(number)
            persons.append(person)
        details = record.details(roles)
        digest = hashlib.sha256(
            self._key_prefix + canonical_json({"d": details, "p": keyed})
        ).hexdigest()
        return PreparedRow(
            row=row,
            row_key=digest,
            event_kind=record.event_kind(),
            ref=record.reference(),
            event_time=record.event_time(),
            id_hash=persons[0]["id_hash"] or "",
            record={"details": details, "persons": persons},
            persons=persons,
            objects=record.objects(),
            parcel=record.parcel(),
        )

    def validate_many(
        self, rows: Iterable[tuple[int, Any]], *, keys_screened: Container[int] = ()
    ) -> tuple[list[PreparedRow], list[RowError]]:
        """`keys_screened`: the row numbers whose keys the caller has screened already."""
        good: list[PreparedRow] = []
        bad: list[RowError] = []
        if self._fixed_now is None:  # one clock reading per batch, not per field
            self.context["now"] = datetime.now(UTC)
        with paused_gc():
            for number, raw in rows:
                result = self.validate(raw, number, keys_screened=number in keys_screened)
                if isinstance(result, PreparedRow):
                    good.append(result)
                else:
                    bad.extend(result)
        return good, bad
