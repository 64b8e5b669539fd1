"""Protected attributes that Vigil never stores or uses (non-negotiable 7)."""

from __future__ import annotations

from collections.abc import Iterable

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


def protected_fields_in(names: Iterable[str]) -> list[str]:
    return sorted(n for n in names if n.strip().lower() in PROTECTED_ATTRIBUTES)
