"""intake submissions, outbox, idempotency keys, batch counts

Revision ID: 0002_intake
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0002_intake"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "intake_submission",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("row_key", sa.String(length=64), nullable=False),
        sa.Column("event_kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("event_time", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("filed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("record", Json, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intake_submission_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_submission")),
        sa.UniqueConstraint("row_key", name=op.f("uq_intake_submission_row_key")),
    )
    op.create_index(
        "ix_intake_submission_org_sector_id",
        "intake_submission",
        ["organisation_id", "sector", "id"],
    )
    op.create_index("ix_intake_submission_org_ref", "intake_submission", ["organisation_id", "ref"])
    op.create_index("ix_intake_submission_event_time", "intake_submission", ["event_time"])
    op.create_index(op.f("ix_intake_submission_id_hash"), "intake_submission", ["id_hash"])
    op.create_table(
        "intake_outbox",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("submission_id", BigId, nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_outbox")),
    )
    op.create_index("ix_intake_outbox_status_id", "intake_outbox", ["status", "id"])
    op.create_table(
        "intake_request",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("submission_ids", Json, nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intake_request_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_request")),
        sa.UniqueConstraint(
            "organisation_id",
            "idempotency_key",
            name=op.f("uq_intake_request_organisation_id"),
        ),
    )
    op.create_table(
        "intake_batch",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("first_id", BigId, nullable=True),
        sa.Column("last_id", BigId, nullable=True),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intake_batch_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_batch")),
    )
    op.create_index("ix_intake_batch_org", "intake_batch", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_intake_batch_org", table_name="intake_batch")
    op.drop_table("intake_batch")
    op.drop_table("intake_request")
    op.drop_index("ix_intake_outbox_status_id", table_name="intake_outbox")
    op.drop_table("intake_outbox")
    op.drop_index(op.f("ix_intake_submission_id_hash"), table_name="intake_submission")
    op.drop_index("ix_intake_submission_event_time", table_name="intake_submission")
    op.drop_index("ix_intake_submission_org_ref", table_name="intake_submission")
    op.drop_index("ix_intake_submission_org_sector_id", table_name="intake_submission")
    op.drop_table("intake_submission")
