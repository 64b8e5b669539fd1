"""Incident types: what each needs from a unit, how urgent it is by default, and how a public
warning about it is filed under CAP 1.2. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vigil.units.schemas import Capability as UnitCapability

# What a unit must be able to do, in the unit registry's own words.
Capability = UnitCapability
IncidentTypeCode = Literal[
    "intrusion",
    "sabotage",
    "assault",
    "public_disorder",
    "fire",
    "medical",
    "traffic_collision",
    "hazmat_release",
    "utility_failure",
    "flood",
]
CapCategory = Literal[
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
]


@dataclass(frozen=True)
class IncidentType:
    code: IncidentTypeCode
    label: str  # the CAP <event> text of a warning about it
    capability: Capability
    default_priority: int  # 1 (most urgent) .. 4
    cap_category: CapCategory


INCIDENT_TYPES: dict[str, IncidentType] = {
    t.code: t
    for t in (
        IncidentType("intrusion", "Intrusion at a protected site", "patrol", 2, "Security"),
        IncidentType("sabotage", "Sabotage of critical infrastructure", "patrol", 1, "Security"),
        IncidentType("assault", "Violent assault", "patrol", 1, "Security"),
        IncidentType("public_disorder", "Public disorder", "patrol", 2, "Safety"),
        IncidentType("fire", "Fire", "fire", 1, "Fire"),
        IncidentType("medical", "Medical emergency", "ambulance", 1, "Health"),
        IncidentType("traffic_collision", "Traffic collision", "patrol", 2, "Transport"),
        IncidentType("hazmat_release", "Hazardous material release", "hazmat", 1, "CBRNE"),
        IncidentType("utility_failure", "Utility service failure", "technical", 3, "Infra"),
        IncidentType("flood", "Flooding", "rescue", 2, "Met"),
    )
}

PRIORITIES = (1, 2, 3, 4)


def incident_type(code: str) -> IncidentType:
    return INCIDENT_TYPES[code]


def capability_for(code: str) -> Capability:
    """The capability a unit needs for an incident of this type (for unit recommendation)."""
    return INCIDENT_TYPES[code].capability
