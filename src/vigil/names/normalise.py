"""Person-name normalisation: Hanzi, pinyin, Wade-Giles, Cantonese and Latin script.

Pure module. `normalise_name` turns a raw name into comparable keys such that a name
written in Hanzi (traditional or simplified), in pinyin, or in a Wade-Giles/Cantonese
romanisation, in either order and with the given name joined or split, meets its twins.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz import fuzz

__all__ = ["NameKeys", "name_similarity", "normalise_name", "romanise_han", "to_simplified"]

# Readings of characters used as surnames that pypinyin's default mode gets wrong.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "仇": "qiu",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "覃": "qin",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "秘": "bi",
    "召": "shao",
    "翟": "zhai",
    "种": "chong",
    "员": "yun",
    "黑": "he",
    "尉": "yu",
    "长": "chang",
    "重": "chong",
    "折": "she",
    "繁": "po",
    "万": "wan",
    "沈": "shen",
    "柏": "bai",
    "薄": "bo",
    "贲": "ben",
    "洗": "xian",
    "冼": "xian",
}

COMPOUND_SURNAMES: dict[str, str] = {
    "欧阳": "ouyang",
    "司马": "sima",
    "诸葛": "zhuge",
    "司徒": "situ",
    "上官": "shangguan",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "夏侯": "xiahou",
    "长孙": "zhangsun",
    "慕容": "murong",
    "令狐": "linghu",
    "端木": "duanmu",
    "公孙": "gongsun",
    "西门": "ximen",
    "南宫": "nangong",
    "尉迟": "yuchi",
    "轩辕": "xuanyuan",
    "宇文": "yuwen",
    "澹台": "tantai",
    "太史": "taishi",
    "申屠": "shentu",
    "万俟": "moqi",
    "闻人": "wenren",
    "钟离": "zhongli",
    "濮阳": "puyang",
    "呼延": "huyan",
    "百里": "baili",
    "东郭": "dongguo",
    "赫连": "helian",
    "独孤": "dugu",
}

# Common pinyin surnames, used to tell surname-first from surname-last order in Latin script.
_SURNAME_LIST = """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye
    cheng wei su lu ding ren shen yao lu jiang cui zhong tan fan jin wan shi qian dai qin gu
    kong bai meng fang hou xiong qiu qin yin xue yan duan lei long tao he mao hao gong shao wan
    qian qin wu dai mo kong xiang chang xia lai zou shi xiong jia fu kang hou yi hao tang ke niu
    ouyang sima zhuge situ shangguan dongfang huangfu xiahou zhangsun murong linghu duanmu gongsun
    shan zha piao ou zhai mou ji ning bao jing lan an ai wen guan mi qi bi ban ge zhan ni"""
PINYIN_SURNAMES: frozenset[str] = frozenset(_SURNAME_LIST.split())

# Wade-Giles / Cantonese / other romanisations of surnames → pinyin readings.
SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "chang": ("zhang", "chang"),
    "cheung": ("zhang",),
    "hsu": ("xu",),
    "hui": ("xu", "hui"),
    "tsui": ("xu", "cui"),
    "tsai": ("cai",),
    "choi": ("cai",),
    "choy": ("cai",),
    "chan": ("chen",),
    "chin": ("chen", "jin"),
    "chou": ("zhou",),
    "chow": ("zhou",),
    "chao": ("zhao",),
    "chiu": ("zhao", "qiu"),
    "hsieh": ("xie",),
    "tse": ("xie",),
    "chiang": ("jiang",),
    "kong": ("jiang", "kong"),
    "cheng": ("zheng", "cheng"),
    "hwang": ("huang",),
    "wong": ("huang", "wang"),
    "lee": ("li",),
    "lei": ("li", "lei"),
    "lau": ("liu",),
    "lew": ("liu",),
    "woo": ("wu",),
    "ng": ("wu",),
    "lam": ("lin",),
    "kuo": ("guo",),
    "kwok": ("guo",),
    "ho": ("he",),
    "kao": ("gao",),
    "ko": ("gao", "ge"),
    "chien": ("qian", "jian"),
    "leung": ("liang",),
    "yeung": ("yang",),
    "fung": ("feng",),
    "tam": ("tan",),
    "tang": ("tang", "deng"),
    "lo": ("luo", "lu"),
    "law": ("luo",),
    "mak": ("mai",),
    "yip": ("ye",),
    "kwan": ("guan",),
    "au": ("ou",),
    "siu": ("xiao",),
    "chu": ("zhu", "chu"),
    "chung": ("zhong",),
    "yuen": ("yuan",),
    "poon": ("pan",),
    "tsang": ("zeng",),
    "tseng": ("zeng",),
    "sung": ("song",),
    "soong": ("song",),
    "teng": ("deng",),
    "tsao": ("cao",),
    "tao": ("tao",),
    "pai": ("bai",),
    "yang": ("yang",),
    "szeto": ("situ",),
    "auyeung": ("ouyang",),
    "ngai": ("wei",),
    "mok": ("mo",),
    "kam": ("jin", "gan"),
    "lui": ("lu", "lei"),
    "tsoi": ("cai",),
    "cheong": ("zhang",),
    "ong": ("wang",),
    "tan": ("tan", "chen"),
    "goh": ("wu",),
    "lim": ("lin",),
}

_LATIN_SURNAMES = PINYIN_SURNAMES | frozenset(SURNAME_VARIANTS)

_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)
_HAN_RE = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f"
)
# A word: a run of Han characters, of Latin letters (with Wade-Giles apostrophes), or of
# any other letters.
_WORD = re.compile(rf"[{_HAN_RE}]+|[a-z](?:[a-z]|['’ʻ‘](?=[a-z]))*|[^\W\d_a-z{_HAN_RE}]+")
_HAN_CHAR = re.compile(rf"[{_HAN_RE}]")

_PHONETIC_INITIALS: tuple[tuple[str, str], ...] = (
    ("zh", "C"),
    ("ch", "C"),
    ("sh", "S"),
    ("z", "C"),
    ("c", "C"),
    ("j", "C"),
    ("q", "C"),
    ("x", "S"),
    ("s", "S"),
    ("b", "P"),
    ("p", "P"),
    ("d", "T"),
    ("t", "T"),
    ("g", "K"),
    ("k", "K"),
    ("r", "R"),
    ("h", "H"),
    ("f", "F"),
    ("l", "L"),
    ("m", "M"),
    ("n", "N"),
    ("y", "Y"),
    ("w", "W"),
)
_MAX_PHONETIC_KEYS = 16


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Comparable forms of one person name."""

    canonical: str  # e.g. "zhang xiaoming": surname first, given name joined
    tokens: tuple[str, ...]  # syllables/words, surname first
    keys: frozenset[str]  # order-insensitive blocking keys
    phonetic: frozenset[str]  # order-insensitive keys where romanisation variants collapse
    script: str  # "han", "latin", "mixed" or "other"
    surname: str = ""
    hanzi: str = ""  # simplified Han characters of the raw name, if any


