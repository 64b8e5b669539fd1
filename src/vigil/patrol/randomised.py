"""Randomised schedules for key targets an adversary may watch. Pure.

Per band, the key places with demand form a security game: an unprotected place loses its
demand, a protected one nothing; an attacker gains the demand where unprotected and is caught
(-1) where protected. The defender's `resources` guards per band are spread by ORIGAMI where it
applies (it does for these payoffs) and ERASER otherwise; each band's schedule is one comb
draw from that coverage, so the days differ and the marginals hold over many weeks."""

from __future__ import annotations

import numpy as np

from vigil.patrol import games, sampling
from vigil.patrol import plan as fmt
from vigil.patrol.coverage import Problem


def band_game(
    problem: Problem, band: int, targets: list[int], resources: int
) -> games.SecurityGame:
    demand = problem.demand[targets, band].astype(float)
    return games.SecurityGame(
        defender_covered=np.zeros(len(targets)),
        defender_uncovered=-demand,
        attacker_covered=np.full(len(targets), -1.0),
        attacker_uncovered=demand,
        resources=resources,
    )


def randomise(problem: Problem, resources: int, seed: int = 0) -> fmt.Randomised:
    rng = np.random.default_rng(seed)
    keys = [i for i, p in enumerate(problem.places) if p.key]
    coverage: list[fmt.TargetCoverage] = []
    schedules: list[fmt.DailySchedule] = []
    for band in problem.bands:
        targets = [i for i in keys if problem.demand[i, band.index] > 0]
        if not targets or resources <= 0:
            continue
        game = band_game(problem, band.index, targets, min(resources, len(targets)))
        solved = games.origami(game) if games.origami_applies(game) else games.eraser(game)
        chosen = sampling.comb_sample(solved.coverage, game.resources, rng)
        coverage.extend(
            fmt.TargetCoverage(
                place=problem.places[t].id,
                band=band.index,
                probability=round(float(min(1.0, max(0.0, c))), 9),
            )
            for t, c in zip(targets, solved.coverage, strict=True)
        )
        schedules.append(
            fmt.DailySchedule(
                day=band.start.date().isoformat(),
                band=band.index,
                places=[problem.places[targets[int(i)]].id for i in chosen],
            )
        )
    return fmt.Randomised(resources=resources, coverage=coverage, schedules=schedules)
