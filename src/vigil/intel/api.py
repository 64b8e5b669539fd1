"""The intel domain's one router, assembled from its subdomains' routers (same paths under
/v1, tagged "intel")."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.intel.cases.api import router as cases_router
from vigil.intel.clues.api import router as clues_router
from vigil.intel.exchange.api import router as exchange_router
from vigil.intel.sharing.api import router as sharing_router
from vigil.intel.tips.api import router as tips_router

router = APIRouter(prefix="/v1", tags=["intel"])
for _sub in (clues_router, sharing_router, cases_router, exchange_router, tips_router):
    router.include_router(_sub)