# --- Han script -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=200_000)
def to_simplified(text: str) -> str:
    """Traditional → simplified Hanzi (OpenCC t2s, many-to-one and safe)."""
    return str(_t2s().convert(text))


@lru_cache(maxsize=200_000)
def _pinyin(text: str) -> tuple[str, ...]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="ignore")
    return tuple(fold_latin(s) for s in syllables if s)


@lru_cache(maxsize=200_000)
def romanise_han(simplified: str, *, as_name: bool = True) -> tuple[str, tuple[str, ...]]:
    """Simplified Hanzi → (surname pinyin, given-name syllables), toneless.

    With `as_name`, the first character (or a two-character compound surname) is read as a
    surname; otherwise the surname is empty and all syllables are returned as given syllables.
    """
    if not as_name:
        return "", _pinyin(simplified)
    if len(simplified) > 2 and simplified[:2] in COMPOUND_SURNAMES:
        return COMPOUND_SURNAMES[simplified[:2]], _pinyin(simplified[2:])
    first = simplified[0]
    surname = SURNAME_READINGS.get(first) or "".join(_pinyin(first))
    return surname, _pinyin(simplified[1:]) if len(simplified) > 1 else ()


# --- Latin script -----------------------------------------------------------------------


def fold_latin(text: str) -> str:
    """Lower-case and strip diacritics: 'Lǚ' → 'lu', 'Ñúñez' → 'nunez'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    syllables: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            folded = fold_latin(reading)
            if folded.isascii() and folded.isalpha() and re.search("[aeiouv]", folded):
                syllables.add(folded.replace("v", "u"))
    return frozenset(syllables)


# Wade-Giles syllables that no initial/final rule covers.
_WADE_GILES_WHOLE: dict[str, str] = {
    "i": "yi",
    "in": "yin",
    "ing": "ying",
    "yen": "yan",
    "yeh": "ye",
    "yung": "yong",
    "o": "e",
    "erh": "er",
    "jih": "ri",
    "szu": "si",
    "ssu": "si",
    "tzu": "zi",
    "tsu": "zi",
    "tzhu": "ci",
    "kuei": "gui",
    "kung": "gong",
    "wên": "wen",
}


def wade_giles_to_pinyin(syllable: str) -> str:
    """Best-effort Wade-Giles syllable → pinyin ('hsiao' → 'xiao', "ch'ien" → 'qian')."""
    s = syllable.replace("’", "'").replace("ʻ", "'").replace("‘", "'")
    if s in _WADE_GILES_WHOLE:
        return _WADE_GILES_WHOLE[s]
    aspirated = "'" in s
    s = s.replace("'", "")
    rules: tuple[tuple[str, str], ...] = (
        ("hs", "x"),
        ("tz", "z"),
        ("ts", "c" if aspirated else "z"),
        ("ss", "s"),
        ("sz", "s"),
    )
    for old, new in rules:
        if s.startswith(old):
            s = new + s[len(old) :]
            break
    else:
        if s.startswith("ch") and not s.startswith("chh"):
            rest = s[2:]
            if rest.startswith(("i", "ü", "ue")):
                s = ("q" if aspirated else "j") + rest
            elif not aspirated and s not in pinyin_syllables():
                s = "zh" + rest
        elif s.startswith("j") and s not in pinyin_syllables():
            s = "r" + s[1:]
        elif aspirated:
            pass
        elif s.startswith("k") and s not in pinyin_syllables():
            s = "g" + s[1:]
        elif s.startswith("t") and s not in pinyin_syllables():
            s = "d" + s[1:]
        elif s.startswith("p") and s not in pinyin_syllables():
            s = "b" + s[1:]
    finals: tuple[tuple[str, str], ...] = (
        ("ieh", "ie"),
        ("ueh", "ue"),
        ("iung", "iong"),
        ("ung", "ong"),
        ("ien", "ian"),
        ("erh", "er"),
        ("ih", "i"),
    )
    for old, new in finals:
        if s.endswith(old):
            s = s[: -len(old)] + new
            break
    if s in ("zu", "cu", "su") and syllable.startswith(("tz", "ts", "ss", "sz")):
        s = s[0] + "i"  # tzu → zi, ssu → si
    if s in ("ko", "ho"):
        s = s[:-1] + "e"  # ko → ke/ge, ho → he
    return s


@lru_cache(maxsize=20_000)
def _is_syllable(chunk: str) -> bool:
    if chunk in pinyin_syllables() or chunk in SURNAME_VARIANTS:
        return True
    if not re.search("[aeiou]", chunk):
        return False
    return wade_giles_to_pinyin(chunk) in pinyin_syllables()


@lru_cache(maxsize=200_000)
def segment_syllables(word: str) -> tuple[str, ...] | None:
    """Split a joined romanised word into syllables ('xiaoming' → ('xiao', 'ming')).

    Fewest syllables win, then longer leading syllables; None if it is not romanised Chinese.
    """
    word = word.replace("'", "").replace("’", "").replace("ʻ", "").replace("‘", "")
    n = len(word)
    if n == 0 or n > 40:
        return None
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + 7), start, -1):
            rest = best[end]
            if rest is None or not _is_syllable(word[start:end]):
                continue
            candidate = (word[start:end], *rest)
            current = best[start]
            if current is None or len(candidate) < len(current):
                best[start] = candidate
    return best[0]


# --- Phonetic keys ----------------------------------------------------------------------


def _phonetic_code(pinyin: str) -> str:
    """Collapse aspiration and retroflex distinctions that romanisations disagree on."""
    code, final = "", pinyin
    for initial, initial_code in _PHONETIC_INITIALS:
        if pinyin.startswith(initial):
            code, final = initial_code, pinyin[len(initial) :]
            break
    final = final.replace("ü", "u").replace("v", "u").replace("ong", "ung").replace("ian", "ien")
    return code + final


@lru_cache(maxsize=50_000)
def _syllable_codes(syllable: str) -> tuple[str, ...]:
    readings = {wade_giles_to_pinyin(syllable)}
    if syllable in SURNAME_VARIANTS:
        readings.update(SURNAME_VARIANTS[syllable])
    if syllable in pinyin_syllables():
        readings.add(syllable)
    return tuple(sorted({_phonetic_code(r) for r in readings}))


def _phonetic_keys(tokens: tuple[str, ...]) -> frozenset[str]:
    choices = [_syllable_codes(t) for t in tokens]
    keys: set[str] = set()
    for combo in itertools.islice(itertools.product(*choices), _MAX_PHONETIC_KEYS):
        keys.add(" ".join(sorted(combo)))
    return frozenset(keys)


# --- Whole names ------------------------------------------------------------------------


def _order_surname_first(words: list[str]) -> list[str]:
    if len(words) > 1 and words[0] not in _LATIN_SURNAMES and words[-1] in _LATIN_SURNAMES:
        return [words[-1], *words[:-1]]
    return words


@lru_cache(maxsize=500_000)
def normalise_name(raw: str) -> NameKeys:
    """Normalise a person name in any script to comparable and phonetic keys."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = fold_latin(text)
    words = _WORD.findall(text)
    has_han = any(_HAN_CHAR.match(w) for w in words)
    has_latin = any(w[0].isascii() for w in words)
    script = (
        "mixed" if has_han and has_latin else "han" if has_han else "latin" if has_latin else ""
    )
    hanzi = ""
    romanised: list[str] = []
    for index, word in enumerate(words):
        if _HAN_CHAR.match(word):
            simplified = to_simplified(word)
            hanzi += simplified
            han_surname, han_given = romanise_han(simplified, as_name=index == 0)
            romanised.extend(w for w in (han_surname, "".join(han_given)) if w)
        elif word[0].isascii():
            romanised.append(word.replace("’", "'").replace("ʻ", "'").replace("‘", "'"))
        else:
            script = script or "other"
            romanised.append(unicodedata.normalize("NFKC", word.casefold()))
    script = script or "other"
    if not romanised:
        return NameKeys("", (), frozenset(), frozenset(), script, "", hanzi)

    segmented = [segment_syllables(w) if w.isascii() else None for w in romanised]
    if all(s is not None for s in segmented):
        plain = [w.replace("'", "") for w in romanised]
        ordered = plain if script == "han" else _order_surname_first(plain)
        surname = ordered[0]
        given = "".join(ordered[1:])
        canonical = f"{surname} {given}".strip()
        tokens = (*(segment_syllables(surname) or ()), *(segment_syllables(given) or ()))
    else:
        plain = [w.replace("'", "") for w in romanised]
        surname = plain[0]
        canonical = " ".join(plain)
        tokens = tuple(plain)
    keys = frozenset({" ".join(sorted(tokens)), "".join(sorted(tokens))})
    return NameKeys(canonical, tokens, keys, _phonetic_keys(tokens), script, surname, hanzi)


def name_similarity(a: NameKeys, b: NameKeys) -> float:
    """Similarity in [0, 1], insensitive to order, to joined/split given names and script.

    Hanzi equality beats a shared reading: 张伟 vs 章伟 share pinyin but score below 1.
    """
    if not a.tokens or not b.tokens:
        return 0.0
    if a.keys & b.keys:
        spelled = 1.0
    else:
        spelled = fuzz.token_sort_ratio(" ".join(a.tokens), " ".join(b.tokens)) / 100.0
    sounded = 0.0
    if a.phonetic & b.phonetic:
        sounded = 0.95
    else:
        for pa in a.phonetic:
            for pb in b.phonetic:
                sounded = max(sounded, 0.95 * fuzz.token_sort_ratio(pa, pb) / 100.0)
    score = max(spelled, sounded)
    if a.hanzi and b.hanzi and a.script == "han" and b.script == "han" and a.hanzi != b.hanzi:
        written = fuzz.ratio(a.hanzi, b.hanzi) / 100.0
        score = max(written, 0.9 * score)
    return score
