"""#23, acceptance 3-4, fifth round: mechanisms written to generalise past the set that
showed the gap. Each case is worded apart from any evaluation set; each is caught with its
step or rule and missed without it, and look-alikes that share a cue stay cleared."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import decide as _decide
from tests.screening.parcel_cases import items as _items
from vigil.screening.parcel_evasion import ALL_EVASIONS, unleet, unleet_all
from vigil.screening.parcel_forgery import find_export_pairs
from vigil.screening.parcel_ocr import OCR_ORIGINALS, merged_letters_reading


def _caught_only_with(text: str, item_id: str, step: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared", text
    assert item_id in {m.item_id for m in decision.matches}, decision.reason
    assert item_id not in _items(text, evasions=ALL_EVASIONS - {step}), text


# --- OCR: a radical lost or a look-alike character, two letters read as one ------------


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("仓官 1箱", "FA-002"),  # 枪管: 木 and 竹 lost
        ("氢氟夋 500ml", "CO-001"),  # 氢氟酸: 酉 lost
        ("叚巾 10张", "CU-001"),  # 假币
        ("电击哭 x2", "KN-002"),  # 电击器: 器 read as 哭
        ("过羊化内 1瓶", "OX-001"),  # 过氧化钠: 气 lost from 氧, 钅 from 钠
        ("arnrnunition 1 box", "FA-003"),  # rn read for m
        ("洒精 5瓶", "FL-001"),  # 酒 and 洒, printed and hand-written
        ("雷菅 10支", "EX-001"),  # 管 and 菅
        ("孑弹 50发", "FA-003"),  # 子 and 孑
        ("p0tassiurn perrnanganate 500g", "OX-001"),  # with digits for letters
    ],
)
def test_ocr_misreadings_are_read_back(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "ocr")


@pytest.mark.parametrize(
    "text",
    [
        "粮仓官员 纪念册",  # 仓官 inside other words
        "1.8米大床 一张",  # two characters that are not an item of their own
        "modern corn burner",  # rn in ordinary words makes no term
        "仓库 货架 2个",
        "花椒 太麻了",  # 太麻 in a phrase, not an item of its own
        "洒水壶 1个",
        "泡沫 箱子",
    ],
)
def test_ocr_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


def test_the_ocr_table_maps_written_characters_to_originals() -> None:
    assert "枪" in OCR_ORIGINALS["仓"] and "酸" in OCR_ORIGINALS["夋"]
    reading = merged_letters_reading("uraniurn")
    assert reading is not None and reading[0] == "uranium"


# --- Bars that part fields are not letters ---------------------------------------------


def test_bars_between_fields_are_not_read_as_letters() -> None:
    record = "511787387203|pek|petr01|1箱|30.7kg|n"
    assert unleet(record, one_as_l=True) == "511787387203|pek|petrol|1箱|30.7kg|n"
    assert unleet_all("cu|7ur3") == "culture"  # a lone bar inside a word is a letter
    _caught_only_with("511787387203|PEK|petr01|1箱|30.7KG|N", "FL-001", "leet")
    _caught_only_with("488954404249|CTU|air rif1e|2 pcs|8.1KG|N", "FA-001", "leet")


# --- Euphemism families: a cover word and a tell -----------------------------------------

EUPHEMISMS = [
    ("铅头小件 7.62mm 一盒", "FA-003"),  # a metal head and a calibre: rounds
    ("花生米 铜头的 一盒", "FA-003"),  # a street name of rounds with a metal head
    ("爆破用的料 2箱", "EX-001"),  # the stuff for blasting
    ("起爆用的小管 10支", "EX-001"),  # what sets off a blast
    ("开了刃的双刃剑 1把", "KN-004"),  # sharpened and double-edged
    ("刻蚀金属的酸 1瓶", "CO-001"),  # an acid that etches
    ("翻印小说 无版权 20本", "IP-001"),  # printed without the right to
    ("庆典打上天的 一箱", "EX-002"),  # goes up at a celebration
    ("成人看的影片 光盘", "PB-001"),  # films for adults
    ("420 干花 一包", "NA-001"),  # a herb with a smoking number
    ("火柴盒侧面 一袋", "FL-002"),  # a matchbox's striking strip
    ("溜冰用 玻璃壶", "NA-004"),  # a pot for smoking
    ("瓶子 带两根吸管 玻璃", "NA-004"),  # a bottle with two tubes
    ("充满气的钢瓶 1个", "GA-002"),  # a cylinder under pressure
    ("能打响的家伙 一套", "FA-001"),  # a thing said to fire
    ("割草机喝的 2桶", "FL-001"),  # what an engine drinks
    ("气球的气 一罐", "GA-001"),  # gas for balloons
    ("rifled barrel 1", "FA-002"),  # rifling
    ("远距离听的小设备", "EP-002"),  # listens from afar
    ("防身电弧棒 1根", "KN-005"),  # self-defence and a shock
    ("藏于烟雾报警器的镜头", "EP-002"),  # a hidden lens
    ("探伤用 铅罐 1个", "RA-001"),  # a lead pot and radiography
    ("无书号 画册 50本", "PB-001"),  # no book number
    ("1比5的货 百元", "CU-003"),  # money at a rate of one to several
    ("除草剂 烧根 5L", "TX-001"),  # a weed killer that burns roots
    ("白色结晶 你懂的", "NA-001"),  # a form with a wink
    ("短信群发主机 车载", "OT-002"),  # a bulk-SMS transmitter
    ("打鸟的 长管 一把", "FA-001"),  # for shooting birds, a long tube
    ("代刻 合同章 2枚", "CU-002"),  # a seal carved to order
    # a pathogen with a laboratory form it is kept or sent in
    ("结核杆菌 培养物 1管", "BI-002"),
    ("salmonella strain x2", "BI-002"),
    ("covid samples 10", "BI-002"),
    # the same families worded in English
    ("stuff for blasting rock 2 boxes", "EX-001"),
    ("glass pipe for smoking", "NA-004"),
    ("camera hidden in a smoke detector", "EP-002"),
    ("unlicensed copies of textbooks", "IP-001"),
    ("lead pig from radiography", "RA-001"),
    ("weed killer that kills roots", "TX-001"),
]


@pytest.mark.parametrize(("text", "item_id"), EUPHEMISMS)
def test_euphemism_families_are_inspected_only_with_their_step(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    assert item_id not in _items(text, evasions=ALL_EVASIONS - {"euphemism"})


@pytest.mark.parametrize(
    "text",
    [
        "铜头螺丝 6mm 100个",  # a metal head on hardware
        "420ml 植物油",  # 420 as a quantity
        "炸鱼 调料",  # fried fish seasoning
        "耐腐蚀的酸奶杯",  # a yogurt cup
        "开心气球 10个",  # balloons
        "远程听课 平板",  # a tablet for remote classes
        "高压锅 1个",  # a pressure cooker
        "1:3 比例模型 售价 20元",  # a scale
        "短信群发平台 充值卡",  # a messaging service
        "双刃剃须刀片 1盒",  # double-edged, not sharpened
        "抽的 烟斗 木质",  # a tobacco pipe
        "无书号 笔记本",  # a notebook needs no book number
        "打鸟 镜头 1个",  # a birding lens
        "刻章机 1台",  # a seal-carving machine
        "病毒 检测试剂 样本",  # a test reagent, not a specimen
        "sterile swabs 100pcs",
        "influenza swabs unused",
        "flu vaccine samples",
        "乳酸杆菌 菌种 2包",  # a food culture (the FOOD_CULTURE rule)
        "camera bag with hidden pocket",
        "glass pipe fittings 10",
        "briar tobacco pipe",
    ],
)
def test_euphemism_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


# --- Import and export: quarantine with plants, relics dug up, a secrecy grade -----------


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("未经检疫的树苗 10棵", "XB-001"),
        ("unquarantined seeds x2", "XB-001"),
        ("beef jerky from an asf area", "XB-001"),
        ("出土的青铜器 1件", "XB-002"),
        ("looted antiquities", "XB-002"),
        ("带密级的文件 1袋", "XB-001"),
        ("禽流感 疫区 鸡蛋", "XB-001"),
        ("未经检疫的活体龟", "XB-001"),
        ("军用地图 机密", "XB-001"),
        ("classified military maps", "XB-001"),
        ("seeds not quarantined", "XB-001"),
    ],
)
def test_import_export_pairs(text: str, item_id: str) -> None:
    assert item_id in {found[0] for found in find_export_pairs(text.casefold())}
    assert _decide(text).decision == "refuse"


@pytest.mark.parametrize(
    "text",
    ["出土文物复制品 摆件", "tomb raider game", "花卉种子 5包", "地图 机密 笔记本", "鸡蛋 2盒"],
)
def test_import_export_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


def test_pairs_are_read_again_with_digits_for_letters() -> None:
    _caught_only_with("p0rk fr0m 4 5w1n3-f3v3r z0n3", "XB-001", "leet")
    _caught_only_with("p1r473d dvd5 x3", "IP-001", "leet")


def test_a_chinese_character_beside_a_latin_word_bounds_it() -> None:
    assert "CU-003" in _items("寄fake 100 yuan notes啊")
    assert "FA-003" in _items("我要寄铜头小零件 9mm啊")


# --- Formulas and element symbols alone -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("品名: Hg 件数: 3", "TX-001"),
        ("NaCN，2瓶", "TX-001"),
        ("寄出：HF，10斤", "CO-001"),
        ("Mg | 数量: 4", "FL-002"),
        ("U3O8 1罐", "RA-001"),
    ],
)
def test_formulas_standing_alone(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "formula")


@pytest.mark.parametrize(
    "text", ["HF 天线 1根", "Vitamin B6 50 Mg tablets", "Li Na 签名照", "O2 sim card"]
)
def test_symbols_in_phrases_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


# --- Initials of long terms, catalogue families, slang ----------------------------------


@pytest.mark.parametrize(("text", "item_id"), [("咽SZYB 2件", "BI-002"), ("液HSYQG 1个", "GA-001")])
def test_long_terms_with_the_first_character_kept(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "initials")


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("出土文物 3件", "XB-002"),
        ("excavated artefacts", "XB-002"),
        ("未检疫种苗 20株", "XB-003"),
        ("手机信号屏蔽器 1台", "OT-002"),
        ("gps jammer x1", "OT-002"),
        ("病毒培养物 1管", "BI-002"),
        ("nasal swab specimens", "BI-002"),
        ("假冒香烟 5条", "IP-001"),
        ("solid fuel alcohol 10 cans", "FL-002"),
        ("山奈钾 500克", "TX-001"),
        ("十字弓 1把", "KN-002"),
        ("卡式气 12罐", "GA-002"),
        ("木精 2桶", "FL-001"),
        ("手杖剑 1把", "KN-004"),
        ("percocet 20", "NA-003"),
        ("fake viagra pills", "IP-001"),  # a fake medicine
    ],
)
def test_catalogue_families_added_this_round(text: str, item_id: str) -> None:
    assert item_id in _items(text), _decide(text).reason


def test_food_named_round_slang_counts_only_in_rounds() -> None:
    _caught_only_with("狗粮 (一盒50发)", "FA-003", "slang")
    assert _decide("狗粮 200粒").decision == "cleared"  # kibble is counted in 粒


def test_a_latin_street_name_run_into_powder() -> None:
    _caught_only_with("coke粉 2g", "NA-001", "slang")
    assert _decide("冰粉 红糖味 2包").decision == "cleared"  # a dessert


def test_a_clothing_size_is_not_a_homophone() -> None:
    assert _decide("大码 一件").decision == "cleared"
    assert "NA-001" in _items("大嘛 x1")  # a homophone standing alone still is


@pytest.mark.parametrize(
    ("text", "item_id"),
    [("xans 30 pills", "NA-007"), ("percs 20 pills", "NA-003"), ("dope 5g", "NA-001")],
)
def test_street_names_from_the_glossaries(text: str, item_id: str) -> None:
    _caught_only_with(text, item_id, "slang")
    assert _decide(text.split()[0] + " shoes").decision == "cleared"  # the word alone


def test_vape_cartridges_are_not_rounds() -> None:
    assert "FA-003" not in _items("vape cartridges x10")
    assert "FA-003" in _items("rifle cartridges x10")
