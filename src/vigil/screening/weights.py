"""m-probabilities estimated from data by expectation maximisation. Pure: no I/O.

A Fellegi-Sunter mixture, estimated as Splink does it: the u-probabilities come from the list
and the records themselves (how many listed persons share a birth-date value by chance, as the
index counts them; how many records and listed persons carry an identity number), and EM finds
the m-probabilities and the share of matches on training pairs blocked on the name. Blocking on
the name makes each comparison of the other fields independent of the blocking, so that the
non-matches among the pairs agree on them only by chance (Splink: `estimate_u_using_random_
sampling`, then `estimate_parameters_using_expectation_maximisation` with a blocking rule on
the fields not estimated).

The training pairs (`WatchlistIndex.comparisons`): each record against the listed persons with
its name whose birth date agrees at some level short of "differ" (the index finds no others),
so the mixture is of the birth-date levels without "differ", renormalised, and the identity-
number levels.

The hand-set values are priors: the starting point, and Dirichlet pseudo-counts (`strength`
pairs' worth, a hundredth of a pair by default) added to each M-step, so that a level the data
never shows keeps a small probability rather than none, and every level the data shows follows
the data.

Splink itself is not used: it needs a SQL engine (DuckDB, Spark) and a dataframe layer for
what is, on the candidate pairs the index already holds, a few array operations; numpy does
them.

What the matcher takes from the estimate (`weights_from`):
- the birth-date levels' m-probabilities, relative to an exact date (the chance check's
  `Weights.date_m`: how good the dates on the registers really are);
- the cut for records with a valid identity number, relative to the one without: the
  likelihood ratio of "the record carries a number, the listed person has none" against
  "neither has one" (how many records really come without a number).
How common names and dates are (the u of an agreement on a given value) is counted on the list
itself, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from vigil.screening.levels import ID_LEVELS
from vigil.screening.scoring import DATE_LEVELS, DATE_M, DEFAULT_WEIGHTS, Weights

AGREEING_DATES = tuple(level for level in DATE_LEVELS if level != "differ")


def _normalised(values: Mapping[str, float], levels: tuple[str, ...]) -> dict[str, float]:
    total = sum(values.get(level, 0.0) for level in levels)
    return {level: values.get(level, 0.0) / total for level in levels}


@dataclass(frozen=True)
class Model:
    """The share of matches among the training pairs, and the m-probability of each level."""

    share: float
    m_date: dict[str, float]  # over AGREEING_DATES
    m_id: dict[str, float]  # over ID_LEVELS


# The hand-set priors: the birth-date m follow DATE_M (relative to an exact date), which is what
# the matcher used before weights came from data; the identity-number m are set by hand (a
# listed person's record carries their number about half the time, and the list holds most
# numbers). Not fitted to any set.
PRIORS = Model(
    share=0.3,
    m_date=_normalised(DATE_M, AGREEING_DATES),
    m_id=_normalised(
        {"same": 0.4, "conflict": 0.001, "record_only": 0.05, "listed_only": 0.45, "neither": 0.1},
        ID_LEVELS,
    ),
)


def scaled(priors: Model, factor: float) -> Model:
    """The priors made wrong by `factor`: every level but the first (the agreeing one) of each
    m multiplied by it, the first taking what is left (at least 1 %), and the share of matches
    multiplied by it too."""

    def scale(table: dict[str, float]) -> dict[str, float]:
        levels = list(table)
        rest = {level: table[level] * factor for level in levels[1:]}
        total = sum(rest.values())
        if total > 0.99:
            rest = {level: p * 0.99 / total for level, p in rest.items()}
        return {levels[0]: 1.0 - sum(rest.values()), **rest}

    return Model(min(0.9, priors.share * factor), scale(priors.m_date), scale(priors.m_id))


def id_u(record_numbered: float, listed_numbered: float) -> dict[str, float]:
    """The u-probabilities of the identity-number levels: a record and a listed person who are
    not the same carry numbers independently, and two numbers agree only for the same person."""
    r, listed = record_numbered, listed_numbered
    return {
        "same": 1e-9,
        "conflict": r * listed,
        "record_only": r * (1 - listed),
        "listed_only": (1 - r) * listed,
        "neither": (1 - r) * (1 - listed),
    }


@dataclass(frozen=True)
class Pairs:
    """Training pairs: the birth-date level (index into AGREEING_DATES), its u for the pair's
    value, and the identity-number level (index into ID_LEVELS)."""

    date: np.ndarray
    u_date: np.ndarray
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.date)


def encode(pairs: Iterable[tuple[str, float, str]]) -> Pairs:
    dates = {level: i for i, level in enumerate(AGREEING_DATES)}
    ids = {level: i for i, level in enumerate(ID_LEVELS)}
    rows = list(pairs)
    return Pairs(
        np.array([dates[d] for d, _, _ in rows], dtype=np.int64),
        np.array([max(u, 1e-12) for _, u, _ in rows], dtype=np.float64),
        np.array([ids[i] for _, _, i in rows], dtype=np.int64),
    )


@dataclass(frozen=True)
class Estimate:
    model: Model
    iterations: int
    converged: bool
    pairs: int
    date_pairs: dict[str, int] | None = None  # training pairs per birth-date level


def _u_date(pairs: Pairs) -> np.ndarray:
    """The u of each pair's birth-date level, given that the pair is a training pair (agrees
    at some level short of "differ"). "none" (a date missing on either side) is a matter of
    what was filed, not of who the person is: its u is the share of pairs at it. The dated
    levels share the rest in proportion to their chance agreement, each pair's u divided by
    the sum over the dated levels of the pairs' mean u at each (the chance that a namesake's
    date agrees at any level short of "differ")."""
    none = AGREEING_DATES.index("none")
    is_none = pairs.date == none
    u_none = max(float(is_none.mean()), 1e-9)
    sums = np.bincount(pairs.date, weights=pairs.u_date, minlength=len(AGREEING_DATES))
    counts = np.bincount(pairs.date, minlength=len(AGREEING_DATES))
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    means[none] = 0.0
    mass = max(float(means.sum()), 1e-12)
    return np.where(is_none, u_none, pairs.u_date / mass * (1 - u_none))


def estimate(
    pairs: Pairs,
    u_ids: Mapping[str, float],
    priors: Model = PRIORS,
    *,
    strength: float = 0.01,
    max_iterations: int = 20_000,
    tolerance: float = 1e-10,
) -> Estimate:
    """EM for the share of matches and the m-probabilities, the u-probabilities fixed."""
    m_date = np.array([priors.m_date[lv] for lv in AGREEING_DATES])
    m_id = np.array([priors.m_id[lv] for lv in ID_LEVELS])
    prior_date, prior_id = m_date.copy(), m_id.copy()
    u_id = np.array([u_ids[lv] for lv in ID_LEVELS])
    u_pair = _u_date(pairs) * u_id[pairs.ids]
    share = priors.share
    n = len(pairs)
    converged = False
    iterations = 0
    if n == 0:
        return Estimate(priors, 0, True, 0, dict.fromkeys(AGREEING_DATES, 0))
    seen = np.bincount(pairs.date, minlength=len(AGREEING_DATES))
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        match = share * m_date[pairs.date] * m_id[pairs.ids]
        other = (1 - share) * u_pair
        weight = match / (match + other)
        total = float(weight.sum())
        new_share = float(np.clip((total + strength * priors.share) / (n + strength), 1e-9, 1))
        in_date = np.bincount(pairs.date, weights=weight, minlength=len(m_date))
        in_id = np.bincount(pairs.ids, weights=weight, minlength=len(m_id))
        new_date = (in_date + strength * prior_date) / (total + strength)
        new_id = (in_id + strength * prior_id) / (total + strength)
        change = max(
            abs(new_share - share),
            float(np.abs(new_date - m_date).max()),
            float(np.abs(new_id - m_id).max()),
        )
        share, m_date, m_id = new_share, new_date, new_id
        if change < tolerance:
            converged = True
            break
    model = Model(
        share,
        dict(zip(AGREEING_DATES, map(float, m_date), strict=True)),
        dict(zip(ID_LEVELS, map(float, m_id), strict=True)),
    )
    per_level = dict(zip(AGREEING_DATES, map(int, seen), strict=True))
    return Estimate(model, iterations, converged, n, per_level)


def match_probability(model: Model, pairs: Pairs, u_ids: Mapping[str, float]) -> np.ndarray:
    """The posterior probability that each training pair is a match, under `model`."""
    m_date = np.array([model.m_date[lv] for lv in AGREEING_DATES])
    m_id = np.array([model.m_id[lv] for lv in ID_LEVELS])
    u_id = np.array([u_ids[lv] for lv in ID_LEVELS])
    match = model.share * m_date[pairs.date] * m_id[pairs.ids]
    other = (1 - model.share) * _u_date(pairs) * u_id[pairs.ids]
    return np.asarray(match / (match + other))


MIN_PAIRS = 20  # a birth-date level seen in fewer training pairs keeps its hand-set m


def weights_from(
    fitted: Estimate, u_ids: Mapping[str, float], base: Weights = DEFAULT_WEIGHTS
) -> Weights:
    """The chance check's settings from an estimate (see the module's docstring). A birth-date
    level the training pairs hardly show (fewer than MIN_PAIRS) keeps the hand-set m. The cut
    without a number stays `base.cut`; the one with a number is scaled by the estimated
    likelihood ratio of carrying one."""
    model = fitted.model
    exact = max(model.m_date["exact"], 1e-12)
    seen = fitted.date_pairs or {}
    table = tuple(
        (level, model.m_date[level] / exact if seen.get(level, 0) >= MIN_PAIRS else DATE_M[level])
        for level in AGREEING_DATES
    )
    m = model.m_id
    numbered = (m["record_only"] / u_ids["record_only"]) / (m["neither"] / u_ids["neither"])
    return replace(base, date_m=table, cut_numbered=base.cut * numbered)


def describe(model: Model) -> str:
    """The estimate in one line per comparison."""
    dates = ", ".join(f"{lv} {p:.4f}" for lv, p in model.m_date.items())
    ids = ", ".join(f"{lv} {p:.4f}" for lv, p in model.m_id.items())
    return f"share of matches {model.share:.4f}; birth date m: {dates}; identity number m: {ids}"


# --- Officers' decisions -----------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledHit:
    """One hit of a resolved alert, as the alert's explanation records it: whether the officer
    confirmed it ("confirmed") or not ("not the person"), its score, its comparison levels,
    and the chance check's numbers when it ran (expected chance agreements, the name's m,
    whether the record carried a number). No personal data."""

    is_match: bool
    score: float
    date_level: str
    chance_expected: float | None = None
    name_m: float = 1.0
    numbered: bool = False
    penalised: bool = False  # the chance check subtracted its qualifier

    @classmethod
    def from_explanation(
        cls, explanation: Mapping[str, Any], score: float, is_match: bool
    ) -> LabelledHit:
        birth = explanation.get("birth_date") or {}
        chance = birth.get("chance") or {}
        return cls(
            is_match=is_match,
            score=float(score),
            date_level=str(birth.get("level") or ""),
            chance_expected=float(chance["expected"]) if "expected" in chance else None,
            name_m=float(chance.get("name_m", 1.0)),
            numbered=bool(chance.get("numbered", False)),
            penalised="common_name" in explanation,
        )


def reestimate_from_labels(
    labels: Iterable[LabelledHit], base: Weights = DEFAULT_WEIGHTS, *, strength: float = 20.0
) -> tuple[Weights, dict[str, int]]:
    """The birth-date levels' m-probabilities re-estimated from confirmed hits: the share of
    confirmed hits at each level, with the current m (normalised) as a Dirichlet prior of
    `strength` hits' worth, as officers confirm few. (Not the person decisions say nothing
    about m; u stays counted on the list.) Returns the new weights and the confirmed hits per
    level."""
    current = dict(base.date_m)
    prior = _normalised(current, AGREEING_DATES)
    counts = dict.fromkeys(AGREEING_DATES, 0)
    for label in labels:
        if label.is_match and label.date_level in counts:
            counts[label.date_level] += 1
    total = sum(counts.values())
    m = {lv: (counts[lv] + strength * prior[lv]) / (total + strength) for lv in AGREEING_DATES}
    exact = max(m["exact"], 1e-12)
    return replace(base, date_m=tuple((lv, m[lv] / exact) for lv in AGREEING_DATES)), counts


def still_alerts(label: LabelledHit, weights: Weights, threshold: float, penalty: float) -> bool:
    """Whether a labelled hit would still reach `threshold` under `weights` (its score before
    the chance check's qualifier, less it if the check now fails)."""
    if label.chance_expected is None:
        return label.score >= threshold
    raw = label.score + (penalty if label.penalised else 0.0)
    m = label.name_m * weights.date_m_table().get(label.date_level, 1.0)
    cut = weights.cut_numbered if label.numbered else weights.cut
    fails = label.chance_expected > cut * m
    return raw - (penalty if fails else 0.0) >= threshold


@dataclass(frozen=True)
class OperatingPoint:
    confirmed: int  # confirmed hits
    confirmed_kept: int  # of them, still alerting
    rejected: int  # "not the person" hits
    rejected_kept: int

    def describe(self) -> str:
        recall = self.confirmed_kept / self.confirmed if self.confirmed else 1.0
        false = self.rejected_kept / self.rejected if self.rejected else 0.0
        return (
            f"{self.confirmed_kept}/{self.confirmed} confirmed hits alert (recall among them"
            f" {recall:.3f}), {self.rejected_kept}/{self.rejected} 'not the person' hits alert"
            f" (share {false:.3f})"
        )


def labelled_operating_point(
    labels: Iterable[LabelledHit], weights: Weights, threshold: float, penalty: float
) -> OperatingPoint:
    """How many labelled hits would alert under `weights`. Only hits that alerted were
    labelled, so this tells how the operating point moves among them (recall can only be
    seen to fall, and false alerts to fall or stay), not recall on matches never alerted."""
    rows = list(labels)
    kept = [still_alerts(x, weights, threshold, penalty) for x in rows]
    return OperatingPoint(
        sum(x.is_match for x in rows),
        sum(k for x, k in zip(rows, kept, strict=True) if x.is_match),
        sum(not x.is_match for x in rows),
        sum(k for x, k in zip(rows, kept, strict=True) if not x.is_match),
    )
