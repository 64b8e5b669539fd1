"""m- and u-probabilities estimated from data by expectation maximisation. Pure: no I/O.

A Fellegi-Sunter mixture (as Splink estimates it): each candidate pair (a record and a listed
person that blocking brought together) is a vector of comparison levels (name, birth date,
identity number), and the pairs are a mixture of matches and non-matches, the levels
independent within each class. EM finds the share of matches (lambda) and, per comparison,
the probability of each level among matches (m) and among non-matches (u).

The hand-set values are priors: the starting point, and Dirichlet pseudo-counts (`strength`
pairs' worth, a hundredth of a pair by default) added to each M-step, so that a level the data
never shows keeps a small probability rather than none, and every level the data shows follows
the data. (Stronger priors kept the operating point from converging: on 20,000 pairs, priors
wrong by a factor of 2 moved recall by up to 0.05 with 50 pairs' worth, and by 0.008 with one
pair's worth.) The pairs fall into a few hundred distinct level vectors, so EM iterates over
those with their counts, however many pairs there are.

Splink itself is not used: it needs a SQL engine (DuckDB, Spark) and a dataframe layer for
what is, on the candidate pairs the index already holds, a few array operations; numpy does
them.

What the matcher takes from the estimate (`weights_from`):
- the birth-date levels' m-probabilities, relative to an exact date (the chance check's
  `Weights.date_m`: how quality of dates on the registers really is);
- the cut for records with a valid identity number, relative to the one without: the
  likelihood ratio of "the record carries a number, the listed person has none" against
  "neither has one" (how many records really come without a number).
How common names and dates are (the u of an agreement on a given value) is counted on the list
itself, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from vigil.screening.levels import ID_LEVELS, NAME_LEVELS
from vigil.screening.scoring import DATE_LEVELS, DATE_M, DEFAULT_WEIGHTS, Weights

COMPARISONS: dict[str, tuple[str, ...]] = {
    "name": NAME_LEVELS,
    "birth_date": DATE_LEVELS,
    "id_number": ID_LEVELS,
}


def _normalised(values: Mapping[str, float], levels: tuple[str, ...]) -> dict[str, float]:
    total = sum(values.get(level, 0.0) for level in levels)
    return {level: values.get(level, 0.0) / total for level in levels}


@dataclass(frozen=True)
class Model:
    """lambda, and per comparison the m and u probability of each level."""

    share: float
    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]


# The hand-set priors. Set by hand from the keying habits the bench describes and the shape
# of blocking (candidates share a name key, so their names agree often even when they are
# different people); not fitted to any set. The birth-date m follow DATE_M (relative to an
# exact date), which is what the matcher used before weights came from data.
_DATE_M_PRIOR = {**DATE_M, "differ": 0.02}
PRIORS = Model(
    share=0.01,
    m={
        "name": _normalised(
            {
                "exact": 0.6,
                "variant": 0.25,
                "sound": 0.05,
                "slip": 0.05,
                "other_character": 0.04,
                "differ": 0.01,
            },
            NAME_LEVELS,
        ),
        "birth_date": _normalised(_DATE_M_PRIOR, DATE_LEVELS),
        "id_number": _normalised(
            {
                "same": 0.4,
                "conflict": 0.001,
                "record_only": 0.1,
                "listed_only": 0.4,
                "neither": 0.1,
            },
            ID_LEVELS,
        ),
    },
    u={
        "name": _normalised(
            {
                "exact": 0.3,
                "variant": 0.2,
                "sound": 0.1,
                "slip": 0.1,
                "other_character": 0.2,
                "differ": 0.1,
            },
            NAME_LEVELS,
        ),
        "birth_date": _normalised(
            {
                "exact": 0.05,
                "year_month": 0.01,
                "swapped_day_month": 0.01,
                "two_digit_year": 0.01,
                "digit": 0.05,
                "transposed": 0.02,
                "year": 0.1,
                "none": 0.05,
                "differ": 0.7,
            },
            DATE_LEVELS,
        ),
        "id_number": _normalised(
            {
                "same": 1e-6,
                "conflict": 0.8,
                "record_only": 0.1,
                "listed_only": 0.05,
                "neither": 0.05,
            },
            ID_LEVELS,
        ),
    },
)


def scaled(priors: Model, factor: float) -> Model:
    """The priors made wrong by `factor`: every level but the first (the agreeing one) of
    every m and u multiplied by it, the first taking what is left (at least 1 %), and the
    share of matches multiplied by it too."""

    def scale(table: dict[str, float]) -> dict[str, float]:
        levels = list(table)
        rest = {level: table[level] * factor for level in levels[1:]}
        total = sum(rest.values())
        if total > 0.99:
            rest = {level: p * 0.99 / total for level, p in rest.items()}
        return {levels[0]: 1.0 - sum(rest.values()), **rest}

    return Model(
        min(0.5, priors.share * factor),
        {k: scale(v) for k, v in priors.m.items()},
        {k: scale(v) for k, v in priors.u.items()},
    )


@dataclass(frozen=True)
class Estimate:
    model: Model
    iterations: int
    converged: bool
    pairs: int


def encode(pairs: Iterable[tuple[str, str, str]]) -> np.ndarray:
    """(name level, birth-date level, id level) per pair → an (n, 3) array of level indices."""
    index = [{level: i for i, level in enumerate(levels)} for levels in COMPARISONS.values()]
    rows = [[index[k][level] for k, level in enumerate(pair)] for pair in pairs]
    return np.asarray(rows, dtype=np.int64).reshape(-1, 3)


def estimate(
    pairs: np.ndarray,
    priors: Model = PRIORS,
    *,
    strength: float = 0.01,
    max_iterations: int = 20_000,
    tolerance: float = 1e-10,
) -> Estimate:
    """EM over encoded pairs (`encode`), the priors as Dirichlet pseudo-counts of `strength`
    pairs for each m and each u table, and as the starting point."""
    names = list(COMPARISONS)
    m = [np.array([priors.m[k][lv] for lv in COMPARISONS[k]]) for k in names]
    u = [np.array([priors.u[k][lv] for lv in COMPARISONS[k]]) for k in names]
    prior_m = [p.copy() for p in m]
    prior_u = [p.copy() for p in u]
    share = priors.share
    n = len(pairs)
    converged = False
    iterations = 0
    if n == 0:
        return Estimate(priors, 0, True, 0)
    # the pairs fall into few distinct level vectors: iterate over those, with their counts
    pairs, counts = np.unique(pairs, axis=0, return_counts=True)
    counts = counts.astype(np.float64)
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        # E-step: the probability that each pair is a match
        log_m = np.log(share) + sum(np.log(m[k][pairs[:, k]]) for k in range(3))
        log_u = np.log(1 - share) + sum(np.log(u[k][pairs[:, k]]) for k in range(3))
        top = np.maximum(log_m, log_u)
        posterior = np.exp(log_m - top) / (np.exp(log_m - top) + np.exp(log_u - top))
        weight = posterior * counts
        # M-step, with the priors' pseudo-counts
        total = weight.sum()
        new_share = float(np.clip((total + strength * priors.share) / (n + strength), 1e-9, 0.5))
        new_m, new_u = [], []
        for k in range(3):
            size = len(m[k])
            in_match = np.bincount(pairs[:, k], weights=weight, minlength=size)
            in_other = np.bincount(pairs[:, k], weights=counts - weight, minlength=size)
            new_m.append((in_match + strength * prior_m[k]) / (total + strength))
            new_u.append((in_other + strength * prior_u[k]) / (n - total + strength))
        change = max(
            abs(new_share - share),
            *(float(np.abs(a - b).max()) for a, b in zip(new_m + new_u, m + u, strict=True)),
        )
        share, m, u = new_share, new_m, new_u
        if change < tolerance:
            converged = True
            break
    model = Model(
        share,
        {k: dict(zip(COMPARISONS[k], map(float, m[i]), strict=True)) for i, k in enumerate(names)},
        {k: dict(zip(COMPARISONS[k], map(float, u[i]), strict=True)) for i, k in enumerate(names)},
    )
    return Estimate(model, iterations, converged, n)


def match_probability(model: Model, pairs: np.ndarray) -> np.ndarray:
    """The posterior probability that each encoded pair is a match, under `model`."""
    names = list(COMPARISONS)
    log_m = np.log(model.share) + sum(
        np.log(np.array([model.m[k][lv] for lv in COMPARISONS[k]]))[pairs[:, i]]
        for i, k in enumerate(names)
    )
    log_u = np.log(1 - model.share) + sum(
        np.log(np.array([model.u[k][lv] for lv in COMPARISONS[k]]))[pairs[:, i]]
        for i, k in enumerate(names)
    )
    return np.asarray(1 / (1 + np.exp(log_u - log_m)))


def weights_from(model: Model, base: Weights = DEFAULT_WEIGHTS) -> Weights:
    """The chance check's settings from an estimate (see the module's docstring). The cut
    without a number stays `base.cut`; the one with a number is scaled by the estimated
    likelihood ratio of carrying one."""
    date_m = model.m["birth_date"]
    exact = max(date_m["exact"], 1e-12)
    table = tuple((level, date_m[level] / exact) for level in DATE_LEVELS if level != "differ")
    ids_m, ids_u = model.m["id_number"], model.u["id_number"]
    numbered = (ids_m["record_only"] / ids_u["record_only"]) / (ids_m["neither"] / ids_u["neither"])
    return replace(base, date_m=table, cut_numbered=base.cut * numbered)


def describe(model: Model) -> str:
    """One line per comparison: each level's m and u."""
    lines = [f"share of matches among the pairs: {model.share:.5f}"]
    for k, levels in COMPARISONS.items():
        cells = ", ".join(f"{lv} {model.m[k][lv]:.4f}/{model.u[k][lv]:.4f}" for lv in levels)
        lines.append(f"{k} (m/u): {cells}")
    return "\n".join(lines)
