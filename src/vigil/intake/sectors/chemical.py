"""Sale of an explosive precursor: the buyer (a private person, or a business with its
licence number and the person who collects), the substance by CAS number from the
precursor catalogue, concentration, quantity, stated use, time and payment method.

A sale to a private person above a restricted concentration is refused here, on every
channel, with the rule it breaks."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from vigil.core.errors import IdentifierError
from vigil.core.ids import validate_cas_number, validate_uscc
from vigil.intake.sectors.common import EventTime, Identity, SectorRecord, _field_error
from vigil.precursors.catalogue import Catalogue, seed_catalogue
from vigil.precursors.rules import restriction_message

StatedUse = Literal[
    "hair_cosmetics", "cleaning", "laboratory", "pool_water", "agriculture", "industry", "other"
]
_SEED: Catalogue | None = None


def catalogue_of(context: dict[str, Any] | None) -> Catalogue:
    """The catalogue the validator was given (the database's current version), else the
    shipped seed."""
    found = context.get("precursors") if context else None
    if found is not None:
        return found
    global _SEED
    if _SEED is None:
        _SEED = seed_catalogue()
    return _SEED


def _licence(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return validate_uscc(value)
    except IdentifierError as exc:
        raise ValueError(str(exc)) from None


class ChemicalSale(SectorRecord):
    sector = "chemical"
    deadline_key = "chemical"

    seller_licence: str = Field(min_length=1, max_length=30)
    buyer_kind: Literal["private", "business"]
    buyer: Identity  # the person who buys, or who collects for the business
    buyer_business: str | None = Field(default=None, max_length=200)
    buyer_licence: str | None = Field(default=None, max_length=30)
    substance_cas: str = Field(min_length=5, max_length=16)
    substance_name: str | None = Field(default=None, max_length=200)
    concentration_pct: float = Field(gt=0, le=100)
    quantity: float = Field(gt=0, le=1_000_000)
    unit: Literal["kg", "g", "t", "L", "mL"]
    stated_use: StatedUse
    stated_use_detail: str | None = Field(default=None, max_length=500)
    payment: Literal["cash", "traceable"]
    sold_at: EventTime
    sale_ref: str | None = Field(default=None, max_length=64)

    @field_validator("seller_licence", "buyer_licence")
    @classmethod
    def _licences(cls, value: str | None) -> str | None:
        return _licence(value)

    @field_validator("substance_cas")
    @classmethod
    def _cas(cls, value: str) -> str:
        try:
            return validate_cas_number(value)
        except IdentifierError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _lawful_sale(self, info: ValidationInfo) -> ChemicalSale:
        if self.buyer_kind == "business":
            if not self.buyer_licence:
                raise _field_error("buyer_licence", "is required for a business buyer")
            if not self.buyer_business:
                raise _field_error("buyer_business", "is required for a business buyer")
        elif self.buyer_licence or self.buyer_business:
            raise _field_error("buyer_kind", "a private buyer has no business name or licence")
        catalogue = catalogue_of(info.context)
        substance = catalogue.find(self.substance_cas)
        if substance is None:
            raise _field_error(
                "substance_cas",
                f"is not a listed precursor (catalogue version {catalogue.version}); "
                "only listed substances are filed here",
            )
        if self.buyer_kind == "private" and substance.restricted_for_private(
            self.concentration_pct
        ):
            raise _field_error(
                "concentration_pct", restriction_message(substance, self.concentration_pct)
            )
        return self

    def event_time(self) -> datetime:
        return self.sold_at

    def reference(self) -> str | None:
        return self.sale_ref

    def persons(self) -> list[tuple[str, Identity]]:
        return [("buyer", self.buyer)]
