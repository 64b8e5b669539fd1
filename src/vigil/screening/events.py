"""Typed events that screening raises for the top floor (`vigil/pipeline.py`,
`vigil/rescreen.py`). Screening stores them in its own queue (`screening_event`) in the
transaction of the change itself, so an event exists exactly when its change committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

WATCHLIST_ENTRY_APPROVED = "watchlist_entry.approved"


@dataclass(frozen=True, slots=True)
class WatchlistEntryApproved:
    """A supervisor approved a watchlist entry: registrations already stored within the
    look-back window are screened against that entry alone."""

    entry_id: str
    approved_at: datetime
    event_id: int = 0  # its row in the queue; 0 before it is stored
