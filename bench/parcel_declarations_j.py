"""Evaluation set J: labelled parcel declarations, written apart from the matcher.

What a sender writes in the contents field of a Chinese courier waybill: Chinese, English,
pinyin and mixtures, with quantities, units, shop names and the odd remark. Each declaration
is labelled with whether it should be inspected or refused under the catalogue annexed to
《禁止寄递物品管理规定》 (`banned`) and with why (`label`):

- `plain:<category>`   a prohibited item named plainly (Chinese, English or both);
- `evasion:<technique>` a prohibited item disguised the way senders do it (pinyin, homophones,
  split characters, code words, formulas, CAS numbers, emoji, ...), still recognisable to a
  trained inspector;
- `lookalike:<class>`  a harmless item whose name shares words or shapes with prohibited ones
  (gunmetal colours, massage guns, bath bombs, Guns, Germs, and Steel, kitchen knives, ...);
- `harmless:<class>`   an ordinary parcel.

This module was written without reading the screening code, its tests, its catalogue data or
the other declaration generators: it measures how the matcher generalises to a writer it has
never seen. Items whose status is unclear (lighters, aerosols, perfume, liquor, nail polish,
GPS trackers, butterfly knives, gel blasters) are left out on both sides rather than guessed.

Balance: 45 % banned (40 % of those plain, 60 % evasions), and the rest 45 % look-alikes and
55 % ordinary parcels; each label within its group gets an equal share. Output is fixed for
(n, seed) given the installed Faker, pypinyin and OpenCC versions.

    .venv/bin/python bench/parcel_declarations_j.py [--n 6000] [--seed 1] [--check]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import opencc
from faker import Faker
from pypinyin import Style, lazy_pinyin

__all__ = ["Declaration", "generate", "main"]

BANNED_SHARE = 0.45
PLAIN_SHARE_OF_BANNED = 0.4
LOOKALIKE_SHARE_OF_HARMLESS = 0.45


@dataclass(frozen=True)
class Declaration:
    text: str
    banned: bool
    label: str


@dataclass(frozen=True)
class _Item:
    """A prohibited item and the ways senders write it."""

    category: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    unit: str  # a Chinese measure word, or "g" (by mass) or "ml" (by volume)
    slang: tuple[str, ...] = ()
    emoji: str = ""
    formula: str = ""
    cas: str = ""
    models: tuple[str, ...] = ()
    disguise: tuple[str, ...] = ()
    abbrev: tuple[str, ...] = ()


def _i(category: str, zh: str, en: str, unit: str, **extra: object) -> _Item:
    def split(value: object) -> tuple[str, ...]:
        return tuple(str(value).split("|")) if value else ()

    return _Item(
        category=category,
        zh=split(zh),
        en=split(en),
        unit=unit,
        slang=split(extra.get("slang")),
        emoji=str(extra.get("emoji", "")),
        formula=str(extra.get("formula", "")),
        cas=str(extra.get("cas", "")),
        models=split(extra.get("models")),
        disguise=split(extra.get("disguise")),
        abbrev=split(extra.get("abbrev")),
    )


# Prohibited items, by catalogue category. Alternatives are separated by "|".
# fmt: off
_BANNED_ITEMS: tuple[_Item, ...] = (
    # guns, replicas and main parts
    _i("firearm", "手枪|仿真手枪", "handgun|pistol", "把", emoji="🔫",
       models="格洛克17|M1911|五四式|92式|沙漠之鹰", slang="短狗|黑星"),
    _i("firearm", "气枪|PCP气枪", "air rifle|PCP air gun", "支", slang="打鸟神器|气狗"),
    _i("firearm", "猎枪|双管猎枪", "shotgun|hunting gun", "支", emoji="🔫",
       models="雷明顿870|莫斯伯格500", slang="喷子|长狗"),
    _i("firearm", "仿真枪|全金属仿真枪", "replica gun|metal replica pistol", "把",
       disguise="合金模型（可发射钢珠）|金属拼装玩具（能打弹）"),
    _i("firearm", "钢珠枪", "BB gun|steel ball gun", "把", slang="钢珠狗"),
    _i("firearm", "火药枪|土枪", "black powder gun|homemade gun", "支"),
    _i("firearm", "枪管", "gun barrel", "根", models="AK47枪管|9mm枪管"),
    _i("firearm", "撞针", "firing pin", "个"),
    _i("firearm", "弹匣|弹夹", "gun magazine", "个", models="AK47弹匣|格洛克弹匣"),
    # ammunition
    _i("ammunition", "子弹|实弹", "bullets|live ammunition|cartridges", "发",
       models=".22LR|9mm帕拉贝鲁姆弹|7.62×39|.45ACP", slang="花生米|狗粮（子弹）"),
    _i("ammunition", "霰弹|猎枪子弹", "shotgun shells", "盒", models="12号霰弹|12GA"),
    _i("ammunition", "铅弹|气枪铅弹", "airgun pellets|lead pellets", "盒",
       models="5.5mm铅弹|4.5mm铅弹"),
    _i("ammunition", "空包弹", "blank cartridges", "盒"),
    _i("ammunition", "底火|弹药底火", "primers|ammunition primers", "盒"),
    # controlled knives
    _i("controlled_knife", "匕首|双刃匕首", "dagger|double-edged dagger", "把", emoji="🗡️",
       models="M9匕首|战术匕首"),
    _i("controlled_knife", "三棱刮刀|三棱刀", "triangular blade", "把", slang="放血刀"),
    _i("controlled_knife", "弹簧刀|自锁弹簧刀", "switchblade|spring-loaded knife", "把",
       slang="跳刀"),
    _i("controlled_knife", "军刺", "bayonet|military bayonet", "把", models="56式军刺"),
    _i("controlled_knife", "开刃武士刀|开刃日本刀", "sharpened katana", "把",
       disguise="收藏刀剑（已开刃）"),
    _i("controlled_knife", "开刃长剑|开刃龙泉剑", "sharpened longsword", "把"),
    # other controlled instruments
    _i("controlled_instrument", "弩|复合弩|手弩", "crossbow|compound crossbow", "把",
       disguise="钓鱼器材（弓弩）|户外射鱼器", slang="弓弩"),
    _i("controlled_instrument", "弩箭", "crossbow bolts", "支"),
    _i("controlled_instrument", "电击器|高压电击棒", "stun gun|electroshock baton", "个",
       emoji="⚡", slang="防身电棍"),
    _i("controlled_instrument", "催泪器|催泪枪", "tear gas launcher", "个"),
    _i("controlled_instrument", "电警棍", "electric police baton", "根"),
    # explosives
    _i("explosive", "炸药|三硝基甲苯|TNT炸药", "explosives|TNT", "g", emoji="💣",
       formula="C7H5N3O6", cas="118-96-7", abbrev="TNT"),
    _i("explosive", "雷管|电子雷管", "detonators|blasting caps", "枚", emoji="💥"),
    _i("explosive", "导火索", "safety fuse|detonating cord", "米"),
    _i("explosive", "黑火药", "black powder|gunpowder", "g", slang="黑药"),
    _i("explosive", "硝铵炸药", "ammonium nitrate explosive", "g"),
    _i("explosive", "乳化炸药", "emulsion explosive", "g"),
    _i("explosive", "手榴弹|手雷（实弹）", "live hand grenade", "枚", emoji="💣"),
    # fireworks
    _i("fireworks", "烟花|烟花爆竹", "fireworks", "箱", emoji="🎆",
       models="加特林烟花|36发组合烟花"),
    _i("fireworks", "鞭炮|炮仗", "firecrackers", "挂", emoji="🧨", slang="大地红"),
    _i("fireworks", "礼花弹", "aerial firework shells", "个", emoji="🎇"),
    _i("fireworks", "摔炮", "snap pops|bang snaps", "盒"),
    _i("fireworks", "擦炮", "match crackers", "盒"),
    _i("fireworks", "仙女棒|手持烟花", "sparklers", "盒", emoji="🎇"),
    _i("fireworks", "冷焰火", "cold spark fireworks", "箱"),
    # compressed and liquefied gases
    _i("compressed_gas", "丁烷气罐|丁烷气", "butane canister", "罐", formula="C4H10",
       cas="106-97-8"),
    _i("compressed_gas", "液化石油气罐|液化气罐", "LPG cylinder", "个", abbrev="LPG"),
    _i("compressed_gas", "氧气瓶（满瓶）|医用氧气瓶（满瓶）", "full oxygen cylinder", "个"),
    _i("compressed_gas", "氢气瓶", "hydrogen cylinder", "个", cas="1333-74-0"),
    _i("compressed_gas", "打火机充气罐|打火机气", "lighter gas refill", "罐"),
    _i("compressed_gas", "笑气|一氧化二氮", "nitrous oxide|laughing gas", "瓶", formula="N2O",
       cas="10024-97-2", slang="奶油气弹（笑气）|嗨气", emoji="🎈"),
    _i("compressed_gas", "氦气罐|气球氦气瓶", "helium balloon tank", "罐"),
    _i("compressed_gas", "灭火器", "fire extinguisher", "个", emoji="🧯"),
    _i("compressed_gas", "卡式炉气罐", "portable stove gas canister", "罐"),
    _i("compressed_gas", "二氧化碳气瓶", "CO2 cylinder", "个", formula="CO2"),
    # flammable liquids
    _i("flammable_liquid", "汽油|92号汽油", "petrol|gasoline", "ml", emoji="⛽", cas="8006-61-9"),
    _i("flammable_liquid", "柴油", "diesel fuel", "ml"),
    _i("flammable_liquid", "煤油|航空煤油", "kerosene", "ml"),
    _i("flammable_liquid", "工业酒精|95%酒精", "industrial alcohol|95% ethanol", "ml",
       formula="C2H5OH"),
    _i("flammable_liquid", "油漆|油性漆", "oil-based paint", "ml"),
    _i("flammable_liquid", "天那水|稀释剂", "paint thinner", "ml", slang="香蕉水"),
    _i("flammable_liquid", "丙酮", "acetone", "ml", formula="CH3COCH3", cas="67-64-1"),
    _i("flammable_liquid", "乙醚", "diethyl ether", "ml", formula="(C2H5)2O", cas="60-29-7"),
    _i("flammable_liquid", "甲醇", "methanol", "ml", formula="CH3OH", cas="67-56-1"),
    _i("flammable_liquid", "打火机油|煤油打火机油", "lighter fluid", "ml", slang="火机油"),
    _i("flammable_liquid", "松节油", "turpentine", "ml"),
    # flammable solids, spontaneously combustible, water-reactive
    _i("flammable_solid", "红磷", "red phosphorus", "g", formula="P", cas="7723-14-0"),
    _i("flammable_solid", "白磷|黄磷", "white phosphorus", "g", formula="P4"),
    _i("flammable_solid", "硫磺|硫磺粉", "sulphur powder", "g", formula="S", cas="7704-34-9"),
    _i("flammable_solid", "镁粉", "magnesium powder", "g", formula="Mg", cas="7439-95-4"),
    _i("flammable_solid", "铝粉", "aluminium powder", "g", formula="Al", cas="7429-90-5"),
    _i("flammable_solid", "金属钠", "sodium metal", "g", formula="Na", cas="7440-23-5"),
    _i("flammable_solid", "电石|碳化钙", "calcium carbide", "g", formula="CaC2", cas="75-20-7"),
    _i("flammable_solid", "火柴", "matches", "盒"),
    _i("flammable_solid", "固体酒精", "solid alcohol fuel", "块"),
    # oxidisers and organic peroxides
    _i("oxidiser", "高锰酸钾", "potassium permanganate", "g", formula="KMnO4", cas="7722-64-7"),
    _i("oxidiser", "氯酸钾", "potassium chlorate", "g", formula="KClO3", cas="3811-04-9"),
    _i("oxidiser", "硝酸铵", "ammonium nitrate", "g", formula="NH4NO3", cas="6484-52-2"),
    _i("oxidiser", "过氧化氢（30%）|30%双氧水", "30% hydrogen peroxide", "ml", formula="H2O2",
       cas="7722-84-1"),
    _i("oxidiser", "过氧乙酸", "peracetic acid", "ml", formula="CH3COOOH", cas="79-21-0"),
    _i("oxidiser", "硝酸钾", "potassium nitrate", "g", formula="KNO3", cas="7757-79-1"),
    _i("oxidiser", "过硫酸铵", "ammonium persulfate", "g", formula="(NH4)2S2O8", cas="7727-54-0"),
    _i("oxidiser", "过氧化钠", "sodium peroxide", "g", formula="Na2O2", cas="1313-60-6"),
    # toxic substances
    _i("toxic", "氰化钾", "potassium cyanide", "g", formula="KCN", cas="151-50-8", emoji="☠️"),
    _i("toxic", "氰化钠", "sodium cyanide", "g", formula="NaCN", cas="143-33-9", emoji="☠️"),
    _i("toxic", "砒霜|三氧化二砷", "arsenic trioxide", "g", formula="As2O3", cas="1327-53-3"),
    _i("toxic", "百草枯", "paraquat", "ml", cas="4685-14-7"),
    _i("toxic", "敌敌畏", "dichlorvos", "ml", cas="62-73-7", abbrev="DDVP"),
    _i("toxic", "毒鼠强|四亚甲基二砜四胺", "tetramine rodenticide", "g", cas="80-12-6",
       slang="没鼠命"),
    _i("toxic", "水银|汞", "mercury", "ml", formula="Hg", cas="7439-97-6"),
    _i("toxic", "氟乙酰胺", "fluoroacetamide", "g", cas="640-19-7"),
    _i("toxic", "甲胺磷", "methamidophos", "ml", cas="10265-92-6"),
    _i("toxic", "氯化汞|升汞", "mercuric chloride", "g", formula="HgCl2", cas="7487-94-7"),
    # infectious substances and medical waste
    _i("infectious", "炭疽杆菌菌种", "Bacillus anthracis culture", "管", emoji="🦠"),
    _i("infectious", "禽流感病毒毒株|病毒毒株", "avian influenza virus strain", "管", emoji="🦠"),
    _i("infectious", "结核杆菌培养物", "tuberculosis culture", "管"),
    _i("infectious", "医疗废物|用过的针头", "medical waste|used needles", "袋"),
    _i("infectious", "感染者血液样本", "infected blood samples", "管"),
    _i("infectious", "活病毒样本", "live virus samples", "管", emoji="🦠"),
    # radioactive material
    _i("radioactive", "铀矿石", "uranium ore", "块", emoji="☢️"),
    _i("radioactive", "钴-60放射源|钴60源", "cobalt-60 source", "个", emoji="☢️", abbrev="Co-60"),
    _i("radioactive", "铯-137放射源", "caesium-137 source", "个", abbrev="Cs-137"),
    _i("radioactive", "镭-226", "radium-226", "个", abbrev="Ra-226"),
    _i("radioactive", "放射性同位素", "radioactive isotopes", "个", emoji="☢️"),
    _i("radioactive", "黄饼|铀浓缩物", "yellowcake|uranium concentrate", "g", formula="U3O8"),
    # corrosives
    _i("corrosive", "硫酸|浓硫酸", "sulphuric acid", "ml", formula="H2SO4", cas="7664-93-9"),
    _i("corrosive", "浓盐酸|盐酸", "hydrochloric acid", "ml", formula="HCl", cas="7647-01-0"),
    _i("corrosive", "硝酸|浓硝酸", "nitric acid", "ml", formula="HNO3", cas="7697-37-2"),
    _i("corrosive", "氢氟酸", "hydrofluoric acid", "ml", formula="HF", cas="7664-39-3"),
    _i("corrosive", "烧碱|氢氧化钠|片碱", "caustic soda|sodium hydroxide", "g", formula="NaOH",
       cas="1310-73-2"),
    _i("corrosive", "王水", "aqua regia", "ml"),
    _i("corrosive", "铅酸蓄电池（含电解液）", "lead-acid battery with acid", "个"),
    _i("corrosive", "冰醋酸", "glacial acetic acid", "ml", formula="CH3COOH", cas="64-19-7"),
    # drugs
    _i("drug", "海洛因|二乙酰吗啡", "heroin", "g", slang="白粉|四号|4号", formula="C21H23NO5",
       cas="561-27-3"),
    _i("drug", "冰毒|甲基苯丙胺", "methamphetamine|crystal meth", "g",
       slang="冰|溜冰|猪肉（冰）|冰砖", emoji="🧊", formula="C10H15N", cas="537-46-2"),
    _i("drug", "摇头丸", "ecstasy|MDMA pills", "粒", slang="糖果（摇头）|蹦丸", emoji="💊",
       abbrev="MDMA"),
    _i("drug", "大麻|四氢大麻酚", "cannabis|marijuana|weed", "g", slang="叶子|飞叶子|草（大麻）",
       emoji="🍁", abbrev="THC"),
    _i("drug", "氯胺酮", "ketamine", "g", slang="K粉|K仔|开心粉", cas="6740-88-1"),
    _i("drug", "可卡因", "cocaine", "g", slang="可卡|雪（可卡因）", formula="C17H21NO4",
       cas="50-36-2"),
    _i("drug", "鸦片", "opium", "g", slang="大烟|福寿膏"),
    _i("drug", "吗啡", "morphine", "g", cas="57-27-2"),
    _i("drug", "芬太尼", "fentanyl", "g", cas="437-38-7"),
    _i("drug", "麻古", "yaba tablets", "粒", slang="马古|红冰"),
    _i("drug", "罂粟壳", "poppy husks|poppy pods", "g", disguise="火锅老汤料（罂粟壳）"),
    _i("drug", "LSD|麦角酸二乙酰胺", "LSD|acid blotters", "张", slang="邮票（LSD）|贴纸（致幻）"),
    _i("drug", "恰特草", "khat", "g", slang="阿拉伯茶（恰特草）"),
    _i("drug", "甲卡西酮", "methcathinone", "g", disguise="浴盐（甲卡西酮）", slang="丧尸药"),
    _i("drug", "合成大麻素", "synthetic cannabinoids", "ml",
       disguise="电子烟油（合成大麻素）|小树枝烟弹", slang="小树枝"),
    _i("drug", "依托咪酯", "etomidate", "ml", disguise="太空油（依托咪酯）|依托咪酯烟弹",
       slang="太空油"),
    _i("drug", "γ-羟丁酸", "GHB", "ml", slang="G水|神仙水（GHB）", abbrev="GHB"),
    # psychotropic medicines sent for improper use
    _i("psychotropic", "三唑仑", "triazolam", "片", slang="迷药|蒙汗药", cas="28911-01-5"),
    _i("psychotropic", "曲马多", "tramadol", "片", cas="27203-92-5"),
    _i("psychotropic", "氟硝西泮", "flunitrazepam|Rohypnol", "片", cas="1622-62-4",
       slang="约会迷药"),
    # precursor chemicals
    _i("precursor", "麻黄碱|麻黄素", "ephedrine", "g", formula="C10H15NO", cas="299-42-3"),
    _i("precursor", "伪麻黄碱", "pseudoephedrine", "g", cas="90-82-4"),
    _i("precursor", "苯基丙酮|1-苯基-2-丙酮", "phenylacetone|P2P", "ml", cas="103-79-7",
       abbrev="P2P"),
    _i("precursor", "醋酸酐", "acetic anhydride", "ml", formula="(CH3CO)2O", cas="108-24-7"),
    _i("precursor", "胡椒醛", "piperonal", "g", cas="120-57-0"),
    _i("precursor", "羟亚胺", "hydroxylimine", "g", slang="K粉原料"),
    _i("precursor", "麻黄草", "ephedra herb", "g"),
    _i("precursor", "邻氯苯基环戊酮", "2-chlorophenyl cyclopentyl ketone", "g", cas="6740-85-8"),
    # drug paraphernalia
    _i("paraphernalia", "冰壶（吸食工具）|溜冰壶", "meth pipe", "个",
       slang="溜冰壶|冰壶套装（吸食）"),
    _i("paraphernalia", "吸毒工具", "drug paraphernalia", "套"),
    _i("paraphernalia", "大麻烟斗|大麻水烟壶", "cannabis pipe|weed bong", "个", emoji="🍁"),
    # counterfeit currency
    _i("counterfeit_currency", "假币|假钞|伪钞", "counterfeit banknotes|fake money", "张",
       emoji="💴", slang="高仿币|一比三（假钞）"),
    _i("counterfeit_currency", "高仿人民币|假人民币", "counterfeit renminbi", "张",
       slang="高仿100面值"),
    _i("counterfeit_currency", "假美元|伪造美元", "counterfeit US dollars", "张", emoji="💵"),
    # forged documents and seals
    _i("forged_document", "假身份证|伪造身份证", "fake ID card", "张", slang="办证（身份证）"),
    _i("forged_document", "伪造公章|私刻公章", "forged official seal", "枚", slang="刻章（公章）"),
    _i("forged_document", "假驾驶证|假驾照", "fake driving licence", "本"),
    _i("forged_document", "假护照|伪造护照", "fake passport", "本"),
    _i("forged_document", "假发票|伪造发票", "forged invoices", "张", slang="代开发票（假票）"),
    _i("forged_document", "假毕业证|伪造学历证书", "fake diploma", "本"),
    _i("forged_document", "伪造房产证", "forged property certificate", "本"),
    # spying equipment
    _i("spy_equipment", "针孔摄像头|针孔摄像机", "pinhole spy camera", "个",
       disguise="充电头造型摄像头（偷拍）|烟雾报警器造型隐藏摄像头"),
    _i("spy_equipment", "窃听器|无线窃听器", "bugging device|GSM listening bug", "个"),
    _i("spy_equipment", "纽扣式偷拍相机", "button spy camera", "个"),
    _i("spy_equipment", "钢笔式偷拍器", "pen spy camera", "支"),
    # illegal publications
    _i("illegal_publication", "淫秽光盘|黄色光碟", "obscene DVDs|porn DVDs", "张",
       slang="成人片光碟（无码）"),
    _i("illegal_publication", "淫秽书刊", "obscene magazines", "本"),
    _i("illegal_publication", "邪教宣传品|邪教传单", "cult propaganda leaflets", "份"),
    _i("illegal_publication", "非法出版物", "illegal publications", "本"),
    # endangered wildlife and products
    _i("endangered_species", "象牙|象牙手串|象牙雕件", "ivory|ivory carving", "件",
       slang="牙料|白料（象牙）", emoji="🐘"),
    _i("endangered_species", "犀牛角|犀角杯", "rhino horn", "件", slang="犀角", emoji="🦏"),
    _i("endangered_species", "穿山甲鳞片|穿山甲片", "pangolin scales", "g",
       slang="甲片（炮山甲）"),
    _i("endangered_species", "虎骨|虎骨酒", "tiger bone", "件", emoji="🐅"),
    _i("endangered_species", "玳瑁|玳瑁手镯", "hawksbill turtle shell", "件"),
    _i("endangered_species", "盔犀鸟头骨", "helmeted hornbill casque", "件",
       slang="鹤顶红（盔犀鸟）"),
    _i("endangered_species", "藏羚羊绒披肩", "shahtoosh shawl", "条", slang="沙图什"),
    _i("endangered_species", "熊掌", "bear paws", "只"),
    _i("endangered_species", "红珊瑚原枝", "precious red coral", "件"),
    # counterfeit goods and pirated media
    _i("counterfeit_goods", "高仿名牌包|高仿LV包", "replica designer handbag", "个",
       slang="A货包|1:1包"),
    _i("counterfeit_goods", "复刻手表|高仿劳力士", "replica Rolex watch", "块",
       slang="复刻表|A货表"),
    _i("counterfeit_goods", "盗版光盘", "pirated DVDs", "张"),
    _i("counterfeit_goods", "假冒耐克运动鞋|高仿名牌鞋", "fake Nike sneakers", "双",
       slang="莆田鞋"),
    _i("counterfeit_goods", "盗版书", "pirated books", "本"),
)
# fmt: on


# Harmless things whose names share words or shapes with prohibited ones: (zh, en, unit).
_LOOKALIKES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "colour": (
        ("枪灰色连帽卫衣", "gunmetal grey hoodie", "件"),
        ("军绿色工装裤", "army green cargo trousers", "条"),
        ("炮铜色手机壳", "gunmetal phone case", "个"),
        ("迷彩双肩包", "camouflage backpack", "个"),
        ("芥末黄针织衫", "mustard yellow cardigan", "件"),
        ("海军蓝衬衫", "navy blue shirt", "件"),
        ("冰蓝色羽绒服", "ice blue down jacket", "件"),
        ("烟灰色围巾", "smoke grey scarf", "条"),
        ("罂粟红连衣裙", "poppy red dress", "条"),
        ("枪黑色金属表带", "gunmetal black watch strap", "条"),
    ),
    "shape": (
        ("子弹头造型圆珠笔", "bullet-shaped ballpoint pen", "支"),
        ("手雷造型开瓶器", "grenade-shaped bottle opener", "个"),
        ("炸弹造型蓝牙音箱", "bomb-shaped bluetooth speaker", "个"),
        ("火箭造型存钱罐", "rocket-shaped piggy bank", "个"),
        ("骷髅头陶瓷烛台", "ceramic skull candle holder", "个"),
        ("宝剑造型塑料书签", "plastic sword bookmark", "个"),
        ("药丸造型抱枕", "pill-shaped cushion", "个"),
        ("子弹头LED手电筒", "bullet LED torch", "个"),
    ),
    "toy_model": (
        ("儿童水枪（透明塑料）", "kids water gun", "把"),
        ("泡泡枪", "bubble gun", "把"),
        ("1:35坦克模型拼装", "1:35 tank model kit", "盒"),
        ("1:72合金战斗机模型", "1:72 diecast fighter jet", "个"),
        ("军舰拼装模型", "warship model kit", "盒"),
        ("仿真水果模型（塑料）", "plastic fruit models", "套"),
        ("发光激光剑玩具", "light sabre toy", "把"),
        ("过家家医生玩具套装", "toy doctor kit", "套"),
        ("火箭发射台积木", "rocket launch pad building blocks", "盒"),
    ),
    "tool": (
        ("热风枪2000W", "2000W heat gun", "把"),
        ("热熔胶枪", "hot glue gun", "把"),
        ("红外测温枪", "infrared thermometer gun", "个"),
        ("无线扫码枪", "wireless barcode scanner", "个"),
        ("筋膜枪", "massage gun", "个"),
        ("洗车水枪", "car wash spray nozzle", "个"),
        ("螺丝刀套装", "screwdriver set", "套"),
        ("美工刀", "utility knife", "把"),
        ("打气筒", "bicycle pump", "个"),
        ("电烙铁", "soldering iron", "把"),
    ),
    "food": (
        ("炸酱面速食", "instant zhajiang noodles", "袋"),
        ("油炸花生米", "fried peanuts", "袋"),
        ("天津大麻花", "Tianjin fried dough twists", "盒"),
        ("老冰糖", "rock sugar", "袋"),
        ("子弹头干辣椒", "dried bullet chillies", "袋"),
        ("跳跳糖", "popping candy", "包"),
        ("爆米花", "popcorn", "桶"),
        ("四川冰粉粉", "Sichuan ice jelly powder", "袋"),
        ("麻辣火锅底料", "spicy hotpot base", "袋"),
        ("雪花酥", "snowflake nougat crisp", "盒"),
        ("可可粉", "cocoa powder", "袋"),
        ("卤料包（八角桂皮）", "braising spice pack", "包"),
        ("糖霜", "icing sugar", "袋"),
    ),
    "cosmetic": (
        ("沐浴球（泡澡炸弹）", "bath bombs", "盒"),
        ("爆水霜", "water burst cream", "瓶"),
        ("子弹头口红", "bullet lipstick", "支"),
        ("冰肌面膜", "cooling sheet masks", "盒"),
        ("硫磺皂", "sulphur soap", "块"),
        ("水杨酸洗面奶", "salicylic acid face wash", "支"),
        ("烟酰胺精华", "niacinamide serum", "瓶"),
        ("氨基酸洗面奶", "amino acid cleanser", "支"),
        ("假睫毛", "false eyelashes", "盒"),
    ),
    "electronics": (
        ("雷蛇游戏鼠标", "Razer gaming mouse", "个"),
        ("ROG枪神游戏本", "ROG Strix gaming laptop", "台"),
        ("雷电4扩展坞", "Thunderbolt 4 dock", "个"),
        ("70-200mm长焦镜头（大炮）", "70-200mm telephoto lens", "个"),
        ("冰刃CPU散热器", "CPU air cooler", "个"),
        ("家用监控摄像头", "home security camera", "个"),
        ("行车记录仪", "dashcam", "个"),
        ("录音笔", "digital voice recorder", "支"),
        ("无线充电器", "wireless charger", "个"),
    ),
    "book_media": (
        ("《枪炮、病菌与钢铁》", "Guns, Germs, and Steel", "本"),
        ("《永别了，武器》", "A Farewell to Arms", "本"),
        ("《杀死一只知更鸟》", "To Kill a Mockingbird", "本"),
        ("《毒木圣经》", "The Poisonwood Bible", "本"),
        ("《炸裂志》", "The Explosion Chronicles", "本"),
        ("《刀锋》毛姆", "The Razor's Edge", "本"),
        ("《子弹笔记》", "The Bullet Journal Method", "本"),
        ("《危险化学品安全手册》", "Hazardous Chemicals Safety Handbook", "本"),
        ("《绝命毒师》正版蓝光套装", "Breaking Bad Blu-ray box set", "套"),
        ("《毒品预防教育读本》", "drug prevention education reader", "本"),
        ("《火药的历史》", "Gunpowder: A History", "本"),
    ),
    "sport": (
        ("冰壶训练石", "curling stone", "个"),
        ("钢头飞镖套装", "steel tip darts set", "套"),
        ("羽毛球拍雷霆80", "badminton racket", "支"),
        ("拳击手套", "boxing gloves", "副"),
        ("充气游泳圈", "inflatable swim ring", "个"),
        ("乒乓球发球机", "table tennis ball launcher", "台"),
        ("子弹头泳镜", "racing swim goggles", "副"),
        ("射箭靶纸", "archery target faces", "张"),
    ),
    "kitchen_knife": (
        ("不锈钢菜刀", "stainless chef's knife", "把"),
        ("陶瓷水果刀", "ceramic fruit knife", "把"),
        ("厨房剪刀", "kitchen scissors", "把"),
        ("削皮刀", "vegetable peeler", "把"),
        ("面包刀", "bread knife", "把"),
        ("砍骨刀", "kitchen cleaver", "把"),
        ("厨房刀具五件套", "kitchen knife block set", "套"),
        ("磨刀石", "whetstone", "块"),
        ("牛排刀", "steak knives", "把"),
    ),
    "household_chemical": (
        ("食盐（氯化钠）", "table salt", "袋"),
        ("小苏打（碳酸氢钠）", "baking soda", "袋"),
        ("柠檬酸除垢剂", "citric acid descaler", "袋"),
        ("酿造白醋", "white rice vinegar", "瓶"),
        ("食用碱", "food grade soda ash", "袋"),
        ("硅胶干燥剂", "silica gel desiccant", "包"),
        ("洗洁精", "dish soap", "瓶"),
        ("蒸馏水", "distilled water", "瓶"),
        ("氯化钾低钠盐", "low sodium salt", "袋"),
        ("洗衣粉", "washing powder", "袋"),
    ),
    "medicine_otc": (
        ("维生素C泡腾片", "vitamin C effervescent tablets", "盒"),
        ("布洛芬缓释胶囊", "ibuprofen capsules", "盒"),
        ("板蓝根颗粒", "banlangen granules", "盒"),
        ("创可贴", "plasters", "盒"),
        ("感冒灵颗粒", "cold remedy granules", "盒"),
        ("医用口罩", "surgical masks", "盒"),
        ("医用棉签", "cotton swabs", "包"),
        ("电子体温计", "digital thermometer", "支"),
        ("益生菌粉", "probiotic powder", "盒"),
    ),
    "fashion_slang": (
        ("爆款连衣裙", "best-selling dress", "条"),
        ("炸街潮牌卫衣", "streetwear hoodie", "件"),
        ("爆炸头假发", "afro wig", "顶"),
        ("毒液联名T恤", "Venom licensed T-shirt", "件"),
        ("火爆同款运动鞋", "trending sneakers", "双"),
        ("真人发假发片", "human hair extensions", "包"),
        ("杀手风黑色风衣", "black trench coat", "件"),
    ),
    "pet_garden": (
        ("猫薄荷", "catnip", "袋"),
        ("豆腐猫砂", "tofu cat litter", "袋"),
        ("成犬狗粮", "adult dog food", "袋"),
        ("多肉植物盆栽", "potted succulents", "盆"),
        ("向日葵花种子", "sunflower seeds for planting", "包"),
        ("有机肥", "organic fertiliser", "袋"),
        ("宠物体内驱虫药", "pet dewormer tablets", "盒"),
        ("仙人掌", "cactus", "盆"),
        ("酸奶发酵菌粉", "yogurt starter culture", "盒"),
    ),
    "auto_part": (
        ("火花塞", "spark plugs", "个"),
        ("点火线圈", "ignition coil", "个"),
        ("雨刮器", "wiper blades", "副"),
        ("刹车片", "brake pads", "套"),
        ("空气滤芯", "air filter", "个"),
        ("轮胎气门嘴帽", "tyre valve caps", "套"),
        ("车载打气泵", "car tyre inflator", "台"),
    ),
    "document_holder": (
        ("身份证卡套", "ID card sleeve", "个"),
        ("皮质护照夹", "leather passport cover", "个"),
        ("驾驶证皮套", "driving licence cover", "个"),
        ("证件照冲印", "passport photo prints", "张"),
        ("印台印泥", "ink pad", "个"),
        ("发票夹", "invoice folder", "个"),
        ("毕业证书收纳册", "certificate folder", "本"),
    ),
    "stationery_craft": (
        ("A4硫酸纸", "A4 tracing paper", "包"),
        ("砂纸", "sandpaper", "张"),
        ("水彩颜料（水性）", "watercolour paints", "盒"),
        ("姓名私章", "personal name stamp", "枚"),
        ("橡皮章刻刀套装", "rubber stamp carving tools", "套"),
        ("2B铅笔", "2B pencils", "盒"),
        ("鞭炮图案红包", "red envelopes with firecracker print", "包"),
    ),
    "game_collectible": (
        ("扑克牌", "playing cards", "副"),
        ("街机游戏币代币", "arcade tokens", "包"),
        ("银行发行纪念币", "commemorative coins", "枚"),
        ("和平精英手办", "game figure", "个"),
        ("吃鸡游戏手柄", "gamepad", "个"),
        ("塔罗牌", "tarot cards", "副"),
        ("狼人杀桌游", "werewolf party game", "盒"),
        ("纪念邮票", "commemorative stamps", "版"),
    ),
}

# Ordinary parcels: (zh, en, unit).
_HARMLESS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "clothing": (
        ("纯棉T恤", "cotton T-shirt", "件"),
        ("牛仔裤", "jeans", "条"),
        ("羊毛大衣", "wool coat", "件"),
        ("睡衣套装", "pyjamas", "套"),
        ("运动袜", "sports socks", "双"),
        ("羽绒服", "down jacket", "件"),
    ),
    "footwear": (
        ("运动鞋", "running shoes", "双"),
        ("帆布鞋", "canvas shoes", "双"),
        ("拖鞋", "slippers", "双"),
        ("雪地靴", "snow boots", "双"),
    ),
    "phone_accessory": (
        ("手机壳", "phone case", "个"),
        ("钢化膜", "tempered glass screen protector", "张"),
        ("数据线", "USB-C cable", "根"),
        ("蓝牙耳机", "bluetooth earbuds", "副"),
        ("手机支架", "phone stand", "个"),
    ),
    "electronics": (
        ("机械键盘", "mechanical keyboard", "个"),
        ("显示器", "monitor", "台"),
        ("路由器", "wifi router", "台"),
        ("电子阅读器", "e-reader", "台"),
        ("智能手表", "smart watch", "块"),
    ),
    "books": (
        ("小学数学练习册", "primary maths workbook", "本"),
        ("《红楼梦》", "Dream of the Red Chamber", "本"),
        ("英语词汇书", "English vocabulary book", "本"),
        ("儿童绘本", "children's picture books", "套"),
        ("考研政治真题", "exam prep book", "本"),
    ),
    "snacks": (
        ("坚果礼盒", "mixed nuts gift box", "盒"),
        ("牛肉干", "beef jerky", "袋"),
        ("饼干", "biscuits", "盒"),
        ("月饼", "mooncakes", "盒"),
        ("螺蛳粉", "luosifen rice noodles", "袋"),
        ("巧克力", "chocolate", "盒"),
    ),
    "tea": (
        ("西湖龙井", "Longjing green tea", "盒"),
        ("普洱茶饼", "pu'er tea cake", "饼"),
        ("铁观音", "Tieguanyin oolong", "罐"),
        ("菊花茶", "chrysanthemum tea", "袋"),
    ),
    "cosmetics": (
        ("保湿面霜", "moisturising cream", "瓶"),
        ("眼影盘", "eyeshadow palette", "盒"),
        ("洗发水", "shampoo", "瓶"),
        ("护手霜", "hand cream", "支"),
        ("面膜", "sheet masks", "盒"),
    ),
    "homeware": (
        ("四件套床品", "bedding set", "套"),
        ("保温杯", "vacuum flask", "个"),
        ("收纳箱", "storage box", "个"),
        ("浴巾", "bath towel", "条"),
        ("陶瓷碗", "ceramic bowls", "个"),
        ("窗帘", "curtains", "副"),
    ),
    "baby": (
        ("纸尿裤", "nappies", "包"),
        ("婴儿奶瓶", "baby bottle", "个"),
        ("婴儿连体衣", "baby romper", "件"),
        ("安抚奶嘴", "dummy", "个"),
    ),
    "documents": (
        ("合同文件", "signed contracts", "份"),
        ("发票原件（公司报销）", "original invoices for reimbursement", "张"),
        ("简历", "CV", "份"),
        ("录取通知书", "admission letter", "份"),
        ("户口本复印件", "copy of household register", "份"),
    ),
    "sports": (
        ("瑜伽垫", "yoga mat", "张"),
        ("篮球（未充气）", "deflated basketball", "个"),
        ("跳绳", "skipping rope", "根"),
        ("哑铃", "dumbbells", "对"),
        ("骑行手套", "cycling gloves", "副"),
    ),
    "handicraft": (
        ("十字绣", "cross-stitch kit", "套"),
        ("毛线", "knitting yarn", "团"),
        ("木雕摆件", "wooden carving ornament", "个"),
        ("陶瓷花瓶", "ceramic vase", "个"),
    ),
    "appliance": (
        ("电饭煲", "rice cooker", "台"),
        ("吹风机", "hair dryer", "个"),
        ("空气炸锅", "air fryer", "台"),
        ("电动牙刷", "electric toothbrush", "支"),
        ("加湿器", "humidifier", "台"),
    ),
}

# Brands that sell each class of ordinary goods.
_BRANDS: dict[str, tuple[str, ...]] = {
    "clothing": ("优衣库", "南极人", "森马", "Uniqlo"),
    "footwear": ("李宁", "安踏", "回力", "Nike", "Adidas"),
    "phone_accessory": ("绿联", "倍思", "Anker"),
    "electronics": ("小米", "华为", "罗技", "Apple"),
    "snacks": ("三只松鼠", "良品铺子", "百草味"),
    "cosmetics": ("珀莱雅", "百雀羚", "完美日记"),
    "homeware": ("无印良品", "网易严选", "苏泊尔"),
    "baby": ("帮宝适", "贝亲", "好孩子"),
    "sports": ("迪卡侬", "李宁", "Keep"),
    "appliance": ("美的", "苏泊尔", "小米", "飞利浦"),
}

# Per category: what shops and senders say about the goods.
# fmt: off
_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "firearm": ("全金属", "成色新", "可发射", "高仿", "原装", "实物拍摄"),
    "ammunition": ("原厂", "全新", "散装", "整盒"),
    "controlled_knife": ("开刃", "锋利", "户外", "收藏级", "大马士革钢"),
    "controlled_instrument": ("防身", "户外", "大功率", "正品"),
    "explosive": ("矿山用", "工程用", "散装", "防潮包装"),
    "fireworks": ("过年", "婚庆", "网红", "春节", "户外"),
    "compressed_gas": ("满瓶", "户外", "家用", "原装"),
    "drug": ("纯度高", "高纯", "小包装", "散装", "货好"),
    "psychotropic": ("无需处方", "散装", "原装", "进口"),
    "infectious": ("冷链", "科研用", "低温保存", "实验室用"),
    "radioactive": ("工业探伤用", "科研用", "铅罐装", "收藏"),
    "paraphernalia": ("全套", "玻璃", "加厚", "便携"),
    "counterfeit_currency": ("高仿", "手感好", "新版", "连号"),
    "forged_document": ("可查", "高仿", "加急", "定制"),
    "spy_equipment": ("无线", "高清", "超长待机", "隐蔽"),
    "illegal_publication": ("无码", "合集", "打包"),
    "endangered_species": ("老料", "收藏", "包老", "手工雕刻"),
    "counterfeit_goods": ("1:1", "顶级复刻", "专柜品质", "原单"),
}
_CHEMICAL_WORDS = ("分析纯", "AR", "工业级", "99%", "实验室用", "桶装", "试剂级")
_BANNED_NEUTRAL_WORDS = ("全新", "自用", "加急")
_TAILS_ZH = ("请轻拿轻放", "易碎勿压", "加急件", "退换货", "送人礼物", "客户样品", "到付",
             "请勿倒置", "七天无理由退货", "已保价")
_TAILS_EN = ("handle with care", "gift", "sample", "return", "fragile", "personal use")
_DESC_HARMLESS = ("正品", "全新", "包邮", "官方旗舰店", "家用", "礼盒装", "二手九成新", "新款",
                  "特价", "清仓")
_DESC_DOCUMENTS = ("加急", "原件", "重要文件", "请本人签收")
# fmt: on


# ---- evasion techniques ----------------------------------------------------------------
# Each takes an item and returns the disguised name (or None where it does not apply).
# A technique keeps the item recognisable: the label is a fact about the parcel.

_Technique = Callable[[_Item, random.Random], "str | None"]

_HOMOPHONES: dict[str, str] = {
    "枪": "抢呛锵",
    "弹": "蛋淡旦",
    "药": "要耀钥",
    "炸": "乍榨渣",
    "毒": "读独督",
    "冰": "兵并",
    "粉": "份奋",
    "麻": "马嘛码",
    "海": "嗨害",
    "洛": "落络",
    "因": "音茵",
    "刀": "叨捯",
    "首": "手守",
    "匕": "比笔",
    "雷": "蕾累",
    "管": "馆贯",
    "火": "伙夥",
    "烟": "焉淹",
    "花": "华哗",
    "炮": "泡袍",
    "鞭": "编边",
    "气": "汽器契",
    "罐": "灌冠",
    "油": "游由",
    "酸": "蒜算",
    "硫": "流琉",
    "假": "甲贾",
    "币": "必毕",
    "钞": "超抄",
    "证": "正政",
    "章": "张彰",
    "象": "像向",
    "牙": "芽崖",
    "犀": "西希",
    "角": "脚饺",
    "猎": "列劣",
    "仿": "访纺",
    "真": "针珍",
    "摇": "遥瑶",
    "丸": "完玩",
    "鸦": "丫压",
    "片": "骗偏",
    "氰": "青清",
    "钾": "甲",
    "钠": "那纳",
    "砒": "批劈",
    "霜": "双爽",
    "汞": "拱共",
    "窃": "切且",
    "听": "厅挺",
    "器": "气起",
    "孔": "空恐",
    "盗": "到道",
    "版": "板扳",
    "淫": "银吟",
    "秽": "会慧",
    "碟": "蝶叠",
    "穿": "川船",
    "山": "删珊",
    "虎": "唬琥",
    "骨": "谷鼓",
    "弩": "努怒",
    "击": "机鸡",
    "军": "君均",
    "刺": "次赐",
    "炭": "碳探",
    "菌": "君俊",
    "病": "并",
    "铀": "由油",
    "钴": "古鼓",
    "铯": "色涩",
    "笑": "校效",
    "柴": "豺",
    "煤": "梅媒",
    "漆": "七期",
    "丙": "饼柄",
    "酮": "同铜",
    "醚": "迷谜",
    "醇": "纯唇",
    "磷": "林邻",
    "磺": "黄皇",
    "镁": "美每",
    "锰": "猛梦",
    "氯": "绿律",
    "铵": "安按",
    "硝": "消销",
    "碱": "减剪",
    "芬": "分纷",
    "尼": "泥妮",
    "啡": "非菲",
    "古": "股鼓",
    "卡": "咖喀",
    "胺": "安按",
    "唑": "坐",
    "仑": "伦论",
    "曲": "区取",
    "罂": "婴樱",
    "粟": "素速",
    "籽": "子",
    "叶": "业夜",
}

_RADICAL_SPLITS: dict[str, str] = {
    "枪": "木仓",
    "炸": "火乍",
    "药": "艹约",
    "弹": "弓单",
    "砒": "石比",
    "酸": "酉夋",
    "钠": "钅内",
    "铀": "钅由",
    "钾": "钅甲",
    "钴": "钅古",
    "铯": "钅色",
    "油": "氵由",
    "汽": "氵气",
    "粉": "米分",
    "烟": "火因",
    "炮": "火包",
    "雷": "雨田",
    "假": "亻叚",
    "磷": "石粦",
    "镁": "钅美",
    "锰": "钅孟",
    "猎": "犭昔",
    "砷": "石申",
    "硝": "石肖",
    "铵": "钅安",
    "氰": "气青",
    "氯": "气录",
    "械": "木戒",
    "刺": "朿刂",
    "刮": "舌刂",
    "仿": "亻方",
    "证": "讠正",
    "钞": "钅少",
    "疽": "疒且",
    "病": "疒丙",
    "醚": "酉迷",
    "醇": "酉享",
    "酮": "酉同",
    "酐": "酉干",
    "碱": "石咸",
    "胺": "月安",
    "啡": "口非",
    "吗": "口马",
    "唑": "口坐",
    "矿": "石广",
    "秽": "禾岁",
    "版": "片反",
    "窃": "穴切",
    "摄": "扌聂",
    "章": "立早",
    "钢": "钅冈",
    "珠": "王朱",
    "针": "钅十",
    "爆": "火暴",
    "鞭": "革便",
    "汞": "工水",
    "玳": "王代",
    "瑁": "王冒",
    "穿": "穴牙",
    "鳞": "鱼粦",
    "弩": "奴弓",
    "海": "氵每",
    "洛": "氵各",
    "冰": "冫水",
    "硫": "石流",
    "粟": "西米",
}

_OCR_SLIPS: dict[str, str] = {
    "毒": "毐",
    "管": "菅",
    "匕": "七",
    "药": "葯",
    "弹": "弾",
    "麻": "痳",
    "炸": "柞",
    "假": "瑕",
    "证": "征",
    "章": "竟",
    "雷": "雪",
    "丸": "九",
    "罂": "婴",
    "粟": "栗",
    "枪": "抡",
    "酸": "峻",
    "汞": "贡",
    "币": "帀",
    "象": "豫",
    "犀": "屖",
}
_LATIN_OCR = (("m", "rn"), ("i", "l"), ("l", "1"), ("o", "0"), ("e", "c"), ("d", "cl"))

_LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "g": "9", "b": "8"}
_HOMOGLYPHS = {
    "a": "а",
    "c": "с",
    "e": "е",
    "o": "о",
    "p": "р",
    "x": "х",
    "y": "у",
    "i": "і",
    "k": "κ",
    "n": "п",
    "h": "һ",
}
_CHINESE_DIGITS = {
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
}
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_SYMBOLS = ("*", "-", ".", "/", "_", "~", "·", "#", "|", "^")
_TONE_MARKS = Style.TONE

_S2T = opencc.OpenCC("s2t")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _han_names(item: _Item) -> list[str]:
    return [z for z in item.zh if sum(_is_han(c) for c in z) >= 2]


def _pick_han(item: _Item, rng: random.Random) -> str | None:
    names = _han_names(item)
    return rng.choice(names) if names else None


def _pick_en(item: _Item, rng: random.Random, multiword: bool = False) -> str | None:
    names = [e for e in item.en if sum(c.isalpha() for c in e) >= 4]
    if multiword:
        names = [e for e in names if " " in e or "-" in e]
    return rng.choice(names) if names else None


def _replace_some(
    text: str, table: dict[str, str], rng: random.Random, most: int, one_of: bool = False
) -> str | None:
    """Replaces 1..`most` characters found in `table`: by one of its characters if `one_of`,
    else by the whole entry."""
    spots = [i for i, c in enumerate(text) if c in table]
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.randint(1, most)))
    chars = list(text)
    for i in chosen:
        entry = table[chars[i]]
        chars[i] = rng.choice(entry) if one_of else entry
    return "".join(chars)


def _pinyin_full(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    syllables = lazy_pinyin(name)
    joined = rng.choice(("", " ", "-"))
    text = joined.join(s for s in syllables if s.strip("（）()%-"))
    return text.upper() if rng.random() < 0.2 else text


def _pinyin_initials(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    han = "".join(c for c in name if _is_han(c))
    initials = "".join(p[0] for p in lazy_pinyin(han, style=Style.FIRST_LETTER) if p)
    initials = initials.upper() if rng.random() < 0.6 else initials
    # initials alone are read together with a hint of the kind of goods
    hint = {"g": "（粉末）", "ml": "（液体）"}.get(item.unit, "")
    return initials + hint


def _pinyin_tones(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    han = "".join(c for c in name if _is_han(c))
    return " ".join(s for s in lazy_pinyin(han, style=_TONE_MARKS))


def _partial_pinyin(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    readings = lazy_pinyin(name, errors=list)  # one entry per character, read in context
    spots = [i for i, c in enumerate(name) if _is_han(c)]
    i = rng.choice(spots)
    return name[:i] + readings[i] + name[i + 1 :]


def _homophone(item: _Item, rng: random.Random) -> str | None:
    for name in rng.sample(_han_names(item), len(_han_names(item))):
        result = _replace_some(name, _HOMOPHONES, rng, 2, one_of=True)
        if result:
            return result
    return None


def _traditional(item: _Item, rng: random.Random) -> str | None:
    for name in rng.sample(list(item.zh), len(item.zh)):
        converted = _S2T.convert(name)
        if converted != name:
            return converted
    return None


def _ocr_slip(item: _Item, rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        for name in rng.sample(_han_names(item), len(_han_names(item))):
            result = _replace_some(name, _OCR_SLIPS, rng, 1)
            if result:
                return result
    word = _pick_en(item, rng)
    if word is None:
        return None
    rules = [(a, b) for a, b in _LATIN_OCR if a in word]
    if not rules:
        return None
    a, b = rng.choice(rules)
    at = rng.choice([m.start() for m in re.finditer(re.escape(a), word)])
    return word[:at] + b + word[at + len(a) :]


def _split_space(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    return rng.choice((" ", "  ", "\u3000")).join(name)


def _symbol_infix(item: _Item, rng: random.Random) -> str | None:
    name = _pick_han(item, rng)
    if name is None:
        return None
    symbol = rng.choice(_SYMBOLS)
    i = rng.randint(1, len(name) - 1)
    return name[:i] + symbol + name[i:] if rng.random() < 0.5 else symbol.join(name)


def _zero_width(item: _Item, rng: random.Random) -> str | None:
    name = rng.choice(item.zh + item.en)
    if len(name) < 2:
        return None
    mark = rng.choice(_ZERO_WIDTH)
    chars = list(name)
    for i in sorted(rng.sample(range(1, len(name)), rng.randint(1, len(name) - 1)), reverse=True):
        chars.insert(i, mark)
    return "".join(chars)


def _fullwidth(item: _Item, rng: random.Random) -> str | None:
    candidates = [e for e in item.en + item.abbrev + (item.formula,) if e and e.isascii()]
    candidates += [m for m in item.models if any(c.isascii() and c.isalnum() for c in m)]
    if not candidates:
        return None
    word = rng.choice(candidates)
    return "".join(_fullwidth_char(c) for c in word)


def _fullwidth_char(char: str) -> str:
    if "!" <= char <= "~":
        return chr(ord(char) + 0xFEE0)
    return "\u3000" if char == " " else char


def _leetspeak(item: _Item, rng: random.Random) -> str | None:
    word = _pick_en(item, rng)
    if word is None:
        return None
    spots = [i for i, c in enumerate(word) if c.lower() in _LEET]
    if not spots:
        return None
    chars = list(word)
    for i in rng.sample(spots, max(1, len(spots) // 2)):
        chars[i] = rng.choice(_LEET[chars[i].lower()])
    return "".join(chars)


def _homoglyph(item: _Item, rng: random.Random) -> str | None:
    word = _pick_en(item, rng)
    if word is None:
        return None
    spots = [i for i, c in enumerate(word) if c in _HOMOGLYPHS]
    if not spots:
        return None
    chars = list(word)
    for i in rng.sample(spots, rng.randint(1, len(spots))):
        chars[i] = _HOMOGLYPHS[chars[i]]
    return "".join(chars)


def _joined_words(item: _Item, rng: random.Random) -> str | None:
    word = _pick_en(item, rng, multiword=True)
    if word is None:
        return None
    parts = word.replace("-", " ").split()
    if rng.random() < 0.5:
        return "".join(parts).lower()
    return "".join(p[:1].upper() + p[1:] for p in parts)


def _misspelling(item: _Item, rng: random.Random) -> str | None:
    word = _pick_en(item, rng)
    if word is None:
        return None
    letters = [i for i, c in enumerate(word) if c.isalpha() and 0 < i < len(word) - 1]
    if len(letters) < 3:
        return None
    i = rng.choice(letters)
    how = rng.randrange(3)
    if how == 0:  # dropped letter
        return word[:i] + word[i + 1 :]
    if how == 1:  # doubled letter
        return word[:i] + word[i] + word[i:]
    if word[i + 1].isalpha() and word[i + 1] != word[i]:  # swapped neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


_DRUG_CATEGORIES = frozenset({"drug", "psychotropic"})


def _slang(item: _Item, rng: random.Random) -> str | None:
    if item.category in _DRUG_CATEGORIES or not item.slang:
        return None
    return rng.choice(item.slang)


def _drug_code_word(item: _Item, rng: random.Random) -> str | None:
    if item.category not in _DRUG_CATEGORIES or not item.slang:
        return None
    word = rng.choice(item.slang)
    # code words travel with the trade's own talk of purity and effect
    return word + rng.choice(("", " 纯度99", " 劲大", " 老客户", " 嗨", " 货好", " 上头"))


def _emoji(item: _Item, rng: random.Random) -> str | None:
    if not item.emoji:
        return None
    name = rng.choice(item.zh)
    style = rng.randrange(3)
    if style == 0:
        return item.emoji * rng.randint(1, 3) + rng.choice(("配件", "货", "同款", "一套", "原装"))
    if style == 1:
        return f"{item.emoji}{name}{item.emoji}"
    han = [c for c in name if _is_han(c)]
    if not han:
        return item.emoji + name
    target = rng.choice(han)
    return name.replace(target, item.emoji, 1)


def _formula(item: _Item, rng: random.Random) -> str | None:
    if len(item.formula) < 2:
        return None
    prefixes = ("化学品 ", "试剂 ", "原料 ")
    prefix = rng.choice(prefixes if len(item.formula) < 4 else ("", *prefixes))
    return prefix + item.formula


def _cas_number(item: _Item, rng: random.Random) -> str | None:
    if not item.cas:
        return None
    form = rng.choice(("CAS {}", "CAS号:{}", "CAS NO.{}", "{}", "化工原料 CAS:{}"))
    return form.format(item.cas)


def _radical_split(item: _Item, rng: random.Random) -> str | None:
    for name in rng.sample(_han_names(item), len(_han_names(item))):
        result = _replace_some(name, _RADICAL_SPLITS, rng, 2)
        if result:
            return result
    return None


def _product_disguise(item: _Item, rng: random.Random) -> str | None:
    return rng.choice(item.disguise) if item.disguise else None


def _model_number(item: _Item, rng: random.Random) -> str | None:
    if not item.models:
        return None
    model = rng.choice(item.models)
    extras = (" 套件", " 1:1") if item.category == "firearm" else ()
    return model + rng.choice(("", " 同款", " 原厂", *extras))


def _abbreviation(item: _Item, rng: random.Random) -> str | None:
    return rng.choice(item.abbrev) if item.abbrev else None


def _number_for_char(item: _Item, rng: random.Random) -> str | None:
    candidates = list(item.zh) + [m for m in item.models if any(c in _CHINESE_DIGITS for c in m)]
    candidates = [c for c in candidates if any(d in _CHINESE_DIGITS for d in c)]
    if not candidates:
        return None
    name = rng.choice(candidates)
    return "".join(_CHINESE_DIGITS.get(c, c) for c in name)


def _mixed_language(item: _Item, rng: random.Random) -> str | None:
    en = _pick_en(item, rng)
    if en is None:
        return None
    words = _CATEGORY_WORDS.get(item.category, _CHEMICAL_WORDS)
    head = rng.choice(words)
    return f"{head} {en}" if rng.random() < 0.6 else f"{en}（{head}）"


def _buried_in_list(item: _Item, rng: random.Random) -> str | None:
    return rng.choice(item.zh)  # the framing puts it among ordinary goods


_TECHNIQUES: dict[str, _Technique] = {
    "pinyin_full": _pinyin_full,
    "pinyin_initials": _pinyin_initials,
    "pinyin_tones": _pinyin_tones,
    "partial_pinyin": _partial_pinyin,
    "homophone": _homophone,
    "traditional": _traditional,
    "ocr_slip": _ocr_slip,
    "split_space": _split_space,
    "symbol_infix": _symbol_infix,
    "zero_width": _zero_width,
    "fullwidth": _fullwidth,
    "leetspeak": _leetspeak,
    "homoglyph": _homoglyph,
    "joined_words": _joined_words,
    "misspelling": _misspelling,
    "slang": _slang,
    "drug_code_word": _drug_code_word,
    "emoji": _emoji,
    "formula": _formula,
    "cas_number": _cas_number,
    "radical_split": _radical_split,
    "product_disguise": _product_disguise,
    "model_number": _model_number,
    "abbreviation": _abbreviation,
    "number_for_char": _number_for_char,
    "mixed_language": _mixed_language,
    "buried_in_list": _buried_in_list,
}

# Techniques whose output reads as English, framed as an English waybill half the time.
_LATIN_TECHNIQUES = frozenset({"leetspeak", "homoglyph", "joined_words", "misspelling"})


# ---- framing: quantities, shops, remarks ---------------------------------------------


@dataclass
class _Framer:
    rng: random.Random
    fake_zh: Faker
    fake_en: Faker
    _price_steps: tuple[int, ...] = field(default=(5, 10, 20, 50, 100, 200, 500))

    def quantity_zh(self, unit: str, small: bool = False, bare: bool = False) -> str:
        rng = self.rng
        if unit == "g":
            if small:
                return rng.choice(("0.5g", "1g", "2克", "3.5g", "5克", "10g"))
            return rng.choice(("100g", "250克", "500g", "1kg", "2斤", "5公斤", "25kg"))
        if unit == "ml":
            return rng.choice(("100ml", "250毫升", "500ml", "1L", "2.5升", "5L", "20升"))
        n = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 20, 50))
        if bare:
            return f"{n}{unit}"
        return rng.choice((f"{n}{unit}", f"×{n}", f"x{n}", f"{n}{unit}", f"{n}{unit}"))

    def quantity_en(self, unit: str, small: bool = False, bare: bool = False) -> str:
        rng = self.rng
        if unit == "g":
            return (
                rng.choice(("1g", "5 g", "10g"))
                if small
                else rng.choice(("100 g", "500g", "1 kg", "2kg", "25 kg"))
            )
        if unit == "ml":
            return rng.choice(("100 ml", "500ml", "1 L", "5L", "20 litres"))
        n = rng.choice((1, 1, 2, 3, 5, 10, 12, 50))
        if bare:
            return str(n)
        return rng.choice((f"x{n}", f"{n} pcs", f"qty {n}", f"{n} units", f"{n} pc"))

    def price(self) -> int:
        return self.rng.choice(self._price_steps) * self.rng.randint(1, 9)

    def zh(self, core: str, unit: str, words: tuple[str, ...], small: bool = False) -> str:
        rng = self.rng
        form = rng.randrange(12)
        q = self.quantity_zh(unit, small, bare=form in (4, 5, 11))
        word = rng.choice(words)
        tail = rng.choice(_TAILS_ZH)
        if form == 0:
            return f"{core} {q}"
        if form == 1:  # glued, as hurried senders type, unless Latin and digits would run on
            ends_latin = core[-1:].isascii() and core[-1:].isalnum()
            return f"{core} {q}" if ends_latin else f"{core}{q}"
        if form == 11:
            return f"{core} 数量{q}"
        if form == 2:
            glue = " " if word[-1:].isascii() and core[:1].isascii() else ""
            return f"{word}{glue}{core} {q}"
        if form == 3:
            return f"{word} {core} {q}，{tail}"
        if form == 4:
            return f"物品：{core}；数量：{q}；申报价值：{self.price()}元"
        if form == 5:
            return f"品名:{core} 数量:{q}"
        if form == 6:
            return f"{self.fake_zh.company()} {core} {q}"
        if form == 7:
            return f"{core}（{word}）{q}"
        if form == 8:
            return f"【{word}】{core} {q} {tail}"
        if form == 9:
            return f"{self.fake_zh.city()}发 {core} {q}"
        return f"{core} {q}，{tail}"

    def en(self, core: str, unit: str, small: bool = False) -> str:
        rng = self.rng
        form = rng.randrange(6)
        q = self.quantity_en(unit, small, bare=form == 2)
        if form == 0:
            return f"{core} {q}"
        if form == 1:
            return f"{q} {core}"
        if form == 2:
            return f"Item: {core}; Qty: {q}; Value: {self.price()} CNY"
        if form == 3:
            return f"{core}, {q}, {rng.choice(_TAILS_EN)}"
        if form == 4:
            return f"{self.fake_en.company()} - {core} {q}"
        return f"{rng.choice(('new', 'used', 'brand new', 'sample'))} {core} {q}"

    def goods_list(self, core: str, unit: str) -> str:
        rng = self.rng
        fillers = [rng.choice(items) for items in rng.sample(list(_HARMLESS.values()), 3)]
        parts = [f"{zh}{self.quantity_zh(u)}" for zh, _, u in fillers[: rng.randint(1, 3)]]
        parts.insert(rng.randint(0, len(parts)), f"{core}{self.quantity_zh(unit)}")
        return rng.choice(("，", "、", "; ", " + ", " ")).join(parts)


def _words_for(category: str) -> tuple[str, ...]:
    return _CATEGORY_WORDS.get(category, _CHEMICAL_WORDS) + _BANNED_NEUTRAL_WORDS


def _plain(item: _Item, fr: _Framer) -> str:
    rng = fr.rng
    small = item.category in _DRUG_CATEGORIES
    words = _words_for(item.category)
    style = rng.random()
    if style < 0.6:
        return fr.zh(rng.choice(item.zh), item.unit, words, small)
    if style < 0.8:
        return fr.en(rng.choice(item.en), item.unit, small)
    return fr.zh(f"{rng.choice(item.zh)}（{rng.choice(item.en)}）", item.unit, words, small)


def _evasion(item: _Item, technique: str, core: str, fr: _Framer) -> str:
    rng = fr.rng
    small = item.category in _DRUG_CATEGORIES
    if technique == "buried_in_list":
        return fr.goods_list(core, item.unit)
    if technique in _LATIN_TECHNIQUES and rng.random() < 0.5:
        return fr.en(core, item.unit, small)
    return fr.zh(core, item.unit, _words_for(item.category), small)


_DECORATIONS = ("🎁", "❤️", "✨", "📦", "🌸", "👍", "🙏")


def _harmless(key: str, zh: str, en: str, unit: str, fr: _Framer) -> str:
    """An innocent parcel, written with the same habits as the disguised ones (traditional
    script, pinyin, spaced or pasted characters, full-width text, emoji, several goods), so
    that the way a declaration is written does not by itself give the verdict away."""
    rng = fr.rng
    words = _DESC_DOCUMENTS if key == "documents" else _DESC_HARMLESS
    brands = _BRANDS.get(key)
    habit = rng.random()
    if habit < 0.05:
        zh = _S2T.convert(zh)
    elif habit < 0.09:
        zh = "".join(lazy_pinyin(zh, errors=lambda chars: ""))
    elif habit < 0.12:
        zh = " ".join(zh)
    elif habit < 0.15:
        zh = "\u200b".join(zh)
    elif habit < 0.2:
        return fr.goods_list(zh, unit)
    style = rng.random()
    if brands and style < 0.2:
        text = fr.zh(f"{rng.choice(brands)} {zh}", unit, words)
    elif style < 0.65:
        text = fr.zh(zh, unit, words)
    elif style < 0.85:
        text = fr.en(en, unit)
    else:
        text = fr.zh(f"{zh}（{en}）", unit, words)
    if 0.2 <= habit < 0.24:
        text = "".join(_fullwidth_char(c) if c.isascii() and c.isalnum() else c for c in text)
    elif 0.24 <= habit < 0.28:
        text = f"{rng.choice(_DECORATIONS)}{text}{rng.choice(_DECORATIONS)}"
    return text


# ---- the generator -------------------------------------------------------------------


def _split_counts(total: int, keys: list[str], rng: random.Random) -> list[str]:
    """`total` labels spread evenly over `keys`, remainder to a random few, shuffled."""
    base, extra = divmod(total, len(keys))
    lucky = set(rng.sample(range(len(keys)), extra))
    out = [k for i, k in enumerate(keys) for _ in range(base + (i in lucky))]
    rng.shuffle(out)
    return out


def _applicable(technique: str) -> list[_Item]:
    probe = random.Random(0)
    fn = _TECHNIQUES[technique]
    return [item for item in _BANNED_ITEMS if any(fn(item, probe) for _ in range(6))]


def generate(n: int = 6000, seed: int = 1) -> list[Declaration]:
    """`n` labelled declarations, the same for the same (n, seed)."""
    rng = random.Random(f"parcel-set-j/{seed}")
    fake_zh = Faker("zh_CN")
    fake_en = Faker("en_US")
    fake_zh.seed_instance(seed)
    fake_en.seed_instance(seed + 1)
    fr = _Framer(rng, fake_zh, fake_en)

    n_banned = round(n * BANNED_SHARE)
    n_plain = round(n_banned * PLAIN_SHARE_OF_BANNED)
    n_lookalike = round((n - n_banned) * LOOKALIKE_SHARE_OF_HARMLESS)
    categories = sorted({item.category for item in _BANNED_ITEMS})
    by_category = {c: [i for i in _BANNED_ITEMS if i.category == c] for c in categories}
    usable = {t: _applicable(t) for t in _TECHNIQUES}

    slots = (
        [("plain", k) for k in _split_counts(n_plain, categories, rng)]
        + [("evasion", k) for k in _split_counts(n_banned - n_plain, list(_TECHNIQUES), rng)]
        + [("lookalike", k) for k in _split_counts(n_lookalike, sorted(_LOOKALIKES), rng)]
        + [
            ("harmless", k)
            for k in _split_counts(n - n_banned - n_lookalike, sorted(_HARMLESS), rng)
        ]
    )
    rng.shuffle(slots)

    seen: set[str] = set()
    out: list[Declaration] = []
    for kind, key in slots:
        text = ""
        for _attempt in range(8):  # a few draws to avoid repeating a text
            text = _draw(kind, key, fr, by_category, usable)
            if text not in seen:
                break
        seen.add(text)
        out.append(
            Declaration(text=text, banned=kind in ("plain", "evasion"), label=f"{kind}:{key}")
        )
    return out


def _draw(
    kind: str,
    key: str,
    fr: _Framer,
    by_category: dict[str, list[_Item]],
    usable: dict[str, list[_Item]],
) -> str:
    rng = fr.rng
    if kind == "plain":
        return _plain(rng.choice(by_category[key]), fr)
    if kind == "evasion":
        while True:
            item = rng.choice(usable[key])
            core = _TECHNIQUES[key](item, rng)
            if core:
                return _evasion(item, key, core, fr)
    zh, en, unit = rng.choice((_LOOKALIKES if kind == "lookalike" else _HARMLESS)[key])
    return _harmless(key, zh, en, unit, fr)


# ---- self-check ---------------------------------------------------------------------

_LABEL = re.compile(r"^(plain|evasion|lookalike|harmless):[a-z_]+$")


def check(n: int = 6000, seed: int = 1) -> None:
    """Asserts determinism, label balance and that no text carries two verdicts."""
    first = generate(n, seed)
    assert first == generate(n, seed), "not deterministic for the same (n, seed)"
    assert first != generate(n, seed + 1), "the seed changes nothing"
    assert len(first) == n
    share = sum(d.banned for d in first) / n
    assert abs(share - BANNED_SHARE) < 0.01, f"banned share {share:.3f}"
    labels = Counter(d.label for d in first)
    assert all(_LABEL.match(label) for label in labels), labels
    for d in first:
        assert d.banned == d.label.startswith(("plain:", "evasion:")), d
        assert d.text.strip(), d
    groups = Counter(label.split(":")[0] for label in labels)
    assert groups["plain"] >= 20 and groups["evasion"] >= 20, groups
    assert groups["lookalike"] >= 15, groups
    smallest = min(labels.values())
    assert smallest >= n // 600, f"a label has only {smallest} declarations"
    verdicts: dict[str, set[bool]] = {}
    for d in first:
        verdicts.setdefault(d.text, set()).add(d.banned)
    clashes = [t for t, v in verdicts.items() if len(v) > 1]
    assert not clashes, f"texts labelled both ways: {clashes[:5]}"
    duplicates = n - len(verdicts)
    assert duplicates < n * 0.05, f"{duplicates} repeated texts"
    print(
        f"check ok: {n} declarations, banned share {share:.3f}, {len(labels)} labels "
        f"({groups['plain']} plain, {groups['evasion']} evasion, "
        f"{groups['lookalike']} lookalike, {groups['harmless']} harmless), "
        f"{duplicates} repeated texts"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="assert determinism and balance")
    args = parser.parse_args(argv)
    if args.check:
        check(args.n, args.seed)
        return 0
    declarations = generate(args.n, args.seed)
    counts = Counter(d.label for d in declarations)
    banned = sum(d.banned for d in declarations)
    print(f"{len(declarations)} declarations, {banned} banned ({banned / len(declarations):.1%})")
    for label, count in sorted(counts.items()):
        print(f"  {label:40s} {count:5d}")
    print("samples:")
    for d in random.Random(args.seed).sample(declarations, min(30, len(declarations))):
        print(f"  [{'BANNED' if d.banned else 'ok':6s}] {d.label:32s} {d.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
