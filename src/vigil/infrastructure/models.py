"""Critical infrastructure: assets, the networks they belong to, their dependencies and the
sensor events at them. No table here holds a person: an asset's operator is an
organisation's name, its population figure is a count, and sensor events name an asset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class InfraNetwork(Base):
    """A simulated network (an EPANET model or a pandapower grid), kept whole so that a
    cascade can be re-simulated."""

    __tablename__ = "infra_network"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # water | power
    model_format: Mapped[str] = mapped_column(String(20))  # epanet-inp | pandapower-json
    model_text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class InfraAsset(Base):
    """A critical asset, held by the agency responsible for it (which receives its alerts)."""

    __tablename__ = "infra_asset"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # water | power | gas | telecom | transport_hub
    subtype: Mapped[str] = mapped_column(String(40))  # pump, pipe, substation, district, ...
    operator: Mapped[str] = mapped_column(String(200))  # the operating organisation's name
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)  # GeoJSON
    criticality: Mapped[int] = mapped_column(Integer)  # 1..5
    protective_measures: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    carver: Mapped[dict[str, int]] = mapped_column(JsonDoc, default=dict)  # factor → 1..10
    population_served: Mapped[int] = mapped_column(Integer, default=0)  # a count of people
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("infra_network.id"), nullable=True, index=True
    )
    network_element: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class InfraDependency(Base):
    """`dependant` draws on `supplier`: `requires` (fails with it) or `redundant` (fails when
    all its redundant suppliers have failed)."""

    __tablename__ = "infra_dependency"
    __table_args__ = (UniqueConstraint("supplier_id", "dependant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("infra_asset.id"), index=True)
    dependant_id: Mapped[int] = mapped_column(ForeignKey("infra_asset.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # requires | redundant
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class InfraSensorEvent(Base):
    """An intrusion, tamper or pressure/flow anomaly at an asset, stored once per
    (source, source event id)."""

    __tablename__ = "infra_sensor_event"
    __table_args__ = (UniqueConstraint("source", "source_event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("infra_asset.id"), index=True)
    source: Mapped[str] = mapped_column(String(100))
    source_event_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))  # intrusion | tamper | pressure_anomaly | ...
    severity: Mapped[str] = mapped_column(String(20))
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
