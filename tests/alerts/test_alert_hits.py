"""An alert holds every entry its record matched, best first (the schema's rule)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from vigil.alerts.schemas import AlertIn


def _alert(**change: Any) -> dict[str, Any]:
    hits = [
        {"entry_id": "W-1", "score": 0.97, "legal_basis": "warrant 1", "explanation": {}},
        {"entry_id": "W-2", "score": 0.91, "legal_basis": "warrant 2", "explanation": {}},
    ]
    return {
        "kind": "person",
        "score": 0.97,
        "explanation": {},
        "sector": "hotel",
        "submission_id": 1,
        "watchlist_entry_id": "W-1",
        "legal_basis": "warrant 1",
        "organisation_id": 1,
        "hits": hits,
        **change,
    }


def test_an_alert_names_its_best_hit_and_lists_hits_best_first() -> None:
    assert [h.entry_id for h in AlertIn(**_alert()).hits] == ["W-1", "W-2"]
    with pytest.raises(ValidationError, match="best hit"):
        AlertIn(**_alert(watchlist_entry_id="W-2", legal_basis="warrant 2"))
    swapped = _alert()
    swapped["hits"] = swapped["hits"][::-1]
    with pytest.raises(ValidationError):
        AlertIn(**swapped)
    no_basis = _alert()
    no_basis["hits"][1]["legal_basis"] = ""
    with pytest.raises(ValidationError, match="legal_basis"):
        AlertIn(**no_basis)
