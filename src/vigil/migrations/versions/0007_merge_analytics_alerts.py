"""merge the analytics and alerts branches

Revision ID: 0007_merge_analytics_alerts
Revises: 0005_analytics, 0006_alerts
"""

from collections.abc import Sequence

revision: str = "0007_merge_analytics_alerts"
down_revision: str | Sequence[str] | None = ("0005_analytics", "0006_alerts")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
