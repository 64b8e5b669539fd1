"""A key rotation upgrades stored legacy 15-digit resident numbers to their 18-character
form, except where another person's document holds that form already: the registry has not
merged the two, so the legacy one is kept (under the new key) and the rotation goes on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from vigil.core.protect import IdentifierVault
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys
from vigil.registry import service as registry
from vigil.registry.models import Person, PersonDocument

pytestmark = pytest.mark.storage
LEGACY, UPGRADED = "110105491231002", "11010519491231002X"  # REFERENCE.md's example
OTHER_LEGACY, OTHER_UPGRADED = "110105500101003", "110105195001010039"


def _vaults() -> tuple[IdentifierVault, IdentifierVault]:
    old, new = generate_keys(), generate_keys()
    previous = (old["id_hash_key"], old["id_encryption_key"])
    return (
        IdentifierVault(*previous),
        IdentifierVault(new["id_hash_key"], new["id_encryption_key"], previous),
    )


def _person(old: IdentifierVault, number: str) -> Person:
    return Person(
        name="李四",
        documents=[
            PersonDocument(
                doc_type="cn_resident_id",
                id_hash=old.hash(number),
                id_ciphertext=old.encrypt(number),
            )
        ],
    )


@pytest.mark.parametrize("batch", [1, 10])
@pytest.mark.parametrize("filed_first", [True, False])
def test_rotation_keeps_a_legacy_number_that_another_person_holds_upgraded(
    runtime: Runtime, filed_first: bool, batch: int
) -> None:
    old, rotating = _vaults()
    order = [UPGRADED, LEGACY] if filed_first else [LEGACY, UPGRADED]
    with runtime.unit_of_work() as session:
        people = [_person(old, n) for n in [*order, OTHER_LEGACY]]
        session.add_all(people)
        session.flush()
        ids = {n: p.id for n, p in zip([*order, OTHER_LEGACY], people, strict=True)}
    cursor = 0
    while True:  # the other person's row re-keyed before or after, or in the same batch
        with runtime.unit_of_work() as session:
            done = registry.rekey_documents(session, rotating, cursor, batch)
        if done.last_id is None:
            break
        cursor = done.last_id
    with runtime.unit_of_work() as session:
        docs = {d.person_id: d for d in session.scalars(select(PersonDocument))}
        numbers = {pid: rotating.reveal(d.id_ciphertext) for pid, d in docs.items()}
        assert all(rotating.opens(d.id_ciphertext) for d in docs.values())
        assert all(d.id_hash == rotating.hash(numbers[pid]) for pid, d in docs.items())
    assert numbers[ids[UPGRADED]] == UPGRADED
    assert numbers[ids[LEGACY]] == LEGACY  # kept: its upgrade belongs to another person
    assert numbers[ids[OTHER_LEGACY]] == OTHER_UPGRADED  # nobody holds it: upgraded
