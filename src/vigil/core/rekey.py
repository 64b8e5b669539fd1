"""Re-keying stored values during an identity-key rotation (`vigil keys rotate`): each
domain re-keys its own tables, one batch at a time, with these helpers. A row is re-keyed
when the current key does not open its token; rows the current key opens (re-keyed already,
or written since the rotation began) are left alone, so a batch can be run again, and a
rotation resumes wherever it stopped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from vigil.core.protect import IdentifierVault


@dataclass(frozen=True)
class Rekeyed:
    """One batch: the last row id it read (None: no rows after the cursor) and how many it
    changed; `ids` are the changed rows' ids."""

    last_id: int | None
    changed: int
    ids: tuple[int, ...] = ()


def reencrypt_columns(
    session: Session,
    vault: IdentifierVault,
    table: Table,
    columns: Sequence[str],
    after_id: int,
    limit: int,
) -> Rekeyed:
    """Re-encrypt the token `columns` (values with no keyed hash beside them) of the rows
    after `after_id`, in id order."""
    rows = session.execute(
        select(table.c.id, *(table.c[c] for c in columns))
        .where(table.c.id > after_id)
        .order_by(table.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return Rekeyed(None, 0)
    changes: list[dict[str, Any]] = []
    for row in rows:
        new: dict[str, Any] = {}
        for name, token in zip(columns, row[1:], strict=True):
            if token:
                done = vault.rekey(token)
                if done is not None:
                    new[name] = done[1]
        if new:
            changes.append({"row_id": row.id, **{c: new.get(c, row._mapping[c]) for c in columns}})
    if changes:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: bindparam(c) for c in columns}),
            changes,
        )
    return Rekeyed(rows[-1].id, len(changes), tuple(c["row_id"] for c in changes))


def rekey_hashed(
    session: Session,
    vault: IdentifierVault,
    table: Table,
    hash_column: str,
    token_column: str,
    after_id: int,
    limit: int,
) -> Rekeyed:
    """Re-hash and re-encrypt a (keyed hash, token) pair of columns."""
    rows = session.execute(
        select(table.c.id, table.c[token_column])
        .where(table.c.id > after_id, table.c[token_column] != "")
        .order_by(table.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return Rekeyed(None, 0)
    changes = []
    for row_id, token in rows:
        done = vault.rekey(token) if token else None
        if done is not None:
            changes.append({"row_id": row_id, "new_hash": done[0], "new_token": done[1]})
    if changes:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({hash_column: bindparam("new_hash"), token_column: bindparam("new_token")}),
            changes,
        )
    return Rekeyed(rows[-1][0], len(changes), tuple(c["row_id"] for c in changes))


def rekey_persons_json(
    session: Session,
    vault: IdentifierVault,
    table: Table,
    record_column: str,
    hash_column: str,
    after_id: int,
    limit: int,
) -> Rekeyed:
    """Re-key the persons of a stored record (`record["persons"][i]` with `id_hash` and
    `id_ciphertext`), and the row's own `hash_column` where it held one of their hashes."""
    rows = session.execute(
        select(table.c.id, table.c[record_column], table.c[hash_column])
        .where(table.c.id > after_id)
        .order_by(table.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return Rekeyed(None, 0)
    changes = []
    for row_id, record, row_hash in rows:
        persons = (record or {}).get("persons") or []
        renamed: dict[str, str] = {}
        new_persons = []
        for person in persons:
            token = person.get("id_ciphertext")
            done = vault.rekey(token) if token else None
            if done is None:
                new_persons.append(person)
                continue
            if person.get("id_hash"):
                renamed[person["id_hash"]] = done[0]
            new_persons.append({**person, "id_hash": done[0], "id_ciphertext": done[1]})
        if renamed:
            changes.append(
                {
                    "row_id": row_id,
                    "new_record": {**record, "persons": new_persons},
                    "new_hash": renamed.get(row_hash, row_hash),
                }
            )
    if changes:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({record_column: bindparam("new_record"), hash_column: bindparam("new_hash")}),
            changes,
        )
    return Rekeyed(rows[-1][0], len(changes), tuple(c["row_id"] for c in changes))
