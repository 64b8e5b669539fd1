"""patrol: key places with opening hours, crowd counts per place and band, plans and their
published unit assignments (places, times and unit codes only; no person)

Revision ID: 0026_patrol_plans
Revises: 0030_chemical_sales
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0026_patrol_plans"
down_revision: str | Sequence[str] | None = "0030_chemical_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JsonDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("patrol_place", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_key", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("opening_hours", JsonDoc, nullable=False, server_default="[]")
        )
    op.create_table(
        "patrol_crowd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("count", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["patrol_place.id"], name=op.f("fk_patrol_crowd_place_id_patrol_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_crowd")),
        sa.UniqueConstraint("place_id", "weekday", "band", name=op.f("uq_patrol_crowd_place_id")),
    )
    op.create_index(op.f("ix_patrol_crowd_place_id"), "patrol_crowd", ["place_id"])
    op.create_table(
        "patrol_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.String(length=80), nullable=False),
        sa.Column("approved_by", sa.String(length=80), nullable=True),
        sa.Column("approved_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("published_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("document", JsonDoc, nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_patrol_plan_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_plan")),
    )
    op.create_index(op.f("ix_patrol_plan_organisation_id"), "patrol_plan", ["organisation_id"])
    op.create_table(
        "patrol_plan_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("first_start", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_end", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["patrol_plan.id"], name=op.f("fk_patrol_plan_unit_plan_id_patrol_plan")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_patrol_plan_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_plan_unit")),
        sa.UniqueConstraint("plan_id", "unit_id", name=op.f("uq_patrol_plan_unit_plan_id")),
    )
    op.create_index(op.f("ix_patrol_plan_unit_plan_id"), "patrol_plan_unit", ["plan_id"])
    op.create_index(op.f("ix_patrol_plan_unit_unit_id"), "patrol_plan_unit", ["unit_id"])


def downgrade() -> None:
    op.drop_table("patrol_plan_unit")
    op.drop_table("patrol_plan")
    op.drop_table("patrol_crowd")
    with op.batch_alter_table("patrol_place", schema=None) as batch_op:
        batch_op.drop_column("opening_hours")
        batch_op.drop_column("is_key")
