"""intake: drop the index on (organisation_id, ref)

Only the compliance record's count of check-outs without a check-in read it, and that count
is now a set difference over the business's filings (`EXCEPT`), which scans them once in
either database; PostgreSQL already preferred a hash anti-join over the index for it. The
index only cost every stored row one more B-tree insert.

Revision ID: 0014_intake_drop_org_ref_index
Revises: 0013_alert_hits
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_intake_drop_org_ref_index"
down_revision: str | Sequence[str] | None = "0013_alert_hits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_intake_submission_org_ref", table_name="intake_submission")


def downgrade() -> None:
    op.create_index("ix_intake_submission_org_ref", "intake_submission", ["organisation_id", "ref"])
