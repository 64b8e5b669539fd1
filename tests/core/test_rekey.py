"""The batch helpers of a key rotation (vigil.core.rekey), each on a table of its own shape:
a batch re-keys only what the previous key sealed, moves the cursor to the last row it read,
and a second pass over the same rows changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed, reencrypt_columns, rekey_hashed, rekey_persons_json
from vigil.core.settings import generate_keys

metadata = MetaData()
tokens = Table(
    "t_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("a", String),
    Column("b", String),
)
hashed = Table(
    "t_hashed",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("id_hash", String),
    Column("id_token", String),
)
records = Table(
    "t_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record", JSON),
    Column("person_hash", String),
)


def _vault(keys: dict[str, str], previous: dict[str, str] | None = None) -> IdentifierVault:
    old = (previous["id_hash_key"], previous["id_encryption_key"]) if previous else None
    return IdentifierVault(keys["id_hash_key"], keys["id_encryption_key"], old)


@pytest.fixture
def vaults() -> tuple[IdentifierVault, IdentifierVault, IdentifierVault]:
    """(the old keys' vault, the rotating vault, the new keys' vault alone)"""
    old_keys, new_keys = generate_keys(), generate_keys()
    return _vault(old_keys), _vault(new_keys, old_keys), _vault(new_keys)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def _all(session: Session, table: Table) -> list[Any]:
    return list(session.execute(select(table).order_by(table.c.id)).all())


def test_reencrypt_columns(session: Session, vaults: tuple[IdentifierVault, ...]) -> None:
    old, rotating, new = vaults
    session.execute(
        tokens.insert(),
        [
            {"id": 1, "a": old.encrypt("one"), "b": None},
            {"id": 2, "a": new.encrypt("two"), "b": old.encrypt("two-b")},
            {"id": 3, "a": new.encrypt("three"), "b": ""},  # current already
            {"id": 4, "a": old.encrypt("four"), "b": old.encrypt("four-b")},
        ],
    )
    first = reencrypt_columns(session, rotating, tokens, ["a", "b"], 0, 3)
    assert first == Rekeyed(3, 2, (1, 2))
    rest = reencrypt_columns(session, rotating, tokens, ["a", "b"], first.last_id or 0, 3)
    assert rest == Rekeyed(4, 1, (4,))
    assert reencrypt_columns(session, rotating, tokens, ["a", "b"], 4, 3) == Rekeyed(None, 0)
    rows = _all(session, tokens)
    assert [new.reveal(r.a) for r in rows] == ["one", "two", "three", "four"]
    assert [r.b and new.reveal(r.b) for r in rows] == [None, "two-b", "", "four-b"]
    assert reencrypt_columns(session, rotating, tokens, ["a", "b"], 0, 10) == Rekeyed(4, 0)


def test_rekey_hashed(session: Session, vaults: tuple[IdentifierVault, ...]) -> None:
    old, rotating, new = vaults
    session.execute(
        hashed.insert(),
        [
            {"id": 1, "id_hash": old.hash("X1"), "id_token": old.encrypt("X1")},
            {"id": 2, "id_hash": "", "id_token": ""},  # no identity number: not read
            {"id": 3, "id_hash": new.hash("X3"), "id_token": new.encrypt("X3")},
        ],
    )
    assert rekey_hashed(session, rotating, hashed, "id_hash", "id_token", 0, 10) == Rekeyed(
        3, 1, (1,)
    )
    rows = _all(session, hashed)
    assert rows[0].id_hash == new.hash("X1") and new.reveal(rows[0].id_token) == "X1"
    assert (rows[1].id_hash, rows[1].id_token) == ("", "")
    assert rekey_hashed(session, rotating, hashed, "id_hash", "id_token", 0, 10).changed == 0


def test_rekey_persons_json(session: Session, vaults: tuple[IdentifierVault, ...]) -> None:
    old, rotating, new = vaults

    def person(vault: IdentifierVault, number: str) -> dict[str, str]:
        return {
            "name": number,
            "id_hash": vault.hash(number),
            "id_ciphertext": vault.encrypt(number),
        }

    guest, companion = person(old, "G1"), person(old, "C1")
    session.execute(
        records.insert(),
        [
            {"id": 1, "record": {"persons": [guest, companion]}, "person_hash": guest["id_hash"]},
            {"id": 2, "record": {"persons": []}, "person_hash": None},
            {"id": 3, "record": {"persons": [person(new, "N1")]}, "person_hash": "other"},
        ],
    )
    batch = rekey_persons_json(session, rotating, records, "record", "person_hash", 0, 10)
    assert batch == Rekeyed(3, 1, (1,))
    row = _all(session, records)[0]
    assert [new.reveal(p["id_ciphertext"]) for p in row.record["persons"]] == ["G1", "C1"]
    assert [p["id_hash"] for p in row.record["persons"]] == [new.hash("G1"), new.hash("C1")]
    assert row.person_hash == new.hash("G1")
    assert _all(session, records)[2].person_hash == "other"
    again = rekey_persons_json(session, rotating, records, "record", "person_hash", 0, 10)
    assert again.changed == 0


LEGACY, UPGRADED = "110105491231002", "11010519491231002X"  # REFERENCE.md's example


def test_rekey_hashed_upgrades_legacy_resident_numbers(
    session: Session, vaults: tuple[IdentifierVault, ...]
) -> None:
    """A 15-digit number stored before numbers were kept in their 18-character form is
    re-hashed as its upgrade, even where the current key opens it, so it links again."""
    _, rotating, new = vaults
    session.execute(
        hashed.insert(),
        [
            {"id": 1, "id_hash": new.hash(LEGACY), "id_token": new.encrypt(LEGACY)},
            {"id": 2, "id_hash": new.hash(UPGRADED), "id_token": new.encrypt(UPGRADED)},
        ],
    )
    done = rekey_hashed(session, rotating, hashed, "id_hash", "id_token", 0, 10)
    assert done == Rekeyed(2, 1, (1,))
    rows = _all(session, hashed)
    assert rows[0].id_hash == rows[1].id_hash == new.hash(UPGRADED)
    assert new.reveal(rows[0].id_token) == UPGRADED
    assert rekey_hashed(session, rotating, hashed, "id_hash", "id_token", 0, 10).changed == 0


def test_rekey_persons_json_upgrades_only_resident_numbers(
    session: Session, vaults: tuple[IdentifierVault, ...]
) -> None:
    _, rotating, new = vaults
    resident = {
        "doc_type": "cn_resident_id",
        "id_hash": new.hash(LEGACY),
        "id_ciphertext": new.encrypt(LEGACY),
    }
    other = {"doc_type": "other", "id_hash": new.hash(LEGACY), "id_ciphertext": new.encrypt(LEGACY)}
    session.execute(
        records.insert(),
        [{"id": 1, "record": {"persons": [resident, other]}, "person_hash": resident["id_hash"]}],
    )
    batch = rekey_persons_json(session, rotating, records, "record", "person_hash", 0, 10)
    assert batch.changed == 1
    row = _all(session, records)[0]
    persons = row.record["persons"]
    assert persons[0]["id_hash"] == new.hash(UPGRADED) == row.person_hash
    assert new.reveal(persons[0]["id_ciphertext"]) == UPGRADED
    assert persons[1]["id_hash"] == new.hash(LEGACY)
