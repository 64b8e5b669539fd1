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
    from vigil.flows.asset_risk import router as infrastructure_risk
    from vigil.flows.dispatch_api import router as alert_dispatch
    from vigil.flows.patrol_plans import router as patrol_plans
    from vigil.flows.sensor_events import router as infrastructure_sensors
    from vigil.flows.video_api import cameras_router as video_camera_assets
    from vigil.flows.video_api import router as video_events
    from vigil.governance.api import router as governance
    from vigil.infrastructure.api import router as infrastructure
    from vigil.intake.api import router as intake
    from vigil.intel.api import router as intel
    from vigil.intel.exchange.taxii_api import router as taxii
    from vigil.patrol.api import router as patrol
    from vigil.precursors.api import router as precursors
    from vigil.registry.api import router as registry
    from vigil.response.api import router as response
    from vigil.screening.api import router as screening
    from vigil.units.api import router as units
    from vigil.video.api import router as video

    return [
        governance,
        intake,
        intel,
        registry,
        alerts,
        alert_dispatch,
        analytics,
        screening,
        patrol,
        patrol_plans,
        units,
        response,
        infrastructure,
        infrastructure_sensors,
        infrastructure_risk,
        video,
        video_events,
        video_camera_assets,
        precursors,
        taxii,
    ]


def retention_rules() -> list[RetentionRule]:
    from vigil.alerts.service import RETENTION_RULES as alerts
    from vigil.analytics.service import RETENTION_RULES as analytics
    from vigil.intake.service import RETENTION_RULES as intake
    from vigil.intel.tips.service import RETENTION_RULES as intel_tips
    from vigil.registry.service import RETENTION_RULES as registry
    from vigil.response.service import RETENTION_RULES as response
    from vigil.screening.precursor_sales import RETENTION_RULES as precursor_sales
    from vigil.units.service import RETENTION_RULES as units
    from vigil.video.service import RETENTION_RULES as video

    return [
        *registry,
        *intake,
        *alerts,
        *analytics,
        *intel_tips,
        *units,
        *response,
        *video,
        *precursor_sales,
    ]


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Each capability's demo step, in the order the city's data flows through Vigil."""
    from vigil.demo import (
        analytics_demo,
        chemical_demo,
        infrastructure_demo,
        intake_demo,
        intel_demo,
        patrol_demo,
        response_demo,
        screening_demo,
        taxii_demo,
        units_demo,
        video_demo,
    )

    return [
        ("Real-name registrations from the city's businesses", intake_demo.run),
        ("Watchlists, screening and alerts", screening_demo.run),
        ("Precursor chemical sales and their transaction rules", chemical_demo.run),
        ("Units: positions, nearest by road, alert dispatch", units_demo.run),
        ("Patrol plan: key places, crowd counts, a week checked and published", patrol_demo.run),
        ("Incident analytics: places and times", analytics_demo.run),
        ("Critical infrastructure: cascades and risk", infrastructure_demo.run),
        ("Cameras, coverage gaps and video events", video_demo.run),
        ("Intelligence, cases, tips and sharing", intel_demo.run),
        ("TAXII 2.1: Riverside's shareable clues as a collection for Harbour", taxii_demo.run),
        ("Emergency response: an incident and a CAP public warning", response_demo.run),
    ]
