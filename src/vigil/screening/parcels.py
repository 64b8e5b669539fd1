"""Banned-items catalogue and declared-contents screening for parcels.

Pure module: no I/O except `load_catalogue`, which reads the CSV it is given. The catalogue
is versioned and updated in place: `BannedCatalogue.add_item` takes effect for the very
next `screen_parcel` call, with no rebuild.

How a declaration is read:
1. Normalise: NFKC, case fold, traditional → simplified (OpenCC t2s), and spaces between
   Han characters removed ("大 麻" → "大麻").
2. Chinese terms are found by substring, then checked against the jieba segmentation.
   Chinese compounds are head-final, so 狙击枪 is a kind of 枪 (kept), but in 金枪鱼 or
   火药味 the term only modifies another word (dropped).
3. Latin terms match whole word sequences, never across a line or Chinese text;
   misspellings match by optimal-string-alignment distance (RapidFuzz) with a length-aware
   limit (a plural also as its singular), or by sound (grenaid, acetoon: the same
   consonants, at most three edits), unless the word is a known English word.
4. Character variants (the `homophone` class): homophones of a term (same toned pinyin:
   海络因 for 海洛因; another tone or a merged sound only where the writing is not a word:
   手抢, 伪照人民币) or pinyin written in Latin (冰du), aligned with jieba token boundaries.
5. Evasions (parcel_evasion.EVASION_CLASSES): leet and masked letters, words split by
   spaces or any punctuation or marks (海★洛★因, kra.tom), a Chinese term cut in two
   (海洛 因), words run together (segmented over the catalogue and English word lists),
   pinyin (also with digits for letters: m4 f3i), pinyin initials (only as an item of their
   own or with a quantity; two letters only with a unit of the item's kind: zd 50发), slang
   (an everyday word, marked "?" in the catalogue, only with a unit of its kind: snow 7g),
   forgeries read as a pair (parcel_forgery: fake 100 yuan notes, 高仿耐克鞋, 假冒毛台,
   jiamaomaotai, 假冒伪劣 with any goods), obscene or pirated media by marker and format
   (色情DVD, 盗版 教材), and euphemisms: a telltale phrase or a pair of cues in one entry
   (parcel_euphemism: white powder 提神用的, money 能花出去的); a character written as its
   two components (仿真木仓, 子弓单); words spelled out or run together read again for
   pairs and telltales (fake o f f i c i a l seals, poultryfromabirdfluzone); and catalogue
   chemicals by formula, CAS number or nuclide (parcel_formula: KMnO4, CAS 7664-93-9;
   any formula of the same composition, C3H6O for acetone); emoji read as the words their
   Unicode names give (parcel_emoji: 🔫, 🦏角); a character written as its components from
   a table of the catalogue's characters (parcel_radicals: 酉夋 for 酸); initials beside a
   wink (SZL 懂的来); typing slips in short words (tnnt, dagge); pinyin tone digits that
   must agree with the term's tones, and every reading of a polyphonic character.
6. Exclusion phrases on an item (glue gun, 火药味, ivory white) cancel a match they cover,
   and context rules (parcel_context) clear or lower the harmless, each named in the reasons.

Exact matches take the item's action (`refuse` or `inspect`); misspellings and variants
go to `inspect`, since a person should look before a parcel is refused on a guess. A sender
who is not real-name verified sends the parcel to `inspect` at least.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import jieba
import opencc
from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz import process
from rapidfuzz.distance import OSA

from vigil.core.tabular import RowProblem, Table, TabularError, read_path, read_text_table
from vigil.screening.parcel_calibre import find_designations
from vigil.screening.parcel_context import CONTEXT_RULES, ContextRule, context_of
from vigil.screening.parcel_emoji import emoji_holes, emoji_reading, has_emoji
from vigil.screening.parcel_euphemism import find_telltales
from vigil.screening.parcel_evasion import (
    ALL_EVASIONS,
    INVISIBLE,
    FoldingWords,
    fold_lookalikes,
    fold_tones,
    unleet,
    unleet_all,
)
from vigil.screening.parcel_forgery import (
    find_counterfeit_goods,
    find_export_pairs,
    find_forgeries,
    find_media_pairs,
)
from vigil.screening.parcel_formula import find_formulas
from vigil.screening.parcel_ocr import OCR_ORIGINALS, merged_letters_reading
from vigil.screening.parcel_radicals import RADICAL_SPLITS

T = TypeVar("T")
Action = Literal["refuse", "inspect"]
Decision = Literal["cleared", "inspect", "refuse"]
MatchKind = Literal["exact", "misspelling", "variant"]

CATALOGUE_COLUMNS = (
    "item_id",
    "category",
    "action",
    "names_zh",
    "names_en",
    "exclusions",
    "legal_reference",
    "effective_from",
)
# The categories of the annex 《禁止寄递物品指导目录》 to 《禁止寄递物品管理规定》, by their titles.
ANNEX = "禁止寄递物品管理规定 附件《禁止寄递物品指导目录》"
ANNEX_CATEGORIES = (
    "一、枪支（含仿制品、主要零部件）弹药",
    "二、管制器具",
    "三、爆炸物品",
    "四、压缩和液化气体及其容器",
    "五、易燃液体",
    "六、易燃固体、自燃物质、遇水易燃物质",
    "七、氧化剂和过氧化物",
    "八、毒性物质",
    "九、生化制品、传染性、感染性物质",
    "十、放射性物质",
    "十一、腐蚀性物质",
    "十二、毒品及吸毒工具、非正当用途麻醉药品和精神药品、非正当用途的易制毒化学品",
    "十三、非法出版物、印刷品、音像制品等宣传品",
    "十四、间谍专用器材",
    "十五、非法伪造物品",
    "十六、侵犯知识产权和假冒伪劣物品",
    "十七、濒危野生动物及其制品",
    "十八、禁止进出境物品",
    "十九、其他物品",
)
_SEVERITY: dict[str, int] = {"cleared": 0, "inspect": 1, "refuse": 2}

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_GAP = re.compile(r"([\s·•*_\-]+)")
# Marks a sender puts between the letters of a word (海★洛★因, 罂#粟#壳, kra.tom): dots,
# slashes, stars, hearts, hashes, dingbats and emoji. List separators are not among them.
_MARKS = "·•*_\\-./\\\\|~+'’★☆❤♥♡#^=※○●◆◇■□▲△▼▽♦♣♠✿❀✪✦✧\u2600-\u27bf\U0001f300-\U0001faff"
_PUNCT_GAP = re.compile(rf"([\s{_MARKS}]+)")
# Separators that may split one word (p.i.s.t.o.l, her/oin); list separators are not here.
_SPLIT_RUN = re.compile(rf"[a-z]+(?:[\s{_MARKS}:]{{1,3}}[a-z]+)+")
# A mark inside a Latin word (co·balt, acetyle*ne, fake100yua|nnotes): the squeeze step
# reads the word without it.
_INNER_MARK = re.compile(rf"(?<=[a-z])[{_MARKS}]+(?=[a-z0-9])|(?<=[a-z0-9])[{_MARKS}]+(?=[a-z])")
_LATIN_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|[0-9]+")
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]/|+&，、。；：！？（）【】]| and | with | plus ")
# Common product abbreviations that pinyin initials must not be read into.
_ABBREVIATIONS = frozenset(
    {
        "hdd",
        "ssd",
        "usb",
        "led",
        "lcd",
        "cpu",
        "gpu",
        "dvd",
        "pcb",
        "tws",
        "rgb",
        "pvc",
        "abs",
        "hdmi",
        "mdf",
        "otg",
        "sdk",
        "nfc",
        "lan",
        "wifi",
        "diy",
        "dhl",
        "ems",
        "ups",
        "sku",
        "pdf",
        "ps4",
        "ps5",
        "xxl",
        "xl",
        "jpg",
        "mp3",
        "mp4",
        "atm",
        "tnt",
        "pet",
        "ptfe",
    }
)
# Two letters that name goods or a brand in an entry of their own (HP x1, TV x1, CK): not
# initials there, though with a unit of a contraband kind they still are (lg 3发, 雷管).
_TWO_LETTER_GOODS = frozenset(
    {"hp", "lg", "tv", "pc", "cd", "vr", "tf", "sd", "ck", "hd", "dj", "ac", "dc", "ok"}
)
# Character variants that OpenCC t2s leaves alone (old and Japanese forms).
_VARIANTS = str.maketrans(
    {"钸": "钚", "鎗": "枪", "砲": "炮", "礮": "炮", "菸": "烟", "氷": "冰", "薬": "药"}
)


# --- Items -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BannedItem:
    """One catalogue entry. Names and exclusions may be in any script and case."""

    item_id: str
    category: str
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...]
    legal_reference: str
    effective_from: date
    action: Action = "refuse"
    exclusions: tuple[str, ...] = ()
    # street names; matched as names, reported as slang. "?name": an everyday word that
    # counts only with a unit of its kind after it ("?snow": snow 7g, not snow boots)
    slang: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.item_id.strip():
            raise ValueError("a banned item needs an item_id")
        if not (self.names_zh or self.names_en or self.slang):
            raise ValueError(f"banned item {self.item_id} has no names")
        if self.action not in ("refuse", "inspect"):
            raise ValueError(f"banned item {self.item_id}: action must be refuse or inspect")
        if not self.legal_reference.strip():
            raise ValueError(f"banned item {self.item_id} has no legal reference")


@dataclass(frozen=True, slots=True)
class ParcelMatch:
    item_id: str
    category: str
    action: Action
    term: str  # the catalogue name that matched
    found: str  # the text in the declaration
    kind: MatchKind
    legal_reference: str

    @property
    def decision(self) -> Decision:
        return self.action if self.kind == "exact" else "inspect"

    def reason(self) -> str:
        how = {"exact": "declares", "misspelling": "may misspell", "variant": "may disguise"}
        return (
            f"{how[self.kind]} '{self.term}' ({self.category}, item {self.item_id}"
            f"{'' if self.found == self.term else f', written {self.found!r}'}); "
            f"{self.legal_reference}"
        )


@dataclass(frozen=True, slots=True)
class ParcelDecision:
    decision: Decision
    category: str  # category of the most severe match, "" if none
    reasons: tuple[str, ...]
    matches: tuple[ParcelMatch, ...]
    catalogue_version: int
    context: tuple[str, ...] = ()  # context rules that cleared or lowered a match
    model_score: float | None = None  # set where the learned second opinion raised it

    @property
    def reason(self) -> str:
        return " | ".join(self.reasons)


# --- Text --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise_text(
    text: str, evasions: frozenset[str] = ALL_EVASIONS, words: FoldingWords | None = None
) -> str:
    """NFKC, invisible characters dropped, case fold, look-alike letters and tone marks
    folded, traditional → simplified, gaps inside Han runs removed. Each step undoes one
    evasion class (parcel_evasion); `evasions` names those to undo. Given the catalogue's
    `words`, look-alike letters are folded only where they stand in for Latin ones, and
    real Cyrillic or Greek stays as written (parcel_evasion.fold_lookalikes); without them
    (a catalogue term) every one is folded."""
    text = text or ""
    if "fullwidth" in evasions:
        text = unicodedata.normalize("NFKC", text)
    if "zero_width" in evasions:
        text = text.translate(INVISIBLE)
    text = text.casefold()
    if "homoglyph" in evasions or "confusables" in evasions:
        text = fold_lookalikes(
            text,
            homoglyph="homoglyph" in evasions,
            confusables="confusables" in evasions,
            words=words,
        )
    if "tones" in evasions:
        text = fold_tones(text)
    if "traditional" in evasions:
        text = str(_t2s().convert(text)).translate(_VARIANTS)
    return _close_spaced_letters(text, punctuation="punctuation" in evasions)


def _close_spaced_letters(text: str, *, punctuation: bool = False) -> str:
    """Join characters spelled out one by one ("大 麻", "钴 6 0"); leave "坚果 弓弩" alone.

    A gap closes when the piece before it is a single character (a Han character, or any
    character already in such a chain) and the piece after starts with Han or a digit.
    With `punctuation`, dots, slashes and the like are gaps too ("海.洛.因"), and a lone
    Latin letter before Han starts a chain ("K 粉")."""
    pieces = (_PUNCT_GAP if punctuation else _GAP).split(text)
    out = [pieces[0]]
    chain = _ends_lone_han(pieces[0])
    letter = punctuation and _ends_lone_letter(pieces[0])
    for i in range(1, len(pieces) - 1, 2):
        gap, after = pieces[i], pieces[i + 1]
        han_next = bool(after) and _HAN_CHAR.match(after[0]) is not None
        joinable = han_next or (bool(after) and after[0].isdigit())
        if (chain and joinable) or (letter and han_next):
            out[-1] += after
            chain = chain or letter
        else:
            out.extend((gap, after))
            chain = False
        chain = (len(after) == 1 and chain) or _ends_lone_han(after)
        letter = punctuation and _ends_lone_letter(after)
    return "".join(out)


def _ends_lone_letter(piece: str) -> bool:
    """Does the piece end with one Latin letter standing alone ("维生素，k" before "粉")?"""
    return bool(piece) and "a" <= piece[-1] <= "z" and (len(piece) == 1 or not piece[-2].isalnum())


def _ends_lone_han(piece: str) -> bool:
    """Does the piece end with a Han character standing alone ("拉链，猎")?"""
    return (
        bool(piece)
        and _HAN_CHAR.match(piece[-1]) is not None
        and (len(piece) == 1 or not piece[-2].isalnum())
    )


_JIEBA_LOCK = threading.Lock()
_JIEBA: jieba.Tokenizer | None = None


def _tokenizer() -> jieba.Tokenizer:
    """One quiet jieba tokenizer for the process, initialised on first use."""
    global _JIEBA
    if _JIEBA is None:
        with _JIEBA_LOCK:
            if _JIEBA is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _JIEBA = tokenizer
    return _JIEBA


def _add_custom_word(word: str) -> None:
    """Teach jieba a catalogue word it does not know; known words keep jieba's own weights."""
    if len(word) < 2 or not _HAN_CHAR.search(word):
        return
    tokenizer = _tokenizer()
    with _JIEBA_LOCK:
        if word not in tokenizer.FREQ or not tokenizer.FREQ[word]:
            tokenizer.add_word(word)


