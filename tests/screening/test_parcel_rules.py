"""Acceptance 4: each evasion class and each context rule has a test that fails when the
rule is removed (the second half of each test removes it and shows the other outcome)."""

from __future__ import annotations

import csv
import dataclasses
import re
from importlib import resources

import pytest

from tests.screening.parcel_cases import DAY
from tests.screening.parcel_cases import decide as _decide
from vigil.screening import parcels
from vigil.screening.parcel_context import CONTEXT_RULES
from vigil.screening.parcel_evasion import ALL_EVASIONS, EVASION_CLASSES, fold_tones, unleet
from vigil.screening.parcels import ANNEX, ANNEX_CATEGORIES, load_catalogue, screen_parcel

EVASIONS = {  # class -> (declaration, decision with the step, the item it must find)
    "fullwidth": ("ｐｉｓｔｏｌ ｘ１", "refuse", "FA-001"),
    "zero_width": ("海\u200b洛因 5g", "refuse", "NA-001"),
    "homoglyph": ("рistоl", "refuse", "FA-001"),  # Cyrillic р and о
    "confusables": ("ꓑistol", "refuse", "FA-001"),  # Lisu letter PA, from Unicode's data
    "tones": ("zǐ dàn 20 fa", "inspect", "FA-003"),
    "leet": ("pist0l", "inspect", "FA-001"),
    "traditional": ("彈藥一箱", "refuse", "FA-003"),
    "split_join": ("fire works for the party", "inspect", "EX-002"),
    "punctuation": ("p.i.s.t.o.l", "inspect", "FA-001"),
    "segmentation": ("ketaminepowder", "inspect", "NA-001"),
    "pinyin": ("zha yao", "inspect", "EX-001"),
    "initials": ("HLY 5g", "inspect", "NA-001"),
    "slang": ("ganja 20g", "inspect", "NA-001"),
    "homophone": ("手抢 1盒", "inspect", "FA-001"),  # 抢 qiang3 for 枪 qiang1
    "counterfeit": ("counterfeit 50 euro bills", "inspect", "CU-003"),
    "euphemism": ("research chemical, not for human consumption 5g", "inspect", "NA-007"),
    "formula": ("KMnO4 500g", "inspect", "OX-001"),
    "ocr": ("仓官 1箱", "inspect", "FA-002"),  # 枪管 with the radicals lost on a scan
    "emoji": ("💣 x2", "inspect", "EX-001"),  # BOMB in the emoji's Unicode name
}
# More than one form per class: with and without spaces and tones, digits and symbols.
MORE_EVASIONS = [
    ("zidan", "FA-003"),
    ("zi3 dan4", "FA-003"),
    ("da ma 50g", "NA-001"),
    ("her0in", "NA-001"),
    ("c0c@ine", "NA-001"),
    ("brassknuckles", "KN-001"),
    ("液化气罐", "GA-001"),
    ("fake currency", "CU-001"),
    ("假币", "CU-001"),
    ("he\u2060roin", "NA-001"),
    ("ＨＥＲＯＩＮ", "NA-001"),
    ("溜冰 2包", "NA-001"),
    ("h#roin", "NA-001"),
    ("h*roin 5g", "NA-001"),
    ("c?c*ine", "NA-001"),
    ("(ocaine 2g", "NA-001"),
    ("9lock 19", "FA-001"),
    ("ı‍cocaine", "NA-001"),
    ("her/oin", "NA-001"),
    ("c_o_c_a_i_n_e", "NA-001"),
    ("k e t a m i n e", "NA-001"),
    ("T N T两盒", "EX-001"),
    ("l.s.d tabs", "NA-001"),
    ("海.洛.因", "NA-001"),
    ("K 粉 2包", "NA-001"),
    ("buyheroinnow", "NA-001"),
    ("cheapcocaine x2", "NA-001"),
    ("fireworksbox", "EX-002"),
    ("HLY", "NA-001"),
    ("书籍, hly 若干", "NA-001"),
    # symbols between characters and inside words
    ("四❤氢❤大❤麻❤酚 1条", "NA-003"),
    ("铝#粉（3件）", "FL-002"),
    ("kra.tom x1", "NA-006"),
    ("radioacti-veisotope - qty 10", "RA-001"),
    ("acetyle*ne x2", "GA-001"),
    # a Chinese term cut in two
    ("品名:海洛 因", "NA-001"),
    ("天那 水 2桶", "FL-001"),
    # homophones in the same and in another tone
    ("海络因 5g", "NA-001"),
    ("氯安酮 x10", "NA-001"),
    ("针空摄像头 3袋", "EP-001"),
    ("色青杂志x1", "PB-002"),
    # pinyin of more syllables, and pinyin with digits for letters
    ("fang she xing tong wei su", "RA-001"),
    ("x1an9ya 2件", "EN-001"),
    ("ji@fapia0", "CU-001"),
    # initials: longer ones with a quantity written out, two letters with a unit of the kind
    ("GZQ 数量:1", "FA-002"),
    ("HLY5克", "NA-001"),
    ("ZD 50发", "FA-003"),
    ("寄SQ 一把", "FA-001"),
    ("dm 28克", "NA-001"),
    ("JB 100张", "CU-001"),
    # everyday words that are street names only with a unit of their kind
    ("snow 7g", "NA-001"),
    ("冰 5克", "NA-001"),
    ("狗粮 50发 9mm", "FA-003"),
    ("funny money 50 notes", "CU-001"),
    ("whippets 24 chargers", "GA-002"),
    # a forgery word with a currency, a document or a brand
    ("10 x fake 100 yuan notes", "CU-003"),
    ("高仿人民币 x1", "CU-003"),
    ("forged visa stickers", "CU-004"),
    ("伪造学生证 2张", "CU-004"),
    ("fake Gucci bag - qty 1", "IP-002"),
    ("knock-off Louis Vuitton", "IP-002"),
    ("高仿耐克鞋 5袋", "IP-002"),
    ("Rolex replica", "IP-002"),
    ("counterfeitUSdollars x2", "CU-003"),
    ("f@ke 1D card", "CU-004"),
    # ü written u, and the sounds many speakers merge (zh/z, -ng)
    ("录酸钾 数量:2", "OX-001"),
    ("lv suan jia", "OX-001"),
    ("伪照人民币x1", "CU-003"),
    # digits for letters in short words, and a bracketed quantity after a leet word
    ("r3d cora1 (1 x)", "EN-001"),
    ("10 x d37 c0rd", "EX-003"),
    ("ha$h!sh（1袋）", "NA-001"),
    ("m4 f3i", "NA-001"),
    ("z! d@n 20发", "FA-003"),
    # pinyin of a term with a Latin letter; a quantity glued to the last syllable
    ("Kfen x12", "NA-001"),
    ("K fen3 1件", "NA-001"),
    ("xiao qix3", "GA-001"),
    # a plural split in two
    ("de tonators - qty 5", "EX-001"),
]


