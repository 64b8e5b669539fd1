"""The posterior match probability as a decision: EM on the batch finds the share of matches
and the m-probabilities, the u follow the list and the batch's own rates, and the vetoes
hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from vigil.screening import posterior as P
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord
from vigil.screening.index import WatchlistIndex
from vigil.screening.levels import ID_LEVELS, NAME_LEVELS

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))
R_NUMBERED, L_NUMBERED = 0.8, 0.9
V = P.id_chance(R_NUMBERED, L_NUMBERED)
FULL = P.DATE_FORMS.index("full")
YEAR = P.DATE_FORMS.index("year")

# the "real" habits of a register, unlike the priors
SHARE = 0.05
M_NAME = dict(zip(NAME_LEVELS, (0.7, 0.1, 0.1, 0.05, 0.05, 0.0), strict=True))
M_DATE = {"exact": 0.7, "digit": 0.1, "year": 0.2}
M_ID = {"same": 0.3, "record_only": 0.1, "listed_only": 0.5, "neither": 0.1}


def _pair(
    name: str, date: str, ids: str, expected: float, i: int = 0, written: bool = False
) -> P.Pair:
    return P.Pair(
        f"E{i}",
        NAME_LEVELS.index(name),
        P.PAIR_DATES.index(date),
        ID_LEVELS.index(ids),
        expected,
        exact=ids == "same" or (name == "exact" and date == "exact"),
        approximate_date=date not in ("exact", "none"),
        form=YEAR if date == "year" else FULL,
        written=written and name == "exact",
    )


def sample(records: int, seed: int = 3) -> tuple[list[P.Pair], list[bool]]:
    """A batch: each listed person's record gives one pair drawn from the m above; strangers
    agree by chance with a listed person as often as the pair's `expected` says."""
    rng = np.random.default_rng(seed)
    pairs, truth = [], []
    for i in range(records):
        if rng.random() < SHARE:
            name = rng.choice(list(M_NAME), p=list(M_NAME.values()))
            date = rng.choice(list(M_DATE), p=list(M_DATE.values()))
            ids = rng.choice(list(M_ID), p=list(M_ID.values()))
            expected = float(rng.uniform(1e-4, 3e-3))
            # most listed persons' records write the name as the list does
            pairs.append(_pair(str(name), str(date), str(ids), expected, i, i % 5 != 0))
            truth.append(True)
        elif rng.random() < 0.03:  # a stranger who happens to agree with a common name
            name = rng.choice(["exact", "sound"], p=[0.5, 0.5])
            date = rng.choice(["digit", "year", "exact"], p=[0.6, 0.3, 0.1])
            ids = rng.choice(["record_only", "listed_only", "neither"], p=[0.3, 0.6, 0.1])
            expected = float(rng.uniform(0.5, 5.0))
            pairs.append(_pair(str(name), str(date), str(ids), expected, i, i % 5 == 0))
            truth.append(False)
    return pairs, truth


def _batch(pairs: list[P.Pair], records: int, year_share: float = 0.05) -> P.Batch:
    forms = np.full(len(P.DATE_FORMS), 1e-3)
    forms[FULL], forms[YEAR] = 1.0 - year_share, year_share
    return P.Batch.of(pairs, records, forms, R_NUMBERED, L_NUMBERED)


def test_em_finds_the_share_of_matches_and_separates_the_pairs() -> None:
    pairs, truth = sample(40_000)
    batch = _batch(pairs, 40_000)
    fitted = P.fit(batch, V)
    assert fitted.converged
    assert SHARE / 1.5 < fitted.model.share < SHARE * 1.5
    # the m follow the data, not the priors (a homophone 0.1 against a prior of ~0.02)
    assert abs(fitted.model.m_name["sound"] - 0.1) < 0.03
    assert abs(P.PRIORS.m_name["sound"] - 0.1) > 0.07
    prob = P.probabilities(fitted.model, batch, V)
    flagged = prob >= 0.5
    is_match = np.array(truth)
    assert (flagged & is_match).sum() / is_match.sum() > 0.85
    assert (flagged & ~is_match).sum() < 0.1 * (~is_match).sum()


def test_priors_wrong_by_two_end_at_one_operating_point() -> None:
    pairs, _ = sample(20_000, seed=5)
    batch = _batch(pairs, 20_000)
    flagged = []
    for factor in (0.5, 1.0, 2.0):
        model = P.fit(batch, V, P.scaled(P.PRIORS, factor)).model
        flagged.append(P.probabilities(model, batch, V) >= 0.5)
    assert P.scaled(P.PRIORS, 2.0).m_name != P.PRIORS.m_name
    assert (flagged[0] != flagged[1]).sum() <= 0.002 * len(pairs)
    assert (flagged[2] != flagged[1]).sum() <= 0.002 * len(pairs)


