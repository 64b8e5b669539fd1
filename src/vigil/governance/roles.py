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
    # an agency's machine (an NVR, an analytics worker) posting its cameras' video events with
    # the agency's API key; no person holds it
    VIDEO_SOURCE = "video_source"


class Purpose(StrEnum):
    SCREENING = "screening"
    INVESTIGATION = "investigation"
    EMERGENCY = "emergency"
    OVERSIGHT = "oversight"
    SERVICE = "service"
