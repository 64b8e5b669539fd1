"""The posterior match probability as the screening decision, its m-probabilities and the
share of matches estimated by EM on the batch being screened. Pure: no I/O, no clock.

The shipped decision (`vigil.screening.scoring.score_person`) is a weighted score with two
"chance agreement" cuts whose values were fitted to one benchmark. This module is the
alternative the accuracy issue asks for: one probability threshold, with the weights taken
from the data being screened.

The model (Fellegi-Sunter, as Splink, with frequency-based u as in the index's counts): a
record is a stranger, or, with probability `share`, the record of one of the N listed persons,
each equally likely. Each candidate pair (record, listed person) has a comparison vector:

- the name level (`vigil.screening.levels.NAME_LEVELS`: exact, another romanisation, same
  sound, a spelling slip, one other character);
- the birth-date level (`vigil.screening.scoring.DATE_LEVELS`);
- the identity-number level (`ID_LEVELS`: same, conflict, record only, listed only, neither).

The m-probability of each level (how a listed person's own record compares) is estimated by
EM; the u-probability of the name and the birth date is counted on the list for the pair's
very values (`expected`: how many listed persons are expected to agree with the record on name
and birth date this well by chance: the namesakes under the name key times the share of listed
birth dates at that level; at least the other candidates that agree as well, which are chance
agreements seen), and the u of the identity-number level follows from the share of records
with a valid number in the batch and the share of listed persons with one (two numbers agree
only for the same person). The posterior odds that the record is the listed person:

    odds = share / (1 - share) · m_name · m_date · m_id / (expected · v_id)

where `expected · v_id` is N times the u-probability of the whole vector (`v_id` is the
record's chance of carrying a number or not, and, for a record without one, of the listed
person's having one or not; for a record with one, `expected` already counts among listed
persons without a number). A name that agrees exactly is split once more: written as the
list writes it (case and spaces aside) or not (another script, order or romanisation of the
same name): m by EM, u counted on the controls (known non-matches whose names agree exactly),
since a stranger who shares a listed name writes it as the list does far less often than the
listed person's own record. P = odds / (1 + odds); an equal identity number is P = 1.

The decision (`decide_batch`): one threshold on P for the whole batch, the lowest that keeps
the batch's expected false alerts (each alerting record's chance of being nobody listed, by
the posterior itself) within a budget per 1,000 records (FALSE_ALERT_BUDGET: the screening
goal's one per 1,000). A fixed probability threshold moves its operating point with the
batch (the share of namesakes, relatives and partial dates among the records); the budget
does not, as far as the posterior is calibrated on the batch it was fitted to.

EM (`fit`) estimates `share` and every m on the batch's candidate pairs, the u fixed; the hand-
set values are the starting point and Dirichlet priors (`PRIORS`, `strength` pairs' worth).
The batch's own rates follow: how many records come without a number, how often a listed
person's record gives the year only, how good its names are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vigil.screening.levels import ID_LEVELS, NAME_LEVELS
from vigil.screening.scoring import (
    DATE_LEVELS,
    DATE_M,
    HOMOPHONE_M,
    OTHER_CHARACTER_M,
    SPELLING_SLIP_M,
)

# Candidate pairs are those whose weighted score before qualifiers reaches this: it keeps
# every pair with some agreement on both name and birth date (one other character and the
# year only: 0.65·0.7 + 0.35·0.7 = 0.70) and none that agrees on the name only.
PAIR_FLOOR = 0.69
# Pairs of two valid identity numbers that differ are known non-matches: they are kept as
# controls (never alerting) when their score before the qualifiers reaches this, which keeps
# an exact name with a different birth date of the same year (0.65).
CONTROL_FLOOR = 0.64
MIN_EXPECTED = 1e-6
# Whether EM raises the u of a cell to what the known non-matches (two valid numbers that
# differ) show there (`fit(use_controls=True)`).
USE_CONTROLS = False
# The birth-date levels of a pair: those of `DATE_LEVELS` when the list gives the full date,
# and two of their own when it gives the year only or no date (then every record of the
# person agrees at best so: its m is of another table, normalised apart).
PAIR_DATES = (*DATE_LEVELS, "listed_year", "listed_none")
_PARTIAL = np.array([level.startswith("listed_") for level in PAIR_DATES])


def pair_date(level: str, listed_birth: str) -> int:
    """The index into PAIR_DATES of a pair's birth-date level."""
    if len(listed_birth) < 8 and not listed_birth.startswith("~"):
        if level == "year":
            return PAIR_DATES.index("listed_year")
        if level == "none":
            return PAIR_DATES.index("listed_none")
    return PAIR_DATES.index(level)


