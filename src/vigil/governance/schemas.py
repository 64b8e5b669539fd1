"""Answers of the governance routes that services build as dicts; the models describe them
in /docs. Open models (`extra="allow"`) keep every member the service puts in."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class LegalBasisCreated(BaseModel):
    reference: str


class AuditEntryOut(BaseModel):
    """One audit entry as it is hashed, with its hash; `prev_hash` appears once chained."""

    model_config = ConfigDict(extra="allow")

    seq: int | None
    at: str
    actor: str | None
    action: str
    object_type: str
    purpose: str | None
    legal_basis: str | None
    outcome: str
    detail: dict[str, Any]
    hash: str


class AuditVerifyOut(BaseModel):
    intact: bool
    count: int
    head: str
    first_bad_seq: int | None
    problem: str | None
    pending: int
    summary: str


class CheckpointOut(BaseModel):
    seq: int
    head_hash: str
    note: str


class OversightOut(BaseModel):
    """Counts only, never personal data."""

    by_action: dict[str, int]
    by_purpose: dict[str, int]
    refused: int
    total: int
