"""In-memory watchlist match index. Pure: no I/O, no clock (callers pass `now`).

Updated incrementally: `add` and `remove` touch only the keys of one entry.

Persons are found through blocking keys, so a record meets few candidates:
- the identity-number hash;
- the full birth date (catches any name corruption when the date is intact);
- each phonetic name key (script, order and romanisation insensitive, from
  `vigil.registry.names`) combined with the birth year, with the month-day, and with the
  sorted birth-date digits (catches one wrong digit, transposed digits and year-only dates).

Each candidate is scored like yente: weighted main features (name, birth date), an identifier
match that overrides, and a qualifier for conflicting valid identity numbers. Every feature's
contribution is returned in the explanation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rapidfuzz import fuzz

from vigil.core.clock import utcnow
from vigil.registry.names import NameKeys, normalise_name, segment_syllables
from vigil.screening.entries import (
    Entry,
    Explanation,
    Match,
    PersonEntry,
    PropertyEntry,
    ScreeningRecord,
    UnlawfulEntry,
    entry_problem,
)
from vigil.screening.keys import imei_key, plate_key, serial_key, vin_key

NAME_WEIGHT = 0.65
BIRTH_DATE_WEIGHT = 0.35
ID_MATCH_SCORE = 0.97
ID_CONFLICT_PENALTY = 0.30
DEFAULT_THRESHOLD = 0.80
MAX_BLOCK = 2_000  # a key shared by more entries than this is too common to block on


# --- Features ----------------------------------------------------------------------------


def birth_digits(raw: str) -> str:
    """'1985-03-12' → '19850312'; '1985' → '1985'; anything else → ''."""
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    return digits if len(digits) in (4, 8) else ""


def birth_date_feature(a: str, b: str) -> tuple[float, str]:
    """Compare birth-date digit strings (8 or 4 digits, or empty) with typo tolerance."""
    if not a or not b:
        return 0.5, "birth date unknown on one side"
    if len(a) == 4 or len(b) == 4:
        return (0.7, "same birth year (year only)") if a[:4] == b[:4] else (0.0, "years differ")
    if a == b:
        return 1.0, "same birth date"
    diffs = [i for i in range(8) if a[i] != b[i]]
    if len(diffs) == 1:
        return 0.8, f"birth dates differ in one digit ({a} vs {b})"
    adjacent = len(diffs) == 2 and diffs[1] == diffs[0] + 1
    if adjacent and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
        return 0.8, f"birth dates differ by transposed digits ({a} vs {b})"
    return 0.0, f"birth dates differ ({a} vs {b})"


@dataclass(frozen=True, slots=True)
class NameForm:
    """What the matcher keeps of one name: phonetic keys, spelled forms, Hanzi."""

    raw: str
    phonetic: frozenset[str]
    keys: frozenset[str]
    compacts: tuple[str, ...]  # romanised, surname-first and given-first, no spaces
    hanzi: str
    surname: str
    syllabic: bool  # every token is a real syllable, so no typo is suspected


@lru_cache(maxsize=300_000)
def name_form(raw: str) -> NameForm | None:
    keys: NameKeys = normalise_name(raw)
    if not keys.tokens:
        return None
    surname = keys.surname
    rest = keys.canonical[len(surname) :].replace(" ", "")
    compacts = (keys.canonical.replace(" ", ""), rest + surname)
    syllabic = keys.script == "han" or all(segment_syllables(t) == (t,) for t in keys.tokens)
    return NameForm(raw, keys.phonetic, keys.keys, compacts, keys.hanzi, surname, syllabic)


def name_feature(a: NameForm, b: NameForm) -> tuple[float, str]:
    """Similarity of two names in [0, 1] and why."""
    if a.phonetic & b.phonetic:
        if a.hanzi and b.hanzi and a.hanzi != b.hanzi:
            return 0.9, f"same sound, different characters ({a.hanzi} vs {b.hanzi})"
        if a.keys & b.keys or (a.hanzi and a.hanzi == b.hanzi):
            return 1.0, f"same name ({a.raw} ~ {b.raw})"
        return 0.95, f"same name in another romanisation ({a.raw} ~ {b.raw})"
    if a.hanzi and b.hanzi and len(a.hanzi) == len(b.hanzi) >= 3:
        diffs = sum(x != y for x, y in zip(a.hanzi, b.hanzi, strict=True))
        if diffs == 1 and a.hanzi[0] == b.hanzi[0]:
            return 0.75, f"one character differs ({a.hanzi} vs {b.hanzi})"
    ratio = max(fuzz.ratio(x, y) for x in a.compacts for y in b.compacts) / 100.0
    if a.syllabic and b.syllabic:
        # two well-formed names that sound different are different names, not typos
        return max(0.0, 0.9 * ratio - 0.1), f"different names ({a.raw} vs {b.raw})"
    return ratio, f"spelling similarity {ratio:.2f} ({a.raw} vs {b.raw})"


# --- Index -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    entry: PersonEntry
    names: tuple[NameForm, ...]
    birth: str


def _person_keys(
    phonetic: Iterable[str], birth: str, id_hash: str, *, query: bool
) -> Iterator[str]:
    if id_hash:
        yield "i:" + id_hash
    if len(birth) == 8:
        yield "d:" + birth
    for key in phonetic:
        if len(birth) == 8:
            yield f"y:{birth[:4]}:{key}"
            yield f"m:{birth[4:]}:{key}"
            yield f"s:{''.join(sorted(birth))}:{key}"
        elif len(birth) == 4:
            yield f"y:{birth}:{key}"
        if not birth or query:
            yield f"n:{key}"  # entries without a date; records without one look here


class WatchlistIndex:
    """All lawful entries of the watchlists, keyed for fast screening."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._persons: dict[str, _Person] = {}
        self._blocks: dict[str, list[str]] = {}
        self._objects: dict[str, set[str]] = {}  # "vin:…", "imei:…" → entry ids
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    # updates --------------------------------------------------------------------------

    def add(self, entry: Entry, now: datetime | None = None) -> None:
        """List an entry (replacing one with the same id). Raises UnlawfulEntry.

        `now` defaults to the wall clock; screening re-checks expiry with its own `now`."""
        problem = entry_problem(entry, now or utcnow())
        if problem:
            raise UnlawfulEntry(f"watchlist entry {entry.entry_id or '?'} rejected: {problem}")
        with self._lock:
            if entry.entry_id in self._entries:
                self._unlink(entry.entry_id)
            self._entries[entry.entry_id] = entry
            for key in self._keys_of(entry):
                if isinstance(entry, PersonEntry):
                    self._blocks.setdefault(key, []).append(entry.entry_id)
                else:
                    self._objects.setdefault(key, set()).add(entry.entry_id)

    def remove(self, entry_id: str) -> bool:
        with self._lock:
            if entry_id not in self._entries:
                return False
            self._unlink(entry_id)
            return True

    def purge_expired(self, now: datetime) -> list[str]:
        """Drop entries whose legal basis has lapsed; returns their ids (for the audit)."""
        expired = [
            e.entry_id
            for e in list(self._entries.values())
            if not e.legal_basis.valid_at(now, expiry_required=isinstance(e, PersonEntry))
        ]
        for entry_id in expired:
            self.remove(entry_id)
        return expired

    def _keys_of(self, entry: Entry) -> list[str]:
        if isinstance(entry, PersonEntry):
            forms = tuple(
                f for f in (name_form(n) for n in (entry.name, *entry.aliases)) if f is not None
            )
            person = _Person(entry, forms, birth_digits(entry.birth_date))
            self._persons[entry.entry_id] = person
            phonetic = {k for f in forms for k in f.phonetic}
            return sorted(set(_person_keys(phonetic, person.birth, entry.id_hash, query=False)))
        if isinstance(entry, PropertyEntry):
            keys = [f"serial:{serial_key(entry.serial)}" if entry.serial.strip() else ""]
            keys.append(f"imei:{imei_key(entry.imei)}" if imei_key(entry.imei) else "")
            if not imei_key(entry.imei) and entry.imei.strip():
                keys.append(f"serial:{serial_key(entry.imei)}")
            return [k for k in keys if k]
        keys = [f"vin:{vin_key(entry.vin)}" if entry.vin.strip() else ""]
        keys.append(f"plate:{plate_key(entry.plate)}" if entry.plate.strip() else "")
        return [k for k in keys if k]

    def _unlink(self, entry_id: str) -> None:
        entry = self._entries.pop(entry_id)
        for key in self._keys_of(entry):
            if isinstance(entry, PersonEntry):
                ids = self._blocks.get(key, [])
                if entry_id in ids:
                    ids.remove(entry_id)
                if not ids:
                    self._blocks.pop(key, None)
            else:
                members = self._objects.get(key, set())
                members.discard(entry_id)
                if not members:
                    self._objects.pop(key, None)
        self._persons.pop(entry_id, None)

    # screening ------------------------------------------------------------------------

    def screen(
        self, record: ScreeningRecord, now: datetime, threshold: float = DEFAULT_THRESHOLD
    ) -> list[Match]:
        """Matches of one record against entries lawful at `now`, best first."""
        matches = self._screen_objects(record, now)
        if record.name or record.id_hash:
            matches.extend(self._screen_person(record, now, threshold))
        return sorted(matches, key=lambda m: -m.score)

    def candidates(self, record: ScreeningRecord) -> set[str]:
        """Entry ids sharing a blocking key with the record (exposed for benchmarks)."""
        form = name_form(record.name) if record.name else None
        phonetic = form.phonetic if form else frozenset()
        birth = birth_digits(record.birth_date)
        found: set[str] = set()
        for key in _person_keys(phonetic, birth, record.id_hash, query=True):
            ids = self._blocks.get(key)
            if ids and (len(ids) <= MAX_BLOCK or key.startswith("i:")):
                found.update(ids)
        return found

    def _lawful(self, entry: Entry, now: datetime) -> bool:
        return entry.legal_basis.valid_at(now, expiry_required=isinstance(entry, PersonEntry))

    def _screen_person(
        self, record: ScreeningRecord, now: datetime, threshold: float
    ) -> list[Match]:
        form = name_form(record.name) if record.name else None
        birth = birth_digits(record.birth_date)
        out: list[Match] = []
        for entry_id in self.candidates(record):
            person = self._persons.get(entry_id)
            if person is None or not self._lawful(person.entry, now):
                continue
            score, explanation = score_person(form, birth, record.id_hash, person)
            if score >= threshold:
                basis = person.entry.legal_basis.reference
                out.append(Match(record.record_id, entry_id, "person", score, explanation, basis))
        return out

    def _screen_objects(self, record: ScreeningRecord, now: datetime) -> list[Match]:
        probes: list[tuple[str, str, str]] = []  # (key, feature, raw)
        probes += [(f"vin:{vin_key(v)}", "vin_match", v) for v in record.vins if v.strip()]
        probes += [(f"plate:{plate_key(p)}", "plate_match", p) for p in record.plates if p]
        for imei in record.imeis:
            if imei_key(imei):
                probes.append((f"imei:{imei_key(imei)}", "imei_match", imei))
        probes += [(f"serial:{serial_key(s)}", "serial_match", s) for s in record.serials if s]
        out: list[Match] = []
        seen: set[str] = set()
        for key, feature, raw in probes:
            for entry_id in sorted(self._objects.get(key, ())):
                entry = self._entries.get(entry_id)
                if entry is None or entry_id in seen or not self._lawful(entry, now):
                    continue
                seen.add(entry_id)
                detail = f"{raw!r} equals the listed identifier after folding case, spacing "
                detail += "and O/0, I/1, S/5 confusions"
                out.append(
                    Match(
                        record.record_id,
                        entry_id,
                        entry.kind,
                        1.0,
                        {feature: {"score": 1.0, "detail": detail}},
                        entry.legal_basis.reference,
                    )
                )
        return out


