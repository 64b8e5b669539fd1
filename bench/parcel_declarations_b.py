"""A second, independent set of labelled parcel declarations.

Written apart from bench/parcels.py's generator and without reading the catalogue: its own
list of contraband (as a sender would name it), its own evasion code and its own harmless
look-alikes. Deterministic for a seed. Used by bench/parcels.py; run alone it prints a few.

Labels: `banned` True (should be flagged), False (should be cleared), or None for toys and
models of weapons, which should be inspected and never refused."""

from __future__ import annotations

import random
from dataclasses import dataclass

import opencc
from pypinyin import Style, lazy_pinyin

# (Chinese, English) names of contraband, one or two per category of the annex.
CONTRABAND: list[tuple[str, str]] = [
    ("手枪", "handgun"),
    ("步枪", "rifle"),
    ("子弹", "bullets"),
    ("霰弹枪", "shotgun"),
    ("弹药", "ammunition"),
    ("匕首", "dagger"),
    ("弹簧刀", "switchblade"),
    ("电击器", "stun gun"),
    ("弩", "crossbow"),
    ("炸药", "dynamite"),
    ("雷管", "detonator"),
    ("烟花", "fireworks"),
    ("鞭炮", "firecrackers"),
    ("液化气罐", "gas cylinder"),
    ("丁烷气", "butane"),
    ("汽油", "gasoline"),
    ("酒精", "ethanol"),
    ("油漆", "paint thinner"),
    ("红磷", "red phosphorus"),
    ("火柴", "matches"),
    ("高锰酸钾", "potassium permanganate"),
    ("双氧水", "hydrogen peroxide"),
    ("氰化钾", "potassium cyanide"),
    ("砒霜", "arsenic"),
    ("水银", "mercury"),
    ("炭疽", "anthrax"),
    ("医疗废物", "medical waste"),
    ("铀", "uranium"),
    ("硫酸", "sulfuric acid"),
    ("氢氧化钠", "caustic soda"),
    ("海洛因", "heroin"),
    ("冰毒", "methamphetamine"),
    ("大麻", "marijuana"),
    ("可卡因", "cocaine"),
    ("鸦片", "opium"),
    ("摇头丸", "ecstasy"),
    ("吸毒工具", "drug paraphernalia"),
    ("窃听器", "bugging device"),
    ("针孔摄像头", "hidden camera"),
    ("假币", "counterfeit money"),
    ("假身份证", "fake passport"),
    ("淫秽光盘", "obscene dvds"),
    ("象牙", "ivory"),
    ("犀牛角", "rhino horn"),
    ("虎骨", "tiger bone"),
    ("穿山甲鳞片", "pangolin scales"),
    ("机密文件", "classified documents"),
]
SLANG: list[str] = [
    "weed",
    "ganja",
    "kush",
    "shabu",
    "molly",
    "nose candy",
    "溜冰",
    "飞叶子",
    "喷子",
    "黑星",
    "ghost gun",
    "zip gun",
]
HARMLESS_ZH = [
    "羊毛围巾",
    "手机壳",
    "蓝牙耳机",
    "茶叶",
    "瓷碗",
    "运动鞋",
    "笔记本",
    "毛巾",
    "台灯",
    "儿童绘本",
]
HARMLESS_EN = [
    "wool scarf",
    "phone case",
    "earbuds",
    "green tea",
    "ceramic bowl",
    "sneakers",
    "notebook",
    "bath towel",
    "desk lamp",
    "picture book",
]
# Harmless goods whose description holds a banned word as a colour, a shape or a print.
COLOUR = [
    "象牙色窗帘",
    "枪灰色手机壳",
    "象牙白衬衫",
    "ivory-colour curtains",
    "gun-metal grey laptop",
    "ivory colored blouse",
    "gunmetal watch strap",
    "象牙色毛衣",
    "ivory tone lace table runner",
    "枪灰色运动裤",
]
SHAPE = [
    "子弹形U盘",
    "bullet-shaped usb drive",
    "手雷造型打火石",
    "bullet shaped lip balm",
    "子弹头造型钥匙扣",
    "grenade-shaped ice mould",
    "dagger shaped letter opener",
]
PATTERN = [
    "烟花图案围巾",
    "firework-print dress",
    "烟花印花T恤",
    "cannabis leaf print socks",
    "marijuana leaf pattern poster",
    "手枪贴纸",
    "gun sticker pack",
    "鞭炮图案春联",
    "fireworks pattern wrapping paper",
    "tiger bone china print mug",
]
TOY = [
    "毛绒穿山甲玩具",
    "plush pangolin toy",
    "toy lighter for kids",
    "玩具打火机",
    "plush rhino toy",
]
MODEL = [
    "穿山甲模型",
    "rhino horn model for school",
    "象牙模型摆件",
    "scale model of a fuel tanker",
]
TOY_WEAPON = [
    "玩具手枪",
    "toy pistol",
    "塑料玩具匕首",
    "plastic toy dagger",
    "手枪模型",
    "scale model rifle",
    "lego grenade toy",
]
# Words that contain a banned word and mean something else entirely.
COLLISION = [
    "金枪鱼罐头",
    "蛋白粉",
    "水枪",
    "hot glue gun",
    "massage gun",
    "bath bomb set",
    "kitchen scale",
    "bullet journal",
    "printer cartridge",
    "heroine novel",
    "weed killer spray",
    "crystal vase",
    "冰壶运动鞋",
    "溜冰鞋",
    "酒精测试仪",
    "无汞温度计",
    "coral fleece blanket",
]

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}
_CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
_INVISIBLE = ["\u200b", "\u200c", "\u2060", "\u00ad", "\ufeff"]
_QUANTITIES = ["1件", "2盒", "x1", "5 pcs", "一批", "10g", "若干", "1 box"]


