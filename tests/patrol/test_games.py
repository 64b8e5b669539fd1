"""Stackelberg security games: reference games and agreement with brute force."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.patrol import games


def test_open_spiel_reference_game_one() -> None:
    solved = games.solve_normal_form(np.array([[2, 4], [1, 3]]), np.array([[1, 0], [0, 1]]))
    assert np.allclose(solved.leader_strategy, [0.5, 0.5], atol=1e-9, rtol=0)
    assert abs(solved.value - 3.5) <= 1e-9


def test_open_spiel_reference_game_two() -> None:
    solved = games.solve_normal_form(
        np.array([[2, 0, 0], [1, 0, 0]]), np.array([[0, 2, 5], [0, -1, -4]])
    )
    assert np.allclose(solved.leader_strategy, [1 / 3, 2 / 3], atol=1e-9, rtol=0)
    assert abs(solved.value - 4 / 3) <= 1e-9


def _random_game(rng: np.random.Generator, standard: bool) -> games.SecurityGame:
    if standard:
        return games.SecurityGame.random(rng, 6, 2)
    payoffs = rng.uniform(-10, 10, size=(4, 6))
    return games.SecurityGame(*payoffs, resources=2)


def test_two_hundred_random_games_agree_with_brute_force() -> None:
    rng = np.random.default_rng(20)
    origami_runs = 0
    for n in range(200):
        game = _random_game(rng, standard=n % 4 != 3)
        reference = games.brute_force(game)
        found = {"multiple LPs": games.multiple_lps(game), "ERASER": games.eraser(game)}
        if games.origami_applies(game):
            found["ORIGAMI"] = games.origami(game)
            origami_runs += 1
        for method, solved in found.items():
            assert abs(solved.value - reference.value) <= 1e-6, (n, method)
            # the coverage is feasible and the value is what the attacker's response gives
            assert solved.coverage.min() >= -1e-9 and solved.coverage.max() <= 1 + 1e-9
            assert solved.coverage.sum() <= game.resources + 1e-7
            assert abs(games.equilibrium_of(game, solved.coverage).value - solved.value) <= 1e-6
    assert origami_runs == 150


def test_origami_refuses_games_outside_its_assumptions() -> None:
    game = games.SecurityGame(
        np.array([-1.0, 0.0]), np.array([0.0, -1.0]), np.array([0.0, 0.0]),
        np.array([1.0, 1.0]), resources=1,
    )  # fmt: skip
    with pytest.raises(games.NotApplicable):
        games.origami(game)


def test_spare_resources_never_hurt_and_methods_agree() -> None:
    game = games.SecurityGame.random(np.random.default_rng(1), 3, 3)
    everywhere = games.equilibrium_of(game, np.ones(3)).value
    values = [m(game).value for m in (games.multiple_lps, games.eraser, games.origami)]
    assert max(values) - min(values) <= 1e-6
    assert values[0] >= everywhere - 1e-9
