"""Parcel screening benchmark: a generated, labelled set of declarations (Chinese and
English) with synonyms, misspellings, character variants and innocuous look-alikes.

    .venv/bin/python bench/parcels.py [--n 10000] [--seed 7]

Prints precision and recall of "flagged" (inspect or refuse) against the label "contains a
banned or controlled item", per generation kind, plus throughput; for every set, the rules
alone and the rules with the learned second opinion (screening/parcel_model.py). The
look-alike list below is written independently of the catalogue's exclusion phrases, so
that it tests them.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from vigil.screening.parcel_model import ParcelModel, shipped_model, with_second_opinion
from vigil.screening.parcels import BannedCatalogue, ParcelDecision, load_catalogue, screen_parcel

INNOCUOUS_ZH = [
    "衣服",
    "T恤",
    "牛仔裤",
    "连衣裙",
    "羽绒服",
    "袜子",
    "运动鞋",
    "帽子",
    "围巾",
    "手套",
    "书籍",
    "杂志",
    "笔记本",
    "文具",
    "钢笔",
    "铅笔",
    "橡皮",
    "手机壳",
    "数据线",
    "耳机",
    "鼠标",
    "键盘",
    "充电器",
    "茶叶",
    "月饼",
    "零食",
    "饼干",
    "巧克力",
    "坚果",
    "枸杞",
    "红枣",
    "玩具",
    "积木",
    "毛绒玩具",
    "拼图",
    "化妆品",
    "面霜",
    "口红",
    "洗面奶",
    "面膜",
    "牙刷",
    "毛巾",
    "床单",
    "枕头",
    "被套",
    "窗帘",
    "相框",
    "花瓶",
    "陶瓷杯",
    "保温杯",
    "碗筷",
    "餐具",
    "锅铲",
    "收纳盒",
    "雨伞",
    "背包",
    "钱包",
    "皮带",
    "手表",
    "眼镜",
    "首饰",
    "项链",
    "手链",
    "发夹",
    "药品说明书",
    "维生素",
    "蛋白粉",
    "奶粉",
    "尿不湿",
    "婴儿衣服",
    "宠物粮",
    "猫砂",
    "狗绳",
    "鱼饵",
    "渔线",
    "乐高",
    "模型车",
    "遥控车",
    "台灯",
    "灯泡",
    "插座",
    "螺丝刀",
    "扳手",
    "卷尺",
    "胶带",
    "打印纸",
    "贺卡",
    "明信片",
    "邮票",
    "文件",
    "合同",
    "样品",
    "布料",
    "纽扣",
    "拉链",
    "毛线",
    "绣花线",
    "画册",
    "油画颜料",
    "水彩",
    "画笔",
    "画布",
    "吉他弦",
    "小提琴",
    "乐谱",
]

_EN_SINGLE = [
    "t-shirt",
    "jeans",
    "dress",
    "jacket",
    "socks",
    "sneakers",
    "hat",
    "scarf",
    "gloves",
    "books",
    "magazine",
    "notebook",
    "stationery",
    "pens",
    "pencils",
    "eraser",
    "headphones",
    "mouse",
    "keyboard",
    "charger",
    "tea",
    "mooncakes",
    "snacks",
    "biscuits",
    "chocolate",
    "nuts",
    "toys",
    "lego",
    "puzzle",
    "cosmetics",
    "lipstick",
    "cleanser",
    "toothbrush",
    "towel",
    "pillow",
    "curtains",
    "vase",
    "mug",
    "thermos",
    "cutlery",
    "umbrella",
    "backpack",
    "wallet",
    "belt",
    "wristwatch",
    "glasses",
    "necklace",
    "bracelet",
    "vitamins",
    "diapers",
    "screwdriver",
    "wrench",
    "postcards",
    "documents",
    "samples",
    "fabric",
    "buttons",
    "zippers",
    "yarn",
    "canvas",
    "kettle",
    "dumbbells",
]
_EN_MULTI = [
    "phone case",
    "usb cable",
    "dried fruit",
    "plush toy",
    "face cream",
    "face mask",
    "bed sheets",
    "photo frame",
    "ceramic mug",
    "storage box",
    "hair clip",
    "protein powder",
    "baby formula",
    "pet food",
    "cat litter",
    "dog leash",
    "fishing line",
    "model car",
    "desk lamp",
    "light bulbs",
    "power strip",
    "tape measure",
    "printer paper",
    "greeting cards",
    "oil paints",
    "paint brushes",
    "guitar strings",
    "sheet music",
    "phone stand",
    "laptop sleeve",
    "yoga mat",
]

# Innocuous items that look like banned ones. Written for this bench, not copied from the
# catalogue's exclusions (some are there, many are not).
LOOKALIKES_ZH = [
    "金枪鱼罐头",
    "火药味香薰蜡烛",
    "硫酸镁浴盐",
    "硫酸亚铁肥料",
    "火柴人玩偶",
    "白粉病杀菌剂",
    "大麻哈鱼干",
    "镭射贴纸",
    "无汞电池",
    "象牙白衬衫",
    "虎皮鹦鹉饲料",
    "珊瑚绒毯子",
    "冰壶运动纪念品",
    "烟花三月旅游书",
    "高压水枪",
    "热熔胶枪",
    "筋膜枪",
    "额温枪",
    "泡泡枪玩具",
    "电池盒",
    "手机电池壳",
    "香水味洗衣液",
    "刀削面礼盒",
    "剪刀石头布卡牌",
    "汽油味道的香水小样卡",
    "黄油刀",
    "调色刀",
    "磨刀石",
    "水果刀套",
    "爆米花",
    "炸鸡调料",
    "炮仗花种子",
    "弹簧床垫",
    "弹力带",
    "子弹头列车模型",
    "枪乌贼干",
    "蜡烛",
    "酒精灯造型摆件",
    "硝酸甘油说明书",
    "玩具弩箭贴纸",
    "毒舌漫画书",
    "雷管造型笔",
    "鞭炮图案春联",
    "打火石项链",
    "猎刀图案T恤",
]
LOOKALIKES_EN = [
    "tuna cans",
    "heroine action figure",
    "Swiss watches",
    "piston rings",
    "ethernet cable",
    "diesel jeans\n    ",
    "lighter weight jacket",
    "ivory white dress",
    "tortoiseshell cat collar",
    "hot glue gun",
    "palette knife\n    ",
    "bullet journal",
    "printer ink cartridge",
    "water gun toy",
    "massage gun",
    "matchbox cars",
    "grenadine syrup",
    "opium perfume poster",
    "freddie mercury poster",
    "sword art online dvd\n    ",
    "butter knife",
    "knife sharpener",
    "ammonia-free hair dye",
    "radio",
    "sodium lamp",
    "method book",
    "metal ruler\n    ",
    "coral fleece blanket",
    "tiger balm",
    "shark plush toy",
    "pepper grinder",
    "firewood",
    "spark plugs\n    ",
    "gunmetal grey phone case",
    "top gun dvd",
    "fire extinguisher sign",
    "rocket toy",
    "bomb bath fizzies\n    ",
    "acid wash jeans",
    "battery cover",
    "power bank case",
    "gas mask costume",
    "drug store receipts\n    ",
    "pistachios",
    "bulletin board",
    "cartoon stickers",
    "trifle bowl",
    "knit scarf",
    "smoke detector",
]
LOOKALIKES_EN = [x.strip() for x in LOOKALIKES_EN if x.strip()]


@dataclass(frozen=True)
class Declaration:
    text: str
    banned: bool
    kind: str  # how it was generated


def _typo(word: str, rng: random.Random) -> str:
    """1 edit for 6-9 letters, 1-2 for longer: substitution, deletion, insertion, swap."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    edits = 1 if len(word) < 10 else rng.choice((1, 2))
    chars = list(word)
    for _ in range(edits):
        spots = [i for i, c in enumerate(chars) if c.isalpha()]
        i = rng.choice(spots)
        op = rng.choice(("sub", "del", "ins", "swap"))
        if op == "sub":
            chars[i] = rng.choice([c for c in letters if c != chars[i]])
        elif op == "del" and len(spots) > 6:
            del chars[i]
        elif op == "ins":
            chars.insert(i, rng.choice(letters))
        elif i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != chars[i]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice([c for c in letters if c != chars[i]])
    return "".join(chars)


