"""Who may see a clue. `marking.may_see` is the one rule: queries filter with
`visible_clue_filter` (the same rule as SQL) and every row returned is checked again with
`may_see`; a test checks that the two agree on every clue x viewer pair."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from vigil.core.clock import utcnow
from vigil.core.errors import Forbidden
from vigil.governance import audit
from vigil.governance.access import (
    SYSTEM_PRINCIPAL,
    AccessContext,
    Permission,
)
from vigil.governance.audit import Action
from vigil.intel.clues.models import Agreement, Clue, Share
from vigil.intel.marking import (
    ClueFacts,
    Decision,
    Tlp,
    ViewerFacts,
    may_see,
)

NOT_AVAILABLE = "clue {id} does not exist or is not shared with you"


def viewer_facts(ctx: AccessContext) -> ViewerFacts:
    return ViewerFacts(
        user_id=ctx.principal_id if ctx.principal.startswith("user:") else -1,
        org_id=ctx.organisation_id,
        may_read_intel=ctx.can(Permission.READ_PERSONAL_DATA),
        is_system=ctx.principal == SYSTEM_PRINCIPAL,
    )


def agreement_in_force(now: datetime) -> ColumnElement[bool]:
    """An agreement opens clues while it is active, unexpired and covers the clues category."""
    return and_(
        Agreement.active.is_(True),
        Agreement.covers_clues.is_(True),
        or_(Agreement.expires_at.is_(None), Agreement.expires_at > now),
    )


def visible_clue_filter(ctx: AccessContext) -> ColumnElement[bool]:
    """`may_see` as a SQL condition on `Clue` (kept in step by
    test_sql_filter_agrees_with_may_see)."""
    viewer = viewer_facts(ctx)
    if viewer.is_system:
        return Clue.id.is_not(None)
    if not viewer.may_read_intel:
        return Clue.id.is_(None)
    named = exists().where(Share.clue_id == Clue.id, Share.recipient_user_id == viewer.user_id)
    org_share = exists().where(
        Share.clue_id == Clue.id,
        Share.recipient_org_id == viewer.org_id,
        Share.recipient_user_id.is_(None),
    )
    partner = exists().where(
        Agreement.from_org_id == Clue.organisation_id,
        Agreement.to_org_id == viewer.org_id,
        agreement_in_force(utcnow()),
    )
    return or_(
        and_(Clue.tlp == Tlp.RED.value, named),
        and_(
            Clue.tlp != Tlp.RED.value,
            or_(
                Clue.organisation_id == viewer.org_id,
                org_share,
                Clue.tlp == Tlp.CLEAR.value,
                and_(Clue.tlp == Tlp.GREEN.value, partner),
            ),
        ),
    )


def clue_facts(session: Session, clue: Clue) -> ClueFacts:
    return clues_facts(session, [clue])[clue.id]


def clues_facts(session: Session, clues: Sequence[Clue]) -> dict[int, ClueFacts]:
    """What the marking rule needs to know of each clue, by clue id: its shares and its
    originator's active agreements, read in one query each for all the clues."""
    ids = [clue.id for clue in clues]
    if not ids:
        return {}
    shares: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for clue_id, org_id, user_id in session.execute(
        select(Share.clue_id, Share.recipient_org_id, Share.recipient_user_id).where(
            Share.clue_id.in_(ids)
        )
    ):
        shares[clue_id].append((org_id, user_id))
    partners: dict[int, set[int]] = defaultdict(set)
    originators = {clue.organisation_id for clue in clues}
    for from_org, to_org in session.execute(
        select(Agreement.from_org_id, Agreement.to_org_id).where(
            Agreement.from_org_id.in_(originators), agreement_in_force(utcnow())
        )
    ):
        partners[from_org].add(to_org)
    return {
        clue.id: ClueFacts(
            originating_org=clue.organisation_id,
            tlp=Tlp(clue.tlp),
            shared_orgs=frozenset(o for o, u in shares[clue.id] if u is None and o is not None),
            named_recipients=frozenset(u for _, u in shares[clue.id] if u is not None),
            partner_orgs=frozenset(partners[clue.organisation_id]),
        )
        for clue in clues
    }


def decide(session: Session, ctx: AccessContext, clue: Clue) -> Decision:
    return may_see(clue_facts(session, clue), viewer_facts(ctx))


def _audit_withheld(
    session: Session, ctx: AccessContext, what: str, count: int, clue_ids: Sequence[int]
) -> None:
    """Results held back by the marking rule are refused attempts: audit them (how many,
    and the first 100 ids)."""
    if count:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "clue",
            what,
            outcome="refused",
            detail={"withheld": count, "clue_ids": list(clue_ids)[:100]},
        )


def visible_clues(
    session: Session, ctx: AccessContext, candidates: ColumnElement[bool] | None, what: str
) -> list[Clue]:
    """Clues matching `candidates` that the caller may see; the rest are audited as refused."""
    return [clue for clue, _ in visible_page(session, ctx, candidates, what)]


def visible_page(
    session: Session,
    ctx: AccessContext,
    candidates: ColumnElement[bool] | None,
    what: str,
    limit: int | None = None,
) -> list[tuple[Clue, Decision]]:
    """The first `limit` (all, if None) clues in id order that match `candidates` and that
    the caller may see, with the rule's decision. Every match held back by the marking rule
    is audited as refused, beyond the page too. The SQL filter picks them and the rule checks
    each again; the two agree (test_sql_filter_agrees_with_may_see), and a clue the rule
    refuses anyway is held back."""
    visible = visible_clue_filter(ctx)
    hidden = or_(~visible, visible.is_(None))
    if candidates is not None:
        hidden = and_(candidates, hidden)
    withheld_count = int(session.scalar(select(func.count()).where(hidden)) or 0)
    withheld = list(session.scalars(select(Clue.id).where(hidden).order_by(Clue.id).limit(100)))
    query = select(Clue).where(visible).order_by(Clue.id)
    if candidates is not None:
        query = query.where(candidates)
    if limit is not None:
        query = query.limit(limit)
    shown: list[tuple[Clue, Decision]] = []
    clues = list(session.scalars(query))
    facts, viewer = clues_facts(session, clues), viewer_facts(ctx)
    for clue in clues:
        decision = may_see(facts[clue.id], viewer)
        if decision:
            shown.append((clue, decision))
        else:
            withheld_count += 1
            withheld.append(clue.id)
    _audit_withheld(session, ctx, what, withheld_count, sorted(withheld))
    return shown


def get_visible_clue(session: Session, ctx: AccessContext, clue_id: int) -> Clue:
    """The clue if the caller may see it; otherwise Forbidden (the same answer whether or not
    it exists, so RED clues leave no trace)."""
    clue = session.get(Clue, clue_id)
    if clue is None or not decide(session, ctx, clue):
        raise Forbidden(NOT_AVAILABLE.format(id=clue_id))
    return clue
