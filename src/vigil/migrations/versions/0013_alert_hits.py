"""alerts: one alert per record to review, holding every entry it matched

An alert held one watchlist entry, so a record that agreed with several listed namesakes
raised one alert each. It now holds all of them as `hits`, best first, each with its entry's
legal basis; the top-level entry and basis stay the best hit's. `confirmed_entry_id` is the
hit a "true hit" resolution confirmed. Existing alerts get their one entry as their one hit.

Revision ID: 0013_alert_hits
Revises: 0012_intake_org_check
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "0013_alert_hits"
down_revision: str | Sequence[str] | None = "0012_intake_org_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = {
    "postgresql": "jsonb_build_array(jsonb_build_object('entry_id', watchlist_entry_id, "
    "'score', score, 'legal_basis', legal_basis, 'explanation', explanation))",
    "sqlite": "json_array(json_object('entry_id', watchlist_entry_id, 'score', score, "
    "'legal_basis', legal_basis, 'explanation', json(explanation)))",
}


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hits", json_type, nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("confirmed_entry_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.alter_column("hits", server_default=None)
    dialect = op.get_context().dialect.name
    op.execute(f"UPDATE alert SET hits = {_BACKFILL[dialect]} WHERE watchlist_entry_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_column("confirmed_entry_id")
        batch_op.drop_column("hits")
