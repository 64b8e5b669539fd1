"""Roles and purposes: plain enums with no storage behind them, so that the CLI can offer them
as choices without importing the database layer. `governance.access` re-exports them."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    OFFICER = "officer"
    AUDITOR = "auditor"
    BUSINESS = "business"


class Purpose(StrEnum):
    SCREENING = "screening"
    INVESTIGATION = "investigation"
    EMERGENCY = "emergency"
    OVERSIGHT = "oversight"
    SERVICE = "service"
