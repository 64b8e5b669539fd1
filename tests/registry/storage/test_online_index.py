"""The in-memory person index decides as the database finder does, and follows the person
change log: persons another session inserts, merges or splits appear without a rebuild."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.linking import link_one, scan_all
from tests.sql import statements_sent
from vigil.core.runtime import Runtime
from vigil.governance.access import Purpose, system_context
from vigil.registry import service
from vigil.registry.models import Person, RegistrationLink
from vigil.registry.online import OnlinePersonIndex
from vigil.registry.service import LinkRequest, RegistrationPerson

pytestmark = pytest.mark.storage
REVIEW_AT = 0.6  # link_registrations' default review threshold
CTX = system_context(Purpose.SCREENING, "statute:real-name-registration")
NAMES = ["王伟", "Wang Wei", "王 伟", "李娜", "Li Na", "張曉明", "Zhang Xiaoming", "Peter Smith"]


def _record(runtime: Runtime, name: str, born: date | None, number: str | None = None):
    protected = runtime.vault.protect(number) if number else None
    return RegistrationPerson(
        name=name,
        birth_date=born.isoformat() if born else None,  # as intake stores it
        doc_type="cn_resident_id" if number else None,
        id_hash=protected.hash if protected else None,
        id_ciphertext=protected.ciphertext if protected else None,
    )


def _filed(born: date | None, rng: random.Random) -> str | None:
    """A birth date as a register files it: mostly full, sometimes a year-month or a year."""
    if born is None:
        return None
    return born.isoformat()[: rng.choice([10, 10, 10, 7, 4])]


def test_blocking_finds_every_candidate_a_scan_of_all_persons_finds(runtime: Runtime) -> None:
    rng = random.Random(7)
    base = date(1980, 1, 1)
    with runtime.unit_of_work() as session:
        for n in range(300):
            name = rng.choice(NAMES)
            born = None if n % 9 == 0 else base + timedelta(days=rng.randrange(40))
            record = replace(_record(runtime, name, None), birth_date=_filed(born, rng))
            link_one(runtime, session, CTX, "hotel", n, record)
    index = OnlinePersonIndex()
    with runtime.unit_of_work() as session:
        index.build(session)
        assert len(index.blocks) == session.query(Person).count()
        compared = 0
        for _ in range(200):
            name = rng.choice(NAMES)
            born = None if rng.random() < 0.2 else base + timedelta(days=rng.randrange(50))
            record = replace(_record(runtime, name, None), birth_date=_filed(born, rng))
            expected = scan_all(session, record)
            found = index.blocks.candidate(name, record.birth_date, None, None)
            if expected is not None and expected.probability >= REVIEW_AT:
                # whoever could be linked or reviewed, blocking must not lose
                assert found is not None
                assert (found.person_id, found.probability) == (
                    expected.person_id,
                    expected.probability,
                )
                compared += 1
    assert compared > 150


class _Rollback(Exception):
    pass


def _shape(outcomes: list[service.LinkOutcome]) -> list[tuple[str, int, bool]]:
    """Decisions with person ids renamed by first appearance (ids differ between runs)."""
    order: dict[int, int] = {}
    return [
        (o.method, order.setdefault(o.person_id, len(order)), o.review_item_id is not None)
        for o in outcomes
    ]


def test_batches_link_as_linking_one_at_a_time_would(
    runtime: Runtime,
) -> None:
    """The same stream of records, linked one at a time, and in batches of 40, gets the same
    decisions (a batch sees the persons it created a moment before)."""
    from vigil.core.ids import cn_id_check_char

    rng = random.Random(11)
    stream = []
    for n in range(120):
        name = rng.choice(NAMES)
        born = None if n % 7 == 0 else date(1990, 1, 1) + timedelta(days=rng.randrange(20))
        head = f"11010519900101{n % 30:03d}"
        number = head + cn_id_check_char(head) if n % 3 == 0 else None
        stream.append(_record(runtime, name, born, number))
    one_by_one: list[service.LinkOutcome] = []
    solo = OnlinePersonIndex()  # its own index: this transaction is rolled back
    with pytest.raises(_Rollback), runtime.unit_of_work() as session:
        for n, record in enumerate(stream):
            one = [LinkRequest("hotel", n, 0, record)]
            one_by_one += service.link_registrations(session, CTX, solo, one)
        raise _Rollback
    index = OnlinePersonIndex()
    batched: list[service.LinkOutcome] = []
    for start in range(0, len(stream), 40):
        with runtime.unit_of_work() as session:
            requests = [LinkRequest("hotel", n, 0, stream[n]) for n in range(start, start + 40)]
            batched += service.link_registrations(session, CTX, index, requests)
    assert {o.method for o in one_by_one} == {"new", "id_hash", "probabilistic"}
    assert _shape(batched) == _shape(one_by_one)


def test_index_catches_up_with_inserts_merges_and_splits_of_another_session(
    runtime: Runtime,
) -> None:
    with runtime.unit_of_work() as session:
        a = link_one(runtime, session, CTX, "hotel", 1, _record(runtime, "李娜", date(1992, 2, 2)))
    index = OnlinePersonIndex()
    with runtime.unit_of_work() as session:
        index.build(session)
    assert a.person_id in index.blocks.persons
    # another worker, another session: a new person with a document, then a merge
    with runtime.unit_of_work() as session:
        b = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            2,
            _record(runtime, "Peter Smith", date(1960, 7, 7), "11010519491231002X"),
        )
        merge = service.merge_persons(session, CTX, a.person_id, b.person_id)
    protected = runtime.vault.protect("11010519491231002X")
    assert index.blocks.by_identifier("cn_resident_id", protected.hash) is None
    with runtime.unit_of_work() as session, statements_sent(runtime.engine) as sent:
        assert index.catch_up(session) == 2
    assert len([s for s in sent if s.startswith("SELECT")]) == 3  # log, persons, documents
    assert index.blocks.persons[b.person_id].merged_into == a.person_id
    assert index.blocks.by_identifier("cn_resident_id", protected.hash) == a.person_id
    assert index.blocks.candidate("Peter Smith", "1960-07-07", None, None) is None
    with runtime.unit_of_work() as session:
        service.split_merge(session, CTX, merge.id)
    with runtime.unit_of_work() as session:
        index.catch_up(session)
        expected = scan_all(session, _record(runtime, "Peter Smith", date(1960, 7, 7)))
    found = index.blocks.candidate("Peter Smith", "1960-07-07", None, None)
    assert expected is not None and found is not None
    assert found.person_id == expected.person_id == b.person_id
    assert index.blocks.by_identifier("cn_resident_id", protected.hash) == b.person_id
    # nothing new: nothing read again
    with runtime.unit_of_work() as session:
        assert index.catch_up(session) == 0


def test_a_person_created_by_another_worker_meanwhile_is_linked_not_duplicated(
    runtime: Runtime,
) -> None:
    """Worker A's index was built before worker B stored the guest: A still links to B's
    person (the change log, read at the start of A's batch), and makes no second one."""
    index_a = OnlinePersonIndex()
    with runtime.unit_of_work() as session:
        index_a.build(session)
    record = _record(runtime, "张伟", date(1980, 1, 1), "110105198001010016")
    with runtime.unit_of_work() as session:
        first = service.link_registrations(
            session, CTX, OnlinePersonIndex(), [LinkRequest("hotel", 1, 0, record)]
        )
    with runtime.unit_of_work() as session:
        second = service.link_registrations(
            session, CTX, index_a, [LinkRequest("hotel", 2, 0, record)]
        )
    assert first[0].method == "new"
    assert second[0].method == "id_hash" and second[0].person_id == first[0].person_id
    with runtime.unit_of_work() as session:
        assert session.query(Person).count() == 1
        assert session.query(RegistrationLink).count() == 2


class _Stale(OnlinePersonIndex):
    """An index whose worker read the change log just before another worker committed."""

    def catch_up(self, session: object) -> int:  # type: ignore[override]
        return 0


def test_a_document_stored_by_another_worker_after_the_catch_up_wins_over_a_new_person(
    runtime: Runtime,
) -> None:
    """The race the change log cannot close: B commits the guest after A read the log. A's
    new person gives way to B's (the document's unique key decides), A's link follows."""
    stale = _Stale()
    with runtime.unit_of_work() as session:
        stale.build(session)
    record = _record(runtime, "张伟", date(1980, 1, 1), "110105198001010016")
    with runtime.unit_of_work() as session:
        (first,) = service.link_registrations(
            session, CTX, OnlinePersonIndex(), [LinkRequest("hotel", 1, 0, record)]
        )
    with runtime.unit_of_work() as session:
        (second,) = service.link_registrations(
            session, CTX, stale, [LinkRequest("hotel", 2, 0, record)]
        )
    assert (second.method, second.person_id) == ("id_hash", first.person_id)
    with runtime.unit_of_work() as session:
        assert session.query(Person).count() == 1
        links = session.query(RegistrationLink.person_id).all()
        assert {link.person_id for link in links} == {first.person_id}


def test_a_document_of_a_person_this_batch_creates_is_stored_under_that_person(
    runtime: Runtime,
) -> None:
    """One batch: a guest shows a resident ID (a new person), then, at another business, a
    passport with the same name and birth date (linked to that new person, which gains the
    passport). The passport is stored under the person's real id, not its provisional one."""
    from vigil.registry.models import PersonDocument

    resident = _record(runtime, "张晓明", date(1949, 12, 31), "11010519491231002X")
    passport = runtime.vault.protect("E12345678")
    abroad = replace(
        resident,
        doc_type="passport",
        issuing_country="CHN",
        id_hash=passport.hash,
        id_ciphertext=passport.ciphertext,
    )
    requests = [LinkRequest("hotel", 1, 0, resident), LinkRequest("hotel", 2, 0, abroad)]
    with runtime.unit_of_work() as session:
        first, second = service.link_registrations(session, CTX, OnlinePersonIndex(), requests)
    assert (first.method, second.method) == ("new", "probabilistic")
    assert first.person_id == second.person_id > 0
    with runtime.unit_of_work() as session:
        documents = session.scalars(
            select(PersonDocument.doc_type).where(PersonDocument.person_id == first.person_id)
        ).all()
    assert sorted(documents) == ["cn_resident_id", "passport"]