@dataclass(frozen=True, slots=True)
class _Tokens:
    starts: frozenset[int]
    ends: frozenset[int]
    end_of: dict[int, int]  # character position → end of the jieba token holding it


_NO_TOKENS = _Tokens(frozenset(), frozenset(), {})


def _segment(text: str) -> _Tokens:
    starts: set[int] = set()
    ends: set[int] = set()
    end_of: dict[int, int] = {}
    for _, start, end in _tokenizer().tokenize(text, HMM=False):
        starts.add(start)
        ends.add(end)
        for position in range(start, end):
            end_of[position] = end
    return _Tokens(frozenset(starts), frozenset(ends), end_of)


def _is_word(text: str) -> bool:
    return bool(_tokenizer().FREQ.get(text))


@lru_cache(maxsize=65_536)
def _tone3(char: str) -> str:
    return lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0]


@lru_cache(maxsize=65_536)
def _toneless(char: str) -> str:
    """Toneless pinyin, ü written as u (氯 lü, 录 lu: one sound to a sender)."""
    return lazy_pinyin(char, style=Style.NORMAL)[0].replace("ü", "u").replace("v", "u")


_NEAR = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=65_536)
def _near(syllable: str) -> str:
    """A syllable with the sounds that many speakers merge folded together: zh/z, ch/c,
    sh/s and the -ng finals (照 zhao for 造 zao, 伪照人民币)."""
    for a, b in _NEAR:
        syllable = syllable.replace(a, b)
    return syllable


def _other_readings(term: str, most: int = 16) -> list[tuple[str, ...]]:
    """A Han term's toneless syllables in the other readings of its characters (藏羚羊绒 as
    zang ling yang rong as well as cang ...), at most `most` of them; ü written as v and u."""
    readings = [
        list(dict.fromkeys(r.replace("ü", "v") for r in rs))
        for rs in pinyin(term, style=Style.NORMAL, heteronym=True)
    ]
    default = set(_term_syllables(term))
    out: list[tuple[str, ...]] = []
    for combo in itertools.islice(itertools.product(*readings), most):
        for form in (combo, tuple(s.replace("v", "u") for s in combo)):
            if form not in default and form not in out and all(map(str.isalpha, form)):
                out.append(form)
    return out


