"""Parcel declarations evaluation set C.

Labelled courier-form declarations (Chinese and English) written without
seeing Vigil's banned-items rules or its other declaration sets, to measure
whether parcel screening generalises.

    cases = generate(n=5000, seed=1)

Each ``Case`` has ``banned`` (True: must be flagged; False: must be cleared;
None: a toy or model of a weapon, to be inspected and never refused),
``group`` ("plain", "evasion" or "look-alike") and ``kind``:

* plain: "plain-banned", "plain-harmless";
* evasion (all banned): "pinyin" (toneless, with or without spaces),
  "pinyin-tone" (tone marks or numbers), "initials", "leet", "fullwidth",
  "homoglyph" (Cyrillic/Greek letters in English words), "zero-width",
  "split", "joined", "traditional", "slang";
* look-alike (harmless): "colour", "shape", "pattern", "shared-word"
  (ordinary goods that share a character or word with a banned item),
  and "toy" (banned None).

A declaration may list several goods; it is banned when any of them is.
The banned categories follow the annex of 《禁止寄递物品管理规定》 as the
sender would name the goods; ``BANNED_ITEMS`` lists them with their category.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass

import opencc
from pypinyin import Style, lazy_pinyin


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None
    group: str
    kind: str


# category -> items as (Chinese name, English names)
BANNED_ITEMS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "firearms and ammunition": [
        ("手枪", ("pistol", "handgun", "revolver")),
        ("步枪", ("rifle", "assault rifle")),
        ("猎枪", ("hunting rifle", "shotgun")),
        ("气枪", ("air rifle", "air gun")),
        ("枪管", ("gun barrel",)),
        ("子弹", ("bullets", "live rounds")),
        ("弹药", ("ammunition", "ammo")),
        ("霰弹", ("shotgun shells", "buckshot")),
        ("消音器", ("silencer", "suppressor")),
        ("枪支零件", ("gun parts", "firearm components")),
        ("仿真枪", ("replica firearm",)),
        ("钢珠枪", ("ball bearing gun",)),
        ("麻醉枪", ("tranquilliser gun",)),
        ("撞针", ("firing pin",)),
        ("弹匣", ("pistol magazine", "rifle magazine")),
    ],
    "controlled knives and instruments": [
        ("匕首", ("dagger",)),
        ("三棱刮刀", ("three-edged scraper blade",)),
        ("弹簧刀", ("switchblade", "flick knife")),
        ("蝴蝶刀", ("butterfly knife", "balisong")),
        ("弩", ("crossbow",)),
        ("电击器", ("stun gun", "taser")),
        ("甩棍", ("extendable baton", "telescopic baton")),
        ("指虎", ("brass knuckles", "knuckle duster")),
        ("防狼喷雾", ("pepper spray",)),
        ("开刃武士刀", ("sharpened katana",)),
    ],
    "explosives and fireworks": [
        ("炸药", ("explosives", "dynamite")),
        ("雷管", ("detonator", "blasting cap")),
        ("导火索", ("fuse cord", "detonating cord")),
        ("烟花", ("fireworks",)),
        ("鞭炮", ("firecrackers",)),
        ("礼花弹", ("aerial firework shells",)),
        ("黑火药", ("black powder", "gunpowder")),
        ("手榴弹", ("hand grenade",)),
        ("烟雾弹", ("smoke grenade",)),
        ("引信", ("fuze",)),
    ],
    "compressed and liquefied gases": [
        ("液化气罐", ("LPG cylinder", "gas canister")),
        ("液化石油气", ("liquefied petroleum gas",)),
        ("丁烷气罐", ("butane canister", "butane gas")),
        ("氧气瓶", ("oxygen cylinder",)),
        ("氢气瓶", ("hydrogen cylinder",)),
        ("打火机充气罐", ("lighter refill gas",)),
        ("灭火器", ("fire extinguisher",)),
        ("二氧化碳气瓶", ("CO2 cylinder",)),
        ("乙炔气瓶", ("acetylene cylinder",)),
        ("笑气", ("nitrous oxide", "laughing gas")),
    ],
    "flammable liquids": [
        ("汽油", ("petrol", "gasoline")),
        ("柴油", ("diesel fuel",)),
        ("煤油", ("kerosene",)),
        ("医用酒精", ("rubbing alcohol", "ethanol 95%")),
        ("油漆稀释剂", ("paint thinner",)),
        ("天那水", ("thinner solvent",)),
        ("丙酮", ("acetone",)),
        ("乙醚", ("diethyl ether",)),
        ("打火机油", ("lighter fluid",)),
    ],
    "flammable solids": [
        ("红磷", ("red phosphorus",)),
        ("白磷", ("white phosphorus",)),
        ("硫磺粉", ("sulphur powder", "sulfur powder")),
        ("镁粉", ("magnesium powder",)),
        ("金属钠", ("sodium metal",)),
        ("电石", ("calcium carbide",)),
        ("火柴", ("matches", "safety matches")),
        ("铝粉", ("aluminium powder",)),
        ("固体酒精", ("solid fuel tablets",)),
    ],
    "oxidisers and organic peroxides": [
        ("高锰酸钾", ("potassium permanganate",)),
        ("双氧水", ("hydrogen peroxide 30%",)),
        ("氯酸钾", ("potassium chlorate",)),
        ("硝酸铵", ("ammonium nitrate",)),
        ("过氧化钠", ("sodium peroxide",)),
        ("硝酸钾", ("potassium nitrate", "saltpetre")),
        ("过氧乙酸", ("peracetic acid",)),
    ],
    "toxic substances": [
        ("砒霜", ("arsenic trioxide",)),
        ("氰化钾", ("potassium cyanide",)),
        ("氰化钠", ("sodium cyanide",)),
        ("毒鼠强", ("tetramine rat poison",)),
        ("百草枯", ("paraquat",)),
        ("敌敌畏", ("dichlorvos",)),
        ("水银", ("mercury", "quicksilver")),
        ("铊盐", ("thallium salt",)),
    ],
    "infectious substances": [
        ("病毒样本", ("virus samples",)),
        ("细菌菌种", ("bacterial cultures",)),
        ("血液样本", ("blood samples",)),
        ("医疗废物", ("medical waste",)),
        ("炭疽杆菌", ("anthrax spores",)),
    ],
    "radioactive substances": [
        ("铀矿石", ("uranium ore",)),
        ("钴60放射源", ("cobalt-60 source",)),
        ("镭", ("radium",)),
        ("放射性同位素", ("radioactive isotopes",)),
        ("钚", ("plutonium",)),
    ],
    "corrosives": [
        ("硫酸", ("sulphuric acid", "sulfuric acid")),
        ("盐酸", ("hydrochloric acid",)),
        ("硝酸", ("nitric acid",)),
        ("氢氧化钠", ("caustic soda", "sodium hydroxide")),
        ("氢氟酸", ("hydrofluoric acid",)),
        ("铅酸蓄电池", ("wet lead-acid battery",)),
        ("王水", ("aqua regia",)),
    ],
    "drugs and paraphernalia": [
        ("海洛因", ("heroin",)),
        ("冰毒", ("methamphetamine", "crystal meth")),
        ("大麻", ("cannabis", "marijuana")),
        ("摇头丸", ("ecstasy pills", "MDMA")),
        ("K粉", ("ketamine",)),
        ("可卡因", ("cocaine",)),
        ("鸦片", ("opium",)),
        ("吗啡", ("morphine",)),
        ("麻古", ("yaba tablets",)),
        ("芬太尼", ("fentanyl",)),
        ("冰壶", ("meth pipe",)),
        ("麻黄碱", ("ephedrine",)),
        ("大麻种子", ("cannabis seeds",)),
        ("吸毒工具", ("drug paraphernalia",)),
        ("三唑仑", ("triazolam",)),
    ],
    "illegal publications": [
        ("淫秽光盘", ("pornographic DVDs",)),
        ("淫秽书刊", ("obscene magazines",)),
        ("反动宣传品", ("subversive leaflets",)),
        ("邪教宣传品", ("cult propaganda",)),
        ("非法出版物", ("illegal publications",)),
    ],
    "spying equipment": [
        ("窃听器", ("bugging device", "listening device")),
        ("针孔摄像机", ("pinhole spy camera",)),
        ("伪基站", ("fake base station", "IMSI catcher")),
        ("密写工具", ("secret writing kit",)),
        ("间谍器材", ("espionage equipment",)),
    ],
    "forged currency and documents": [
        ("假币", ("counterfeit banknotes", "fake currency")),
        ("伪钞", ("counterfeit notes",)),
        ("假身份证", ("fake ID card",)),
        ("伪造护照", ("forged passport",)),
        ("假发票", ("fake invoices",)),
        ("伪造公章", ("forged official seal",)),
        ("假驾照", ("fake driving licence",)),
        ("假学历证书", ("fake diploma",)),
    ],
    "counterfeit and infringing goods": [
        ("高仿名牌包", ("counterfeit designer handbags",)),
        ("盗版光盘", ("pirated DVDs",)),
        ("假药", ("counterfeit medicine",)),
        ("假冒名表", ("replica luxury watches",)),
    ],
    "endangered species products": [
        ("象牙", ("ivory", "elephant tusk")),
        ("犀牛角", ("rhino horn",)),
        ("穿山甲鳞片", ("pangolin scales",)),
        ("虎骨", ("tiger bone",)),
        ("熊胆粉", ("bear bile powder",)),
        ("玳瑁", ("hawksbill turtle shell",)),
        ("虎皮", ("tiger skin",)),
        ("羚羊角", ("saiga antelope horn",)),
        ("红珊瑚", ("red coral",)),
        ("象牙雕刻", ("ivory carving",)),
    ],
}

# slang as senders write it; every line is banned
_SLANG = (
    "冰 5克",
    "溜冰工具一套",
    "叶子 28克（自种）",
    "草 一包",
    "白粉 10g",
    "四号 5克",
    "嗨丸 20粒",
    "K仔 10g",
    "气狗 一把",
    "狗粮 50发 9mm",
    "喷子配件",
    "炮仗 两箱",
    "weed 1oz",
    "kush buds 28g",
    "ganja 1 bag",
    "molly caps x20",
    "special K 10g",
    "coke 7g",
    "blow 3.5g",
    "ice shards 10g",
    "smack 5g",
    "tina 2g",
    "a piece and 50 rounds",
    "9mm rounds x50",
    "whippets 24 chargers",
    "funny money 50 notes",
    "shrooms 30g",
    "scooby snacks (molly)",
    "snow 7g (colombian)",
    "mary jane edibles 10pcs",
)

_HARMLESS_ZH = (
    "手机壳",
    "蓝牙耳机",
    "茶叶 500g",
    "童装 3件",
    "书籍",
    "数据线",
    "运动鞋",
    "毛衣",
    "保温杯",
    "文件资料",
    "零食大礼包",
    "床上四件套",
    "陶瓷碗 6只",
    "相框",
    "雨伞",
    "瑜伽垫",
    "笔记本电脑支架",
    "电饭煲",
    "台灯",
    "羽绒服",
    "围巾",
    "化妆刷套装",
    "积木",
    "钢笔",
    "吉他弦",
)
_HARMLESS_EN = (
    "phone case",
    "bluetooth earbuds",
    "tea leaves 500g",
    "kids clothes",
    "books x3",
    "USB cable",
    "running shoes",
    "wool sweater",
    "travel mug",
    "documents",
    "snacks",
    "bed sheets",
    "ceramic bowls",
    "photo frame",
    "umbrella",
    "yoga mat",
    "laptop stand",
    "rice cooker",
    "desk lamp",
    "scarf",
    "watercolour paints",
    "guitar strings",
)

# look-alikes: each is harmless
_COLOUR = (
    "象牙白窗帘",
    "象牙色沙发套",
    "枪灰色手机壳",
    "枪黑色表带",
    "炮铜色耳环",
    "烟花粉口红",
    "ivory-colour curtains",
    "ivory white bed linen",
    "gun-metal grey phone case",
    "gunmetal watch strap",
    "gun metal finish kettle",
    "bullet grey hoodie",
    "coral red lipstick",
    "tiger orange tote bag",
    "acid green sneakers",
    "smoke grey sofa cover",
)
_SHAPE = (
    "子弹造型U盘",
    "子弹头钥匙扣（塑料）",
    "手雷造型蓝牙音箱",
    "炸弹造型抱枕",
    "火箭造型台灯",
    "手枪造型开瓶器",
    "bullet-shaped USB drive",
    "grenade-shaped speaker",
    "bomb-shaped cushion",
    "rocket-shaped night light",
    "pistol-shaped bottle opener",
    "dynamite-shaped candle",
    "skull-shaped ice cube mould",
)
_PATTERN = (
    "烟花图案连衣裙",
    "枪炮玫瑰乐队T恤",
    "豹纹围巾",
    "虎纹抱枕",
    "迷彩子弹图案袜子",
    "象牙纹理手机壳",
    "firework-print dress",
    "Guns N' Roses band T-shirt",
    "leopard-print scarf",
    "python-print handbag (faux)",
    "camouflage print backpack",
    "tiger-stripe pillow",
    "cannabis leaf print socks",
)
_SHARED = (
    "热熔胶枪",
    "筋膜枪",
    "测温枪",
    "扫码枪",
    "弹簧 100个",
    "弹力带",
    "冰糖 1斤",
    "冰箱贴",
    "炸鸡粉",
    "爆米花机",
    "避雷针",
    "盐酸二甲双胍片（处方药，自用）",
    "麻绳",
    "大麻哈鱼罐头",
    "书《走出象牙塔》",
    "假发",
    "假睫毛",
    "《窃听风云》DVD",
    "间谍小说三本",
    "病毒学教材",
    "硫酸纸 A4 100张",
    "火锅底料",
    "bullet journal",
    "bomb-proof case",
    "bath bombs x6",
    "hot glue gun",
    "massage gun",
    "barcode scanner gun",
    "Coke Zero 24 cans",
    "snow globe",
    "ice pack",
    "grass seed 1kg",
    "crystal vase",
    "acid-free paper",
    "hyaluronic acid serum",
    "fireproof document bag",
    "baby powder",
    "protein powder 2kg",
    "fake fur throw",
    "fake plant",
    "spy novel",
    "pot holders",
    "pipe fittings (plumbing)",
    "smokey eye palette",
    "nitro cold brew coffee",
    "powder puff",
    "gas station gift card",
    "matchbox car set",
)
# modifier x product: (Chinese (modifiers, goods), English (modifiers, goods))
_COMBOS: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    "colour": (
        (
            ("象牙白", "象牙色", "枪灰色", "枪黑色", "炮铜色", "珊瑚红", "珊瑚粉", "军绿色",
             "烟灰色"),
            ("窗帘", "手机壳", "沙发套", "连衣裙", "耳环", "表带", "笔记本", "床单", "运动鞋",
             "毛巾"),
        ),
        (
            ("ivory", "ivory-colour", "ivory white", "gun-metal grey", "gunmetal", "bullet grey",
             "coral red", "acid green", "smoke grey", "army green", "tiger orange"),
            ("curtains", "phone case", "sofa cover", "dress", "earrings", "watch strap",
             "notebook", "bed sheets", "sneakers", "towel", "hoodie"),
        ),
    ),
    "shape": (
        (
            ("子弹造型", "手雷造型", "炸弹造型", "火箭造型", "手枪造型", "导弹造型", "子弹形"),
            ("U盘", "蓝牙音箱", "抱枕", "台灯", "开瓶器", "钥匙扣", "冰箱贴", "蜡烛", "存钱罐"),
        ),
        (
            ("bullet-shaped", "grenade-shaped", "bomb-shaped", "rocket-shaped", "pistol-shaped",
             "missile-shaped", "bullet shaped"),
            ("USB drive", "speaker", "cushion", "night light", "bottle opener", "keyring",
             "fridge magnet", "candle", "piggy bank"),
        ),
    ),
    "pattern": (
        (
            ("烟花图案", "豹纹", "虎纹", "子弹图案", "大麻叶图案", "迷彩", "烟花印花"),
            ("连衣裙", "T恤", "围巾", "抱枕", "袜子", "手机壳", "帆布包", "床单"),
        ),
        (
            ("firework-print", "leopard-print", "tiger-stripe", "bullet-print",
             "cannabis-leaf print", "python-print (faux)", "camouflage", "fireworks pattern"),
            ("dress", "T-shirt", "scarf", "pillow", "socks", "phone case", "tote bag",
             "duvet cover"),
        ),
    ),
}  # fmt: skip

_TOY = (
    "儿童玩具水枪",
    "塑料玩具手枪",
    "泡沫软弹玩具枪（儿童）",
    "玩具手雷（塑料）",
    "木制玩具步枪",
    "积木武器配件包",
    "1:35坦克拼装模型",
    "塑料玩具剑",
    "toy water pistol",
    "plastic toy gun",
    "foam dart blaster (kids)",
    "wooden toy rifle",
    "model tank kit 1/35",
    "foam cosplay sword",
    "LEGO weapons pack",
    "toy grenade (plastic)",
    "plastic pirate cutlass (toy)",
)

_ZH_TEMPLATES = (
    "{x}",
    "{x} {n}件",
    "内件：{x}，数量{n}",
    "{x}（自用）",
    "寄：{x} 共{n}件",
    "品名:{x}；价值:{v}元",
    "礼品 {x}",
    "{h}，{x}",
    "{x}、{h}",
    "货物：{x} 一箱",
    "{x} 样品",
)
_EN_TEMPLATES = (
    "{x}",
    "Contents: {x} x{n}",
    "{n} pcs {x}",
    "Gift - {x}",
    "Personal use: {x}",
    "{x}, value USD {v}",
    "{h}, {x}",
    "{x} and {h}",
    "Sample: {x}",
    "{x} (used)",
)

_LEET = {
    "a": "4@",
    "e": "3",
    "i": "1!",
    "o": "0",
    "s": "5$",
    "t": "7",
    "l": "1",
    "g": "9",
    "b": "8",
}
_HOMOGLYPH = {
    "a": "а",
    "e": "е",
    "o": "оο",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "іι",
    "k": "κ",
    "n": "η",
    "v": "ν",
    "A": "АΑ",
    "B": "ВΒ",
    "E": "ЕΕ",
    "H": "Н",
    "K": "К",
    "M": "М",
    "O": "ОΟ",
    "P": "Р",
    "C": "С",
    "T": "ТΤ",
    "X": "Х",
}
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")

_S2T = (opencc.OpenCC("s2t"), opencc.OpenCC("s2tw"), opencc.OpenCC("s2hk"))
_TRAD_FIX = {"假发票": "假發票"}
# initials of banned goods as they are abbreviated in chats and on forms, with a unit
_INITIALS = (
    ("SQ", "一把"), ("ZD", "50发"), ("QZ", "配件一套"), ("DY", "一盒"), ("ZY", "2公斤"),
    ("YH", "3箱"), ("BP", "两箱"), ("HLY", "5克"), ("BD", "10g"), ("DM", "28克"),
    ("YTW", "20粒"), ("JB", "100张"), ("XYQ", "一个"), ("LHD", "2箱"), ("GZDJ", "2把"),
    ("LG", "3发"),
)  # fmt: skip


def _all_items() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(cat, zh, en) for cat, items in BANNED_ITEMS.items() for zh, en in items]


def _fill(rng: random.Random, x: str, zh: bool) -> str:
    t = rng.choice(_ZH_TEMPLATES if zh else _EN_TEMPLATES)
    h = rng.choice(_HARMLESS_ZH if zh else _HARMLESS_EN)
    return t.format(x=x, n=rng.randint(1, 12), v=rng.choice((20, 50, 99, 150, 300, 888)), h=h)


def _is_zh(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def _pinyin(zh: str, rng: random.Random, tone: bool) -> str:
    if tone:
        style = rng.choice((Style.TONE, Style.TONE3))
        syl = lazy_pinyin(zh, style=style)
    else:
        syl = lazy_pinyin(zh, style=Style.NORMAL)
    sep = rng.choice((" ", "", " ")) if not tone else rng.choice((" ", ""))
    out = sep.join(syl)
    if rng.random() < 0.2:
        out = out.upper()
    return out


def _leet(s: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(s) if c.lower() in _LEET]
    if not idx:
        return s
    k = max(1, min(len(idx), rng.choice((1, 1, 2, 3))))
    chars = list(s)
    for i in rng.sample(idx, k):
        chars[i] = rng.choice(_LEET[chars[i].lower()])
    return "".join(chars)


def _homoglyph(s: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(s) if c in _HOMOGLYPH]
    if not idx:
        return s
    chars = list(s)
    for i in rng.sample(idx, max(1, min(len(idx), rng.choice((1, 2, 3))))):
        chars[i] = rng.choice(_HOMOGLYPH[chars[i]])
    return "".join(chars)


def _fullwidth(s: str) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in s
    )


def _zero_width(s: str, rng: random.Random) -> str:
    chars = [c for c in s]
    for i in sorted(
        rng.sample(range(1, len(chars)), max(1, min(len(chars) - 1, rng.choice((1, 2, 3))))),
        reverse=True,
    ):
        chars.insert(i, rng.choice(_ZERO_WIDTH))
    return "".join(chars)


def _split(s: str, rng: random.Random) -> str:
    if _is_zh(s):
        sep = rng.choice((" ", " ", "-", "·", "/", "  ", "_"))
        if rng.random() < 0.5:
            return sep.join(s)
        i = rng.randrange(1, len(s))
        return s[:i] + sep + s[i:]
    words = s.split(" ")
    w = max(range(len(words)), key=lambda j: len(words[j]))
    word = words[w]
    compound = {
        "gunpowder": "gun powder",
        "fireworks": "fire works",
        "firecrackers": "fire crackers",
        "handgun": "hand gun",
        "switchblade": "switch blade",
        "shotgun": "shot gun",
        "quicksilver": "quick silver",
        "buckshot": "buck shot",
        "saltpetre": "salt petre",
    }
    if word.lower() in compound:
        words[w] = compound[word.lower()]
    else:
        i = rng.randrange(2, len(word) - 1) if len(word) > 3 else 1
        words[w] = word[:i] + rng.choice((" ", "-", ".", " ")) + word[i:]
    return " ".join(words)


def _evasion(kind: str, rng: random.Random, items: list[tuple[str, str, tuple[str, ...]]]) -> str:
    for _ in range(100):
        _cat, zh, ens = rng.choice(items)
        en = rng.choice(ens)
        if kind in ("pinyin", "pinyin-tone") and len(zh) < 2:
            continue
        if kind == "pinyin":
            return _fill(rng, _pinyin(zh, rng, False), rng.random() < 0.6)
        if kind == "pinyin-tone":
            return _fill(rng, _pinyin(zh, rng, True), rng.random() < 0.6)
        if kind == "initials":
            ini, unit = rng.choice(_INITIALS)
            if rng.random() < 0.3:
                ini = ini.lower()
            return rng.choice(
                ("{i} {u}", "{i}{u}", "寄{i} {u}", "{i}（{u}）", "货：{i} {u}")
            ).format(i=ini, u=unit)
        if kind == "leet":
            src = en if rng.random() < 0.75 else _pinyin(zh, rng, False)
            out = _leet(src, rng)
            if out != src:
                return _fill(rng, out, rng.random() < 0.3)
        if kind == "fullwidth":
            src = en if rng.random() < 0.7 else _pinyin(zh, rng, False)
            return _fill(rng, _fullwidth(src), rng.random() < 0.5)
        if kind == "homoglyph":
            out = _homoglyph(en, rng)
            if out != en:
                return _fill(rng, out, False)
        if kind == "zero-width":
            src = zh if rng.random() < 0.5 else en
            if len(src) < 2:
                continue
            return _fill(rng, _zero_width(src, rng), _is_zh(src))
        if kind == "split":
            src = zh if rng.random() < 0.5 else en
            if len(src) < 2:
                continue
            return _fill(rng, _split(src, rng), _is_zh(src))
        if kind == "joined":
            multi = [e for e in ens if " " in e]
            if not multi:
                continue
            e = rng.choice(multi)
            return _fill(
                rng, e.replace(" ", "") if rng.random() < 0.7 else e.replace(" ", "").upper(), False
            )
        if kind == "traditional":
            t = _TRAD_FIX.get(zh) or rng.choice(_S2T).convert(zh)
            if t != zh:
                return _fill(rng, t, True)
        if kind == "slang":
            line = rng.choice(_SLANG)
            if rng.random() < 0.4:
                h = rng.choice(_HARMLESS_ZH if _is_zh(line) else _HARMLESS_EN)
                line = f"{h}，{line}" if _is_zh(line) else f"{h}, {line}"
            return line
    raise RuntimeError(kind)


EVASION_KINDS = (
    "pinyin",
    "pinyin-tone",
    "initials",
    "leet",
    "fullwidth",
    "homoglyph",
    "zero-width",
    "split",
    "joined",
    "traditional",
    "slang",
)
LOOKALIKE_KINDS = ("colour", "shape", "pattern", "shared-word", "toy")


def generate(n: int, seed: int) -> list[Case]:
    """n labelled declarations, about half of them banned; deterministic per seed."""
    rng = random.Random(seed)
    items = _all_items()
    out: list[Case] = []
    for _ in range(n):
        x = rng.random()
        if x < 0.22:
            _cat, zh, ens = rng.choice(items)
            zh_form = rng.random() < 0.55
            out.append(
                Case(
                    _fill(rng, zh if zh_form else rng.choice(ens), zh_form),
                    True,
                    "plain",
                    "plain-banned",
                )
            )
        elif x < 0.50:
            kind = EVASION_KINDS[rng.randrange(len(EVASION_KINDS))]
            out.append(Case(_evasion(kind, rng, items), True, "evasion", kind))
        elif x < 0.60:
            zh_form = rng.random() < 0.5
            h = rng.choice(_HARMLESS_ZH if zh_form else _HARMLESS_EN)
            out.append(Case(_fill(rng, h, zh_form), False, "plain", "plain-harmless"))
        else:
            y = rng.random()
            kind, pool = (
                ("colour", _COLOUR)
                if y < 0.22
                else ("shape", _SHAPE)
                if y < 0.40
                else ("pattern", _PATTERN)
                if y < 0.58
                else ("shared-word", _SHARED)
                if y < 0.85
                else ("toy", _TOY)
            )
            combo = _COMBOS.get(kind)
            if combo and rng.random() < 0.6:  # a modifier composed with an ordinary product
                in_zh = rng.random() < 0.5
                mods, goods = combo[0 if in_zh else 1]
                item = rng.choice(mods) + ("" if in_zh else " ") + rng.choice(goods)
            else:
                item = rng.choice(pool)
            text = _fill_harmless(rng, item)
            out.append(Case(text, None if kind == "toy" else False, "look-alike", kind))
    return out


def _fill_harmless(rng: random.Random, item: str) -> str:
    zh = _is_zh(item)
    t = rng.choice(_ZH_TEMPLATES if zh else _EN_TEMPLATES)
    h = rng.choice(_HARMLESS_ZH if zh else _HARMLESS_EN)
    return t.format(x=item, n=rng.randint(1, 6), v=rng.choice((20, 50, 99, 150)), h=h)


def _selfcheck() -> None:
    a = generate(3000, 5)
    assert a == generate(3000, 5), "not deterministic"
    assert a != generate(3000, 6)
    kinds = Counter(c.kind for c in a)
    for k in EVASION_KINDS + LOOKALIKE_KINDS + ("plain-banned", "plain-harmless"):
        assert kinds[k] > 0, k
    share = sum(c.banned is True for c in a) / len(a)
    assert 0.45 < share < 0.55, share
    for c in a:
        assert c.text.strip()
        if c.group == "evasion":
            assert c.banned is True
        if c.kind == "zero-width":
            assert any(z in c.text for z in _ZERO_WIDTH)
        if c.kind == "homoglyph":
            assert not c.text.isascii()
    print("selfcheck ok")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="parcel declarations set C")
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    _selfcheck()
    cases = generate(a.n, a.seed)
    rng = random.Random(0)
    by_kind: dict[str, list[Case]] = {}
    for c in cases:
        by_kind.setdefault(c.kind, []).append(c)
    for k in sorted(by_kind):
        for c in rng.sample(by_kind[k], min(3, len(by_kind[k]))):
            print(f"  {k:15s} {c.banned!s:5s} {c.text!r}")
    print(f"\n{len(cases)} cases (seed {a.seed}); counts by group/kind:")
    for (g, k), m in sorted(Counter((c.group, c.kind) for c in cases).items()):
        print(f"  {g:10s} {k:15s} {m:6d}")
    print("  banned:", Counter(str(c.banned) for c in cases))


if __name__ == "__main__":
    main()
