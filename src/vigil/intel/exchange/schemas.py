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


class ImportResult(BaseModel):
    created: int
    skipped: int