def test_a_partial_date_weighs_less_where_many_records_give_one() -> None:
    """The u of a year-only agreement includes the share of the batch's records that give
    the year only: the same pair is likelier a match where few strangers file so."""
    pair = _pair("exact", "year", "listed_only", 0.02)
    few = P.probabilities(P.PRIORS, _batch([pair], 1000, year_share=0.01), V)[0]
    many = P.probabilities(P.PRIORS, _batch([pair], 1000, year_share=0.3), V)[0]
    assert few > many
    assert few / (1 - few) == np.float64(few / (1 - few))  # finite odds
    assert abs((few / (1 - few)) / (many / (1 - many)) - 0.3 / 0.01) < 1e-6


def test_conflicting_numbers_veto_and_an_equal_number_decides() -> None:
    conflict = _pair("exact", "exact", "conflict", 1e-6, 1)
    same = _pair("differ", "differ", "same", 1e6, 2)
    prob = P.probabilities(P.PRIORS, _batch([conflict, same], 10), V)
    assert prob[0] == 0.0 and prob[1] == 1.0


def test_an_exact_agreement_explains_the_record() -> None:
    exact = _pair("exact", "exact", "neither", 0.01, 1)
    near = _pair("exact", "digit", "neither", 0.01, 2)
    assert P.decide([exact, near], [0.9, 0.9], 0.5) == ["E1"]
    assert P.decide([near], [0.9], 0.5) == ["E2"]
    assert P.decide([exact, near], [0.4, 0.9], 0.5) == ["E2"]


def test_known_non_matches_raise_the_u_of_their_cell() -> None:
    """Records that agree with a listed person while both carry valid numbers that differ
    are strangers: where they are far more than chance (relatives, namesakes), the same
    agreement from records without a number is weighed as often a stranger's."""
    pairs = [_pair("exact", "digit", "neither", 0.001, i) for i in range(20)]
    controls = [
        P.Pair(
            f"C{i}",
            0,
            P.PAIR_DATES.index("digit"),
            ID_LEVELS.index("conflict"),
            0.001,
            False,
            True,
            FULL,
            1,
        )
        for i in range(200)
    ]
    plain = [
        P.Pair(p.entry_id, p.name, p.date, p.ids, p.expected, p.exact, True, FULL, 1) for p in pairs
    ]
    batch = _batch(plain + controls, 5000)
    without = P.probabilities(P.fit(batch, V).model, batch, V)[:20]
    fitted = P.fit(batch, V, use_controls=True)
    assert fitted.model.kappa is not None and fitted.model.kappa.max() > 1
    with_controls = P.probabilities(fitted.model, batch, V)[:20]
    assert with_controls.max() < without.min()


def test_index_pairs_carry_the_levels_and_the_chance_count() -> None:
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "张晓明", BASIS, (), "1985-03-12", "h1"), NOW)
    index.add(PersonEntry("E2", "张晓明", BASIS, (), "1990-07-01"), NOW)
    index.add(PersonEntry("E3", "王芳", BASIS, (), "1985-03-12"), NOW)
    for i in range(50):
        index.add(PersonEntry(f"F{i}", "李娜", BASIS, (), f"1970-01-{i % 28 + 1:02d}"), NOW)
    pairs = index.pairs(ScreeningRecord("R1", "Zhang Xiaoming", "1985"), NOW)
    assert [p.entry_id for p in pairs] == ["E1"]
    (pair,) = pairs
    assert NAME_LEVELS[pair.name] == "exact"
    assert P.PAIR_DATES[pair.date] == "year"
    assert ID_LEVELS[pair.ids] == "listed_only"
    assert P.DATE_FORMS[pair.form] == "year"
    assert pair.approximate_date and not pair.exact
    # two listed bear the name; of 53 dated persons one was born in 1985 (shrunk towards a
    # uniform spread): far fewer than one is expected to agree by chance
    assert 0 < pair.expected < 0.1
    # a common name: fifty bear it, so a year-only agreement is expected by chance
    common_pairs = index.pairs(ScreeningRecord("R2", "李娜", "1970"), NOW)
    assert len(common_pairs) == 50
    assert min(p.expected for p in common_pairs) > 1.0
    # two valid numbers that differ, the same name and year: a control pair only when asked
    numbered = ScreeningRecord("R3", "张晓明", "1985-05-20", "h9", "19850520")
    assert index.pairs(numbered, NOW) == []
    (control,) = index.pairs(numbered, NOW, controls=True)
    assert control.entry_id == "E1" and ID_LEVELS[control.ids] == "conflict"
    assert P.DATE_CLASSES[control.klass] == "year"


