"""Rotating the identity-number keys while intake goes on (`vigil keys rotate`): values
filed before, during and after the rotation all end under the new keys; nothing stored
opens with the old keys alone; linkage finds the same persons, and screening by identity
number still matches a listed person."""

from __future__ import annotations

import base64
import copy
import secrets
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from tests.intake.conftest import add_sector_businesses
from tests.intake.samples import SAMPLES
from tests.world import World, build_world
from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.api.app import create_app
from vigil.core.protect import IdentifierVault
from vigil.core.runtime import Runtime
from vigil.core.settings import secret
from vigil.demo.people import resident_id
from vigil.flows import rekey
from vigil.governance.access import system_context
from vigil.intake.models import Submission
from vigil.registry.models import PersonDocument, RegistrationLink
from vigil.registry.service import find_person_by_identifier
from vigil.screening import service as screening
from vigil.screening.models import WatchlistEntry

pytestmark = pytest.mark.storage
FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()
BEFORE, DURING = 40, 30


@pytest.fixture
def world(runtime: Runtime) -> World:
    w = build_world(runtime)
    add_sector_businesses(w)
    with runtime.unit_of_work() as session:
        screening.seed_catalogue(session, system_context())
    return w


def _number(i: int) -> str:
    return resident_id("110105", date(1970, 1, 1) + timedelta(days=37 * i), 2 * i + 1)


def _stay(i: int) -> dict[str, Any]:
    stay = copy.deepcopy(SAMPLES["hotel"])
    stay["guest"] = {
        "name": f"王{'一二三四五六七八九十'[i % 10]}{i}",
        "doc_type": "cn_resident_id",
        "id_number": _number(i),
        "nationality": "CHN",
    }
    stay["companions"] = []
    stay["stay_ref"] = f"R-{i}-{time.time_ns()}"
    return stay


def _file(client: TestClient, world: World, i: int) -> None:
    r = client.post(
        "/v1/intake/hotel",
        json=_stay(i),
        headers={"X-API-Key": world.api_keys["hotel"], "Idempotency-Key": secrets.token_hex(8)},
    )
    assert r.status_code == 202, r.text


def _rotated_runtime(old: Runtime) -> Runtime:
    """The servers restarted after `vigil keys begin`: new keys, the old ones as previous."""
    s = old.settings
    fresh_enc = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    settings = s.model_copy(
        update={
            "id_encryption_key": SecretStr(fresh_enc),
            "id_hash_key": SecretStr(secrets.token_urlsafe(48)),
            "id_encryption_key_previous": s.id_encryption_key,
            "id_hash_key_previous": s.id_hash_key,
        }
    )
    return Runtime.create(settings)


def _person_of(runtime: Runtime, number: str) -> int | None:
    with runtime.unit_of_work() as session:
        person = find_person_by_identifier(session, runtime.vault, "cn_resident_id", number)
        return person.id if person else None


def _tokens(runtime: Runtime) -> list[str]:
    with runtime.unit_of_work() as session:
        tokens = list(session.scalars(select(PersonDocument.id_ciphertext)))
        tokens += [t for t in session.scalars(select(WatchlistEntry.id_ciphertext)) if t]
        for record in session.scalars(select(Submission.record)):
            tokens += [p["id_ciphertext"] for p in record["persons"] if p.get("id_ciphertext")]
    return tokens


