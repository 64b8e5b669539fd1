"""Linking registrations to persons, merges and splits, clerical review — on both back-ends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.linking import link_one, scan_all
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance.access import Purpose, system_context
from vigil.governance.models import AuditEntry
from vigil.registry import service
from vigil.registry.blocking import MAX_CANDIDATES
from vigil.registry.models import Person, PersonDocument, PersonMerge, RegistrationLink, ReviewItem
from vigil.registry.online import person_index_for
from vigil.registry.service import RegistrationPerson

pytestmark = pytest.mark.storage
CTX = system_context(Purpose.SCREENING, "statute:real-name-registration")


def _record(
    runtime: Runtime, name: str, born: date | None, number: str | None = None
) -> RegistrationPerson:
    protected = runtime.vault.protect(number) if number else None
    return RegistrationPerson(
        name=name,
        birth_date=born.isoformat() if born else None,  # as intake stores it
        sex="M",
        doc_type="cn_resident_id" if number else None,
        id_hash=protected.hash if protected else None,
        id_ciphertext=protected.ciphertext if protected else None,
    )


def _state(runtime: Runtime) -> dict[str, Any]:
    with runtime.unit_of_work() as session:
        return {
            "persons": sorted(
                (p.id, p.name, p.birth_date, p.merged_into) for p in session.scalars(select(Person))
            ),
            "documents": sorted(
                (d.id, d.person_id, d.id_hash) for d in session.scalars(select(PersonDocument))
            ),
            "links": sorted(
                (link.id, link.sector, link.submission_id, link.person_id)
                for link in session.scalars(select(RegistrationLink))
            ),
        }


def test_exact_identity_hash_links_to_the_same_person(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        first = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            1,
            _record(runtime, "张伟", date(1990, 1, 1), "11010519491231002X"),
        )
        second = link_one(
            runtime,
            session,
            CTX,
            "motor",
            7,
            _record(runtime, "Zhang Wei", None, "11010519491231002X"),
        )
        again = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            1,
            _record(runtime, "张伟", date(1990, 1, 1), "11010519491231002X"),
        )
    assert first.method == "new" and second.method == "id_hash"
    assert first.person_id == second.person_id == again.person_id
    with runtime.unit_of_work() as session:
        assert len(session.scalars(select(RegistrationLink)).all()) == 2


def test_cross_script_name_and_birth_date_link_without_identity_number(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        first = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            1,
            _record(runtime, "張曉明", date(1985, 3, 9), "360426199101010071"),
        )
        second = link_one(
            runtime, session, CTX, "venue", 2, _record(runtime, "Xiaoming Zhang", date(1985, 3, 9))
        )
        other = link_one(
            runtime,
            session,
            CTX,
            "venue",
            3,
            _record(runtime, "Xiaoming Zhang", date(1971, 11, 30)),
        )
    assert second.method == "probabilistic" and second.person_id == first.person_id
    assert other.person_id != first.person_id


def test_grey_zone_goes_to_review_and_acceptance_merges(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        first = link_one(
            runtime, session, CTX, "hotel", 1, _record(runtime, "王芳", date(1980, 5, 17))
        )
        grey = link_one(runtime, session, CTX, "hotel", 2, _record(runtime, "Wang Fang", None))
    assert grey.review_item_id is not None and grey.person_id != first.person_id
    with runtime.unit_of_work() as session:
        queue = service.review_queue(session, CTX)
        assert [item.id for item in queue] == [grey.review_item_id]
        service.decide_review(session, CTX, grey.review_item_id, same_person=True)
    with runtime.unit_of_work() as session:
        links = session.scalars(select(RegistrationLink).order_by(RegistrationLink.id)).all()
        assert {link.person_id for link in links} == {first.person_id}
        assert session.get_one(ReviewItem, grey.review_item_id).status == "accepted"


def test_merge_then_split_restores_the_earlier_state_exactly(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        a = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            1,
            _record(runtime, "李娜", date(1992, 2, 2), "11010519491231002X"),
        )
        link_one(
            runtime,
            session,
            CTX,
            "hotel",
            2,
            _record(runtime, "李娜", date(1992, 2, 2), "11010519491231002X"),
        )
        b = link_one(
            runtime,
            session,
            CTX,
            "secondhand",
            3,
            _record(runtime, "Lee Na", date(1992, 2, 3), "360426199101010071"),
        )
        c = link_one(
            runtime, session, CTX, "venue", 4, _record(runtime, "Peter Smith", date(1960, 7, 7))
        )
    assert len({a.person_id, b.person_id, c.person_id}) == 3
    before = _state(runtime)
    with runtime.unit_of_work() as session:
        merge = service.merge_persons(
            session, CTX, a.person_id, b.person_id, "same passport photo on file"
        )
    merged = _state(runtime)
    assert merged != before
    assert {p for (_, _, _, p) in merged["links"]} == {a.person_id, c.person_id}
    with runtime.unit_of_work() as session:
        service.split_merge(session, CTX, merge.id)
    assert _state(runtime) == before
    with runtime.unit_of_work() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "person").order_by(AuditEntry.id)
        ).all()
        assert [
            (e.action, e.detail.get("merge"), e.detail.get("split_of_merge")) for e in entries
        ] == [
            ("combine", merge.id, None),
            ("alter", None, merge.id),
        ]
        assert session.get_one(PersonMerge, merge.id).split_by == "system"
        assert audit.verify(session, runtime.settings).intact


def test_split_twice_is_refused(runtime: Runtime) -> None:
    from vigil.core.errors import Conflict

    with runtime.unit_of_work() as session:
        a = link_one(
            runtime, session, CTX, "hotel", 1, _record(runtime, "Anna Schmidt", date(1970, 1, 1))
        )
        b = link_one(
            runtime, session, CTX, "hotel", 2, _record(runtime, "Bob Jones", date(1971, 1, 1))
        )
        merge = service.merge_persons(session, CTX, a.person_id, b.person_id)
        service.split_merge(session, CTX, merge.id)
    with pytest.raises(Conflict), runtime.unit_of_work() as session:
        service.split_merge(session, CTX, merge.id)


def test_namesakes_with_different_identity_numbers_stay_two_people(runtime: Runtime) -> None:
    with runtime.unit_of_work() as session:
        first = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            1,
            _record(runtime, "张伟", date(1980, 1, 1), "110105198001010016"),
        )
        other = link_one(
            runtime,
            session,
            CTX,
            "hotel",
            2,
            _record(runtime, "张伟", date(1980, 1, 1), "360426199101010071"),
        )
        unknown = link_one(
            runtime, session, CTX, "hotel", 3, _record(runtime, "张伟", date(1980, 1, 1))
        )
    assert first.person_id != other.person_id
    # without a number, the record fits both namesakes equally: a clerk decides
    assert unknown.method == "new" and unknown.review_item_id is not None
    assert unknown.person_id not in (first.person_id, other.person_id)
    with runtime.unit_of_work() as session:
        item = session.get_one(ReviewItem, unknown.review_item_id)
        assert item.candidate_person_id in (first.person_id, other.person_id)
        assert "a clerk must tell them apart" in item.explanation["ambiguous"]["detail"]


def test_a_common_name_finds_its_person_among_many_namesakes(runtime: Runtime) -> None:
    """Blocking by name key and birth date: the namesake born that day is found however
    many others share the name (they were filed first, so a name-only cut-off in filing
    order would miss it), as a scan of every person would."""
    key = service.primary_name_key("王伟")
    with runtime.unit_of_work() as session:
        for i in range(MAX_CANDIDATES + 50):
            born = date(1950, 1, 1) + timedelta(days=97 * i)
            session.add(Person(name="王伟", name_key=key, birth_date=born))
        session.flush()
        service.log_person_changes(session, session.scalars(select(Person.id)), "insert")
        target = link_one(
            runtime, session, CTX, "hotel", 1, _record(runtime, "王伟", date(1988, 6, 15))
        )
    assert target.method == "new"
    index = person_index_for(runtime)
    with runtime.unit_of_work() as session:
        index.catch_up(session)
        probe = _record(runtime, "Wang Wei", date(1988, 6, 15), "11010519880615001X")
        candidate = index.blocks.candidate(
            probe.name, probe.birth_date, probe.doc_type, probe.id_hash
        )
        expected = scan_all(session, probe)
        again = link_one(
            runtime, session, CTX, "venue", 2, _record(runtime, "Wang Wei", date(1988, 6, 15))
        )
        slipped = index.blocks.candidate("王伟", "1988-06-16", None, None)
    assert candidate is not None and expected is not None
    assert candidate.person_id == expected.person_id == target.person_id
    assert again.method == "probabilistic" and again.person_id == target.person_id
    assert slipped is not None and slipped.person_id == target.person_id  # for review
