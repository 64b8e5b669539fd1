"""The learned second opinion on parcels: the shipped weights, and how it joins the rules."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.core.settings import Settings
from vigil.screening.parcel_model import (
    MODEL_PATH,
    SECOND_OPINION,
    ParcelModel,
    load_checks,
    load_model,
    shipped_model,
    with_second_opinion,
)
from vigil.screening.parcels import load_catalogue, screen_parcel
from vigil.screening.service import ScreeningState, state_for

TODAY = date(2025, 6, 1)
CATALOGUE = load_catalogue()


def _model_that_flags(word: str, threshold: float = 0.5) -> ParcelModel:
    """A model whose only positive weights are the n-grams of `word` (both readings)."""
    blank = ParcelModel(np.zeros(2 * 2**12), -4.0, threshold, 2**12, 2, 4)
    coef = np.zeros(2 * 2**12)
    coef[blank.features([word]).indices] = 6.0
    return ParcelModel(coef, -4.0, threshold, 2**12, 2, 4)


def test_the_shipped_weights_reproduce_the_training_scripts_scores() -> None:
    texts, expected = load_checks()
    assert len(texts) >= 3
    assert expected.max() - expected.min() > 0.1  # the checks are not all alike
    np.testing.assert_allclose(shipped_model().scores(texts), expected, atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=60) | st.sampled_from(["雷管 5 枚", "GUN p0wder", "衣服 、书", ""]))
def test_the_one_text_score_equals_scikit_learns(text: str) -> None:
    model = shipped_model()
    assert model.score(text) == pytest.approx(float(model.scores([text])[0]), abs=1e-9)


def test_the_weights_file_holds_no_pickle() -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as data:  # raises on an object array
        assert all(data[name].dtype != object for name in data.files)
    model = load_model()
    assert 0.0 < model.threshold < 1.0
    assert model.coef.shape == (2 * model.n_features,)


def test_a_declaration_the_rules_clear_but_the_model_flags_becomes_inspect() -> None:
    text = "2 boxes of zorblax crystals"
    rules = screen_parcel(CATALOGUE, text, True, on=TODAY)
    assert rules.decision == "cleared"
    combined = with_second_opinion(rules, text, _model_that_flags("zorblax"))
    assert combined.decision == "inspect"
    assert combined.model_score is not None and combined.model_score >= 0.5
    assert SECOND_OPINION in combined.reason
    terms = combined.reason.split("nearest terms: ")[1].split(", ")
    assert len(terms) == 3
    assert all(t.strip("'") in "zorblax" and len(t.strip("'")) == 4 for t in terms)


def test_below_the_threshold_the_rules_decision_stands() -> None:
    text = "2 boxes of zorblax crystals"
    rules = screen_parcel(CATALOGUE, text, True, on=TODAY)
    assert with_second_opinion(rules, text, _model_that_flags("zorblax", 1.0)) is rules
    assert with_second_opinion(rules, text, _model_that_flags("quux")) is rules


def test_the_setting_off_restores_the_rules_alone() -> None:
    text = "2 boxes of zorblax crystals"
    rules = screen_parcel(CATALOGUE, text, True, on=TODAY)
    state = ScreeningState(catalogue=CATALOGUE, parcel_model=_model_that_flags("zorblax"))
    assert state.screen_parcel(text, True, TODAY).decision == "inspect"
    state.parcel_model = None
    assert state.screen_parcel(text, True, TODAY) == rules


@pytest.mark.parametrize(("setting", "loaded"), [("on", True), ("off", False)])
def test_the_setting_decides_whether_the_state_holds_the_model(setting: str, loaded: bool) -> None:
    runtime = SimpleNamespace(settings=Settings(parcel_model=setting), extensions={})
    state = state_for(runtime)  # type: ignore[arg-type]
    assert (state.parcel_model is shipped_model()) is loaded
    assert (state.parcel_model is None) is not loaded


def test_the_setting_reads_on_or_off_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIGIL_PARCEL_MODEL", raising=False)
    assert Settings().parcel_model == "off"  # the default: see core/settings.py
    monkeypatch.setenv("VIGIL_PARCEL_MODEL", "on")
    assert Settings().parcel_model == "on"
    monkeypatch.setenv("VIGIL_PARCEL_MODEL", "maybe")
    with pytest.raises(ValidationError):
        Settings()


_WORDS = sorted({n for item in CATALOGUE.items.values() for n in item.names_zh + item.names_en})


@settings(max_examples=60, deadline=None)
@given(
    banned=st.sampled_from(_WORDS),
    filler=st.sampled_from(["", "socks, ", "衣服 ", "a box of tea and ", "玩具 "]),
    threshold=st.sampled_from([0.0, 0.5, 1.0]),
    verified=st.booleans(),
)
def test_the_model_never_clears_or_refuses_over_the_rules(
    banned: str, filler: str, threshold: float, verified: bool
) -> None:
    text = filler + banned
    rules = screen_parcel(CATALOGUE, text, verified, on=TODAY)
    combined = with_second_opinion(rules, text, shipped_model().with_threshold(threshold))
    if rules.decision != "cleared":
        assert combined is rules  # a rule's flag is never lowered nor changed
    else:
        assert combined.decision in ("cleared", "inspect")  # never refuse
        assert combined.matches == rules.matches
