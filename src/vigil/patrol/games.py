"""Stackelberg games for patrols: the strong Stackelberg equilibrium (SSE), where the defender
commits to a mixed strategy, the attacker observes it and best-responds, ties broken in the
defender's favour. Pure (numpy, scipy/HiGHS).

- `solve_normal_form`: the multiple-LPs method (Conitzer & Sandholm 2006) on a bimatrix game:
  one LP per follower action, keep the best.
- A `SecurityGame` (targets with covered/uncovered payoffs, m identical resources, no scheduling
  constraints) is solved in coverage space c in [0,1]^n, sum(c) <= m, by:
  - `multiple_lps`: one LP per attacked target;
  - `eraser`: the compact MILP of Kiekintveld et al. 2009 (one binary per target, big-M);
  - `origami`: the polynomial attack-set algorithm, which applies when covering a target is
    better for the defender and worse for the attacker (`origami_applies`);
  - `brute_force`: every vertex of every per-target polytope, found by solving each choice of n
    active constraints as a linear system (no LP solver), the reference the others must meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
from scipy.optimize import linprog

from vigil.patrol import highs

_TIE = 1e-9


class NotApplicable(ValueError):
    """The algorithm's assumptions do not hold for this game."""


@dataclass(frozen=True)
class NormalFormSSE:
    leader_strategy: np.ndarray
    follower_action: int
    value: float


def solve_normal_form(leader: np.ndarray, follower: np.ndarray) -> NormalFormSSE:
    """Multiple LPs: for each follower action j, maximise the leader's payoff over mixed x
    under which j is a best response; the best of these LPs is the SSE."""
    a, b = np.asarray(leader, dtype=float), np.asarray(follower, dtype=float)
    rows, cols = a.shape
    best: NormalFormSSE | None = None
    for j in range(cols):
        others = [k for k in range(cols) if k != j]
        # follower's payoff for k minus for j, as a function of x, must be <= 0
        a_ub = (b[:, others] - b[:, [j]]).T if others else None
        b_ub = np.zeros(len(others)) if others else None
        res = linprog(
            -a[:, j],
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=np.ones((1, rows)),
            b_eq=[1.0],
            bounds=[(0, 1)] * rows,
            method="highs",
        )
        if res.status != 0:
            continue
        x = np.clip(res.x, 0.0, None)
        x = x / x.sum()
        value = float(x @ a[:, j])
        if best is None or value > best.value + _TIE:
            best = NormalFormSSE(x, j, value)
    if best is None:
        raise ValueError("no follower action can be induced")
    return best


@dataclass(frozen=True)
class SecurityGame:
    """Payoffs per target: defender and attacker, when the attacked target is covered or not."""

    defender_covered: np.ndarray
    defender_uncovered: np.ndarray
    attacker_covered: np.ndarray
    attacker_uncovered: np.ndarray
    resources: int

    @property
    def targets(self) -> int:
        return len(self.defender_covered)

    def defender_utility(self, coverage: np.ndarray) -> np.ndarray:
        dc, du = self.defender_covered, self.defender_uncovered
        return np.asarray(coverage * dc + (1 - coverage) * du)

    def attacker_utility(self, coverage: np.ndarray) -> np.ndarray:
        ac, au = self.attacker_covered, self.attacker_uncovered
        return np.asarray(coverage * ac + (1 - coverage) * au)

    @classmethod
    def random(cls, rng: np.random.Generator, targets: int, resources: int) -> SecurityGame:
        """Standard random game: covered payoffs in [0,10], uncovered in [-10,0] for the
        defender, mirrored for the attacker."""
        return cls(
            rng.uniform(0, 10, targets),
            rng.uniform(-10, 0, targets),
            rng.uniform(-10, 0, targets),
            rng.uniform(0, 10, targets),
            resources,
        )


@dataclass(frozen=True)
class SecuritySSE:
    coverage: np.ndarray
    target: int  # the attacked target
    value: float  # the defender's expected utility


