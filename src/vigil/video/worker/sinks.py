"""Where events go: a JSONL file or an HTTP webhook. Both are idempotent by source_event_id,
so a restarted worker that re-emits an event never doubles it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from vigil.video.worker.events import VideoEvent

if TYPE_CHECKING:
    import httpx


class Sink(Protocol):
    def emit(self, event: VideoEvent) -> bool:
        """Deliver `event`; False when it was delivered before."""
        ...

    def close(self) -> None: ...


def _read_ids(path: Path, key: str) -> set[str]:
    """The ids already in a JSONL file; a torn last line (a kill mid-write) is cut off."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        with path.open("r+b") as handle:
            handle.truncate(end)
    ids = set()
    for line in data[:end].splitlines():
        if line.strip():
            ids.add(json.loads(line)[key])
    return ids


class _Ledger:
    def __init__(self, path: Path, key: str):
        self.path = path
        self.key = key
        self.seen = _read_ids(path, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)

    def append(self, record: dict) -> None:
        os.write(self.fd, (json.dumps(record, separators=(",", ":")) + "\n").encode())
        os.fsync(self.fd)
        self.seen.add(record[self.key])

    def close(self) -> None:
        os.close(self.fd)


class JsonlSink:
    def __init__(self, path: str | Path):
        self.ledger = _Ledger(Path(path), "source_event_id")

    def emit(self, event: VideoEvent) -> bool:
        if event.source_event_id in self.ledger.seen:
            return False
        self.ledger.append(event.model_dump(mode="json"))
        return True

    def close(self) -> None:
        self.ledger.close()


class WebhookSink:
    """POST each event to Vigil's webhook (`/v1/video/events/webhook`, a JSON array of one),
    with the camera owner's API key as `X-API-Key`. The receiver is idempotent on (source,
    source_event_id); a local ledger of delivered ids also skips re-sends after a restart."""

    def __init__(
        self,
        url: str,
        ledger: str | Path,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
        client: httpx.Client | None = None,
    ):
        import httpx

        self.url = url
        self.headers = headers or {}
        self.client = client or httpx.Client(timeout=timeout)
        self._own_client = client is None
        self.ledger = _Ledger(Path(ledger), "source_event_id")

    def emit(self, event: VideoEvent) -> bool:
        if event.source_event_id in self.ledger.seen:
            return False
        body = [event.model_dump(mode="json")]
        response = self.client.post(self.url, json=body, headers=self.headers)
        response.raise_for_status()
        self.ledger.append(
            {"source_event_id": event.source_event_id, "status": response.status_code}
        )
        return True

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        self.ledger.close()
