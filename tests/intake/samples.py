"""Valid sample records per sector, and helpers to make many distinct ones."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import stdnum

ID_A = "11010519491231002X"
ID_B = "360426199101010071"
BASE_TIME = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


@lru_cache(maxsize=1)
def region_codes() -> list[str]:
    """County codes from python-stdnum's own table that carry no date range."""
    lines = (
        (Path(stdnum.__file__).parent / "cn" / "loc.dat").read_text(encoding="utf-8").splitlines()
    )
    codes = []
    province = ""
    for line in lines:
        if re.match(r"^\d\d ", line):
            province = line[:2]
        match = re.match(r"^\s+(\d{4}) county=\"([^\"\[]+)\"$", line)
        if match and province:
            codes.append(province + match.group(1))
    return codes


def cn_id(sequence: int, birth: str = "19900101", region: str = "110105") -> str:
    from vigil.core.ids import cn_id_check_char

    first17 = f"{region}{birth}{sequence % 1000:03d}"
    return first17 + cn_id_check_char(first17)


def person(name: str = "张晓明", number: str = ID_A) -> dict[str, Any]:
    return {"name": name, "doc_type": "cn_resident_id", "id_number": number, "nationality": "CHN"}


def iso(delta_hours: float = 0) -> str:
    return (BASE_TIME + timedelta(hours=delta_hours)).isoformat()


SAMPLES: dict[str, dict[str, Any]] = {
    "hotel": {
        "guest": person(),
        "companions": [
            {
                "name": "John Smith",
                "doc_type": "passport",
                "id_number": "L898902C3",
                "issuing_country": "GBR",
                "birth_date": "1974-08-12",
                "sex": "M",
                "nationality": "GBR",
            }
        ],
        "check_in": iso(0),
        "check_out": iso(20),
        "room": "1203",
        "stay_ref": "F-1001",
    },
    "secondhand": {
        "seller": person("李四", ID_B),
        "item": {
            "category": "phone",
            "description": "Used smartphone, 128 GB",
            "brand": "Huawei",
            "model": "P40",
            "serial_number": "SN12345",
            "imei": "490154203237518",
        },
        "price": "1200.00",
        "transacted_at": iso(0),
    },
    "motor": {
        "customer": person("王五", ID_B),
        "plate": "粤B·12345",
        "vin": "1M8GDM9AXKP042788",
        "work_type": "engine_swap",
        "performed_at": iso(0),
    },
    "venue": {
        "visitor": person("赵六", ID_A),
        "venue": "Starlight Internet Cafe",
        "entered_at": iso(0),
        "exited_at": iso(3),
        "terminal_id": "PC-017",
    },
    "parcel": {
        "sender": person("钱七", ID_A),
        "sender_verified": True,
        "sender_address": "深圳市南山区科技园 1 号",
        "recipient_name": "Ana Pérez",
        "recipient_address": "Calle Mayor 1, Madrid",
        "declared_contents": "衣服和书 / clothes and books",
        "weight_kg": 2.5,
        "pieces": 1,
        "courier": "Cloud Courier",
        "waybill": "CC000000001",
        "accepted_at": iso(0),
    },
    "chemical": {
        "seller_licence": "91110108000000001A",
        "buyer_kind": "private",
        "buyer": person("孙八", ID_B),
        "substance_cas": "7722-84-1",
        "substance_name": "过氧化氢溶液 / hydrogen peroxide solution",
        "concentration_pct": 12,
        "quantity": 5,
        "unit": "L",
        "stated_use": "cleaning",
        "payment": "traceable",
        "sold_at": iso(0),
        "sale_ref": "S-0001",
    },
}

TIME_FIELD = {
    "hotel": "check_in",
    "secondhand": "transacted_at",
    "motor": "performed_at",
    "venue": "entered_at",
    "parcel": "accepted_at",
    "chemical": "sold_at",
}
PERSON_FIELD = {
    "hotel": "guest",
    "secondhand": "seller",
    "motor": "customer",
    "venue": "visitor",
    "parcel": "sender",
    "chemical": "buyer",
}


def sample(sector: str, n: int = 0) -> dict[str, Any]:
    """The n-th distinct valid record of a sector (n varies the time and the person)."""
    record = copy.deepcopy(SAMPLES[sector])
    record[PERSON_FIELD[sector]]["id_number"] = cn_id(n % 997, "19800101")
    shift = timedelta(seconds=n)
    start = datetime.fromisoformat(record[TIME_FIELD[sector]]) + shift
    record[TIME_FIELD[sector]] = start.isoformat()
    for end_field in ("check_out", "exited_at"):
        if end_field in record:
            record[end_field] = (datetime.fromisoformat(record[end_field]) + shift).isoformat()
    if sector == "parcel":
        record["waybill"] = f"CC{n:09d}"
    return record
