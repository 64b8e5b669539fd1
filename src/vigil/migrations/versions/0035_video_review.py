"""video: operators review events (open -> confirmed / false alarm), and each camera keeps
the built-in worker's analytics configuration, edited in the console

`video_event` gains its review state, reviewer, time and note (existing events are open);
`video_camera` gains the worker's zones, lines and rules and the frame size they refer to.

Revision ID: 0035_video_review
Revises: 0034_partial_birth_dates
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from vigil.core.db import JsonDoc, UtcDateTime

revision: str = "0035_video_review"
down_revision: str | Sequence[str] | None = "0034_partial_birth_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("video_event") as batch:
        batch.add_column(
            sa.Column("review_state", sa.String(12), nullable=False, server_default="open")
        )
        batch.add_column(sa.Column("reviewed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("reviewed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("review_note", sa.String(500), nullable=True))
    op.create_index(
        "ix_video_event_review", "video_event", ["organisation_id", "review_state", "started_at"]
    )
    with op.batch_alter_table("video_camera") as batch:
        batch.add_column(sa.Column("analytics_config", JsonDoc, nullable=True))
        batch.add_column(sa.Column("analytics_frame", JsonDoc, nullable=True))
        batch.add_column(sa.Column("analytics_updated_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("analytics_updated_by", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("video_camera") as batch:
        for name in (
            "analytics_updated_by",
            "analytics_updated_at",
            "analytics_frame",
            "analytics_config",
        ):
            batch.drop_column(name)
    op.drop_index("ix_video_event_review", table_name="video_event")
    with op.batch_alter_table("video_event") as batch:
        for name in ("review_note", "reviewed_at", "reviewed_by", "review_state"):
            batch.drop_column(name)
