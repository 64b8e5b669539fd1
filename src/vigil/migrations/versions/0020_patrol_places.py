"""patrol: crowded places that patrols cover (no personal data)

Revision ID: 0020_patrol_places
Revises: 0019_pipeline_relay
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0020_patrol_places"
down_revision: str | Sequence[str] | None = "0019_pipeline_relay"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patrol_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("h3_cell", sa.String(length=20), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_patrol_place_organisation_id", "patrol_place", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_patrol_place_organisation_id", table_name="patrol_place")
    op.drop_table("patrol_place")
