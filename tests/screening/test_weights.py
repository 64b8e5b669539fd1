"""m and u by expectation maximisation: priors wrong by a factor of 2 either way end at the
same operating point."""

from __future__ import annotations

import numpy as np

from vigil.screening.levels import id_level, name_level
from vigil.screening.weights import (
    COMPARISONS,
    PRIORS,
    Model,
    encode,
    estimate,
    match_probability,
    scaled,
    weights_from,
)

# the "real" rates of a small register, unlike the priors
TRUTH = Model(
    share=0.04,
    m={
        "name": dict(zip(COMPARISONS["name"], (0.5, 0.3, 0.05, 0.08, 0.05, 0.02), strict=True)),
        "birth_date": dict(
            zip(
                COMPARISONS["birth_date"],
                (0.55, 0.05, 0.06, 0.04, 0.05, 0.04, 0.12, 0.06, 0.03),
                strict=True,
            )
        ),
        "id_number": dict(
            zip(COMPARISONS["id_number"], (0.3, 0.002, 0.1, 0.5, 0.098), strict=True)
        ),
    },
    u={
        "name": dict(zip(COMPARISONS["name"], (0.25, 0.15, 0.1, 0.15, 0.25, 0.1), strict=True)),
        "birth_date": dict(
            zip(
                COMPARISONS["birth_date"],
                (0.01, 0.005, 0.005, 0.005, 0.06, 0.02, 0.08, 0.05, 0.765),
                strict=True,
            )
        ),
        "id_number": dict(
            zip(COMPARISONS["id_number"], (1e-6, 0.8, 0.12, 0.05, 0.029999), strict=True)
        ),
    },
)


def sample(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < TRUTH.share
    columns = []
    for k, levels in COMPARISONS.items():
        pm = np.array([TRUTH.m[k][lv] for lv in levels])
        pu = np.array([TRUTH.u[k][lv] for lv in levels])
        col = np.where(
            is_match,
            rng.choice(len(levels), n, p=pm / pm.sum()),
            rng.choice(len(levels), n, p=pu / pu.sum()),
        )
        columns.append(col)
    return np.stack(columns, axis=1), is_match


def operating_point(model: Model, pairs: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    flagged = match_probability(model, pairs) > 0.5
    recall = float((flagged & truth).sum() / truth.sum())
    false = float((flagged & ~truth).sum() / (~truth).sum())
    return recall, false


def test_priors_wrong_by_two_converge_to_one_operating_point() -> None:
    pairs, truth = sample(20_000)
    points = {}
    for factor in (0.5, 1.0, 2.0):
        fitted = estimate(pairs, scaled(PRIORS, factor))
        assert fitted.converged
        points[factor] = operating_point(fitted.model, pairs, truth)
    recalls = [r for r, _ in points.values()]
    assert max(recalls) - min(recalls) <= 0.002, points
    # and the estimate follows the data, not the prior: the share of matches is found
    fitted = estimate(pairs, scaled(PRIORS, 2.0))
    assert abs(fitted.model.share - truth.mean()) < 0.01
    assert abs(fitted.model.m["birth_date"]["year"] - TRUTH.m["birth_date"]["year"]) < 0.03


def test_the_wrong_priors_differ() -> None:
    low, high = scaled(PRIORS, 0.5), scaled(PRIORS, 2.0)
    assert high.m["birth_date"]["year"] > 1.9 * low.m["birth_date"]["year"]
    for model in (low, high):
        for table in (*model.m.values(), *model.u.values()):
            assert abs(sum(table.values()) - 1) < 1e-9


def test_a_level_the_data_lacks_keeps_its_prior() -> None:
    pairs, _ = sample(5_000)
    two_digit = COMPARISONS["birth_date"].index("two_digit_year")
    pairs = pairs[pairs[:, 1] != two_digit]
    fitted = estimate(pairs, PRIORS, strength=50.0)
    assert (
        0
        < fitted.model.m["birth_date"]["two_digit_year"]
        < PRIORS.m["birth_date"]["two_digit_year"]
    )


def test_weights_for_the_matcher() -> None:
    pairs, _ = sample(20_000)
    weights = weights_from(estimate(pairs).model)
    table = weights.date_m_table()
    assert table["exact"] == 1.0
    assert set(table) == set(COMPARISONS["birth_date"]) - {"differ"}
    assert 0 < weights.cut_numbered < weights.cut


def test_levels() -> None:
    assert [name_level(s) for s in (1.0, 0.95, 0.9, 0.85, 0.7, 0.0)] == list(COMPARISONS["name"])
    assert id_level("a", "a") == "same" and id_level("a", "b") == "conflict"
    assert id_level("a", "") == "record_only" and id_level("", "b") == "listed_only"
    assert id_level("", "") == "neither"
    assert encode([("exact", "year", "neither")]).tolist() == [[0, 6, 4]]
