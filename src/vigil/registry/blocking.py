"""Online resolution of a registration against the persons already known, in memory.

Pure module. `PersonBlocks` holds every person's name key, birth date and documents, blocked
by (name key, birth date), with an exact dict from (document type, identity hash) to person.
`best_candidate` scores candidates by name similarity and birth-date agreement. This is the
one online resolver: the pipeline uses it through `registry.online.OnlinePersonIndex`, and
`bench/resolve_scale.py` measures it.
"""

from __future__ import annotations

import bisect
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from vigil.core.dates import birth_dates_agree
from vigil.names import name_similarity, normalise_name

# Persons compared with one registration at most. With a birth date, blocking keeps only
# namesakes born that day, a digit from it, in its month or year where only those are known,
# or on an unknown day; without one, a common name could still bring thousands, and a name
# alone can only queue a review (see `birth_agreement`).
MAX_CANDIDATES = 200

# Birth dates are kept as filed (ISO 8601): 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'. Two dates of
# which one is partial agree only at the coarser precision, and that is weaker evidence than an
# agreeing full date: with a name alone it reaches clerical review, never an automatic link.
PARTIAL_AGREEMENT = {7: 0.75, 4: 0.7}  # by the coarser date's length: year-month, year


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    probability: float
    explanation: dict[str, Any]
    runner_up: float = 0.0  # the next best person's probability (another who agrees as well)


@dataclass(slots=True)
class KnownPerson:
    """What resolution needs of a person: no ciphertext, no other personal data."""

    id: int
    name: str
    name_key: str
    birth_date: str | None  # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    merged_into: int | None = None
    documents: list[tuple[str, str]] = field(default_factory=list)  # (doc_type, id_hash)


@lru_cache(maxsize=40_000)
def one_digit_away(born: date) -> tuple[date, ...]:
    """The real dates whose "YYYYMMDD" differs from `born`'s in exactly one digit: the same
    dates as `core.dates.typo_neighbours(..., "digit")` that are real, found by arithmetic
    (it runs for every new person the pipeline looks for)."""
    near = []
    year, month, day = born.year, born.month, born.day
    for place in (1000, 100, 10, 1):  # the year's digits
        digit = year // place % 10
        for other in range(10):
            y = year + (other - digit) * place
            if other != digit and y > 0 and day <= monthrange(y, month)[1]:
                near.append(date(y, month, day))
    for place in (10, 1):  # the month's, then the day's digits
        for value, is_month in ((month, True), (day, False)):
            digit = value // place % 10
            for other in range(10):
                v = value + (other - digit) * place
                if other == digit:
                    continue
                m, d = (v, day) if is_month else (month, v)
                if 1 <= m <= 12 and 1 <= d <= monthrange(year, m)[1]:
                    near.append(date(year, m, d))
    return tuple(sorted(near))


def birth_agreement(a: str | None, b: str | None) -> float:
    """How well two filed birth dates agree: 1.0 the same day, 0.8 one digit apart, 0.6
    either unknown; a partial date ('YYYY', 'YYYY-MM') agrees only at its precision (see
    `PARTIAL_AGREEMENT`); 0.05 otherwise."""
    if not a or not b:
        return 0.6
    if len(a) == 10 and len(b) == 10:
        if a == b:
            return 1.0
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return 0.8
        return 0.05
    if birth_dates_agree(a, b):
        return PARTIAL_AGREEMENT[min(len(a), len(b))]
    return 0.05


def different_document(
    documents: Iterable[tuple[str, str]], doc_type: str | None, id_hash: str | None
) -> bool:
    """Two valid numbers of one document type: two people, however alike."""
    if not (id_hash and doc_type):
        return False
    return any(t == doc_type and h != id_hash for t, h in documents)


