"""Response models for STIX 2.1 exchange."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class StixBundle(BaseModel):
    """A STIX 2.1 bundle; its objects are described by the STIX 2.1 specification."""

    model_config = ConfigDict(extra="allow")

    type: Literal["bundle"]
    id: str
    objects: list[dict[str, Any]]


class TypeOutcome(BaseModel):
    """What became of one STIX type's objects; `reasons` counts each outcome's reason."""

    imported: int
    merged: int
    skipped: int
    reasons: dict[str, int]


class ImportResult(BaseModel):
    """Objects made into clues, merged into others (entities, links, markings, known
    objects) and skipped, in all and per STIX type."""

    imported: int
    merged: int
    skipped: int
    by_type: dict[str, TypeOutcome]