@dataclass(frozen=True)
class Case:
    text: str
    banned: bool | None
    group: str  # "evasion" or "look-alike"
    kind: str


def _leet(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in _LEET]
    if not spots:
        return word + "!"
    chosen = set(rng.sample(spots, k=max(1, len(spots) // 2)))
    return "".join(_LEET[c] if i in chosen else c for i, c in enumerate(word))


def _cyrillic(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in _CYRILLIC]
    chosen = set(rng.sample(spots, k=min(2, len(spots)))) if spots else set()
    return "".join(_CYRILLIC[c] if i in chosen else c for i, c in enumerate(word))


def _invisible(word: str, rng: random.Random) -> str:
    at = rng.randint(1, max(1, len(word) - 1))
    return word[:at] + rng.choice(_INVISIBLE) + word[at:]


def _fullwidth(word: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


def _split(word: str, rng: random.Random) -> str:
    letters = word.replace(" ", "")
    at = rng.randint(2, max(2, len(letters) - 2))
    return letters[:at] + rng.choice([" ", "  ", "-", " - "]) + letters[at:]


def _pinyin(zh: str, style: str, rng: random.Random) -> str:
    if style == "marks":
        syllables = lazy_pinyin(zh, style=Style.TONE)
    elif style == "digits":
        syllables = lazy_pinyin(zh, style=Style.TONE3)
    else:
        syllables = lazy_pinyin(zh, style=Style.NORMAL)
    if style == "joined":
        return "".join(syllables)
    return " ".join(syllables)


def _wrap(core: str, rng: random.Random) -> str:
    """Put the core item among ordinary goods, in a random order, with a quantity."""
    others = rng.sample(HARMLESS_ZH + HARMLESS_EN, k=rng.randint(0, 2))
    parts = [f"{core} {rng.choice(_QUANTITIES)}" if rng.random() < 0.5 else core, *others]
    rng.shuffle(parts)
    return rng.choice([", ", "、", "; ", " / "]).join(parts)


def _evasions(rng: random.Random) -> list[tuple[str, str]]:
    """(kind, core text) for one contraband item, every evasion class."""
    zh, en = rng.choice(CONTRABAND)
    en_word = max(en.split(), key=len)
    multi = [e for _, e in CONTRABAND if " " in e]
    long_en = [e for _, e in CONTRABAND if len(e.replace(" ", "")) >= 7]
    long_zh = [z for z, _ in CONTRABAND if len(z) >= 3]
    out = [
        ("plain-zh", zh),
        ("plain-en", en),
        ("traditional", str(_S2T.convert(zh))),
        ("fullwidth", _fullwidth(en)),
        ("zero-width", _invisible(en if rng.random() < 0.7 else zh, rng)),
        ("homoglyph", en.replace(en_word, _cyrillic(en_word, rng))),
        ("leet", en.replace(en_word, _leet(en_word, rng))),
        ("split-word", _split(rng.choice(long_en), rng)),
        ("joined-phrase", rng.choice(multi).replace(" ", "")),
        ("slang", rng.choice(SLANG)),
    ]
    if len(zh) >= 2:
        out += [
            ("pinyin-spaced", _pinyin(zh, "plain", rng)),
            ("pinyin-joined", _pinyin(zh, "joined", rng)),
            ("pinyin-tone-marks", _pinyin(zh, "marks", rng)),
            ("pinyin-tone-digits", _pinyin(zh, "digits", rng)),
        ]
    initials = "".join(s[0] for s in lazy_pinyin(rng.choice(long_zh), style=Style.NORMAL))
    out.append(("pinyin-initials", initials.upper() if rng.random() < 0.5 else initials))
    return out


_S2T = opencc.OpenCC("s2t")


def generate(n: int = 6000, seed: int = 23) -> list[Case]:
    """About n cases, half contraband under an evasion, half harmless look-alikes."""
    rng = random.Random(seed)
    cases: list[Case] = []
    look_alikes = {
        "colour": COLOUR,
        "shape": SHAPE,
        "pattern": PATTERN,
        "toy": TOY,
        "model": MODEL,
        "collision": COLLISION,
        "harmless": HARMLESS_ZH + HARMLESS_EN,
    }
    while len(cases) < n:
        for kind, core in _evasions(rng):
            cases.append(Case(_wrap(core, rng), True, "evasion", kind))
        for kind, pool in look_alikes.items():
            for _ in range(2):
                cases.append(Case(_wrap(rng.choice(pool), rng), False, "look-alike", kind))
        cases.append(Case(_wrap(rng.choice(TOY_WEAPON), rng), None, "look-alike", "toy-weapon"))
    return cases[:n]


if __name__ == "__main__":
    for case in generate(40, seed=1):
        print(case.banned, case.kind, case.text)
