"""Requests and responses for persons. Unknown fields are refused, so a protected attribute
can never slip in."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from vigil.core.dates import BIRTH_DATE_FORMS, BIRTH_DATE_PATTERN, filed_birth_date
from vigil.core.errors import IdentifierError
from vigil.core.ids import validate_cn_resident_id, validate_passport_number

DocType = Literal["cn_resident_id", "passport", "other"]


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: DocType
    number: str = Field(min_length=1, max_length=40)
    issuing_country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _validate_number(self) -> DocumentIn:
        try:
            if self.doc_type == "cn_resident_id":
                self.number = validate_cn_resident_id(self.number)
            elif self.doc_type == "passport":
                if self.issuing_country is None:
                    raise ValueError("issuing_country is required for a passport")
                self.number = validate_passport_number(self.number)
            else:
                self.number = self.number.strip().upper()
        except IdentifierError as exc:
            raise ValueError(f"number: {exc}") from exc
        return self


def _birth_date(value: Any) -> str:
    if type(value) is date:
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"must be a date as {BIRTH_DATE_FORMS}")
    return filed_birth_date(value, date.today())


# ISO 8601 at reduced precision, kept as given (as intake keeps it)
FiledBirthDate = Annotated[
    str,
    StringConstraints(pattern=BIRTH_DATE_PATTERN),  # for the API schema: the shape
    Field(examples=["1985-03-12", "1985-03", "1985"]),
    BeforeValidator(_birth_date),  # runs first: the precise check and its message
]


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    birth_date: FiledBirthDate | None = None
    sex: Literal["M", "F", "X"] | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class DocumentOut(BaseModel):
    doc_type: str
    issuing_country: str | None
    number: str


class PersonOut(BaseModel):
    id: int
    name: str
    birth_date: str | None  # as filed: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    sex: str | None
    nationality: str | None
    documents: list[DocumentOut]


class PersonCreated(BaseModel):
    id: int
