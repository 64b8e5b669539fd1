"""Imports every domain's tables so that Alembic and retention see them all."""

from vigil.alerts import models as alerts_models
from vigil.alerts import service as alerts_service  # registers its retention rule
from vigil.analytics import models as analytics_models
from vigil.analytics import service as analytics_service  # registers its retention rule
from vigil.core.db import Base
from vigil.governance import models as governance_models
from vigil.intake import models as intake_models
from vigil.intake import service as intake_service  # registers its retention rules
from vigil.intel import tips as intel_tips  # intel tables; registers the tip retention rule
from vigil.registry import models as registry_models
from vigil.registry import service as registry_service  # registers its retention rule
from vigil.screening import models as screening_models

__all__ = [
    "Base",
    "alerts_models",
    "alerts_service",
    "analytics_models",
    "analytics_service",
    "governance_models",
    "intake_models",
    "intake_service",
    "intel_tips",
    "registry_models",
    "registry_service",
    "screening_models",
]