def _by_table(values: np.ndarray) -> np.ndarray:
    """The birth-date m normalised within each table (listed full date, or not)."""
    out = values.astype(np.float64).copy()
    for part in (_PARTIAL, ~_PARTIAL):
        out[part] = out[part] / max(float(out[part].sum()), 1e-300)
    return out


DEFAULT_PROBABILITY = 0.5


@dataclass(frozen=True, slots=True)
class Pair:
    """One candidate pair's comparison vector (indices into the level tuples) and the count
    of listed persons expected to agree with the record this well by chance."""

    entry_id: str
    name: int
    date: int
    ids: int
    expected: float
    exact: bool  # same identity number, or exact name and exact birth date
    approximate_date: bool  # the birth date agrees short of exactly
    form: int = 0  # how the record gives its birth date: an index into DATE_FORMS
    klass: int = 4  # how closely the birth dates agree: an index into DATE_CLASSES, or 4
    written: bool = False  # the record's name as written is a listed one (case, spaces aside)


# How a record gives its birth date (after a valid identity number's embedded date stands in):
# a stranger agrees at a partial level only if their record gives a partial date, so the u of
# each birth-date level includes the share of the batch's records that give their date so.
DATE_FORMS = ("full", "year_month", "year", "two_digit_year", "none")


def date_form(birth: str) -> int:
    """The index into DATE_FORMS of a canonical birth date (`birth_digits`)."""
    if not birth:
        return 4
    if birth.startswith("~"):
        return 3
    return {8: 0, 6: 1}.get(len(birth), 2)


# How closely two birth dates agree, coarsely, for counting known non-matches per class: the
# same day (exact, day and month swapped, a two-digit year), a day one slip away, the same
# year only (a partial date; or two full dates of the same year that differ), no date.
DATE_CLASSES = ("day", "near", "year", "none")
_CLASS_OF = {
    "exact": 0,
    "swapped_day_month": 0,
    "two_digit_year": 0,
    "digit": 1,
    "transposed": 1,
    "lunar": 1,
    "year": 2,
    "year_month": 2,
    "none": 3,
}


def date_class(level: str, birth: str, listed_birth: str) -> int:
    """The index into DATE_CLASSES of a pair's birth-date level (4: none of them)."""
    if level in _CLASS_OF:
        return _CLASS_OF[level]
    full = len(birth) >= 4 and len(listed_birth) >= 4 and "~" not in birth + listed_birth
    return 2 if full and birth[:4] == listed_birth[:4] else 4


def observed_classes(listed_partial: float) -> np.ndarray:
    """Per DATE_FORMS, how a known non-match's date relation (its DATE_CLASSES index, or 4 for
    another year; both dates full, as the controls carry a valid number, whose date stands in)
    would show in a record that gives its date in that form: rows the relation, columns the
    class seen (the rest is "differ", no candidate). A full date of the same year that differs
    agrees at the year only where the list gives the year only; a year (and month) shows each
    relation within the year as "year" (a slip moves the year about a quarter of the time); a
    two-digit year keeps the day; a record without a date agrees with everyone at "none"."""
    full = np.zeros((5, 4))
    full[[0, 1, 2, 3], [0, 1, 2, 3]] = (1.0, 1.0, listed_partial, 1.0)
    year = np.zeros((5, 4))
    year[[0, 1, 2, 3], [2, 2, 2, 3]] = (1.0, 0.75, 1.0, 1.0)
    year_month = year.copy()
    year_month[[1, 2], 2] = (0.5, 1 / 12)
    short = np.zeros((5, 4))
    short[[0, 3], [0, 3]] = 1.0
    none = np.zeros((5, 4))
    none[:, 3] = 1.0
    return np.stack([full, year_month, year, short, none])