def test_every_evasion_class_has_a_case() -> None:
    assert set(EVASIONS) == set(EVASION_CLASSES)


@pytest.mark.parametrize("evasion", EVASION_CLASSES)
def test_evasion_is_caught_and_only_by_its_step(evasion: str) -> None:
    text, expected, item_id = EVASIONS[evasion]
    with_step = _decide(text)
    assert with_step.decision == expected
    assert item_id in {m.item_id for m in with_step.matches}
    without = _decide(text, evasions=ALL_EVASIONS - {evasion})
    assert without.decision == "cleared", without.reason


# Forms added to a class after its first case: each is caught only with its step.
NEW_FORMS = [
    ("kra.tom x1", "punctuation"),  # a mark inside a word
    ("品名:海洛 因", "split_join"),  # a Chinese term cut in two
    ("天那 水 2桶", "split_join"),
    # another tone; 安 is also 胺 with its radical lost on a scan (the ocr step)
    ("氯安酮 x10", "homophone ocr"),
    ("录酸钾 数量:2", "homophone ocr"),  # ü written u; 录 is 氯 with 气 lost
    ("伪照人民币x1", "homophone"),  # zh for z
    ("m4 f3i", "leet"),  # pinyin with digits in one-letter words
    ("r3d cora1", "leet"),  # short words
    ("zd 50发", "initials"),  # two letters and a unit of the kind
    ("snow 7g", "slang"),  # an everyday word and a unit of the kind
    ("狗粮 50发", "slang"),
    ("counterfeitusdollars x2", "counterfeit"),  # run together
    ("Kfen x12", "pinyin"),  # a term with a Latin letter
    ("xiao qix3", "pinyin"),  # a quantity glued to the last syllable
    ("fang she xing tong wei su", "pinyin"),  # six syllables
]