class _Homophones:
    """Characters that share a toned pinyin reading, from pypinyin's table."""

    def __init__(self, common: set[str]) -> None:
        self.by_reading: dict[str, list[str]] = defaultdict(list)
        t2s = opencc.OpenCC("t2s")
        for code in pinyin_dict:
            char = chr(code)
            if char in common and t2s.convert(char) == char:
                self.by_reading[lazy_pinyin(char, style=Style.TONE3)[0]].append(char)

    def swap(self, char: str, rng: random.Random) -> str | None:
        reading = lazy_pinyin(char, style=Style.TONE3)[0]
        options = [c for c in self.by_reading.get(reading, []) if c != char]
        return rng.choice(options) if options else None


def _filler(rng: random.Random, chinese: bool) -> list[str]:
    n = rng.choice((0, 1, 1, 2))
    if chinese:
        return rng.sample(INNOCUOUS_ZH, n)
    return rng.sample(_EN_SINGLE + _EN_MULTI, n)


def _compose(item: str, rng: random.Random, chinese: bool) -> str:
    parts = [*_filler(rng, chinese), item]
    rng.shuffle(parts)
    if chinese:
        qty = rng.choice(("", "一件", "两盒", "1个", "若干", "3瓶"))
        return rng.choice(("，", "、", " ")).join(parts) + qty
    qty = rng.choice(("", "1 x ", "2 pcs ", "a box of ", "gift: "))
    sep = rng.choice((", ", " and ", "; "))
    text = qty + sep.join(parts)
    return text.upper() if rng.random() < 0.1 else text.capitalize()


