"""merge the intake, intel and screening branches

Revision ID: 0009_merge_domains
Revises: 0002_intake, 0003_intel, 0008_screening
"""

from collections.abc import Sequence

revision: str = "0009_merge_domains"
down_revision: str | Sequence[str] | None = ("0002_intake", "0003_intel", "0008_screening")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
