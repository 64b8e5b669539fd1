"""A parcel alert names its basis and explains what raised it, the second opinion included."""

from __future__ import annotations

from datetime import date

import numpy as np

from vigil.alerts.service import (
    SECOND_OPINION_BASIS,
    UNVERIFIED_SENDER_BASIS,
    Routing,
    parcel_alert,
)
from vigil.screening.parcel_model import ParcelModel, with_second_opinion
from vigil.screening.parcels import load_catalogue, screen_parcel

TEXT = "2 boxes of zorblax crystals"


def _flags_zorblax() -> ParcelModel:
    blank = ParcelModel(np.zeros(2 * 2**12), -4.0, 0.5, 2**12, 2, 4)
    coef = np.zeros(2 * 2**12)
    coef[blank.features(["zorblax"]).indices] = 6.0
    return ParcelModel(coef, -4.0, 0.5, 2**12, 2, 4)


def test_a_second_opinion_alert_cites_the_inspection_rule_and_the_score() -> None:
    rules = screen_parcel(load_catalogue(), TEXT, True, on=date(2025, 6, 1))
    verdict = with_second_opinion(rules, TEXT, _flags_zorblax())
    _, alert = parcel_alert(Routing({}, 1), "src", "parcel", 7, verdict, True)
    assert alert.legal_basis == SECOND_OPINION_BASIS
    assert alert.summary.startswith("parcel inspect: learned second opinion (score ")
    assert alert.explanation["second_opinion"]["score"] == verdict.model_score


def test_an_unverified_sender_alert_keeps_its_own_basis() -> None:
    verdict = screen_parcel(load_catalogue(), TEXT, False, on=date(2025, 6, 1))
    _, alert = parcel_alert(Routing({}, 1), "src", "parcel", 7, verdict, False)
    assert alert.legal_basis == UNVERIFIED_SENDER_BASIS
    assert "second_opinion" not in alert.explanation
