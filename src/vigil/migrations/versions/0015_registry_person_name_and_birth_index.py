"""registry: persons are found for linkage by name key and birth date

The index on `person.name_key` becomes one on (name_key, birth_date): linkage looks for the
namesakes born on the record's day, a day one digit from it or an unknown day, and a common
name's key alone can hold thousands of persons.

Revision ID: 0015_registry_name_birth_index
Revises: 0014_intake_drop_org_ref_index
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_registry_name_birth_index"
down_revision: str | Sequence[str] | None = "0014_intake_drop_org_ref_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_person_name_key_birth_date", "person", ["name_key", "birth_date"])
    op.drop_index("ix_person_name_key", table_name="person")


def downgrade() -> None:
    op.create_index("ix_person_name_key", "person", ["name_key"])
    op.drop_index("ix_person_name_key_birth_date", table_name="person")
