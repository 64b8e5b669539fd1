"""Request and response models for sharing: agreements, shares and share requests."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from vigil.core.db import INT_MAX
from vigil.intel.marking import parse_tlp


class AgreementIn(BaseModel):
    to_org_id: int = Field(ge=1, le=INT_MAX)
    purpose: str = Field(min_length=3)
    max_tlp: str = "AMBER"
    expires_at: AwareDatetime | None = None  # the agreement and its legal basis end then
    categories: list[str] = Field(default_factory=lambda: ["clues"], max_length=10)
    # the sharing agency's cases it covers: only the subjects linked to them; empty: no limit
    case_ids: list[int] = Field(default_factory=list, max_length=100)

    @field_validator("case_ids")
    @classmethod
    def _case_ids(cls, v: list[int]) -> list[int]:
        if any(not 1 <= c <= INT_MAX for c in v):
            raise ValueError(f"case ids are between 1 and {INT_MAX}")
        return v

    @field_validator("max_tlp")
    @classmethod
    def _tlp(cls, v: str) -> str:
        t = parse_tlp(v)
        if t.value == "RED":
            raise ValueError("no agreement covers TLP:RED; RED goes only to named individuals")
        return t.value


class ShareIn(BaseModel):
    recipient_org_id: int | None = Field(default=None, ge=1, le=INT_MAX)
    recipient_user: str | None = None  # username; required for TLP:RED
    reason: str = ""


class DecisionIn(BaseModel):
    approve: bool
    note: str = ""


class AgreementOut(BaseModel):
    id: int
    legal_basis: str


class ShareOut(BaseModel):
    id: int


class ShareRequestState(BaseModel):
    id: int
    status: str


class ShareRequestOut(BaseModel):
    id: int
    clue_id: int
    requested_by: str
    recipient_org_id: int
    recipient_user_id: int | None
    reason: str