@pytest.mark.parametrize(("text", "evasion"), NEW_FORMS)
def test_new_forms_are_caught_only_by_their_step(text: str, evasion: str) -> None:
    assert _decide(text).decision != "cleared", text
    without = _decide(text, evasions=ALL_EVASIONS - set(evasion.split()))
    assert without.decision == "cleared", without.reason


@pytest.mark.parametrize(("text", "item_id"), MORE_EVASIONS)
def test_more_written_forms_are_flagged(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared" and item_id in {m.item_id for m in decision.matches}


def test_evasion_steps_keep_positions() -> None:
    for text in ("pist0l and c0c@ine", "zǐ dàn, lǜ"):
        assert len(unleet(text)) == len(text) and len(fold_tones(text)) == len(text)
    assert unleet("iphone 15, 4k tv, mp3") == "iphone 15, 4k tv, mp3"  # no letters hidden
    # a catalogued name with digits is still found in the declaration as written
    assert _decide("ak47 parts").decision == "refuse"


# rule -> [(harmless declaration, decision with the rule, decision without)]. A toy or a
# model of a weapon is inspected without TOY, MODEL, TOOL or NEGATION too: REPLICA reads
# the toy or model word anywhere in the item, so it is never refused.
RULES = {
    "COLOUR": [
        ("枪灰色手机支架", "cleared", "inspect"),
        ("gun-colour phone case", "cleared", "inspect"),  # gun-metal: an exclusion phrase
        ("curtains, colour: ivory", "cleared", "refuse"),
    ],
    "SHAPE": [("bullet-shaped usb drive", "cleared", "refuse"), ("子弹形U盘", "cleared", "refuse")],
    "PATTERN": [
        ("sparkler-print scarf", "cleared", "refuse"),  # firework-print: an exclusion
        ("cannabis leaf print socks", "cleared", "refuse"),
    ],
    "TOY": [("plush pangolin toy", "cleared", "refuse"), ("toy dagger", "inspect", "inspect")],
    "MODEL": [("穿山甲模型", "cleared", "refuse"), ("手枪模型", "inspect", "inspect")],
    "TOOL": [
        ("barcode scanner gun", "cleared", "inspect"),
        ("扫码枪1个", "cleared", "inspect"),
        ("toy water pistol", "cleared", "inspect"),
        ("cordless rivet gun", "cleared", "inspect"),
    ],
    "COLOUR_NAME": [
        ("ivory dress", "cleared", "refuse"),
        ("wedding gown in ivory", "cleared", "refuse"),
        ("象牙连衣裙", "cleared", "refuse"),
        ("玳瑁发夹", "cleared", "refuse"),
        ("ivory phone case", "cleared", "refuse"),
    ],
    "NEGATION": [
        ("hydrogen peroxide free whitening strips", "cleared", "refuse"),
        ("不含甲醛 衣柜", "cleared", "refuse"),
        ("不含火药的道具", "inspect", "inspect"),  # weapons and explosives: a person looks
    ],
    "ACCESSORY": [
        ("bbq lighter holder", "cleared", "refuse"),
        ("汽油滤芯 (汽车配件) x2", "cleared", "refuse"),  # a fuel filter
        ("充电宝保护套", "cleared", "inspect"),
        ("fire extinguisher mount", "cleared", "refuse"),
        ("pistol stand", "inspect", "refuse"),  # weapons: a person looks
    ],
    "COLOURED_GOODS": [
        ("ammo green backpack", "cleared", "refuse"),
        ("火药红 卫衣x3", "cleared", "refuse"),
        ("罂粟红口红", "cleared", "refuse"),
    ],
    "REPLICA": [
        ("1/6 figure rifle accessory x1", "inspect", "refuse"),
        ("resin grenade replica (display, solid)", "inspect", "refuse"),
        ("toy cap-free cowboy revolver (plastic)", "inspect", "refuse"),
        ("1:6 兵人 步枪模型x10", "inspect", "refuse"),
    ],
    "MATERIAL": [
        ("faux ivory mahjong set", "cleared", "refuse"),
        ("象牙纹理手机壳", "cleared", "refuse"),
        ("ivory-effect picture frame", "cleared", "refuse"),
    ],
    "PRODUCT_NAME": [
        ("cherry bomb lip balm x2", "cleared", "refuse"),
        ("firecracker chilli sauce", "cleared", "refuse"),
        ("炸弹蛋糕 1个", "cleared", "refuse"),
        ("子弹杯 6只", "cleared", "refuse"),  # a shot glass
    ],
    "MEDIA_TITLE": [
        ("Cocaine Bear DVD x2", "cleared", "refuse"),
        ("Bullet Train Blu-ray", "cleared", "refuse"),
        ("BTS Dynamite CD single", "cleared", "refuse"),
    ],
    "MEDICINE": [("盐酸二甲双胍片（处方药，自用）", "cleared", "refuse")],
    "TITLE": [("《枪炮、病菌与钢铁》(图书)*3", "cleared", "refuse")],
    "FOOD_CULTURE": [
        ("酸奶菌种 发酵剂 2包", "cleared", "refuse"),
        ("食用菌菌种 10袋", "cleared", "refuse"),
    ],
    "KITCHEN_KNIFE": [
        ("fish scaler knife (blunt) x2", "cleared", "inspect"),
        ("oyster knife 1", "cleared", "inspect"),
    ],
    "KITCHEN_TOOLS": [
        ("西餐刀具 2套", "cleared", "inspect"),
        ("厨房刀具 一套", "cleared", "inspect"),
    ],
    "BRAND_NAME": [
        ("子弹头牌 电动牙刷 1支", "cleared", "refuse"),
        ("bullet brand blender x1", "cleared", "refuse"),
    ],
    "TRAINING_NOTES": [("点钞练功券 银行培训用 10捆", "cleared", "refuse")],
    "POWER_TOOL": [("手枪钻 x2", "cleared", "refuse"), ("pistol-grip drill", "cleared", "refuse")],
    "BATTERY_LIMIT": [
        ("充电宝 5000mAh", "cleared", "inspect"),
        ("蓝牙音箱 内置锂电池", "cleared", "inspect"),
    ],
    "VEHICLE": [("bullet train toy set", "cleared", "inspect")],
    "COLOUR_TINT": [("象牙黄 台灯罩", "cleared", "refuse")],
    "SOAKED_PAD": [("酒精湿巾 10包", "cleared", "refuse")],
    "PEER_TO_PEER": [
        ("P2P file-sharing router", "cleared", "refuse"),
        ("p2p camera", "cleared", "refuse"),
        ("P2P网贷宣传册", "cleared", "refuse"),
    ],
}


def test_every_context_rule_has_a_case() -> None:
    assert set(RULES) == {rule.rule_id for rule in CONTEXT_RULES}


@pytest.mark.parametrize("rule_id", [rule.rule_id for rule in CONTEXT_RULES])
def test_context_rule_clears_and_is_recorded_and_only_it_does(rule_id: str) -> None:
    others = tuple(rule for rule in CONTEXT_RULES if rule.rule_id != rule_id)
    for text, with_rule, without_rule in RULES[rule_id]:
        decision = _decide(text)
        assert decision.decision == with_rule, (text, decision.reason)
        # the rule that decided is written into the reasons (kept with the decision)
        assert any(f"rule {rule_id}" in note for note in decision.context)
        assert any(f"rule {rule_id}" in reason for reason in decision.reasons)
        assert _decide(text, rules=others).decision == without_rule, text


def test_rules_do_not_clear_the_thing_itself() -> None:
    for text in (
        "ivory bangle",
        "象牙手镯",
        "子弹20发",
        "pistol",
        "fireworks 2 boxes",
        "ivory carving",
        "red coral necklace",
        "气枪",
        "air gun",
        "paintball gun",
        "盐酸 500ml",  # an acid, not a medicine
        "cocaine white powder 5g",  # drugs are described by their colour
        "cannabis green buds 28g",
        "大麻绿 5g",
        "仿真手枪一把 toy?",  # a replica is what the annex bans: still refused
        "《法轮大法》 2本",  # the titles of banned publications are not cleared
        "ivory bangle, plastic bag",  # a material in another item of the list
    ):
        assert _decide(text).decision != "cleared", text


# Look-alikes that must never be refused, and tools that are not weapons (the annex bans
# firearms and their replicas; a nail gun or a glue gun is neither, a water pistol is a toy).
NEVER_REFUSED = [
    "toy water pistol",
    "water gun",
    "foam blaster",
    "nerf gun",
    "scanner gun",
    "glue gun",
    "massage gun",
    "nail gun",
    "打胶枪",
    "扫码枪",
    "ivory dress",
    "象牙白衬衫",
    "ivory-colour curtains",
    # toy and model weapons are inspected, never refused
    "toy cap-free cowboy revolver (plastic) - qty 2",
    "lego-style rifle bricks x2",
    "1/6 figure rifle accessory",
    "玩具手雷（塑料） 3件",
    "品名：导弹模型 摆件 数量:1",
]
CLEARED = [
    "toy water pistol",
    "water gun",
    "foam blaster",
    "scanner gun",
    "glue gun",
    "massage gun",
    "nail gun",
    "扫码枪",
    "ivory dress",
    "象牙白衬衫",
    "bulletin board",
    "bulletproof phone case",
    "hly speaker",  # initials without a quantity, inside an item: a brand or model
    "婴儿监听器",
    "反邪教宣传册",
    "炮仗花种子",
    "knifesharpener",
    "car battery charger",
    "甲醛清除剂",
    "不锈钢瓶",  # a steel bottle, not a gas cylinder (钢瓶)
    "汽车消声器",  # a car's muffler, not a gun's silencer
    "病原体检测试剂盒",
    # real words one letter from a banned term are not misspellings of it
    "ballet shoes",
    "digger toy",
    "patrol car toy",
    "heroic figure",
    "tungsten carbide ring",
    "landline phone",
    "T恤，电池盒",  # 恤 sounds like 蓄, but a variant never spans two items
    "玩具 1件",  # 件 sounds like 剑, but a quantity stands between
    "大码T恤",  # sounds like 大麻 in another tone, and is not an item of its own
    "LG 2台",  # two letters without a unit of a banned kind
    "coke 12 cans",
    "snow boots 2 pairs",
    "冰袋 2个",
    "猫薄荷草 10g",  # 草 ends a longer word
    "狗粮 2袋",
    "t-shirt x2, e-book reader",
    "fake plants",
    "faux fur coat",
    "passport copy",
    "假发 2个",  # a wig
    "象牙果纽扣 (植物) 2包",  # tagua nut buttons
    "Guns, Germs and Steel (book)",
    "gunpowder green tea",
    "虎皮鸡蛋 (卤味) 2件",
    "exhaust silencer (motorcycle)",
    "bread knife x2",
    "3d glasses",  # leet in short words counts only for terms of four letters or more
    "15d tour package",
    "4k tv, 5g router",
    "xbox360",
    "高仿真花 2束",  # high-fidelity artificial flowers, not 高仿
    "iphone 15 x2",
    "假币检测笔",  # a counterfeit-note detector pen
    "Nike replica jersey",
    "假牙 1副",  # dentures
    "冰淇淋 5盒",
    "豆子 2斤",
    "coke zero 24 cans",
    "chopper 2把",
    # goods whose names hold a banned word, cleared by an exclusion phrase
    "象牙芒 5斤",  # a mango cultivar
    "硫磺皂 3块",  # sulphur soap
    "knife-pleat skirt",
    "shotgun microphone, 2",
    "empty ammo can storage box",
    "5 x Guns, Germs, and Steel (paperback)",
    "监听耳机",  # studio headphones
    "防偷拍检测器",  # a detector of hidden cameras
    "gunmetal watch strap 2盒",
]


@pytest.mark.parametrize("text", NEVER_REFUSED)
def test_look_alikes_are_never_refused(text: str) -> None:
    assert _decide(text).decision != "refuse", text


@pytest.mark.parametrize("text", CLEARED)
def test_look_alikes_are_cleared(text: str) -> None:
    decision = _decide(text)
    assert decision.decision == "cleared", (text, decision.reason)


def test_initials_need_an_item_of_their_own_or_a_quantity() -> None:
    assert _decide("hly 5g").decision == "inspect"
    assert _decide("2 pcs hly").decision == "inspect"
    assert _decide("hly speaker").decision == "cleared"
    assert _decide("hly123").decision == "cleared"  # a model code


def test_two_letter_initials_need_a_unit_of_the_kind_or_an_entry_of_their_own() -> None:
    assert _decide("zd 50发").decision == "inspect"
    assert _decide("zd speaker 50个").decision == "cleared"
    assert _decide("dm 28克").decision == "inspect"
    assert _decide("dm cable 28件").decision == "cleared"
    assert _decide("zd 50发", evasions=ALL_EVASIONS - {"initials"}).decision == "cleared"
    # two letters that are all of their entry besides a label, a count and a price
    for text in ("1. ZD x4 ¥99", "品名：DY；数量：4；申报价值：88元", "3x YP (¥120)", "LS x1"):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"initials"}).decision == "cleared"
    # ... but not letters that name goods or a brand (HP x1), nor an entry without a count
    for text in ("HP x1", "TV x1", "zd", "LG 2台"):
        assert _decide(text).decision == "cleared", text


