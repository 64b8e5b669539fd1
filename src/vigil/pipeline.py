"""The outbox worker: the one place where intake → registry → screening → alerts is wired.

Each batch runs in one transaction: claimed outbox events, person links, alerts and their
audit entries commit together, so a crash never loses or doubles an alert. Webhooks go out
after the commit. The domains below stay unaware of each other."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigil import rescreen
from vigil.alerts import service as alerts
from vigil.alerts.notify import deliver_webhooks
from vigil.alerts.schemas import AlertIn, Hit
from vigil.core.clock import utcnow
from vigil.core.logging import get_logger
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext, Purpose, system_context
from vigil.governance.models import Organisation
from vigil.intake import outbox
from vigil.registry import service as registry
from vigil.screening import service as screening
from vigil.screening.entries import Match, ScreeningRecord
from vigil.screening.models import WatchlistEntry

log = get_logger("vigil.pipeline")
PIPELINE_CONTEXT = system_context(Purpose.SCREENING, "statute:real-name-registration")
UNVERIFIED_SENDER_BASIS = "postal real-name rule: sender identity not verified"


@dataclass
class BatchReport:
    events: int = 0
    persons_linked: int = 0
    alerts: list[int] = field(default_factory=list)
    failed: int = 0


def _birth(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat() if isinstance(value, date) else ""


def _person_record(person: dict[str, Any]) -> registry.RegistrationPerson:
    birth = person.get("birth_date") or None
    return registry.RegistrationPerson(
        name=person.get("name") or "",
        birth_date=date.fromisoformat(birth) if birth else None,
        sex=person.get("sex"),
        nationality=person.get("nationality"),
        doc_type=person.get("doc_type"),
        issuing_country=person.get("issuing_country"),
        id_hash=person.get("id_hash"),
        id_ciphertext=person.get("id_ciphertext"),
    )


class _Routing:
    """Alerts go to the agency that listed the entry; parcel alerts to the home agency."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._owners: dict[str, int] = {}
        self._home: int | None = None

    def owner(self, entry_id: str) -> int:
        if entry_id not in self._owners:
            org = self.session.scalar(
                select(WatchlistEntry.organisation_id).where(WatchlistEntry.entry_id == entry_id)
            )
            self._owners[entry_id] = int(org) if org is not None else self.home()
        return self._owners[entry_id]

    def home(self) -> int:
        if self._home is None:
            first = self.session.scalar(
                select(Organisation.id)
                .where(Organisation.kind == "agency")
                .order_by(Organisation.id)
                .limit(1)
            )
            self._home = int(first or 0)
        return self._home


def screen_event(
    session: Session,
    ctx: AccessContext,
    state: screening.ScreeningState,
    routing: _Routing,
    payload: dict[str, Any],
    persons: list[dict[str, Any]],
    now: datetime,
) -> tuple[int, list[int]]:
    """Resolve and screen one stored registration. Returns (persons linked, alert ids)."""
    sector = str(payload["sector"])
    submission_id = int(payload["submission_id"])
    alert_ids: list[int] = []
    linked = 0
    objects = payload.get("objects") or {}
    for position, person in enumerate(persons):
        link = registry.link_registration(
            session, ctx, sector, submission_id * 100 + position, _person_record(person)
        )
        linked += 1
        # Watchlists hold resident-ID hashes; a passport hash is not comparable with them.
        resident = person.get("doc_type") == "cn_resident_id" and bool(person.get("id_hash"))
        birth = _birth(person.get("birth_date"))
        record = ScreeningRecord(
            record_id=f"{sector}:{submission_id}:{position}",
            name=person.get("name") or "",
            birth_date=birth,
            id_hash=(person.get("id_hash") or "") if resident else "",
            # Intake refuses a resident ID whose embedded birth date differs from the one filed.
            id_birth_date=birth.replace("-", "") if resident else "",
        )
        matches = state.screen_record(record, now)
        alert_ids += _raise(session, ctx, routing, matches, sector, submission_id, link.person_id)
    object_record = ScreeningRecord(
        record_id=f"{sector}:{submission_id}:objects",
        vins=tuple(objects.get("vins", ())),
        plates=tuple(objects.get("plates", ())),
        imeis=tuple(objects.get("imeis", ())),
        serials=tuple(objects.get("serials", ())),
    )
    if any((object_record.vins, object_record.plates, object_record.imeis, object_record.serials)):
        matches = state.screen_record(object_record, now)
        alert_ids += _raise(session, ctx, routing, matches, sector, submission_id, None)
    parcel = payload.get("parcel")
    if parcel:
        decision = state.screen_parcel(
            parcel.get("declared_contents") or "", bool(parcel.get("sender_verified")), now.date()
        )
        if decision.decision != "cleared":
            basis = (
                decision.matches[0].legal_reference if decision.matches else UNVERIFIED_SENDER_BASIS
            )
            explanation = {
                f"item:{m.item_id}": {
                    "score": 1.0 if m.kind == "exact" else 0.6,
                    "detail": m.reason(),
                }
                for m in decision.matches
            }
            if not parcel.get("sender_verified"):
                explanation["sender_verified"] = {
                    "score": 1.0,
                    "detail": "sender not real-name verified",
                }
            alert = alerts.raise_alert(
                session,
                ctx,
                AlertIn(
                    kind="parcel",
                    score=1.0 if decision.decision == "refuse" else 0.5,
                    explanation=explanation,
                    summary=f"parcel {decision.decision}: {decision.reason}"[:400],
                    sector=sector,
                    submission_id=submission_id,
                    legal_basis=basis,
                    organisation_id=routing.home(),
                ),
            )
            alert_ids.append(alert.id)
    return linked, alert_ids


