"""Checkpoints that leave the database (RFC 9162 logs are witnessed, not self-certified).

Each checkpoint the log signs is also appended, as one JSON line, to a file the database
role cannot write (`settings.audit_checkpoint_file`): the signed note and the leaf hashes
of the entries it adds since the previous line. The file alone is a verifiable log of
leaves: its lines' notes carry the log's signature, and the leaves each line accumulates
hash to that line's root. `verify_against_file` reads the database's entries and compares
each one's leaf with the file's, so whoever can write the database alone cannot:
- edit an entry and recompute the later hashes (the first edited entry is named);
- delete the tail together with the checkpoints in the database and rewrite the head;
- insert a forged entry among the witnessed ones.
Entries after the file's last line are reported as not yet witnessed."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from vigil.governance import tlog
from vigil.governance.tlog import Problem, VerifyReport


@dataclass(frozen=True)
class WitnessedLog:
    size: int
    root: bytes
    leaves: list[bytes]


def append_checkpoint(
    path: str | Path, size: int, root: bytes, note: str, leaves: list[bytes]
) -> None:
    """Append one line (O_APPEND, fsync): `leaves` are the leaf hashes of the entries after
    the file's previous line, up to `size`."""
    line = orjson.dumps(
        {
            "size": size,
            "root": root.hex(),
            "note": note,
            "leaves": base64.b64encode(b"".join(leaves)).decode(),
        }
    )
    fd = os.open(str(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def file_size(path: str | Path) -> int:
    """The tree size of the file's last line (0 for no file)."""
    last = 0
    for record in _records(path):
        last = int(record["size"])
    return last


def _records(path: str | Path) -> Iterator[dict[str, Any]]:
    target = Path(path)
    if not target.exists():
        return
    with target.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                yield orjson.loads(raw)


def read_witnessed(path: str | Path, log: tlog.Verifier | None) -> WitnessedLog:
    """The file's leaves, each line's signature and root checked; ValueError if the file
    does not hold together (a line that does not extend the one before)."""
    leaves: list[bytes] = []
    root = tlog.EMPTY_ROOT
    for number, record in enumerate(_records(path), start=1):
        added = base64.b64decode(record["leaves"])
        leaves += [added[i : i + tlog.HASH_SIZE] for i in range(0, len(added), tlog.HASH_SIZE)]
        size, root = int(record["size"]), bytes.fromhex(record["root"])
        if size != len(leaves) or tlog.root_of(leaves) != root:
            raise ValueError(
                f"line {number} of the checkpoint file does not extend the ones before"
            )
        if log is not None:
            signed = tlog.open_checkpoint(record["note"], log)
            if signed.size != size or signed.root != root:
                raise ValueError(f"line {number}'s note does not sign its tree")
    return WitnessedLog(len(leaves), root, leaves)


def verify_against(documents: Iterable[dict[str, Any]], witnessed: WitnessedLog) -> VerifyReport:
    """Compare the database's entries, in seq order, with the witnessed leaves."""
    count = 0
    leaves: list[bytes] = []
    for document in documents:
        seq = int(document["seq"])
        if seq != count + 1:
            return _broken(count, leaves, count + 1, "entry missing from the sequence")
        leaf = tlog.entry_leaf(document)
        if count < witnessed.size and leaf != witnessed.leaves[count]:
            return _broken(count, leaves, seq, "its content is not what was witnessed")
        leaves.append(leaf)
        count += 1
    if count < witnessed.size:
        return _broken(
            count,
            leaves,
            count + 1,
            f"the witnessed log has {witnessed.size} entries, the database {count}",
        )
    unwitnessed = count - witnessed.size
    return VerifyReport(
        count,
        tlog.root_of(leaves).hex(),
        message=f"{unwitnessed} entries after the last witnessed checkpoint" if unwitnessed else "",
    )


def _broken(count: int, leaves: list[bytes], seq: int, why: str) -> VerifyReport:
    return VerifyReport(
        count,
        tlog.root_of(leaves).hex(),
        first_bad_seq=seq,
        problem=Problem.DIFFERS_FROM_WITNESSED,
        message=why,
    )
