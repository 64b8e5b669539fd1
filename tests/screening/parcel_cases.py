"""What the parcel rule tests share: the shipped catalogue, a fixed day, and a decision on
one declaration with any evasion steps or context rules switched off."""

from __future__ import annotations

from datetime import date

from vigil.screening.parcels import ParcelDecision, load_catalogue, screen_parcel

DAY = date(2025, 6, 1)
CATALOGUE = load_catalogue()


def decide(text: str, **kwargs) -> ParcelDecision:  # type: ignore[no-untyped-def]
    return screen_parcel(CATALOGUE, text, True, on=DAY, **kwargs)


def items(text: str, **kwargs) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.item_id for m in decide(text, **kwargs).matches}
