"""The precursor catalogue: substances with their CAS numbers, names in Chinese and English,
concentration limits and reportable thresholds. Pure; the database keeps its versions."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

from vigil.core.errors import IdentifierError
from vigil.core.ids import validate_cas_number

MixtureRole = Literal["oxidiser", "fuel", "acid", ""]
# How many kilograms one unit of a sale is. A litre counts as a kilogram: the thresholds are
# set in kilograms of product, and a solution's density is not asked of the seller.
UNIT_KG = {"kg": 1.0, "g": 0.001, "t": 1000.0, "L": 1.0, "mL": 0.001}
LISTS = {
    "cn-2017": "易制爆危险化学品名录（2017年版）",
    "eu-i": "Regulation (EU) 2019/1148, Annex I (restricted explosives precursors)",
    "eu-ii": "Regulation (EU) 2019/1148, Annex II (reportable explosives precursors)",
}


@dataclass(frozen=True, slots=True)
class Substance:
    substance_id: str
    name_zh: str
    name_en: str
    cas: str
    synonyms: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    # Annex I column 2: not made available to private persons above this % w/w. An Annex I
    # substance without a % limit (ammonium nitrate) is refused to private persons outright.
    restricted_above_pct: float | None = None
    licence_upper_pct: float | None = None  # Annex I column 3
    cumulative_pure_kg: float | None = None  # per buyer within the rule window
    large_quantity_kg: float | None = None  # the cash rule's "large quantity"
    mixture_role: MixtureRole = ""
    verification: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "cas", validate_cas_number(self.cas))
        except IdentifierError as exc:
            raise ValueError(f"{self.substance_id}: {exc}") from None
        unknown = [name for name in self.lists if name not in LISTS]
        if unknown:
            raise ValueError(f"{self.substance_id}: unknown list {unknown[0]!r}")

    @property
    def restricted(self) -> bool:
        """Annex I, or a limit an admin set for a substance added at run time."""
        return "eu-i" in self.lists or self.restricted_above_pct is not None

    def restricted_for_private(self, concentration_pct: float) -> bool:
        """Annex I: above the column-2 limit, not for members of the general public."""
        if not self.restricted:
            return False
        if self.restricted_above_pct is None:
            return True
        return concentration_pct > self.restricted_above_pct

    def label(self) -> str:
        return f"{self.name_en} ({self.name_zh}, CAS {self.cas})"


@dataclass
class Catalogue:
    """Substances by id and by CAS number, at one catalogue version."""

    version: int = 0
    by_id: dict[str, Substance] = field(default_factory=dict)
    by_cas: dict[str, Substance] = field(default_factory=dict)

    @classmethod
    def of(cls, substances: Iterable[Substance], version: int = 0) -> Catalogue:
        out = cls(version=version)
        for substance in substances:
            out.add(substance)
        return out

    def add(self, substance: Substance) -> None:
        old = self.by_id.get(substance.substance_id)
        if old is not None:
            self.by_cas.pop(old.cas, None)
        self.by_id[substance.substance_id] = substance
        self.by_cas[substance.cas] = substance

    def remove(self, substance_id: str) -> None:
        old = self.by_id.pop(substance_id, None)
        if old is not None:
            self.by_cas.pop(old.cas, None)

    def find(self, cas: str) -> Substance | None:
        return self.by_cas.get(cas)

    def __len__(self) -> int:
        return len(self.by_id)


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def parse_seed(lines: Iterable[str]) -> list[Substance]:
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    out = []
    for row in rows:
        role = row["mixture_role"].strip()
        if role not in ("oxidiser", "fuel", "acid", ""):
            raise ValueError(f"{row['substance_id']}: unknown mixture role {role!r}")
        out.append(
            Substance(
                substance_id=row["substance_id"].strip(),
                name_zh=row["name_zh"].strip(),
                name_en=row["name_en"].strip(),
                cas=row["cas"].strip(),
                synonyms=tuple(s.strip() for s in row["synonyms"].split(";") if s.strip()),
                lists=tuple(s.strip() for s in row["lists"].split(";") if s.strip()),
                restricted_above_pct=_number(row["restricted_above_pct"]),
                licence_upper_pct=_number(row["licence_upper_pct"]),
                cumulative_pure_kg=_number(row["cumulative_pure_kg"]),
                large_quantity_kg=_number(row["large_quantity_kg"]),
                mixture_role=role,  # type: ignore[arg-type]
                verification=row["verification"].strip(),
            )
        )
    return out


@lru_cache(maxsize=1)
def seed_substances() -> tuple[Substance, ...]:
    """The catalogue shipped with Vigil (data/precursors.csv)."""
    text = resources.files("vigil.precursors").joinpath("data/precursors.csv").read_text("utf-8")
    return tuple(parse_seed(text.splitlines()))


def seed_catalogue() -> Catalogue:
    return Catalogue.of(seed_substances())