def test_letters_before_a_code_number_are_not_initials() -> None:
    """A customs line names its tariff heading (HS 8518.22): 'hs' is also the initials of
    黄书, and the line is an entry of its own with a number, so without the code rule it
    would be read as initials."""
    line = "1; HS 8518.22; mini bluetooth speaker; qty 1; USD 64.99"
    assert _decide(line).decision == "cleared"
    assert _decide("GB 2760.1; 食品添加剂标准 1本").decision == "cleared"
    assert _decide("1; HS x2; USD 20").decision == "inspect"  # a count, not a code
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parcels, "_CODE_AFTER", re.compile(r"(?!)"))
        assert _decide(line).decision == "inspect"


def test_han_terms_with_some_characters_as_initials() -> None:
    for text, item_id in (
        ("冰d 数量 2", "NA-001"),
        ("窃tq*5", "EP-001"),
        ("匕s (¥299)", "KN-001"),
        ("吗f；数量：1", "NA-001"),
        ("猎q x1", "FA-001"),
    ):
        decision = _decide(text)
        assert item_id in {m.item_id for m in decision.matches}, text
        assert _decide(text, evasions=ALL_EVASIONS - {"initials"}).decision == "cleared"
    # a size after a size word, a count before a Han word, a model code
    for text in ("羽绒服 大M", "T恤 大M码", "3 x 粉底液 (水)", "小米手环8 NFC版"):
        assert _decide(text).decision == "cleared", text


