"""m-probabilities by expectation maximisation: priors wrong by a factor of 2 either way end
at the same operating point, and the estimate follows the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex
from vigil.screening.levels import ID_LEVELS, id_level, name_level
from vigil.screening.scoring import DATE_M
from vigil.screening.weights import (
    AGREEING_DATES,
    PRIORS,
    Model,
    Pairs,
    encode,
    estimate,
    id_u,
    match_probability,
    scaled,
    weights_from,
)

# the "real" keying habits of a small register, unlike the priors
SHARE = 0.3
M_DATE = dict(
    zip(AGREEING_DATES, (0.59, 0.05, 0.05, 0.04, 0.05, 0.04, 0.01, 0.12, 0.05), strict=True)
)
M_ID = dict(zip(ID_LEVELS, (0.35, 0.001, 0.15, 0.4, 0.099), strict=True))
# chance agreement of a namesake's date at each level (exact ~ 1 day in 20,000, ...); "none"
# comes from what was filed: a share of the pairs
U_DATE = dict(
    zip(AGREEING_DATES, (5e-5, 1.5e-3, 5e-5, 5e-5, 2e-3, 4e-4, 5e-5, 0.018, 1.0), strict=True)
)
UNDATED = 0.05
U_ID = id_u(record_numbered=0.9, listed_numbered=0.85)


def sample(n: int, seed: int = 7) -> tuple[Pairs, np.ndarray]:
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < SHARE
    pm = np.array(list(M_DATE.values()))
    pu = np.array(list(U_DATE.values()))
    dated = pu.copy()
    dated[-1] = 0.0
    other = np.where(
        rng.random(n) < UNDATED, len(pu) - 1, rng.choice(len(pu), n, p=dated / dated.sum())
    )
    date = np.where(is_match, rng.choice(len(pm), n, p=pm / pm.sum()), other)
    im = np.array(list(M_ID.values()))
    iu = np.array([U_ID[lv] for lv in ID_LEVELS])
    ids = np.where(
        is_match, rng.choice(len(im), n, p=im / im.sum()), rng.choice(len(iu), n, p=iu / iu.sum())
    )
    # the u of each pair's value: the level's, spread as names and dates are more or less common
    u = pu[date] * rng.lognormal(0, 0.5, n)
    return Pairs(date, u, ids), is_match


def recall(model: Model, pairs: Pairs, truth: np.ndarray) -> float:
    flagged = match_probability(model, pairs, U_ID) > 0.5
    return float((flagged & truth).sum() / truth.sum())


def test_priors_wrong_by_two_converge_to_one_operating_point() -> None:
    pairs, truth = sample(20_000)
    points = {}
    for factor in (0.5, 1.0, 2.0):
        fitted = estimate(pairs, U_ID, scaled(PRIORS, factor))
        assert fitted.converged
        points[factor] = recall(fitted.model, pairs, truth)
    assert max(points.values()) - min(points.values()) <= 0.002, points


def test_the_estimate_follows_the_data() -> None:
    pairs, truth = sample(20_000)
    fitted = estimate(pairs, U_ID, scaled(PRIORS, 2.0)).model
    assert abs(fitted.share - truth.mean()) < 0.02
    assert abs(fitted.m_date["year"] - M_DATE["year"]) < 0.02
    assert abs(fitted.m_id["record_only"] - M_ID["record_only"]) < 0.02
    # the prior said year-only dates were 1.5 times as common as exact ones
    assert PRIORS.m_date["year"] > PRIORS.m_date["exact"] > fitted.m_date["year"]


def test_the_wrong_priors_differ() -> None:
    low, high = scaled(PRIORS, 0.5), scaled(PRIORS, 2.0)
    assert high.m_date["swapped_day_month"] > 2 * low.m_date["swapped_day_month"]
    assert high.m_id["record_only"] > 3 * low.m_id["record_only"]
    for model in (low, high):
        for table in (model.m_date, model.m_id):
            assert abs(sum(table.values()) - 1) < 1e-9


def test_weights_for_the_matcher() -> None:
    pairs, _ = sample(20_000)
    weights = weights_from(estimate(pairs, U_ID), U_ID)
    table = weights.date_m_table()
    assert table["exact"] == 1.0
    assert abs(table["year"] - M_DATE["year"] / M_DATE["exact"]) < 0.05
    # a record without a number is likelier a listed person's: its cut is the laxer one
    assert 0 < weights.cut_numbered < weights.cut


def test_a_level_without_pairs_keeps_its_hand_set_m() -> None:
    pairs, _ = sample(20_000)
    keep = pairs.date != AGREEING_DATES.index("two_digit_year")
    fewer = Pairs(pairs.date[keep], pairs.u_date[keep], pairs.ids[keep])
    table = weights_from(estimate(fewer, U_ID), U_ID).date_m_table()
    assert table["two_digit_year"] == DATE_M["two_digit_year"]
    assert table["year"] != DATE_M["year"]


def test_levels_and_index_pairs() -> None:
    assert [name_level(s) for s in (1.0, 0.95, 0.9, 0.85, 0.7, 0.0)] == [
        "exact",
        "variant",
        "sound",
        "slip",
        "other_character",
        "differ",
    ]
    assert id_level("a", "a") == "same" and id_level("a", "b") == "conflict"
    assert id_level("a", "") == "record_only" and id_level("", "b") == "listed_only"
    assert id_level("", "") == "neither"
    now = datetime(2025, 6, 1, tzinfo=UTC)
    basis = LegalBasis("WARRANT-7", "Example Court", now + timedelta(days=30))
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "张晓明", basis, (), "1985-03-12", "h1"), now)
    index.add(PersonEntry("E2", "张晓明", basis, (), "1990-07-01"), now)
    index.add(PersonEntry("E3", "王芳", basis, (), "1985-03-12"), now)
    pairs = index.comparisons(ScreeningRecord("R1", "Zhang Xiaoming", "1985"), now)
    # both namesakes (the name blocks), the other name not; E2's year differs
    assert [(d, i) for d, _, i in pairs] == [("year", "listed_only")]
    assert 0 < pairs[0][1] < 1
    assert abs(index.numbered_share() - 1 / 3) < 1e-9
    assert len(encode(pairs)) == 1
