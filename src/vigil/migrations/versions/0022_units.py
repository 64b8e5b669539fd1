"""units: the registry of teams and vehicles shared by patrol, alert dispatch and emergency
response, their AVL track and their assignments (no personal data)

Revision ID: 0022_units
Revises: 0020_patrol_places
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0022_units"
down_revision: str | Sequence[str] | None = "0020_patrol_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JsonDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("capabilities", JsonDoc, nullable=False),
        sa.Column("speed_kph", sa.Float(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("shift_start", sa.String(length=5), nullable=False),
        sa.Column("shift_end", sa.String(length=5), nullable=False),
        sa.Column("home_lat", sa.Float(), nullable=False),
        sa.Column("home_lon", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("position_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "code"),
    )
    op.create_index("ix_unit_organisation_id", "unit", ["organisation_id"], unique=False)
    op.create_index("ix_unit_status", "unit", ["status"], unique=False)
    op.create_table(
        "unit_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("received_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "recorded_at"),
    )
    op.create_table(
        "unit_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("released_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unit_assignment_subject", "unit_assignment", ["subject_type", "subject_id"])
    op.create_index("ix_unit_assignment_unit_id", "unit_assignment", ["unit_id"])


def downgrade() -> None:
    op.drop_index("ix_unit_assignment_unit_id", table_name="unit_assignment")
    op.drop_index("ix_unit_assignment_subject", table_name="unit_assignment")
    op.drop_table("unit_assignment")
    op.drop_table("unit_position")
    op.drop_index("ix_unit_status", table_name="unit")
    op.drop_index("ix_unit_organisation_id", table_name="unit")
    op.drop_table("unit")
