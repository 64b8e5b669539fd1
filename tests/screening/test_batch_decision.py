"""The screening decision as a setting: "posterior" decides a batch of filed persons together
(EM on the batch, a budget of false alerts), "score" each record on its own; a batch too
small to estimate from is scored either way."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from vigil.core.settings import Settings
from vigil.intake.events import FiledObjects, FiledPerson, RegistrationFiled
from vigil.screening import posterior
from vigil.screening.entries import LegalBasis, PersonEntry
from vigil.screening.service import ScreeningState, screen_registrations

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-9", "Example Court", NOW + timedelta(days=30))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国文辉志鹏飞"


def _names() -> list[str]:
    return [s + a + b for s, a, b in itertools.product(SURNAMES, GIVEN, GIVEN) if a != b]


def _state(decision: str) -> ScreeningState:
    state = ScreeningState(decision=decision)
    for i, name in enumerate(_names()[:400]):
        born = f"19{50 + i % 50:02d}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        state.index.add(PersonEntry(f"E{i}", name, BASIS, (), born), NOW)
    return state


def _person(position: int, name: str, born: str) -> FiledPerson:
    return FiledPerson(position, "guest", name, born, None, "CN", None, None, None, None)


def _events(records: int) -> list[RegistrationFiled]:
    """Hotel filings: every fiftieth guest is a listed person filed exactly, the others are
    strangers (names the list does not hold)."""
    names = _names()
    persons = []
    for n in range(records):
        if n % 50 == 0:
            i = n // 50
            born = f"19{50 + i % 50:02d}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
            persons.append(_person(n % 4, names[i], born))
        else:
            persons.append(_person(n % 4, names[400 + n], f"19{60 + n % 40:02d}-03-0{n % 9 + 1}"))
    return [
        RegistrationFiled(k, k, "hotel", tuple(persons[k * 4 : k * 4 + 4]), FiledObjects(), None)
        for k in range(records // 4)
    ]


def _found(state: ScreeningState, events: list[RegistrationFiled]) -> dict[str, list[str]]:
    return {
        f"{f.submission_id}:{f.position}": [m.entry_id for m in f.matches]
        for f in screen_registrations(state, events, NOW)
        if f.subject == "person"
    }


def test_the_posterior_setting_decides_a_batch_together_and_finds_the_listed() -> None:
    events = _events(2 * posterior.MIN_BATCH)
    state = _state("posterior")
    found = _found(state, events)
    listed = {f"{n // 4}:{n % 4}": [f"E{n // 50}"] for n in range(0, 2 * posterior.MIN_BATCH, 50)}
    assert found == listed
    finding = screen_registrations(state, events[:1], NOW)[0]
    assert finding.matches[0].entry_id == "E0"
    batch = screen_registrations(state, events, NOW)[0]
    assert "posterior" in batch.matches[0].explanation  # decided on the batch
    assert "posterior" not in finding.matches[0].explanation  # one filing alone: scored


def test_a_small_batch_is_scored_under_either_setting() -> None:
    events = _events(40)
    assert _found(_state("posterior"), events) == _found(_state("score"), events)


def test_the_setting_comes_from_the_environment_and_rejects_other_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VIGIL_SCREENING_DECISION", "posterior")
    monkeypatch.setenv("VIGIL_SCREENING_FALSE_ALERT_BUDGET", "0.5")
    settings = Settings()
    assert settings.screening_decision == "posterior"
    assert settings.screening_false_alert_budget == 0.5
    monkeypatch.setenv("VIGIL_SCREENING_DECISION", "guess")
    with pytest.raises(ValidationError, match="screening_decision"):
        Settings()
