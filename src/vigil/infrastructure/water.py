"""Water networks through EPA's WNTR: read an EPANET `.inp`, place it on a map, and simulate
the outage of a pipe, pump or valve. Pure apart from WNTR's scratch files in a temporary
directory; WNTR is imported only here, inside the functions."""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wntr.network import WaterNetworkModel

# Adequate service pressure: 14 m of head (about 20 psi), a common design minimum.
PRESSURE_THRESHOLD_M = 14.0
# The per-capita figure that turns demand into people: 200 litres per person per day.
LITRES_PER_PERSON_PER_DAY = 200.0
SIMULATION_HOURS = 24
SHIPPED_NETWORKS = ("Net1.inp", "Net2.inp", "Net3.inp", "Net6.inp", "ky4.inp", "ky10.inp")


class NetworkError(ValueError):
    """An `.inp` that WNTR cannot read, or an element the network does not have."""


def shipped_network(name: str) -> Path:
    """One of the EPANET networks that ship inside the wntr package (nothing downloads)."""
    import wntr

    if name not in SHIPPED_NETWORKS:
        raise NetworkError(f"unknown network {name!r}: one of {', '.join(SHIPPED_NETWORKS)}")
    return Path(wntr.__file__).parent / "library" / "networks" / name


def read_inp(text: str) -> WaterNetworkModel:
    """A network from the text of an `.inp` file; WNTR's complaint becomes a `NetworkError`."""
    import wntr

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "network.inp"
        path.write_text(text, encoding="utf-8")
        try:
            return wntr.network.WaterNetworkModel(str(path))
        except Exception as exc:  # WNTR raises many kinds for a bad file
            raise NetworkError(f"not a readable EPANET .inp file: {exc}") from None


@dataclass(frozen=True)
class Placement:
    """Where the network's drawing coordinates land: its centre at (latitude, longitude),
    one drawing unit = `metres_per_unit` metres."""

    latitude: float
    longitude: float
    metres_per_unit: float = 100.0


def node_positions(wn: WaterNetworkModel, placement: Placement) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of every node under `placement`."""
    coords = {name: node.coordinates for name, node in wn.nodes()}
    xs = [c[0] for c in coords.values()]
    ys = [c[1] for c in coords.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    per_degree_lat = 111_320.0
    per_degree_lon = per_degree_lat * math.cos(math.radians(placement.latitude))
    return {
        name: (
            round(placement.latitude + (y - cy) * placement.metres_per_unit / per_degree_lat, 7),
            round(placement.longitude + (x - cx) * placement.metres_per_unit / per_degree_lon, 7),
        )
        for name, (x, y) in coords.items()
    }


@dataclass(frozen=True)
class WaterOutage:
    """A link's outage: junctions whose pressure falls below the threshold at some time of
    the simulation, those of them that had adequate pressure without the outage, the demand
    they lose and the people it serves."""

    links: tuple[str, ...]
    threshold_m: float
    junctions_below: tuple[str, ...]
    newly_below: tuple[str, ...]
    demand_lost_m3s: float
    population_affected: int
    litres_per_person_per_day: float


def simulate(wn: WaterNetworkModel, hours: int = SIMULATION_HOURS) -> Any:
    """WNTR's EPANET simulator over `hours`, in a scratch directory."""
    import wntr

    wn.options.time.duration = hours * 3600
    with tempfile.TemporaryDirectory() as scratch:
        return wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(Path(scratch) / "run"))


def close_link(wn: WaterNetworkModel, link: str) -> None:
    """Take `link` out of service for the whole run: closed, and no control reopens it."""
    from wntr.network import LinkStatus

    if link not in wn.link_name_list:
        raise NetworkError(f"the network has no pipe, pump or valve {link!r}")
    for name, control in list(wn.controls()):
        if any(getattr(target, "name", None) == link for target in control.requires()):
            wn.remove_control(name)
    wn.get_link(link).initial_status = LinkStatus.Closed


def junctions_below(results: Any, junctions: list[str], threshold_m: float) -> tuple[str, ...]:
    pressure = results.node["pressure"][junctions]
    return tuple(sorted(str(j) for j in pressure.columns[(pressure < threshold_m).any()]))


def link_outage(
    inp_text: str,
    link: str,
    *,
    threshold_m: float = PRESSURE_THRESHOLD_M,
    hours: int = SIMULATION_HOURS,
    litres_per_person_per_day: float = LITRES_PER_PERSON_PER_DAY,
) -> WaterOutage:
    """One pipe, pump or valve out of service (see `links_outage`)."""
    return links_outage(
        inp_text,
        [link],
        threshold_m=threshold_m,
        hours=hours,
        litres_per_person_per_day=litres_per_person_per_day,
    )


def links_outage(
    inp_text: str,
    links: Sequence[str],
    *,
    threshold_m: float = PRESSURE_THRESHOLD_M,
    hours: int = SIMULATION_HOURS,
    litres_per_person_per_day: float = LITRES_PER_PERSON_PER_DAY,
) -> WaterOutage:
    """Simulate the network with and without `links`; the people affected are the mean
    demand of the junctions that lose adequate pressure, over the per-capita figure."""
    base_network = read_inp(inp_text)
    for link in links:
        if link not in base_network.link_name_list:
            raise NetworkError(f"the network has no pipe, pump or valve {link!r}")
    junctions = list(base_network.junction_name_list)
    base = simulate(base_network, hours)
    before = set(junctions_below(base, junctions, threshold_m))
    outage_network = read_inp(inp_text)
    for link in links:
        close_link(outage_network, link)
    after = junctions_below(simulate(outage_network, hours), junctions, threshold_m)
    newly = tuple(j for j in after if j not in before)
    demand = base.node["demand"][list(newly)].clip(lower=0).mean() if newly else None
    lost = float(demand.sum()) if demand is not None else 0.0
    people = lost * 86_400 * 1000 / litres_per_person_per_day
    return WaterOutage(
        tuple(links),
        threshold_m,
        after,
        newly,
        round(lost, 6),
        round(people),
        litres_per_person_per_day,
    )


def junction_population(
    wn: WaterNetworkModel, litres_per_person_per_day: float = LITRES_PER_PERSON_PER_DAY
) -> dict[str, int]:
    """People each junction serves: its mean expected demand over the per-capita figure."""
    import wntr

    expected = wntr.metrics.expected_demand(wn).mean()
    return {
        str(name): round(max(float(value), 0.0) * 86_400 * 1000 / litres_per_person_per_day)
        for name, value in expected.items()
        if name in set(wn.junction_name_list)
    }
