"""The catalogue and the rules, in and out."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vigil.core.errors import IdentifierError
from vigil.core.ids import validate_cas_number


class SubstanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    substance_id: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=200)
    cas: str = Field(min_length=5, max_length=16)
    synonyms: list[str] = Field(default_factory=list, max_length=50)
    lists: list[Literal["cn-2017", "eu-i", "eu-ii"]] = Field(default_factory=list, max_length=3)
    restricted_above_pct: float | None = Field(default=None, gt=0, le=100)
    licence_upper_pct: float | None = Field(default=None, gt=0, le=100)
    cumulative_pure_kg: float | None = Field(default=None, gt=0, le=1_000_000)
    large_quantity_kg: float | None = Field(default=None, gt=0, le=1_000_000)
    mixture_role: Literal["oxidiser", "fuel", "acid", ""] = ""
    verification: str = Field(default="added at run time", max_length=1000)

    @field_validator("cas")
    @classmethod
    def _cas(cls, value: str) -> str:
        try:
            return validate_cas_number(value)
        except IdentifierError as exc:
            raise ValueError(str(exc)) from None


class SubstanceOut(BaseModel):
    substance_id: str
    name_zh: str
    name_en: str
    cas: str
    synonyms: list[str]
    lists: list[str]
    restricted_above_pct: float | None
    licence_upper_pct: float | None
    cumulative_pure_kg: float | None
    large_quantity_kg: float | None
    mixture_role: str
    verification: str


class CatalogueOut(BaseModel):
    version: int
    lists: dict[str, str]
    substances: list[SubstanceOut]


class SubstanceAdded(BaseModel):
    substance_id: str
    version: int


class RuleOut(BaseModel):
    rule_id: str
    title: str
    text: str
    source: str
    effect: str
    parameters: dict[str, Any]


class RulesOut(BaseModel):
    rules: list[RuleOut]
