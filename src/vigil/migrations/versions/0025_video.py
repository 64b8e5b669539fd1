"""video: the camera registry, alert rules per camera, and normalised video events
(idempotent by source and source event id). No personal data; stream URLs as ciphertext.

Revision ID: 0025_video
Revises: 0024_infrastructure
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vigil.core.db

revision: str = "0025_video"
down_revision: str | Sequence[str] | None = "0024_infrastructure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, vigil.core.db.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "video_camera",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("height_m", sa.Float(), nullable=False),
        sa.Column("heading_deg", sa.Float(), nullable=False),
        sa.Column("fov_deg", sa.Float(), nullable=False),
        sa.Column("range_m", sa.Float(), nullable=False),
        sa.Column("area_class", sa.String(length=24), nullable=False),
        sa.Column("owner_kind", sa.String(length=12), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=True),
        sa.Column("agreement_reference", sa.String(length=120), nullable=True),
        sa.Column("legal_basis", sa.String(length=200), nullable=False),
        sa.Column("stream_url_ciphertext", sa.String(length=1000), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("privacy_masks", vigil.core.db.JsonDoc, nullable=False),
        sa.Column("manufacturer", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("serial_number", sa.String(length=120), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["owner_organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name=op.f("uq_video_camera_code")),
    )
    op.create_index("ix_video_camera_organisation_id", "video_camera", ["organisation_id"])
    op.create_table(
        "video_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("zone", sa.String(length=120), nullable=True),
        sa.Column("labels", vigil.core.db.JsonDoc, nullable=False),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["camera_id"], ["video_camera.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_video_rule_camera_id", "video_rule", ["camera_id"])
    op.create_table(
        "video_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_event_id", sa.String(length=200), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("zone", sa.String(length=120), nullable=True),
        sa.Column("label", sa.String(length=16), nullable=True),
        sa.Column("direction", sa.String(length=4), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        _when("started_at"),
        _when("ended_at", nullable=True),
        sa.Column("snapshot", sa.String(length=300), nullable=True),
        _when("received_at"),
        sa.ForeignKeyConstraint(["camera_id"], ["video_camera.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_event_id", name=op.f("uq_video_event_source")),
    )
    op.create_index("ix_video_event_camera_id", "video_event", ["camera_id"])
    op.create_index("ix_video_event_organisation_id", "video_event", ["organisation_id"])
    op.create_index("ix_video_event_started_at", "video_event", ["started_at"])
    op.create_index("ix_video_event_received_at", "video_event", ["received_at"])


def downgrade() -> None:
    for index in ("received_at", "started_at", "organisation_id", "camera_id"):
        op.drop_index(f"ix_video_event_{index}", table_name="video_event")
    op.drop_table("video_event")
    op.drop_index("ix_video_rule_camera_id", table_name="video_rule")
    op.drop_table("video_rule")
    op.drop_index("ix_video_camera_organisation_id", table_name="video_camera")
    op.drop_table("video_camera")
