"""Contraband described rather than named: this round's cue pairs, telltales and pairs of
forgery, secrecy and media words. Each is caught only with its step, and its look-alike
without the second cue is cleared."""

from __future__ import annotations

from datetime import date

import pytest

from vigil.screening.parcel_evasion import ALL_EVASIONS
from vigil.screening.parcels import load_catalogue, screen_parcel

CATALOGUE = load_catalogue()
DAY = date(2025, 6, 1)


def _decide(text: str, **kwargs):  # type: ignore[no-untyped-def]
    return screen_parcel(CATALOGUE, text, True, on=DAY, **kwargs)


# (declaration, item, its look-alike with one cue only)
EUPHEMISMS = [
    ("身份证（带芯片 可过机）", "CU-004", "身份证卡套"),
    ("self-defence zapper 5 million volts", "KN-005", "bug zapper 220 volts"),
    ("女生防身辣椒水喷罐", "KN-005", "保湿喷雾 女生"),
    ("采石场用开山药 20公斤", "EX-001", "采石场石粉 20袋"),
    ("庆典手持点燃喷花筒", "EX-002", "点火线圈 火花塞"),
    ("灭鼠药 无色无味 一包见效", "TX-002", "灭鼠粘板 10张"),
    ("souvenir carved tusk (genuine, not resin)", "EN-001", "ox horn comb (genuine)"),
    ("牙雕（大象的 真品）", "EN-001", "树脂摆件 真品"),
    ("火锅底料（加了壳 更香）", "NA-005", "火锅底料 牛油"),
    ("车用燃料 92号 20升", "FL-001", "第92号 储物箱"),
    ("原单大牌包 1:1做工", "IP-002", "1:1 比例 地图"),
    ("party supplies: happy powder 5 bags", "NA-001", "happy birthday banner"),
    ("煽动民族仇恨的出版物", "PB-002", "民族团结 出版物"),
    ("publications inciting ethnic hatred", "PB-002", "publications on ethnic history"),
]


@pytest.mark.parametrize(("text", "item_id", "look_alike"), EUPHEMISMS)
def test_described_contraband_is_inspected_only_with_its_step(
    text: str, item_id: str, look_alike: str
) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    assert _decide(text, evasions=ALL_EVASIONS - {"euphemism"}).decision == "cleared"
    assert _decide(look_alike).decision == "cleared", _decide(look_alike).reason


@pytest.mark.parametrize(
    ("text", "item_id", "look_alike"),
    [
        ("假冒婴儿奶粉", "IP-001", "婴儿奶粉"),  # fake goods that endanger health
        ("fake infant formula", "IP-001", "infant formula"),
    ],
)
def test_fake_food_and_medicine_are_inspected_only_with_the_counterfeit_step(
    text: str, item_id: str, look_alike: str
) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    assert _decide(text, evasions=ALL_EVASIONS - {"counterfeit"}).decision == "cleared"
    assert _decide(look_alike).decision == "cleared"


@pytest.mark.parametrize(
    ("text", "look_alike"),
    [
        ("单位红头文件（标秘密级）", "单位红头文件"),  # the grade in brackets after the paper
        ("标有机密的军工图纸", "军工图纸 复印件"),
        ("design files marked secret", "design files marked confidential"),  # a business mark
        ("poultry from a bird-flu zone", "poultry feeder"),
    ],
)
def test_secrecy_grades_and_epidemic_zones_are_refused(text: str, look_alike: str) -> None:
    decision = _decide(text)
    assert decision.decision == "refuse", decision.reason
    assert "XB-001" in {m.item_id for m in decision.matches}
    assert _decide(look_alike).decision == "cleared", _decide(look_alike).reason


def test_adult_uncensored_discs_are_obscene_media_but_adult_nappies_are_not() -> None:
    assert _decide("成人无码光盘 50张").decision == "inspect"
    assert _decide("成人纸尿裤").decision == "cleared"
    assert _decide("成人教育光盘").decision == "cleared"


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("9mm手枪弹 10盒", "FA-003"),  # 手枪弹 is a round, not a pistol
        ("电点火头 50个", "EX-003"),
        ("手机信号截收器", "EP-003"),
        ("2-bromopropiophenone 1kg", "NA-002"),  # 溴代苯丙酮, named in English too
        ("o-chlorophenyl cyclopentyl ketone", "NA-002"),
        ("活病毒 样本", "BI-002"),
        ("cold-spark fountains", "EX-002"),
    ],
)
def test_names_added_to_the_catalogue_are_found(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared", text
    assert item_id in {m.item_id for m in decision.matches}


def test_a_spray_machine_is_not_a_firework() -> None:
    assert _decide("喷花机").decision == "cleared"  # 喷花 alone is also spray-painting
    assert _decide("喷花棒 5支").decision == "refuse"
