"""taxii: the collections Vigil serves over TAXII 2.1, partner agencies' keys, the status of
their POSTs, and where each agency's pulls and pushes stand

Revision ID: 0031_taxii
Revises: 0028_insider
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0031_taxii"
down_revision: str | Sequence[str] | None = "0028_insider"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = vigil.core.db.UtcDateTime(timezone=True)
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def _org_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["organisation.id"], name=op.f(f"fk_{table}_{column}_organisation")
    )


def upgrade() -> None:
    op.create_table(
        "intel_taxii_collection",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("accepts_posts", sa.Boolean(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        _org_fk("intel_taxii_collection", "organisation_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_taxii_collection")),
    )
    op.create_index(
        op.f("ix_intel_taxii_collection_organisation_id"),
        "intel_taxii_collection",
        ["organisation_id"],
    )
    op.create_table(
        "intel_taxii_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT),
        _org_fk("intel_taxii_key", "organisation_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_taxii_key")),
        sa.UniqueConstraint("prefix", name=op.f("uq_intel_taxii_key_prefix")),
    )
    op.create_index(
        op.f("ix_intel_taxii_key_organisation_id"), "intel_taxii_key", ["organisation_id"]
    )
    op.create_table(
        "intel_taxii_status",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("principal", sa.String(length=120), nullable=False),
        sa.Column("request_timestamp", _AT, nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("report", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["intel_taxii_collection.id"],
            name=op.f("fk_intel_taxii_status_collection_id_intel_taxii_collection"),
        ),
        _org_fk("intel_taxii_status", "organisation_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_taxii_status")),
    )
    op.create_table(
        "intel_taxii_sync",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("server", sa.String(length=500), nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("added_after", sa.String(length=40)),
        sa.Column("last_at", _AT, nullable=False),
        sa.Column("last_by", sa.String(length=120), nullable=False),
        sa.Column("report", _JSON, nullable=False),
        _org_fk("intel_taxii_sync", "organisation_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_taxii_sync")),
        sa.UniqueConstraint(
            "organisation_id",
            "direction",
            "server",
            "collection",
            name=op.f("uq_intel_taxii_sync_organisation_id"),
        ),
    )
    op.create_index(
        op.f("ix_intel_taxii_sync_organisation_id"), "intel_taxii_sync", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_table("intel_taxii_sync")
    op.drop_table("intel_taxii_status")
    op.drop_table("intel_taxii_key")
    op.drop_table("intel_taxii_collection")
