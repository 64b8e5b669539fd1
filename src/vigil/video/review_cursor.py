"""Where a page of the review queue ended, as an opaque token the next request hands back.

The queue is ordered newest first: start time, then id, both descending. Neither ever changes
(a review changes an event's state, never its place), so a cursor, the sort key of the last
event a page held, stays where it was: the next page is what sorts after it, events that
arrive meanwhile sort before it (they are new), and pages neither repeat nor skip what was
there, whatever is reviewed between them. Pure: no I/O."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

MAX_CURSOR_CHARS = 120
_BIGINT_MAX = 2**63 - 1


class BadCursor(ValueError):
    """The token is not one this queue handed out."""


@dataclass(frozen=True)
class ReviewCursor:
    started_at: datetime  # aware
    event_id: int


def encode_cursor(cursor: ReviewCursor) -> str:
    text = f"{cursor.started_at.isoformat()}|{cursor.event_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> ReviewCursor:
    """The cursor a token stands for; `BadCursor` says why a token is not one."""
    if not token or len(token) > MAX_CURSOR_CHARS:
        raise BadCursor(f"a cursor from a previous page (1 to {MAX_CURSOR_CHARS} characters)")
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor("not a cursor this queue handed out") from None
    parts = text.split("|")
    if len(parts) != 2 or not (parts[1].isascii() and parts[1].isdigit()):
        raise BadCursor("not a cursor this queue handed out")
    try:
        started_at = datetime.fromisoformat(parts[0])
    except ValueError:
        raise BadCursor("not a cursor this queue handed out") from None
    event_id = int(parts[1])
    if started_at.tzinfo is None or not 1 <= event_id <= _BIGINT_MAX:
        raise BadCursor("not a cursor this queue handed out")
    return ReviewCursor(started_at=started_at, event_id=event_id)
