"""Watchlist and catalogue requests. Unknown fields are refused (no protected attributes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from vigil.core.errors import IdentifierError
from vigil.core.ids import (
    normalise_plate,
    normalise_serial,
    validate_cn_resident_id,
    validate_imei,
    validate_vin,
)

EntryKind = Literal["person", "property", "vehicle"]
_IDENTIFIER_CHECKS: dict[str, Callable[[str], str]] = {
    "id_number": validate_cn_resident_id,
    "imei": validate_imei,
    "vin": lambda value: validate_vin(value).vin,
}


class WatchlistEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    entry_id: str = Field(min_length=1, max_length=64)
    kind: EntryKind
    name: str = Field(default="", max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    birth_date: str = Field(default="", pattern=r"^(\d{4}(-?\d{2}-?\d{2})?)?$")
    id_number: str = Field(default="", max_length=40)
    serial: str = Field(default="", max_length=100)
    imei: str = Field(default="", max_length=20)
    vin: str = Field(default="", max_length=20)
    plate: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=2000)
    basis_reference: str = Field(min_length=3, max_length=120)
    basis_authority: str = Field(min_length=2, max_length=200)
    expires_at: datetime | None = None

    @field_validator("id_number", "imei", "vin")
    @classmethod
    def _valid_identifier(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            return value
        check = _IDENTIFIER_CHECKS[info.field_name or ""]
        try:
            return check(value)
        except IdentifierError as exc:
            raise ValueError(str(exc)) from exc

    @model_validator(mode="after")
    def _normalise(self) -> WatchlistEntryIn:
        self.serial = normalise_serial(self.serial) if self.serial else ""
        self.plate = normalise_plate(self.plate) if self.plate else ""
        if self.kind == "person" and self.expires_at is None:
            raise ValueError(
                "expires_at: a wanted-person entry needs the expiry of its warrant or order"
            )
        return self


class DecisionIn(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=1000)


class BannedItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_id: str = Field(min_length=1, max_length=40)
    category: str = Field(min_length=2, max_length=100)
    action: Literal["refuse", "inspect"] = "refuse"
    names_zh: list[str] = Field(default_factory=list, max_length=100)
    names_en: list[str] = Field(default_factory=list, max_length=100)
    exclusions: list[str] = Field(default_factory=list, max_length=100)
    legal_reference: str = Field(min_length=3, max_length=400)
    effective_from: date

    @model_validator(mode="after")
    def _has_names(self) -> BannedItemIn:
        if not (self.names_zh or self.names_en):
            raise ValueError("names_zh: give at least one name in Chinese or English")
        return self


class ParcelScreenIn(BaseModel):
    declared_contents: str = Field(min_length=1, max_length=4000)
    sender_verified: bool


class EntryState(BaseModel):
    entry_id: str
    status: str


class RowErrorOut(BaseModel):
    row: int  # 1-based data row
    field: str
    message: str


class WatchlistImportOut(BaseModel):
    """Ids of the entries proposed (pending approval) and the rows refused."""

    proposed: list[str]
    errors: list[RowErrorOut]


class EntrySummary(BaseModel):
    """An entry as staff see it: the identity number stays encrypted (`has_id_number`)."""

    model_config = ConfigDict(extra="allow")

    entry_id: str
    kind: str
    status: str
    name: str
    aliases: list[str]
    has_id_number: bool


class WatchlistOut(BaseModel):
    version: int
    entries: list[EntrySummary]


class BannedItemAdded(BaseModel):
    item_id: str
    catalogue_version: int


class ParcelDecisionOut(BaseModel):
    decision: Literal["cleared", "inspect", "refuse"]
    category: str  # of the most severe match, "" if none
    reasons: list[str]
    catalogue_version: int
