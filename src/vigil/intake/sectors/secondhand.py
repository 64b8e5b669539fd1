"""Second-hand or pawn transaction: the seller, the item and its identifiers, price and time."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from vigil.core.errors import IdentifierError
from vigil.core.ids import normalise_serial, validate_imei
from vigil.intake.sectors.common import EventTime, Identity, IntakeModel, SectorRecord


class ItemCategory(StrEnum):
    PHONE = "phone"
    COMPUTER = "computer"
    CAMERA = "camera"
    JEWELLERY = "jewellery"
    WATCH = "watch"
    BICYCLE = "bicycle"
    EBIKE = "ebike"
    VEHICLE_PART = "vehicle_part"
    OTHER = "other"


class Item(IntakeModel):
    category: ItemCategory
    description: str = Field(min_length=1, max_length=500)
    brand: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=100)
    serial_number: str | None = Field(default=None, max_length=64)
    imei: str | None = Field(default=None, max_length=32)

    @field_validator("imei")
    @classmethod
    def _imei(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return validate_imei(value)
        except IdentifierError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _identified(self) -> Item:
        if not self.serial_number and not self.imei:
            raise ValueError("@serial_number: a serial number or an IMEI is required")
        return self


class SecondhandTransaction(SectorRecord):
    sector = "secondhand"
    deadline_key = "secondhand"

    seller: Identity
    item: Item
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    transacted_at: EventTime

    def event_time(self) -> datetime:
        return self.transacted_at

    def persons(self) -> list[tuple[str, Identity]]:
        return [("seller", self.seller)]

    def objects(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if self.item.imei:
            out["imeis"] = [self.item.imei]
        if self.item.serial_number:
            out["serials"] = [normalise_serial(self.item.serial_number)]
        return out