def test_screen_batch_alerts_on_the_listed_and_not_on_strangers() -> None:
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "欧阳靖远", BASIS, (), "1979-11-23"), NOW)
    for i in range(40):
        index.add(PersonEntry(f"F{i}", "李娜", BASIS, (), f"1970-01-{i % 28 + 1:02d}"), NOW)
    records = [
        ScreeningRecord("R1", "Ouyang Jingyuan", "1979-11-23"),
        ScreeningRecord("R2", "李娜", "1970"),  # forty listed share the name and year
        ScreeningRecord("R3", "陈建国", "1979-11-23"),
    ]
    matches, model = index.screen_batch(records, NOW, threshold=0.5, min_batch=1)
    assert [m.entry_id for m in matches[0]] == ["E1"]
    assert matches[0][0].score > 0.9 and "posterior" in matches[0][0].explanation
    assert matches[1] == [] and matches[2] == []
    assert 0 < model.share < 0.5


def test_a_batch_too_small_to_fit_is_decided_as_screen_decides_each_record() -> None:
    index = WatchlistIndex()
    index.add(PersonEntry("E1", "欧阳靖远", BASIS, (), "1979-11-23"), NOW)
    for i in range(40):
        index.add(PersonEntry(f"F{i}", "李娜", BASIS, (), f"1970-01-{i % 28 + 1:02d}"), NOW)
    records = [
        ScreeningRecord("R1", "Ouyang Jingyuan", "1979-11-23"),
        ScreeningRecord("R2", "李娜", "1970"),
    ]
    matches, model = index.screen_batch(records, NOW)  # fewer than MIN_BATCH records
    assert model is P.PRIORS
    for record, found in zip(records, matches, strict=True):
        assert [(m.entry_id, m.score) for m in found] == [
            (m.entry_id, m.score) for m in index.screen(record, NOW)
        ]
    assert [m.entry_id for m in matches[0]] == ["E1"] and matches[1] == []


def test_the_budget_rule_keeps_the_expected_false_alerts_within_the_budget() -> None:
    rng = np.random.default_rng(5)
    probability = [rng.uniform(0, 1, size=rng.integers(0, 3)) ** 3 for _ in range(2000)]
    loose = P.budget_threshold(probability, 50.0)
    tight = P.budget_threshold(probability, 5.0)
    assert loose < tight
    assert P.expected_false_alerts(probability, tight) <= 5.0 * 2000 / 1000
    lower = max(t for t in P.THRESHOLD_GRID if t < tight)
    assert P.expected_false_alerts(probability, lower) > 5.0 * 2000 / 1000
    assert P.budget_threshold(probability, 0.0) == P.THRESHOLD_GRID[-1]


def test_a_name_written_as_listed_weighs_for_the_match_when_strangers_seldom_write_it_so() -> None:
    pairs, _ = sample(20_000)
    # the same exact-name agreement, written as listed or not; controls (known non-matches
    # with exact names) that mostly write the name otherwise
    probe = [
        P.Pair(
            f"Q{i}",
            0,
            P.PAIR_DATES.index("year"),
            ID_LEVELS.index("neither"),
            3.0,
            False,
            True,
            YEAR,
            2,
            written=i % 2 == 0,
        )
        for i in range(2)
    ]
    controls = [
        P.Pair(
            f"C{i}",
            0,
            P.PAIR_DATES.index("differ"),
            ID_LEVELS.index("conflict"),
            1.0,
            False,
            False,
            FULL,
            2,
            written=i % 5 == 0,
        )
        for i in range(200)
    ]
    batch = _batch(pairs + probe + controls, 20_000)
    fitted = P.fit(batch, V, use_written=True)
    assert abs(fitted.model.u_written - 0.2) < 0.02
    written, other = P.probabilities(fitted.model, batch, V)[len(pairs) : len(pairs) + 2]
    m, u = fitted.model.m_written, fitted.model.u_written
    assert m > 0.7  # the listed persons' records write it so four times in five
    odds_ratio = (written / (1 - written)) / (other / (1 - other))
    assert odds_ratio > 10 and np.isclose(odds_ratio, (m / u) / ((1 - m) / (1 - u)))
