"""Figures for the security games: the open_spiel reference games, 200 random games (6 targets,
2 resources) against vertex brute force, and 10,000 sampled days against the coverage.
Prints the largest deviations and each method's time as a ratio to brute force, same run.
Usage: python bench/patrol_games.py"""

from __future__ import annotations

import time

import numpy as np

from vigil.patrol import games, sampling


def main() -> None:
    one = games.solve_normal_form(np.array([[2, 4], [1, 3]]), np.array([[1, 0], [0, 1]]))
    two = games.solve_normal_form(
        np.array([[2, 0, 0], [1, 0, 0]]), np.array([[0, 2, 5], [0, -1, -4]])
    )
    print(
        f"reference game 1: x={one.leader_strategy.tolist()} value={one.value!r} "
        f"(|x-(1/2,1/2)|={np.abs(one.leader_strategy - 0.5).max():.1e}, "
        f"|v-3.5|={abs(one.value - 3.5):.1e})"
    )
    print(
        f"reference game 2: x={two.leader_strategy.tolist()} value={two.value!r} "
        f"(|x-(1/3,2/3)|={np.abs(two.leader_strategy - [1 / 3, 2 / 3]).max():.1e}, "
        f"|v-4/3|={abs(two.value - 4 / 3):.1e})"
    )
    rng = np.random.default_rng(20)
    worst = {"multiple LPs": 0.0, "ERASER": 0.0, "ORIGAMI": 0.0}
    seconds = {"brute force": 0.0, "multiple LPs": 0.0, "ERASER": 0.0, "ORIGAMI": 0.0}
    origami_games = 0
    methods = {"multiple LPs": games.multiple_lps, "ERASER": games.eraser, "ORIGAMI": games.origami}
    for n in range(200):
        if n % 4 == 3:
            game = games.SecurityGame(*rng.uniform(-10, 10, size=(4, 6)), resources=2)
        else:
            game = games.SecurityGame.random(rng, 6, 2)
        started = time.perf_counter()
        reference = games.brute_force(game).value
        seconds["brute force"] += time.perf_counter() - started
        for name, method in methods.items():
            if name == "ORIGAMI" and not games.origami_applies(game):
                continue
            started = time.perf_counter()
            value = method(game).value
            seconds[name] += time.perf_counter() - started
            worst[name] = max(worst[name], abs(value - reference))
        origami_games += games.origami_applies(game)
    print(f"200 random games (6 targets, 2 resources; ORIGAMI applies to {origami_games}):")
    for name, deviation in worst.items():
        ratio = seconds[name] / seconds["brute force"]
        print(
            f"  {name}: max |value - brute force| = {deviation:.2e}; time / brute force {ratio:.3f}"
        )
    game = games.SecurityGame.random(np.random.default_rng(3), 6, 2)
    coverage = games.multiple_lps(game).coverage
    by_band = np.vstack([coverage, np.roll(coverage, 1), np.roll(coverage, 2), coverage])
    days = sampling.daily_schedules(by_band, 2, 10_000, np.random.default_rng(3))
    error = np.abs(days.mean(axis=0) - by_band).max()
    repeats = sum(np.array_equal(days[d], days[d + 1]) for d in range(len(days) - 1))
    distinct = len({day.tobytes() for day in days})
    print(
        f"10,000 sampled days x 4 bands x 6 targets: max |frequency - coverage| = "
        f"{100 * error:.3f} percentage points; days equal to the day before: {repeats}; "
        f"distinct days: {distinct}"
    )


if __name__ == "__main__":
    main()
