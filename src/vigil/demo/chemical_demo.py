"""Demo step: two chemical retailers file a week of precursor sales. One buyer spreads
hydrogen peroxide purchases across both shops, crosses the cumulative threshold, and raises
exactly one alert, explained by the rule, its source and the transactions behind it. A
restricted sale to a private person is refused at filing."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from faker import Faker
from sqlalchemy import select

from vigil import pipeline
from vigil.alerts.models import Alert
from vigil.core.clock import utcnow
from vigil.core.ids import cn_id_check_char
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity, demo_password
from vigil.governance import service as governance
from vigil.governance.access import AccessContext, Role, system_context
from vigil.intake import service
from vigil.precursors import service as precursors

RETAILERS = (
    ("Riverside Chemical Supply", "91310104000000001X"),
    ("Harbour Lab & Pool Chemicals", "913101040000000021"),
)
# small everyday sales, each below every rule's threshold
EVERYDAY: tuple[dict[str, Any], ...] = (
    {
        "substance_cas": "7722-84-1",
        "concentration_pct": 6,
        "quantity": 1,
        "unit": "L",
        "stated_use": "hair_cosmetics",
    },
    {
        "substance_cas": "67-64-1",
        "concentration_pct": 99,
        "quantity": 1,
        "unit": "L",
        "stated_use": "cleaning",
    },
    {
        "substance_cas": "7757-79-1",
        "concentration_pct": 98,
        "quantity": 1,
        "unit": "kg",
        "stated_use": "agriculture",
    },
    {
        "substance_cas": "7664-93-9",
        "concentration_pct": 10,
        "quantity": 1,
        "unit": "L",
        "stated_use": "cleaning",
    },
    {
        "substance_cas": "10124-37-5",
        "concentration_pct": 100,
        "quantity": 5,
        "unit": "kg",
        "stated_use": "agriculture",
    },
)


def _cn_id(rng: random.Random) -> str:
    birth = f"{rng.randint(1955, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = f"310104{birth}{rng.randint(0, 999):03d}"
    return first17 + cn_id_check_char(first17)


def _sale(licence: str, buyer: dict[str, Any], when: Any, n: int, **what: Any) -> dict[str, Any]:
    return {
        "seller_licence": licence,
        "buyer_kind": "private",
        "buyer": buyer,
        "payment": "traceable",
        "sold_at": when.isoformat(),
        "sale_ref": f"CH-{n:05d}",
        **what,
    }


def _file(runtime: Runtime, org_id: int, name: str, records: list[dict[str, Any]]) -> Any:
    with runtime.unit_of_work() as session:
        ctx = AccessContext(f"demo:{org_id}", 0, org_id, name, Role.BUSINESS)
        return service.file_registrations(
            session,
            ctx,
            "chemical",
            records,
            channel="file",
            vault=runtime.vault,
            timezone=runtime.settings.intake_timezone,
        )


def run(runtime: Runtime, city: DemoCity) -> list[str]:
    rng = random.Random(26)
    fake = Faker("zh_CN")
    fake.seed_instance(26)
    ctx = system_context()
    with runtime.unit_of_work() as session:
        seeded = precursors.seed_catalogue(session, ctx)
        shops = []
        for name, licence in RETAILERS:
            org = governance.create_organisation(session, ctx, name, "business", "chemical")
            shops.append((org.id, name, licence))
        # the first shop's clerk files on the console's filing screen too
        clerk = "chemical-clerk"
        governance.create_user(
            session, ctx, clerk, demo_password(clerk), Role.BUSINESS, shops[0][0]
        )
        city.logins.append((clerk, demo_password(clerk), "business", shops[0][1]))
    lines = [f"precursor catalogue: {seeded} substances seeded (catalogue version {seeded})"]
    now = utcnow()
    start = now - timedelta(days=7)
    batches: dict[int, list[dict[str, Any]]] = {org_id: [] for org_id, _, _ in shops}
    n = 0
    for day in range(7):
        for _ in range(rng.randint(4, 7)):
            org_id, _, licence = rng.choice(shops)
            buyer = {"name": fake.name(), "doc_type": "cn_resident_id", "id_number": _cn_id(rng)}
            when = start + timedelta(days=day, hours=rng.uniform(9, 18))
            batches[org_id].append(_sale(licence, buyer, when, n, **rng.choice(EVERYDAY)))
            n += 1
    # one buyer: 12 % hydrogen peroxide, 5 L at a time (0.6 kg pure), from both shops
    spreader = {"name": fake.name(), "doc_type": "cn_resident_id", "id_number": _cn_id(rng)}
    for day, (org_id, _, licence) in zip(
        (0, 2, 3, 5), (shops[0], shops[1], shops[0], shops[1]), strict=True
    ):
        when = start + timedelta(days=day, hours=15)
        batches[org_id].append(
            _sale(
                licence,
                spreader,
                when,
                n,
                substance_cas="7722-84-1",
                concentration_pct=12,
                quantity=5,
                unit="L",
                stated_use="cleaning",
            )
        )
        n += 1
    stored = 0
    for org_id, name, _ in shops:
        stored += _file(runtime, org_id, name, batches[org_id]).stored
    lines.append(f"two retailers filed {stored} sales over a week")
    refused = _file(
        runtime,
        shops[0][0],
        shops[0][1],
        [
            _sale(
                shops[0][2],
                spreader,
                now - timedelta(hours=1),
                n,
                substance_cas="7722-84-1",
                concentration_pct=30,
                quantity=1,
                unit="L",
                stated_use="cleaning",
            )
        ],
    )
    error = refused.errors[0]
    lines.append(
        "a 30 % hydrogen peroxide sale to a private person was refused: "
        f"{error.field}: {error.message}"
    )
    pipeline.drain(runtime)
    with runtime.unit_of_work() as session:
        raised = list(session.scalars(select(Alert).where(Alert.kind == "chemical")))
        lines.append(f"precursor alerts raised: {len(raised)}")
        for alert in raised:
            lines.append(f"  {alert.summary}")
            for key, value in alert.explanation.items():
                lines.append(f"    {key}: {value['detail']}")
    return lines
