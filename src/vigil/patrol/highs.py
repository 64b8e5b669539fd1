"""One small door to HiGHS (highspy): a sparse MILP/LP in, solution, bound and gap out. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

FEASIBLE = 2  # HiGHS's primal solution status kSolutionStatusFeasible


@dataclass(frozen=True)
class Solved:
    status: str  # HiGHS model status, e.g. "Optimal", "Time limit reached"
    x: np.ndarray  # empty when HiGHS found no feasible solution
    objective: float
    bound: float  # dual bound (the objective itself for an LP)
    gap: float  # relative gap as HiGHS reports it (0 for an LP)
    seconds: float


def solve(
    cost: Sequence[float] | np.ndarray,
    matrix: sparse.spmatrix | np.ndarray,
    row_lower: Sequence[float] | np.ndarray,
    row_upper: Sequence[float] | np.ndarray,
    col_lower: Sequence[float] | np.ndarray,
    col_upper: Sequence[float] | np.ndarray,
    *,
    integer: Sequence[bool] | np.ndarray | None = None,
    maximise: bool = False,
    options: dict[str, bool | int | float | str] | None = None,
    start: np.ndarray | None = None,
) -> Solved:
    """Solve min/max cost·x s.t. row_lower <= A x <= row_upper, col bounds, integer columns.
    `start`, a feasible x, is handed to HiGHS as the first incumbent."""
    csc = sparse.csc_matrix(matrix)
    n_rows, n_cols = csc.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    is_mip = integer is not None and bool(np.any(integer))
    if is_mip:
        assert integer is not None
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
    h.passModel(lp)
    if start is not None:
        given = highspy.HighsSolution()
        given.col_value = np.asarray(start, dtype=float).tolist()
        given.value_valid = True
        h.setSolution(given)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    x = np.asarray(h.getSolution().col_value, dtype=float)
    if int(info.primal_solution_status) != FEASIBLE:
        # no solution in time: HiGHS still hands back a vector (zeros), which callers took
        # for a plan (a district with no visits at all); they test for an empty x instead
        x = np.empty(0)
    objective = float(info.objective_function_value)
    if is_mip:
        bound, gap = float(info.mip_dual_bound), float(info.mip_gap)
    else:
        bound, gap = objective, 0.0
    return Solved(status, x, objective, bound, gap, float(h.getRunTime()))
