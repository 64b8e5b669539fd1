"""Acceptance 4 for #23's families of rules: each rule finds its case, and without it (its
evasion step off, or its context rule left out) the outcome differs. Look-alikes that
share a word with a rule stay cleared."""

from __future__ import annotations

import pytest

from tests.screening.parcel_cases import decide as _decide
from tests.screening.parcel_cases import items as _items
from vigil.screening.parcel_context import CONTEXT_RULES
from vigil.screening.parcel_evasion import ALL_EVASIONS, unleet

# euphemism families: (declaration, item) — each a pair of cues, neither enough alone
EUPHEMISM_PAIRS = [
    ("white powder, you know the kind x2", "NA-001"),  # a form and a wink
    ("晒干的叶子 懂的来 一份", "NA-001"),
    ("dried herb for 420 x1", "NA-001"),  # herb and a smoking use
    ("自家晒的干草 抽的那种", "NA-001"),
    ("贴纸 20张 舔的那种", "NA-001"),  # blotter and licking
    ("小药片 10粒 蹦迪用", "NA-001"),  # a pill and clubbing
    ("party dust 2 bags", "NA-001"),
    ("白色粉末 提神用的", "NA-001"),  # a white powder and a stimulant's use
    ("道具钞票 花得出去的", "CU-003"),  # money that passes for real
    ("play money that actually spends x100", "CU-003"),
    ("驾照 跟真的一样 一本", "CU-004"),  # papers that pass for real
    ("company seal same as the real one", "CU-004"),
    ("能让盖革计数器叫的石头", "RA-002"),  # sets off a Geiger counter
    ("rock that makes a geiger counter click", "RA-002"),
    ("春节放响的 一箱", "EX-002"),  # a festival and a bang
    ("stuff that goes boom for the wedding", "EX-002"),
    ("狩猎用 分体 长家伙", "FA-001"),  # for hunting, long or coming apart
    ("hunting long one, takedown", "FA-001"),
    ("能偷听邻居的小东西", "EP-002"),  # hears next door
    ("button-sized recorder x1", "EP-002"),
    ("防身 电人的小手电", "KN-005"),  # self-defence and a shock
    ("派对 开心药丸 50粒", "NA-001"),  # pills for a party
    ("带血槽 户外刀 x2", "KN-001"),  # a knife with a controlled knife's feature
    ("老虎骨头 2根", "EN-001"),  # an endangered animal's part in plain words
    ("elephant teeth carving", "EN-001"),
]


@pytest.mark.parametrize(("text", "item_id"), EUPHEMISM_PAIRS)
def test_euphemism_pairs_are_inspected_only_with_their_step(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert item_id in {m.item_id for m in decision.matches}
    assert _decide(text, evasions=ALL_EVASIONS - {"euphemism"}).decision == "cleared"


# one cue of a pair alone, or the cue next to something ordinary
EUPHEMISM_LOOK_ALIKES = [
    "咖啡粉 提神用的 x2",  # a stimulant's use on coffee
    "white powder blush",
    "party supplies, birthday candy x2",
    "粉色气球 蹦迪用",  # 粉 of 粉色 is a colour
    "蓝牙音响 新年礼物",  # 响 of 音响 is a speaker
    "新年 贺卡 x5",
    "大象牙刷 2支",  # a toothbrush with an elephant on it
    "elephant toothpaste kit",  # a science kit
    "老虎钳 1把",  # pliers
    "虎皮鹦鹉 饲料",  # budgerigar feed
    "hunting jacket x1",
    "钥匙 一模一样 配两把",  # keys cut alike, no document
    "身份证 卡套 x2",
    "geiger counter x1",  # the detector itself
    "邮票 10张 集邮册",
    "dried herbs for cooking",
    "打击假冒伪劣 宣传册",
    "shock absorber x2",
    "派对 糖果 2袋",  # party sweets
    "锁定 刀架 x1",  # a knife rack
    "双刃剃须刀 x1",  # a safety razor
]


@pytest.mark.parametrize("text", EUPHEMISM_LOOK_ALIKES)
def test_euphemism_look_alikes_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


COUNTERFEIT_GOODS = [
    ("假冒伪劣 婴儿奶粉", "IP-002"),  # 假冒伪劣 names counterfeit goods by itself
    ("伪劣 电池 10个", "IP-002"),
    ("假冒毛台 x3", "IP-002"),  # a brand written by its sound after a forgery word
    ("假冒耐可鞋 2双", "IP-002"),
    ("jiamaomaotai x5", "IP-002"),  # the pair in pinyin
    ("jia mao nai ke xie - qty 2", "IP-002"),
]


@pytest.mark.parametrize(("text", "item_id"), COUNTERFEIT_GOODS)
def test_counterfeit_goods_are_inspected_only_with_their_step(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect" and item_id in _items(text), decision.reason
    assert _decide(text, evasions=ALL_EVASIONS - {"counterfeit"}).decision == "cleared"


@pytest.mark.parametrize(
    "text", ["茅台 2瓶", "毛台 x2", "耐可 1个", "maotai x2", "打击假冒伪劣 宣传册", "防伪劣 标签"]
)
def test_brands_alone_are_not_counterfeit(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("色情DVD 一个", "PB-001"),
        ("淫秽 视频 光盘 x3", "PB-001"),
        ("porno videos x2", "PB-001"),
        ("盗版 教材 3本", "IP-001"),
        ("pirated video games x4", "IP-001"),
    ],
)
def test_obscene_and_pirated_media_by_marker_and_format(text: str, item_id: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect" and item_id in _items(text), decision.reason


@pytest.mark.parametrize("text", ["DVD player x1", "色情 举报 宣传单", "pirate costume DVD"])
def test_media_without_a_marker_is_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


def test_homophones_stand_alone_before_a_count_in_words_or_a_column() -> None:
    for text in ("雅片 两个", "大嘛 一份", "抢支 一个", "2\tHS 9505.90\t雅片\tqty 6"):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"homophone"}).decision == "cleared"
    assert _decide("大码T恤 一件").decision == "cleared"  # part of a longer word