def score_person(
    form: NameForm | None, birth: str, id_hash: str, person: _Person
) -> tuple[float, Explanation]:
    """Score = 0.65·name + 0.35·birth date; an equal identity hash overrides; two valid but
    different identity numbers subtract a qualifier. Contributions are in the explanation."""
    explanation: Explanation = {}
    name_score, name_detail = 0.0, "no name to compare"
    if form is not None:
        for listed in person.names:
            s, d = name_feature(form, listed)
            if s > name_score:
                name_score, name_detail = s, d
    date_score, date_detail = birth_date_feature(birth, person.birth)
    explanation["name_match"] = {
        "score": round(NAME_WEIGHT * name_score, 4),
        "detail": f"{name_detail}; similarity {name_score:.2f} × weight {NAME_WEIGHT}",
    }
    explanation["birth_date"] = {
        "score": round(BIRTH_DATE_WEIGHT * date_score, 4),
        "detail": f"{date_detail}; similarity {date_score:.2f} × weight {BIRTH_DATE_WEIGHT}",
    }
    score = NAME_WEIGHT * name_score + BIRTH_DATE_WEIGHT * date_score
    listed_hash = person.entry.id_hash
    if id_hash and listed_hash and id_hash == listed_hash:
        explanation["identifier_match"] = {
            "score": ID_MATCH_SCORE,
            "detail": "identity number equals the listed one (keyed hash)",
        }
        score = max(score, ID_MATCH_SCORE + 0.03 * name_score)
    elif id_hash and listed_hash:
        explanation["identifier_mismatch"] = {
            "score": -ID_CONFLICT_PENALTY,
            "detail": "both identity numbers are valid and differ",
        }
        score -= ID_CONFLICT_PENALTY
    return round(min(1.0, max(0.0, score)), 4), explanation
