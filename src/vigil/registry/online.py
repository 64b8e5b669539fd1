"""The per-process person index for online resolution, kept in step with the database.

A worker builds it once (`build`), then follows the `person_change` log (`catch_up`): each
change names a person, whose current row and documents are read again. Change ids come from
a sequence and concurrent transactions can commit them out of order, so an id skipped over
is remembered as a gap and asked for again until it shows up or is old enough to be a
rolled-back insert's. No full rebuild after the first."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigil.core.db import among
from vigil.core.runtime import Runtime
from vigil.registry.blocking import KnownPerson, PersonBlocks
from vigil.registry.models import Person, PersonChange, PersonDocument

# How long an unseen change id may still be a transaction in flight (then: rolled back).
GAP_PATIENCE_S = 120.0
MAX_GAPS = 5000
_CHUNK = 5000


@dataclass
class OnlinePersonIndex:
    blocks: PersonBlocks = field(default_factory=PersonBlocks)
    last_change_id: int = 0
    built: bool = False
    gaps: dict[int, float] = field(default_factory=dict)  # change id → first missed (monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def build(self, session: Session) -> None:
        """Load every person once. Changes committed meanwhile are replayed by the next
        catch-up, since the log position is read first."""
        with self.lock:
            last = int(session.scalar(select(func.max(PersonChange.id))) or 0)
            blocks = PersonBlocks()
            persons: dict[int, KnownPerson] = {}
            rows = session.execute(
                select(
                    Person.id, Person.name, Person.name_key, Person.birth_date, Person.merged_into
                )
            )
            for pid, name, key, born, merged in rows:
                persons[pid] = KnownPerson(pid, name, key, born, merged, [])
            documents = session.execute(
                select(PersonDocument.person_id, PersonDocument.doc_type, PersonDocument.id_hash)
            )
            for pid, doc_type, id_hash in documents:
                person = persons.get(pid)
                if person is not None:
                    person.documents.append((doc_type, id_hash))
            for pid in sorted(persons):
                blocks.put(persons[pid])
            self.blocks, self.last_change_id, self.gaps, self.built = blocks, last, {}, True

    def catch_up(self, session: Session) -> int:
        """Apply the changes committed since the last call; returns how many persons were
        read again. Builds first if never built."""
        with self.lock:
            if not self.built:
                self.build(session)
                return len(self.blocks)
            query = select(PersonChange.id, PersonChange.person_id).where(
                PersonChange.id > self.last_change_id
            )
            if self.gaps:
                query = select(PersonChange.id, PersonChange.person_id).where(
                    (PersonChange.id > self.last_change_id) | PersonChange.id.in_(sorted(self.gaps))
                )
            changes = session.execute(query.order_by(PersonChange.id)).all()
            now = time.monotonic()
            for change_id, _ in changes:
                self.gaps.pop(change_id, None)
                if change_id > self.last_change_id:
                    self.gaps.update((i, now) for i in range(self.last_change_id + 1, change_id))
                    self.last_change_id = change_id
            self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_PATIENCE_S}
            if len(self.gaps) > MAX_GAPS:  # a huge jump (say a sequence moved on): keep the newest
                self.gaps = dict(sorted(self.gaps.items())[-MAX_GAPS:])
            touched = {person_id for _, person_id in changes}
            self.reload(session, touched)
            return len(touched)

    def reload(self, session: Session, person_ids: Iterable[int]) -> None:
        """Read these persons again (a person gone from the table leaves the index)."""
        ids = sorted(set(person_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = session.execute(
                select(
                    Person.id, Person.name, Person.name_key, Person.birth_date, Person.merged_into
                ).where(among(session, Person.id, chunk))
            ).all()
            found = {pid: KnownPerson(pid, n, k, b, m, []) for pid, n, k, b, m in rows}
            for pid, doc_type, id_hash in session.execute(
                select(PersonDocument.person_id, PersonDocument.doc_type, PersonDocument.id_hash)
                .where(among(session, PersonDocument.person_id, chunk))
                .order_by(PersonDocument.id)
            ):
                found[pid].documents.append((doc_type, id_hash))
            for pid in chunk:
                if pid in found:
                    self.blocks.put(found[pid])
                else:
                    self.blocks.drop(pid)


INDEX_KEY = "registry.person_index"


def person_index_for(runtime: Runtime) -> OnlinePersonIndex:
    """This process's index (one per runtime, shared by its threads)."""
    index = runtime.extensions.get(INDEX_KEY)
    if index is None:
        index = runtime.extensions.setdefault(INDEX_KEY, OnlinePersonIndex())
    assert isinstance(index, OnlinePersonIndex)
    return index
