"""Fields every sector shares: the identity of a person as written on the document, and
times. Names are kept as written, in any script, in NFKC form. Identity numbers are validated
here and leave the validation path only as a vault hash and ciphertext."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from vigil.core.dates import BIRTH_DATE_FORMS, BIRTH_DATE_PATTERN, filed_birth_date
from vigil.core.errors import IdentifierError
from vigil.core.ids import (
    embedded_birth_digits,
    validate_cn_resident_id,
    validate_passport_number,
)
from vigil.core.text import normalise_name

DEFAULT_TIMEZONE = "Asia/Shanghai"
FUTURE_TOLERANCE = timedelta(hours=1)
_ZONES: dict[str, ZoneInfo] = {}


def _zone(context: dict[str, Any]) -> ZoneInfo:
    name = context.get("timezone", DEFAULT_TIMEZONE)
    if name not in _ZONES:
        _ZONES[name] = ZoneInfo(name)
    return _ZONES[name]


def _event_time(value: datetime, info: ValidationInfo) -> datetime:
    """Naive times are local to the business (the configured zone); all are kept in UTC."""
    context = info.context or {}
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(context))
    value = value.astimezone(UTC)
    now = context.get("now") or datetime.now(UTC)
    if value > now + FUTURE_TOLERANCE:  # callers validating many rows pass one "now"
        raise ValueError("is in the future")
    return value


EventTime = Annotated[datetime, AfterValidator(_event_time)]


def _birth_date(value: Any, info: ValidationInfo) -> str:
    """A birth date as registers hold it: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (ISO 8601 at
    reduced precision), kept as filed; a `date` (from Python callers) is a full date."""
    if type(value) is date:
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"must be a date as {BIRTH_DATE_FORMS}")
    now = (info.context or {}).get("now")
    return filed_birth_date(value, now.date() if now is not None else date.today())


# Kept as a string: a year or a year and month is stored as such, never padded to a day.
BirthDate = Annotated[
    str,
    StringConstraints(pattern=BIRTH_DATE_PATTERN),  # for the API schema: the shape
    Field(examples=["1985-03-12", "1985-03", "1985"]),
    BeforeValidator(_birth_date),  # runs first: the precise check and its message
]


class DocumentType(StrEnum):
    CN_RESIDENT_ID = "cn_resident_id"
    PASSPORT = "passport"
    OTHER = "other"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNSPECIFIED = "X"


class IntakeModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$", to_upper=True)]


class Identity(IntakeModel):
    """A person as written on the identity document."""

    name: Name
    doc_type: DocumentType
    id_number: Annotated[str, Field(min_length=1, max_length=40, repr=False)]
    issuing_country: CountryCode | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    nationality: CountryCode | None = None

    @field_validator("name")
    @classmethod
    def _nfkc(cls, value: str) -> str:
        return normalise_name(value)

    @field_validator("id_number")
    @classmethod
    def _valid_number(cls, value: str, info: ValidationInfo) -> str:
        doc_type = info.data.get("doc_type")
        now = (info.context or {}).get("now")
        try:
            if doc_type == DocumentType.CN_RESIDENT_ID:
                return validate_cn_resident_id(value, today=now.date() if now else None)
            if doc_type == DocumentType.PASSPORT:
                return validate_passport_number(value)
        except IdentifierError as exc:
            raise ValueError(str(exc)) from None
        number = "".join(value.split()).upper()
        if not number.isalnum():
            raise ValueError("may hold only letters and digits")
        return number

    @model_validator(mode="after")
    def _consistent(self) -> Identity:
        if self.doc_type == DocumentType.PASSPORT and not self.issuing_country:
            raise _field_error("issuing_country", "is required for a passport")
        if self.doc_type == DocumentType.CN_RESIDENT_ID and len(self.id_number) in (15, 18):
            number = self.id_number
            # Filled in through __dict__: pydantic's __setattr__ is slow in this hot path.
            if self.birth_date is None:
                self.__dict__["birth_date"] = self.id_birth_date()
            # A filed date the number disagrees with (or a year, or a year and month) is kept
            # as filed: screening weighs both (`id_birth_date`) and explains the case.
            if self.sex is None:
                odd = int(number[16] if len(number) == 18 else number[14]) % 2
                self.__dict__["sex"] = Sex.MALE if odd else Sex.FEMALE
        return self

    def id_birth_date(self) -> str | None:
        """The birth date ('YYYY-MM-DD') a valid resident ID embeds; None for other
        documents."""
        number = self.id_number
        if self.doc_type != DocumentType.CN_RESIDENT_ID or len(number) not in (15, 18):
            return None
        digits = embedded_birth_digits(number)
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"

    def filed_apart_from_id(self) -> str | None:
        """The resident ID's birth date where it is not the one filed (a year or year-month
        was filed, or another date): screening weighs both. None where they are the same."""
        embedded = self.id_birth_date()
        return embedded if embedded is not None and embedded != self.birth_date else None


def _field_error(field: str, message: str) -> ValueError:
    # Pydantic keeps the message; the field name travels as a prefix we split off again.
    return ValueError(f"@{field}: {message}")


def check_order(start: datetime, end: datetime | None, end_field: str, start_field: str) -> None:
    if end is not None and end <= start:
        raise _field_error(end_field, f"must be after {start_field}")


SectorName = Literal["hotel", "secondhand", "motor", "venue", "parcel", "chemical"]


def person_fields(identity: Identity) -> dict[str, Any]:
    """The identity without its number (the caller adds hash and ciphertext)."""
    return {
        "name": identity.name,
        "doc_type": identity.doc_type.value,
        "issuing_country": identity.issuing_country,
        "birth_date": identity.birth_date,
        **_id_birth_date(identity),
        "sex": identity.sex.value if identity.sex else None,
        "nationality": identity.nationality,
    }


def _id_birth_date(identity: Identity) -> dict[str, str]:
    """`id_birth_date`, only where the ID's date is not the one filed (so the stored form, and
    the row key, of every other record is what it was)."""
    apart = identity.filed_apart_from_id()
    return {"id_birth_date": apart} if apart else {}


class SectorRecord(IntakeModel):
    """What every sector's record tells the ingest path."""

    sector: ClassVar[str]
    deadline_key: ClassVar[str]

    def event_time(self) -> datetime:
        raise NotImplementedError

    def event_kind(self) -> str:
        return "filing"

    def reference(self) -> str | None:
        return None

    def persons(self) -> list[tuple[str, Identity]]:
        raise NotImplementedError

    def objects(self) -> dict[str, list[str]]:
        return {}

    def parcel(self) -> dict[str, Any] | None:
        return None

    def details(self, persons: list[tuple[str, Identity]] | None = None) -> dict[str, Any]:
        """The record without its identities, as JSON-ready values. `persons`, when the
        caller already has them, saves asking again."""
        skip = {role.split(".")[0] for role, _ in (self.persons() if persons is None else persons)}
        # the serializer itself: model_dump's checks around it cost a quarter as much again
        return self.__pydantic_serializer__.to_python(self, mode="json", exclude=skip)
