"""Person screening evaluation set B.

An independent generator of a watchlist and of filed records (hotel stays and
the like), written separately from Vigil's own screening bench so that a
matcher tuned on one can be measured on the other.

    listed, records = generate(listed=1_000_000, records=100_000, seed=1)

Each ``RecordRow`` carries ``truth`` (the ``entry_id`` of the listed person
behind it, or ``None`` for a stranger) and ``corruption`` (a "+"-joined label
per corruption applied to a listed person's record; ``"clean"`` for a record
of a listed person filed exactly; ``""`` for a stranger).

Design choices an evaluator must know:

* Strangers are filed with the same distribution of name forms, date formats
  and identity-number faults as listed persons (the same plan sampler is
  applied to them, labels discarded), so a format alone says nothing about
  whether a record is a match.
* About a quarter of strangers are hard negatives built from a listed person:
  namesakes, same name and birth year, born the same day, and relatives (same
  surname, same region code, often sharing a generation character; a few are
  twins: same surname, region and birth date).
* "date-yy" files the birth date as ``YY-MM-DD`` with the century dropped
  (1985-03-14 -> "85-03-14"; 2005-03-14 -> "05-03-14").
* "date-lunar" files a date 15-60 days off the true one (as a lunar-calendar
  birthday or a register slip would be) while the record carries the correct
  identity number, whose embedded date is the true one.
* When the listed name is in Hanzi, every romanised name label ("name-order",
  "name-wade-giles", "name-comma", ...) also implies the change of script;
  "name-script" is the plain one (canonical pinyin, or Hanzi when the list
  holds pinyin).
* Foreign (Latin-named) persons have no resident identity number, on the
  list or on records.
* A listed ``birth_date`` of "YYYY" (a few %) means the list only knows the
  year; records of that person still carry the full date unless corrupted.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import TypeVar

import opencc
from pypinyin import Style, lazy_pinyin


@dataclass(frozen=True, slots=True)
class ListedRow:
    entry_id: str
    name: str
    aliases: tuple[str, ...]
    birth_date: str
    id_number: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: str
    name: str
    birth_date: str
    id_number: str
    truth: str | None
    corruption: str


# --------------------------------------------------------------------------
# resident identity numbers (GB 11643)

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"


def id_check_char(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_is_valid(raw: str) -> bool:
    """Structure and check character of an 18-character resident id."""
    if len(raw) != 18 or not raw[:17].isdigit():
        return False
    try:
        date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        return False
    return raw[17].upper() == id_check_char(raw[:17])


# province-level prefixes in use
_PROVINCES = (
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
    41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
)  # fmt: skip

# --------------------------------------------------------------------------
# name material (own tables)

_GIVEN_MALE = (
    "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳磊志建国东峰成亮永新"
    "博轩睿豪泽宏庆德兴良洋彬锋坤毅振福祥金山江海文武斌松柏栋梁晨鸿瑞翔逸康铭皓岩"
    "鹤崇敬勋功彪虎威猛卫民忠孝义仁礼智信胜利光荣昌盛远航川"
)
_GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞秀英玲桂兰萍燕红梅琳雪婷慧莉倩颖洁欣佳怡璐晶琴云凤丹蕾薇月悦茜"
    "雯妍露瑶淑珍荣美彤萱涵诗梦思雨嘉馨琪蓉媛菲婉莹娅婧妮姗琼岚翠娥菊香莲花春秋冬"
    "爱惠巧珊钰霖晴洁媚娇柔"
)
_GIVEN_NEUTRAL = (
    "小晓子文海玉金建国明志永宏家天一新立学光德宝安清中世晨嘉宇俊思诗雨梓若可亦言"
    "书心之嘉乐华佳君振宗泓景恒承哲启子怀"
)

_SURNAME_FIX = {  # surname readings that differ from the common reading
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao",
    "查": "zha", "盖": "ge", "乐": "yue", "秘": "bi", "缪": "miao", "覃": "qin",
    "翟": "zhai", "员": "yun", "召": "shao", "繁": "po", "种": "chong", "隗": "wei",
    "燕": "yan", "沈": "shen", "柏": "bai", "万": "wan", "尉": "wei", "长": "chang",
    "薄": "bo", "藏": "zang", "冼": "xian", "宓": "mi", "阚": "kan", "折": "she",
}  # fmt: skip

_TRAD_FIX = {
    "岳": "岳",
    "于": "于",
    "余": "余",
    "范": "范",
    "肖": "蕭",
    "钟": "鍾",
    "后": "后",
    "谷": "谷",
    "郁": "郁",
}

# Cantonese (c), Hokkien/Teochew/Hakka (h) and other spellings of surnames.
_DIALECT_SURNAMES = {
    "陈": ("Chan", "Tan", "Chin"), "黄": ("Wong", "Ng", "Oei", "Wee"),
    "李": ("Lee", "Lei", "Lie"), "林": ("Lam", "Lim"), "吴": ("Ng", "Goh", "Woo"),
    "张": ("Cheung", "Teo", "Chong"), "刘": ("Lau", "Low", "Lew"), "何": ("Ho", "Hoh"),
    "王": ("Wong", "Ong"), "周": ("Chow", "Chew", "Chiu"), "郑": ("Cheng", "Tay", "Teh"),
    "杨": ("Yeung", "Yeo", "Yeoh"), "梁": ("Leung", "Neo"), "赵": ("Chiu", "Chew"),
    "徐": ("Tsui", "Chee"), "胡": ("Wu", "Oh", "Aw"), "郭": ("Kwok", "Quek", "Kuek"),
    "罗": ("Law", "Lo", "Loh"), "谢": ("Tse", "Chia", "Cheah"), "曾": ("Tsang", "Chan"),
    "邓": ("Tang", "Teng"), "许": ("Hui", "Koh", "Khoo"), "蔡": ("Choi", "Chua", "Tsai"),
    "叶": ("Yip", "Yap", "Yeh"), "朱": ("Chu", "Choo"), "苏": ("So", "Soh"),
    "高": ("Ko", "Koh", "Kao"), "孙": ("Suen", "Sng", "Soon"), "吕": ("Lui", "Loo"),
    "江": ("Kong", "Kang"), "邱": ("Yau", "Khoo", "Chiu"), "钟": ("Chung", "Cheong"),
    "冯": ("Fung", "Pang"), "余": ("Yue", "Yee", "Ee"), "方": ("Fong", "Hong"),
    "袁": ("Yuen", "Wan"), "彭": ("Pang", "Phang"), "潘": ("Poon", "Phua"),
    "蒋": ("Tseung", "Chiang"), "戴": ("Tai", "Tay"), "宋": ("Sung", "Song"),
    "卢": ("Lo", "Loo"), "黎": ("Lai",), "甘": ("Kam",), "魏": ("Ngai", "Gwee"),
    "廖": ("Liu", "Leow"), "麦": ("Mak",), "莫": ("Mok",), "关": ("Kwan",),
    "温": ("Wan", "Woon"), "翁": ("Yung", "Ong"), "侯": ("Hau",), "石": ("Shek", "Cheoh"),
    "雷": ("Lui",), "崔": ("Tsui",), "汤": ("Tong", "Thng"), "韩": ("Hon", "Han"),
    "马": ("Mah", "Beh"), "龙": ("Lung", "Leng"), "丁": ("Ting", "Teng"),
    "萧": ("Siu", "Seow"), "严": ("Yim", "Giam"), "姚": ("Yiu", "Yeo"), "谭": ("Tam", "Tham"),
    "欧阳": ("Au-Yeung", "Auyong"), "庄": ("Chong", "Chng"), "洪": ("Hung", "Ang"),
}  # fmt: skip

_LATIN_LOCALES = (
    ("en_US", 30), ("en_GB", 8), ("de_DE", 8), ("fr_FR", 7), ("es_ES", 7), ("it_IT", 6),
    ("pt_BR", 5), ("nl_NL", 4), ("vi_VN", 6), ("id_ID", 6), ("tr_TR", 5), ("en_IN", 8),
)  # fmt: skip

# pinyin initials, longest first
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
             "j", "q", "x", "r", "z", "c", "s")  # fmt: skip
_WG_INITIAL = {
    "b": "p", "p": "p'", "m": "m", "f": "f", "d": "t", "t": "t'", "n": "n", "l": "l",
    "g": "k", "k": "k'", "h": "h", "j": "ch", "q": "ch'", "x": "hs", "zh": "ch",
    "ch": "ch'", "sh": "sh", "r": "j", "z": "ts", "c": "ts'", "s": "s",
}  # fmt: skip
_WG_WHOLE = {
    "zi": "tzu", "ci": "tz'u", "si": "ssu", "zhi": "chih", "chi": "ch'ih", "shi": "shih",
    "ri": "jih", "er": "erh", "yi": "i", "ye": "yeh", "you": "yu", "yan": "yen",
    "yong": "yung", "yu": "yü", "yue": "yüeh", "yuan": "yüan", "yun": "yün",
}  # fmt: skip


def wade_giles(syl: str) -> str:
    """Toneless pinyin syllable (ü written ü) to Wade-Giles with apostrophes."""
    if syl in _WG_WHOLE:
        return _WG_WHOLE[syl]
    if syl[0] in "yw" or syl[0] in "aoe":
        return syl.replace("ong", "ung")
    ini = next((i for i in _INITIALS if syl.startswith(i)), "")
    fin = syl[len(ini) :]
    if ini in ("j", "q", "x"):
        if fin.startswith("u"):
            fin = "ü" + fin[1:]
        fin = {"üe": "üeh", "ian": "ien", "ie": "ieh", "iong": "iung"}.get(fin, fin)
    else:
        o_final = fin == "e" and ini in ("g", "k", "h")
        if o_final or (fin == "uo" and ini not in ("g", "k", "h", "sh")):
            fin = "o"
        elif fin == "ui" and ini in ("g", "k"):
            fin = "uei"
        elif fin in ("üe", "ue"):
            fin = "üeh"
        else:
            fin = {"ong": "ung", "ian": "ien", "ie": "ieh"}.get(fin, fin)
    return _WG_INITIAL[ini] + fin


# --------------------------------------------------------------------------
# pools (seed independent, built once)


class _Pools:
    def __init__(self) -> None:
        from faker.providers.person.zh_CN import Provider as ZhProvider

        s2t = opencc.OpenCC("s2t")
        surnames = list(ZhProvider.last_names.items())
        surnames += [
            ("司马", 0.01),
            ("上官", 0.01),
            ("诸葛", 0.008),
            ("东方", 0.006),
            ("尉迟", 0.003),
        ]
        self.surnames = [s for s, _ in surnames]
        self.surname_cum = list(accumulate(w for _, w in surnames))

        def ranked(chars: str) -> tuple[list[str], list[float]]:
            seen: dict[str, None] = dict.fromkeys(chars)
            out = list(seen)
            return out, list(accumulate(1.0 / (r + 8) for r in range(len(out))))

        self.given_m = ranked(_GIVEN_MALE + _GIVEN_NEUTRAL)
        self.given_f = ranked(_GIVEN_FEMALE + _GIVEN_NEUTRAL)

        chars: dict[str, None] = {}
        for s in self.surnames:
            chars.update(dict.fromkeys(s))
        for c in _GIVEN_MALE + _GIVEN_FEMALE + _GIVEN_NEUTRAL:
            chars[c] = None
        # level-1 GB2312 characters: the ones an IME offers first
        level1 = []
        for b1 in range(0xB0, 0xD8):
            for b2 in range(0xA1, 0xFF):
                try:
                    level1.append(bytes((b1, b2)).decode("gb2312"))
                except UnicodeDecodeError:
                    continue
        self.py: dict[str, str] = {}  # toneless, ü as ü
        self.tone: dict[str, str] = {}  # tone marks
        self.tnum: dict[str, int] = {}  # tone number 1-5
        for c in list(chars) + level1:
            if c in self.py:
                continue
            self.py[c] = lazy_pinyin(c, style=Style.NORMAL, v_to_u=True)[0]
            self.tone[c] = lazy_pinyin(c, style=Style.TONE)[0]
            t3 = lazy_pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0]
            self.tnum[c] = int(t3[-1]) if t3[-1].isdigit() else 5
        self.surname_py: dict[str, list[str]] = {}
        for s in self.surnames:
            if s in _SURNAME_FIX:
                self.surname_py[s] = [_SURNAME_FIX[s]]
            elif s == "尉迟":
                self.surname_py[s] = ["yu", "chi"]
            else:
                self.surname_py[s] = [self.py[c] for c in s]
        self.trad = {c: _TRAD_FIX.get(c, s2t.convert(c)) for c in chars}
        self.simp = {t: s for s, t in self.trad.items()}
        by_sound: dict[str, list[str]] = {}
        for c in level1:
            by_sound.setdefault(self.py[c], []).append(c)
        self.homophones = {
            c: [h for h in by_sound.get(self.py[c], []) if h != c]
            for c in _GIVEN_MALE + _GIVEN_FEMALE + _GIVEN_NEUTRAL
        }
        self.latin: list[tuple[str, list[str], list[str], list[str]]] = []
        self.latin_cum = list(accumulate(w for _, w in _LATIN_LOCALES))
        for loc, _ in _LATIN_LOCALES:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
            self.latin.append(
                (
                    loc,
                    list(prov.first_names_male),
                    list(prov.first_names_female),
                    list(prov.last_names),
                )
            )
        rr = random.Random(20240611)
        regions = []
        for p in _PROVINCES:
            for city in range(1, rr.randint(6, 16)):
                for county in [*list(range(1, rr.randint(5, 18))), 81, 82]:
                    regions.append(p * 10000 + city * 100 + county)
        self.regions = regions
        years = list(range(1940, 2009))
        self.years = years
        self.year_cum = list(accumulate(max(0.15, 1 - abs(y - 1982) / 38) for y in years))


@lru_cache(maxsize=1)
def _pools() -> _Pools:
    return _Pools()


# --------------------------------------------------------------------------
# persons


@dataclass(slots=True)
class _Person:
    latin: bool
    sur: str  # Hanzi surname, or Latin family name
    given: str  # Hanzi given name, or Latin first name
    middle: str  # Latin only
    dob: date
    region: int  # 0 for foreigners
    seq: int

    @property
    def id_number(self) -> str:
        if self.latin:
            return ""
        body = f"{self.region:06d}{self.dob:%Y%m%d}{self.seq:03d}"
        return body + id_check_char(body)

    @property
    def hanzi(self) -> str:
        return self.sur + self.given


class _Ids:
    """Unique id bodies across the list and the strangers."""

    def __init__(self) -> None:
        self.used: set[int] = set()

    def take(self, region: int, dob: date, seq: int, rng: random.Random) -> int:
        base = region * 10**11 + (dob.year * 10000 + dob.month * 100 + dob.day) * 1000
        while base + seq in self.used:
            seq = (seq + 2 * rng.randint(1, 40)) % 1000
        self.used.add(base + seq)
        return seq


_T = TypeVar("_T")


def _pick(rng: random.Random, items: list[_T], cum: list[float]) -> _T:
    return rng.choices(items, cum_weights=cum)[0]


def _rand_dob(rng: random.Random, P: _Pools) -> date:
    y = _pick(rng, P.years, P.year_cum)
    return date(y, 1, 1) + timedelta(days=rng.randrange(366 if y % 4 == 0 else 365))


def _given(rng: random.Random, P: _Pools, male: bool) -> str:
    chars, cum = P.given_m if male else P.given_f
    n = 1 if rng.random() < 0.28 else 2
    out = "".join(rng.choices(chars, cum_weights=cum, k=n))
    if n == 2 and out[0] == out[1] and rng.random() < 0.7:
        out = out[0] + rng.choices(chars, cum_weights=cum)[0]
    return out


def _new_person(rng: random.Random, P: _Pools, ids: _Ids, latin_share: float) -> _Person:
    dob = _rand_dob(rng, P)
    seq = rng.randrange(1000)
    male = seq % 2 == 1
    if rng.random() < latin_share:
        loc = rng.choices(P.latin, cum_weights=P.latin_cum)[0]
        firsts = loc[1] if male else loc[2]
        middle = (
            rng.choice(firsts)
            if loc[0] in ("en_US", "en_GB", "de_DE") and rng.random() < 0.35
            else ""
        )
        first = rng.choice(firsts)
        if middle == first:
            middle = ""
        return _Person(True, rng.choice(loc[3]), first, middle, dob, 0, seq)
    sur = _pick(rng, P.surnames, P.surname_cum)
    region = rng.choice(P.regions)
    seq = ids.take(region, dob, seq, rng)
    return _Person(False, sur, _given(rng, P, male), "", dob, region, seq)


# --------------------------------------------------------------------------
# rendering names

_U_STYLES = ("ü", "yu", "v", "u", "ue")


def _syl_u(s: str, u: str) -> str:
    if "ü" not in s:
        return s
    return s.replace("ü", u)


def _title(s: str) -> str:
    return s[:1].upper() + s[1:]


@dataclass(slots=True)
class _Roman:
    system: str = "pinyin"  # pinyin | tonemark | tonenum | wg | wg-noapos | wg-tonenum
    west: bool = False
    join: str = "joined"  # joined | hyphen | hyphen-cap | space | camel
    case: str = "title"  # title | upsur | upper | lower
    comma: bool = False
    u: str = "yu"
    sur_override: str = ""


def _roman(p: _Person, P: _Pools, r: _Roman) -> str:
    def syls(hz: str, is_sur: bool) -> list[str]:
        if r.system == "tonemark":
            return [P.tone[c] for c in hz]
        base = P.surname_py[hz] if is_sur else [P.py[c] for c in hz]
        tones = [1] * len(base) if is_sur and len(base) != len(hz) else [P.tnum[c] for c in hz]
        if r.system.startswith("wg"):
            base = [wade_giles(s) for s in base]
            if r.system == "wg-noapos":
                base = [s.replace("'", "").replace("ü", "u") for s in base]
        else:
            base = [_syl_u(s, r.u) for s in base]
        if r.system in ("tonenum", "wg-tonenum"):
            base = [f"{s}{t}" for s, t in zip(base, tones, strict=False)]
        return base

    sur_s = syls(p.sur, True)
    sur = r.sur_override or "".join(sur_s)
    g = syls(p.given, False)
    if r.join == "joined" or len(g) == 1:
        given = "".join(g)
    elif r.join == "hyphen":
        given = "-".join(g)
    elif r.join == "hyphen-cap":
        given = "-".join(_title(x) for x in g)
    elif r.join == "space":
        given = " ".join(_title(x) for x in g)
    else:  # camel
        given = "".join(_title(x) for x in g)
    sur = _title(sur)
    given = _title(given)
    if r.case == "upsur":
        sur = sur.upper()
    elif r.case == "upper":
        sur, given = sur.upper(), given.upper()
    elif r.case == "lower":
        sur, given = sur.lower(), given.lower()
    if r.comma:
        return f"{sur}, {given}"
    return f"{given} {sur}" if r.west else f"{sur} {given}"


def _latin_name(p: _Person, order: str = "west", case: str = "title", middle: str = "full") -> str:
    first = p.given
    if p.middle and middle == "full":
        first = f"{p.given} {p.middle}"
    elif p.middle and middle == "initial":
        first = f"{p.given} {p.middle[0]}."
    last = p.sur
    if case == "upsur":
        last = last.upper()
    elif case == "upper":
        first, last = first.upper(), last.upper()
    elif case == "lower":
        first, last = first.lower(), last.lower()
    if order == "comma":
        return f"{last}, {first}"
    if order == "east":
        return f"{last} {first}"
    return f"{first} {last}"


def _trad(s: str, P: _Pools) -> str:
    return "".join(P.trad.get(c, c) for c in s)


# Listed name form of a person: a small tuple of codes
# form: 0 Hanzi simplified, 1 Hanzi traditional, 2 pinyin, 3 Latin
@dataclass(slots=True)
class _Form:
    form: int
    case: str = "title"
    u: str = "yu"
    latin_order: str = "west"


def _listed_form(rng: random.Random, p: _Person) -> _Form:
    if p.latin:
        x = rng.random()
        return _Form(
            3,
            rng.choice(("title", "title", "upsur", "upper")),
            latin_order="west" if x < 0.7 else "comma",
        )
    x = rng.random()
    form = 0 if x < 0.78 else 1 if x < 0.85 else 2
    return _Form(form, rng.choice(("title", "upsur", "upper")), rng.choice(("yu", "v", "ü")))


def _render_listed(p: _Person, f: _Form, P: _Pools) -> str:
    if f.form == 0:
        return p.hanzi
    if f.form == 1:
        return _trad(p.hanzi, P)
    if f.form == 2:
        return _roman(p, P, _Roman(case=f.case, u=f.u))
    return _latin_name(p, f.latin_order, f.case)


def _aliases(rng: random.Random, p: _Person, f: _Form, P: _Pools) -> tuple[str, ...]:
    if rng.random() > 0.15:
        return ()
    out: list[str] = []
    for _ in range(1 if rng.random() < 0.75 else 2):
        k = rng.random()
        if p.latin:
            a = (
                f"{p.given[0]}. {p.sur}"
                if k < 0.5
                else _latin_name(_Person(True, p.sur, rng.choice(P.latin[0][1]), "", p.dob, 0, 0))
            )
        elif k < 0.35:
            a = _roman(p, P, _Roman(case="upsur")) if f.form != 2 else p.hanzi
        elif k < 0.6 and p.sur in _DIALECT_SURNAMES:
            a = _roman(
                p,
                P,
                _Roman(
                    case="upper", join="space", sur_override=rng.choice(_DIALECT_SURNAMES[p.sur])
                ),
            )
        else:  # a former name: same surname, other given name
            a = p.sur + _given(rng, P, p.seq % 2 == 1)
            if f.form == 1:
                a = _trad(a, P)
        if a not in out and a != _render_listed(p, f, P):
            out.append(a)
    return tuple(out)


# --------------------------------------------------------------------------
# corruption plans

_NAME_W = {
    "name-script": 12, "name-order": 12, "name-given-split": 9, "name-wade-giles": 7,
    "name-wg-noapos": 6, "name-tones": 5, "name-u-umlaut": 4, "name-dialect": 9,
    "name-trad-simp": 7, "name-homophone": 7, "name-typo": 8, "name-case": 5,
    "name-comma": 6, "name-alias": 4, "name-middle": 2, "name-diacritics": 2,
}  # fmt: skip
_DATE_W = {
    "date-year": 16, "date-ym": 12, "date-dm-swap": 16, "date-yy": 12,
    "date-digit": 12, "date-transpose": 12, "date-lunar": 16,
}  # fmt: skip
_ID_W = {"id-missing": 55, "id-typo": 40, "id-x-lower": 5}
_CAT_W = {"name": 45, "date": 40, "id": 15}


def _wchoice(rng: random.Random, w: dict[str, int], allowed: set[str] | None = None) -> str | None:
    keys = [k for k in w if allowed is None or k in allowed]
    if not keys:
        return None
    return rng.choices(keys, weights=[w[k] for k in keys])[0]


def _sample_plan(rng: random.Random) -> list[str]:
    x = rng.random()
    n = 0 if x < 0.08 else 1 if x < 0.72 else 2
    cats: list[str] = []
    while len(cats) < n:
        c = _wchoice(rng, _CAT_W, {k for k in _CAT_W if k not in cats})
        assert c is not None
        cats.append(c)
    order = {"name": 0, "date": 1, "id": 2}
    cats.sort(key=order.__getitem__)
    plan = []
    for c in cats:
        w = _NAME_W if c == "name" else _DATE_W if c == "date" else _ID_W
        allowed = set(w)
        if c == "date" and "id" in cats:
            allowed.discard("date-lunar")
        lab = _wchoice(rng, w, allowed)
        assert lab is not None
        plan.append(lab)
    return plan


def _has_u(p: _Person, P: _Pools) -> bool:
    return not p.latin and any("ü" in s for s in P.surname_py[p.sur] + [P.py[c] for c in p.given])


def _name_applicable(lab: str, p: _Person, f: _Form, aliases: tuple[str, ...], P: _Pools) -> bool:
    if lab == "name-alias":
        return bool(aliases)
    if p.latin:
        if lab == "name-middle":
            return bool(p.middle)
        if lab == "name-diacritics":
            return not (p.given + p.sur + p.middle).isascii()
        return lab in ("name-order", "name-typo", "name-case", "name-comma")
    if lab in ("name-middle", "name-diacritics"):
        return False
    if lab == "name-given-split":
        return len(p.given) >= 2
    if lab == "name-wg-noapos":
        return "'" in "".join(
            wade_giles(s) for s in P.surname_py[p.sur] + [P.py[c] for c in p.given]
        )
    if lab == "name-u-umlaut":
        return _has_u(p, P)
    if lab == "name-dialect":
        return p.sur in _DIALECT_SURNAMES
    if lab == "name-trad-simp":
        return f.form == 1 or (f.form == 0 and _trad(p.hanzi, P) != p.hanzi)
    if lab == "name-homophone":
        return f.form in (0, 1) and any(P.homophones.get(c) for c in p.given)
    if lab == "name-case":
        return f.form == 2
    return True


_KEY_NEIGHBOURS = {
    "a": "sqz", "b": "vnh", "c": "xvd", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht", "h": "gjy",
    "i": "uok", "j": "hku", "k": "jli", "l": "ko", "m": "nj", "n": "bmh", "o": "ipl", "p": "o",
    "q": "wa", "r": "etf", "s": "adw", "t": "ryg", "u": "yij", "v": "cbf", "w": "qes", "x": "zcs",
    "y": "tuh", "z": "xa",
}  # fmt: skip


def _typo(s: str, rng: random.Random) -> str:
    pos = [i for i, c in enumerate(s) if c.isalpha()]
    for _ in range(20):
        i = rng.choice(pos)
        op = rng.random()
        if op < 0.3:
            out = s[:i] + s[i + 1 :]
        elif op < 0.45:
            out = s[:i] + s[i] + s[i:]
        elif op < 0.75:
            c = s[i]
            nb = _KEY_NEIGHBOURS.get(c.lower(), "e")
            r = rng.choice(nb)
            out = s[:i] + (r.upper() if c.isupper() else r) + s[i + 1 :]
        else:
            if i + 1 >= len(s) or not s[i + 1].isalpha():
                continue
            out = s[:i] + s[i + 1] + s[i] + s[i + 1 :]
        if out != s and out.strip() and out.split():
            return out
    return s + "h"


def _strip_marks(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _record_roman(rng: random.Random, f: _Form) -> _Roman:
    """The romanisation style a clerk uses when nothing odd happens."""
    case = f.case if f.form == 2 else rng.choice(("title", "upsur", "upper"))
    return _Roman(case=case, u=f.u if f.form == 2 else "yu")


def _apply_name(
    lab: str, p: _Person, f: _Form, aliases: tuple[str, ...], P: _Pools, rng: random.Random
) -> str:
    listed = _render_listed(p, f, P)
    if lab == "name-alias":
        return rng.choice(aliases)
    if p.latin:
        if lab == "name-order":
            return _latin_name(p, "east" if f.latin_order == "west" else "west", f.case)
        if lab == "name-comma":
            return _latin_name(
                p, "comma" if f.latin_order == "west" else "west", rng.choice(("upsur", "title"))
            )
        if lab == "name-case":
            cases = [c for c in ("title", "upsur", "upper", "lower") if c != f.case]
            return _latin_name(p, f.latin_order, rng.choice(cases))
        if lab == "name-middle":
            return _latin_name(p, f.latin_order, f.case, rng.choice(("none", "initial")))
        if lab == "name-diacritics":
            return _strip_marks(listed)
        return _typo(listed, rng)
    r = _record_roman(rng, f)
    if lab == "name-script":
        if f.form == 2:
            return p.hanzi if rng.random() < 0.85 else _trad(p.hanzi, P)
        return _roman(p, P, r)
    if lab == "name-order":
        r.west = True
        r.join = rng.choice(("joined", "joined", "hyphen", "hyphen-cap", "space"))
        return _roman(p, P, r)
    if lab == "name-given-split":
        joins = ["hyphen", "hyphen-cap", "space"] + (
            ["camel"] if r.case in ("title", "upsur") else []
        )
        r.join = rng.choice(joins)
        return _roman(p, P, r)
    if lab in ("name-wade-giles", "name-wg-noapos"):
        r.system = "wg" if lab == "name-wade-giles" else "wg-noapos"
        r.join = rng.choice(("hyphen", "hyphen", "joined", "space"))
        return _roman(p, P, r)
    if lab == "name-tones":
        r.system = rng.choice(("tonemark", "tonenum", "wg-tonenum"))
        r.join = rng.choice(("joined", "hyphen", "space"))
        return _roman(p, P, r)
    if lab == "name-u-umlaut":
        r.u = rng.choice([u for u in _U_STYLES if u != (f.u if f.form == 2 else "yu")])
        return _roman(p, P, r)
    if lab == "name-dialect":
        r.sur_override = rng.choice(_DIALECT_SURNAMES[p.sur])
        r.join = rng.choice(("joined", "hyphen", "space"))
        return _roman(p, P, r)
    if lab == "name-trad-simp":
        return p.hanzi if f.form == 1 else _trad(p.hanzi, P)
    if lab == "name-homophone":
        idx = [i for i, c in enumerate(p.given) if P.homophones.get(c)]
        i = rng.choice(idx)
        g = p.given[:i] + rng.choice(P.homophones[p.given[i]]) + p.given[i + 1 :]
        out = p.sur + g
        return _trad(out, P) if f.form == 1 else out
    if lab == "name-typo":
        base = listed if f.form == 2 else _roman(p, P, r)
        return _typo(base, rng)
    if lab == "name-case":
        cases = [c for c in ("title", "upsur", "upper", "lower") if c != f.case]
        r.case = rng.choice(cases)
        return _roman(p, P, r)
    if lab == "name-comma":
        r.comma = True
        r.case = rng.choice(("upsur", "upper", "title"))
        return _roman(p, P, r)
    raise ValueError(lab)


def _valid_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _date_applicable(lab: str, p: _Person) -> bool:
    d = p.dob
    if lab == "date-dm-swap":
        return d.day <= 12 and d.month <= 12 and d.day != d.month
    if lab == "date-lunar":
        return not p.latin
    return True


def _apply_date(lab: str, d: date, rng: random.Random) -> str:
    if lab == "date-year":
        return f"{d.year:04d}"
    if lab == "date-ym":
        return f"{d.year:04d}-{d.month:02d}"
    if lab == "date-dm-swap":
        return f"{d.year:04d}-{d.day:02d}-{d.month:02d}"
    if lab == "date-yy":
        return f"{d.year % 100:02d}-{d.month:02d}-{d.day:02d}"
    if lab == "date-lunar":
        off = rng.randint(15, 60) * (1 if rng.random() < 0.2 else -1)
        return (d + timedelta(days=off)).isoformat()
    s = f"{d:%Y%m%d}"
    for _ in range(200):
        if lab == "date-digit":
            i = rng.randrange(8)
            t = s[:i] + str(rng.randrange(10)) + s[i + 1 :]
        else:  # date-transpose
            i = rng.randrange(7)
            t = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        nd = _valid_date(int(t[:4]), int(t[4:6]), int(t[6:]))
        if t != s and nd is not None and 1900 <= nd.year <= 2025:
            return nd.isoformat()
    return (d + timedelta(days=1)).isoformat()


def _apply_id(lab: str, idn: str, rng: random.Random) -> str:
    if lab == "id-missing":
        return ""
    if lab == "id-x-lower":
        return idn.lower()
    for _ in range(50):
        if rng.random() < 0.6:
            i = rng.randrange(18)
            c = rng.choice("0123456789")
            t = idn[:i] + c + idn[i + 1 :]
        else:
            i = rng.randrange(17)
            t = idn[:i] + idn[i + 1] + idn[i] + idn[i + 2 :]
        if t != idn:
            return t
    return idn[:-1] + ("0" if idn[-1] != "0" else "1")


def _id_applicable(lab: str, p: _Person) -> bool:
    if p.latin:
        return False
    if lab == "id-x-lower":
        return p.id_number.endswith("X")
    return True


def _applicable(lab: str, p: _Person, f: _Form, aliases: tuple[str, ...], P: _Pools) -> bool:
    if lab.startswith("name"):
        return _name_applicable(lab, p, f, aliases, P)
    if lab.startswith("date"):
        return _date_applicable(lab, p)
    return _id_applicable(lab, p)


def _file(
    p: _Person, f: _Form, aliases: tuple[str, ...], plan: list[str], P: _Pools, rng: random.Random
) -> tuple[str, str, str]:
    name = _render_listed(p, f, P)
    bd = p.dob.isoformat()
    idn = p.id_number
    for lab in plan:
        if lab.startswith("name"):
            name = _apply_name(lab, p, f, aliases, P, rng)
        elif lab.startswith("date"):
            bd = _apply_date(lab, p.dob, rng)
        else:
            idn = _apply_id(lab, idn, rng)
    return name, bd, idn


# --------------------------------------------------------------------------
# generation


def generate(
    listed: int, records: int, seed: int, match_share: float = 0.02
) -> tuple[list[ListedRow], list[RecordRow]]:
    P = _pools()
    rng = random.Random(seed)
    ids = _Ids()
    latin_share = 0.07

    # compact hidden truth of every listed person
    k_latin = array("b")
    k_sur: list[str] = []
    k_given: list[str] = []
    k_middle: list[str] = []
    k_dob = array("i")
    k_region = array("i")
    k_seq = array("h")
    k_form: list[_Form] = []
    intern: dict[str, str] = {}
    u_idx: list[int] = []
    rows: list[ListedRow] = []
    for i in range(listed):
        p = _new_person(rng, P, ids, latin_share)
        f = _listed_form(rng, p)
        al = _aliases(rng, p, f, P)
        name = _render_listed(p, f, P)
        bd = p.dob.isoformat() if rng.random() > 0.04 else f"{p.dob.year:04d}"
        idn = p.id_number if (not p.latin and rng.random() > 0.08) else ""
        rows.append(ListedRow(f"B-E{i + 1:07d}", name, al, bd, idn))
        k_latin.append(1 if p.latin else 0)
        k_sur.append(intern.setdefault(p.sur, p.sur))
        k_given.append(intern.setdefault(p.given, p.given))
        k_middle.append(intern.setdefault(p.middle, p.middle))
        k_dob.append(p.dob.toordinal())
        k_region.append(p.region)
        k_seq.append(p.seq)
        k_form.append(_form_cache(f))  # forms repeat: one shared instance each
        if not p.latin and _has_u(p, P):
            u_idx.append(i)

    def person(i: int) -> _Person:
        return _Person(
            bool(k_latin[i]), k_sur[i], k_given[i], k_middle[i],
            date.fromordinal(k_dob[i]), k_region[i], k_seq[i],
        )  # fmt: skip

    out: list[RecordRow] = []
    n_match = round(records * match_share) if listed else 0
    for _ in range(n_match):
        plan = _sample_plan(rng)
        i = -1
        for _try in range(300):
            if "name-u-umlaut" in plan and u_idx and _try < 250:
                j = rng.choice(u_idx)
            else:
                j = rng.randrange(listed)
            pj = person(j)
            if all(_applicable(lab, pj, k_form[j], rows[j].aliases, P) for lab in plan):
                i = j
                break
        if i < 0:  # nothing fits: fall back to what applies to a random person
            i = rng.randrange(listed)
            pj = person(i)
            plan = [lab for lab in plan if _applicable(lab, pj, k_form[i], rows[i].aliases, P)]
        p = person(i)
        name, bd, idn = _file(p, k_form[i], rows[i].aliases, plan, P, rng)
        out.append(RecordRow("", name, bd, idn, rows[i].entry_id, "+".join(plan) or "clean"))

    for _ in range(records - n_match):
        x = rng.random()
        if listed and x < 0.26:
            j = rng.randrange(listed)
            base = person(j)
            s = _hard_negative(x, base, rng, P, ids)
        else:
            s = _new_person(rng, P, ids, latin_share)
        f = _listed_form(rng, s)
        plan = [lab for lab in _sample_plan(rng) if _applicable(lab, s, f, (), P)]
        name, bd, idn = _file(s, f, (), plan, P, rng)
        out.append(RecordRow("", name, bd, idn, None, ""))

    rng.shuffle(out)
    recs = [
        RecordRow(f"B-R{n + 1:07d}", r.name, r.birth_date, r.id_number, r.truth, r.corruption)
        for n, r in enumerate(out)
    ]
    return rows, recs


_FORMS: dict[tuple[int, str, str, str], _Form] = {}


def _form_cache(f: _Form) -> _Form:
    return _FORMS.setdefault((f.form, f.case, f.u, f.latin_order), f)


def _hard_negative(x: float, b: _Person, rng: random.Random, P: _Pools, ids: _Ids) -> _Person:
    """A stranger who resembles listed person b (x in [0, 0.26))."""
    if x < 0.10:  # namesake: same name, another person
        s = _new_person(rng, P, ids, 1.0 if b.latin else 0.0)
        s.sur, s.given, s.middle = b.sur, b.given, b.middle
    elif x < 0.15:  # same name and birth year
        s = _new_person(rng, P, ids, 1.0 if b.latin else 0.0)
        s.sur, s.given, s.middle = b.sur, b.given, b.middle
        d = date(b.dob.year, 1, 1) + timedelta(days=rng.randrange(365))
        if d == b.dob:
            d = (
                d + timedelta(days=rng.randint(1, 40))
                if d.month < 12
                else d - timedelta(days=rng.randint(1, 40))
            )
        s.dob = d
    elif x < 0.19:  # born the same day (half of them with the same surname)
        s = _new_person(rng, P, ids, 1.0 if b.latin else 0.0)
        s.dob = b.dob
        if rng.random() < 0.5:
            s.sur = b.sur
        if s.sur == b.sur and s.given == b.given:
            s.given = s.given + "一" if not s.latin else s.given + "a"
    else:  # relative: same surname, same home region, often a shared generation character
        s = _new_person(rng, P, ids, 1.0 if b.latin else 0.0)
        s.sur = b.sur
        if not b.latin:
            s.region = b.region
            if len(b.given) == 2 and rng.random() < 0.6:
                s.given = b.given[0] + s.given[-1]
            if rng.random() < 0.1:  # twin
                s.dob = b.dob
            else:
                off = rng.choice(
                    (
                        rng.randint(1, 8),
                        -rng.randint(1, 8),
                        rng.randint(20, 32),
                        -rng.randint(20, 32),
                    )
                )
                y = min(2008, max(1925, b.dob.year + off))
                s.dob = date(y, 1, 1) + timedelta(days=rng.randrange(365))
            if s.given == b.given:
                s.given = b.given[0] + ("华" if b.given[-1] != "华" else "国")
    if not s.latin:
        s.seq = ids.take(s.region, s.dob, rng.randrange(1000), rng)
    return s


# --------------------------------------------------------------------------
# self-check and CLI


def _selfcheck() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert wade_giles("zhang") == "chang" and wade_giles("xiao") == "hsiao"
    assert (
        wade_giles("qing") == "ch'ing" and wade_giles("zi") == "tzu" and wade_giles("guo") == "kuo"
    )
    a = generate(3000, 1500, 7, match_share=0.2)
    b = generate(3000, 1500, 7, match_share=0.2)
    assert a == b, "not deterministic"
    c = generate(3000, 1500, 8, match_share=0.2)
    assert a != c
    listed, recs = a
    ids = [r.id_number for r in listed if r.id_number]
    assert len(ids) == len(set(ids)), "duplicate identity numbers"
    assert all(id_is_valid(x) for x in ids)
    entry = {r.entry_id: r for r in listed}
    stranger_ids = [
        r.id_number for r in recs if r.truth is None and r.id_number and id_is_valid(r.id_number)
    ]
    assert not set(stranger_ids) & set(ids), "a stranger carries a listed id"
    for r in recs:
        assert r.birth_date and r.name
        if r.truth is None:
            assert r.corruption == ""
            continue
        assert r.truth in entry and r.corruption
        labs = r.corruption.split("+")
        if "id-typo" in labs:
            assert r.id_number
        if "id-missing" in labs:
            assert r.id_number == ""
        if "date-lunar" in labs:
            assert id_is_valid(r.id_number) and r.id_number[6:14] != r.birth_date.replace("-", "")
        if r.corruption == "clean":
            e = entry[r.truth]
            assert r.name == e.name
    ratio = sum(r.truth is not None for r in recs) / len(recs)
    assert 0.18 < ratio < 0.22
    print("selfcheck ok")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--listed", type=int, default=20_000)
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--match-share", type=float, default=0.02)
    ap.add_argument("--no-selfcheck", action="store_true")
    a = ap.parse_args(argv)
    if not a.no_selfcheck:
        _selfcheck()
    t0 = time.perf_counter()
    listed, recs = generate(a.listed, a.records, a.seed, a.match_share)
    dt = time.perf_counter() - t0
    print(f"generated {len(listed):,} listed + {len(recs):,} records in {dt:.1f}s (seed {a.seed})")
    entry = {r.entry_id: r for r in listed[: min(len(listed), 10**7)]}
    rng = random.Random(0)
    print("\n-- 10 listed rows")
    for lr in rng.sample(listed, min(10, len(listed))):
        print(" ", lr)
    print("\n-- 20 record rows (listed person shown under matches)")
    matches = [r for r in recs if r.truth]
    strangers = [r for r in recs if not r.truth]
    for r in rng.sample(matches, min(14, len(matches))) + rng.sample(
        strangers, min(6, len(strangers))
    ):
        print(" ", r)
        if r.truth:
            print("     listed:", entry[r.truth])
    labels: Counter[str] = Counter()
    for r in matches:
        for lab in r.corruption.split("+"):
            labels[lab] += 1
    print(f"\n-- {len(matches):,} matches, {len(strangers):,} strangers; label counts:")
    for lab, n in sorted(labels.items()):
        print(f"  {lab:20s} {n:7d}")
    print(f"  records with two corruptions: {sum('+' in r.corruption for r in matches)}")
    print(f"  records without id: {sum(not r.id_number for r in recs) / len(recs):.3f}")
    print(f"  listed without id: {sum(not r.id_number for r in listed) / max(1, len(listed)):.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
