"""The typed events a stored registration produces, for the pipeline's handlers.

Built from claimed outbox rows and their submissions' records (read in the same query, see
`outbox.claim_pending`). A person keeps its `position` in the record: 0 is the main person
(guest, seller, customer, sender), then companions in filing order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.precursors.catalogue import UNIT_KG

SUBMISSION_STORED = "submission.stored"


@dataclass(frozen=True, slots=True)
class FiledPerson:
    position: int
    role: str
    name: str
    birth_date: str | None  # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    sex: str | None
    nationality: str | None
    doc_type: str | None
    issuing_country: str | None
    id_hash: str | None
    id_ciphertext: str | None
    # the date a resident ID embeds, where it is not the one filed (see intake validation)
    id_birth_date: str | None = None


@dataclass(frozen=True, slots=True)
class FiledObjects:
    vins: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    imeis: tuple[str, ...] = ()
    serials: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.vins or self.plates or self.imeis or self.serials)


@dataclass(frozen=True, slots=True)
class FiledParcel:
    declared_contents: str
    sender_verified: bool
    waybill: str = ""
    courier: str = ""


@dataclass(frozen=True, slots=True)
class FiledChemicalSale:
    """A sale of a listed precursor: what, how much, how paid, for what stated use."""

    cas: str
    concentration_pct: float
    quantity_kg: float
    stated_use: str
    payment: str
    buyer_kind: str
    buyer_licence: str | None
    seller: str
    sold_at: datetime


@dataclass(frozen=True, slots=True)
class RegistrationFiled:
    """A business's registration was stored (any sector)."""

    event_id: int
    submission_id: int
    sector: str
    persons: tuple[FiledPerson, ...]
    objects: FiledObjects
    parcel: FiledParcel | None
    chemical: FiledChemicalSale | None = None


def _person(position: int, raw: dict[str, Any]) -> FiledPerson:
    born = raw.get("birth_date")
    if born is not None and not isinstance(born, str):
        raise ValueError("birth_date must be a string")
    return FiledPerson(
        position=position,
        role=str(raw.get("role") or ""),
        name=str(raw.get("name") or ""),
        birth_date=born or None,
        sex=raw.get("sex"),
        nationality=raw.get("nationality"),
        doc_type=raw.get("doc_type"),
        issuing_country=raw.get("issuing_country"),
        id_hash=raw.get("id_hash") or None,
        id_ciphertext=raw.get("id_ciphertext") or None,
        id_birth_date=raw.get("id_birth_date") or None,
    )


def registration_filed(
    event_id: int, payload: dict[str, Any], record: dict[str, Any] | None
) -> RegistrationFiled:
    """The event of one outbox row. Raises (KeyError, ValueError…) on a malformed payload."""
    objects = payload.get("objects") or {}
    parcel = payload.get("parcel")
    return RegistrationFiled(
        event_id=event_id,
        submission_id=int(payload["submission_id"]),
        sector=str(payload["sector"]),
        persons=tuple(_person(n, raw) for n, raw in enumerate((record or {}).get("persons") or [])),
        objects=FiledObjects(
            tuple(objects.get("vins", ())),
            tuple(objects.get("plates", ())),
            tuple(objects.get("imeis", ())),
            tuple(objects.get("serials", ())),
        ),
        parcel=FiledParcel(
            str(parcel.get("declared_contents") or ""),
            bool(parcel.get("sender_verified")),
            str(parcel.get("waybill") or ""),
            str(parcel.get("courier") or ""),
        )
        if parcel
        else None,
        chemical=_chemical(str(payload["sector"]), record),
    )


def _chemical(sector: str, record: dict[str, Any] | None) -> FiledChemicalSale | None:
    """A chemical sale's facts come from its stored record (its outbox payload stays bare)."""
    if sector != "chemical" or not record:
        return None
    d = record["details"]
    return FiledChemicalSale(
        cas=str(d["substance_cas"]),
        concentration_pct=float(d["concentration_pct"]),
        quantity_kg=float(d["quantity"]) * UNIT_KG[str(d["unit"])],
        stated_use=str(d["stated_use"]),
        payment=str(d["payment"]),
        buyer_kind=str(d["buyer_kind"]),
        buyer_licence=d.get("buyer_licence"),
        seller=str(d["seller_licence"]),
        sold_at=datetime.fromisoformat(str(d["sold_at"])),
    )
