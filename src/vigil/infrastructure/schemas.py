"""Infrastructure requests and responses. Assets and their figures only: nothing here
describes a person."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AssetKind = Literal["water", "power", "gas", "telecom", "transport_hub"]
DependencyKind = Literal["requires", "redundant"]
SensorEventKind = Literal["intrusion", "tamper", "pressure_anomaly", "flow_anomaly"]
Severity = Literal["low", "medium", "high", "critical"]
CARVER_FACTORS = (
    "criticality",
    "accessibility",
    "recuperability",
    "vulnerability",
    "effect",
    "recognizability",
    "shock",
)
GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


class Carver(BaseModel):
    """CARVER+Shock factors as the operator scores them, each 1 (low) to 10 (high)."""

    model_config = ConfigDict(extra="forbid")

    criticality: int = Field(ge=1, le=10)
    accessibility: int = Field(ge=1, le=10)
    recuperability: int = Field(ge=1, le=10)
    vulnerability: int = Field(ge=1, le=10)
    effect: int = Field(ge=1, le=10)
    recognizability: int = Field(ge=1, le=10)
    shock: int = Field(ge=1, le=10)


class AssetIn(BaseModel):
    """An asset needs a location: latitude and longitude, a GeoJSON geometry, or both."""

    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=120)
    name: str = Field(min_length=1, max_length=200)
    kind: AssetKind
    subtype: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    operator: str = Field(min_length=1, max_length=200, description="the operating organisation")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geometry: dict[str, Any] | None = None
    criticality: int = Field(default=3, ge=1, le=5)
    protective_measures: list[str] = Field(default_factory=list, max_length=50)
    carver: Carver | None = None
    population_served: int = Field(default=0, ge=0, le=100_000_000)
    network_element: str | None = Field(default=None, max_length=60)

    @field_validator("external_id", "name", "operator")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("may not be blank")
        return value.strip()

    @field_validator("geometry")
    @classmethod
    def _geojson(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        if value.get("type") not in GEOMETRY_TYPES:
            raise ValueError(f"a GeoJSON geometry: type one of {', '.join(GEOMETRY_TYPES)}")
        if not isinstance(value.get("coordinates"), list) or not value["coordinates"]:
            raise ValueError("a GeoJSON geometry needs coordinates")
        return value

    @model_validator(mode="after")
    def _located(self) -> AssetIn:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give latitude and longitude together")
        if self.latitude is None and self.geometry is None:
            raise ValueError("give latitude and longitude, or a geometry")
        return self


class AssetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    kind: str
    subtype: str
    operator: str
    latitude: float | None
    longitude: float | None
    geometry: dict[str, Any] | None
    criticality: int
    protective_measures: list[str]
    carver: dict[str, int]
    population_served: int
    network_id: int | None
    network_element: str | None
    created_at: datetime


class DependencyIn(BaseModel):
    """`dependant` draws on `supplier`, both named by external id."""

    model_config = ConfigDict(extra="forbid")

    supplier: str = Field(min_length=1, max_length=120)
    dependant: str = Field(min_length=1, max_length=120)
    kind: DependencyKind = "requires"

    @model_validator(mode="after")
    def _two_assets(self) -> DependencyIn:
        if self.supplier == self.dependant:
            raise ValueError("an asset cannot depend on itself")
        return self


class DependencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    supplier_id: int
    dependant_id: int
    kind: str


class ImportResult(BaseModel):
    network_id: int | None
    assets: int
    dependencies: int


class FailedAsset(BaseModel):
    id: int
    external_id: str
    name: str
    kind: str
    subtype: str
    population_served: int


class CascadeOut(BaseModel):
    """What fails with the asset through the dependency graph, and the hydraulic or
    power-flow simulations of the networks whose links or lines the failure reached."""

    origin: int
    failed: list[FailedAsset]
    population_affected: int
    simulations: list[dict[str, Any]] = Field(default_factory=list)


class Factor(BaseModel):
    value: float
    source: str
    detail: dict[str, Any] = Field(default_factory=dict)


class AssetRisk(BaseModel):
    """risk = threat × vulnerability × consequence, each factor with where it came from."""

    asset_id: int
    external_id: str
    name: str
    risk: float
    threat: Factor
    vulnerability: Factor
    consequence: Factor


class SensorEventIn(BaseModel):
    """A perimeter or sensor event, from MQTT or the webhook. (source, event_id) identifies
    it: the same pair delivered twice is stored once."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:/-]+$")
    event_id: str = Field(min_length=1, max_length=100)
    asset: str = Field(min_length=1, max_length=120, description="the asset's external id")
    kind: SensorEventKind
    severity: Severity = "high"
    observed_at: datetime
    value: float | None = Field(default=None, allow_inf_nan=False)
    detail: dict[str, Any] = Field(default_factory=dict)

    @field_validator("observed_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("give a time zone (e.g. 2026-01-01T08:00:00Z)")
        return value


class SensorEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    asset_id: int
    source: str
    source_event_id: str
    kind: str
    severity: str
    observed_at: datetime
    value: float | None
    received_at: datetime


class SensorIngestOut(BaseModel):
    stored: list[int]
    duplicates: int
    alerts: list[int]
    incidents: list[int] = Field(default_factory=list, description="response incidents opened")