def best_candidate(
    name: str,
    birth_date: str | None,
    doc_type: str | None,
    id_hash: str | None,
    persons: Iterable[tuple[int, str, str | None, Iterable[tuple[str, str]]]],
) -> Candidate | None:
    """The best of `persons` (id, name, birth date, documents), in the order given (ties go
    to the first), with the runner-up's probability."""
    best: Candidate | None = None
    runner_up = 0.0
    record_keys = normalise_name(name)
    for person_id, person_name, born, documents in persons:
        if different_document(documents, doc_type, id_hash):
            continue
        name_score = name_similarity(record_keys, normalise_name(person_name))
        birth = birth_agreement(birth_date, born)
        probability = name_score * birth
        if best is None or probability > best.probability:
            runner_up = best.probability if best is not None else 0.0
            best = Candidate(
                person_id,
                probability,
                {"name": {"score": round(name_score, 4)}, "birth_date": {"score": birth}},
            )
        else:
            runner_up = max(runner_up, probability)
    if best is None:
        return None
    return Candidate(best.person_id, best.probability, best.explanation, runner_up)


def blocking_dates(birth_date: str | None) -> list[str] | None:
    """The birth dates a candidate may have besides an unknown one, for a full date: that
    day, the days one digit from it, its month and its year (persons filed with only those);
    None: any (no date, or a partial one: see `PersonBlocks.blocked`)."""
    if not birth_date or len(birth_date) != 10:
        return None
    return [birth_date, *_near_filed(birth_date), birth_date[:7], birth_date[:4]]


@lru_cache(maxsize=40_000)
def _near_filed(birth_date: str) -> tuple[str, ...]:
    """`one_digit_away` of a filed full date, as filed dates (it runs for every lookup)."""
    try:
        return tuple(d.isoformat() for d in one_digit_away(date.fromisoformat(birth_date)))
    except ValueError:
        return ()


class PersonBlocks:
    """Every known person, blocked for resolution. Ids in each block stay sorted, so the
    first `MAX_CANDIDATES` are those the database finder's `ORDER BY id LIMIT` returns."""

    def __init__(self) -> None:
        self.persons: dict[int, KnownPerson] = {}
        self.by_document: dict[tuple[str, str], int] = {}
        self._by_key_birth: dict[tuple[str, str | None], list[int]] = {}
        self._by_key: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.persons)

    def get(self, person_id: int) -> KnownPerson | None:
        return self.persons.get(person_id)

    def put(self, person: KnownPerson) -> KnownPerson | None:
        """Add or replace a person; returns the one it replaced."""
        old = self.persons.get(person.id)
        if old is not None:
            self._unblock(old)
        self.persons[person.id] = person
        if person.merged_into is None and person.name_key:
            block = (person.name_key, person.birth_date)
            _insort(self._by_key_birth.setdefault(block, []), person.id)
            _insort(self._by_key.setdefault(person.name_key, []), person.id)
        for doc in person.documents:
            self.by_document[doc] = person.id
        return old

    def drop(self, person_id: int) -> KnownPerson | None:
        old = self.persons.pop(person_id, None)
        if old is not None:
            self._unblock(old)
        return old

    def _unblock(self, person: KnownPerson) -> None:
        if person.merged_into is None and person.name_key:
            _remove(self._by_key_birth.get((person.name_key, person.birth_date)), person.id)
            _remove(self._by_key.get(person.name_key), person.id)
        for doc in person.documents:
            if self.by_document.get(doc) == person.id:
                del self.by_document[doc]

    def survivor(self, person_id: int) -> int:
        seen = 0
        person = self.persons.get(person_id)
        while person is not None and person.merged_into is not None and seen < 100:
            person_id, seen = person.merged_into, seen + 1
            person = self.persons.get(person_id)
        return person_id

    def by_identifier(self, doc_type: str, id_hash: str) -> int | None:
        person_id = self.by_document.get((doc_type, id_hash))
        return None if person_id is None else self.survivor(person_id)

    def blocked(self, name_keys: Iterable[str], birth_date: str | None) -> list[int]:
        """The ids the database finder's blocking query returns, in its order."""
        dates = blocking_dates(birth_date)
        lists: list[list[int]] = []
        for key in set(name_keys):
            if dates is None and birth_date:  # a year or a year and month: those that agree
                persons = self.persons
                lists.append(
                    [
                        i
                        for i in self._by_key.get(key, [])
                        if not (born := persons[i].birth_date)
                        or birth_dates_agree(birth_date, born)
                    ]
                )
                continue
            if dates is None:
                lists.append(self._by_key.get(key, []))
                continue
            for born in (*dates, None):
                found = self._by_key_birth.get((key, born))
                if found:
                    lists.append(found)
        if not lists:
            return []
        if len(lists) == 1:
            return lists[0][:MAX_CANDIDATES]
        return sorted({i for ids in lists for i in ids})[:MAX_CANDIDATES]

    def candidate(
        self, name: str, birth_date: str | None, doc_type: str | None, id_hash: str | None
    ) -> Candidate | None:
        keys = normalise_name(name).phonetic
        if not keys:
            return None
        persons = self.persons
        return best_candidate(
            name,
            birth_date,
            doc_type,
            id_hash,
            (
                (p.id, p.name, p.birth_date, p.documents)
                for p in (persons[i] for i in self.blocked(keys, birth_date))
            ),
        )

    def __iter__(self) -> Iterator[KnownPerson]:
        return iter(self.persons.values())


