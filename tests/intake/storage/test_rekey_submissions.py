"""Re-keying stored registrations in a key rotation (intake.service.rekey_submissions), on
both back-ends: every person's ciphertext that the previous key sealed is saved under the new
key, also that of a person with no keyed hash (who is given none)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from vigil.core.clock import utcnow
from vigil.core.protect import IdentifierVault
from vigil.core.rekey import Rekeyed
from vigil.core.runtime import Runtime
from vigil.core.settings import generate_keys
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.intake import service
from vigil.intake.models import Submission

pytestmark = pytest.mark.storage


def _vault(keys: dict[str, str], previous: dict[str, str] | None = None) -> IdentifierVault:
    old = (previous["id_hash_key"], previous["id_encryption_key"]) if previous else None
    return IdentifierVault(keys["id_hash_key"], keys["id_encryption_key"], old)


def _submission(organisation_id: int, n: int, persons: list[dict[str, Any]]) -> Submission:
    return Submission(
        organisation_id=organisation_id,
        sector="hotel",
        channel="api",
        row_key=f"{n:064x}",
        event_kind="check_in",
        ref=f"R-{n}",
        event_time=utcnow(),
        id_hash=persons[0].get("id_hash") or "",
        record={"details": {}, "persons": persons},
    )


def test_every_sealed_person_is_saved_under_the_new_key(runtime: Runtime) -> None:
    old_keys, new_keys = generate_keys(), generate_keys()
    old, rotating, new = _vault(old_keys), _vault(new_keys, old_keys), _vault(new_keys)
    hashed = {"name": "甲", "id_hash": old.hash("H1"), "id_ciphertext": old.encrypt("H1")}
    unhashed = {"name": "乙", "id_ciphertext": old.encrypt("U1")}  # a ciphertext, no hash
    with runtime.unit_of_work() as session:
        hotel = governance.create_organisation(
            session, system_context(), "Hotel R", "business", "hotel"
        )
        session.add_all(
            [_submission(hotel.id, 1, [unhashed]), _submission(hotel.id, 2, [hashed, unhashed])]
        )

    with runtime.unit_of_work() as session:
        assert service.rekey_submissions(session, rotating, 0, 10) == Rekeyed(2, 2, (1, 2))

    with runtime.unit_of_work() as session:
        rows = session.execute(select(Submission.id_hash, Submission.record).order_by("id"))
        (lone_hash, lone), (pair_hash, pair) = rows.all()
    assert [new.reveal(p["id_ciphertext"]) for p in lone["persons"]] == ["U1"]
    assert "id_hash" not in lone["persons"][0] and lone_hash == ""
    assert [new.reveal(p["id_ciphertext"]) for p in pair["persons"]] == ["H1", "U1"]
    assert [p.get("id_hash") for p in pair["persons"]] == [new.hash("H1"), None]
    assert pair_hash == new.hash("H1")

    with runtime.unit_of_work() as session:  # a second pass finds nothing left to re-key
        assert service.rekey_submissions(session, rotating, 0, 10) == Rekeyed(2, 0)
