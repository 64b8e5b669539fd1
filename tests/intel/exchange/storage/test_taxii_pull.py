"""`vigil intel pull|push` against the OASIS medallion server (issue 25, acceptance 2):
started in the test on a loopback port with its memory backend and a collection of a
partner's objects; the pull imports them with the import report, and a second pull imports
nothing new. Also: the retry with backoff on server errors."""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from taxii2client.v21 import Collection
from typer.testing import CliRunner

from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.cli import app as cli_app
from vigil.core.runtime import Runtime
from vigil.governance.models import AuditEntry
from vigil.intel.clues.models import Clue
from vigil.intel.exchange.models import TaxiiSync
from vigil.intel.exchange.stix import TLP2_IDS
from vigil.intel.exchange.taxii_client import RemoteError, with_retry
from vigil.intel.marking import Tlp

pytestmark = pytest.mark.storage

COLLECTION = "9cfa669c-ee94-4ece-afd2-f8edac37d8fd"
PARTNER = "identity--5b6d0a2e-8c1f-4f7a-9d3e-2a1b0c9d8e7f"
STAMP = "2026-02-01T09:00:00.000Z"


def _report(n: int, tlp: Tlp) -> dict[str, Any]:
    return {
        "type": "report",
        "spec_version": "2.1",
        "id": f"report--0b7c3a1e-4d5f-4a6b-8c7d-9e0f1a2b3c{n:02d}",
        "created": STAMP,
        "modified": STAMP,
        "name": f"partner sighting {n} near the river port",
        "published": STAMP,
        "report_types": ["observed-data"],
        "object_refs": [PARTNER],
        "created_by_ref": PARTNER,
        "object_marking_refs": [TLP2_IDS[tlp]],
    }


PARTNER_OBJECTS = [
    {
        "type": "identity",
        "spec_version": "2.1",
        "id": PARTNER,
        "created": STAMP,
        "modified": STAMP,
        "name": "River Port CERT",
        "identity_class": "organization",
    },
    _report(1, Tlp.GREEN),
    _report(2, Tlp.AMBER),
    _report(3, Tlp.CLEAR),
    {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9",
        "created": STAMP,
        "modified": STAMP,
        "name": "courier depot phone",
        "pattern": "[phone-number:value = '+8613800138000']",
        "pattern_type": "stix",
        "valid_from": STAMP,
        "created_by_ref": PARTNER,
        "object_marking_refs": [TLP2_IDS[Tlp.GREEN]],
    },
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _medallion(tmp_path: Path, *, discovery_default: bool = True) -> Iterator[str]:
    """medallion on a loopback port, memory backend, one empty writable collection under API
    root api1 (and api2, with none); the partner's objects are POSTed to it with
    taxii2-client. Discovery (/taxii2/) lists both roots, api1 as its default unless
    `discovery_default` is false. Yields the API root api1's URL."""
    port = _free_port()
    root = f"http://127.0.0.1:{port}/api1/"
    discovery: dict[str, Any] = {
        "title": "River Port CERT",
        "api_roots": [root, f"http://127.0.0.1:{port}/api2/"],
    }
    if discovery_default:
        discovery["default"] = root
    data = {
        "/discovery": discovery,
        "api2": {
            "information": {
                "title": "partner archive",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 10485760,
            },
            "status": [],
            "collections": [],
        },
        "api1": {
            "information": {
                "title": "partner root",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 10485760,
            },
            "status": [],
            "collections": [
                {
                    "id": COLLECTION,
                    "title": "River Port CERT sightings",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": [],
                    "manifest": [],
                }
            ],
        },
    }
    (tmp_path / "data.json").write_text(json.dumps(data))
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": str(tmp_path / "data.json"),
        },
        "users": {"vigil": "partner-secret"},
        "taxii": {"max_page_size": 100},
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "medallion.scripts.run",
            "--port",
            str(port),
            str(tmp_path / "config.json"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        proc.stderr.read().decode() if proc.stderr else "no start"
                    ) from exc
                time.sleep(0.1)
        coll = Collection(
            f"{root}collections/{COLLECTION}/", user="vigil", password="partner-secret"
        )
        status = coll.add_objects({"objects": PARTNER_OBJECTS})
        assert status.success_count == len(PARTNER_OBJECTS)
        yield root
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def medallion(tmp_path: Path) -> Iterator[str]:
    with _medallion(tmp_path) as root:
        yield root