def form_shares(births: Iterable[str]) -> np.ndarray:
    """The share of the batch's records per DATE_FORMS (their effective birth dates)."""
    counts = np.bincount([date_form(b) for b in births], minlength=len(DATE_FORMS))
    return np.asarray((counts + 0.5) / (counts.sum() + 0.5 * len(DATE_FORMS)))


@dataclass(frozen=True)
class Model:
    share: float  # of records that are a listed person's
    m_name: dict[str, float]
    m_date: dict[str, float]
    m_id: dict[str, float]
    # of the pairs whose names agree exactly: the share whose record writes the name as the
    # list does, among matches (estimated by EM) and among non-matches (from the controls)
    m_written: float = 0.8
    u_written: float = 0.5
    # per cell (`Batch.cell`): how many times the chance u the known non-matches say the
    # strangers' records agree at that cell (relatives, namesakes); 1 where chance explains
    kappa: np.ndarray | None = field(default=None, repr=False, compare=False)
    uses_written: bool = False  # whether the odds weigh the name as written

    def describe(self) -> str:
        parts = [f"share of matches {self.share:.4f}"]
        if self.kappa is not None and (self.kappa > 1.01).any():
            parts.append(
                f"cells with known non-matches above chance {int((self.kappa > 1.01).sum())}"
            )
        for title, table in (("name", self.m_name), ("birth date", self.m_date)):
            parts.append(f"{title} m: " + ", ".join(f"{k} {v:.4f}" for k, v in table.items()))
        parts.append("id m: " + ", ".join(f"{k} {v:.4f}" for k, v in self.m_id.items()))
        parts.append(f"written as listed m {self.m_written:.4f}, u {self.u_written:.4f}")
        return "; ".join(parts)


def _normalised(values: Mapping[str, float], levels: Sequence[str]) -> dict[str, float]:
    total = sum(values[level] for level in levels)
    return {level: values[level] / total for level in levels}


# The hand-set priors. Name and birth-date m follow the hand-set values of the shipped chance
# check (relative to an exact agreement); "variant" (another romanisation or a dialect
# spelling) and "differ" are set by hand; the identity-number m as in `vigil.screening.weights`.
# Not fitted to any set.
PRIORS = Model(
    share=0.02,
    m_name=_normalised(
        {
            "exact": 1.0,
            "variant": 0.1,
            "sound": HOMOPHONE_M,
            "slip": SPELLING_SLIP_M,
            "other_character": OTHER_CHARACTER_M,
            "differ": 1e-4,
        },
        NAME_LEVELS,
    ),
    m_date={
        **_normalised({**DATE_M, "differ": 0.01}, DATE_LEVELS),
        "listed_year": 0.9,
        "listed_none": 0.1,
    },
    m_id=_normalised(
        {"same": 0.4, "conflict": 0.001, "record_only": 0.05, "listed_only": 0.45, "neither": 0.1},
        ID_LEVELS,
    ),
)


def scaled(priors: Model, factor: float) -> Model:
    """The priors wrong by `factor`: every level but the first of each m multiplied by it
    (the first takes what is left, at least 1 %), and the share of matches too."""

    def scale(table: dict[str, float]) -> dict[str, float]:
        levels = list(table)
        rest = {level: table[level] * factor for level in levels[1:]}
        total = sum(rest.values())
        if total > 0.99:
            rest = {level: p * 0.99 / total for level, p in rest.items()}
        return {levels[0]: 1.0 - sum(rest.values()), **rest}

    return Model(
        min(0.5, priors.share * factor),
        scale(priors.m_name),
        dict(
            zip(PAIR_DATES, _by_table(np.array(list(scale(priors.m_date).values()))), strict=True)
        ),
        scale(priors.m_id),
        1 - min(0.99, (1 - priors.m_written) * factor),
        priors.u_written,
    )


