"""alerts in commit order, woken by NOTIFY; screening's queue of approved entries

- `alert.write_xact`: the transaction that wrote the alert, `pg_current_xact_id()` by default
  on PostgreSQL, so the live feed reads in commit order (`vigil.alerts.feed`). Alerts stored
  before this migration keep NULL: their transactions finished long ago, and the feed's id
  cursor covers them. On SQLite the column stays NULL, as its single writer commits in id
  order.
- PostgreSQL: a statement-level trigger sends `NOTIFY vigil_alert` from every transaction
  that inserts alerts. The notification is delivered when that transaction commits.
- `alert.submission_id` is indexed: the re-screen asks which registrations already have an
  alert for an entry.
- `screening_event`: typed events that screening raises for the top floor. The first is
  `watchlist_entry.approved`, which starts the retro-screen of stored registrations.

Revision ID: 0018_alert_order_and_rescreen
Revises: 0017_pipeline_set_based
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_alert_order_and_rescreen"
down_revision: str | Sequence[str] | None = "0017_pipeline_set_based"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITE_XACT_DEFAULT = "(pg_current_xact_id()::text::bigint)"

NOTIFY_FUNCTION = """
CREATE FUNCTION alert_notify_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vigil_alert', '');
    RETURN NULL;
END
$$
"""

NOTIFY_TRIGGER = """
CREATE TRIGGER alert_notify_inserted AFTER INSERT ON alert
FOR EACH STATEMENT EXECUTE FUNCTION alert_notify_inserted()
"""


def upgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "write_xact",
                sa.BigInteger(),
                nullable=True,
                server_default=sa.text(WRITE_XACT_DEFAULT) if postgres else None,
            )
        )
        batch_op.create_index("ix_alert_write_xact", ["write_xact"], unique=False)
        batch_op.create_index("ix_alert_submission_id", ["submission_id"], unique=False)
    if postgres:
        op.execute(NOTIFY_FUNCTION)
        op.execute(NOTIFY_TRIGGER)
    op.create_table(
        "screening_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_event")),
    )
    op.create_index("ix_screening_event_status_id", "screening_event", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_screening_event_status_id", table_name="screening_event")
    op.drop_table("screening_event")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER alert_notify_inserted ON alert")
        op.execute("DROP FUNCTION alert_notify_inserted()")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_submission_id")
        batch_op.drop_index("ix_alert_write_xact")
        batch_op.drop_column("write_xact")