def test_gun_street_names_need_what_a_gun_fires_or_holds() -> None:
    for text in (
        "heater + 50 rds",
        "strap with 2 mags",
        "chopper with drum",
        "toolie 40cal",
        "单喷 一把*4",
        "双喷 配 狗粮*3",
        "狗 一把 + 狗粮 50颗",
        "狗粮 .177 500发",
    ):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"slang"}).decision == "cleared", text
    for text in ("gunmetal watch strap 2盒", "chopper 2 pcs", "狗 一只", "铁锅 一把", "狗粮 5kg"):
        assert _decide(text).decision == "cleared", text


def test_drug_street_names_need_a_unit_or_the_form_sold() -> None:
    for text in (
        "charlie 7g",
        "blues M30 100ct",
        "meow meow 10g",
        "喵喵 5g x4",
        "crystal shards 7g",
        "娜塔莎 烟油 2瓶",
        "小树枝 烟弹 3个",
    ):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"slang"}).decision == "cleared", text
    for text in ("granola bars 12ct", "blues guitar strings", "ice cube tray x2", "Charlie 50ml"):
        assert _decide(text).decision == "cleared", text


TELLTALES = [
    ("plant food white powder 5g (not for plants)", "NA-007"),
    ("herbal incense 10g legal high", "NA-007"),
    ("sleepy water colourless tasteless", "NA-003"),
    ("无色无味 助眠水 喝了就睡 5件", "NA-003"),
    ("novelty banknotes, pass pen test", "CU-003"),
    ("novelty ID, scannable, any state", "CU-004"),
    ("self-defence flashlight 50,000kV", "KN-005"),
    ("户外防身神器 (高压脉冲 可充电)*10", "KN-005"),
    ("oil filter adapter for 9mm barrel", "FA-002"),
    ("纽扣造型 无线摄像头 隐蔽 x1", "EP-002"),
    ("听音器 免安装 放车里", "EP-002"),
    ("92# 20L 塑料桶装", "FL-001"),
    ("1000-shot roll", "EX-002"),
]


