"""One schema module per sector. `SECTORS` maps the endpoint name to its record model, and
`BUSINESS_SECTOR` to the sector an organisation must be registered under to file it."""

from __future__ import annotations

from vigil.intake.sectors.chemical import ChemicalSale
from vigil.intake.sectors.common import Identity, SectorRecord
from vigil.intake.sectors.hotel import HotelStay
from vigil.intake.sectors.motor import MotorRefit
from vigil.intake.sectors.parcel import ParcelAcceptance
from vigil.intake.sectors.secondhand import SecondhandTransaction
from vigil.intake.sectors.venue import VenueVisit

SECTORS: dict[str, type[SectorRecord]] = {
    "hotel": HotelStay,
    "secondhand": SecondhandTransaction,
    "motor": MotorRefit,
    "venue": VenueVisit,
    "parcel": ParcelAcceptance,
    "chemical": ChemicalSale,
}

# Organisations are registered with governance's sector names; couriers file parcels.
BUSINESS_SECTOR = {
    "hotel": "hotel",
    "secondhand": "secondhand",
    "motor": "motor",
    "venue": "venue",
    "parcel": "courier",
    "chemical": "chemical",
}

__all__ = [
    "BUSINESS_SECTOR",
    "SECTORS",
    "ChemicalSale",
    "HotelStay",
    "Identity",
    "MotorRefit",
    "ParcelAcceptance",
    "SecondhandTransaction",
    "SectorRecord",
    "VenueVisit",
]
