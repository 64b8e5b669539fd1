"""Watchlist entries, the records screened against them, and matches. Pure data.

An entry is lawful only with a legal basis: a reference (warrant, court order, theft report),
the issuing authority and, for wanted persons, an expiry. Lawfulness is checked when the
entry is added and again at every screening, with the caller's `now`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vigil.core.clock import as_utc
from vigil.core.errors import ValidationFailed
from vigil.core.ids import cn_id_check_char, embedded_birth_digits
from vigil.core.text import ascii_digits

Explanation = dict[str, dict[str, Any]]  # {feature: {"score": float, "detail": str}}


class UnlawfulEntry(ValidationFailed):
    """A watchlist entry without a valid, unexpired legal basis."""


@dataclass(frozen=True, slots=True)
class LegalBasis:
    reference: str  # warrant / court order / case reference
    authority: str  # issuing court or authority
    expires: datetime | None = None  # required for persons

    def problem(self, now: datetime, *, expiry_required: bool) -> str | None:
        """Why this basis is not valid at `now`, or None if it is."""
        if not self.reference.strip():
            return "legal basis has no reference (warrant or court order)"
        if not self.authority.strip():
            return "legal basis has no issuing authority"
        if self.expires is None:
            return "legal basis has no expiry" if expiry_required else None
        if as_utc(self.expires) <= as_utc(now):
            return f"legal basis {self.reference} expired on {self.expires:%Y-%m-%d}"
        return None

    def valid_at(self, now: datetime, *, expiry_required: bool) -> bool:
        return self.problem(now, expiry_required=expiry_required) is None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A wanted person. `id_hash` is the keyed hash of the normalised identity number."""

    entry_id: str
    name: str
    legal_basis: LegalBasis
    aliases: tuple[str, ...] = ()
    birth_date: str = ""  # "YYYY-MM-DD", "YYYYMMDD" or "YYYY"
    id_hash: str = ""
    kind: str = field(default="person", init=False)


@dataclass(frozen=True, slots=True)
class PropertyEntry:
    """Stolen property: at least one of serial or IMEI."""

    entry_id: str
    legal_basis: LegalBasis
    serial: str = ""
    imei: str = ""
    description: str = ""
    kind: str = field(default="property", init=False)


@dataclass(frozen=True, slots=True)
class VehicleEntry:
    """A stolen vehicle: VIN and/or plate."""

    entry_id: str
    legal_basis: LegalBasis
    vin: str = ""
    plate: str = ""
    description: str = ""
    kind: str = field(default="vehicle", init=False)


Entry = PersonEntry | PropertyEntry | VehicleEntry


def entry_problem(entry: Entry, now: datetime) -> str | None:
    """Why an entry may not be listed at `now`, or None if it may."""
    if not entry.entry_id.strip():
        return "entry has no entry_id"
    basis = entry.legal_basis.problem(now, expiry_required=isinstance(entry, PersonEntry))
    if basis:
        return basis
    if isinstance(entry, PersonEntry) and not (entry.name.strip() or entry.id_hash):
        return "a person entry needs a name or an identity number"
    if isinstance(entry, PropertyEntry) and not (entry.serial.strip() or entry.imei.strip()):
        return "a property entry needs a serial or an IMEI"
    if isinstance(entry, VehicleEntry) and not (entry.vin.strip() or entry.plate.strip()):
        return "a vehicle entry needs a VIN or a plate"
    return None


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    """What a registration offers for screening; every field is optional.

    `id_hash` is the keyed hash of a *valid* identity number: pass "" when the number is
    missing or fails its check character, so that a typo is not read as a different person.
    `id_birth_date` ("YYYYMMDD") is the birth date that number embeds when it is a valid CN
    resident identity number; the index never sees the number itself. Build records with
    `person_record`, which extracts it before hashing.
    """

    record_id: str
    name: str = ""
    birth_date: str = ""
    id_hash: str = ""
    id_birth_date: str = ""
    vins: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    imeis: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    record_id: str
    entry_id: str
    kind: str  # "person", "property", "vehicle"
    score: float
    explanation: Explanation
    legal_basis: str  # the entry's reference, for the alert


def resident_id_birth_date(raw: str) -> str:
    """The birth date ("YYYYMMDD") embedded in a valid CN resident identity number, or "".

    Valid means 18 characters with a correct check character (or the legacy 15 digits) and a
    real calendar date; the region code is not checked, since an outdated code does not make
    the embedded date wrong."""
    value = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    head = value[:17]
    checked = len(value) == 18 and ascii_digits(head) and cn_id_check_char(head) == value[17]
    if not (checked or (len(value) == 15 and ascii_digits(value))):
        return ""
    digits = embedded_birth_digits(value)
    try:
        date.fromisoformat(digits)
    except ValueError:
        return ""
    return digits


def person_record(
    record_id: str,
    name: str,
    birth_date: str,
    id_number: str,
    digest: Callable[[str], str],
) -> ScreeningRecord:
    """A person record for screening, built where the raw identity number is still at hand.

    `digest` turns the raw number into its keyed hash ("" when missing or invalid); what the
    number itself tells (the embedded birth date) is taken out first, since the index only
    ever sees the hash."""
    id_hash = digest(id_number) if id_number else ""
    return ScreeningRecord(
        record_id=record_id,
        name=name,
        birth_date=birth_date,
        id_hash=id_hash,
        id_birth_date=resident_id_birth_date(id_number) if id_hash else "",
    )
