"""insider: outbox retries with a backoff (then a dead letter), failed sign-ins for the
lockout, revocable refresh tokens, what a case basis may read, and the scope of sharing
agreements (expiry, data categories)

Revision ID: 0028_insider
Revises: 0026_patrol_plans
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0028_insider"
down_revision: str | Sequence[str] | None = "0026_patrol_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intake_outbox") as batch:
        batch.add_column(sa.Column("retry_at", vigil.core.db.UtcDateTime(timezone=True)))
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    for column in ("username", "source", "at"):
        op.create_index(op.f(f"ix_login_failure_{column}"), "login_failure", [column])
    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", vigil.core.db.UtcDateTime(timezone=True)),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_refresh_token_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_token_token_hash")),
    )
    op.create_index(op.f("ix_refresh_token_user_id"), "refresh_token", ["user_id"])
    op.create_table(
        "legal_basis_subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("linked_by", sa.String(length=120), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_basis_subject")),
        sa.UniqueConstraint(
            "reference",
            "subject_type",
            "subject_id",
            name=op.f("uq_legal_basis_subject_reference"),
        ),
    )
    op.create_index(op.f("ix_legal_basis_subject_reference"), "legal_basis_subject", ["reference"])
    with op.batch_alter_table("intel_agreement") as batch:
        batch.add_column(sa.Column("expires_at", vigil.core.db.UtcDateTime(timezone=True)))
        batch.add_column(
            sa.Column("categories", sa.JSON(), nullable=False, server_default='["clues"]')
        )
        batch.add_column(
            sa.Column("covers_clues", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    op.drop_table("refresh_token")
    op.drop_table("legal_basis_subject")
    with op.batch_alter_table("intel_agreement") as batch:
        batch.drop_column("covers_clues")
        batch.drop_column("categories")
        batch.drop_column("expires_at")
    op.drop_table("login_failure")
    with op.batch_alter_table("intake_outbox") as batch:
        batch.drop_column("retry_at")
