"""analytics: the incident table (places and times, no person fields)

Revision ID: 0005_analytics
Revises: 0001_foundation
Create Date: 2026-11-23 10:00:16.801712
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0005_analytics"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=True),
        sa.Column("window_start", sa.DateTime(), nullable=True),
        sa.Column("window_end", sa.DateTime(), nullable=True),
        sa.Column("utc_offset_min", sa.SmallInteger(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("h3", sa.String(length=16), nullable=False),
        sa.Column("place_type", sa.String(length=20), nullable=True),
        sa.Column("severity", sa.SmallInteger(), nullable=True),
        sa.Column("killed", sa.Integer(), nullable=False),
        sa.Column("injured", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_incident_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint(
            "organisation_id", "incident_id", name=op.f("uq_incident_organisation_id")
        ),
    )
    op.create_index(op.f("ix_incident_h3"), "incident", ["h3"], unique=False)
    op.create_index(
        "ix_incident_organisation_id_type", "incident", ["organisation_id", "type"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_incident_organisation_id_type", table_name="incident")
    op.drop_index(op.f("ix_incident_h3"), table_name="incident")
    op.drop_table("incident")