def _term_syllables(term: str) -> list[tuple[str, ...]]:
    """A Han term's toneless pinyin syllables in context (子弹 → zi dan), ü as v and as u."""
    syllables = tuple(lazy_pinyin(term, style=Style.NORMAL))
    forms = {syllables, tuple(s.replace("ü", "v") for s in syllables)}
    forms.add(tuple(s.replace("ü", "u").replace("v", "u") for s in syllables))
    return [f for f in forms if all(re.fullmatch("[a-z]+", s) for s in f)]


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """Real English words: a near-miss to a banned term that is one of these is not a typo."""
    text = resources.files("vigil.screening").joinpath("data/english_words.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _allowed_edits(term: str) -> int:
    """Misspellings allowed for a Latin term, by its length (spaces not counted)."""
    letters = len(term.replace(" ", ""))
    if letters < 6:
        return 0
    return 1 if letters < 10 else 2


# --- Catalogue ---------------------------------------------------------------------------


_NUMERAL_DIGITS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
_NUMERAL_DIGITS |= {"七": "7", "八": "8", "九": "9"}


def numeral_digit_forms(term: str) -> list[str]:
    """A Han term with its numerals written as digits, every choice of them (三唑仑 as
    3唑仑; 一氧化二氮 as 1氧化2氮, 1氧化二氮 and 一氧化2氮). 十 stays: 10 is not read 十."""
    places = [i for i, c in enumerate(term) if c in _NUMERAL_DIGITS]
    if not places or not _HAN_CHAR.search(term) or len(places) > 4:
        return []
    forms = []
    for mask in itertools.product((False, True), repeat=len(places)):
        if not any(mask):
            continue
        chars = list(term)
        for place, digit in zip(places, mask, strict=True):
            if digit:
                chars[place] = _NUMERAL_DIGITS[chars[place]]
        forms.append("".join(chars))
    return forms


@dataclass(slots=True)
class _Term:
    text: str
    item_id: str


@dataclass
class BannedCatalogue:
    """Versioned, in-memory banned-items catalogue with incremental indexes."""

    version: int = 0
    items: dict[str, BannedItem] = field(default_factory=dict)
    _zh_terms: dict[str, list[str]] = field(default_factory=dict)  # term → item ids
    _en_terms: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    _en_by_width: dict[int, list[str]] = field(default_factory=dict)  # fuzzy candidates
    _pinyin_first: dict[str, list[_Term]] = field(default_factory=dict)  # tone3 of char 0
    _latin_first: dict[str, list[_Term]] = field(default_factory=dict)  # toneless char 0
    _exclusions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _slang: dict[str, set[str]] = field(default_factory=dict)  # item id → slang terms
    # slang written "?name" in the catalogue: an everyday word that is a street name only
    # with a unit of its category after it ("snow 7g", "狗粮 50发"); item id → terms
    _gated: dict[str, set[str]] = field(default_factory=dict)
    _initials2: dict[str, list[_Term]] = field(default_factory=dict)  # two-character terms
    _pinyin: dict[str, list[tuple[tuple[str, ...], _Term]]] = field(default_factory=dict)
    _initials: dict[str, list[_Term]] = field(default_factory=dict)
    _joined: dict[str, list[_Term]] = field(default_factory=dict)  # "fireworks" → term
    # Han terms with some characters written as their pinyin initial (冰d, 窃tq, d麻)
    _part_initials: dict[str, list[_Term]] = field(default_factory=dict)
    _words: frozenset[str] = frozenset()  # Latin words of all terms, for segmentation
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _derived: dict[str, tuple[int, Any]] = field(default_factory=dict, repr=False)

    def _cached(self, name: str, build: Callable[[BannedCatalogue], T]) -> T:
        """A value derived from the indexes, rebuilt when the catalogue version changes."""
        held = self._derived.get(name)
        if held is None or held[0] != self.version:
            held = (self.version, build(self))
            self._derived[name] = held
        return cast(T, held[1])

    def __len__(self) -> int:
        return len(self.items)

    def add_item(self, item: BannedItem) -> int:
        """Add or replace an item; it matches from the next screening on. Returns the version."""
        with self._lock:
            if item.item_id in self.items:
                self._unindex(item.item_id)
            self.items[item.item_id] = item
            self._index(item)
            self.version += 1
            return self.version

    def remove_item(self, item_id: str) -> int:
        with self._lock:
            if item_id in self.items:
                self._unindex(item_id)
                del self.items[item_id]
                self.version += 1
            return self.version

    def effective_items(self, on: date) -> list[BannedItem]:
        return [i for i in self.items.values() if i.effective_from <= on]

    # indexing -------------------------------------------------------------------------

    def _index(self, item: BannedItem) -> None:
        slang = [x.lstrip("?") for x in item.slang]
        self._slang[item.item_id] = {normalise_text(x).strip() for x in slang}
        self._gated[item.item_id] = {
            normalise_text(x[1:]).strip() for x in item.slang if x.startswith("?")
        }
        for raw in (*item.names_zh, *item.names_en, *slang):
            term = normalise_text(raw).strip()
            if not term:
                continue
            for form in numeral_digit_forms(term) if raw in item.names_zh else ():
                self._zh_terms.setdefault(form, []).append(item.item_id)
            self._index_evasions(term, item.item_id)
            if _HAN_CHAR.search(term):
                self._zh_terms.setdefault(term, []).append(item.item_id)
                _add_custom_word(term)
                if len(term) >= 2 and all(_HAN_CHAR.match(c) for c in term):
                    entry = _Term(term, item.item_id)
                    self._pinyin_first.setdefault(_tone3(term[0]), []).append(entry)
                    self._latin_first.setdefault(_toneless(term[0]), []).append(entry)
            words = tuple(_LATIN_WORD.findall(term))
            self._words |= {w for w in words if w.isalpha() and len(w) >= 3}
            if words and not _HAN_CHAR.search(term):
                self._en_terms.setdefault(words, []).append(item.item_id)
                if _allowed_edits(term):
                    self._en_by_width.setdefault(len(words), []).append(" ".join(words))
        exclusions = tuple(e for e in (normalise_text(x).strip() for x in item.exclusions) if e)
        self._exclusions[item.item_id] = exclusions
        for phrase in exclusions:
            _add_custom_word(phrase)

    def _index_evasions(self, term: str, item_id: str) -> None:
        """Pinyin, initials and joined forms of a term, for the evasions that use them."""
        entry = _Term(term, item_id)
        mixed = re.fullmatch(f"([a-z]{{1,2}})([{_HAN}]+)", term)
        if mixed:  # K粉 as k fen, kfen
            for syllables in _term_syllables(mixed.group(2)):
                syllables = (mixed.group(1), *syllables)
                self._pinyin.setdefault("".join(syllables), []).append((syllables, entry))
        if len(term) >= 2 and all(_HAN_CHAR.match(c) for c in term):
            # every reading of a character with several (藏 cang and zang), in full pinyin
            # only: initials of the other readings would be letters of too many words
            for syllables in _other_readings(term):
                self._pinyin.setdefault("".join(syllables), []).append((syllables, entry))
            for syllables in _term_syllables(term):
                self._pinyin.setdefault("".join(syllables), []).append((syllables, entry))
                initials = "".join(s[0] for s in syllables)
                if len(term) <= 4:
                    for mask in itertools.product((False, True), repeat=len(term)):
                        if any(mask) and not all(mask):
                            form = "".join(
                                i if m else c for c, i, m in zip(term, initials, mask, strict=True)
                            )
                            self._part_initials.setdefault(form, []).append(entry)
                elif len(term) <= 8:  # longer terms: the first one or two kept (咽SZYB)
                    for kept in (1, 2):
                        form = term[:kept] + initials[kept:]
                        self._part_initials.setdefault(form, []).append(entry)
                if len(term) >= 3:
                    self._initials.setdefault(initials, []).append(entry)
                elif item_id not in self._gated or term not in self._gated[item_id]:
                    self._initials2.setdefault(initials, []).append(entry)
        elif not _HAN_CHAR.search(term):
            joined = "".join(_LATIN_WORD.findall(term))
            # letters and digits too (9mm rounds as 9mmrounds), not digits alone
            if len(joined) >= 5 and joined.isalnum() and not joined.isdigit():
                self._joined.setdefault(joined, []).append(entry)

    def _unindex(self, item_id: str) -> None:
        for zh in list(self._zh_terms):
            self._zh_terms[zh] = [i for i in self._zh_terms[zh] if i != item_id]
            if not self._zh_terms[zh]:
                del self._zh_terms[zh]
        for en in list(self._en_terms):
            self._en_terms[en] = [i for i in self._en_terms[en] if i != item_id]
            if not self._en_terms[en]:
                del self._en_terms[en]
        live = {" ".join(w) for w in self._en_terms}
        for width, terms in list(self._en_by_width.items()):
            self._en_by_width[width] = [t for t in terms if t in live]
        for by_first in (self._pinyin_first, self._latin_first):
            for key, entries in list(by_first.items()):
                by_first[key] = [e for e in entries if e.item_id != item_id]
        self._exclusions.pop(item_id, None)
        self._slang.pop(item_id, None)
        self._gated.pop(item_id, None)
        for joined, pairs in list(self._pinyin.items()):
            self._pinyin[joined] = [p for p in pairs if p[1].item_id != item_id]
        for index in (self._initials, self._initials2, self._joined, self._part_initials):
            for key, entries in list(index.items()):
                index[key] = [e for e in entries if e.item_id != item_id]


def parse_catalogue_rows(rows: Iterable[dict[str, str]]) -> Iterator[BannedItem]:
    """Turn CSV rows (columns in CATALOGUE_COLUMNS) into items; raises ValueError on a bad row."""

    def split(value: str | None) -> tuple[str, ...]:
        return tuple(p.strip() for p in (value or "").split("|") if p.strip())

    first_line: dict[str, int] = {}  # a later row of the same id would silently replace it
    for line, row in enumerate(rows, start=2):
        try:
            item_id = row["item_id"].strip()
            if item_id in first_line:
                raise ValueError(f"item_id {item_id!r} is already on line {first_line[item_id]}")
            first_line[item_id] = line
            action = (row.get("action") or "refuse").strip()
            yield BannedItem(
                item_id=item_id,
                category=row["category"].strip(),
                names_zh=split(row.get("names_zh")),
                names_en=split(row.get("names_en")),
                legal_reference=(row.get("legal_reference") or "").strip(),
                effective_from=date.fromisoformat(row["effective_from"].strip()),
                action="inspect" if action == "inspect" else "refuse",
                exclusions=split(row.get("exclusions")),
                slang=split(row.get("slang")),
            )
        except (KeyError, ValueError) as error:
            raise ValueError(f"catalogue line {line}: {error}") from error


def load_catalogue(path: str | Path | None = None) -> BannedCatalogue:
    """Read a catalogue CSV; without a path, the seed catalogue shipped with Vigil."""
    if path is None:
        text = (
            resources.files("vigil.screening")
            .joinpath("data/banned_items.csv")
            .read_text(encoding="utf-8")
        )
        table = read_text_table(text.splitlines(keepends=True), source="banned_items.csv")
    else:  # the one tabular reader: CSV/XLSX, UTF-8 (BOM or not) or GBK, CRLF
        try:
            table = read_path(Path(path))
        except TabularError as error:
            raise ValueError(str(error)) from None
    missing = [c for c in CATALOGUE_COLUMNS if c not in table.header]
    if missing:
        raise ValueError(f"catalogue is missing columns: {', '.join(missing)}")
    catalogue = BannedCatalogue()
    try:
        for item in parse_catalogue_rows(_catalogue_rows(table)):
            catalogue.add_item(item)
    except TabularError as error:  # bytes that do not decode, broken quoting
        raise ValueError(str(error)) from None
    return catalogue


def _catalogue_rows(table: Table) -> Iterator[dict[str, str]]:
    for item in table:
        if isinstance(item, RowProblem):
            raise ValueError(f"catalogue line {item.line}: {item.message}")
        yield item.values


# --- Screening ---------------------------------------------------------------------------


_NOT_LEET_EDGE = re.compile(r"^[^a-z0-9]+|[^a-z0-9]+$")
_HYPHEN_OR_SPACE = re.compile(r"\\ |\\-")
_SPACE_CLASS = r"[\\s-]"


def _excluded(catalogue: BannedCatalogue, item_id: str, text: str, span: tuple[int, int]) -> bool:
    """Does one of the item's exclusion phrases cover this span of the text?"""
    start, end = span
    pattern = catalogue._cached("exclusions", _exclusion_patterns).get(item_id)
    if pattern is None:
        return False
    return any(f.start(1) <= start and end <= f.end(1) for f in pattern.finditer(text))


def _exclusion_patterns(catalogue: BannedCatalogue) -> dict[str, re.Pattern[str]]:
    """One pattern per item for all its exclusion phrases (Latin ones as whole words). It
    looks ahead at every position, longest phrase first, so overlapping phrases are all
    tried and none hides another."""
    patterns: dict[str, re.Pattern[str]] = {}
    for item_id, phrases in catalogue._exclusions.items():
        # a Chinese phrase also when the declaration spaces its words (天津 大麻花 礼盒)
        parts = [
            r"\s*".join(map(re.escape, p))
            if _HAN_CHAR.search(p)
            # a hyphen and a space stand for each other (bullet point, bullet-point)
            else rf"(?<![a-z0-9]){_HYPHEN_OR_SPACE.sub(_SPACE_CLASS, re.escape(p))}(?![a-z0-9])"
            for p in sorted(phrases, key=len, reverse=True)
        ]
        if parts:
            patterns[item_id] = re.compile(f"(?=({'|'.join(parts)}))")
    return patterns


_DIGIT_OR_DOT = frozenset("0123456789.")


def _holed_terms(catalogue: BannedCatalogue) -> dict[str, list[str]]:
    """Han terms of two to six characters with one character left out (摇?丸 for 摇头丸),
    keyed by what is left around the hole."""
    index: dict[str, list[str]] = {}
    gated = set().union(*catalogue._gated.values())  # street names that need a unit
    for term in catalogue._zh_terms:
        if term in gated:
            continue
        if 2 <= len(term) <= 6 and all(_HAN_CHAR.match(c) for c in term):
            for at in range(len(term)):
                index.setdefault(term[:at] + "?" + term[at + 1 :], []).append(term)
    return index


def _find_emoji_holes(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A catalogue term with one character written as an emoji (摇💊丸, 氰化☠️): two or more
    Han characters around the emoji, with it as any one character, spell the term. Yields the
    item, the term, what is written and how many Han characters before and after count."""
    holes = emoji_holes(text)
    if not holes:
        return
    holed = catalogue._cached("holed_terms", _holed_terms)
    for left, right, (start, end) in holes:
        for before in range(len(left) + 1):
            for after in range(len(right) + 1):
                if before + after < 2:
                    continue  # one character and a hole spell too many words (?块)
                key = left[len(left) - before :] + "?" + right[:after]
                for term in holed.get(key, ()):
                    for item_id in catalogue._zh_terms[term]:
                        yield item_id, term, text[start - before : end + after], (before, after)


def _zh_by_first(catalogue: BannedCatalogue) -> dict[str, list[str]]:
    """Chinese terms by their first character, so a declaration is searched only for the
    terms that can start in it."""
    index: dict[str, list[str]] = {}
    for term in catalogue._zh_terms:
        index.setdefault(term[0], []).append(term)
    return index


def _find_chinese(
    catalogue: BannedCatalogue, text: str, tokens: _Tokens
) -> Iterator[tuple[str, str, tuple[int, int]]]:
    by_first = catalogue._cached("zh_by_first", _zh_by_first)
    for term in (t for char in dict.fromkeys(text) for t in by_first.get(char, ())):
        item_ids = catalogue._zh_terms[term]
        at = text.find(term)
        while at >= 0:
            end = at + len(term)
            # Head-final compounds: the term must end where a jieba word ends (狙击枪, not
            # 金枪鱼), unless the rest of that word is another catalogue term (枪支弹药).
            rest = text[end : tokens.end_of.get(end - 1, end)]
            # ...and its first character must not bind to the left (蛋白粉 is not 白粉).
            binds_left = at not in tokens.starts and _is_word(text[at - 1 : at + 1])
            # a term starting with a digit (3唑仑) is not the tail of a number (154式)
            binds_left = binds_left or (term[0].isdigit() and text[at - 1 : at] in _DIGIT_OR_DOT)
            if (not rest or rest in catalogue._zh_terms) and not binds_left:
                for item_id in item_ids:
                    yield item_id, term, (at, end)
            at = text.find(term, at + 1)


def _latin_words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def _clauses(text: str) -> Iterator[tuple[int, str]]:
    """Parts of a declaration between list separators; terms never span two parts."""
    start = 0
    for found in _CLAUSE_BREAK.finditer(text):
        yield start, text[start : found.start()]
        start = found.end()
    yield start, text[start:]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _en_widths(catalogue: BannedCatalogue) -> list[int]:
    return sorted({len(k) for k in catalogue._en_terms}, reverse=True)


def _single_words(catalogue: BannedCatalogue) -> frozenset[str]:
    """The catalogue's one-word Latin terms, for reading 1 and ! as i or l (r1f1e)."""
    return frozenset(key[0] for key in catalogue._en_terms if len(key) == 1)


def _segment_words(catalogue: BannedCatalogue) -> frozenset[str]:
    return english_vocabulary() | _LISTING_WORDS | catalogue._words


_OWN_SCRIPT_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f]")


def _folding_words(catalogue: BannedCatalogue) -> FoldingWords:
    """What a word wholly in Cyrillic or Greek may fold to: the Latin words of the terms,
    two letters or more (oc of "oc spray"), and the terms written in Cyrillic, Greek or
    Armenian themselves, folded as they were indexed."""
    latin = {w for key in catalogue._en_terms for w in key if w.isalpha() and len(w) > 1}
    own: set[str] = set()
    for item in catalogue.items.values():
        for raw in (*item.names_zh, *item.names_en, *item.slang):
            term = normalise_text(raw.lstrip("?")).strip()
            if _OWN_SCRIPT_LETTER.search(raw.casefold()):
                own.update(filter(None, (re.sub(r"[\W_]+", "", w) for w in term.split())))
            elif term.isascii() and " " not in term:
                latin.add(term)  # a name of one token with digits or marks (p2p, ak-47)
    return FoldingWords(frozenset(latin), frozenset(own))


def _solid_terms(catalogue: BannedCatalogue) -> frozenset[tuple[str, ...]]:
    """Terms written as one token with a digit between letters (p2p): the words they split
    into must be one token in a declaration too, not "1p 2p 5p coins" or "p2 p3"."""
    solid: set[tuple[str, ...]] = set()
    apart: set[tuple[str, ...]] = set()  # the same words also written apart (p-2-p)
    for item in catalogue.items.values():
        for raw in (*item.names_en, *item.slang):
            term = normalise_text(raw.lstrip("?")).strip()
            words = tuple(_LATIN_WORD.findall(term))
            if len(words) >= 3 and words[0].isalpha() and words[-1].isalpha():
                (apart if _TOKEN_BREAK.search(term) else solid).add(words)
    return frozenset(solid - apart)


_TOKEN_BREAK = re.compile(r"[\s\-.]")
_GLUED = re.compile(r"[a-z0-9]")


def _one_token(text: str, span: tuple[int, int]) -> bool:
    """Is text[span] a token of its own: no space inside, no letter or digit glued on?"""
    start, end = span
    if re.search(r"\s", text[start:end]):
        return False
    before = _GLUED.match(text[start - 1]) if start else None
    after = _GLUED.match(text, end)
    return before is None and after is None


def _en_by_length(catalogue: BannedCatalogue) -> dict[tuple[int, int], list[str]]:
    """Misspelling candidates by word count and by the length of what may misspell them:
    at most two edits, so a term is a candidate for lengths within two of its own."""
    index: dict[tuple[int, int], list[str]] = {}
    for width, terms in catalogue._en_by_width.items():
        for term in terms:
            for length in range(len(term) - 2, len(term) + 3):
                index.setdefault((width, length), []).append(term)
    return index


def _find_latin(
    catalogue: BannedCatalogue, text: str, original: str | None = None
) -> Iterator[tuple[str, str, str, tuple[int, int], MatchKind]]:
    """Latin terms in each part of the list; given the `original` a variant was made from
    (of the same length), only in the parts the variant changed."""
    for offset, clause in _clauses(text):
        if original is not None and original[offset : offset + len(clause)] == clause:
            continue
        for item_id, term, found, (s, e), kind in _find_latin_in(catalogue, clause):
            yield item_id, term, found, (s + offset, e + offset), kind


_LINE_OR_HAN = re.compile(f"[\n{_HAN}]")


def _find_latin_in(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int], MatchKind]]:
    words = _latin_words(text)
    if not words:
        return
    vocabulary = english_vocabulary()
    widths = catalogue._cached("en_widths", _en_widths)
    by_length = catalogue._cached("en_by_length", _en_by_length)
    terms = catalogue._en_terms
    solid = catalogue._cached("solid_terms", _solid_terms)
    plain_words = [w for w, _, _ in words]
    known = [w.isdigit() or w in vocabulary for w in plain_words]

    def apart(i: int, width: int) -> bool:
        """Do the words span a line or Chinese text ("250g\n儿童牛仔裤 一份\npowder" holds
        no "g powder")? A term of several words never does."""
        gap = (words[i][2], words[i + width - 1][1])
        return width > 1 and _LINE_OR_HAN.search(text, *gap) is not None

    for width in widths:
        for i in range(len(words) - width + 1):
            exact = tuple(plain_words[i : i + width])
            key = exact if exact in terms else (*exact[:-1], _singular(exact[-1]))
            span = (words[i][1], words[i + width - 1][2])
            if key in terms:
                if apart(i, width) or (key in solid and not _one_token(text, span)):
                    continue
                found = " ".join(exact)
                for item_id in terms[key]:
                    yield item_id, " ".join(key), found, span, "exact"
                continue
            if all(known[i : i + width]):
                continue
            letters = sum(map(len, exact))
            if letters < 6:
                continue
            found = " ".join(exact)
            term = _closest(found, by_length.get((width, letters + width - 1)))
            if term is None and key != exact:  # a misspelt plural as a misspelt singular
                read = " ".join(key)
                term = _closest(read, by_length.get((width, len(read))))
            if term is not None and not apart(i, width):
                for item_id in terms[tuple(term.split())]:
                    yield item_id, term, found, span, "misspelling"


