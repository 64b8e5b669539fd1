"""infrastructure: critical assets, the simulated networks they belong to, dependencies
between assets and sensor events at them. No table holds a person: an asset's operator is an
organisation's name and its population figure a count.

Revision ID: 0024_infrastructure
Revises: 0023_response
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import vigil.core.db

revision: str = "0024_infrastructure"
down_revision: str | Sequence[str] | None = "0023_response"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "infra_network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("model_format", sa.String(length=20), nullable=False),
        sa.Column("model_text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_infra_network_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infra_network")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_infra_network_organisation_id")
        ),
    )
    with op.batch_alter_table("infra_network", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_infra_network_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "infra_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subtype", sa.String(length=40), nullable=False),
        sa.Column("operator", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("geometry", Json, nullable=True),
        sa.Column("criticality", sa.Integer(), nullable=False),
        sa.Column("protective_measures", Json, nullable=False),
        sa.Column("carver", Json, nullable=False),
        sa.Column("population_served", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column("network_element", sa.String(length=60), nullable=True),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["infra_network.id"],
            name=op.f("fk_infra_asset_network_id_infra_network"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_infra_asset_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infra_asset")),
        sa.UniqueConstraint(
            "organisation_id", "external_id", name=op.f("uq_infra_asset_organisation_id")
        ),
    )
    with op.batch_alter_table("infra_asset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_infra_asset_network_id"), ["network_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_infra_asset_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "infra_dependency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("dependant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dependant_id"],
            ["infra_asset.id"],
            name=op.f("fk_infra_dependency_dependant_id_infra_asset"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_infra_dependency_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["infra_asset.id"],
            name=op.f("fk_infra_dependency_supplier_id_infra_asset"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infra_dependency")),
        sa.UniqueConstraint(
            "supplier_id", "dependant_id", name=op.f("uq_infra_dependency_supplier_id")
        ),
    )
    with op.batch_alter_table("infra_dependency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_infra_dependency_dependant_id"), ["dependant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_infra_dependency_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_infra_dependency_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "infra_sensor_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("source_event_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("observed_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("detail", Json, nullable=False),
        sa.Column("received_at", vigil.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["infra_asset.id"],
            name=op.f("fk_infra_sensor_event_asset_id_infra_asset"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_infra_sensor_event_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infra_sensor_event")),
        sa.UniqueConstraint("source", "source_event_id", name=op.f("uq_infra_sensor_event_source")),
    )
    with op.batch_alter_table("infra_sensor_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_infra_sensor_event_asset_id"), ["asset_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_infra_sensor_event_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("infra_sensor_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_infra_sensor_event_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_infra_sensor_event_asset_id"))

    op.drop_table("infra_sensor_event")
    with op.batch_alter_table("infra_dependency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_infra_dependency_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_infra_dependency_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_infra_dependency_dependant_id"))

    op.drop_table("infra_dependency")
    with op.batch_alter_table("infra_asset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_infra_asset_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_infra_asset_network_id"))

    op.drop_table("infra_asset")
    with op.batch_alter_table("infra_network", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_infra_network_organisation_id"))

    op.drop_table("infra_network")
