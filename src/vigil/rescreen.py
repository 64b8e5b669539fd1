"""Screening when a list changes: the registrations already stored are screened against a
newly approved watchlist entry.

This is a handler on the top floor, because it joins three domains. Screening raises a
`WatchlistEntryApproved` event in the approval's own transaction. Intake hands over the stored
registrations of the look-back window, one page at a time. Screening matches them against
that entry alone, exactly as the live screen does. Alerts are raised as the pipeline raises
them and routed to the agency that listed the entry. Every read and every alert is audited
under the entry's own warrant. A run ends with one audit entry that sums up the screen.

The entry's warrant is linked to the persons on file who hold the resident ID it names, so
an investigation under it reads them.

Exactly once, with the live pipeline:
- A registration that already has an alert for the entry is not alerted again.
- The re-screen waits while registrations filed before the approval, with their event in
  the window, still wait in the outbox. Every registration it reads has therefore been
  through the live screen, and the dedupe above sees the pipeline's alert.
- Registrations filed after the approval meet the entry in the live screen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from vigil.alerts import service as alerts
from vigil.alerts.notify import deliver_webhooks
from vigil.core.clock import utcnow
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.audit import Action
from vigil.intake import service as intake
from vigil.registry import service as registry
from vigil.screening import service as screening
from vigil.screening.entries import Match
from vigil.screening.events import WatchlistEntryApproved
from vigil.screening.index import WatchlistIndex

log = get_logger("vigil.rescreen")
RESCREEN_PAGE = 500  # registrations read and screened at a time
APPROVALS_PER_RUN = 5


def rescreen_for_approved_entries(
    runtime: Runtime, *, now: datetime | None = None, limit: int = APPROVALS_PER_RUN
) -> int:
    """Handle up to `limit` pending `WatchlistEntryApproved` events in one transaction.
    Returns how many alerts were raised. An approval whose window still has registrations
    in the outbox stays pending for a later run."""
    with runtime.read_sessions() as session:  # idle loops take no write lock (SQLite)
        if not screening.approvals_pending(session):
            return 0
    now = now or utcnow()
    window = timedelta(days=runtime.settings.rescreen_window_days)
    raised: list[int] = []
    with runtime.unit_of_work() as session:
        done: list[int] = []
        approvals = screening.claim_approvals(session, limit)
        # refreshed after the claim: the claimed approvals' entries are in the index
        index = screening.refreshed_state(runtime, session).index
        for event in approvals:
            alert_ids = _rescreen(session, index, event, window, now)
            if alert_ids is not None:
                raised += alert_ids
                done.append(event.event_id)
        screening.mark_events_done(session, done, now)
    if raised:
        deliver_webhooks(runtime, raised)
    return len(raised)


def _rescreen(
    session: Session,
    index: WatchlistIndex,
    event: WatchlistEntryApproved,
    window: timedelta,
    now: datetime,
) -> list[int] | None:
    """The alerts raised for one approval, or None if it must wait for the pipeline."""
    target = screening.rescreen_target(session, event.entry_id)
    if target is None:  # withdrawn since: nothing to screen it against
        return []
    _name_warrant_subjects(session, target)
    since, until = event.approved_at - window, event.approved_at
    if intake.registrations_awaiting_pipeline(
        session, since=since, until=until, filed_by=event.approved_at
    ):
        return None
    alert_ids: list[int] = []
    screened = after_id = 0
    while page := intake.stored_registrations(
        session, target.context, since=since, until=until, after_id=after_id, limit=RESCREEN_PAGE
    ):
        after_id = page[-1].submission_id
        screened += len(page)
        sectors = {r.submission_id: r.sector for r in page}
        records = [
            record
            for r in page
            for record in screening.registration_records(
                r.sector, r.submission_id, r.persons, r.objects
            )
        ]
        matches = screening.screen_against_entry(index, event.entry_id, records, now)
        if not matches:
            continue
        alerted = alerts.alerted_for_entry(
            session, event.entry_id, {_submission_of(m) for m in matches}
        )
        persons = registry.linked_persons(
            session, [key for m in matches if (key := _person_key(m)) is not None]
        )
        routing = alerts.Routing({event.entry_id: target.organisation_id}, target.organisation_id)
        for match in matches:
            submission_id = _submission_of(match)
            if submission_id in alerted:
                continue
            key = _person_key(match)
            for _, draft in alerts.alerts_for_hits(  # the alert the pipeline raises
                routing,
                f"rescreen:{event.entry_id}",
                sectors[submission_id],
                submission_id,
                persons.get(key) if key is not None else None,
                [match],
            ):
                alert_ids.append(alerts.raise_alert(session, target.context, draft).id)
    audit.record(
        session,
        target.context,
        Action.CONSULT,
        "watchlist_entry",
        event.entry_id,
        detail={
            "rescreen": {"since": since.isoformat(), "until": until.isoformat()},
            "screened": screened,
            "alerts": alert_ids,
        },
    )
    log.info("rescreened", entry=event.entry_id, screened=screened, alerts=len(alert_ids))
    return alert_ids


def _name_warrant_subjects(session: Session, target: screening.RescreenTarget) -> None:
    """A wanted-person entry's warrant reads the persons on file with the resident ID it names
    (a supervisor links anyone else, with a reason). The live screen links those filed later
    (`pipeline.name_warrant_subjects`)."""
    if target.kind != "person" or not target.id_hash:
        return
    for person_id in registry.persons_holding(session, target.id_hash):
        name_warrant_subject(session, target, person_id)


def name_warrant_subject(
    session: Session, target: screening.RescreenTarget, person_id: int
) -> None:
    """Let the entry's warrant read one person who holds the resident ID it names; audited."""
    if target.context.legal_basis is None:
        return
    governance.link_subject(
        session,
        target.context,
        target.context.legal_basis,
        "person",
        person_id,
        "holds the resident ID the watchlist entry names",
    )


def _submission_of(match: Match) -> int:
    return int(match.record_id.split(":")[1])  # "sector:submission:position"


def _person_key(match: Match) -> tuple[str, int, int] | None:
    """(sector, submission id, position) of a person record; None for a record's objects."""
    sector, submission, position = match.record_id.split(":")
    return (sector, int(submission), int(position)) if position.isdigit() else None