def equilibrium_of(game: SecurityGame, coverage: np.ndarray) -> SecuritySSE:
    """The attacker's best response to a coverage (ties to the defender) and its value."""
    attacker = game.attacker_utility(coverage)
    defender = game.defender_utility(coverage)
    attack_set = np.flatnonzero(attacker >= attacker.max() - 1e-7)
    target = int(attack_set[np.argmax(defender[attack_set])])
    return SecuritySSE(coverage, target, float(defender[target]))


def _target_constraints(game: SecurityGame, t: int) -> tuple[np.ndarray, np.ndarray]:
    """G c <= h: attacking t is a best response, sum(c) <= m (box bounds apart)."""
    n = game.targets
    delta = game.attacker_uncovered - game.attacker_covered
    rows, rhs = [np.ones(n)], [float(game.resources)]
    for k in range(n):
        if k == t:
            continue
        row = np.zeros(n)
        row[k] -= delta[k]
        row[t] += delta[t]
        rows.append(row)
        rhs.append(float(game.attacker_uncovered[t] - game.attacker_uncovered[k]))
    return np.array(rows), np.array(rhs)


def multiple_lps(game: SecurityGame) -> SecuritySSE:
    """One LP per attacked target in coverage space; the best feasible one."""
    n = game.targets
    best: SecuritySSE | None = None
    gain = game.defender_covered - game.defender_uncovered
    for t in range(n):
        g, h = _target_constraints(game, t)
        cost = np.zeros(n)
        cost[t] = -gain[t]
        res = linprog(cost, A_ub=g, b_ub=h, bounds=[(0, 1)] * n, method="highs")
        if res.status != 0:
            continue
        value = float(game.defender_uncovered[t] + gain[t] * res.x[t])
        if best is None or value > best.value + _TIE:
            best = SecuritySSE(np.clip(res.x, 0, 1), t, value)
    assert best is not None  # c = 0 makes the attacker's favourite feasible
    return best


def eraser(game: SecurityGame) -> SecuritySSE:
    """ERASER: max d s.t. a in {0,1}^n, sum a = 1, c in [0,1]^n, sum c <= m,
    d - U_d(t,c) <= (1-a_t)Z, 0 <= k - U_a(t,c) <= (1-a_t)Z. Columns: c, a, d, k."""
    n = game.targets
    dc, du = game.defender_covered, game.defender_uncovered
    ac, au = game.attacker_covered, game.attacker_uncovered
    payoffs = np.concatenate([dc, du, ac, au])
    big = float(payoffs.max() - payoffs.min()) + 1.0
    cols = 2 * n + 2
    d_col, k_col = 2 * n, 2 * n + 1
    rows: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []

    def add(row: np.ndarray, lo: float, hi: float) -> None:
        rows.append(row)
        lower.append(lo)
        upper.append(hi)

    row = np.zeros(cols)
    row[n : 2 * n] = 1
    add(row, 1, 1)
    row = np.zeros(cols)
    row[:n] = 1
    add(row, -np.inf, game.resources)
    for t in range(n):
        # d - du_t - c_t (dc_t - du_t) + Z a_t <= Z
        row = np.zeros(cols)
        row[d_col], row[t], row[n + t] = 1, -(dc[t] - du[t]), big
        add(row, -np.inf, big + du[t])
        # k - au_t + c_t (au_t - ac_t) in [0, (1 - a_t) Z]
        row = np.zeros(cols)
        row[k_col], row[t] = 1, au[t] - ac[t]
        add(row, au[t], np.inf)
        row = row.copy()
        row[n + t] = big
        add(row, -np.inf, big + au[t])
    cost = np.zeros(cols)
    cost[d_col] = 1
    col_lower = np.r_[np.zeros(2 * n), -np.inf, -np.inf]
    col_upper = np.r_[np.ones(2 * n), np.inf, np.inf]
    integer = np.r_[np.zeros(n, bool), np.ones(n, bool), False, False]
    solved = highs.solve(
        cost,
        np.array(rows),
        lower,
        upper,
        col_lower,
        col_upper,
        integer=integer,
        maximise=True,
        options={
            "mip_rel_gap": 0.0,
            "mip_abs_gap": 1e-12,
            "mip_feasibility_tolerance": 1e-10,
            "primal_feasibility_tolerance": 1e-10,
        },
    )
    if solved.status != "Optimal":
        raise RuntimeError(f"ERASER: HiGHS says {solved.status}")
    coverage = np.clip(solved.x[:n], 0.0, 1.0)
    target = int(np.argmax(solved.x[n : 2 * n]))
    value = float(du[target] + (dc[target] - du[target]) * coverage[target])
    return SecuritySSE(coverage, target, value)


