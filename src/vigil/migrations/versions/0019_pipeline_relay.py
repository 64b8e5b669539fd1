"""intake: the outbox records which events `vigil pipeline relay` published to JetStream

`relayed_at` marks each event once JetStream has acknowledged it. A mark per event, not a
high-water id: outbox ids are taken before commit, so a lower id can commit after a higher
one, and a cursor that had passed it would never relay it. The partial index holds only the
pending events still to relay, so the relay's query stays small whatever the backlog.

Revision ID: 0019_pipeline_relay
Revises: 0018_alert_order_and_rescreen
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0019_pipeline_relay"
down_revision: str | Sequence[str] | None = "0018_alert_order_and_rescreen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNRELAYED = "status = 'pending' AND relayed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("intake_outbox") as batch:
        batch.add_column(
            sa.Column("relayed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "ix_intake_outbox_unrelayed",
        "intake_outbox",
        ["id"],
        postgresql_where=sa.text(UNRELAYED),
        sqlite_where=sa.text(UNRELAYED),
    )


def downgrade() -> None:
    op.drop_index("ix_intake_outbox_unrelayed", table_name="intake_outbox")
    with op.batch_alter_table("intake_outbox") as batch:
        batch.drop_column("relayed_at")
