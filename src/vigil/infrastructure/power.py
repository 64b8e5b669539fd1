"""Power grids through pandapower: the shipped test grids, N-1 contingency (each line out in
turn: which lines overload, which buses lose supply) and the people behind the lost load.
Pure; pandapower is imported only here, inside the functions."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pandapower.auxiliary import pandapowerNet

# Grids from pandapower.networks that load on this stack (MATPOWER cases and a radial
# distribution feeder).
SHIPPED_GRIDS = ("case9", "case14", "case30", "case33bw", "case57", "case118")
MAX_LOADING_PERCENT = 100.0
# The stated figure that turns load into people: 1 kW of average load per person.
PEOPLE_PER_MW = 1000.0


class GridError(ValueError):
    """A grid that pandapower cannot read or solve, or a line it does not have."""


def shipped_grid(name: str) -> pandapowerNet:
    import pandapower.networks as networks

    if name not in SHIPPED_GRIDS:
        raise GridError(f"unknown grid {name!r}: one of {', '.join(SHIPPED_GRIDS)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net: pandapowerNet = getattr(networks, name)()
    return net


def grid_to_json(net: pandapowerNet) -> str:
    import pandapower

    return str(pandapower.to_json(net))


def grid_from_json(text: str) -> pandapowerNet:
    import pandapower

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net: pandapowerNet = pandapower.from_json_string(text)
    except Exception as exc:  # pandapower raises many kinds for a bad file
        raise GridError(f"not a readable pandapower grid: {exc}") from None
    return net


def run_power_flow(net: pandapowerNet) -> bool:
    """AC power flow; False when it does not converge."""
    import pandapower

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pandapower.runpp(net, numba=False)
    except pandapower.LoadflowNotConverged:
        return False
    return True


@dataclass(frozen=True)
class LineOutage:
    """One N-1 case: the line taken out, the lines loaded beyond their limit after it, the
    buses left without supply, the load they carried and the people behind it."""

    line: int
    converged: bool
    overloaded_lines: tuple[int, ...]
    unsupplied_buses: tuple[int, ...]
    load_lost_mw: float
    population_affected: int


def line_outage(
    net: pandapowerNet,
    line: int,
    *,
    max_loading_percent: float = MAX_LOADING_PERCENT,
    people_per_mw: float = PEOPLE_PER_MW,
) -> LineOutage:
    """Take `line` out of service, solve, and put it back."""
    return lines_outage(
        net, [line], max_loading_percent=max_loading_percent, people_per_mw=people_per_mw
    )


def lines_outage(
    net: pandapowerNet,
    lines: Sequence[int],
    *,
    max_loading_percent: float = MAX_LOADING_PERCENT,
    people_per_mw: float = PEOPLE_PER_MW,
) -> LineOutage:
    """Take `lines` out of service together, solve, and put them back. (`line` of the
    result is the first.)"""
    import pandapower.topology as topology

    for line in lines:
        if line not in net.line.index:
            raise GridError(f"the grid has no line {line}")
    was_in_service = net.line.loc[list(lines), "in_service"].copy()
    net.line.loc[list(lines), "in_service"] = False
    try:
        unsupplied = tuple(sorted(int(b) for b in topology.unsupplied_buses(net)))
        converged = run_power_flow(net)
        overloaded: tuple[int, ...] = ()
        if converged:
            loading = net.res_line.loading_percent
            overloaded = tuple(sorted(int(i) for i in loading.index[loading > max_loading_percent]))
    finally:
        net.line.loc[list(lines), "in_service"] = was_in_service
    load = net.load[net.load.in_service & net.load.bus.isin(unsupplied)]
    lost = float((load.p_mw * load.scaling).sum())
    return LineOutage(
        int(lines[0]),
        converged,
        overloaded,
        unsupplied,
        round(lost, 6),
        round(lost * people_per_mw),
    )


def n_minus_1(
    net: pandapowerNet, lines: Iterable[int] | None = None, **options: Any
) -> list[LineOutage]:
    """The N-1 list: one `LineOutage` per line in service (or per line of `lines`)."""
    chosen = lines if lines is not None else net.line.index[net.line.in_service]
    return [line_outage(net, int(line), **options) for line in chosen]


def bus_population(net: pandapowerNet, people_per_mw: float = PEOPLE_PER_MW) -> dict[int, int]:
    """People each bus serves: its load over the stated per-capita figure."""
    load = net.load[net.load.in_service]
    per_bus = (load.p_mw * load.scaling).groupby(load.bus).sum()
    return {int(bus): round(float(mw) * people_per_mw) for bus, mw in per_bus.items()}