def generate(catalogue: BannedCatalogue, n: int, seed: int) -> list[Declaration]:
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    import jieba

    jieba.initialize()
    # evaders use common characters: single-character words in jieba's dictionary
    common = {w for w, f in jieba.dt.FREQ.items() if len(w) == 1 and f >= 100}
    homophones = _Homophones(common)
    items = list(catalogue.items.values())
    out: list[Declaration] = []
    for _ in range(n):
        if rng.random() < 0.5:  # banned
            item = rng.choice(items)
            chinese = bool(item.names_zh) and (not item.names_en or rng.random() < 0.5)
            term = rng.choice(item.names_zh if chinese else item.names_en)
            kind = "exact"
            roll = rng.random()
            if chinese and roll < 0.2:
                term, kind = str(s2t.convert(term)), "traditional"
            elif chinese and roll < 0.35 and len(term) >= 2 and "\u4e00" <= term[0] <= "\u9fff":
                i = rng.randrange(len(term))
                swapped = homophones.swap(term[i], rng)
                if swapped and "\u4e00" <= term[i] <= "\u9fff":
                    term, kind = term[:i] + swapped + term[i + 1 :], "homophone"
            elif chinese and roll < 0.45 and len(term) >= 2:
                i = rng.randrange(len(term))
                if "\u4e00" <= term[i] <= "\u9fff":
                    term = term[:i] + lazy_pinyin(term[i])[0] + term[i + 1 :]
                    kind = "pinyin-in-latin"
            elif chinese and roll < 0.55 and len(term) >= 2:
                term, kind = " ".join(term), "spaced"
            elif not chinese and roll < 0.4 and len(term.replace(" ", "")) >= 6:
                words = term.split()
                longest = max(range(len(words)), key=lambda j: len(words[j]))
                if len(words[longest]) >= 6:
                    words[longest] = _typo(words[longest], rng)
                    term, kind = " ".join(words), "misspelling"
            elif not chinese and roll < 0.5:
                term, kind = term.upper(), "upper-case"
            out.append(Declaration(_compose(term, rng, chinese), True, f"banned/{kind}"))
        elif rng.random() < 0.4:
            chinese = rng.random() < 0.5
            look = rng.choice(LOOKALIKES_ZH if chinese else LOOKALIKES_EN)
            out.append(Declaration(_compose(look, rng, chinese), False, "look-alike"))
        else:
            chinese = rng.random() < 0.5
            goods = rng.choice(INNOCUOUS_ZH if chinese else _EN_SINGLE + _EN_MULTI)
            out.append(Declaration(_compose(goods, rng, chinese), False, "innocuous"))
    return out