def origami_applies(game: SecurityGame) -> bool:
    return bool(
        np.all(game.defender_covered >= game.defender_uncovered)
        and np.all(game.attacker_uncovered > game.attacker_covered)
    )


def origami(game: SecurityGame) -> SecuritySSE:
    """Sort targets by the attacker's uncovered payoff; grow the attack set, lowering the
    attacker's utility k until the resources run out or a target's coverage reaches 1."""
    if not origami_applies(game):
        raise NotApplicable(
            "ORIGAMI needs covered >= uncovered for the defender, < for the attacker"
        )
    au, ac = game.attacker_uncovered, game.attacker_covered
    delta = au - ac
    order = np.argsort(-au, kind="stable")
    n, m = game.targets, float(game.resources)
    size = 1  # attack set = order[:size]
    k = float(au[order[0]])
    while True:
        members = order[:size]
        floor = float(ac[members].max())  # below this some member's coverage would pass 1
        nxt = float(au[order[size]]) if size < n else -np.inf
        goal = max(nxt, floor)
        needed = float(np.sum((au[members] - goal) / delta[members]))
        if needed > m:  # resources run out first: sum c = m fixes k
            k = float((np.sum(au[members] / delta[members]) - m) / np.sum(1 / delta[members]))
            break
        k = goal
        if goal == nxt and nxt > floor:
            size += 1
            continue
        break
    coverage = np.zeros(n)
    members = order[:size]
    coverage[members] = np.clip((au[members] - k) / delta[members], 0.0, 1.0)
    return equilibrium_of(game, coverage)


@cache
def _choices(rows: int, n: int) -> np.ndarray:
    """Every set of n constraint rows, skipping those that hold a variable's two bounds."""
    picked = [
        c for c in combinations(range(rows), n) if not any(i in c and i + n in c for i in range(n))
    ]
    return np.array(picked, dtype=np.int64)


def brute_force(game: SecurityGame) -> SecuritySSE:
    """Enumerate every vertex of {c : attacking t is a best response, sum c <= m, 0<=c<=1}
    for every t by solving each set of n active constraints; the best feasible vertex wins."""
    n = game.targets
    gain = game.defender_covered - game.defender_uncovered
    systems, rhs_all = [], []
    for t in range(n):
        g, h = _target_constraints(game, t)
        systems.append(np.vstack([-np.eye(n), np.eye(n), g]))
        rhs_all.append(np.concatenate([np.zeros(n), np.ones(n), h]))
    big_g, big_h = np.stack(systems), np.stack(rhs_all)  # targets x rows x n
    choice = _choices(big_h.shape[1], n)
    a = big_g[:, choice]  # targets x choices x n x n
    b = big_h[:, choice]
    ok = np.abs(np.linalg.det(a)) > 1e-10
    target_of, _ = np.nonzero(ok)
    points = np.linalg.solve(a[ok], b[ok][..., None])[..., 0]
    slack = big_h[target_of] - np.einsum("krn,kn->kr", big_g[target_of], points)
    feasible = np.all(slack >= -1e-9, axis=1)
    points, target_of = points[feasible], target_of[feasible]
    values = (
        game.defender_uncovered[target_of]
        + gain[target_of] * points[np.arange(len(points)), target_of]
    )
    best = int(np.argmax(values))
    return SecuritySSE(points[best], int(target_of[best]), float(values[best]))