@pytest.mark.parametrize(("text", "item_id"), TELLTALES)
def test_euphemisms_are_inspected_only_with_their_step(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", (text, decision.reason)
    assert item_id in {m.item_id for m in decision.matches}
    without = _decide(text, evasions=ALL_EVASIONS - {"euphemism"})
    assert without.decision == "cleared", without.reason


@pytest.mark.parametrize(
    "text",
    [
        "远程监控摄像头 x1",  # a home security camera
        "小米摄像头 家用",
        "LED flashlight 1000 lumens",
        "not for resale",
        "research notebook A5",
        "barrel bag 40L",
        "92号 铅笔",
        "100-shot glass set",
    ],
)
def test_euphemism_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", text


def test_export_bans_named_by_two_words() -> None:
    for text in (
        "机密级 文件*2",
        "1x 绝密资料 (¥35)",
        "未经检疫 生肉*4",
        "疫区 生猪肉 3件",
        "2 x uninspected raw meat @ $480",
        "raw pork from ASF-affected area - qty 5",
        "top secret files x2",
    ):
        decision = _decide(text)
        assert decision.decision == "refuse" and "XB-001" in {m.item_id for m in decision.matches}
    for text in ("机密笔记本", "猪肉脯", "classified ads magazine", "检疫合格 猪肉", "raw meat"):
        assert _decide(text).decision == "cleared", text


def test_chinese_exclusions_hold_when_the_words_are_spaced() -> None:
    assert _decide("天津 大麻花 礼盒").decision == "cleared"
    assert _decide("天津大麻花").decision == "cleared"
    assert _decide("大麻花 10g").decision == "refuse"


def test_everyday_street_names_need_a_unit_of_the_kind() -> None:
    """Slang written "?name" in the catalogue counts only with a unit of its kind; without
    that gate, snow boots would go to inspection."""
    assert _decide("snow 7g").decision == "inspect"
    assert _decide("snow boots").decision == "cleared"
    bare = load_catalogue()
    item = bare.items["NA-001"]
    bare.add_item(dataclasses.replace(item, slang=tuple(s.lstrip("?") for s in item.slang)))
    assert screen_parcel(bare, "snow boots", True, on=DAY).decision == "inspect"


def test_homophones_in_another_tone_are_not_words_and_stand_alone() -> None:
    assert _decide("大嘛 x1").decision == "inspect"
    assert _decide("大码T恤").decision == "cleared"  # not an item of its own
    assert _decide("大妈围裙").decision == "cleared"  # 大妈 is a word


def test_replicas_the_annex_bans_stay_refused() -> None:
    """REPLICA lowers a weapon in a toy or model item to inspection, but not a replica
    itself: 仿真枪 is what the annex bans (一、枪支（含仿制品）)."""
    assert _decide("仿真手枪一把 toy?").decision == "refuse"
    assert _decide("1/6 figure rifle accessory").decision == "inspect"


def test_forgeries_need_a_currency_a_document_or_a_brand() -> None:
    for text in ("fake plants", "faux fur coat", "fake eyelashes", "replica jersey"):
        assert _decide(text).decision == "cleared", text
    assert _decide("fake 100 yuan notes").decision == "inspect"
    assert _decide("fake 100 yuan notes", evasions=ALL_EVASIONS - {"counterfeit"}).decision == (
        "cleared"
    )


# The catalogue names the items of every annex category that senders write, each citing
# its category (one or more per category).
CATALOGUE_ITEMS = [
    ("firing pin", "FA-005"),
    ("bolt carrier group", "FA-005"),
    ("gun silencer", "FA-005"),
    ("撞针 2个", "FA-005"),
    ("开刃武士刀", "KN-004"),
    ("zombie knife", "KN-004"),
    ("引信", "EX-003"),
    ("blasting caps", "EX-003"),
    ("fire extinguisher", "GA-002"),
    ("灭火器", "GA-002"),
    ("CO2 cylinder", "GA-002"),
    ("oxygen tank", "GA-002"),
    ("nitrogen cylinder", "GA-002"),
    ("hydrogen cylinder", "GA-002"),
    ("whipped cream chargers", "GA-002"),
    ("笑气弹 1箱", "GA-002"),
    ("toluene", "FL-003"),
    ("magnesium ribbon", "FL-004"),
    ("sodium nitrate", "OX-002"),
    ("ricin", "TX-002"),
    ("病原体", "BI-002"),
    ("uranium ore", "RA-002"),
    ("铀矿石", "RA-002"),
    ("wet cell battery", "CO-002"),
    ("铅酸蓄电池", "CO-002"),
    ("codeine syrup", "NA-003"),
    ("迷幻蘑菇", "NA-003"),
    ("crack pipe", "NA-004"),
    ("法轮功传单", "PB-002"),
    ("reactionary leaflets", "PB-002"),
    ("假车牌", "CU-002"),
    ("fake license plate", "CU-002"),
    ("伪造印章", "CU-002"),
    ("fake marriage certificate", "CU-002"),
    ("spy pen", "EP-002"),
    ("纽扣摄像头", "EP-002"),
    ("elephant tusk", "EN-002"),
]


CATALOGUE_ITEMS += [
    ("kratom x3", "NA-006"),
    ("2C-B 数量:2", "NA-006"),
    ("diazepam", "NA-007"),
    ("signal flares x3", "EX-006"),
    ("烟雾弹 2盒", "EX-006"),
    ("使用过的针头x5", "BI-003"),
    ("hornbill casque", "EN-003"),
    ("虎骨酒 2瓶", "EN-003"),
    ("手机监听器x2", "EP-003"),
    ("hidden pinhole camera", "EP-003"),
    ("伪基站", "EP-003"),
    ("seditious pamphlets - qty 2", "PB-003"),
    ("反动宣传册 x5", "PB-003"),
    ("催泪喷射器x1", "KN-005"),
    ("桐油 1桶", "FL-005"),
    ("rifle primers", "FA-007"),
    ("高仿包", "IP-002"),
    ("伪造人民币 2套", "CU-003"),
    ("假驾驶证", "CU-004"),
    ("镪水 数量:2", "CO-001"),
    ("灰锰氧", "OX-001"),
    # the annex's own words (九: 动物器官、未经硝制的兽皮、未经药制的兽骨) and trade names
    ("未经硝制的兽皮 x1", "BI-001"),
    ("未经药制的兽骨", "BI-001"),
    ("animal organs x5", "BI-001"),
    ("GSM 监听器*3", "EP-002"),
    ("偷拍 摄像笔 x2", "EP-002"),
    ("淫穢光碟 ×1", "PB-001"),
    ("盗版书籍*10", "IP-001"),
    ("假冒化妆品*5", "IP-001"),
    ("海龟标本 4件", "EN-002"),
    ("鲮鲤甲 (炮制) 500g", "EN-002"),
    ("发令纸 x4", "EX-002"),
    ("冷焰火", "EX-002"),
    ("throwing stars, 6", "KN-001"),
    ("1 x tazer", "KN-002"),
    ("oil-based paint x1", "FL-005"),
    ("杀虫气雾剂 x6", "PF-001"),
]


@pytest.mark.parametrize(("text", "item_id"), CATALOGUE_ITEMS)
def test_catalogue_names_what_senders_write(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision != "cleared", text
    assert item_id in {m.item_id for m in decision.matches}, decision.reason


def _rows() -> list[dict[str, str]]:
    text = resources.files("vigil.screening").joinpath("data/banned_items.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_annex_category_is_catalogued_and_cited_exactly() -> None:
    cited = set()
    for row in _rows():
        reference = row["legal_reference"]
        if reference.startswith(ANNEX):
            title = next(
                (t for t in ANNEX_CATEGORIES if reference[len(ANNEX) :].startswith(t)), None
            )
            assert title is not None, (row["item_id"], reference)
            cited.add(title)
            assert row["citation_check"].startswith("checked"), row["item_id"]
        else:  # outside the annex: the CSV says it was not verified
            assert row["citation_check"].startswith("not verified"), row["item_id"]
    assert cited == set(ANNEX_CATEGORIES)


@pytest.mark.parametrize("text", ["glue gun", "massage gun", "nail gun", "staple gun"])
def test_tool_guns_are_cleared_by_the_exclusion_or_the_tool_rule(text: str) -> None:
    """Tool guns are cleared twice over: by FA-004's exclusion phrases and by the TOOL
    rule. Either alone clears them; with both removed they go to inspection."""
    no_tool = tuple(rule for rule in CONTEXT_RULES if rule.rule_id != "TOOL")
    assert _decide(text).decision == "cleared"
    assert _decide(text, rules=no_tool).decision == "cleared"  # the exclusion alone
    bare = load_catalogue()
    bare.add_item(dataclasses.replace(bare.items["FA-004"], exclusions=()))
    assert screen_parcel(bare, text, True, on=DAY).decision == "cleared"  # the rule alone
    assert screen_parcel(bare, text, True, on=DAY, rules=no_tool).decision == "inspect"
