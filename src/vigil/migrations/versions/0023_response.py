"""response: emergency incidents (caller details only as ciphertext), their append-only
timeline, the shared registry's units sent to them, and published CAP 1.2 warnings

Revision ID: 0023_response
Revises: 0022_units
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0023_response"
down_revision: str | Sequence[str] | None = "0022_units"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# On PostgreSQL the timeline refuses UPDATE and DELETE (TRUNCATE, for tests, still works).
APPEND_ONLY_FUNCTION = """
CREATE FUNCTION response_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'response_timeline is append-only';
END;
$$ LANGUAGE plpgsql
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER response_timeline_append_only
BEFORE UPDATE OR DELETE ON response_timeline
FOR EACH ROW EXECUTE FUNCTION response_timeline_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "response_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("capability", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("source_key", sa.String(length=120), nullable=False),
        sa.Column("caller_name_ciphertext", sa.Text(), nullable=True),
        sa.Column("caller_phone_ciphertext", sa.Text(), nullable=True),
        sa.Column("caller_cleared", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("on_scene_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("last_escalation", sa.String(length=20), nullable=True),
        sa.Column("escalated_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_response_incident_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_incident")),
        sa.UniqueConstraint(
            "organisation_id",
            "source",
            "source_key",
            name=op.f("uq_response_incident_organisation_id"),
        ),
    )
    with op.batch_alter_table("response_incident", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_incident_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_response_incident_status"), ["status"], unique=False)

    op.create_table(
        "response_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=False),
        sa.Column("assigned_by", sa.String(length=120), nullable=False),
        sa.Column("assigned_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["response_incident.id"],
            name=op.f("fk_response_assignment_incident_id_response_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_assignment")),
        sa.UniqueConstraint(
            "incident_id", "unit_id", name=op.f("uq_response_assignment_incident_id")
        ),
    )
    with op.batch_alter_table("response_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_assignment_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "response_timeline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("detail", Json, nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["response_incident.id"],
            name=op.f("fk_response_timeline_incident_id_response_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_timeline")),
    )
    with op.batch_alter_table("response_timeline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_timeline_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "response_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("msg_type", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("headline", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sent", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["response_incident.id"],
            name=op.f("fk_response_warning_incident_id_response_incident"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_response_warning_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_warning")),
        sa.UniqueConstraint("identifier", name=op.f("uq_response_warning_identifier")),
    )
    with op.batch_alter_table("response_warning", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_warning_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_response_warning_organisation_id"), ["organisation_id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_FUNCTION)
        op.execute(APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS response_timeline_append_only ON response_timeline")
        op.execute("DROP FUNCTION IF EXISTS response_timeline_append_only()")
    with op.batch_alter_table("response_warning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_warning_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_response_warning_incident_id"))

    op.drop_table("response_warning")
    with op.batch_alter_table("response_timeline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_timeline_incident_id"))

    op.drop_table("response_timeline")
    with op.batch_alter_table("response_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_assignment_incident_id"))

    op.drop_table("response_assignment")
    with op.batch_alter_table("response_incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_incident_status"))
        batch_op.drop_index(batch_op.f("ix_response_incident_organisation_id"))

    op.drop_table("response_incident")
