"""Demo step: lawful watchlists, the banned-items catalogue, and the pipeline raising
explained alerts from the city's registrations."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from faker import Faker
from pypinyin import lazy_pinyin
from sqlalchemy import select

from vigil import pipeline
from vigil.alerts import service as alerts
from vigil.alerts.models import Alert
from vigil.alerts.schemas import TransitionIn
from vigil.core.clock import utcnow
from vigil.core.errors import ValidationFailed
from vigil.core.ids import cn_id_check_char
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Purpose, Role, system_context
from vigil.governance.models import Organisation, User
from vigil.intake import service as intake
from vigil.screening import service as screening
from vigil.screening.schemas import WatchlistEntryIn

COURT = "Riverside Intermediate People's Court"


def _staff(runtime: Runtime, username: str) -> AccessContext:
    with runtime.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return governance.context_for_user(session, user)


def _cn_id(birth: str, rng: random.Random) -> str:
    first17 = f"310104{birth.replace('-', '')}{rng.randint(0, 999):03d}"
    return first17 + cn_id_check_char(first17)


def _pinyin(name: str) -> str:
    syllables = lazy_pinyin(name)
    return f"{''.join(syllables[1:]).title()} {syllables[0].title()}"


def _wanted(rng: random.Random, fake: Faker) -> list[dict[str, Any]]:
    expires = utcnow() + timedelta(days=180)
    people = []
    for n in range(3):
        birth = fake.date_of_birth(minimum_age=25, maximum_age=60).isoformat()
        people.append(
            {
                "entry_id": f"WANTED-{n + 1}",
                "kind": "person",
                "name": fake.name(),
                "birth_date": birth,
                "id_number": _cn_id(birth, rng),
                "basis_reference": f"(2026)沪0104刑初{300 + n}号",
                "basis_authority": COURT,
                "expires_at": expires,
            }
        )
    return people


def _file(runtime: Runtime, city: DemoCity, sector: str, records: list[dict[str, Any]]) -> int:
    business = {
        "hotel": "hotel",
        "secondhand": "secondhand",
        "motor": "motor",
        "parcel": "courier",
    }[sector]
    with runtime.unit_of_work() as session:
        org = session.get(Organisation, city.business_ids[business])
        assert org is not None
        ctx = AccessContext(f"demo:{org.id}", 0, org.id, org.name, Role.BUSINESS)
        filing = intake.file_registrations(
            session,
            ctx,
            sector,
            records,
            channel="api",
            vault=runtime.vault,
            timezone=runtime.settings.intake_timezone,
        )
        assert not filing.errors, filing.errors
        return filing.stored


def run(runtime: Runtime, city: DemoCity) -> list[str]:
    rng = random.Random(11)
    fake = Faker("zh_CN")
    fake.seed_instance(11)
    analyst, supervisor, officer = (
        _staff(runtime, u) for u in ("analyst", "supervisor", "officer")
    )
    lines: list[str] = []
    with runtime.unit_of_work() as session:
        items = screening.seed_catalogue(session, system_context())
    wanted = _wanted(rng, fake)
    entries = [
        *wanted,
        {
            "entry_id": "STOLEN-PHONE-1",
            "kind": "property",
            "imei": "490154203237518",
            "description": "phone taken in a street robbery",
            "basis_reference": "theft report RS-2026-0412",
            "basis_authority": "Riverside PSB",
        },
        {
            "entry_id": "STOLEN-CAR-1",
            "kind": "vehicle",
            "vin": "LSVAU033512345670",
            "plate": "沪A·D3721",
            "description": "grey saloon",
            "basis_reference": "theft report RS-2026-0388",
            "basis_authority": "Riverside PSB",
        },
    ]
    with runtime.unit_of_work() as session:
        for entry in entries:
            screening.propose_entry(
                session, analyst, runtime.vault, WatchlistEntryIn.model_validate(entry)
            )
            screening.decide_entry(session, supervisor, entry["entry_id"], approve=True)
    try:
        with runtime.unit_of_work() as session:
            stale = {
                **wanted[0],
                "entry_id": "WANTED-OLD",
                "expires_at": utcnow() - timedelta(days=1),
            }
            screening.propose_entry(
                session, analyst, runtime.vault, WatchlistEntryIn.model_validate(stale)
            )
        refused = "accepted (unexpected)"
    except ValidationFailed as exc:
        refused = f"refused: {exc.errors[0].message}"
    lines.append(
        f"watchlists: {len(entries)} entries proposed by analyst, approved by supervisor; "
        f"an entry with an expired warrant was {refused}"
    )
    lines.append(f"banned-items catalogue: {items} items seeded")

    now = utcnow()
    target = wanted[0]
    stay = {
        "guest": {
            "name": _pinyin(target["name"]),
            "doc_type": "passport",
            "id_number": "E" + str(rng.randint(10**7, 10**8 - 1)),
            "issuing_country": "CHN",
            "birth_date": target["birth_date"],
            "nationality": "CHN",
        },
        "companions": [],
        "check_in": (now - timedelta(hours=20)).isoformat(),
        "check_out": (now - timedelta(hours=1)).isoformat(),
        "room": "0815",
        "stay_ref": "DEMO-STAY-1",
    }
    sale = {
        "seller": {
            "name": fake.name(),
            "doc_type": "cn_resident_id",
            "id_number": _cn_id("1990-02-03", rng),
        },
        "item": {
            "category": "phone",
            "description": "used phone",
            "brand": "Xiaomi",
            "model": "13",
            "imei": "49 015420 323751 8",
        },
        "price": "900.00",
        "transacted_at": (now - timedelta(hours=1)).isoformat(),
    }
    job = {
        "customer": {
            "name": fake.name(),
            "doc_type": "cn_resident_id",
            "id_number": _cn_id("1985-07-08", rng),
        },
        "plate": "沪A D3721",
        "vin": "lsvau033512345670",
        "work_type": "colour_change",
        "performed_at": (now - timedelta(hours=3)).isoformat(),
    }
    parcels = []
    for n, (contents, verified) in enumerate(
        [
            ("仿真手枪 一把", True),
            ("婴儿衣服和奶瓶", False),
            ("books and a glue gun", True),
            ("茶叶两盒", True),
        ]
    ):
        parcels.append(
            {
                "sender": {
                    "name": fake.name(),
                    "doc_type": "cn_resident_id",
                    "id_number": _cn_id("1979-11-12", rng),
                },
                "sender_verified": verified,
                "sender_address": fake.address(),
                "recipient_name": fake.name(),
                "recipient_address": fake.address(),
                "declared_contents": contents,
                "weight_kg": 1.2,
                "pieces": 1,
                "courier": "Cloud Courier",
                "waybill": f"DEMO{n:06d}",
                "accepted_at": (now - timedelta(hours=1)).isoformat(),
            }
        )
    filed = _file(runtime, city, "hotel", [stay]) + _file(runtime, city, "secondhand", [sale])
    filed += _file(runtime, city, "motor", [job]) + _file(runtime, city, "parcel", parcels)
    report = pipeline.drain(runtime)
    lines.append(
        f"pipeline: {report.events} registrations resolved and screened, "
        f"{report.persons_linked} person links, {len(report.alerts)} alerts, {report.failed} failed"
    )
    with runtime.unit_of_work() as session:
        raised = list(session.scalars(select(Alert).order_by(Alert.id)))
        unverified = [a for a in raised if set(a.explanation) == {"sender_verified"}]
        for alert in raised:
            if alert in unverified:
                continue
            best = max(alert.explanation.items(), key=lambda kv: kv[1].get("score", 0))
            lines.append(
                f"  alert {alert.id} ({alert.kind}"
                + (f", {len(alert.hits)} hit(s)" if alert.hits else "")
                + f") score {alert.score:.2f} "
                f"basis {alert.legal_basis[:40]}: {best[0]} — {str(best[1].get('detail', ''))[:60]}"
            )
        lines.append(
            f"  {len(unverified)} parcels sent to inspection: sender not real-name verified"
        )
        person_alert = next((a for a in raised if a.kind == "person"), None)
        if person_alert is not None:
            scoped = officer.with_purpose(Purpose.SCREENING, "statute:real-name-registration")
            alerts.transition(session, scoped, person_alert.id, TransitionIn(action="acknowledge"))
            alerts.transition(
                session,
                scoped,
                person_alert.id,
                TransitionIn(action="dispatch", assignee="patrol unit 7"),
            )
            lines.append(
                f"  officer acknowledged alert {person_alert.id} and dispatched patrol unit 7; "
                f"the hotel was told nothing"
            )
    lines.append(_retro_screen(runtime, city, analyst, supervisor, rng, fake))
    return lines


def _retro_screen(
    runtime: Runtime,
    city: DemoCity,
    analyst: AccessContext,
    supervisor: AccessContext,
    rng: random.Random,
    fake: Faker,
) -> str:
    """A guest who checked in an hour before a warrant was listed: the approval screens the
    stays already stored (vigil/rescreen.py)."""
    now = utcnow()
    birth = fake.date_of_birth(minimum_age=25, maximum_age=60).isoformat()
    number = _cn_id(birth, rng)
    name = fake.name()
    stay = {
        "guest": {"name": name, "doc_type": "cn_resident_id", "id_number": number},
        "companions": [],
        "check_in": (now - timedelta(hours=1)).isoformat(),
        "check_out": (now - timedelta(minutes=5)).isoformat(),
        "room": "0512",
        "stay_ref": "DEMO-STAY-2",
    }
    _file(runtime, city, "hotel", [stay])
    pipeline.drain(runtime)  # screened clean: nobody is listed yet
    reference = "(2026)沪0104刑初310号"
    entry = {
        "entry_id": "WANTED-4",
        "kind": "person",
        "name": name,
        "birth_date": birth,
        "id_number": number,
        "basis_reference": reference,
        "basis_authority": COURT,
        "expires_at": now + timedelta(days=180),
    }
    with runtime.unit_of_work() as session:
        screening.propose_entry(
            session, analyst, runtime.vault, WatchlistEntryIn.model_validate(entry)
        )
    with runtime.unit_of_work() as session:
        screening.decide_entry(session, supervisor, "WANTED-4", approve=True)
    pipeline.drain(runtime)  # the worker's loop re-screens the stored stays
    with runtime.unit_of_work() as session:
        raised = session.scalars(select(Alert).where(Alert.watchlist_entry_id == "WANTED-4"))
        count = len(list(raised))
    days = runtime.settings.rescreen_window_days
    return (
        f"retro-screen: WANTED-4 approved after its subject checked in an hour earlier; "
        f"the stays of the last {days} days raised {count} alert(s) against it, "
        f"audited under warrant {reference}"
    )