def id_chance(record_numbered: float, listed_numbered: float) -> dict[str, float]:
    """`v_id` of each identity-number level (see the module docstring): for a record with a
    number, the chance that a stranger's record carries one (`expected` then counts among
    listed persons without one; "conflict" among those with one); for a record without, the
    chance that it carries none times the listed person's chance of having one or not."""
    r, listed = record_numbered, listed_numbered
    return {
        "same": 1e-12,
        "conflict": max(r, 1e-9),
        "record_only": max(r, 1e-9),
        "listed_only": max((1 - r) * listed, 1e-9),
        "neither": max((1 - r) * (1 - listed), 1e-9),
    }


_ID = {level: i for i, level in enumerate(ID_LEVELS)}
_EXACT_NAME = NAME_LEVELS.index("exact")
_NUMBERED = np.array([level in ("same", "conflict", "record_only") for level in ID_LEVELS])


@dataclass(frozen=True)
class Batch:
    """A batch's candidate pairs as arrays, and how many records it has."""

    records: int
    name: np.ndarray
    date: np.ndarray
    ids: np.ndarray
    expected: np.ndarray
    same: np.ndarray = field(repr=False)
    cell: np.ndarray = field(repr=False)  # (name, date class, id level, form) of each pair
    known: np.ndarray = field(repr=False)  # per cell: known non-matches expected (controls)
    written: np.ndarray = field(repr=False)  # 1 written as listed, 0 not, -1 name not exact
    # the controls whose names agree exactly, and how many of them are written as listed
    control_written: tuple[int, int] = (0, 0)

    @classmethod
    def of(
        cls,
        pairs: Iterable[Pair],
        records: int,
        forms: np.ndarray | None = None,
        record_numbered: float = 0.5,
        listed_numbered: float = 0.5,
        listed_partial: float = 0.0,
    ) -> Batch:
        """`forms`: the `form_shares` of the batch's records without a valid number (those
        with one give the date their number embeds); `record_numbered`: the share of the
        batch's records with one; `listed_numbered`: of listed persons; `listed_partial`: of
        listed persons whose birth date is the year (and month) only."""
        rows = list(pairs)
        share = forms if forms is not None else np.ones(len(DATE_FORMS))
        name = np.array([p.name for p in rows], dtype=np.int64)
        ids = np.array([p.ids for p in rows], dtype=np.int64)
        form = np.array([p.form for p in rows], dtype=np.int64)
        klass = np.array([p.klass for p in rows], dtype=np.int64)
        numbered = _NUMBERED[ids] if rows else np.zeros(0, dtype=bool)
        factor = np.where(numbered, 1.0, share[form] if rows else 1.0)
        expected = np.array([max(p.expected, MIN_EXPECTED) for p in rows], dtype=np.float64)
        cell = _cells(name, klass, ids, form)
        # known non-matches: the controls (a valid number on both sides that differ) per
        # name level and date class; as many strangers' records, with the share that carries
        # no number or meets a listed person without one, are expected at each other level
        dates = np.array([p.date for p in rows], dtype=np.int64)
        # the controls with a full date on the list (a partial one is counted by its share)
        control = (ids == _ID["conflict"]) & ~_PARTIAL[dates] if rows else np.zeros(0, bool)
        controls = np.bincount((name * 5 + klass)[control], minlength=len(NAME_LEVELS) * 5).astype(
            np.float64
        )
        r, listed = record_numbered, listed_numbered
        chance_id = np.array([0.0, 0.0, r * (1 - listed), (1 - r) * listed, (1 - r) * (1 - listed)])
        known = np.zeros(len(NAME_LEVELS) * 5 * len(ID_LEVELS) * len(DATE_FORMS))
        seen_as = observed_classes(listed_partial)
        for n in range(len(NAME_LEVELS)):
            for k in range(len(ID_LEVELS)):
                for f in range(len(DATE_FORMS)):
                    # a record filed in form f shows a control's date relation as seen_as[f]
                    shown = 0 if _NUMBERED[k] else f
                    form_share = 1.0 if _NUMBERED[k] else float(share[f])
                    per_class = controls[n * 5 : n * 5 + 5] @ seen_as[shown]
                    for c in range(4):
                        known[_cells(n, c, k, f)] = (
                            per_class[c] * chance_id[k] * form_share / max(r * listed, 1e-9)
                        )
        exact_name = name == _EXACT_NAME
        written = np.where(exact_name, np.array([p.written for p in rows], dtype=np.int64), -1)
        exact_controls = (ids == _ID["conflict"]) & exact_name if rows else np.zeros(0, bool)
        return cls(
            records,
            name,
            dates,
            ids,
            np.maximum(expected * factor, MIN_EXPECTED),
            ids == _ID["same"],
            cell,
            known,
            written.astype(np.int64) if rows else np.zeros(0, np.int64),
            (int(exact_controls.sum()), int((written[exact_controls] == 1).sum()) if rows else 0),
        )

    def __len__(self) -> int:
        return len(self.name)


