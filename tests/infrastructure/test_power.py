"""Acceptance 2: on pandapower's IEEE 30-bus case, the N-1 list (overloaded lines and
unsupplied buses per outage) equals pandapower's own result computed here."""

from __future__ import annotations

import copy
from typing import Any

import pandapower
import pytest

from vigil.infrastructure import power


def _pandapower_directly(grid: Any, line: int) -> tuple[set[int], set[int]]:
    """Take the line out, solve, read the result tables: lines above 100 % loading, and
    buses the solver left without a voltage (isolated)."""
    net = copy.deepcopy(grid)
    net.line.at[line, "in_service"] = False
    pandapower.runpp(net, numba=False)
    overloaded = set(net.res_line.index[net.res_line.loading_percent > 100.0].astype(int))
    unsupplied = set(net.res_bus.index[net.res_bus.vm_pu.isna()].astype(int))
    return overloaded, unsupplied


def test_n_minus_1_matches_pandapower() -> None:
    net = power.shipped_grid("case30")
    untouched = copy.deepcopy(net)
    outages = power.n_minus_1(net)
    assert [o.line for o in outages] == list(net.line.index)
    for outage in outages:
        overloaded, unsupplied = _pandapower_directly(untouched, outage.line)
        assert outage.converged
        assert set(outage.overloaded_lines) == overloaded, outage.line
        assert set(outage.unsupplied_buses) == unsupplied, outage.line
    # the case is not trivial: some outages overload new lines, some isolate buses
    assert any(len(o.overloaded_lines) > 1 for o in outages)
    assert any(o.unsupplied_buses for o in outages)


def test_radial_feeder_outage_loses_the_load_downstream() -> None:
    net = power.shipped_grid("case33bw")
    first = power.line_outage(net, 0)
    assert set(first.unsupplied_buses) == set(net.bus.index) - {0}
    load = net.load[net.load.in_service]
    assert first.load_lost_mw == pytest.approx(float((load.p_mw * load.scaling).sum()))
    assert first.population_affected == round(first.load_lost_mw * power.PEOPLE_PER_MW)
    assert bool(net.line.at[0, "in_service"])  # put back afterwards
    with pytest.raises(power.GridError):
        power.line_outage(net, 999)
