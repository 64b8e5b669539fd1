"""PostgreSQL `COPY … FROM STDIN` (text format) encoding of prepared rows.

File loads encode in the worker processes that validate, so the storing process only puts
ids in front of ready lines. Text format: tab-separated columns, `\\N` for NULL, and a
backslash, tab, newline or carriage return inside a value escaped with a backslash.

Lines are UTF-8 bytes from start to end: orjson writes bytes, and going through `str` (a
decode per value, then one encode of the whole chunk, of text that is mostly Han characters)
cost more than all the rest of the encoding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from vigil.intake.validation import PreparedRow

# The storing process writes `id`, organisation, sector, channel and filed_at in front.
SUBMISSION_COLUMNS = (
    "id, organisation_id, sector, channel, filed_at, row_key, event_kind, ref, event_time, "
    "id_hash, record"
)
# An event has its submission's id, so the outbox keeps file order however chunks commit.
OUTBOX_COLUMNS = "id, submission_id, sector, kind, payload, status, attempts, created_at"

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str | None) -> str:
    return "\\N" if value is None else value.translate(_ESCAPES)


def text_bytes(value: str | None) -> bytes:
    return text(value).encode()


def iso_time(value: datetime) -> bytes:
    """`value.isoformat()` for an aware datetime, as bytes, about five times cheaper."""
    return orjson.dumps(value)[1:-1]


def json_text(value: Any) -> bytes:
    # orjson escapes every control character inside strings; only backslashes remain.
    return orjson.dumps(value).replace(b"\\", b"\\\\")


@dataclass
class EncodedRows:
    """Rows ready for COPY, one per distinct row key, in first-seen order."""

    keys: list[str] = field(default_factory=list)
    submissions: list[bytes] = field(default_factory=list)  # from row_key to record, with \n
    events: list[bytes] = field(default_factory=list)  # outbox payload after its first "{"
    repeated: int = 0  # rows whose key already appeared earlier in the same chunk

    def __len__(self) -> int:
        return len(self.keys)


def event_payload(sector: str, row: PreparedRow) -> dict[str, Any]:
    """The outbox event, without `submission_id` (see `outbox` for the contract): the sector,
    and the objects and parcel when the record has them."""
    payload: dict[str, Any] = {"sector": sector}
    if row.objects:
        payload["objects"] = row.objects
    if row.parcel is not None:
        payload["parcel"] = row.parcel
    return payload


def encode(rows: Sequence[PreparedRow], sector: str) -> EncodedRows:
    out = EncodedRows()
    seen: set[str] = set()
    keys, submissions, events = out.keys, out.submissions, out.events
    bare = json_text({"sector": sector})[1:]  # an event of the sector alone, encoded once
    kinds: dict[str, bytes] = {}
    for r in rows:
        key = r.row_key
        if key in seen:
            out.repeated += 1
            continue
        seen.add(key)
        keys.append(key)
        kind = kinds.get(r.event_kind) or kinds.setdefault(r.event_kind, text_bytes(r.event_kind))
        submissions.append(
            b"%s\t%s\t%s\t%s\t%s\t%s\n"
            % (
                key.encode(),
                kind,
                text_bytes(r.ref),
                iso_time(r.event_time),
                r.id_hash.encode(),
                json_text(r.record),
            )
        )
        payload = event_payload(sector, r)
        events.append(bare if len(payload) == 1 else json_text(payload)[1:])
    return out