def _closest(found: str, candidates: list[str] | None) -> str | None:
    """The candidate term that `found` misspells, within the term's allowed edits."""
    if not candidates:
        return None
    best = process.extractOne(found, candidates, scorer=OSA.distance, score_cutoff=2)
    if best is None:
        return None
    term, distance = best[0], best[1]
    return term if 0 < distance <= _allowed_edits(term) else None


# Spellings by sound (grenaid, anthracks, acetoon, bayonette, pistl): letters that spell one
# sound written alike, vowels after the first letter dropped, doubled letters and a final
# silent e dropped; a word of five letters or more that is not English and keeps the
# consonants of a term of six or more.
_SOUND_SPELLINGS = (("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("z", "s"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_AFTER_FIRST = re.compile(r"(?<=.)[aeiouyhw]")
_DOUBLED = re.compile(r"(.)\1+")


def consonant_key(word: str) -> str:
    """The consonants of a word as it sounds (grenaid and grenade: grnd)."""
    for spelled, sound in _SOUND_SPELLINGS:
        word = word.replace(spelled, sound)
    word = _SOFT_C.sub("s", word).replace("c", "k")
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return _DOUBLED.sub(r"\1", _AFTER_FIRST.sub("", word))


def _terms_by_sound(catalogue: BannedCatalogue) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for key in catalogue._en_terms:
        if len(key) == 1 and len(key[0]) >= 6 and key[0].isalpha():
            index.setdefault(consonant_key(key[0]), []).append(key[0])
    return index


def _find_by_sound(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """One-word Latin terms misspelt by sound: same consonant key, same first letter, at
    most three edits apart (two for a word of five letters), and the word is not English
    or a catalogue word."""
    index = catalogue._cached("terms_by_sound", _terms_by_sound)
    vocabulary = english_vocabulary()
    lexicon = _english_lexicon()
    for found in re.finditer(r"(?<![a-z0-9])[a-z]{5,}(?![a-z0-9])", text):
        word = found.group()
        if word in vocabulary or word in lexicon or (word,) in catalogue._en_terms:
            continue
        for term in index.get(consonant_key(word), ()):
            distance = OSA.distance(word, term)
            if term[0] == word[0] and 0 < distance <= min(3, len(word) - 3):
                if distance > 1 and _nearer_english_word(word, term, distance):
                    continue  # a slip in an English word (peronal for personal)
                for item_id in catalogue._en_terms[(term,)]:
                    yield item_id, term, word, found.span()


@lru_cache(maxsize=1)
def _vocabulary_by_length() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for word in english_vocabulary():
        out.setdefault(len(word), []).append(word)
    return out


def _nearer_english_word(word: str, term: str, distance: int) -> bool:
    """Is an English word fewer than `distance` edits from `word`, and not itself a near
    miss of the term (aceton is listed as a look-alike of acetone)?"""
    by_length = _vocabulary_by_length()
    for length in range(len(word) - distance + 1, len(word) + distance):
        for english, _, _ in process.extract(
            word, by_length.get(length, ()), scorer=OSA.distance, score_cutoff=distance - 1
        ):
            if OSA.distance(english, term) > distance:
                return True
    return False


def _short_terms(catalogue: BannedCatalogue) -> dict[str, list[str]]:
    """One-word terms of five letters or more by their form with the last letter dropped
    (dagge for dagger, ivor for ivory)."""
    out: dict[str, list[str]] = {}
    for word, *rest in catalogue._en_terms:
        if not rest and len(word) >= 5 and word.isalpha():
            out.setdefault(word[:-1], []).append(word)
    return out


def _find_slips(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Typing slips in short words, which the edit allowance leaves alone: a key struck
    twice (tnnt, opiumm) or the last letter not struck (dagge, ivor). The word must not be
    English, and a dropped letter only counts on a term of five letters or more."""
    vocabulary = english_vocabulary()
    lexicon = _english_lexicon()
    truncated = catalogue._cached("short_terms", _short_terms)
    terms = catalogue._en_terms
    for found in re.finditer(r"(?<![a-z0-9])[a-z]{3,9}(?![a-z0-9])", text):
        word = found.group()
        if word in vocabulary or word in lexicon or (word,) in terms:
            continue
        candidates = {
            word[:i] + word[i + 1 :] for i in range(len(word) - 1) if word[i] == word[i + 1]
        }
        candidates = {c for c in candidates if (c,) in terms}
        if len(word) >= 4:
            candidates.update(truncated.get(word, ()))
        for term in sorted(candidates):
            for item_id in terms[(term,)]:
                yield item_id, term, word, found.span()


def _find_variants(
    catalogue: BannedCatalogue, text: str, tokens: _Tokens
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Homophones and pinyin-in-Latin standing in for Han characters.

    A homophone has the same toned pinyin (海络因), or the same syllable in another tone
    (手抢 for 手枪, 氯安酮 for 氯胺酮) when what is written is not itself a word and, for
    two characters, stands as an item of its own ("大嘛 x1", not 大码T恤)."""
    starts, ends = tokens.starts, tokens.ends
    units: list[tuple[str, str, str, int, int]] = []  # (char, tone3, toneless, start, end)
    for m in re.finditer(f"[{_HAN}]|[a-z]+", text):
        s = m.group()
        if _HAN_CHAR.match(s):
            units.append((s, _tone3(s), _toneless(s), m.start(), m.end()))
        else:
            units.append(("", "", s.replace("v", "u"), m.start(), m.end()))
    for i, (_, _, plain, start, _) in enumerate(units):
        # terms by the toneless syllable of their first character; a Latin syllable may
        # open a term too
        firsts = catalogue._latin_first.get(plain, [])
        for entry in firsts:
            term = entry.text
            window = units[i : i + len(term)]
            if len(window) < len(term):
                continue
            exact = 0
            latin = 0
            other_tone = 0
            near = 0
            ok = True
            for (u_char, u_tone, u_plain, _, _), t_char in zip(window, term, strict=True):
                if u_char == t_char:
                    exact += 1
                elif u_char and u_tone == _tone3(t_char):
                    continue
                elif u_char and u_plain == _toneless(t_char):
                    other_tone += 1
                elif u_char and _near(u_plain) == _near(_toneless(t_char)):
                    near += 1
                elif not u_char and u_plain == _toneless(t_char):
                    latin += 1
                else:
                    ok = False
                    break
            if not ok or exact == len(term):
                continue
            end = window[-1][4]
            if len(term) == 2 and exact == 0:
                # both characters stood in for (贾必 for 假币): only in the same tones, when
                # the writing is no word and stands as an item of its own
                if other_tone or near or latin or _is_word(text[start:end]):
                    continue
                if _t2s().convert(text[start:end]) == term:
                    continue  # the traditional forms (彈藥): the traditional step reads them
                if not _ITEM_END.match(text, end):
                    continue
            if latin and exact == 0:
                continue
            if near and (len(term) < 3 or exact < len(term) - 1):
                continue  # a merged sound: one character of a longer term only
            other_tone += near
            if other_tone and (exact == 0 or latin or _is_word(text[start:end])):
                continue
            if other_tone and len(term) == 2 and not _ITEM_END.match(text, end):
                continue  # two characters in another tone: only as an item of their own
            if (start in starts and end in ends) or latin:
                found = text[start:end]
                if _CLOTHING_SIZE.fullmatch(found):
                    continue  # 大码 is a size (大码 一件), not 大麻
                if _CLAUSE_BREAK.search(found):
                    continue  # a variant never spans two items of a list (T恤，电池盒)
                if not latin and any(c.isdigit() for c in found):
                    continue  # a quantity between the characters (玩具 1件 is not 玩具剑)
                yield entry.item_id, term, found, (start, end)


# A clothing size (大码, 加大码, 小码): 码 is the unit of sizes.
_CLOTHING_SIZE = re.compile(r"[大小中加特]+码")
# The end of an item of a list: a quantity (in digits or in words: 两个, 一份), a separator
# (a tab between the columns of a customs line) or the end of the text.
_ITEM_END = re.compile(
    r"\s*(?:[x×*]\s*\d|\d|数量|[-–]?\s*qty\b|$|[,;，、；\n\t/|(（]"
    r"|[一二两三四五六七八九十几半]+\s*[个件包袋盒瓶克支把发粒颗片张套箱只条根罐桶斤升份台]|若干)"
)
_PINYIN_TOKEN = re.compile(r"([a-z]+)(?:[1-5](?![0-9]))?")


@lru_cache(maxsize=4096)
def _term_tones(term: str) -> tuple[str, ...]:
    return tuple(s[-1] for s in lazy_pinyin(term, style=Style.TONE3, neutral_tone_with_five=True))


def _tones_agree(written: list[str], syllables: tuple[str, ...], term: str) -> bool:
    """Do tone digits written on every syllable (da4 ma3) agree with the term's tones? A
    reading in other tones is another word (大码, not 大麻 da4 ma2); a neutral tone or no
    digits at all always agree."""
    if len(written) != len(syllables) or not all(written):
        return True
    tones = _term_tones(term)
    if len(tones) != len(written):
        return True
    return all(w == t or t == "5" or w == "5" for w, t in zip(written, tones, strict=True))


def _find_pinyin(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Han terms written in pinyin, syllables spaced or run together, tone digits allowed
    (zi dan, zidan, zi3 dan4); tone marks are folded by normalise_text."""
    vocabulary = english_vocabulary()
    for offset, clause in _clauses(text):
        found_tokens = list(_PINYIN_TOKEN.finditer(clause))
        tokens = [(m.group(1), m.start(), m.end()) for m in found_tokens]
        tones = [m.group()[len(m.group(1)) :] for m in found_tokens]
        for i in range(len(tokens)):
            for width in range(1, min(8, len(tokens) - i) + 1):
                window = tokens[i : i + width]
                joined = "".join(w for w, _, _ in window)
                if joined not in catalogue._pinyin:
                    continue
                if width == 1 and (len(joined) < 4 or joined in vocabulary):
                    continue
                cuts = set()
                length = 0
                for word, _, _ in window[:-1]:
                    length += len(word)
                    cuts.add(length)
                written_tones = tones[i : i + width]
                for syllables, entry in catalogue._pinyin[joined]:
                    bounds = {sum(map(len, syllables[: k + 1])) for k in range(len(syllables))}
                    if cuts <= bounds and _tones_agree(written_tones, syllables, entry.text):
                        span = (offset + window[0][1], offset + window[-1][2])
                        yield entry.item_id, entry.text, text[span[0] : span[1]], span


# A quantity right after or before a word: "hly 5g", "hly x2", "hly 3包", "2 pcs hly".
_UNITS_ZH = "个件包袋盒瓶克支把发粒颗片张套箱只条根罐桶斤升"
_UNITS_ZH_LONG = "公斤|千克|毫升"  # two-character units (dhs 2公斤)
# Measure words of other goods (books, pairs, machines, strings, tubes): a count all the same.
_MEASURES_ZH = _UNITS_ZH + "本副双台块挂枚卷管对串"
_QUANTITY_AFTER = re.compile(
    rf"\s*(?:[x×*]\s*\d+|\d+(?:\.\d+)?\s*(?:[a-z]{{1,5}}\b|{_UNITS_ZH_LONG}|[{_MEASURES_ZH}]|$)"
    rf"|[一二两三四五六七八九十几]+[{_MEASURES_ZH}]|若干|一批|[\s-]*qty\b|数量)"
)
_UNIT_ATTACHED = re.compile(
    rf"\d+(?:\.\d+)?\s*(?:{_UNITS_ZH_LONG}|[{_UNITS_ZH}]|(?:g|kg|ml|pcs?|x)\b)"
)
_QUANTITY_BEFORE = re.compile(
    r"(?:\d+\s*(?:x|pcs|pc|packs?|bags?|boxes|box|g|kg|units?|sets?|bottles?)?|[x×]\s*\d+"
    rf"|\d+(?:\.\d+)?\s*(?:{_UNITS_ZH_LONG}|[{_MEASURES_ZH}])装?)\s*$"
)
# A wink that the reader knows what the letters stand for (hly 你懂的, zd（懂的来）): the
# letters just before it are the item, as a quantity would make them one.
_WINK = re.compile(
    r"(?<![a-z0-9])([a-z]{2,8})\s*[(（]?\s*(?:你懂的|你懂得|懂的来|懂得来|懂的都懂|懂得都懂|"
    r"懂的进|懂的私|you know what|u know what|if you know you know|iykyk)"
)


# Street names in the catalogue's `slang` column, by source (from memory of the published
# lists, not re-checked against them here):
# - English drug and nitrous slang (snow, blow, coke, smack, tina, ice shards, mary jane,
#   brown sugar, crank, black tar, white girl, whippets, hippie crack): U.S. DEA
#   Intelligence Report "Slang Terms and Code Words: A Reference for Law Enforcement
#   Personnel" (DEA-HOU-DIR-022-18, 2018).
# - Chinese drug slang (冰, 四号, 白货, 叶子, 草, 嗨丸, 麻古果, 麻素): the 毒品“黑话” lists of
#   国家禁毒委员会办公室 on 中国禁毒网 (www.nncc626.com).
# - Gun slang (气狗, 火狗, 短狗, 喷子, 狗粮 and 豆子 for rounds, piece, heater, gat, boom
#   stick): 公安部 case reports on online gun trafficking; US street usage as in the DEA
#   report above. 三步倒 (毒鼠强), 黄碟 and 毛片 (obscene discs), 大地红 (a firecracker
#   brand) are everyday names a courier sees.
# Units that belong to one kind of contraband: drugs are weighed or counted in pills, rounds
# are counted in 发, guns in 把 or 支, banknotes in 张 or notes. An everyday word ("snow",
# "狗粮") or two letters ("zd") count as a street name or initials only with such a unit.
_NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万几半]+)"
_SLANG_UNITS: dict[str, str] = {
    "narcotics & psychotropics": r"克|g\b|grams?\b|kg\b|公斤|oz\b|ounces?\b|粒|颗|片|"
    r"tabs?\b|pills?\b|ct\b|count\b|-?balls?\b",  # an 8-ball: an eighth of an ounce
    # rounds are also counted in 粒 (狗粮 200粒)
    # ivory and other parts are counted in pieces, pairs or strings (xy 20件 for 象牙)
    "endangered species products": r"件|根|串|对|副",
    "firearms & ammunition": r"发|粒|rounds?\b|rds?\b|cal\b|mags?\b|把|支|杆|盒|颗",
    # knives are counted in 把 or 柄 (jc 1把 for 军刺, td 10把 for 跳刀)
    "controlled knives & weapons": r"把|柄",
    "explosives & fireworks": r"发|响|箱|挂|公斤|kg\b",
    "counterfeit currency & documents": r"张|notes?\b|bills?\b",
    "flammable & compressed gases": r"chargers?\b|cartridges?\b|canisters?\b|bulbs?\b",
}
# Street names of rounds that name food (狗粮 dog food, 花生米 peanuts, 豆子 beans) are counted
# in 粒, 颗 or 盒 as the food is ("狗粮 200粒" is kibble): they count only in rounds (发) or
# with a calibre before the count ("花生米 7.62 一盒").
FOOD_NAMED_ROUNDS = frozenset({"狗粮", "花生米", "豆子"})
_FOOD_ROUNDS = "rounds named after food"
_SLANG_UNITS[_FOOD_ROUNDS] = r"发|rounds?\b|rds?\b|cal\b|mags?\b"
_CALIBRE_COUNT = (
    rf"\s*[(（]?\s*(?:(?:\d*\.\d+|[a-z]\d+)\s+{_NUMBER}\s*(?:粒|颗|盒)"
    rf"|{_NUMBER}\s*[盒包袋箱]\s*{_NUMBER}\s*(?:发|rounds?\b))"  # 狗粮 (一盒50发)
)
# Chinese gun units (把, 支, 盒) count goods of any kind ("watch strap 2盒"): an English
# street name of a gun counts only with English units (rounds, mags, cal).
_LATIN_UNITS = frozenset({"firearms & ammunition"})
# A street name may also stand before the form it is sold in ("mary jane edibles").
_SLANG_FORMS: dict[str, str] = {
    "narcotics & psychotropics": r"edibles?|gummies|pills?|tabs?|powder|crystals?|joints?|"
    r"blunts?|pre-?rolls?|caps(?:ules)?|烟油|烟弹|电子烟|"
    r"(?<=[a-z])粉",  # a Latin street name run into 粉 (coke粉), not 冰粉 the dessert
}
# A drug's street name may also come with a word praising its strength or purity in place
# of a unit ("冰 纯度99", "四号 劲大", "叶子 上头"): no other goods are sold on that.
_SLANG_POTENCY: dict[str, str] = {
    "narcotics & psychotropics": r"\s*[)）]?\s*[(（【]?\s*(?:纯度|劲大|够劲|上头|嗨|货好|高纯)",
}
# A gun's street name may also come with what it fires or holds, joined by a word
# ("heater + 50 rds", "strap with 2 mags", "chopper with drum", "双喷 配 狗粮").
_SLANG_WITH: dict[str, str] = {
    "firearms & ammunition": r"\s*(?:\+|&|with|and|配|带|加|\(|（)\s*(?:\d+\s*|[一二两三四五]\s*)?"
    r"(?:rds?\b|rounds?\b|mags?\b|magazines?\b|drums?\b|clips?\b|ammo\b|狗粮|子弹|弹夹|夹)"
    # ...or with a claim that it fires or cannot be traced ("burner, clean, no bodies",
    # 家伙事儿 一套 (能打响))
    r"|[\s,，(（]*(?:clean[\s,，]+)?(?:[一两]套\s*[(（]?\s*)?"
    r"(?:no\s+bodies\b|no\s+serial\b|unregistered\b|能打响|打得响|能开火|能打)",
}


@lru_cache(maxsize=64)
def _unit_pattern(category: str) -> re.Pattern[str] | None:
    units = _SLANG_UNITS.get(category)
    if units is None:
        return None
    forms = _SLANG_FORMS.get(category)
    # a calibre or model before the count is allowed ("狗粮 .177 500发", "blues m30 100ct")
    # ...or a calibre in millimetres ("花生米 7.62 一盒")
    quantity = rf"\s*[(（]?\s*(?:(?:\d*\.\d+|[a-z]\d+)\s+)?{_NUMBER}\s*(?:{units})"
    alternatives = [quantity]
    if category == _FOOD_ROUNDS:
        alternatives.append(_CALIBRE_COUNT)
    if forms:
        alternatives.append(rf"\s*(?:{forms})\b")
    if category in _SLANG_WITH:
        alternatives.append(_SLANG_WITH[category])
    if category in _SLANG_POTENCY:
        alternatives.append(_SLANG_POTENCY[category])
    return re.compile("|".join(alternatives))


def _with_unit(
    text: str, span: tuple[int, int], category: str, *, own: bool = True, latin: bool = False
) -> bool:
    """Is the word at `span` followed by a unit of `category` ("冰 5克", "snow 7g",
    "狗粮 50发")? With `own`, it must also not be the end of a longer word (猫薄荷草 10g)."""
    pattern = _unit_pattern(category)
    unit = pattern.match(text, span[1]) if pattern is not None else None
    if unit is None:
        return False
    if latin and not unit.group().isascii():
        return False  # an English street name comes with English units (not "strap 2盒")
    if not own:
        return True
    before = text[span[0] - 1] if span[0] else " "
    return not (before.isalnum() or _HAN_CHAR.match(before))


# One line or entry of a list (a tab parts the columns of a customs line), and what in it is
# only bookkeeping: labels, numbering, counts with their units, weights, and prices.
_LIST_ITEM_BREAK = re.compile(r"[\n\t,;，、；|/+]")
# A count in words with its unit (两包, 一套, 若干): a quantity, as "2 pcs" is.
_COUNT_IN_WORDS = rf"(?:[一二两三四五六七八九十几半]+\s*[{_UNITS_ZH}份套台]|若干|一批)"
_BOOKKEEPING = re.compile(
    r"品名|数量|申报价值|价值|寄件物品|物品|内件|订单号?|\b(?:items?|qty|units?|pcs?|sets?|"
    r"packs?|box(?:es)?|bags?|bottles?|rmb|usd|cny|value|x|contents|gift|order)\b|\d+(?:\.\d+)?\s*(?:[件个只条瓶盒袋套包支把元克粒颗片发份张]|"
    r"(?:units?|pcs?|sets?|packs?|box(?:es)?|bags?|x|g|kg|mg|ml|rounds?)\b)?|"
    rf"{_COUNT_IN_WORDS}|^\s*送|[x×*@¥$€£:：.()（）#\s-]"
)
_COUNTED = re.compile(rf"\d|品名|{_COUNT_IN_WORDS}")


# Letters before a dotted or long number name that code: a customs tariff heading
# (HS 8518.22), a standard (GB 2760.1) or an account; a count has neither a dot nor six digits.
_CODE_AFTER = re.compile(r"\s*[:：#-]?\s*(?:\d{4}(?:\.\d{1,4})+|\d{6,})(?![\d.])")


def _alone_in_item(text: str, span: tuple[int, int]) -> bool:
    """Is the word at `span` all there is to its entry of the list, besides a label, a
    count and a price ("ZD x4", "品名：DY；数量：4", "3x YP (¥120)")? Two initials in an
    entry of their own name the goods; with other words they are a code or a brand."""
    start = max((m.end() for m in _LIST_ITEM_BREAK.finditer(text, 0, span[0])), default=0)
    brk = _LIST_ITEM_BREAK.search(text, span[1])
    end = brk.start() if brk else len(text)
    entry = text[start : span[0]] + " " + text[span[1] : end]
    counted = _COUNTED.search(entry) is not None
    return counted and not _BOOKKEEPING.sub("", entry)


def _find_initials(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Han terms written as pinyin initials (hly for 海洛因, zd for 子弹).

    Letters like these are often a brand or a model code, so they count only as an item
    of their own: alone in their part of the list, or with a quantity ("hly 5g"). Two
    letters say too little on their own: they count only with a unit of the item's kind
    ("zd 50发", "sq 一把", "dm 28克"; not "lg 2台")."""
    vocabulary = english_vocabulary()
    items = catalogue.items
    for offset, clause in _clauses(text):
        for found in re.finditer(r"(?<![a-z0-9])[a-z]{2,8}(?![a-z])", clause):
            word = found.group()
            if word in vocabulary or word in _ABBREVIATIONS:
                continue
            if len(word) == 2:
                if _CODE_AFTER.match(text, offset + found.end()):
                    continue  # the name of a code (HS 8518.22, GB 2760.1), not initials
                span = (offset + found.start(), offset + found.end())
                alone = word not in _TWO_LETTER_GOODS and _alone_in_item(text, span)
                for entry in catalogue._initials2.get(word, ()):
                    item = items.get(entry.item_id)
                    if item and (alone or _with_unit(text, span, item.category, own=False)):
                        yield entry.item_id, entry.text, word, span
                continue
            if word not in catalogue._initials:
                continue
            after = _QUANTITY_AFTER.match(clause, found.end())
            if clause[found.end() : found.end() + 1].isdigit() and not _UNIT_ATTACHED.match(
                clause, found.end()
            ):
                continue  # a model code (abc123), not letters and a quantity (hly5克)
            rest = clause[after.end() if after else found.end() :]
            quantity = bool(after and after.group().strip())
            quantity = quantity or _QUANTITY_BEFORE.search(clause[: found.start()]) is not None
            alone = not clause[: found.start()].strip() and not rest.strip()
            if not (quantity or alone):
                continue
            span = (offset + found.start(), offset + found.end())
            for entry in catalogue._initials[word]:
                yield entry.item_id, entry.text, word, span


# A note that the goods are a substance (a physical form in brackets, a reagent grade): with
# it, letters name a chemical's initials (BCK（液体）, 分析纯 WS, AR WMHJ（粉末）).
_SUBSTANCE_CUE = re.compile(
    r"[(（]\s*(?:液体|液态|粉末|粉状|晶体|固体|颗粒|气体|溶液|膏体)\s*[)）]"
    r"|分析纯|化学纯|优级纯|试剂级|实验室用|工业级|(?<![a-z])(?:ar|cp|gr)(?![a-z])"
)
_SUBSTANCE_CATEGORIES = frozenset(
    {
        "flammable liquids",
        "flammable solids & reactive",
        "oxidizers & peroxides",
        "toxic substances",
        "corrosives",
        "radioactive",
        "narcotics & psychotropics",
    }
)


def _find_substance_initials(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Initials of a substance's name where the declaration says the goods are a
    substance (a form in brackets or a reagent grade): two letters count too."""
    cue = _SUBSTANCE_CUE.search(text)
    if cue is None:
        return
    vocabulary = english_vocabulary()
    items = catalogue.items
    for found in re.finditer(r"(?<![a-z0-9])[a-z]{2,8}(?![a-z0-9])", text):
        word = found.group()
        if word in vocabulary or word in _ABBREVIATIONS or found.span() == cue.span():
            continue
        if word in ("ar", "cp", "gr"):
            continue
        for entry in (*catalogue._initials.get(word, ()), *catalogue._initials2.get(word, ())):
            item = items.get(entry.item_id)
            if item is not None and item.category in _SUBSTANCE_CATEGORIES:
                yield entry.item_id, entry.text, word, found.span()


def _find_winked_initials(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Initials of a term right before a wink (SZL 懂的来, zd（你懂的）): two letters count
    too, since the wink, not a unit, says that they stand for goods."""
    if "懂" not in text and "know" not in text and "iykyk" not in text:
        return
    vocabulary = english_vocabulary()
    for found in _WINK.finditer(text):
        word = found.group(1)
        if word in vocabulary or word in _ABBREVIATIONS:
            continue
        span = found.span(1)
        for entry in (*catalogue._initials.get(word, ()), *catalogue._initials2.get(word, ())):
            yield entry.item_id, entry.text, word, span


_MIXED_RUN = re.compile(rf"[{_HAN}a-z]*(?:[{_HAN}][a-z]|[a-z][{_HAN}])[{_HAN}a-z]*")
# A size after a size word is a size (大M, 加大XL), not an initial.
_SIZE = re.compile(r"(?:[大小中加特]+)(?:x{0,3}[sml])")
_COUNT_BEFORE = re.compile(r"\d\s*$")


def _find_part_initials(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Han terms with some characters written as their pinyin initial: 冰d (冰毒), 窃tq
    (窃听器), 匕s (匕首), d麻. A run of letters must be whole (not part of a longer word)
    and not a model code (a digit after it), and a size after a size word (大M) is not one."""
    index = catalogue._part_initials
    if not index:
        return
    for run in _MIXED_RUN.finditer(text):
        word, base = run.group(), run.start()
        for i in range(len(word)):
            for j in range(i + 2, min(i + 8, len(word)) + 1):
                form = word[i:j]
                entries = index.get(form)
                if not entries:
                    continue
                start, end = base + i, base + j
                if (
                    form[0].isascii()
                    and start > 0
                    and text[start - 1].isascii()
                    and (text[start - 1].isalnum())
                ):
                    continue
                if (
                    form[-1].isascii()
                    and end < len(text)
                    and text[end].isascii()
                    and (text[end].isalnum())
                ):
                    continue
                if _SIZE.fullmatch(form) or (
                    form[0].isascii() and _COUNT_BEFORE.search(text, 0, start)
                ):
                    continue  # 大M is a size; "3 x 粉底液" a count
                for entry in entries:
                    yield entry.item_id, entry.text, form, (start, end)


_HAN_GAP = re.compile(rf"([{_HAN}]+)([\s{_MARKS}]+)(?=([{_HAN}]+))")


def _find_split_han(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A Chinese term cut in two by a space or a mark (海洛 因, 天那 水, 细菌菌-种): the
    two runs of Han characters either side of the gap, read together, hold a term that
    takes the whole of one of them, so that two items of a list (坚果 弓弩) never join."""
    for found in _HAN_GAP.finditer(text):
        left, gap, right = found.group(1), found.group(2), found.group(3)
        joined = left + right
        cut = len(left)
        start = found.start(1)
        for i in range(cut):
            for term in _starting_terms(catalogue, joined, i):
                end = i + len(term)
                if end <= cut or (i != 0 and end != len(joined)):
                    continue  # the term must span the gap and take a whole run
                span = (start + i, start + end + len(gap))
                for item_id in catalogue._zh_terms[term]:
                    yield item_id, term, text[span[0] : span[1]], span


# A character written as its two components (木仓 for 枪, 酉夋 for 酸): parcel_radicals.
_RADICAL_SPLIT = re.compile("|".join(RADICAL_SPLITS))


def _find_radical_splits(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A term with a character written as its two components (仿真木仓, 子弓单). The term
    must be two characters or more, so that a lone 枪 in 木仓库 (a timber store) is not one."""
    if _RADICAL_SPLIT.search(text) is None:
        return
    chars: list[str] = []
    origin: list[int] = []  # where each character of the reading starts in the text
    joined_at: set[int] = set()
    last = 0
    for found in _RADICAL_SPLIT.finditer(text):
        for k in range(last, found.start()):
            chars.append(text[k])
            origin.append(k)
        joined_at.add(len(chars))
        chars.append(RADICAL_SPLITS[found.group()])
        origin.append(found.start())
        last = found.end()
    for k in range(last, len(text)):
        chars.append(text[k])
        origin.append(k)
    origin.append(len(text))
    reading = "".join(chars)
    for at in joined_at:
        for i in range(max(0, at - 6), at + 1):
            for term in _starting_terms(catalogue, reading, i):
                end = i + len(term)
                if len(term) < 2 or end <= at:
                    continue
                span = (origin[i], origin[end - 1] + (2 if end - 1 in joined_at else 1))
                for item_id in catalogue._zh_terms[term]:
                    yield item_id, term, text[span[0] : span[1]], span


def _starting_terms(catalogue: BannedCatalogue, text: str, at: int) -> Iterator[str]:
    by_first = catalogue._cached("zh_by_first", _zh_by_first)
    for term in by_first.get(text[at], ()):
        if text.startswith(term, at):
            yield term


def _find_joined(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A term split into pieces (fire works, hero in) or a phrase run together
    (brassknuckles): the letters of one to three words equal the term's letters."""
    vocabulary = english_vocabulary()
    for offset, clause in _clauses(text):
        words = _latin_words(clause)
        for i in range(len(words)):
            for width in range(1, min(3, len(words) - i) + 1):
                window = words[i : i + width]
                joined = "".join(w for w, _, _ in window)
                entries = catalogue._joined.get(joined) or catalogue._joined.get(_singular(joined))
                if not entries:
                    continue
                pieces = tuple(w for w, _, _ in window)
                if width > 1 and all(p in vocabulary for p in pieces) and len(joined) < 7:
                    continue  # "hero in" is English; "fire works" is long enough to tell
                for entry in entries:
                    if tuple(_LATIN_WORD.findall(entry.text)) == pieces:
                        continue  # written as catalogued: the plain matcher has it
                    span = (offset + window[0][1], offset + window[-1][2])
                    yield entry.item_id, entry.text, text[span[0] : span[1]], span


_MASKED = re.compile(r"(?<![a-z0-9*?])[a-z*?]*[*?][a-z*?]*(?![a-z0-9*?])")


def _find_masked(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A word with one or two letters masked by * or ? (h*roin, c?caine): it matches the
    single-word Latin terms of its length that agree on every letter it shows."""
    for found in _MASKED.finditer(text):
        word = found.group()
        masks = word.count("*") + word.count("?")
        if masks > 2 or len(word) - masks < 4:
            continue
        pattern = re.compile(word.replace("*", ".").replace("?", "."))
        for key, item_ids in catalogue._en_terms.items():
            term = key[0]
            if len(key) == 1 and len(term) == len(word) and pattern.fullmatch(term):
                for item_id in item_ids:
                    yield item_id, term, word, found.span()


def _find_punctuation_split(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A term split by punctuation or spelled letter by letter (p.i.s.t.o.l, her/oin,
    c_o_c_a_i_n_e): the letters of up to 16 pieces joined by short separators equal the
    term's letters. Commas, semicolons and list words still end an item."""
    vocabulary = english_vocabulary()
    for run in _SPLIT_RUN.finditer(text):
        pieces = [(m.group(), run.start() + m.start(), run.start() + m.end())
                  for m in re.finditer(r"[a-z]+", run.group())]  # fmt: skip
        for i in range(len(pieces)):
            joined = ""
            for j in range(i, min(len(pieces), i + 16)):
                joined += pieces[j][0]
                window = pieces[i : j + 1]
                entries = catalogue._joined.get(joined, [])
                spelled = len(window) >= 3 and all(len(w) == 1 for w, _, _ in window)
                if spelled:
                    # spelled letter by letter: short terms too (t n t, l.s.d)
                    entries = entries or [
                        _Term(joined, item_id) for item_id in catalogue._en_terms.get((joined,), [])
                    ]
                if j == i or not entries:
                    continue
                words = tuple(w for w, _, _ in window)
                if all(w in vocabulary for w in words) and len(joined) < 7:
                    continue  # "hero in" is English
                gaps = "".join(text[a[2] : b[1]] for a, b in itertools.pairwise(window))
                if len(window) <= 3 and not gaps.strip() and not spelled:
                    continue  # up to three words apart: the split_join step has them
                span = (window[0][1], window[-1][2])
                for entry in entries:
                    if tuple(_LATIN_WORD.findall(entry.text)) == words:
                        continue
                    yield entry.item_id, entry.text, text[span[0] : span[1]], span


@lru_cache(maxsize=1)
def _english_lexicon() -> frozenset[str]:
    """A large English word list (english-words: web2 and GCIDE): a token that is a real
    word (bulletin, bulletproof, therapist) is never split into a banned word."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], lower=True, alpha=True))


# Everyday listing words a sender runs together with a term (buyheroinnow, ketaminepowder).
_LISTING_TEXT = (
    "buy sell sale cheap pure best top real new fresh free fast hot big mini bulk stock "
    "order pack packs bag bags box boxes kit kits set sets gift party powder pills pill "
    "tabs tablets crystal crystals grams gram oz ounce kilo kilos lot lots uncut grade "
    "quality premium original genuine raw organic now here online shop store deal deals "
    "for the and with your my our get sample samples bottle bottles can cans"
)
_LISTING_WORDS = frozenset(re.findall(r"[a-z]+", _LISTING_TEXT))


def _segments(piece: str, words: frozenset[str], memo: dict[str, bool]) -> bool:
    """Can `piece` be cut into words of three or more letters from `words`?"""
    if not piece:
        return True
    if piece in memo:
        return memo[piece]
    memo[piece] = any(
        piece[:k] in words and _segments(piece[k:], words, memo) for k in range(3, len(piece) + 1)
    )
    return memo[piece]


def _cleared_in_reading(
    catalogue: BannedCatalogue,
    item_id: str,
    reading: str,
    span: tuple[int, int],
    rules: tuple[ContextRule, ...],
) -> bool:
    """Does a context rule clear the term at `span` of a reading with its words spaced out
    (importedwaterpistol read as "imported water pistol": a water pistol)?"""
    item = catalogue.items.get(item_id)
    if item is None:
        return False
    ruled = context_of(reading, span[0], span[1], item.category, rules)
    return ruled is not None and ruled[0] == "clear"


def _find_segmented(
    catalogue: BannedCatalogue, text: str, rules: tuple[ContextRule, ...] = CONTEXT_RULES
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """A catalogue word run together with ordinary words in one token (buyheroinnow,
    ketaminepowder): the token is not an English word, and what is left on either side of
    the term segments into listing words, English words or other catalogue words."""
    lexicon = _english_lexicon()
    words = catalogue._cached("segment_words", _segment_words)
    memo: dict[str, bool] = {}
    for token in re.finditer(r"[a-z]{7,}", text):
        word = token.group()
        if word in lexicon or _singular(word) in lexicon or word in catalogue._joined:
            continue
        for i in range(len(word) - 4):
            for j in range(len(word), i + 4, -1):
                if (i == 0 and j == len(word)) or word[i:j] not in catalogue._joined:
                    continue
                if not (_segments(word[:i], words, memo) and _segments(word[j:], words, memo)):
                    continue
                span = (token.start() + i, token.start() + j)
                reading_words = catalogue._cached("reading_lexicon", _reading_lexicon)
                left = _spaced(word[:i], reading_words) or word[:i]
                right = _spaced(word[j:], reading_words) or word[j:]
                for entry in catalogue._joined[word[i:j]]:
                    if _joined_exclusion(catalogue, entry.item_id, word, i, j):
                        continue
                    reading = f"{left} {entry.text} {right}".strip()
                    at = len(left) + 1 if left else 0
                    term_span = (at, at + len(entry.text))
                    if _cleared_in_reading(catalogue, entry.item_id, reading, term_span, rules):
                        continue
                    yield entry.item_id, entry.text, text[span[0] : span[1]], span


def _joined_exclusion(catalogue: BannedCatalogue, item_id: str, word: str, i: int, j: int) -> bool:
    """Does an exclusion phrase of the item, run together, cover word[i:j]?"""
    for phrase in catalogue._exclusions.get(item_id, ()):
        letters = "".join(_LATIN_WORD.findall(phrase))
        if not letters.isalpha() or len(letters) <= j - i:
            continue  # "hero in" guards the split form, not the word run together
        at = word.find(letters)
        while at >= 0:
            if at <= i and j <= at + len(letters):
                return True
            at = word.find(letters, at + 1)
    return False


# Letters spelled out one by one with spaces or marks (o f f i c i a l, t.o.p.-.s.e.c.r.e.t),
# and long runs of words written together (poultryfromabirdfluzone).
_SPELLED_OUT = re.compile(r"(?<![a-z0-9])[a-z](?:[\s.\-·*_/|]{1,3}[a-z](?![a-z0-9])){3,}")
_LONG_RUN = re.compile(r"[a-z]{12,}")


def _inflected_word(piece: str, lexicon: frozenset[str]) -> bool:
    """A word of the lexicon, or one with a plural, past or -ing ending (the word lists
    hold base forms): cultures, marked, inciting."""
    if piece in lexicon:
        return True
    return any(
        piece.endswith(ending)
        and len(piece) - len(ending) >= 3
        and piece[: -len(ending)] + restore in lexicon
        for ending, restore in _INFLECTIONS
    )


_INFLECTIONS = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _spaced(run: str, lexicon: frozenset[str]) -> str | None:
    """`run` cut into the fewest words of the lexicon (two letters or more, or "a"), the
    longer words first among equal counts (bird flu, not bi rd flu), spaced; None when it
    does not cut."""
    # best[end]: (words, minus the sum of squared word lengths, where the last word starts)
    best: list[tuple[int, int, int] | None] = [(0, 0, 0)] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 20), end):
            piece = run[start:end]
            before = best[start]
            if before is None or (len(piece) < 2 and piece != "a"):
                continue
            if not _inflected_word(piece, lexicon):
                continue
            score = (before[0] + 1, before[1] - len(piece) ** 2, start)
            current = best[end]
            if current is None or score[:2] < current[:2]:
                best[end] = score
    words: list[str] = []
    end = len(run)
    while end:
        last = best[end]
        if last is None:
            return None
        words.append(run[last[2] : end])
        end = last[2]
    return " ".join(reversed(words))


def _reading_lexicon(catalogue: BannedCatalogue) -> frozenset[str]:
    return _english_lexicon() | _segment_words(catalogue)


def _word_reading(
    catalogue: BannedCatalogue, text: str, *, spelled: bool = True, runs: bool = True
) -> tuple[str, list[int], list[int]] | None:
    """The text with spelled-out letters closed up and long runs of words spaced out, and
    for each character of that reading where its run starts and ends in the text; None
    when nothing was changed."""
    regions: list[tuple[int, int, str]] = []
    lexicon: frozenset[str] | None = None
    if spelled:  # the punctuation step
        for found in _SPELLED_OUT.finditer(text):
            regions.append((found.start(), found.end(), re.sub(r"[^a-z]", "", found.group())))
    if runs:  # the segmentation step
        for found in _LONG_RUN.finditer(text):
            regions.append((found.start(), found.end(), found.group()))
    if not regions:
        return None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    changed = False
    for start, end, letters in sorted(regions):
        if start < last:
            continue
        if lexicon is None:
            lexicon = catalogue._cached("reading_lexicon", _reading_lexicon)
        spaced = _spaced(letters, lexicon) or letters
        if spaced == text[start:end]:
            continue
        changed = True
        for k in range(last, start):
            chars.append(text[k])
            starts.append(k)
            ends.append(k + 1)
        chars.extend(spaced)
        starts.extend([start] * len(spaced))
        ends.extend([end] * len(spaced))
        last = end
    if not changed:
        return None
    for k in range(last, len(text)):
        chars.append(text[k])
        starts.append(k)
        ends.append(k + 1)
    return "".join(chars), starts, ends


def _find_in_reading(
    catalogue: BannedCatalogue,
    text: str,
    evasions: frozenset[str],
    rules: tuple[ContextRule, ...] = CONTEXT_RULES,
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Terms and pairs (a forgery word with a document, a secrecy grade with papers, a
    telltale) in the word reading, where they touch a run it changed."""
    reading = _word_reading(
        catalogue, text, spelled="punctuation" in evasions, runs="segmentation" in evasions
    )
    if reading is None:
        return
    words, starts, ends = reading
    found: list[tuple[str, str, tuple[int, int]]] = [
        (item_id, term, span) for item_id, term, _, span, _ in _find_latin(catalogue, words)
    ]
    found.extend(find_export_pairs(words))
    found.extend(find_media_pairs(words))
    if "counterfeit" in evasions:
        found.extend(find_forgeries(words))
        found.extend(find_counterfeit_goods(words))
    if "euphemism" in evasions:
        found.extend(find_telltales(words))
    for item_id, term, (lo, hi) in found:
        if _excluded(catalogue, item_id, words, (lo, hi)):
            continue  # knifesharpener: "knife sharpener" is an exclusion phrase
        if _cleared_in_reading(catalogue, item_id, words, (lo, hi), rules):
            continue  # bulletpatternphonecase: a pattern, read with its words spaced
        span = (starts[lo], ends[hi - 1])
        if any(ends[k] - starts[k] > 1 for k in range(lo, hi)):  # it touches a changed run
            yield item_id, term, text[span[0] : span[1]], span


_GLUED_QUANTITY = re.compile(r"(?<=[a-z]{2})x(?=\d+(?![a-z0-9]))")
# ...and a count with its unit glued before a word ("10gblackpowder", "12unitsrifle")
# a number of its own, not digits inside a word (m4gnesium, zhen1kong3)
_GLUED_UNIT = re.compile(
    r"(?<![a-z0-9.])(\d+(?:\.\d+)?(?:units?|pcs|pc|kg|mg|ml|g|l))(?=[a-z]{4,})"
)


def _squeeze(text: str) -> tuple[str, list[int]] | None:
    """The text with marks inside Latin words removed (co·balt → cobalt), and for each
    character kept its position in the text; None when there is no such mark."""
    if _INNER_MARK.search(text) is None:
        return None
    kept: list[int] = []
    last = 0
    for found in _INNER_MARK.finditer(text):
        kept.extend(range(last, found.start()))
        last = found.end()
    kept.extend(range(last, len(text)))
    return "".join(text[i] for i in kept), kept


def _find_squeezed(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Latin terms with marks inside their words (kra.tom, acetyle*ne tank, radioacti-ve
    isotope run together): found in the squeezed text, reported where a mark was removed."""
    squeezed = _squeeze(text)
    if squeezed is None:
        return
    plain, kept = squeezed
    found = [(i, t, s) for i, t, _, s, _ in _find_latin(catalogue, plain)]
    found += [(i, t, s) for i, t, _, s in _find_joined(catalogue, plain)]
    found += [(i, t, s) for i, t, _, s in _find_segmented(catalogue, plain)]
    for item_id, term, (start, end) in found:
        span = (kept[start], kept[end - 1] + 1)
        if span[1] - span[0] != end - start:  # a mark was inside: the other steps miss it
            yield item_id, term, text[span[0] : span[1]], span


def _find_ocr_han(
    catalogue: BannedCatalogue, text: str, tokens: _Tokens
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Han terms with characters an OCR engine misread (parcel_ocr: 仓官 for 枪管, 氢氟夋 for
    氢氟酸): every character is the term's own or one it is misread as, at least one is
    misread, the span lies on word boundaries and is not itself a word, and a term of two
    characters stands as an item of its own."""
    by_first = catalogue._cached("zh_by_first", _zh_by_first)
    starts, ends = tokens.starts, tokens.ends
    for i, char in enumerate(text):
        if i not in starts:
            continue
        firsts = (char, *OCR_ORIGINALS.get(char, ()))
        for term in (t for first in firsts for t in by_first.get(first, ())):
            end = i + len(term)
            if len(term) < 2 or end not in ends or end > len(text):
                continue
            written = text[i:end]
            misread = 0
            for w, t in zip(written, term, strict=True):
                if w == t:
                    continue
                if t not in OCR_ORIGINALS.get(w, ()):
                    break
                misread += 1
            else:
                if not misread or _is_word(written):
                    continue
                if len(term) == 2 and not (_item_starts(text, i) and _ITEM_END.match(text, end)):
                    continue  # two characters: only as an item of their own (not 1.8米大床)
                for item_id in catalogue._zh_terms[term]:
                    yield item_id, term, written, (i, end)


def _item_starts(text: str, at: int) -> bool:
    """Does an item of a list start at `at` (the start, or after a space or a separator)?"""
    return at == 0 or text[at - 1] in " \t\n,;，、；：:|/(（"


def _find_merged_letters(
    catalogue: BannedCatalogue, text: str
) -> Iterator[tuple[str, str, str, tuple[int, int]]]:
    """Latin terms with two letters an OCR engine reads as one (uraniurn, perrnanganate),
    also with digits for letters (p0tassiurn): reported where a pair was read."""
    for variant in dict.fromkeys((text, unleet(text, one_as_l=True))):
        reading = merged_letters_reading(variant)
        if reading is None:
            continue
        words, starts, ends = reading
        for item_id, term, _, (lo, hi), kind in _find_latin(catalogue, words):
            if kind == "exact" and any(ends[k] - starts[k] > 1 for k in range(lo, hi)):
                span = (starts[lo], ends[hi - 1])
                yield item_id, term, text[span[0] : span[1]], span


def screen_parcel(
    catalogue: BannedCatalogue,
    declared_contents: str,
    sender_verified: bool,
    *,
    on: date | None = None,
    evasions: frozenset[str] = ALL_EVASIONS,
    rules: tuple[ContextRule, ...] = CONTEXT_RULES,
) -> ParcelDecision:
    """Screen one parcel's declared contents against the catalogue's items effective `on`.

    `evasions` (parcel_evasion.EVASION_CLASSES) and `rules` (parcel_context.CONTEXT_RULES)
    default to all; tests pass fewer to show what each one does."""
    if on is None:
        from vigil.core.clock import utcnow

        on = utcnow().date()
    # a quantity glued to a word ("xiao qix3", "sealx2") is read apart; same length
    fold_words = catalogue._cached("folding_words", _folding_words)
    text = _GLUED_QUANTITY.sub(" ", normalise_text(declared_contents, evasions, fold_words))
    text = _GLUED_UNIT.sub(r"\1 ", text)
    version = catalogue.version
    items = catalogue.items
    found: dict[tuple[str, str], ParcelMatch] = {}
    context: dict[tuple[str, str], str] = {}

    def keep(item_id: str, term: str, written: str, span: tuple[int, int], kind: MatchKind) -> None:
        item = items.get(item_id)
        if item is None or item.effective_from > on or _excluded(catalogue, item_id, text, span):
            return
        if term in catalogue._slang.get(item_id, ()):
            if "slang" not in evasions:
                return
            unit_kind = _FOOD_ROUNDS if term in FOOD_NAMED_ROUNDS else item.category
            if term in catalogue._gated.get(item_id, ()) and not _with_unit(
                text, span, unit_kind, latin=term.isascii() and item.category in _LATIN_UNITS
            ):
                return
            kind = "variant"  # street names are ambiguous: a person looks
        key = (item_id, term)
        action = item.action
        ruled = context_of(text, span[0], span[1], item.category, rules)
        if ruled is not None:
            effect, note = ruled
            context[key] = f"'{term}' {'cleared' if effect == 'clear' else 'to inspect'} by {note}"
            if effect == "clear":
                return
            action = "inspect"
        previous = found.get(key)
        if previous is None or (previous.kind != "exact" and kind == "exact"):
            found[key] = ParcelMatch(
                item_id, item.category, action, term, written, kind, item.legal_reference
            )

    tokens = _segment(text) if _HAN_CHAR.search(text) else _NO_TOKENS
    # digits and symbols for letters in words of any length, read once for three steps
    leet_all = {unleet_all(text), unleet_all(text, one_as_l=True)} - {text}
    if tokens.starts:
        for item_id, term, span in _find_chinese(catalogue, text, tokens):
            keep(item_id, term, term, span, "exact")
    for item_id, term, written, span, kind in _find_latin(catalogue, text):
        keep(item_id, term, written, span, kind)
    for item_id, term, written, span in _find_by_sound(catalogue, text):
        keep(item_id, term, written, span, "misspelling")
    for item_id, term, written, span in _find_slips(catalogue, text):
        keep(item_id, term, written, span, "misspelling")
    if "leet" in evasions:
        readings = {unleet(text), unleet(text, one_as_l=True)}
        if len(readings) > 1:  # 1, ! or | in a word: read as i or l to make a term too
            words = catalogue._cached("leet_words", _single_words)
            readings.add(unleet(text, words=words))
        for variant in readings - {text}:
            for item_id, term, _, span, _ in _find_latin(catalogue, variant, text):
                written = text[span[0] : span[1]]
                # a bracket or mark beside a plainly written term is not a stand-in
                # letter: "(bullet journal)" is the plain reading, exclusions and all
                if _NOT_LEET_EDGE.sub("", written) != term:
                    keep(item_id, term, written, span, "variant")
        # short words too (r3d cora1, d37 c0rd), for terms of four letters or more
        for variant in leet_all:
            for item_id, term, _, span, kind in _find_latin(catalogue, variant, text):
                written = text[span[0] : span[1]]
                if kind == "exact" and len(term) >= 4 and written != variant[span[0] : span[1]]:
                    keep(item_id, term, written, span, "variant")
    if "leet" in evasions:
        for item_id, term, written, span in _find_masked(catalogue, text):
            keep(item_id, term, written, span, "variant")
    if "split_join" in evasions:
        for item_id, term, written, span in _find_joined(catalogue, text):
            keep(item_id, term, written, span, "variant")
        for item_id, term, written, span in _find_split_han(catalogue, text):
            keep(item_id, term, written, span, "variant")
        for item_id, term, written, span in _find_radical_splits(catalogue, text):
            keep(item_id, term, written, span, "variant")

    if "punctuation" in evasions:
        for item_id, term, written, span in _find_punctuation_split(catalogue, text):
            keep(item_id, term, written, span, "variant")
        for item_id, term, written, span in _find_squeezed(catalogue, text):
            keep(item_id, term, written, span, "variant")
    if "segmentation" in evasions:
        for item_id, term, written, span in _find_segmented(catalogue, text, rules):
            keep(item_id, term, written, span, "variant")
    if "segmentation" in evasions or "punctuation" in evasions:
        for item_id, term, written, span in _find_in_reading(catalogue, text, evasions, rules):
            keep(item_id, term, written, span, "variant")
    if "pinyin" in evasions:
        for item_id, term, written, span in _find_pinyin(catalogue, text):
            keep(item_id, term, written, span, "variant")
        if "leet" in evasions:  # pinyin with digits for letters (x1an9ya, m4 f3i)
            for variant in leet_all:
                for item_id, term, _, span in _find_pinyin(catalogue, variant):
                    keep(item_id, term, text[span[0] : span[1]], span, "variant")
    for item_id, written, span in find_export_pairs(text):
        keep(item_id, written, written, span, "exact")
    # rounds by calibre (.22lr, 7.62×39, 12ga) and guns by maker and model (莫斯伯格500)
    for item_id, written, span in find_designations(text):
        keep(item_id, written, written, span, "variant")
    # obscene or pirated media by a marker and a format (色情DVD): a person looks
    for item_id, written, span in find_media_pairs(text):
        keep(item_id, written, written, span, "variant")
    if "counterfeit" in evasions:
        for item_id, written, span in find_forgeries(text):
            keep(item_id, written, written, span, "variant")
        for item_id, written, span in find_counterfeit_goods(text):
            keep(item_id, written, written, span, "variant")
        if "leet" in evasions:  # count3rfeit U$ dollars, f@ke 1d card
            for variant in leet_all:
                for item_id, written, span in find_forgeries(variant):
                    keep(item_id, written, text[span[0] : span[1]], span, "variant")
                for item_id, written, span in find_counterfeit_goods(variant):
                    keep(item_id, written, text[span[0] : span[1]], span, "variant")
    if "leet" in evasions:  # p0rk fr0m 4 5w1n3-f3v3r z0n3, p1r473d dvd5: the pairs read again
        for variant in leet_all:
            for finder in (find_export_pairs, find_media_pairs):
                for item_id, written, span in finder(variant):
                    keep(item_id, written, text[span[0] : span[1]], span, "variant")
    if "euphemism" in evasions:
        for item_id, written, span in find_telltales(text):
            keep(item_id, written, written, span, "variant")
    if "formula" in evasions:  # KMnO4, CAS 7664-93-9, Cs-137: the substance by its formula
        for item_id, written in find_formulas(declared_contents):
            at = text.find(written.casefold())
            if at >= 0:
                keep(item_id, written, written, (at, at + len(written)), "variant")
    if "initials" in evasions:
        for item_id, term, written, span in _find_initials(catalogue, text):
            keep(item_id, term, written, span, "variant")
        for item_id, term, written, span in _find_winked_initials(catalogue, text):
            keep(item_id, term, written, span, "variant")
        for item_id, term, written, span in _find_substance_initials(catalogue, text):
            keep(item_id, term, written, span, "variant")
        if tokens.starts:
            for item_id, term, written, span in _find_part_initials(catalogue, text):
                keep(item_id, term, written, span, "variant")
    if "ocr" in evasions:
        for item_id, term, written, span in _find_merged_letters(catalogue, text):
            keep(item_id, term, written, span, "variant")
        if tokens.starts:
            for item_id, term, written, span in _find_ocr_han(catalogue, text, tokens):
                keep(item_id, term, written, span, "variant")
    if tokens.starts and "homophone" in evasions:
        for item_id, term, written, span in _find_variants(catalogue, text, tokens):
            keep(item_id, term, written, span, "variant")

    if "emoji" in evasions:  # 摇💊丸, 氰化☠️: an emoji for one character of a term
        # on the text with its marks kept, as normalising drops an emoji between Han
        marked = (
            normalise_text(declared_contents, evasions - {"punctuation"}, fold_words)
            if has_emoji(declared_contents)
            else ""
        )
        for item_id, term, written, (before, after) in _find_emoji_holes(catalogue, marked):
            known = written[:before] + written[len(written) - after :]
            for shown in (written, known):  # the emoji kept or dropped by normalising
                at = text.find(shown)
                if at >= 0:
                    keep(item_id, term, written, (at, at + len(shown)), "variant")
                    break
    if "emoji" in evasions:  # 🔫, 💣, 🦏角: the emoji read as words, then screened again
        reading = emoji_reading(declared_contents)
        if reading is not None:
            read = screen_parcel(
                catalogue, reading, True, on=on, evasions=evasions - {"emoji"}, rules=rules
            )
            for match in read.matches:
                key = (match.item_id, match.term)
                if key not in found:
                    found[key] = dataclasses.replace(match, kind="variant")
            for note in read.context:
                context.setdefault(("emoji", note), note)
    matches = sorted(found.values(), key=lambda m: (-_SEVERITY[m.decision], m.item_id, m.term))
    # one reason per item: its strongest match
    reasons: list[str] = []
    seen: set[str] = set()
    for match in matches:
        if match.item_id not in seen:
            seen.add(match.item_id)
            reasons.append(match.reason())
    notes = tuple(note for key, note in sorted(context.items()))
    reasons += [f"context: {note}" for note in notes]
    decision: Decision = matches[0].decision if matches else "cleared"
    category = matches[0].category if matches else ""
    if not sender_verified:
        reasons.append("sender is not real-name verified")
        if decision == "cleared":
            decision = "inspect"
    return ParcelDecision(decision, category, tuple(reasons), tuple(matches), version, notes)
