"""The review queue's cursor: what a page hands out comes back as the same sort key, and
anything else is refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigil.video.review_cursor import BadCursor, ReviewCursor, decode_cursor, encode_cursor

CURSORS = [
    ReviewCursor(datetime(2026, 12, 6, 1, 0, tzinfo=UTC), 1),
    ReviewCursor(datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=UTC), 2**63 - 1),
    ReviewCursor(datetime(2026, 1, 1, 8, tzinfo=timezone(timedelta(hours=8))), 42),
]


@pytest.mark.parametrize("cursor", CURSORS)
def test_a_cursor_comes_back_as_it_went(cursor: ReviewCursor) -> None:
    token = encode_cursor(cursor)
    assert token.isascii() and "=" not in token and "/" not in token and "+" not in token
    assert decode_cursor(token) == cursor


@pytest.mark.parametrize(
    "token",
    ["", "x" * 121, "not-a-cursor", "MHwx", "é", encode_cursor(CURSORS[0]) + "AA"],
)
def test_anything_else_is_refused(token: str) -> None:
    with pytest.raises(BadCursor):
        decode_cursor(token)
