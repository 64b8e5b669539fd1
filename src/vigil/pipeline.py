"""The event worker: a map from typed events to the domains' handlers, and one loop.

A batch of claimed outbox events is decoded into typed events (`intake.events`), grouped by
type, and each group goes through its handlers in order, all in one transaction: the links,
persons, alerts, audit entries and the events' new status commit together, so a crash never
loses or doubles an effect. Effects are keyed by event (a link by submission and position,
an alert by its source key), so an event delivered twice changes nothing the second time.
Handlers work on whole batches: the statements a batch sends do not grow with its size.
Webhooks go out after the commit. The domains stay unaware of each other.

A new event type adds a decoder (outbox kind → event) and a row to `HANDLERS`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from vigil import rescreen
from vigil.alerts import service as alerts
from vigil.alerts.notify import deliver_webhooks
from vigil.alerts.schemas import AlertIn
from vigil.core.clock import utcnow
from vigil.core.logging import get_logger
from vigil.core.rekey import RESIDENT_DOC_TYPE
from vigil.core.runtime import Runtime
from vigil.governance.access import AccessContext, Purpose, system_context
from vigil.intake import outbox
from vigil.intake.events import SUBMISSION_STORED, RegistrationFiled, registration_filed
from vigil.precursors.service import DEFAULT_SETTINGS as PRECURSOR_RULES
from vigil.precursors.service import current_catalogue
from vigil.registry import service as registry
from vigil.registry.online import person_index_for
from vigil.screening import precursor_sales
from vigil.screening import service as screening

log = get_logger("vigil.pipeline")
PIPELINE_CONTEXT = system_context(Purpose.SCREENING, "statute:real-name-registration")


@dataclass
class BatchReport:
    events: int = 0
    persons_linked: int = 0
    alerts: list[int] = field(default_factory=list)
    failed: int = 0
    dead_lettered: int = 0  # failed for the last time: left unscreened, an operator must act
    # batches that failed whole and were run again one event at a time: each is a defect to
    # find in the log (the events still went through, slowly)
    split_batches: int = 0

    def add(self, other: BatchReport) -> None:
        self.events += other.events
        self.persons_linked += other.persons_linked
        self.alerts += other.alerts
        self.failed += other.failed
        self.dead_lettered += other.dead_lettered
        self.split_batches += other.split_batches


@dataclass
class Batch:
    """One batch's shared state: what earlier handlers found, for later ones."""

    runtime: Runtime
    now: datetime
    report: BatchReport
    # (event id, position) → the person that registration's person was linked to
    persons: dict[tuple[int, int], int] = field(default_factory=dict)
    findings: list[screening.RegistrationFinding] = field(default_factory=list)


Handler = Callable[[Session, AccessContext, Sequence[Any], Batch], None]


# --- Handlers of RegistrationFiled ------------------------------------------------------------


def screen_registrations(
    session: Session, ctx: AccessContext, events: Sequence[RegistrationFiled], batch: Batch
) -> None:
    """Screening first: it is pure, and needs no person ids. The list is refreshed in the
    transaction that claimed the events, after the claim: every approval that committed
    before an event was claimed is in it."""
    state = screening.refreshed_state(batch.runtime, session)
    batch.findings += screening.screen_registrations(state, events, batch.now)


def link_persons(
    session: Session, ctx: AccessContext, events: Sequence[RegistrationFiled], batch: Batch
) -> None:
    requests = [
        registry.LinkRequest(
            event.sector,
            event.submission_id,
            person.position,
            registry.RegistrationPerson(
                name=person.name,
                birth_date=person.birth_date,
                sex=person.sex,
                nationality=person.nationality,
                doc_type=person.doc_type,
                issuing_country=person.issuing_country,
                id_hash=person.id_hash,
                id_ciphertext=person.id_ciphertext,
            ),
        )
        for event in events
        for person in event.persons
    ]
    keys = [(event.event_id, person.position) for event in events for person in event.persons]
    index = person_index_for(batch.runtime)
    vault = batch.runtime.vault
    outcomes = registry.link_registrations(
        session,
        ctx,
        index,
        requests,
        now=batch.now,
        other_hash=vault.hash_under_other_key if vault.rotating else None,
    )
    batch.persons.update(zip(keys, (o.person_id for o in outcomes), strict=True))
    batch.report.persons_linked += len(outcomes)


def raise_registration_alerts(
    session: Session, ctx: AccessContext, events: Sequence[RegistrationFiled], batch: Batch
) -> None:
    mine = {e.event_id for e in events}
    findings = [f for f in batch.findings if f.event_id in mine]
    if not findings:
        return
    entries = {m.entry_id for f in findings for m in f.matches}
    routing = alerts.Routing(screening.entry_owners(session, entries), alerts.home_agency(session))
    drafts: list[tuple[str, AlertIn]] = []
    for f in findings:
        source = f"outbox:{f.event_id}:{f.subject}"
        if f.parcel is not None:
            drafts.append(
                alerts.parcel_alert(
                    routing, source, f.sector, f.submission_id, f.parcel, f.sender_verified
                )
            )
            continue
        if f.position is not None:
            source += f":{f.position}"
        person_id = batch.persons.get((f.event_id, f.position)) if f.position is not None else None
        drafts += alerts.alerts_for_hits(
            routing, source, f.sector, f.submission_id, person_id, f.matches
        )
    batch.report.alerts += alerts.raise_alerts(session, ctx, drafts, batch.now)


