"""insider: outbox retries with a backoff (then a dead letter), and failed sign-ins for the
lockout

Revision ID: 0028_insider
Revises: 0024_infrastructure
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0028_insider"
down_revision: str | Sequence[str] | None = "0024_infrastructure"
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


def downgrade() -> None:
    op.drop_table("login_failure")
    with op.batch_alter_table("intake_outbox") as batch:
        batch.drop_column("retry_at")
