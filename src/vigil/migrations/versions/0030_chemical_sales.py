"""chemical sales: the versioned catalogue of explosive precursors, and screening's ledger
of filed precursor purchases that the cumulative and mixture rules read

Revision ID: 0030_chemical_sales
Revises: 0025_video
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0030_chemical_sales"
down_revision: str | Sequence[str] | None = "0025_video"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "precursor_substance",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("substance_id", sa.String(length=60), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("cas", sa.String(length=12), nullable=False),
        sa.Column("synonyms", Json, nullable=False),
        sa.Column("lists", Json, nullable=False),
        sa.Column("restricted_above_pct", sa.Float(), nullable=True),
        sa.Column("licence_upper_pct", sa.Float(), nullable=True),
        sa.Column("cumulative_pure_kg", sa.Float(), nullable=True),
        sa.Column("large_quantity_kg", sa.Float(), nullable=True),
        sa.Column("mixture_role", sa.String(length=10), nullable=False),
        sa.Column("verification", sa.Text(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("extra", Json, nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_precursor_substance")),
    )
    op.create_index("ix_precursor_substance_substance_id", "precursor_substance", ["substance_id"])
    op.create_table(
        "screening_precursor_purchase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("buyer_key", sa.String(length=80), nullable=False),
        sa.Column("substance_id", sa.String(length=60), nullable=False),
        sa.Column("sold_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("quantity_kg", sa.Float(), nullable=False),
        sa.Column("pure_kg", sa.Float(), nullable=False),
        sa.Column("concentration_pct", sa.Float(), nullable=False),
        sa.Column("payment", sa.String(length=10), nullable=False),
        sa.Column("stated_use", sa.String(length=20), nullable=False),
        sa.Column("seller", sa.String(length=30), nullable=False),
        sa.Column("recorded_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_precursor_purchase")),
        sa.UniqueConstraint(
            "submission_id", name=op.f("uq_screening_precursor_purchase_submission_id")
        ),
    )
    op.create_index(
        "ix_screening_precursor_purchase_buyer_at",
        "screening_precursor_purchase",
        ["buyer_key", "sold_at"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_screening_precursor_purchase_buyer_at", table_name="screening_precursor_purchase"
    )
    op.drop_table("screening_precursor_purchase")
    op.drop_index("ix_precursor_substance_substance_id", table_name="precursor_substance")
    op.drop_table("precursor_substance")
