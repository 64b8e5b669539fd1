"""Surge alerts: a control chart per area x incident type. Counts per period are compared
with the previous periods: Poisson limits, or negative binomial when the baseline is
over-dispersed. Alerts are analytical and about places and types, never about persons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import nbinom, poisson

from vigil.analytics.stats import Period, with_area_and_period

FloatArray = npt.NDArray[np.float64]
Model = Literal["poisson", "negative_binomial"]


@dataclass(frozen=True)
class ControlLimits:
    expected: FloatArray
    variance: FloatArray
    upper_limit: FloatArray  # the (1 - alpha) quantile
    p_value: FloatArray  # P(X >= observed) under the model
    negative_binomial: npt.NDArray[np.bool_]


def control_limits(
    baseline: npt.ArrayLike,
    observed: npt.ArrayLike,
    *,
    alpha: float = 0.01,
    overdispersion: float = 1.2,
    floor: float = 0.1,
) -> ControlLimits:
    """Rows of `baseline` (groups x periods) give the model for `observed` (groups). Negative
    binomial (method of moments) when variance > overdispersion x mean, else Poisson; the
    mean is floored at `floor` so an empty history still gives finite limits."""
    history = np.atleast_2d(np.asarray(baseline, dtype=np.float64))
    counts = np.asarray(observed, dtype=np.float64)
    mean = np.maximum(history.mean(axis=1), floor)
    variance = history.var(axis=1, ddof=1) if history.shape[1] > 1 else mean.copy()
    use_nb = variance > overdispersion * mean
    size = np.where(use_nb, mean**2 / np.maximum(variance - mean, 1e-12), 1.0)
    prob = size / (size + mean)
    upper = np.where(
        use_nb, nbinom.ppf(1 - alpha, size, prob), poisson.ppf(1 - alpha, mean)
    ).astype(np.float64)
    p_value = np.where(
        use_nb, nbinom.sf(counts - 1, size, prob), poisson.sf(counts - 1, mean)
    ).astype(np.float64)
    return ControlLimits(mean, variance, upper, p_value, use_nb)


@dataclass(frozen=True)
class SurgeAlert:
    """An analytical alert about a place and an incident type in one period."""

    area: str
    incident_type: str
    period: str
    observed: int
    expected: float
    upper_limit: float
    p_value: float
    model: Model

    @property
    def message(self) -> str:
        return (
            f"{self.incident_type} surge in area {self.area}, {self.period}: "
            f"{self.observed} incidents vs {self.expected:.1f} expected "
            f"(limit {self.upper_limit:g}, {self.model}, p={self.p_value:.3g})"
        )


def period_counts(frame: pd.DataFrame, *, period: Period, area_resolution: int) -> pd.DataFrame:
    """Wide table: one row per (area, type), one column per period (missing periods = 0)."""
    tagged = with_area_and_period(frame, area_resolution, period)
    counts = tagged.groupby(["area", "type", "period"]).size().unstack("period", fill_value=0)
    return counts.reindex(columns=sorted(counts.columns), fill_value=0)


def surge_alerts(
    frame: pd.DataFrame,
    *,
    period: Period = "W",
    area_resolution: int = 7,
    baseline_periods: int = 8,
    alpha: float = 0.01,
    min_count: int = 3,
    only_last: bool = True,
) -> list[SurgeAlert]:
    """Alerts where the count exceeds the control limit built from the previous
    `baseline_periods` periods (and is at least `min_count`). Periods without counts in the
    data are not in the table, so give the frame a full time range."""
    wide = period_counts(frame, period=period, area_resolution=area_resolution)
    values = wide.to_numpy(dtype=np.float64)
    n_periods = values.shape[1]
    if n_periods <= baseline_periods:
        return []
    first = n_periods - 1 if only_last else baseline_periods
    alerts: list[SurgeAlert] = []
    windows = sliding_window_view(values, baseline_periods, axis=1)
    for t in range(first, n_periods):
        limits = control_limits(windows[:, t - baseline_periods], values[:, t], alpha=alpha)
        hit = (values[:, t] > limits.upper_limit) & (values[:, t] >= min_count)
        for g in np.flatnonzero(hit):
            area, incident_type = wide.index[int(g)]
            alerts.append(
                SurgeAlert(
                    area=str(area),
                    incident_type=str(incident_type),
                    period=str(wide.columns[t]),
                    observed=int(values[g, t]),
                    expected=float(limits.expected[g]),
                    upper_limit=float(limits.upper_limit[g]),
                    p_value=float(limits.p_value[g]),
                    model="negative_binomial" if limits.negative_binomial[g] else "poisson",
                )
            )
    return alerts
