"""Protected attributes that Vigil never stores or uses (non-negotiable 7)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

PROTECTED_ATTRIBUTES = frozenset(
    {
        "ethnicity",  # forbidden, like every name in this set
        "ethnic_group",
        "race",
        "religion",  # forbidden
        "belief",
        "political_opinion",
        "political_party",
        "trade_union",
        "sexual_orientation",
        "health",
        "minzu",
        "民族",
        "宗教",
        "政治面貌",
    }
)


@lru_cache(maxsize=4096)
def is_protected_name(name: str) -> bool:
    """A field name that names a protected attribute (case and spaces aside); cached, as
    intake asks it of every key of every row."""
    return name.strip().lower() in PROTECTED_ATTRIBUTES


def protected_fields_in(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if is_protected_name(n))