def _discovery(root: str) -> str:
    return root.removesuffix("api1/") + "taxii2/"


def _cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    monkeypatch.setenv("VIGIL_ARGON2_TIME_COST", str(s.argon2_time_cost))
    monkeypatch.setenv("VIGIL_ARGON2_MEMORY_KIB", str(s.argon2_memory_kib))
    monkeypatch.setenv("VIGIL_TAXII_KEY", "partner-secret")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, shlex.split(command))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _agreement(iw: IntelWorld) -> str:
    """Agency A's agreement with Agency B stands for the agreement with the partner."""
    r = iw.client.post(
        "/v1/sharing-agreements",
        json={"to_org_id": iw.world.org_ids["B"], "purpose": "CERT exchange", "max_tlp": "AMBER"},
        headers=iw.world.auth("supervisor"),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["legal_basis"])


def test_pull_from_medallion_imports_then_imports_nothing_new(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    basis = _agreement(iw)
    pull = (
        f"intel pull --server {medallion} --collection {COLLECTION} --as analyst "
        f"--legal-basis {basis} --user vigil --page-size 2"
    )
    code, out = _cli(runtime, monkeypatch, pull)
    assert code == 0, out
    assert "5 objects in 3 pages" in out
    assert "report: imported 3, merged 0, skipped 0" in out
    assert "indicator: imported 1" in out
    assert "imported 4 clues" in out
    with runtime.unit_of_work() as session:
        clues = list(session.scalars(select(Clue).order_by(Clue.id)))
        assert {c.tlp for c in clues} == {"GREEN", "AMBER", "CLEAR"}
        sync = session.scalar(select(TaxiiSync))
        assert sync is not None and sync.direction == "pull" and sync.added_after
        assert sync.report["imported"] == 4
        collected = session.scalar(
            select(func.count()).where(
                AuditEntry.action == "collect", AuditEntry.object_type == "stix_bundle"
            )
        )
    assert collected == 1
    # The analyst of the importing agency reads them through the ordinary API.
    r = iw.client.get("/v1/clues", headers=iw.h("analyst"))
    assert r.status_code == 200 and len(r.json()) >= 4

    code, out = _cli(runtime, monkeypatch, pull)
    assert code == 0, out
    assert "0 objects added after" in out and "imported 0 clues" in out
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Clue)) == 4

    # A new object on the partner's side: the next pull brings only that one.
    coll = Collection(
        f"{medallion}collections/{COLLECTION}/", user="vigil", password="partner-secret"
    )
    later = {
        **_report(4, Tlp.GREEN),
        "created": "2026-02-02T09:00:00.000Z",
        "modified": "2026-02-02T09:00:00.000Z",
    }
    coll.add_objects({"objects": [later]})
    code, out = _cli(runtime, monkeypatch, pull)
    assert code == 0, out
    assert "1 objects added after" in out and "imported 1 clues" in out


def test_pull_refuses_a_basis_of_another_agency(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    basis = _agreement(iw)
    code, out = _cli(
        runtime,
        monkeypatch,
        f"intel pull --server {medallion} --collection {COLLECTION} --as analyst_c "
        f"--legal-basis {basis} --user vigil",
    )
    assert code == 2 and "refused" in out
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Clue)) == 0


def test_pull_ends_with_1_when_the_partner_refuses_the_key(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    basis = _agreement(iw)
    code, out = _cli(
        runtime,
        monkeypatch,
        f"intel pull --server {medallion} --collection {COLLECTION} --as analyst "
        f"--legal-basis {basis} --user vigil --key not-the-partner-secret",
    )
    assert code == 1 and "error:" in out and "401" in out
    with runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Clue)) == 0


def _flat_cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[int, str]:
    """The command's exit code and output on one line (the console wraps long ones)."""
    code, out = _cli(runtime, monkeypatch, command)
    return code, " ".join(out.split())


def _clue_count(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Clue)) or 0)


