"""Response models for STIX 2.1 exchange."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from vigil.core.db import INT_MAX


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


class TaxiiCollectionIn(BaseModel):
    """A collection of your agency's clues, opened to every partner with an agreement."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    accepts_posts: bool = False  # partners may POST objects (imported like `vigil intel import`)


class TaxiiCollectionOut(BaseModel):
    id: str
    url: str  # relative to the server: the collection under the TAXII API root


class TaxiiKeyIn(BaseModel):
    organisation_id: int = Field(ge=1, le=INT_MAX)
    label: str = Field(default="", max_length=100)


class TaxiiKeyOut(BaseModel):
    prefix: str
    key: str  # shown once


class TaxiiKeyRevoked(BaseModel):
    prefix: str
    revoked: bool


class PartnerCollection(BaseModel):
    id: str
    title: str
    accepts_posts: bool


class PartnerAgreement(BaseModel):
    id: int
    direction: Literal["in", "out"]
    partner: str
    max_tlp: str
    expires_at: str | None
    in_force: bool
    collections: list[PartnerCollection]


class PartnerSync(BaseModel):
    direction: Literal["pull", "push"]
    server: str
    collection: str
    last_at: str
    last_by: str
    report: dict[str, Any]


class PartnersOut(BaseModel):
    """Agreements both ways with the collections each opens, your own collections, and the
    last pull and push per remote collection with its report."""

    agreements: list[PartnerAgreement]
    collections: list[PartnerCollection]
    syncs: list[PartnerSync]
