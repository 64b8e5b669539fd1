"""Re-keying stored values during an identity-key rotation (`vigil keys rotate`): each
domain re-keys its own tables, one batch at a time, with these helpers. A row is re-keyed
when the current key does not open its token; rows the current key opens (re-keyed already,
or written since the rotation began) are left alone, so a batch can be run again, and a
rotation resumes wherever it stopped.

The same pass upgrades CN resident numbers stored in the legacy 15-digit form (before
`validate_cn_resident_id` returned the 18-character form) and re-hashes them, so that
existing rows link to numbers filed since."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, bindparam, select, update
from sqlalchemy.orm import Session

from vigil.core.ids import legacy_cn_id_upgraded
from vigil.core.protect import IdentifierVault

RESIDENT_DOC_TYPE = "cn_resident_id"  # a stored person's `doc_type` for a CN resident number

_Row = Row[*tuple[Any, ...]]  # a row of any columns


@dataclass(frozen=True)
class Rekeyed:
    """One batch: the last row id it read (None: no rows after the cursor) and how many it
    changed; `ids` are the changed rows' ids."""

    last_id: int | None
    changed: int
    ids: tuple[int, ...] = ()


def _rekey_batch(
    session: Session,
    table: Table,
    read: Sequence[ColumnElement[Any]],
    after_id: int,
    limit: int,
    change: Callable[[_Row], dict[str, Any] | None],
    sets: Mapping[str, str],
    *where: ColumnElement[bool],
) -> Rekeyed:
    """One batch: read `read` (after the id) of up to `limit` rows after `after_id` in id
    order, `where` they match; `change` gives a row's new values as bound parameters (None:
    nothing to change), and one executemany sets each column of `sets` to its parameter."""
    rows = session.execute(
        select(table.c.id, *read)
        .where(table.c.id > after_id, *where)
        .order_by(table.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return Rekeyed(None, 0)
    changes = [{"row_id": row.id, **new} for row in rows if (new := change(row)) is not None]
    if changes:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({column: bindparam(param) for column, param in sets.items()}),
            changes,
        )
    return Rekeyed(rows[-1].id, len(changes), tuple(c["row_id"] for c in changes))


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

    def change(row: _Row) -> dict[str, Any] | None:
        new: dict[str, Any] = {}
        for name, token in zip(columns, row[1:], strict=True):
            if token:
                done = vault.rekey(token)
                if done is not None:
                    new[name] = done[1]
        return {c: new.get(c, row._mapping[c]) for c in columns} if new else None

    read = [table.c[c] for c in columns]
    return _rekey_batch(session, table, read, after_id, limit, change, {c: c for c in columns})


def rekey_hashed(
    session: Session,
    vault: IdentifierVault,
    table: Table,
    hash_column: str,
    token_column: str,
    after_id: int,
    limit: int,
    *,
    resident_ids: tuple[str, str] | None = None,
    upgrade: Callable[[str], str | None] = legacy_cn_id_upgraded,
) -> Rekeyed:
    """Re-hash and re-encrypt a (keyed hash, token) pair of columns. `resident_ids`: the
    (column, value) that marks a CN resident number; None: every value is one. Those
    numbers still stored in the legacy 15-digit form are upgraded (`upgrade`: by default to
    their 18-character form, `IdentifierVault.rekey`), so that they link to numbers filed
    since."""

    def change(row: _Row) -> dict[str, Any] | None:
        token = row[1]
        resident = resident_ids is None or row[2] == resident_ids[1]
        done = vault.rekey(token, upgrade if resident else None) if token else None
        return None if done is None else {"new_hash": done[0], "new_token": done[1]}

    token = table.c[token_column]
    read = [token] + ([table.c[resident_ids[0]]] if resident_ids is not None else [])
    sets = {hash_column: "new_hash", token_column: "new_token"}
    return _rekey_batch(session, table, read, after_id, limit, change, sets, token != "")


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
    `id_ciphertext`), and the row's own `hash_column` where it held one of their hashes. A
    person with a ciphertext but no hash keeps no hash: a rotation adds no linkage. A CN
    resident number still in its legacy 15-digit form is upgraded (see `rekey_hashed`)."""

    def change(row: _Row) -> dict[str, Any] | None:
        _, record, row_hash = row
        persons = (record or {}).get("persons") or []
        renamed: dict[str, str] = {}
        new_persons = []
        rekeyed = False
        for person in persons:
            token = person.get("id_ciphertext")
            upgrade = legacy_cn_id_upgraded if person.get("doc_type") == RESIDENT_DOC_TYPE else None
            done = vault.rekey(token, upgrade) if token else None
            if done is None:
                new_persons.append(person)
                continue
            rekeyed = True
            new_person = {**person, "id_ciphertext": done[1]}
            if person.get("id_hash"):
                new_person["id_hash"] = done[0]
                renamed[person["id_hash"]] = done[0]
            new_persons.append(new_person)
        if not rekeyed:
            return None
        return {
            "new_record": {**record, "persons": new_persons},
            "new_hash": renamed.get(row_hash, row_hash),
        }

    read = [table.c[record_column], table.c[hash_column]]
    sets = {record_column: "new_record", hash_column: "new_hash"}
    return _rekey_batch(session, table, read, after_id, limit, change, sets)