def _cells(name: Any, klass: Any, ids: Any, form: Any) -> Any:
    return ((name * 5 + klass) * len(ID_LEVELS) + ids) * len(DATE_FORMS) + form


def _arrays(model: Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.array([model.m_name[lv] for lv in NAME_LEVELS]),
        np.array([model.m_date[lv] for lv in PAIR_DATES]),
        np.array([model.m_id[lv] for lv in ID_LEVELS]),
    )


def _odds(
    share: float,
    m: tuple[np.ndarray, np.ndarray, np.ndarray],
    batch: Batch,
    v_id: np.ndarray,
    kappa: np.ndarray | None = None,
    written: tuple[float, float] | None = None,
) -> np.ndarray:
    m_name, m_date, m_id = m
    lr = m_name[batch.name] * m_date[batch.date] * m_id[batch.ids]
    if written is not None:
        m_w, u_w = written
        lr = lr * np.select(
            [batch.written == 1, batch.written == 0], [m_w / u_w, (1 - m_w) / (1 - u_w)], 1.0
        )
    odds = share / (1 - share) * lr / (batch.expected * v_id[batch.ids])
    if kappa is not None:
        odds = odds / kappa[batch.cell]
    # two valid identity numbers that differ veto the match, as in the shipped decision
    odds = np.where(batch.ids == _CONFLICT, 0.0, odds)
    return np.where(batch.same, np.inf, odds)


_CONFLICT = ID_LEVELS.index("conflict")


@dataclass(frozen=True)
class Fit:
    model: Model
    iterations: int
    converged: bool
    pairs: int