def _raise(
    session: Session,
    ctx: AccessContext,
    routing: _Routing,
    matches: list[Match],
    sector: str,
    submission_id: int,
    person_id: int | None,
) -> list[int]:
    """One alert per kind and owning agency for one screened record, holding every entry it
    matched: a record that agrees with several listed namesakes is one case to review."""
    groups: dict[tuple[str, int], list[Match]] = {}
    for match in sorted(matches, key=lambda m: -m.score):
        groups.setdefault((match.kind, routing.owner(match.entry_id)), []).append(match)
    alert_ids = []
    for (kind, owner), group in groups.items():
        best = group[0]
        more = f" and {len(group) - 1} more" if len(group) > 1 else ""
        alert = alerts.raise_alert(
            session,
            ctx,
            AlertIn(
                kind=kind,
                score=round(best.score, 4),
                explanation=best.explanation,
                summary=f"{sector} registration {submission_id} matches {kind} "
                f"{best.entry_id}{more}",
                sector=sector,
                submission_id=submission_id,
                person_id=person_id,
                watchlist_entry_id=best.entry_id,
                legal_basis=best.legal_basis,
                organisation_id=owner,
                hits=[
                    Hit(
                        entry_id=m.entry_id,
                        score=round(m.score, 4),
                        legal_basis=m.legal_basis,
                        explanation=m.explanation,
                    )
                    for m in group
                ],
            ),
        )
        alert_ids.append(alert.id)
    return alert_ids


def process_batch(runtime: Runtime, *, limit: int = 50, now: datetime | None = None) -> BatchReport:
    """Drain up to `limit` outbox events. Safe to run in several processes at once."""
    state = screening.refreshed_state(runtime)
    report = BatchReport()
    now = now or utcnow()
    with runtime.unit_of_work() as session:
        routing = _Routing(session)
        events = outbox.claim_events(session, limit)
        persons = outbox.persons_of(session, events)
        for event in events:
            report.events += 1
            try:
                with session.begin_nested():
                    linked, alert_ids = screen_event(
                        session,
                        PIPELINE_CONTEXT,
                        state,
                        routing,
                        event.payload,
                        persons.get(event.submission_id, []),
                        now,
                    )
                report.persons_linked += linked
                report.alerts += alert_ids
                outbox.mark_done(session, event)
            except Exception as exc:  # one bad event must not block the rest
                report.failed += 1
                outbox.mark_failed(session, event, type(exc).__name__)
                log.warning(
                    "pipeline event failed", outbox_event=event.id, error=type(exc).__name__
                )
    if report.alerts:
        deliver_webhooks(runtime, report.alerts)
    rescreen.rescreen_for_approved_entries(runtime, now=now)  # when a watchlist entry is approved
    return report


def run_forever(
    runtime: Runtime, stop: threading.Event, *, idle_sleep_s: float = 0.2, batch: int = 50
) -> None:
    while not stop.is_set():
        try:
            report = process_batch(runtime, limit=batch)
        except Exception as exc:  # keep the worker alive; the next loop retries
            log.error("pipeline batch failed", error=type(exc).__name__)
            stop.wait(2.0)
            continue
        if report.events == 0:
            stop.wait(idle_sleep_s)


IN_PROCESS_BATCH = 5


def start_in_process(runtime: Runtime) -> tuple[threading.Thread, threading.Event]:
    """The embedded default: the worker runs as a thread beside the API."""
    stop = threading.Event()
    # Small batches: each holds the audit-chain lock, which API intake waits for.
    thread = threading.Thread(
        target=run_forever,
        args=(runtime, stop),
        kwargs={"batch": IN_PROCESS_BATCH},
        name="vigil-pipeline",
        daemon=True,
    )
    thread.start()
    return thread, stop


def drain(runtime: Runtime, *, max_seconds: float = 60.0, batch: int = 500) -> BatchReport:
    """Process until the outbox is empty (used by the demo and tests)."""
    total = BatchReport()
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        report = process_batch(runtime, limit=batch)
        total.events += report.events
        total.persons_linked += report.persons_linked
        total.alerts += report.alerts
        total.failed += report.failed
        if report.events == 0:
            break
    return total


# Provisional (issue 17, JetStream workers): the set-based pipeline replaces this at merge
# with a process_events of the same signature.
def process_events(
    runtime: Runtime, event_ids: Sequence[int], *, now: datetime | None = None
) -> BatchReport:
    """Process exactly these outbox events, skipping any already done or failed: a
    redelivered message changes nothing twice. `report.events` counts the ones processed."""
    report = BatchReport()
    if not event_ids:
        return report
    state = screening.refreshed_state(runtime)
    now = now or utcnow()
    with runtime.unit_of_work() as session:
        routing = _Routing(session)
        events = outbox.claim_pending_by_id(session, event_ids)
        persons = outbox.persons_of(session, events)
        for event in events:
            report.events += 1
            try:
                with session.begin_nested():
                    linked, alert_ids = screen_event(
                        session,
                        PIPELINE_CONTEXT,
                        state,
                        routing,
                        event.payload,
                        persons.get(event.submission_id, []),
                        now,
                    )
                report.persons_linked += linked
                report.alerts += alert_ids
                outbox.mark_done(session, event)
            except Exception as exc:  # one bad event must not block the rest
                report.failed += 1
                outbox.mark_failed(session, event, type(exc).__name__)
                log.warning(
                    "pipeline event failed", outbox_event=event.id, error=type(exc).__name__
                )
    if report.alerts:
        deliver_webhooks(runtime, report.alerts)
    return report
