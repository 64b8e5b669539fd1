"""Imports every domain's tables so that Alembic and retention see them all."""

from vigil.alerts import models as alerts_models
from vigil.alerts import service as alerts_service  # registers its retention rule
from vigil.analytics import models as analytics_models
from vigil.analytics import service as analytics_service  # registers its retention rule
from vigil.core.db import Base
from vigil.governance import models as governance_models
from vigil.governance.retention import register_rule
from vigil.intake import models as intake_models
from vigil.intake import service as intake_service  # registers its retention rules
from vigil.intel.cases import models as intel_case_models
from vigil.intel.clues import models as intel_clue_models
from vigil.intel.sharing import models as intel_sharing_models
from vigil.intel.tips import models as intel_tip_models
from vigil.intel.tips import service as intel_tips
from vigil.registry import models as registry_models
from vigil.registry import service as registry_service  # registers its retention rule
from vigil.screening import models as screening_models

for _rule in intel_tips.RETENTION_RULES:  # intel registers nothing when imported
    register_rule(_rule)

__all__ = [
    "Base",
    "alerts_models",
    "alerts_service",
    "analytics_models",
    "analytics_service",
    "governance_models",
    "intake_models",
    "intake_service",
    "intel_case_models",
    "intel_clue_models",
    "intel_sharing_models",
    "intel_tip_models",
    "intel_tips",
    "registry_models",
    "registry_service",
    "screening_models",
]
