"""intel: clues, entities, cases, sharing, tips, rewards, volunteers

Revision ID: 0003_intel
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0003_intel"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    #
    op.create_table(
        "intel_entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_entity")),
        sa.UniqueConstraint("kind", "key", name="uq_intel_entity_kind_key"),
    )
    op.create_table(
        "intel_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_org_id", sa.Integer(), nullable=False),
        sa.Column("to_org_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("max_tlp", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_org_id"],
            ["organisation.id"],
            name=op.f("fk_intel_agreement_from_org_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["to_org_id"],
            ["organisation.id"],
            name=op.f("fk_intel_agreement_to_org_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_agreement")),
    )
    op.create_index(
        op.f("ix_intel_agreement_from_org_id"), "intel_agreement", ["from_org_id"], unique=False
    )
    op.create_index(
        op.f("ix_intel_agreement_to_org_id"), "intel_agreement", ["to_org_id"], unique=False
    )
    op.create_table(
        "intel_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("opened_from", sa.String(length=10), nullable=False),
        sa.Column("source_ref", sa.String(length=80), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("stix_id", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intel_case_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_case")),
        sa.UniqueConstraint("stix_id", name=op.f("uq_intel_case_stix_id")),
    )
    op.create_index(
        op.f("ix_intel_case_organisation_id"), "intel_case", ["organisation_id"], unique=False
    )
    op.create_table(
        "intel_clue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("tlp", sa.String(length=12), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("stix_id", sa.String(length=80), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by"],
            ["organisation.id"],
            name=op.f("fk_intel_clue_imported_by_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intel_clue_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_clue")),
        sa.UniqueConstraint("stix_id", name=op.f("uq_intel_clue_stix_id")),
    )
    op.create_index(
        op.f("ix_intel_clue_organisation_id"), "intel_clue", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_intel_clue_tlp"), "intel_clue", ["tlp"], unique=False)
    op.create_table(
        "intel_volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column(
            "skills",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "availability",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intel_volunteer_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_volunteer")),
    )
    op.create_index(
        op.f("ix_intel_volunteer_organisation_id"),
        "intel_volunteer",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "intel_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clue_id"],
            ["intel_clue.id"],
            name=op.f("fk_intel_attachment_clue_id_intel_clue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_attachment")),
    )
    op.create_index(
        op.f("ix_intel_attachment_clue_id"), "intel_attachment", ["clue_id"], unique=False
    )
    op.create_table(
        "intel_case_assignee",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["intel_case.id"],
            name=op.f("fk_intel_case_assignee_case_id_intel_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_intel_case_assignee_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_intel_case_assignee")),
    )
    op.create_table(
        "intel_case_clue",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["intel_case.id"],
            name=op.f("fk_intel_case_clue_case_id_intel_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clue_id"],
            ["intel_clue.id"],
            name=op.f("fk_intel_case_clue_clue_id_intel_clue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "clue_id", name=op.f("pk_intel_case_clue")),
    )
    op.create_index(
        op.f("ix_intel_case_clue_clue_id"), "intel_case_clue", ["clue_id"], unique=False
    )
    op.create_table(
        "intel_case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["intel_case.id"],
            name=op.f("fk_intel_case_event_case_id_intel_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_case_event")),
    )
    op.create_index(
        op.f("ix_intel_case_event_case_id"), "intel_case_event", ["case_id"], unique=False
    )
    op.create_table(
        "intel_case_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("assignee_user_id", sa.Integer(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_user_id"],
            ["app_user.id"],
            name=op.f("fk_intel_case_task_assignee_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["intel_case.id"],
            name=op.f("fk_intel_case_task_case_id_intel_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_case_task")),
    )
    op.create_index(
        op.f("ix_intel_case_task_case_id"), "intel_case_task", ["case_id"], unique=False
    )
    op.create_table(
        "intel_clue_entity",
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clue_id"],
            ["intel_clue.id"],
            name=op.f("fk_intel_clue_entity_clue_id_intel_clue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["intel_entity.id"],
            name=op.f("fk_intel_clue_entity_entity_id_intel_entity"),
        ),
        sa.PrimaryKeyConstraint("clue_id", "entity_id", name=op.f("pk_intel_clue_entity")),
    )
    op.create_index(
        op.f("ix_intel_clue_entity_entity_id"), "intel_clue_entity", ["entity_id"], unique=False
    )
    op.create_table(
        "intel_share_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("requester_org_id", sa.Integer(), nullable=False),
        sa.Column("recipient_org_id", sa.Integer(), nullable=False),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clue_id"],
            ["intel_clue.id"],
            name=op.f("fk_intel_share_request_clue_id_intel_clue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_org_id"],
            ["organisation.id"],
            name=op.f("fk_intel_share_request_recipient_org_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"],
            ["app_user.id"],
            name=op.f("fk_intel_share_request_recipient_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_org_id"],
            ["organisation.id"],
            name=op.f("fk_intel_share_request_requester_org_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_share_request")),
    )
    op.create_index(
        op.f("ix_intel_share_request_clue_id"), "intel_share_request", ["clue_id"], unique=False
    )
    op.create_table(
        "intel_tip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("h3_cell", sa.String(length=20), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("clue_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clue_id"], ["intel_clue.id"], name=op.f("fk_intel_tip_clue_id_intel_clue")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_intel_tip_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_tip")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_intel_tip_receipt_hash")),
    )
    op.create_table(
        "intel_volunteer_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=200), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("assigned_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["intel_volunteer.id"],
            name=op.f("fk_intel_volunteer_assignment_volunteer_id_intel_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_volunteer_assignment")),
    )
    op.create_index(
        op.f("ix_intel_volunteer_assignment_volunteer_id"),
        "intel_volunteer_assignment",
        ["volunteer_id"],
        unique=False,
    )
    op.create_table(
        "intel_reward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("approved_by", sa.String(length=120), nullable=True),
        sa.Column("approved_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("paid_at", vigil.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"], ["intel_tip.id"], name=op.f("fk_intel_reward_tip_id_intel_tip")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_reward")),
    )
    op.create_index(op.f("ix_intel_reward_tip_id"), "intel_reward", ["tip_id"], unique=False)
    op.create_table(
        "intel_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clue_id", sa.Integer(), nullable=False),
        sa.Column("recipient_org_id", sa.Integer(), nullable=False),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("shared_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["intel_agreement.id"],
            name=op.f("fk_intel_share_agreement_id_intel_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["clue_id"],
            ["intel_clue.id"],
            name=op.f("fk_intel_share_clue_id_intel_clue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_org_id"],
            ["organisation.id"],
            name=op.f("fk_intel_share_recipient_org_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"],
            ["app_user.id"],
            name=op.f("fk_intel_share_recipient_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["intel_share_request.id"],
            name=op.f("fk_intel_share_request_id_intel_share_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_share")),
    )
    op.create_index(op.f("ix_intel_share_clue_id"), "intel_share", ["clue_id"], unique=False)
    op.create_index(
        op.f("ix_intel_share_recipient_org_id"), "intel_share", ["recipient_org_id"], unique=False
    )
    op.create_index(
        op.f("ix_intel_share_recipient_user_id"), "intel_share", ["recipient_user_id"], unique=False
    )
    op.create_table(
        "intel_tip_addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tip_id"],
            ["intel_tip.id"],
            name=op.f("fk_intel_tip_addendum_tip_id_intel_tip"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_tip_addendum")),
    )
    op.create_index(
        op.f("ix_intel_tip_addendum_tip_id"), "intel_tip_addendum", ["tip_id"], unique=False
    )
    #


def downgrade() -> None:
    #
    op.drop_index(op.f("ix_intel_tip_addendum_tip_id"), table_name="intel_tip_addendum")
    op.drop_table("intel_tip_addendum")
    op.drop_index(op.f("ix_intel_share_recipient_user_id"), table_name="intel_share")
    op.drop_index(op.f("ix_intel_share_recipient_org_id"), table_name="intel_share")
    op.drop_index(op.f("ix_intel_share_clue_id"), table_name="intel_share")
    op.drop_table("intel_share")
    op.drop_index(op.f("ix_intel_reward_tip_id"), table_name="intel_reward")
    op.drop_table("intel_reward")
    op.drop_index(
        op.f("ix_intel_volunteer_assignment_volunteer_id"), table_name="intel_volunteer_assignment"
    )
    op.drop_table("intel_volunteer_assignment")
    op.drop_table("intel_tip")
    op.drop_index(op.f("ix_intel_share_request_clue_id"), table_name="intel_share_request")
    op.drop_table("intel_share_request")
    op.drop_index(op.f("ix_intel_clue_entity_entity_id"), table_name="intel_clue_entity")
    op.drop_table("intel_clue_entity")
    op.drop_index(op.f("ix_intel_case_task_case_id"), table_name="intel_case_task")
    op.drop_table("intel_case_task")
    op.drop_index(op.f("ix_intel_case_event_case_id"), table_name="intel_case_event")
    op.drop_table("intel_case_event")
    op.drop_index(op.f("ix_intel_case_clue_clue_id"), table_name="intel_case_clue")
    op.drop_table("intel_case_clue")
    op.drop_table("intel_case_assignee")
    op.drop_index(op.f("ix_intel_attachment_clue_id"), table_name="intel_attachment")
    op.drop_table("intel_attachment")
    op.drop_index(op.f("ix_intel_volunteer_organisation_id"), table_name="intel_volunteer")
    op.drop_table("intel_volunteer")
    op.drop_index(op.f("ix_intel_clue_tlp"), table_name="intel_clue")
    op.drop_index(op.f("ix_intel_clue_organisation_id"), table_name="intel_clue")
    op.drop_table("intel_clue")
    op.drop_index(op.f("ix_intel_case_organisation_id"), table_name="intel_case")
    op.drop_table("intel_case")
    op.drop_index(op.f("ix_intel_agreement_to_org_id"), table_name="intel_agreement")
    op.drop_index(op.f("ix_intel_agreement_from_org_id"), table_name="intel_agreement")
    op.drop_table("intel_agreement")
    op.drop_table("intel_entity")
    #
