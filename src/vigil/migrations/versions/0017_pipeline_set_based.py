"""pipeline: real submission ids and positions, the person change log, idempotent alerts

- The pipeline stored `submission_id * 100 + position` as a registration link's and review
  item's submission id, with position 0. Existing rows are rewritten: a stored value v
  becomes submission v // 100 at position v % 100. Review items get a `position` column and
  one item per (sector, submission, position).
- `person_change`: one row per person inserted, changed, merged, split or pseudonymised, in
  the same transaction; in-memory person indexes catch up from it.
- `alert.source_key`: what raised the alert (source event, record, owning agency), unique,
  so an event processed twice raises its alerts once.

Revision ID: 0017_pipeline_set_based
Revises: 0016_audit_transparency_log
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0017_pipeline_set_based"
down_revision: str | Sequence[str] | None = "0016_audit_transparency_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # both SET expressions read the old value (standard SQL; SQLite too); integer division
    op.execute(
        "UPDATE registration_link SET position = submission_id % 100, "
        "submission_id = submission_id / 100"
    )
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.execute(
        "UPDATE review_item SET position = submission_id % 100, submission_id = submission_id / 100"
    )
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.alter_column("position", server_default=None)
        batch_op.create_unique_constraint(
            batch_op.f("uq_review_item_sector"), ["sector", "submission_id", "position"]
        )
    op.create_table(
        "person_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_change")),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_alert_source_key"), ["source_key"])


def downgrade() -> None:
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_alert_source_key"), type_="unique")
        batch_op.drop_column("source_key")
    op.drop_table("person_change")
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_review_item_sector"), type_="unique")
    op.execute("UPDATE review_item SET submission_id = submission_id * 100 + position")
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_column("position")
    op.execute("UPDATE registration_link SET submission_id = submission_id * 100 + position")
    op.execute("UPDATE registration_link SET position = 0")