def name_warrant_subjects(
    session: Session, ctx: AccessContext, events: Sequence[RegistrationFiled], batch: Batch
) -> None:
    """A registered person whose resident ID a wanted-person entry names is read by the entry's
    warrant, as the re-screen links the persons already on file (`rescreen`): the warrant
    names the holder of that number, never a namesake."""
    held = {
        (event.event_id, person.position): person.id_hash
        for event in events
        for person in event.persons
        if person.id_hash and person.doc_type == RESIDENT_DOC_TYPE
    }
    mine = {e.event_id for e in events}
    targets: dict[str, screening.RescreenTarget | None] = {}
    for f in batch.findings:
        if f.event_id not in mine or f.position is None:
            continue
        person_id = batch.persons.get((f.event_id, f.position))
        id_hash = held.get((f.event_id, f.position))
        if person_id is None or id_hash is None:
            continue
        for entry_id in {m.entry_id for m in f.matches}:
            if entry_id not in targets:
                targets[entry_id] = screening.rescreen_target(session, entry_id)
            target = targets[entry_id]
            if target is None or target.kind != "person" or target.id_hash != id_hash:
                continue
            rescreen.name_warrant_subject(session, target, person_id)


def raise_precursor_alerts(
    session: Session, ctx: AccessContext, events: Sequence[RegistrationFiled], batch: Batch
) -> None:
    """Sales of listed precursors: the ledger, the transaction rules, one alert per rule
    that fired, each listing the transactions behind it. The seller is never told."""
    sales = [e for e in events if e.chemical is not None]
    if not sales:
        return
    findings = precursor_sales.screen_precursor_sales(
        session, ctx, sales, current_catalogue(session), PRECURSOR_RULES
    )
    if not findings:
        return
    routing = alerts.Routing({}, alerts.home_agency(session))
    drafts = [
        alerts.transaction_rule_alert(
            routing, f"outbox:{f.event_id}:chemical", f.sector, f.submission_id, f.hit
        )
        for f in findings
    ]
    batch.report.alerts += alerts.raise_alerts(session, ctx, drafts, batch.now)


# --- The map ---------------------------------------------------------------------------------

# outbox event kind → its typed event (raises on a malformed payload: that event fails alone)
DECODERS: dict[str, Callable[[outbox.ClaimedEvent], object]] = {
    SUBMISSION_STORED: lambda row: registration_filed(row.id, row.payload, row.record),
}

# event type → its handlers, run in this order on each batch's events of that type
HANDLERS: dict[type, list[Handler]] = {
    RegistrationFiled: [
        screen_registrations,
        link_persons,
        name_warrant_subjects,
        raise_registration_alerts,
        raise_precursor_alerts,
    ],
}


# Sources that keep a queue of their own and run in their own transactions after each outbox
# batch: a watchlist approval re-screens the registrations of the look-back window.
QUEUED_SOURCES: list[Callable[..., int]] = [rescreen.rescreen_for_approved_entries]


def dispatch(session: Session, ctx: AccessContext, events: Sequence[object], batch: Batch) -> None:
    """Run each event type's handlers on that type's events, in the caller's transaction.
    The outbox loop below calls it; so can any other source of typed events (a stream
    consumer, a retro-screen after a watchlist approval) with events of its own."""
    groups: dict[type, list[object]] = {}
    for event in events:
        groups.setdefault(type(event), []).append(event)
    for event_type, group in groups.items():
        for handler in HANDLERS.get(event_type, ()):
            handler(session, ctx, group, batch)


def _event_id(event: object) -> int:
    return int(getattr(event, "event_id"))  # noqa: B009 - every event type has one


# --- The loop --------------------------------------------------------------------------------


def _run(
    runtime: Runtime,
    claim: Callable[[Session], list[outbox.ClaimedEvent]],
    now: datetime,
    ctx: AccessContext = PIPELINE_CONTEXT,
) -> BatchReport:
    """Claim, decode, handle and settle one batch in one transaction."""
    report = BatchReport()
    with runtime.unit_of_work() as session:
        claimed = claim(session)
        report.events = len(claimed)
        batch = Batch(runtime, now, report)
        failed: dict[int, str] = {}
        groups: dict[type, list[Any]] = {}
        for row in claimed:
            decode = DECODERS.get(row.kind)
            if decode is None:
                failed[row.id] = f"no decoder for event kind {row.kind!r}"
                continue
            try:
                event = decode(row)
            except Exception as exc:  # a malformed event fails alone
                failed[row.id] = type(exc).__name__
                continue
            if type(event) not in HANDLERS:
                failed[row.id] = f"no handler for {type(event).__name__}"
                continue
            groups.setdefault(type(event), []).append(event)
        dispatch(session, ctx, [e for events in groups.values() for e in events], batch)
        done = [_event_id(e) for events in groups.values() for e in events]
        dead = outbox.settle(session, done, failed, now)
        report.failed = len(failed)
        report.dead_lettered += len(dead)
        _log_failures(failed, dead)
    return report


