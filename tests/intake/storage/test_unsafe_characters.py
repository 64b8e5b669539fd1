"""Screening cannot be evaded by characters a reader does not see: a NUL, a zero-width space
or a text-direction override in a name or a document number is a field error on every
channel (API, file, stream), nothing is stored, and a tip with a NUL is a 422, not a 500.
Names are stored in NFKC form, so a full-width name is the name it shows."""

from __future__ import annotations

import copy
import uuid

import pytest
from sqlalchemy import func, select

from tests.intake.samples import sample
from tests.intake.storage.test_channels import (
    _nats_listening,
    file_from_file,
    file_from_stream,
    file_over_api,
    new_business,
)
from tests.world import World
from vigil.intake.models import OutboxEvent, Submission

pytestmark = pytest.mark.storage

UNSAFE = {
    "nul": "\x00",
    "zero-width space": "\u200b",
    "right-to-left override": "\u202e",
    "C1 control": "\x85",
    "word joiner": "\u2060",
}


def _stored(world: World, org_id: int) -> int:
    with world.runtime.unit_of_work() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.organisation_id == org_id)
            )
            or 0
        )


def _records() -> tuple[list[dict[str, object]], list[tuple[int, str, str]]]:
    records, expected = [], []
    for n, (label, char) in enumerate(UNSAFE.items()):
        name = sample("hotel", 900 + n)
        name["guest"]["name"] = "张晓明" + char
        number = sample("hotel", 950 + n)
        number["companions"][0]["id_number"] = "L8989" + char + "02C3"
        records += [name, number]
        problem = (
            "contains a control character"
            if label in ("nul", "C1 control")
            else "contains an invisible or text-direction character"
        )
        expected += [
            (2 * n + 1, "guest.name", problem),
            (2 * n + 2, "companions.0.id_number", problem),
        ]
    text = sample("hotel", 990)
    text["room"] = "80\x001"
    records.append(text)
    expected.append((len(records), "room", "contains a control character"))
    return records, expected


def test_unsafe_characters_are_field_errors_on_api_and_file(world: World) -> None:
    records, expected = _records()
    api_org, api_key = new_business(world, "Hotel unsafe api")
    file_org, _ = new_business(world, "Hotel unsafe file")
    for record, error in zip(records, expected, strict=True):
        assert file_over_api(world, api_key, [record]) == [(1, *error[1:])]
    assert sorted(file_from_file(world, file_org, records)) == expected
    assert _stored(world, api_org) == _stored(world, file_org) == 0
    with world.runtime.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_unsafe_characters_are_field_errors_on_the_stream(world: World) -> None:
    if not _nats_listening():
        pytest.fail("NATS is not listening on 127.0.0.1:4222")
    records, expected = _records()
    org, _ = new_business(world, "Hotel unsafe stream")
    errors = file_from_stream(world, f"vigil.test{uuid.uuid4().hex[:8]}", org, records)
    assert sorted(errors) == expected
    assert _stored(world, org) == 0


def test_a_tab_is_free_text_but_not_a_name(world: World) -> None:
    _, key = new_business(world, "Hotel tabs")
    tabbed = sample("hotel", 991)
    tabbed["room"] = "80\t1"
    assert file_over_api(world, key, [tabbed]) == []
    name = sample("hotel", 992)
    name["guest"]["name"] = "张\t晓明"
    assert file_over_api(world, key, [name]) == [(1, "guest.name", "contains a control character")]


def test_names_are_stored_in_nfkc_form(world: World) -> None:
    org, key = new_business(world, "Hotel nfkc")
    record = copy.deepcopy(sample("hotel", 993))
    record["companions"][0]["name"] = "Ｊｏｈｎ Ｓｍｉｔｈ"  # full-width letters
    assert file_over_api(world, key, [record]) == []
    with world.runtime.unit_of_work() as session:
        stored = session.scalar(select(Submission).where(Submission.organisation_id == org))
        assert stored is not None
        assert stored.record["persons"][1]["name"] == "John Smith"


@pytest.mark.parametrize("field", ["text", "contact"])
def test_a_tip_with_a_nul_is_a_field_error(world: World, field: str) -> None:
    body = {"text": "a van unloads at 3am", "contact": "me@example.org", field: "x\x00 y z w"}
    answer = world.client.post("/v1/tips", json=body)
    assert answer.status_code == 422, answer.text
    assert field in {e["field"] for e in answer.json()["errors"]}