def fit(
    batch: Batch,
    v_ids: Mapping[str, float],
    priors: Model = PRIORS,
    *,
    strength: float = 1.0,
    max_iterations: int = 5_000,
    tolerance: float = 1e-9,
    use_controls: bool = False,
    use_written: bool = False,
) -> Fit:
    """EM for the share of matches and the m-probabilities on a batch's candidate pairs, the
    u (expected chance agreements, `v_ids`) fixed. A pair with an equal identity number is a
    match; the others are weighed by their posterior probability."""
    m = _arrays(priors)
    prior = tuple(a.copy() for a in m)
    v_id = np.array([v_ids[lv] for lv in ID_LEVELS])
    share = priors.share
    n = max(batch.records, 1)
    iterations, converged = 0, False
    if len(batch) == 0:
        return Fit(priors, 0, True, 0)
    kappa = np.ones(len(batch.known))
    free = (batch.ids != _CONFLICT) & ~batch.same
    m_w = priors.m_written
    u_w = _u_written(batch, priors.u_written) if use_written else priors.u_written
    exact = batch.written >= 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        odds = _odds(
            share,
            m,
            batch,
            v_id,
            kappa if use_controls else None,
            (m_w, u_w) if use_written else None,
        )
        w = np.where(np.isinf(odds), 1.0, odds / (1 + np.where(np.isinf(odds), 0, odds)))
        if use_controls:
            # the u of a cell is raised until its pairs hold as many non-matches as the
            # known non-matches say strangers' records show there (never below chance)
            mass = np.bincount(batch.cell[free], weights=1 - w[free], minlength=len(kappa))
            step = np.where(batch.known > 0, batch.known / np.maximum(mass, 1e-12), 1.0)
            new_kappa = np.clip(kappa * step, 1.0, 1e6)
            kappa_change = float(np.abs(np.log(new_kappa) - np.log(kappa)).max())
            kappa = new_kappa
        else:
            kappa_change = 0.0
        total = float(w.sum())
        new_share = float(np.clip((total + strength * priors.share) / (n + strength), 1e-6, 0.5))
        new = [
            np.bincount(idx, weights=w, minlength=len(p)) + strength * p
            for idx, p in ((batch.name, prior[0]), (batch.date, prior[1]), (batch.ids, prior[2]))
        ]
        new = [new[0] / new[0].sum(), _by_table(new[1]), new[2] / new[2].sum()]
        change = max(
            abs(new_share - share),
            *(float(np.abs(a - b).max()) for a, b in zip(new, m, strict=True)),
            kappa_change * 1e-3,
        )
        if use_written:
            in_exact = float(w[exact].sum())
            new_w = (float(w[batch.written == 1].sum()) + strength * priors.m_written) / (
                in_exact + strength
            )
            change = max(change, abs(new_w - m_w))
            m_w = new_w
        share, m = new_share, (new[0], new[1], new[2])
        if change < tolerance:
            converged = True
            break
    model = Model(
        share,
        dict(zip(NAME_LEVELS, map(float, m[0]), strict=True)),
        dict(zip(PAIR_DATES, map(float, m[1]), strict=True)),
        dict(zip(ID_LEVELS, map(float, m[2]), strict=True)),
        m_w,
        u_w,
        kappa if use_controls else None,
        use_written,
    )
    return Fit(model, iterations, converged, len(batch))


def _u_written(batch: Batch, prior: float, strength: float = 2.0) -> float:
    """The share of non-matches whose name, agreeing exactly, is written as listed: counted
    on the controls (known non-matches), with `prior` as `strength` controls' worth."""
    controls, written = batch.control_written
    return min(0.99, max(0.01, (written + strength * prior) / (controls + strength)))


def probabilities(model: Model, batch: Batch, v_ids: Mapping[str, float]) -> np.ndarray:
    """The posterior match probability of each pair of the batch."""
    v_id = np.array([v_ids[lv] for lv in ID_LEVELS])
    written = (model.m_written, model.u_written) if model.uses_written else None
    odds = _odds(model.share, _arrays(model), batch, v_id, model.kappa, written)
    return np.where(np.isinf(odds), 1.0, odds / (1 + np.where(np.isinf(odds), 0, odds)))


def decide(pairs: Sequence[Pair], probability: Sequence[float], threshold: float) -> list[str]:
    """The entry ids a record alerts on: the pairs whose probability reaches `threshold`; an
    exact agreement with one listed person (equal number, or exact name and birth date)
    explains the record, so approximate date agreements with others are then dropped."""
    kept = [p for p, q in zip(pairs, probability, strict=True) if q >= threshold]
    if any(p.exact for p in kept):
        kept = [p for p in kept if not p.approximate_date]
    return [p.entry_id for p in kept]


# --- The decision: a budget of false alerts ------------------------------------------------

