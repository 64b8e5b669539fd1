"""Contraband described rather than named: this round's cue pairs, telltales and pairs of
forgery, secrecy and media words. Each is caught only with its step, and its look-alike
without the second cue is cleared."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import decide as _decide
from vigil.screening.parcel_evasion import ALL_EVASIONS

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


def test_confidential_is_a_secrecy_grade_only_on_defence_or_government_papers() -> None:
    assert _decide("defence drawings marked confidential").decision == "refuse"
    assert _decide("project files marked confidential").decision == "cleared"
    assert _decide("topsecret files").decision == "refuse"  # the grade run together


def test_a_liquor_brand_in_latin_letters_pairs_with_a_forgery_word() -> None:
    assert _decide("counterfeit Moutai").decision == "inspect"
    assert _decide("counterfeit Moutai", evasions=ALL_EVASIONS - {"counterfeit"}).decision == (
        "cleared"
    )
    assert _decide("Moutai 53度 500ml").decision == "cleared"


def test_a_hidden_monitoring_gadget_is_a_covert_camera() -> None:
    assert _decide("酒店用隐蔽监控小配件").decision == "inspect"
    assert _decide("监控摄像头 2个").decision == "cleared"


def test_old_simplified_form_of_plutonium_is_read() -> None:
    assert _decide("鈽 10件").decision == "refuse"  # OpenCC gives 钸, the old form of 钚


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("snap pops", "EX-002"),  # 摔炮
        ("foil for smoking drugs", "NA-004"),  # 吸毒用锡纸
        ("JUEMIDANGAN 3份", "XB-001"),  # 绝密档案 in pinyin
        ("xykz10件", "EN-002"),  # 象牙筷子 by initials
        ("xz20件", "EN-001"),  # 熊掌: two initials with a unit of its kind
        ("solid alcohol fuel", "FL-002"),  # 固体酒精
        ("75% medical alcohol", "FL-001"),  # 医用酒精
        ("E仔 20粒", "NA-001"),
    ],
)
def test_names_and_units_added_this_round(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared", text
    assert item_id in {m.item_id for m in decision.matches}
