"""intake: drop the unused index on intake_submission.id_hash

Registrations are found by person through the registry's links, never by this column; the
index only slowed every insert.

Revision ID: 0010_intake_drop_id_hash_index
Revises: 0009_merge_domains
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_intake_drop_id_hash_index"
down_revision: str | Sequence[str] | None = "0009_merge_domains"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_intake_submission_id_hash", table_name="intake_submission")


def downgrade() -> None:
    op.create_index("ix_intake_submission_id_hash", "intake_submission", ["id_hash"])