class BatchView:
    """The shared blocks seen through one batch's own, uncommitted persons (`top`): the batch
    finds the persons it created a moment ago, and the shared index changes only when the
    batch has committed and the change log says so."""

    def __init__(self, base: PersonBlocks) -> None:
        self.base = base
        self.top = PersonBlocks()

    def get(self, person_id: int) -> KnownPerson | None:
        return self.top.get(person_id) or self.base.get(person_id)

    def put(self, person: KnownPerson) -> None:
        self.top.put(person)

    def survivor(self, person_id: int) -> int:
        for _ in range(100):
            person = self.get(person_id)
            if person is None or person.merged_into is None:
                break
            person_id = person.merged_into
        return person_id

    def by_identifier(self, doc_type: str, id_hash: str) -> int | None:
        person_id = self.top.by_document.get((doc_type, id_hash))
        if person_id is None:
            person_id = self.base.by_document.get((doc_type, id_hash))
            mine = self.top.persons.get(person_id) if person_id is not None else None
            if mine is not None and (doc_type, id_hash) not in mine.documents:
                person_id = None  # the batch holds a newer copy of this person
        return None if person_id is None else self.survivor(person_id)

    def candidate(
        self, name: str, birth_date: str | None, doc_type: str | None, id_hash: str | None
    ) -> Candidate | None:
        keys = normalise_name(name).phonetic
        if not keys:
            return None
        if self.top.persons:
            shadowed = self.top.persons
            ids = sorted(
                {i for i in self.base.blocked(keys, birth_date) if i not in shadowed}
                | set(self.top.blocked(keys, birth_date))
            )
            # new persons have provisional negative ids: they come last, as in the database
            ids = [i for i in ids if i > 0] + [i for i in ids if i < 0][::-1]
            ids = ids[:MAX_CANDIDATES]
        else:
            ids = self.base.blocked(keys, birth_date)
        people = [p for p in (self.get(i) for i in ids) if p is not None]
        return best_candidate(
            name,
            birth_date,
            doc_type,
            id_hash,
            ((p.id, p.name, p.birth_date, p.documents) for p in people),
        )


def _insort(ids: list[int], person_id: int) -> None:
    if not ids or ids[-1] < person_id:
        ids.append(person_id)  # the usual case: new persons have the highest ids
    else:
        bisect.insort(ids, person_id)


def _remove(ids: list[int] | None, person_id: int) -> None:
    if ids:
        at = bisect.bisect_left(ids, person_id)
        if at < len(ids) and ids[at] == person_id:
            del ids[at]