def test_pull_through_discovery_takes_its_default_api_root(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    pull = f"intel pull --collection {COLLECTION} --as analyst --legal-basis {_agreement(iw)} "
    pull += "--user vigil --server "
    code, out = _flat_cli(runtime, monkeypatch, pull + _discovery(medallion))
    assert code == 0, out
    assert f"API root {medallion}" in out and "imported 4 clues" in out
    # the API root's own URL is the same collection: nothing new since the pull above
    code, out = _flat_cli(runtime, monkeypatch, pull + medallion)
    assert code == 0, out
    assert "0 objects added after" in out and "imported 0 clues" in out
    assert _clue_count(runtime) == 4


def test_pull_through_discovery_with_no_default_needs_api_root(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    iw = build_intel_world(runtime)
    with _medallion(tmp_path, discovery_default=False) as root:
        pull = f"intel pull --server {_discovery(root)} --collection {COLLECTION} --as analyst "
        pull += f"--legal-basis {_agreement(iw)} --user vigil"
        code, out = _flat_cli(runtime, monkeypatch, pull)
        assert code == 1, out
        assert "no default API root" in out and "--api-root" in out and root in out
        code, out = _flat_cli(runtime, monkeypatch, pull + " --api-root api9")
        assert code == 1 and "--api-root api9 is not one of the API roots" in out, out
        assert _clue_count(runtime) == 0
        code, out = _flat_cli(runtime, monkeypatch, pull + " --api-root api1")
        assert code == 0, out
        assert f"API root {root}" in out and "imported 4 clues" in out
        code, out = _flat_cli(runtime, monkeypatch, f"{pull} --api-root {root}")  # by its URL
        assert code == 0 and "imported 0 clues" in out, out
        # an API root is not a discovery endpoint: --api-root has nothing to choose from
        code, out = _flat_cli(
            runtime, monkeypatch, pull.replace(_discovery(root), root) + " --api-root api1"
        )
        assert code == 1 and "is an API root already" in out, out


def test_pull_from_a_url_that_is_not_taxii_says_so(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    code, out = _flat_cli(
        runtime,
        monkeypatch,
        f"intel pull --server {medallion}collections/ --collection {COLLECTION} --as analyst "
        f"--legal-basis {_agreement(iw)} --user vigil",
    )
    assert code == 1 and "neither a TAXII 2.1 API root nor discovery" in out, out
    assert _clue_count(runtime) == 0


def test_push_sends_the_case_within_the_agreement(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, medallion: str
) -> None:
    iw = build_intel_world(runtime)
    basis = _agreement(iw)  # up to AMBER
    case_id = int(iw.basis["analyst"].removeprefix("case:"))
    for tlp in ("GREEN", "AMBER+STRICT", "RED"):
        clue = iw.clue("analyst", tlp, f"a {tlp} clue for the partner")
        r = iw.client.post(f"/v1/cases/{case_id}/clues/{clue}", headers=iw.h("analyst"))
        assert r.status_code in (200, 201), r.text
    code, out = _cli(
        runtime,
        monkeypatch,
        f"intel push --server {medallion} --collection {COLLECTION} --case {case_id} "
        f"--as analyst --legal-basis {basis} --user vigil",
    )
    assert code == 0, out
    assert "pushed 1 clues" in out
    assert "withheld 1 clues: beyond the agreement" in out
    assert "withheld 1 clues: TLP:RED" in out
    coll = Collection(
        f"{medallion}collections/{COLLECTION}/", user="vigil", password="partner-secret"
    )
    names = {o.get("name") for o in coll.get_objects(type="report")["objects"]}
    assert any("GREEN clue for the partner" in str(n) for n in names)
    assert not any("RED clue" in str(n) or "STRICT clue" in str(n) for n in names)
    rows = iw.audit_rows(action="disclose", recipient="org:Agency B")
    assert len(rows) == 1


def test_retry_with_backoff_on_server_errors_only() -> None:
    waits: list[float] = []
    answers = iter([503, 502, 200])

    def call() -> str:
        code = next(answers)
        if code >= 500:
            response = requests.Response()
            response.status_code = code
            raise requests.HTTPError(response=response)
        return "ok"

    assert with_retry(call, sleep=waits.append) == "ok"
    assert waits == [0.5, 1.0]

    def refused() -> str:
        response = requests.Response()
        response.status_code = 403
        raise requests.HTTPError(response=response)

    waits.clear()
    with pytest.raises(RemoteError, match="403"):
        with_retry(refused, sleep=waits.append)
    assert waits == []
