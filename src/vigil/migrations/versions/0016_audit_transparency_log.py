"""audit: the hash chain becomes a Merkle transparency log with no global lock

`audit_log` gains an insertion `id` (its key); `seq` becomes the sequence number the sequencer
gives (NULL while an entry awaits it) and `hash` the entry's RFC 9162 leaf hash. The old chain's
entries keep their seq and become the first leaves: each one's entry bytes are its old canonical
JSON, `prev_hash` included, so the leaf commits to exactly what the chain hashed. Their tree goes
into the new `audit_tile` table. `audit_head` (the lock every writer queued on) is dropped.
The old HMAC checkpoints sign a chain head that no longer exists, so `audit_checkpoint` is
recreated for signed notes; the sequencer's first run signs one over the converted entries.

Revision ID: 0016_audit_transparency_log
Revises: 0015_registry_name_birth_index
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import vigil.core.db
from vigil.core.clock import as_utc
from vigil.governance import tlog

revision: str = "0016_audit_transparency_log"
down_revision: str | Sequence[str] | None = "0015_registry_name_birth_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
FIELDS = tlog.ENTRY_FIELDS


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.drop_table("audit_head")
    op.drop_table("audit_checkpoint")
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("size", BIG, nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoint")),
    )
    op.create_index(op.f("ix_audit_checkpoint_size"), "audit_checkpoint", ["size"])
    op.create_table(
        "audit_cosignature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("witness", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["audit_checkpoint.id"],
            name=op.f("fk_audit_cosignature_checkpoint_id_audit_checkpoint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_cosignature")),
        sa.UniqueConstraint(
            "checkpoint_id", "witness", name=op.f("uq_audit_cosignature_checkpoint_id")
        ),
    )
    op.create_table(
        "audit_tile",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", BIG, autoincrement=False, nullable=False),
        sa.Column("hashes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx", name=op.f("pk_audit_tile")),
    )

    op.rename_table("audit_log", "audit_chain")
    if postgres:
        op.execute("ALTER TABLE audit_chain RENAME CONSTRAINT pk_audit_log TO pk_audit_chain")
    op.create_table(
        "audit_log",
        sa.Column("id", BIG, nullable=False),
        sa.Column("seq", BIG, nullable=True),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("legal_basis", sa.String(length=120), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_log_seq")),
    )
    op.create_index(
        "ix_audit_log_pending",
        "audit_log",
        ["id"],
        postgresql_where=sa.text("seq IS NULL"),
        sqlite_where=sa.text("seq IS NULL"),
    )
    _convert_chain(bind)
    op.drop_table("audit_chain")
    if postgres:
        op.execute(
            "SELECT setval(pg_get_serial_sequence('audit_log', 'id'),"
            " COALESCE((SELECT max(id) FROM audit_log), 0) + 1, false)"
        )


def _convert_chain(bind: Any, batch: int = 20_000) -> None:
    """Copy the chain's entries in seq order, each with its leaf hash, and build their tiles."""
    chain = sa.table("audit_chain", *(_column(c) for c in (*FIELDS, "prev_hash")))
    log = sa.table("audit_log", *(_column(c) for c in ("id", *FIELDS, "prev_hash", "hash")))
    tiles: dict[tuple[int, int], bytes] = {}
    size, last = 0, 0
    while True:
        rows = bind.execute(
            sa.select(chain).where(chain.c.seq > last).order_by(chain.c.seq).limit(batch)
        ).all()
        if not rows:
            break
        values, leaves = [], []
        for row in rows:
            doc: dict[str, Any] = {name: getattr(row, name) for name in FIELDS}
            doc["at"] = as_utc(row.at).isoformat()
            doc["detail"] = row.detail or {}
            doc["prev_hash"] = row.prev_hash
            leaf = tlog.entry_leaf(doc)
            leaves.append(leaf)
            values.append(
                {
                    **{name: getattr(row, name) for name in FIELDS},
                    "id": row.seq,
                    "detail": row.detail or {},
                    "prev_hash": row.prev_hash,
                    "hash": leaf.hex(),
                }
            )
        bind.execute(sa.insert(log), values)
        tiles.update(tlog.integrate_tiles(size, leaves, lambda lv, ix: tiles.get((lv, ix), b"")))
        size += len(rows)
        last = rows[-1].seq
    if tiles:
        tile = sa.table("audit_tile", sa.column("level"), sa.column("idx"), sa.column("hashes"))
        bind.execute(
            sa.insert(tile),
            [{"level": lv, "idx": ix, "hashes": data} for (lv, ix), data in tiles.items()],
        )


def _column(name: str) -> Any:
    types: dict[str, Any] = {"at": vigil.core.db.UtcDateTime(timezone=True), "detail": JSON}
    return sa.column(name, types.get(name))


def downgrade() -> None:
    raise NotImplementedError("the audit log cannot go back to a hash chain")
