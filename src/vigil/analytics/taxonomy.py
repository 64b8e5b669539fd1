"""Incident taxonomy and place types: analytics are about places and times, never people."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_INCIDENT_TYPES: tuple[str, ...] = (
    "violent",
    "terror_related",
    "theft",
    "burglary",
    "robbery",
    "public_order",
    "traffic",
    "other",
)


class PlaceType(StrEnum):
    """The kind of place an incident happened at."""

    STATION = "station"
    SCHOOL = "school"
    MALL = "mall"
    MARKET = "market"
    HOSPITAL = "hospital"
    STREET = "street"
    PARK = "park"
    RESIDENTIAL = "residential"
    VENUE = "venue"
    OFFICE = "office"
    GOVERNMENT = "government"
    OTHER = "other"


def normalise_code(value: str) -> str:
    """`Terror-related` / `public order` -> `terror_related` / `public_order`."""
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


@dataclass(frozen=True)
class IncidentTaxonomy:
    """A configurable set of incident type codes (normalised, e.g. `public_order`)."""

    codes: tuple[str, ...] = DEFAULT_INCIDENT_TYPES

    @classmethod
    def from_codes(cls, codes: Iterable[str]) -> IncidentTaxonomy:
        normalised = tuple(dict.fromkeys(normalise_code(c) for c in codes if c.strip()))
        if not normalised:
            raise ValueError("a taxonomy needs at least one incident type")
        return cls(normalised)

    def resolve(self, value: str) -> str:
        """The taxonomy code for `value`, or ValueError naming the allowed codes."""
        code = normalise_code(value)
        if code not in self.codes:
            raise ValueError(f"unknown incident type {value!r}; expected one of {list(self.codes)}")
        return code


DEFAULT_TAXONOMY = IncidentTaxonomy()
