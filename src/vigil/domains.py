"""The one registration point on the top floor: every domain's API router, retention rules
and demo step. `vigil.api.app`, `vigil.cli` and `vigil.demo` read these lists; no module
registers anything by being imported. A new domain adds one line to each list it takes part in.

Imports are inside the functions so that `vigil --help` loads no domain it does not run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter

    from vigil.core.runtime import Runtime
    from vigil.demo.city import DemoCity
    from vigil.governance.retention import RetentionRule

DemoStep = Callable[["Runtime", "DemoCity"], list[str]]


def routers() -> list[APIRouter]:
    from vigil.alerts.api import router as alerts
    from vigil.analytics.api import router as analytics
    from vigil.governance.api import router as governance
    from vigil.intake.api import router as intake
    from vigil.intel.api import router as intel
    from vigil.patrol.api import router as patrol
    from vigil.precursors.api import router as precursors
    from vigil.registry.api import router as registry
    from vigil.screening.api import router as screening

    return [governance, intake, intel, registry, alerts, analytics, screening, patrol, precursors]


def retention_rules() -> list[RetentionRule]:
    from vigil.alerts.service import RETENTION_RULES as alerts
    from vigil.analytics.service import RETENTION_RULES as analytics
    from vigil.intake.service import RETENTION_RULES as intake
    from vigil.intel.tips.service import RETENTION_RULES as intel_tips
    from vigil.registry.service import RETENTION_RULES as registry
    from vigil.screening.precursor_sales import RETENTION_RULES as precursor_sales

    return [*registry, *intake, *alerts, *analytics, *intel_tips, *precursor_sales]


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Each capability's demo step, in the order the city's data flows through Vigil."""
    from vigil.demo import analytics_demo, chemical_demo, intake_demo, intel_demo, screening_demo

    return [
        ("Real-name registrations from the city's businesses", intake_demo.run),
        ("Watchlists, screening and alerts", screening_demo.run),
        ("Precursor chemical sales and their transaction rules", chemical_demo.run),
        ("Incident analytics: places and times", analytics_demo.run),
        ("Intelligence, cases, tips and sharing", intel_demo.run),
    ]
