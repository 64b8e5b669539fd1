"""Request and response models for clues."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from vigil.intel.marking import ENTITY_KINDS, SOURCE_TYPES, parse_grading, parse_tlp

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EntityIn(BaseModel):
    kind: str
    value: str = Field(min_length=1, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in ENTITY_KINDS:
            raise ValueError(f"must be one of {', '.join(ENTITY_KINDS)}")
        return v


class AttachmentIn(BaseModel):
    sha256: str
    filename: str = ""
    media_type: str = "application/octet-stream"
    size: int = Field(default=0, ge=0)

    @field_validator("sha256")
    @classmethod
    def _hash(cls, v: str) -> str:
        v = v.lower()
        if not _SHA256.match(v):
            raise ValueError("must be the 64 hex digits of the content's SHA-256")
        return v


class ClueIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    source_type: str
    grading: str = Field(description="Admiralty grading, e.g. B2")
    tlp: str = "AMBER"
    handling: str = ""
    entities: list[EntityIn] = Field(default_factory=list, max_length=200)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)

    @field_validator("source_type")
    @classmethod
    def _source(cls, v: str) -> str:
        if v not in SOURCE_TYPES:
            raise ValueError(f"must be one of {', '.join(SOURCE_TYPES)}")
        return v

    @field_validator("grading")
    @classmethod
    def _grading(cls, v: str) -> str:
        r, c = parse_grading(v)
        return f"{r}{c}"

    @field_validator("tlp")
    @classmethod
    def _tlp(cls, v: str) -> str:
        return parse_tlp(v).value


class EntityOut(BaseModel):
    id: int
    kind: str
    key: str
    label: str


class ClueOut(BaseModel):
    id: int
    organisation_id: int
    created_at: datetime
    text: str
    source_type: str
    grading: str
    tlp: str
    handling: str
    entities: list[EntityOut]
    attachments: list[AttachmentIn]
    visible_because: str


class ClueCreated(BaseModel):
    id: int
    stix_id: str