def test_two_initials_alone_with_a_count_in_words_or_a_weight() -> None:
    for text in ("1. DY 两包 ×4 ￥56.50", "送：lq x2", "5 | HS 9999.00 | zd 200g | qty 3"):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"initials"}).decision == "cleared"
    # letters beside other words, and two letters that name goods, stay cleared
    for text in ("DY 充电器 两个", "HP 一套", "2\tHS 4911.99\tLG 一套\tqty 3"):
        assert _decide(text).decision == "cleared", text


def test_ones_and_bangs_read_as_i_or_l_to_make_a_term() -> None:
    for text in ("r1f1e x1", "r!f13"):
        decision = _decide(text)
        assert decision.decision == "inspect" and "FA-001" in _items(text), text
        assert _decide(text, evasions=ALL_EVASIONS - {"leet"}).decision == "cleared"
    words = frozenset({"rifle"})
    assert unleet("r1f1e b1ll", words=words) == "rifle bill"  # only what makes a term
    assert len(unleet("r!f13", words=words)) == len("r!f13")


def test_a_misspelt_plural_is_read_as_a_misspelt_singular() -> None:
    decision = _decide("detonaters x2")
    assert decision.decision == "inspect" and decision.matches[0].kind == "misspelling"


def test_a_term_of_several_words_never_spans_a_line_or_chinese_text() -> None:
    text = "茶叶 250g\n儿童牛仔裤 一份\npowder blush compact 两个"
    assert _decide(text).decision == "cleared", _decide(text).reason
    assert _decide("k powder 2g").decision == "inspect"  # on one line it is found


def _without(rule_id: str):  # type: ignore[no-untyped-def]
    return tuple(r for r in CONTEXT_RULES if r.rule_id != rule_id)


def test_a_colour_before_a_fabric_and_a_garment() -> None:
    text = "烟花紫 缎面连衣裙 x2"
    assert _decide(text).decision == "cleared"
    assert _decide(text, rules=_without("COLOURED_GOODS")).decision == "refuse"
    assert _decide("烟花 2箱").decision == "refuse"


def test_a_history_book_title_on_its_own_line() -> None:
    text = "The Opium War (history book) x2"
    assert _decide(text).decision == "cleared"
    assert _decide(text, rules=_without("MEDIA_TITLE")).decision == "refuse"
    # a format on the next line is another item, not a title
    assert _decide("white phosphorus - qty 3\npicture book x5").decision == "refuse"


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("电击棒 x1", "KN-002"),
        ("电鸡棒 x1", "KN-002"),  # same sound
        ("blasting fuse 一个", "EX-001"),
        ("blastingfuse x1", "EX-001"),
        ("raw animal hides 一件", "BI-001"),
    ],
)
def test_catalogue_names_added_this_round(text: str, item_id: str) -> None:
    assert _decide(text).decision != "cleared" and item_id in _items(text)


def test_a_fish_named_after_opium_is_excluded() -> None:
    assert _decide("鸦片鱼头 (冷冻) 2个").decision == "cleared"
    assert _decide("鸦片 5g").decision == "refuse"


def test_a_term_of_letters_and_digits_run_together() -> None:
    text = "1 x 9mmRounds"
    decision = _decide(text)
    assert decision.decision == "inspect" and "FA-003" in _items(text)
    assert _decide(text, evasions=ALL_EVASIONS - {"split_join"}).decision == "cleared"
    assert _decide("2 x 12345 67890").decision == "cleared"  # digits alone are no term


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("grenaid x2", "grenade"),
        ("2 x anthracks", "anthrax"),
        ("bayonette - qty 5", "bayonet"),
        ("acetoon - qty 5", "acetone"),
        ("pistl - qty 10", "pistol"),  # five letters: two edits at most
    ],
)
def test_terms_misspelt_by_sound(text: str, term: str) -> None:
    decision = _decide(text)
    assert decision.decision == "inspect", decision.reason
    assert [(m.term, m.kind) for m in decision.matches] == [(term, "misspelling")]


@pytest.mark.parametrize(
    "text", ["Benetton shirt", "bonita x1", "granada map", "xiangjiao x2", "pesto 2 jars"]
)
def test_words_that_only_share_consonants_are_cleared(text: str) -> None:
    assert _decide(text).decision == "cleared", _decide(text).reason


def test_a_gun_street_name_with_a_claim_that_it_fires_or_cannot_be_traced() -> None:
    for text in ("1 x burner, clean, no bodies @ $19.9", "家伙事儿 一套 (能打响) 3件"):
        assert _decide(text).decision == "inspect", text
        assert _decide(text, evasions=ALL_EVASIONS - {"slang"}).decision == "cleared"
    assert _decide("gas burner, clean x1").decision == "cleared"
