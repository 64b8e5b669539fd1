"""Emergency reads overdue for review raise an alert in the reading agency's queue (a
supervisor must review each emergency read within `settings.emergency_review_hours`)."""

from __future__ import annotations

from datetime import datetime

from vigil.alerts.schemas import AlertIn
from vigil.alerts.service import raise_alerts
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import Purpose, system_context

LEGAL_BASIS = "after-the-fact review of emergency reads (supervisor)"


def raise_overdue_review_alerts(runtime: Runtime, now: datetime | None = None) -> int:
    """One alert per overdue review, once; returns how many were raised."""
    hours = runtime.settings.emergency_review_hours
    with runtime.unit_of_work() as session:
        overdue = governance.overdue_emergency_reviews(session, hours, now)
        alerts = [
            (
                f"emergency-review:{review.id}",
                AlertIn(
                    kind="review",
                    score=1.0,
                    explanation={
                        "review_overdue": {
                            "score": 1.0,
                            "detail": f"{review.actor} read under {review.reference} on"
                            f" {review.first_read_at:%Y-%m-%d %H:%M} UTC; no supervisor has"
                            f" reviewed it within {hours} h",
                        }
                    },
                    summary=f"emergency read by {review.actor} awaits review",
                    sector="governance",
                    submission_id=review.id,
                    legal_basis=LEGAL_BASIS,
                    organisation_id=review.organisation_id,
                ),
            )
            for review in overdue
        ]
        if alerts:
            raise_alerts(session, system_context(Purpose.SERVICE, "system"), alerts)
    return len(alerts)