def _score(
    name: str, truth: list[bool | None], kinds: list[str], flags: list[bool], refused: list[bool]
) -> None:
    """Precision and recall of "flagged", then per class: recall for contraband classes,
    the cleared share for harmless classes, the never-refused share for toy weapons."""
    tp = sum(1 for t, f in zip(truth, flags, strict=True) if t is True and f)
    fn = sum(1 for t, f in zip(truth, flags, strict=True) if t is True and not f)
    fp = sum(1 for t, f in zip(truth, flags, strict=True) if t is False and f)
    tn = sum(1 for t, f in zip(truth, flags, strict=True) if t is False and not f)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"[{name}] {len(truth)} declarations: precision {precision:.4f}  recall {recall:.4f}"
        f"  (tp {tp} fp {fp} fn {fn} tn {tn})"
    )
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    label: dict[str, str] = {}
    for t, k, f, r in zip(truth, kinds, flags, refused, strict=True):
        by_kind[k][1] += 1
        if t is True:
            by_kind[k][0] += f
            label[k] = "evasion    recall"
        elif t is False:
            by_kind[k][0] += not f
            label[k] = "look-alike cleared"
        else:
            by_kind[k][0] += not r
            label[k] = "toy weapon not refused"
    for k in sorted(by_kind, key=lambda k: (label[k], k)):
        right, n = by_kind[k]
        print(f"  {label[k]:24} {k:26} {right / n:.4f}  (n={n})")


def _compare(
    name: str,
    truth: list[bool | None],
    texts: list[str],
    decisions: list[ParcelDecision],
    model: ParcelModel,
) -> None:
    """Rules alone against rules OR the learned second opinion, on the same declarations."""
    combined = [with_second_opinion(d, t, model) for d, t in zip(decisions, texts, strict=True)]
    line = []
    for label, ds in (("rules only", decisions), ("rules + model", combined)):
        tp = sum(1 for t, d in zip(truth, ds, strict=True) if t is True and d.decision != "cleared")
        fp = sum(
            1 for t, d in zip(truth, ds, strict=True) if t is False and d.decision != "cleared"
        )
        fn = sum(1 for t, d in zip(truth, ds, strict=True) if t is True and d.decision == "cleared")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        line.append(f"{label}: precision {precision:.4f} recall {recall:.4f}")
    refused = sum(
        1 for a, b in zip(decisions, combined, strict=True) if a.decision != b.decision == "refuse"
    )
    added = sum(1 for a, b in zip(decisions, combined, strict=True) if a.decision != b.decision)
    where = name.split(":")[0]
    print(f"  [{where}] {'   '.join(line)}   (model added {added} inspect, {refused} refuse)")