def test_rotation_while_intake_continues(world: World) -> None:
    old = world.runtime
    wanted = "11010519491231002X"
    body = {
        "entry_id": "W-R",
        "kind": "person",
        "name": "通缉甲",
        "id_number": wanted,
        "expires_at": FUTURE,
        "basis_reference": "(2026)Court-9",
        "basis_authority": "Riverside Intermediate Court",
    }
    assert (
        world.client.post(
            "/v1/screening/watchlist", json=body, headers=world.auth("analyst")
        ).status_code
        == 201
    )
    assert (
        world.client.post(
            "/v1/screening/watchlist/W-R/decision",
            json={"approve": True},
            headers=world.auth("supervisor"),
        ).status_code
        == 200
    )
    for i in range(BEFORE):
        _file(world.client, world, i)
    assert pipeline.drain(old).failed == 0
    persons_before = {i: _person_of(old, _number(i)) for i in range(BEFORE)}
    assert None not in persons_before.values()
    old_vault = IdentifierVault(
        secret(old.settings.id_hash_key), secret(old.settings.id_encryption_key)
    )

    new = _rotated_runtime(old)
    client = TestClient(create_app(new, checkpoint_interval_s=3600))
    reports: list[rekey.RotationReport] = []
    progress: list[tuple[str, int, int]] = []

    def run() -> None:
        reports.append(rekey.rotate(new, batch=7, progress=lambda *a: progress.append(a)))

    rotation = threading.Thread(target=run)
    rotation.start()
    # intake goes on meanwhile: half returning guests (old numbers), half new ones
    for n in range(DURING):
        _file(client, world, n if n % 2 == 0 else BEFORE + n)
        if n % 5 == 4:
            assert pipeline.drain(new).failed == 0
    rotation.join(timeout=300)
    assert not rotation.is_alive() and reports
    assert pipeline.drain(new).failed == 0
    assert reports[0].changed["identity documents"] == BEFORE
    assert reports[0].changed["watchlist entries"] == 1
    assert {p[0] for p in progress} >= {"watchlist entries", "identity documents", "registrations"}
    rekey.rotate(new, batch=50)  # the last pass `vigil keys finish` runs before dropping keys

    # After the rotation: the new keys alone open everything, the old keys alone nothing.
    only_new = Runtime.create(
        new.settings.model_copy(
            update={"id_encryption_key_previous": None, "id_hash_key_previous": None}
        )
    )
    tokens = _tokens(only_new)
    assert len(tokens) >= BEFORE + DURING + 1
    for token in tokens:
        only_new.vault.reveal(token)
        with pytest.raises(InvalidTag):
            old_vault.reveal(token)
    with only_new.unit_of_work() as session:
        stored_hashes = set(session.scalars(select(PersonDocument.id_hash)))
        stored_hashes |= set(session.scalars(select(Submission.id_hash)))
        stored_hashes |= set(session.scalars(select(WatchlistEntry.id_hash)))
    old_hashes = {old_vault.hash(_number(i)) for i in range(BEFORE + DURING)}
    assert not stored_hashes & old_hashes

    # Linkage finds the same persons, by the new keys only.
    assert {i: _person_of(only_new, _number(i)) for i in range(BEFORE)} == persons_before
    with only_new.unit_of_work() as session:
        links = session.execute(select(RegistrationLink.person_id)).scalars().all()
    returning = {persons_before[n] for n in range(0, DURING, 2)}
    assert returning <= set(links)
    with only_new.unit_of_work() as session:
        persons = {d.person_id for d in session.scalars(select(PersonDocument))}
    assert len(persons) == BEFORE + DURING // 2  # returning guests made no new person

    # Screening by identity number still matches the listed person.
    only_new_client = TestClient(create_app(only_new, checkpoint_interval_s=3600))
    stay = _stay(0)
    stay["guest"] = {**stay["guest"], "name": "另一个名字", "id_number": wanted}
    r = only_new_client.post(
        "/v1/intake/hotel",
        json=stay,
        headers={"X-API-Key": world.api_keys["hotel"], "Idempotency-Key": secrets.token_hex(8)},
    )
    assert r.status_code == 202
    assert pipeline.drain(only_new).failed == 0
    with only_new.unit_of_work() as session:
        hits = session.scalars(select(Alert.watchlist_entry_id)).all()
    assert "W-R" in hits
    for rt in (new, only_new):
        rt.engine.dispose()
