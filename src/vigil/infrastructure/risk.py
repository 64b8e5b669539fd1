"""Risk per asset = threat × vulnerability × consequence, each in [0, 1] and each shown with
where it came from. Pure. Risk is computed for assets only, never for people.

- threat: incidents recorded within a radius of the asset over a window (the caller passes
  the incident points in: this module reads no other domain), scaled against the most
  threatened asset: (n + 1) / (max n + 1), so an asset with no incident nearby keeps a floor;
- vulnerability: the operator's CARVER+Shock scores for the attacker-facing factors
  (accessibility, vulnerability, recognizability), mean / 10;
- consequence: the people who lose service in the asset's cascade, as a share of the most
  consequential cascade among the assets ranked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

EARTH_RADIUS_M = 6_371_008.8
VULNERABILITY_FACTORS = ("accessibility", "vulnerability", "recognizability")
UNASSESSED_VULNERABILITY = 0.5


@dataclass(frozen=True)
class IncidentPoint:
    latitude: float
    longitude: float
    occurred_at: datetime


@dataclass(frozen=True)
class AssetFacts:
    asset_id: int
    external_id: str
    name: str
    latitude: float | None
    longitude: float | None
    carver: Mapping[str, int]
    population_affected: int
    assets_failed: int


@dataclass(frozen=True)
class FactorValue:
    value: float
    source: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RiskScore:
    facts: AssetFacts
    risk: float
    threat: FactorValue
    vulnerability: FactorValue
    consequence: FactorValue


def _unit_vectors(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitudes), np.radians(longitudes)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def incidents_within(
    assets: Sequence[tuple[float, float]],
    incidents: Sequence[IncidentPoint],
    radius_m: float,
    since: datetime | None = None,
) -> list[int]:
    """For each (latitude, longitude), the incidents within `radius_m` (great-circle) that
    occurred at or after `since`."""
    chosen = [i for i in incidents if since is None or i.occurred_at >= since]
    if not assets:
        return []
    if not chosen:
        return [0] * len(assets)
    tree = cKDTree(
        _unit_vectors(
            np.array([i.latitude for i in chosen]), np.array([i.longitude for i in chosen])
        )
    )
    chord = 2 * np.sin(radius_m / EARTH_RADIUS_M / 2)
    points = _unit_vectors(np.array([a[0] for a in assets]), np.array([a[1] for a in assets]))
    return [int(n) for n in tree.query_ball_point(points, r=chord, return_length=True)]


def vulnerability(carver: Mapping[str, int]) -> FactorValue:
    if not all(name in carver for name in VULNERABILITY_FACTORS):
        return FactorValue(
            UNASSESSED_VULNERABILITY, "default: no CARVER assessment entered by the operator"
        )
    scores = {name: int(carver[name]) for name in VULNERABILITY_FACTORS}
    return FactorValue(
        round(sum(scores.values()) / (10 * len(scores)), 4),
        "CARVER+Shock scores entered by the operator: mean of "
        + ", ".join(VULNERABILITY_FACTORS)
        + " / 10",
        {"scores": scores, "all_factors": dict(carver)},
    )


def rank(
    assets: Sequence[AssetFacts],
    incidents: Sequence[IncidentPoint],
    *,
    radius_m: float = 500.0,
    since: datetime | None = None,
    window_label: str = "all recorded incidents",
) -> list[RiskScore]:
    """Score every asset and sort, riskiest first."""
    located = [a for a in assets if a.latitude is not None and a.longitude is not None]
    counts = dict(
        zip(
            (a.asset_id for a in located),
            incidents_within(
                [(float(a.latitude), float(a.longitude)) for a in located],  # type: ignore[arg-type]
                incidents,
                radius_m,
                since,
            ),
            strict=True,
        )
    )
    most_incidents = max(counts.values(), default=0)
    most_people = max((a.population_affected for a in assets), default=0)
    scores = []
    for asset in assets:
        near = counts.get(asset.asset_id)
        threat = FactorValue(
            round(((near or 0) + 1) / (most_incidents + 1), 4),
            f"incident analytics: incidents within {radius_m:g} m, {window_label}"
            if near is not None
            else "no location: floor value",
            {"incidents_nearby": near or 0, "most_near_any_asset": most_incidents},
        )
        consequence = FactorValue(
            round(asset.population_affected / most_people, 4) if most_people else 0.0,
            "cascade through the dependency graph: people losing service, "
            "as a share of the worst cascade ranked",
            {
                "population_affected": asset.population_affected,
                "assets_failed": asset.assets_failed,
                "worst_population_affected": most_people,
            },
        )
        vuln = vulnerability(asset.carver)
        risk = round(threat.value * vuln.value * consequence.value, 6)
        scores.append(RiskScore(asset, risk, threat, vuln, consequence))
    scores.sort(key=lambda s: (-s.risk, s.facts.asset_id))
    return scores
