"""Demo step: each demo business files a day of synthetic registrations through the real
service path (the same validation and ingest as the API), with some late filings and a
few bad rows, then the compliance records are summarised."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from faker import Faker

from vigil.core.clock import utcnow
from vigil.core.ids import cn_id_check_char, luhn_check_digit, vin_check_digit
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.governance.access import AccessContext, Role, system_context
from vigil.governance.models import Organisation
from vigil.intake import compliance, service

SECTOR_OF = {
    "hotel": "hotel",
    "secondhand": "secondhand",
    "motor": "motor",
    "venue": "venue",
    "courier": "parcel",
}
PER_BUSINESS = 60


def _cn_id(rng: random.Random) -> str:
    birth = f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"110105{birth}{rng.randint(0, 999):03d}"
    return first17 + cn_id_check_char(first17)


def _person(fake: Faker, rng: random.Random) -> dict[str, Any]:
    return {
        "name": fake.name(),
        "doc_type": "cn_resident_id",
        "id_number": _cn_id(rng),
        "nationality": "CHN",
    }


def _record(sector: str, fake: Faker, rng: random.Random, when: Any, n: int) -> dict[str, Any]:
    t = when.isoformat()
    if sector == "hotel":
        return {
            "guest": _person(fake, rng),
            "check_in": t,
            "room": str(rng.randint(101, 920)),
            "stay_ref": f"D-{n}",
        }
    if sector == "secondhand":
        imei14 = f"{rng.randint(10**13, 10**14 - 1)}"
        return {
            "seller": _person(fake, rng),
            "item": {
                "category": "phone",
                "description": "used phone",
                "imei": imei14 + luhn_check_digit(imei14),
            },
            "price": str(rng.randint(100, 4000)),
            "transacted_at": t,
        }
    if sector == "motor":
        body = f"LSV{rng.randint(10000, 99999)}{rng.randint(0, 9)}AB{rng.randint(100000, 999999)}"
        vin = body[:8] + vin_check_digit(body[:8] + "0" + body[9:]) + body[9:]
        return {
            "customer": _person(fake, rng),
            "plate": f"粤B{rng.randint(10000, 99999)}",
            "vin": vin,
            "work_type": rng.choice(["lighting", "colour_change", "other"]),
            "performed_at": t,
        }
    if sector == "venue":
        return {
            "visitor": _person(fake, rng),
            "venue": "Starlight Internet Cafe",
            "entered_at": t,
            "terminal_id": f"PC-{rng.randint(1, 80):03d}",
        }
    return {
        "sender": _person(fake, rng),
        "sender_verified": rng.random() > 0.05,
        "sender_address": fake.address(),
        "recipient_address": fake.address(),
        "declared_contents": rng.choice(["衣服", "books", "茶叶", "phone case"]),
        "weight_kg": round(rng.uniform(0.2, 8), 1),
        "pieces": 1,
        "courier": "Cloud",
        "waybill": f"CL{n:08d}",
        "accepted_at": t,
    }


def run(runtime: Runtime, city: DemoCity) -> list[str]:
    rng = random.Random(2026)
    fake = Faker(["zh_CN", "en_US"])
    fake.seed_instance(2026)
    now = utcnow()
    lines = []
    for business_sector, org_id in city.business_ids.items():
        sector = SECTOR_OF[business_sector]
        records = []
        for n in range(PER_BUSINESS):
            late = rng.random() < 0.1
            when = now - timedelta(hours=rng.uniform(30, 60) if late else rng.uniform(0.5, 20))
            records.append(_record(sector, fake, rng, when, n))
        records[3][next(iter(records[3]))]["id_number"] = "110105194912310021"  # bad row
        with runtime.unit_of_work() as session:
            org = session.get(Organisation, org_id)
            assert org is not None
            ctx = AccessContext(f"demo:{org.id}", 0, org.id, org.name, Role.BUSINESS)
            filing = service.file_registrations(
                session,
                ctx,
                sector,
                records,
                channel="file",
                vault=runtime.vault,
                timezone=runtime.settings.intake_timezone,
            )
        bad = filing.errors
        lines.append(
            f"{org.name}: {filing.stored} {sector} filings stored, {len(bad)} refused "
            f"({bad[0].field}: {bad[0].message})"
        )
    with runtime.unit_of_work() as session:
        for r in compliance.compliance_records(
            session, system_context(), runtime.settings.intake_deadline_hours
        ):
            lines.append(
                f"  compliance {r['organisation']}: {r['on_time']} on time, "
                f"{r['late']} late, rejected rate {r['rejected_rate']:.1%}"
            )
    return lines