def _other_set(
    catalogue: BannedCatalogue,
    module: str,
    name: str,
    n: int,
    seed: int,
    today: date,
    show: int,
    model: ParcelModel,
) -> None:
    """Score an independently written set (`generate(n, seed)` of cases with `text`, `banned`
    and a class as `kind` or `label`)."""
    import importlib

    if n <= 0:
        return
    cases = importlib.import_module(module).generate(n, seed)  # bench/ is on sys.path
    decisions = [screen_parcel(catalogue, c.text, True, on=today) for c in cases]
    flags = [d.decision != "cleared" for d in decisions]
    kinds = [getattr(c, "kind", None) or c.label for c in cases]
    _score(
        name,
        [c.banned for c in cases],
        kinds,
        flags,
        [d.decision == "refuse" for d in decisions],
    )
    _compare(name, [c.banned for c in cases], [c.text for c in cases], decisions, model)
    shown = 0
    for case, kind, decision, flag in zip(cases, kinds, decisions, flags, strict=True):
        wrong = (case.banned is True and not flag) or (case.banned is False and flag)
        wrong = wrong or (case.banned is None and decision.decision == "refuse")
        if wrong and shown < show:
            shown += 1
            print(f"  ERROR {kind:20} {case.text!r} -> {decision.decision}")
            print(f"        {decision.reason[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-errors", type=int, default=15)
    parser.add_argument("--n-b", type=int, default=6000, help="size of the second set")
    parser.add_argument("--seed-b", type=int, default=23)
    parser.add_argument("--n-c", type=int, default=5000, help="size of the third set")
    parser.add_argument("--seed-c", type=int, default=1)
    parser.add_argument("--n-d", type=int, default=6000, help="size of the fourth set")
    parser.add_argument("--seed-d", type=int, default=1)
    parser.add_argument("--n-e", type=int, default=6000, help="size of the fifth set")
    parser.add_argument("--seed-e", type=int, default=1)
    parser.add_argument("--n-f", type=int, default=6000, help="size of the sixth set")
    parser.add_argument("--seed-f", type=int, default=1)
    parser.add_argument("--n-g", type=int, default=6000, help="size of the seventh set")
    parser.add_argument("--seed-g", type=int, default=1)
    parser.add_argument("--n-h", type=int, default=6000, help="size of the eighth set")
    parser.add_argument("--seed-h", type=int, default=1)
    parser.add_argument("--n-i", type=int, default=6000, help="size of the ninth set")
    parser.add_argument("--seed-i", type=int, default=1)
    parser.add_argument("--n-j", type=int, default=6000, help="size of the tenth set")
    parser.add_argument("--seed-j", type=int, default=1)
    parser.add_argument("--n-k", type=int, default=6000, help="size of the eleventh set")
    parser.add_argument("--seed-k", type=int, default=1)
    args = parser.parse_args()

    catalogue = load_catalogue()
    declarations = generate(catalogue, args.n, args.seed)
    today = date(2025, 6, 1)
    screen_parcel(catalogue, "预热 warm-up", True, on=today)  # jieba initialises once

    model = shipped_model()
    with_second_opinion(screen_parcel(catalogue, "warm-up", True, on=today), "warm-up", model)

    started = time.perf_counter()
    decisions = [screen_parcel(catalogue, d.text, True, on=today) for d in declarations]
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    for d in declarations:
        with_second_opinion(screen_parcel(catalogue, d.text, True, on=today), d.text, model)
    elapsed_with_model = time.perf_counter() - started
    # the rules again, now as warm as the run with the model, for a fair ratio
    started = time.perf_counter()
    for d in declarations:
        screen_parcel(catalogue, d.text, True, on=today)
    elapsed_rules_warm = time.perf_counter() - started

    tp = fp = fn = tn = 0
    by_kind: Counter[str] = Counter()
    hits_by_kind: Counter[str] = Counter()
    errors: list[str] = []
    for declaration, decision in zip(declarations, decisions, strict=True):
        flagged = decision.decision != "cleared"
        by_kind[declaration.kind] += 1
        hits_by_kind[declaration.kind] += flagged == declaration.banned
        if declaration.banned and flagged:
            tp += 1
        elif declaration.banned:
            fn += 1
            errors.append(f"MISS  {declaration.kind:24} {declaration.text}")
        elif flagged:
            fp += 1
            errors.append(f"FALSE {declaration.kind:24} {declaration.text} -> {decision.reason}")
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0

    unverified = [
        screen_parcel(catalogue, d.text, False, on=today).decision for d in declarations[:500]
    ]
    print(f"declarations: {len(declarations)} (banned {tp + fn}, not banned {fp + tn})")
    print(f"precision: {precision:.4f}   recall: {recall:.4f}   (tp {tp} fp {fp} fn {fn} tn {tn})")
    print("per kind (share with the right flag):")
    for kind in sorted(by_kind):
        print(f"  {kind:28} {hits_by_kind[kind] / by_kind[kind]:.4f}  (n={by_kind[kind]})")
    print(
        f"unverified senders never cleared: {all(u != 'cleared' for u in unverified)} (first 500)"
    )
    print(
        f"throughput: {len(declarations) / elapsed:,.0f} declarations/s "
        f"({elapsed * 1000 / len(declarations):.2f} ms each, 1 core)"
    )
    print(
        f"throughput with the learned second opinion: "
        f"{len(declarations) / elapsed_with_model:,.0f} declarations/s "
        f"({elapsed_rules_warm / elapsed_with_model:.2f}x the rules alone, same run, "
        f"both on warm caches)"
    )
    for line in errors[: args.show_errors]:
        print(line)
    print()
    _score(
        "set A: bench generator",
        [d.banned for d in declarations],
        [d.kind for d in declarations],
        [d.decision != "cleared" for d in decisions],
        [d.decision == "refuse" for d in decisions],
    )
    _compare(
        "set A", [d.banned for d in declarations], [d.text for d in declarations], decisions, model
    )
    _other_set(
        catalogue,
        "parcel_declarations_b",
        "set B: independent generator (rules were later fitted to it)",
        args.n_b,
        args.seed_b,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_c",
        "set C: independent generator (a development set since #23's third round)",
        args.n_c,
        args.seed_c,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_d",
        "set D: independent generator (a development set since #23's third round)",
        args.n_d,
        args.seed_d,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_e",
        "set E: independent generator (a development set since #23's fourth round)",
        args.n_e,
        args.seed_e,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_f",
        "set F: independent generator (a development set since its misses were read in #23)",
        args.n_f,
        args.seed_f,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_g",
        "set G: independent generator (a development set since its misses were read in #23)",
        args.n_g,
        args.seed_g,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_h",
        "set H: independent generator (a development set since its misses were read in #23)",
        args.n_h,
        args.seed_h,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_i",
        "set I: independent generator (a development set since its misses were read in #23)",
        args.n_i,
        args.seed_i,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_j",
        "set J: independent generator (a development set since its misses were read in #23)",
        args.n_j,
        args.seed_j,
        today,
        args.show_errors,
        model,
    )
    _other_set(
        catalogue,
        "parcel_declarations_k",
        "set K: independent generator (the clean hold-out: read no miss of it)",
        args.n_k,
        args.seed_k,
        today,
        0,  # its misses stay unread until rules are no longer written against sets
        model,
    )
    print(
        "thresholds: the misspelling edit allowance by term length was set before set B "
        "existed; the rest were written with rules, not fitted to a set: a misspelling by "
        "sound is at most three edits from a term of six letters or more, and the two cues "
        "of a euphemism pair stand at most 6 to 24 characters apart. Sets A-F are all "
        "development sets now: rules were written against their misses (by class, not by "
        "phrasing). Set F stayed clean until its false flags were read once (precision "
        "0.8096, recall 0.9385 on its first run); its misses were read after that. "
        "Set G was written after set F's first fix, apart from every other set and from the "
        "matcher; its first run (precision 0.9617, recall 0.8563) was the clean measure, and "
        "its misses and false flags have been read since (rules written by class, not by its "
        "phrasing). Set H was written while those rules were, apart from every set and from "
        "the matcher; its first run (precision 0.9750, recall 0.8374) was the clean measure, "
        "and its misses have been read since (mechanisms written by class: an OCR confusion "
        "table, euphemism families, import/export pairs, catalogue families). Set I was "
        "written apart from all of these; its first run (precision 0.9536, recall 0.8226) "
        "was the clean measure, and its misses and false flags have been read since "
        "(mechanisms built to be complete by construction: an emoji table from Unicode "
        "names, a component table for the catalogue's characters, formulas read as a "
        "composition, context rules by class). Set J was written apart from all of these "
        "and from the matcher, while those mechanisms were; its first run (precision "
        "0.9841, recall 0.8948) was the clean measure, and its misses and false flags have "
        "been read since (mechanisms by class: a catalogue name's numerals as digits, rounds "
        "by calibre and guns by model, an emoji for one character of a term, initials beside "
        "a note of a substance, a street name with a word of potency, letters drawn like "
        "Latin ones; and other names of catalogue items). Set K was written apart from all "
        "of these and from the matcher, while those rules were; it is the clean measure."
    )


if __name__ == "__main__":
    main()
