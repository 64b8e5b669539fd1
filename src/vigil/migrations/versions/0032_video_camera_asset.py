"""video cameras name the infrastructure asset they guard

Revision ID: 0031_video_camera_asset
Revises: 0031_taxii
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_video_camera_asset"
down_revision: str | Sequence[str] | None = "0031_taxii"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("video_camera", schema=None) as batch_op:
        batch_op.add_column(sa.Column("infrastructure_asset_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_video_camera_infrastructure_asset_id", ["infrastructure_asset_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("video_camera", schema=None) as batch_op:
        batch_op.drop_index("ix_video_camera_infrastructure_asset_id")
        batch_op.drop_column("infrastructure_asset_id")
