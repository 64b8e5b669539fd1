"""insider hardening: each audit entry carries its writer's seal (an HMAC under a key the
database does not hold). Entries written before have none: `vigil audit seal` seals them
once, after checking the log against its witnessed checkpoints. A legal basis carries its
scope (an agreement's data categories and cases). Staff may add a TOTP second factor. Emergency
reads await a supervisor's review.

Revision ID: 0031_insider_hardening
Revises: 0031_video_camera_asset
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0031_insider_hardening"
down_revision: str | Sequence[str] | None = "0031_video_camera_asset"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("mac", sa.String(length=96)))
    with op.batch_alter_table("legal_basis") as batch:
        batch.add_column(sa.Column("scope", vigil.core.db.JsonDoc))
    _scope_existing_agreements()
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=200)))
        batch.add_column(
            sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("totp_last_step", sa.Integer()))
    op.create_table(
        "emergency_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("first_read_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reviewer", sa.String(length=120)),
        sa.Column("reviewed_at", vigil.core.db.UtcDateTime(timezone=True)),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("alerted_at", vigil.core.db.UtcDateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_review")),
        sa.UniqueConstraint("reference", "actor", name=op.f("uq_emergency_review_reference")),
    )
    op.create_index(
        op.f("ix_emergency_review_organisation_id"), "emergency_review", ["organisation_id"]
    )
    op.create_index(op.f("ix_emergency_review_status"), "emergency_review", ["status"])


def _scope_existing_agreements() -> None:
    """An agreement signed before scopes keeps the categories it was signed for."""
    conn = op.get_bind()
    agreements = conn.execute(sa.text("SELECT id, categories FROM intel_agreement")).all()
    basis = sa.table(
        "legal_basis", sa.column("reference", sa.String), sa.column("scope", vigil.core.db.JsonDoc)
    )
    for agreement_id, categories in agreements:
        if isinstance(categories, str):
            categories = json.loads(categories)
        conn.execute(
            basis.update()
            .where(basis.c.reference == f"agreement:{agreement_id}")
            .values(scope={"categories": list(categories or ["clues"]), "cases": []})
        )


def downgrade() -> None:
    op.drop_table("emergency_review")
    with op.batch_alter_table("app_user") as batch:
        for column in ("totp_last_step", "totp_enabled", "totp_secret"):
            batch.drop_column(column)
    with op.batch_alter_table("legal_basis") as batch:
        batch.drop_column("scope")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("mac")
