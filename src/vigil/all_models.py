"""Imports every domain's tables so that Alembic and the tests' schema see them all.

Only models: retention rules, routers and demo steps are collected by `vigil.domains`."""

from vigil.alerts import models as alerts_models
from vigil.analytics import models as analytics_models
from vigil.core.db import Base
from vigil.governance import models as governance_models
from vigil.infrastructure import models as infrastructure_models
from vigil.intake import models as intake_models
from vigil.intel.cases import models as intel_case_models
from vigil.intel.clues import models as intel_clue_models
from vigil.intel.exchange import models as intel_exchange_models
from vigil.intel.sharing import models as intel_sharing_models
from vigil.intel.tips import models as intel_tip_models
from vigil.patrol import models as patrol_models
from vigil.precursors import models as precursor_models
from vigil.registry import models as registry_models
from vigil.response import models as response_models
from vigil.screening import models as screening_models
from vigil.units import models as units_models
from vigil.video import models as video_models

__all__ = [
    "Base",
    "alerts_models",
    "analytics_models",
    "governance_models",
    "infrastructure_models",
    "intake_models",
    "intel_case_models",
    "intel_clue_models",
    "intel_exchange_models",
    "intel_sharing_models",
    "intel_tip_models",
    "patrol_models",
    "precursor_models",
    "registry_models",
    "response_models",
    "screening_models",
    "units_models",
    "video_models",
]
