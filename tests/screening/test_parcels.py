"""Parcel screening: catalogue, look-alikes, variants, live updates, sender verification."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.screening.parcels import BannedItem, load_catalogue, normalise_text, screen_parcel

DAY = date(2025, 6, 1)
CATALOGUE = load_catalogue()


def decide(text: str, verified: bool = True) -> str:
    return screen_parcel(CATALOGUE, text, verified, on=DAY).decision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("手枪一把", "refuse"),
        ("槍支彈藥", "refuse"),  # traditional
        ("大 麻 10g", "refuse"),  # spaced out
        ("Glock 19 pistol", "refuse"),
        ("fireworks for new year", "refuse"),
        ("海络因", "inspect"),  # homophone
        ("冰du", "inspect"),  # pinyin in Latin
        ("metamphetamine", "inspect"),  # misspelling
        ("a kitchen knife", "inspect"),
        ("狙击枪模型", "inspect"),
        ("金枪鱼罐头", "cleared"),
        ("火药味香薰蜡烛", "cleared"),
        ("蛋白粉两罐", "cleared"),
        ("硫酸镁浴盐", "cleared"),
        ("hot glue gun and glue sticks", "cleared"),
        ("water gun toy", "cleared"),
        ("palette knife set", "cleared"),
        ("heroine action figure", "cleared"),
        ("Swiss watches", "cleared"),
        ("ivory white dress", "cleared"),
        ("鞭炮图案春联", "cleared"),
        ("衣服两件，书一本", "cleared"),
    ],
)
def test_declarations(text: str, expected: str) -> None:
    assert decide(text) == expected


def test_unverified_sender_is_inspected_at_least() -> None:
    decision = screen_parcel(CATALOGUE, "衣服两件", False, on=DAY)
    assert decision.decision == "inspect"
    assert "not real-name verified" in decision.reason
    assert screen_parcel(CATALOGUE, "手枪", False, on=DAY).decision == "refuse"


def test_item_added_is_refused_in_the_very_next_parcel() -> None:
    catalogue = load_catalogue()
    assert screen_parcel(catalogue, "zorblax crystals", True, on=DAY).decision == "cleared"
    version = catalogue.version
    catalogue.add_item(
        BannedItem(
            "NEW-1", "narcotics & psychotropics", ("佐布拉克斯",), ("zorblax",), "notice 1", DAY
        )
    )
    assert catalogue.version == version + 1
    decision = screen_parcel(catalogue, "zorblax crystals", True, on=DAY)
    assert decision.decision == "refuse" and decision.catalogue_version == version + 1
    assert screen_parcel(catalogue, "佐布拉克斯晶体", True, on=DAY).decision == "refuse"
    catalogue.remove_item("NEW-1")
    assert screen_parcel(catalogue, "zorblax crystals", True, on=DAY).decision == "cleared"


def test_items_not_yet_effective_do_not_match() -> None:
    catalogue = load_catalogue()
    catalogue.add_item(BannedItem("FUT-1", "toxic", (), ("quuxene",), "notice 2", date(2030, 1, 1)))
    assert screen_parcel(catalogue, "quuxene", True, on=DAY).decision == "cleared"
    assert screen_parcel(catalogue, "quuxene", True, on=date(2030, 1, 2)).decision == "refuse"


def test_bad_catalogue_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cat.csv"
    path.write_text("item_id,category\nX,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        load_catalogue(path)


@settings(max_examples=40, deadline=None)
@given(
    filler=st.sampled_from(["衣服", "books", "茶叶", "toys", "巧克力", "phone case"]),
    upper=st.booleans(),
)
def test_banned_term_found_whatever_surrounds_it(filler: str, upper: bool) -> None:
    text = f"{filler}, ammunition" if not upper else f"{filler.upper()}, AMMUNITION"
    assert decide(text) == "refuse"


@given(st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
