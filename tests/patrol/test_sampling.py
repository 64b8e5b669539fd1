"""Daily schedules drawn from a Stackelberg coverage keep its marginals and vary by day."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.patrol import games, sampling


def test_ten_thousand_days_reproduce_the_coverage_within_one_point() -> None:
    rng = np.random.default_rng(3)
    game = games.SecurityGame.random(rng, 6, 2)
    coverage = games.multiple_lps(game).coverage
    by_band = np.vstack([coverage, np.roll(coverage, 1), np.roll(coverage, 2), coverage])
    days = sampling.daily_schedules(by_band, 2, 10_000, rng)
    assert days.shape == (10_000, 4, 6)
    assert np.abs(days.mean(axis=0) - by_band).max() < 0.01
    assert days.sum(axis=2).max() <= 2  # never more targets than resources in a band
    # each day differs from the day before
    assert not any(np.array_equal(days[d], days[d + 1]) for d in range(len(days) - 1))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=8),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
)
def test_a_draw_covers_each_target_once_at_most(
    raw: list[float], resources: int, seed: int
) -> None:
    coverage = np.array(raw)
    if coverage.sum() > resources:
        coverage *= resources / coverage.sum()
    chosen = sampling.comb_sample(coverage, resources, np.random.default_rng(seed))
    assert len(chosen) == len(set(chosen.tolist())) <= resources
    assert all(coverage[i] > 0 for i in chosen)


def test_coverage_beyond_the_resources_is_refused() -> None:
    with pytest.raises(ValueError):
        sampling.comb_sample(np.array([0.9, 0.9, 0.9]), 2, np.random.default_rng(0))
