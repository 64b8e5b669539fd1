"""intake: a submission's organisation is checked once per statement on PostgreSQL

The foreign key from `intake_submission.organisation_id` to `organisation` ran one
`SELECT … FOR KEY SHARE` per stored row, about a fifth of the server's work per row in a file
load. Statement-level triggers now keep the same guarantee once per statement:
- after an INSERT or UPDATE, every organisation the new rows name must exist; it is locked
  FOR KEY SHARE, as the foreign key did, so a concurrent delete waits or fails;
- an organisation that still has submissions cannot be deleted or renumbered.
SQLite keeps the foreign key. The model keeps it too, marked `postgresql_statement_checked`,
which the schema comparison (`vigil.core.migrate.schema_filter`) skips on PostgreSQL.

Revision ID: 0012_intake_org_check
Revises: 0011_intake_cheaper_writes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_intake_org_check"
down_revision: str | Sequence[str] | None = "0011_intake_cheaper_writes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_intake_submission_organisation_id_organisation"

CHECK_NEW_ROWS = """
CREATE FUNCTION intake_submission_organisation_exists() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    named bigint;
    locked bigint;
BEGIN
    SELECT count(DISTINCT organisation_id) INTO named FROM new_rows;
    SELECT count(*) INTO locked FROM (
        SELECT 1 FROM organisation
        WHERE id IN (SELECT organisation_id FROM new_rows)
        FOR KEY SHARE
    ) AS present;
    IF locked < named THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'insert or update on table "intake_submission" names an organisation '
                      'that does not exist',
            TABLE = 'intake_submission';
    END IF;
    RETURN NULL;
END
$$
"""

GUARD_ORGANISATION = """
CREATE FUNCTION organisation_keeps_its_submissions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM intake_submission WHERE organisation_id = OLD.id) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('organisation %s still has intake submissions', OLD.id),
            TABLE = 'organisation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$
"""


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_constraint(FOREIGN_KEY, "intake_submission", type_="foreignkey")
    op.execute(CHECK_NEW_ROWS)
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER intake_submission_organisation_{event.lower()} "
            f"AFTER {event} ON intake_submission REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION intake_submission_organisation_exists()"
        )
    op.execute(GUARD_ORGANISATION)
    op.execute(
        "CREATE TRIGGER organisation_keeps_its_submissions "
        "BEFORE DELETE OR UPDATE OF id ON organisation "
        "FOR EACH ROW EXECUTE FUNCTION organisation_keeps_its_submissions()"
    )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER organisation_keeps_its_submissions ON organisation")
    op.execute("DROP FUNCTION organisation_keeps_its_submissions()")
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER intake_submission_organisation_{event} ON intake_submission")
    op.execute("DROP FUNCTION intake_submission_organisation_exists()")
    op.create_foreign_key(
        FOREIGN_KEY, "intake_submission", "organisation", ["organisation_id"], ["id"]
    )