def _log_failures(failed: dict[int, str], dead: Sequence[int]) -> None:
    for event_id, error in failed.items():
        if event_id in dead:  # the operational alert: a registration that will not be screened
            log.error(
                "pipeline event dead-lettered; its registration is unscreened",
                outbox_event=event_id,
                error=error,
                attempts=outbox.MAX_ATTEMPTS,
            )
        else:
            log.warning(
                "pipeline event failed; retried after a backoff", outbox_event=event_id, error=error
            )


def _claim_one(event_id: int) -> Callable[[Session], list[outbox.ClaimedEvent]]:
    return lambda session: outbox.claim_ids(session, [event_id])


def _run_one_by_one(runtime: Runtime, event_ids: Sequence[int], now: datetime) -> BatchReport:
    """After a batch failed as a whole: each event alone, so one bad event cannot hold the
    others back; an event that fails alone is marked failed."""
    total = BatchReport()
    for event_id in event_ids:
        try:
            total.add(_run(runtime, _claim_one(event_id), now))
        except Exception as exc:
            log.warning("pipeline event failed", outbox_event=event_id, error=type(exc).__name__)
            with runtime.unit_of_work() as session:
                if outbox.claim_ids(session, [event_id]):
                    failed = {event_id: type(exc).__name__}
                    dead = outbox.settle(session, [], failed, now)
                    _log_failures(failed, dead)
                    total.events += 1
                    total.failed += 1
                    total.dead_lettered += len(dead)
    return total


_split_lock = threading.Lock()
_split_total = 0


def split_batches_total() -> int:
    """The batches that failed whole in this process since it started, and were run again one
    event at a time (for /metrics: each is a defect to find in the log)."""
    return _split_total


def _process(
    runtime: Runtime, claim: Callable[[Session], list[outbox.ClaimedEvent]], now: datetime
) -> BatchReport:
    claimed_ids: list[int] = []

    def remembering(session: Session) -> list[outbox.ClaimedEvent]:
        rows = claim(session)
        claimed_ids[:] = [row.id for row in rows]
        return rows

    try:
        report = _run(runtime, remembering, now)
    except Exception as exc:
        log.warning("pipeline batch failed; retrying its events one by one", error=repr(exc))
        report = _run_one_by_one(runtime, claimed_ids, now)
        report.split_batches += 1
        global _split_total
        with _split_lock:
            _split_total += 1
    if report.alerts:
        deliver_webhooks(runtime, report.alerts)
    for follow_up in QUEUED_SOURCES:
        follow_up(runtime, now=now)
    return report


def process_batch(
    runtime: Runtime,
    *,
    limit: int = 500,
    now: datetime | None = None,
    ready_by: datetime | None = None,
) -> BatchReport:
    """Claim and process up to `limit` pending events, oldest first, that were ready by
    `ready_by` (default: now). Safe to run in several processes at once: each claims rows the
    others do not hold, and no lock is held across another worker's batch."""
    now = now or utcnow()
    cutoff = min(now, ready_by) if ready_by is not None else now
    return _process(runtime, lambda session: outbox.claim_pending(session, limit, cutoff), now)


def process_events(
    runtime: Runtime, event_ids: Sequence[int], *, now: datetime | None = None
) -> BatchReport:
    """Process exactly these outbox events (for a stream consumer that was handed their
    ids); those already done are skipped, so a redelivery changes nothing."""
    ids = list(event_ids)
    return _process(runtime, lambda session: outbox.claim_ids(session, ids), now or utcnow())


def run_forever(
    runtime: Runtime, stop: threading.Event, *, idle_sleep_s: float = 0.2, batch: int = 500
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


IN_PROCESS_BATCH = 50


def start_in_process(runtime: Runtime) -> tuple[threading.Thread, threading.Event]:
    """The embedded default: the worker runs as a thread beside the API."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        args=(runtime, stop),
        kwargs={"batch": IN_PROCESS_BATCH},
        name="vigil-pipeline",
        daemon=True,
    )
    thread.start()
    return thread, stop


def drain(
    runtime: Runtime,
    *,
    batch: int = 500,
    on_batch: Callable[[BatchReport], None] | None = None,
) -> BatchReport:
    """Process until no event is ready (the demo, tests and `vigil pipeline run --once`).
    A failed event waits for its backoff, so it is counted here and retried later: only
    events ready when the drain began are claimed, however long it takes."""
    started = utcnow()
    total = BatchReport()
    while True:
        report = process_batch(runtime, limit=batch, ready_by=started)
        total.add(report)
        if on_batch is not None:
            on_batch(report)
        if report.events == 0:
            return total
