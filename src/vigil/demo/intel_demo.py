"""Demo step: an intelligence case in Riverside, worked through the real intel services.

Graded, TLP-marked clues whose phones, vehicles, addresses and places recur across two
cases; a sharing agreement Riverside -> Harbour and an AMBER clue shared under it; an
anonymous public tip triaged into a clue with a supervisor-approved reward; volunteers;
link analysis and correlation; a strictly validated STIX 2.1 export; and what Harbour's
analyst may and may not read. All text is synthetic (Faker, seeded)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stix2validator import ValidationOptions, validate_instance

from vigil.core.errors import Forbidden
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.incidents import DEMO_PLACES
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Purpose
from vigil.intel.cases import links
from vigil.intel.cases import service as case_service
from vigil.intel.clues import service as clue_service
from vigil.intel.clues.models import Clue
from vigil.intel.clues.schemas import ClueIn, EntityIn
from vigil.intel.clues.visibility import decide
from vigil.intel.exchange import service as exchange
from vigil.intel.marking import Tlp, grading
from vigil.intel.sharing import service as sharing_service
from vigil.intel.tips import service as tips
from vigil.intel.tips.models import Tip
from vigil.intel.tips.schemas import TipIn, TriageIn, VolunteerIn

DEMO_OUTPUT = Path("demo-output/intel")
DEMO_SEED = 2026
CASE_TITLE = "Phone-theft ring near Central Station"
OTHER_CASE_TITLE = "Scooter thefts resold through second-hand dealers"
REWARD_CENTS = 50_000  # 500 CNY
# Columns that would identify a tipster: none may exist on the tip table.
_IDENTIFYING = re.compile(r"(^|_)(ip|ip_address|user_agent|agent|remote_addr|device)($|_)")


@dataclass(frozen=True)
class ClueSpec:
    """One demo clue; `entities` name keys of the shared entity pool."""

    text: str
    source_type: str
    grading: str
    tlp: str
    entities: tuple[str, ...]
    handling: str = ""


def _as(session: Session, username: str, basis: str | None = None) -> AccessContext:
    """The access context of a demo user, with an investigation basis when given."""
    ctx = governance.context_for_user(session, clue_service.user_named(session, username))
    return ctx.with_purpose(Purpose.INVESTIGATION, basis) if basis else ctx


def _phone(fake: Faker) -> str:
    digits = fake.phone_number()
    return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"


def _plate(fake: Faker) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"沪{fake.random_element(letters)} {fake.bothify('#####')}"


def _address(fake: Faker) -> str:
    return f"上海市{fake.district()}区{fake.street_name()}{fake.random_int(1, 999)}号"


def _entity_pool(cn: Faker) -> dict[str, EntityIn]:
    station = next(p for p in DEMO_PLACES if p.name == "Central Station")
    market = next(p for p in DEMO_PLACES if p.name == "Old Town Market")
    return {
        "phone_ring": EntityIn(kind="phone", value=_phone(cn)),  # recurs across both cases
        "phone_buyer": EntityIn(kind="phone", value=_phone(cn)),
        "phone_courier": EntityIn(kind="phone", value=_phone(cn)),
        "van": EntityIn(kind="vehicle", value=_plate(cn)),  # recurs across both cases
        "scooter": EntityIn(kind="vehicle", value=_plate(cn)),
        "flat": EntityIn(kind="address", value=_address(cn)),
        "pawn": EntityIn(kind="address", value=_address(cn)),
        "station": EntityIn(
            kind="place", value="Central Station", latitude=station.lat, longitude=station.lon
        ),
        "market": EntityIn(
            kind="place", value="Old Town Market", latitude=market.lat, longitude=market.lon
        ),
    }


def _case_clues(cn: Faker, en: Faker, pool: dict[str, EntityIn]) -> list[ClueSpec]:
    fence, alias, courier = cn.name_male(), en.first_name_male(), cn.name()
    van, flat = pool["van"].value, pool["flat"].value
    return [
        ClueSpec(
            f"Informant: {fence}, who calls himself '{alias}', buys stolen phones outside the "
            f"north exit of Central Station, pays cash and drives off in van {van}.",
            "informant",
            "B2",
            Tlp.AMBER,
            ("phone_ring", "station", "van"),
            "share with partner agencies under agreement only",
        ),
        ClueSpec(
            f"Patrol saw van {van} parked at {flat} on three evenings around "
            f"{cn.random_int(20, 23)}:{cn.random_int(0, 59):02d}; bags of handsets were "
            "carried in.",
            "officer",
            "C3",
            Tlp.GREEN,
            ("van", "flat", "phone_buyer"),
        ),
        ClueSpec(
            "ANPR camera at the Central Station taxi rank read the van's plate at 23:14.",
            "sensor",
            "A2",
            Tlp.AMBER_STRICT,
            ("van", "station"),
            "Riverside only; do not forward",
        ),
        ClueSpec(
            f"Protected source: the ring's phone arranges hand-overs with {courier} at a "
            f"flat; the source's safety depends on this staying with named officers.",
            "informant",
            "B2",
            Tlp.RED,
            ("phone_ring", "flat", "phone_courier"),
            "named recipients only: analyst, supervisor",
        ),
        ClueSpec(
            "Pawn dealer's register shows six iPhones sold in a week by one seller whose "
            "contact number matches the ring's.",
            "partner_agency",
            "C3",
            Tlp.AMBER,
            ("phone_ring", "pawn"),
        ),
        ClueSpec(
            "Unconfirmed: the buyer's number was also seen in a second-hand marketplace ad.",
            "informant",
            "D4",
            Tlp.GREEN,
            ("phone_buyer", "market"),
        ),
    ]


def _other_case_clues(pool: dict[str, EntityIn]) -> list[ClueSpec]:
    return [
        ClueSpec(
            f"Scooter {pool['scooter'].value} stolen at Old Town Market, loaded into van "
            f"{pool['van'].value}.",
            "officer",
            "B3",
            Tlp.AMBER,
            ("van", "scooter", "market"),
        ),
        ClueSpec(
            "Seller of the scooter gave the same mobile number as the phone-theft ring.",
            "partner_agency",
            "C2",
            Tlp.AMBER,
            ("phone_ring", "scooter", "pawn"),
        ),
    ]


def _add_clue(
    session: Session,
    ctx: AccessContext,
    case_id: int,
    spec: ClueSpec,
    pool: dict[str, EntityIn],
) -> Clue:
    clue = clue_service.create_clue(
        session,
        ctx,
        ClueIn(
            text=spec.text,
            source_type=spec.source_type,
            grading=spec.grading,
            tlp=spec.tlp,
            handling=spec.handling,
            entities=[pool[k] for k in spec.entities],
        ),
    )
    case_service.add_clue_to_case(session, ctx, case_id, clue.id)
    return clue


def _validate(bundle: dict[str, Any]) -> list[str]:
    result = validate_instance(bundle, ValidationOptions(version="2.1", strict=True))
    return [] if result.is_valid else [str(e) for e in result.errors]


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    """Works an intelligence case for `city.agency_ids[0]` (Riverside); shares with Harbour."""
    cn, en = Faker("zh_CN"), Faker("en")
    cn.seed_instance(DEMO_SEED)
    en.seed_instance(DEMO_SEED)
    riverside, harbour = city.agency_ids[0], city.agency_ids[1]
    pool = _entity_pool(cn)
    lines: list[str] = []

    with runtime.unit_of_work() as session:
        # Cases: the legal basis for every investigation read below.
        opener = _as(session, "analyst")
        assert opener.organisation_id == riverside
        case = case_service.open_case(
            session, opener, CASE_TITLE, description="Handset thefts and resale, autumn"
        )
        other = case_service.open_case(session, opener, OTHER_CASE_TITLE)
        approver = _as(session, "supervisor")  # two persons: a supervisor approves both
        case_service.approve_case(session, approver, case.id)
        case_service.approve_case(session, approver, other.id)
        analyst = _as(session, "analyst", case_service.case_basis(case.id))
        analyst_other = _as(session, "analyst", case_service.case_basis(other.id))
        case_service.assign_case(session, opener, case.id, "officer")
        case_service.add_case_task(
            session, opener, case.id, "Visit the pawn dealer with a warrant", "officer"
        )

        clues = [_add_clue(session, analyst, case.id, s, pool) for s in _case_clues(cn, en, pool)]
        for spec in _other_case_clues(pool):
            _add_clue(session, analyst_other, other.id, spec, pool)
        amber = next(c for c in clues if c.tlp == Tlp.AMBER)
        red = next(c for c in clues if c.tlp == Tlp.RED)
        sharing_service.share_clue(session, analyst, red.id, None, "supervisor")  # named recipient

        # Sharing: the supervisor signs Riverside -> Harbour up to AMBER; share one AMBER clue.
        supervisor = _as(session, "supervisor", case_service.case_basis(case.id))
        agreement = sharing_service.create_agreement(
            session, supervisor, harbour, "joint operation against handset theft", Tlp.AMBER
        )
        sharing_service.share_clue(session, analyst, amber.id, harbour, None)

        # An anonymous public tip: triaged into a clue, then a reward the supervisor approves.
        station = pool["station"]
        assert station.latitude is not None and station.longitude is not None
        receipt = tips.submit_tip(
            session,
            TipIn(
                text="Two men swap phones for cash every night by the station's bus bay; one is "
                f"called {en.first_name()}.",
                category="theft",
                anonymous=True,
                latitude=station.latitude + 0.0012,
                longitude=station.longitude - 0.0009,
            ),
        )
        tip_clue = tips.triage_tip(
            session,
            analyst,
            receipt.tip_id,
            TriageIn(grading="C3", tlp=Tlp.AMBER, entities=[pool["phone_buyer"]]),
        )
        case_service.add_clue_to_case(session, analyst, case.id, tip_clue.id)
        clues.append(tip_clue)
        reward = tips.propose_reward(session, analyst, receipt.tip_id, REWARD_CENTS, "CNY")
        tips.approve_reward(session, supervisor, reward.id)
        tip_view = tips.tip_status(session, receipt.receipt)
        tip_row = session.get(Tip, receipt.tip_id)
        assert tip_row is not None
        identifying = [c.name for c in Tip.__table__.columns if _IDENTIFYING.search(c.name)] + (
            ["contact"] if tip_row.contact else []
        )

        # Volunteers register with Riverside; one is assigned to a weekend event.
        volunteers = [
            tips.register_volunteer(
                session,
                riverside,
                VolunteerIn(
                    name=cn.name(),
                    contact=cn.phone_number(),
                    skills=skills,
                    availability=days,
                ),
            )
            for skills, days in (
                (["first aid", "crowd"], ["sat", "sun"]),
                (["translation"], ["fri"]),
            )
        ]
        event = "Mid-Autumn lantern fair, Riverside promenade"
        tips.assign_volunteer(session, opener, volunteers[0].id, event, "sat", "first aid")

        # Link analysis and correlation around the recurring phone.
        ring = pool["phone_ring"]
        correlation = case_service.correlate(
            session, analyst, "phone", ring.value, exclude_case=case.id
        )
        assert correlation.entity_id is not None
        hood = links.neighbourhood(session, analyst, correlation.entity_id, k=2)
        graph = links.case_graph(session, analyst, case.id)

        # STIX 2.1 export of the case, validated strictly.
        bundle = exchange.export_case(session, analyst, case.id)

        # What Harbour's analyst may read, under the agreement as legal basis.
        partner = _as(session, "analyst-harbour", f"agreement:{agreement.id}")
        shared = clue_service.read_clue(session, partner, amber.id)
        red_reason = decide(session, partner, red).reason
        try:
            clue_service.read_clue(session, partner, red.id)
            red_refused = False
        except Forbidden:
            red_refused = True
        harbour_sees = clue_service.search_clues(session, partner)
        riverside_clues = session.scalar(
            select(func.count()).select_from(Clue).where(Clue.organisation_id == riverside)
        )

        case_id, other_id, agreement_id = case.id, other.id, agreement.id
        amber_id, red_id, tip_clue_id = amber.id, red.id, tip_clue.id
        volunteer_name = volunteers[0].name
        gradings = [f"{grading(c.reliability, c.credibility)} {c.tlp}" for c in clues]

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"case-{case_id}.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False, indent=2), encoding="utf-8")
    errors = _validate(json.loads(path.read_text(encoding="utf-8")))

    distances = [n["distance"] for n in hood["nodes"]]
    rewards = tip_view["rewards"]
    assert isinstance(rewards, list)
    lines += [
        f"case {case_id} '{CASE_TITLE}': {len(clues)} clues ({', '.join(gradings)}); "
        f"case {other_id} '{OTHER_CASE_TITLE}': 2 clues",
        f"sharing: agreement {agreement_id} Riverside -> Harbour up to TLP:AMBER; "
        f"clue {amber_id} (AMBER) shared; RED clue {red_id} to named recipients analyst, "
        "supervisor",
        f"tip {receipt.tip_id} anonymous, receipt {receipt.receipt[:6]}…: stored "
        + ("no IP, user agent or contact" if not identifying else f"{identifying} (wrong)")
        + f"; triaged to clue {tip_clue_id} (C3); reward {REWARD_CENTS // 100} CNY "
        f"{rewards[0]['status']} by supervisor",
        f"volunteers: {len(volunteers)} registered; {volunteer_name} assigned to '{event}' "
        "(sat, first aid)",
        f"correlation: phone {ring.value} is in {len(correlation.clue_ids)} clues and "
        f"{correlation.other_cases} other case(s) {correlation.case_ids}",
        f"2-hop neighbourhood of {ring.value}: {len(distances) - 1} entities "
        f"({distances.count(1)} at 1 hop, {distances.count(2)} at 2 hops); case graph "
        f"{graph['nodes']} entities, {graph['edges']} links",
        f"STIX bundle: {len(bundle['objects'])} objects in {path}, strict validation "
        + ("passed" if not errors else f"FAILED: {errors[:3]}"),
        f"Harbour analyst: sees clue {shared.id} ({shared.visible_because}); RED clue {red_id} "
        + ("refused" if red_refused else "VISIBLE (wrong)")
        + f" ({red_reason}); {len(harbour_sees)} of {riverside_clues} Riverside clues visible",
    ]
    return lines