# The false alerts per 1,000 records the batch decision may spend by default: the accuracy
# goal of the screening issue (recall ≥ 0.99 at ≤ 1 false alert per 1,000 records), not a
# value fitted to any set.
FALSE_ALERT_BUDGET = 1.0
# The probability thresholds the budget rule picks from, lowest first.
THRESHOLD_GRID = tuple(
    float(t) for t in np.concatenate([np.geomspace(0.001, 0.5, 40), np.linspace(0.52, 0.98, 24)])
)
# The priors' weight in the batch decision's EM, in pairs: a tenth of a pair keeps a level
# the batch never shows possible, and lets the batch decide every level it does show (with
# a whole pair, priors wrong by 2 moved a threshold near the budget on the dev seeds).
PRIOR_STRENGTH = 0.1
# A batch smaller than this is not fitted (EM on a few records says little, and a budget of
# false alerts per 1,000 means nothing for one record): `WatchlistIndex.screen_batch` decides
# its records as `WatchlistIndex.screen` does, with the list-only chance check.
MIN_BATCH = 500


def _flat(probability: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """All pairs' probabilities, and the index of each one's record."""
    if not probability:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    sizes = np.array([len(q) for q in probability], dtype=np.int64)
    return np.concatenate([np.asarray(q, dtype=np.float64) for q in probability]), np.repeat(
        np.arange(len(probability)), sizes
    )


def _expected_false(q: np.ndarray, record: np.ndarray, threshold: float) -> float:
    kept = q >= threshold
    alerting = np.bincount(record[kept], minlength=1) > 0
    held = np.bincount(record[kept], weights=q[kept], minlength=1)
    return float(np.maximum(0.0, 1.0 - held)[alerting].sum())


def expected_false_alerts(probability: Sequence[np.ndarray], threshold: float) -> float:
    """How many of the records would alert at `threshold` without being any listed person's,
    by the model's own posterior: each alerting record is nobody listed with probability one
    less the probabilities of the pairs it alerts on (at least 0)."""
    return _expected_false(*_flat(probability), threshold)


def budget_threshold(
    probability: Sequence[np.ndarray],
    budget_per_k: float = FALSE_ALERT_BUDGET,
    grid: Sequence[float] = THRESHOLD_GRID,
) -> float:
    """The lowest threshold of `grid` at which the batch's expected false alerts (per 1,000
    of its records, `expected_false_alerts`) stay within `budget_per_k`: the most recall the
    budget allows, as the posterior is calibrated on the batch it was fitted to. The highest
    threshold when none does."""
    allowed = budget_per_k * len(probability) / 1000
    q, record = _flat(probability)
    for threshold in grid:
        if _expected_false(q, record, threshold) <= allowed:
            return threshold
    return grid[-1]


@dataclass(frozen=True)
class BatchDecision:
    """The posterior decision on a batch: the model it used, the threshold, and each record's
    pair probabilities (in the order of its pairs)."""

    model: Model
    threshold: float
    probability: list[np.ndarray]


def decide_batch(
    pairs: Sequence[Sequence[Pair]],
    forms: np.ndarray,
    record_numbered: float,
    listed_numbered: float,
    listed_partial: float,
    priors: Model = PRIORS,
    *,
    budget_per_k: float = FALSE_ALERT_BUDGET,
    threshold: float | None = None,
    use_controls: bool = USE_CONTROLS,
) -> BatchDecision:
    """EM on the batch's candidate pairs (one list per record), then the threshold: the given
    one, or the lowest that keeps the batch's expected false alerts within `budget_per_k`."""
    flat = [p for ps in pairs for p in ps]
    batch = Batch.of(flat, len(pairs), forms, record_numbered, listed_numbered, listed_partial)
    v_ids = id_chance(record_numbered, listed_numbered)
    model = fit(
        batch, v_ids, priors, strength=PRIOR_STRENGTH, use_controls=use_controls, use_written=True
    ).model
    prob = probabilities(model, batch, v_ids)
    per_record: list[np.ndarray] = []
    start = 0
    for ps in pairs:
        per_record.append(prob[start : start + len(ps)])
        start += len(ps)
    if threshold is None:
        threshold = budget_threshold(per_record, budget_per_k)
    return BatchDecision(model, threshold, per_record)
