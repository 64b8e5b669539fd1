"""registry: a person's birth date is kept as filed, at its precision

Registers hold a year ("1985") or a year and month ("1985-03") for some guests and sellers;
intake now takes those (ISO 8601 at reduced precision) and identity resolution keeps them.
`person.birth_date` becomes text ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY'), so that no day is
invented; full dates keep their value. The (name_key, birth_date) index follows the column.
Downgrading pads a partial date to the first of its month or year (the precision is lost).

Revision ID: 0034_partial_birth_dates
Revises: 0031_insider_hardening
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_partial_birth_dates"
down_revision: str | Sequence[str] | None = "0031_insider_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "person",
            "birth_date",
            type_=sa.String(length=10),
            existing_type=sa.Date(),
            existing_nullable=True,
            postgresql_using="to_char(birth_date, 'YYYY-MM-DD')",
        )
        return
    # SQLite keeps a date as its ISO text already; the table is rebuilt with a text column
    with op.batch_alter_table("person") as batch:
        batch.alter_column(
            "birth_date",
            type_=sa.String(length=10),
            existing_type=sa.Date(),
            existing_nullable=True,
        )


def downgrade() -> None:
    padded = (
        "CASE length(birth_date) WHEN 4 THEN birth_date || '-01-01'"
        " WHEN 7 THEN birth_date || '-01' ELSE birth_date END"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "person",
            "birth_date",
            type_=sa.Date(),
            existing_type=sa.String(length=10),
            existing_nullable=True,
            postgresql_using=f"({padded})::date",
        )
        return
    op.execute(f"UPDATE person SET birth_date = {padded} WHERE birth_date IS NOT NULL")
    with op.batch_alter_table("person") as batch:
        batch.alter_column(
            "birth_date",
            type_=sa.Date(),
            existing_type=sa.String(length=10),
            existing_nullable=True,
        )
