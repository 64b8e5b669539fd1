"""Identity-key rotation across the domains, without downtime.

1. `begin`: the key file's identity keys become the previous keys and new ones are
   generated (with keys from the environment, set `VIGIL_ID_*_KEY` to the new keys and
   `VIGIL_ID_*_KEY_PREVIOUS` to the old ones instead). Restart the servers: from then on they
   hash and encrypt under the new keys and still open, and link, what the old keys sealed.
2. `rotate`: every stored value is re-keyed in batches, each in its own transaction, while
   intake goes on. It can be stopped and run again: a value the new key opens is skipped.
3. `finish`: a last pass, then the previous keys leave the key file (restart once more).
   Nothing stored is then readable with the old keys.

Watchlist entries go first, so that screening by identity number matches the new filings'
hashes as early as possible; each domain re-keys its own tables (`rekey_*` in its service)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed
from vigil.core.runtime import Runtime
from vigil.intake import service as intake
from vigil.registry import service as registry
from vigil.response import service as response
from vigil.screening import service as screening
from vigil.video import service as video

Rekey = Callable[[Session, IdentifierVault, int, int], Rekeyed]
STORES: tuple[tuple[str, Rekey], ...] = (
    ("watchlist entries", screening.rekey_entries),
    ("identity documents", registry.rekey_documents),
    ("registrations", intake.rekey_submissions),
    ("incident callers", response.rekey_callers),
    ("camera stream URLs", video.rekey_cameras),
)
Progress = Callable[[str, int, int], None]  # store, rows read so far, rows changed so far


@dataclass
class RotationReport:
    read: dict[str, int]
    changed: dict[str, int]

    @property
    def total_changed(self) -> int:
        return sum(self.changed.values())


def rotate(
    runtime: Runtime, *, batch: int = 2000, progress: Progress | None = None
) -> RotationReport:
    """Re-key every stored value the current keys do not open yet."""
    vault = runtime.vault
    report = RotationReport({}, {})
    for name, rekey in STORES:
        cursor, read, changed = 0, 0, 0
        while True:
            with runtime.unit_of_work() as session:
                done = rekey(session, vault, cursor, batch)
            if done.last_id is None:
                break
            read += batch
            changed += done.changed
            cursor = done.last_id
            if progress is not None:
                progress(name, read, changed)
        report.read[name], report.changed[name] = read, changed
    return report
