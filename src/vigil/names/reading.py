"""Reading names: what a name may sound like, and how alike two names are.

Pure: no I/O. Builds on `vigil.names.normalise`: a `NameForm` keeps a name's exact toneless
readings (ü kept apart from u), per-token pinyin readings (Wade-Giles and surname variants
included) and spelled forms; `name_feature` tells a difference of script or romanisation from
a real difference (王伟 vs 王飞, Zhou vs Zou).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA, DamerauLevenshtein

from vigil.names.normalise import NameKeys, normalise_name
from vigil.names.romanise import (
    fold_latin,
    pinyin_syllables,
    segment_syllables,
    wade_giles_to_pinyin,
)
from vigil.names.surnames import PINYIN_SURNAMES, SURNAME_VARIANTS

# Two well-formed romanised names one letter apart are another name far more often than a
# slip; a slip is believed only when the record's name is rare: when, from how common its
# syllables are on the list, its expected bearers agreeing by chance on the birth date are
# below MAX_CHANCE_AGREEMENTS × SPELLING_SLIP_M.
SPELLING_SLIP = 0.85

_PINYIN_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
# What a Wade-Giles initial may stand for once its aspiration apostrophe has been dropped.
_WADE_GILES_INITIALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ch", ("zh", "ch", "j", "q")),
    ("hs", ("x",)),
    ("ts", ("z", "c")),
    ("tz", ("z", "c")),
    ("ss", ("s",)),
    ("sz", ("s",)),
    ("sh", ("sh",)),
    ("k", ("g", "k")),
    ("t", ("d", "t")),
    ("p", ("b", "p")),
    ("j", ("r", "j")),
)
_NOT_WADE_GILES = ("zh", "z", "q", "x", "g", "d", "b", "r", "c")  # pinyin-only initials


def _split_initial(syllable: str) -> tuple[str, str]:
    for initial in _PINYIN_INITIALS:
        if syllable.startswith(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


@lru_cache(maxsize=50_000)
def token_readings(token: str, surname_slot: bool) -> frozenset[str]:
    """The toneless pinyin syllables a romanised token may stand for.

    A pinyin syllable stands for itself; a token that may be Wade-Giles (no pinyin-only
    initial) also for its Wade-Giles readings, apostrophes dropped ('chang' → zhang or chang,
    'hsiao' → xiao); a token in the surname slot also for the surname's other romanisations
    ('lee' → li). Unlike the coarse phonetic key, 'xi' is not 'shi' and 'zhou' is not 'zou'.
    """
    if token in _UMLAUT_READINGS:
        return _UMLAUT_READINGS[token]
    syllables = pinyin_syllables()
    out: set[str] = {token} if token in syllables else set()
    if not (token.startswith(_NOT_WADE_GILES) and not token.startswith("ch")):
        base = wade_giles_to_pinyin(token)
        out.add(base)
        _, final = _split_initial(base)
        for raw, initials in _WADE_GILES_INITIALS:
            if token.startswith(raw):
                out.update(i + final for i in initials if i + final in syllables)
                break
    if surname_slot:
        out.update(SURNAME_VARIANTS.get(token, ()))
    return frozenset(out or {token})


# Pinyin writes ü as v where no keyboard has it (lv, nv: 吕, 女), and as u in passports and
# wherever diacritics are dropped (Lu for 吕). `vigil.names.normalise` folds ü into u, which
# makes 吕 (lü) and 卢 (lu) sound the same; the matcher keeps them apart: a Han name reads ü
# as v, a romanised 'lv' stands for lü only, and 'lu' for either.
_UMLAUT_READINGS: dict[str, frozenset[str]] = {
    "lv": frozenset({"lv"}),
    "nv": frozenset({"nv"}),
    "lve": frozenset({"lve"}),
    "nve": frozenset({"nve"}),
    "lue": frozenset({"lve"}),
    "nue": frozenset({"nve"}),
    "lu": frozenset({"lu", "lv"}),
    "nu": frozenset({"nu", "nv"}),
}
_V_SYLLABLES = frozenset({"lv", "nv", "lve", "nve"})


def _is_syllable(token: str) -> bool:
    return token in _UMLAUT_READINGS or segment_syllables(token) == (token,)


@lru_cache(maxsize=200_000)
def _han_syllables(hanzi: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The toneless syllables of a Han name, ü kept as v (吕 → lv, where `vigil.names.normalise`
    reads lu); `tokens` as that module reads them when it reads no ü or the counts differ."""
    if len(hanzi) != len(tokens) or not any(t in ("lu", "nu", "lue", "nue") for t in tokens):
        return tokens
    out = []
    for char, token in zip(hanzi, tokens, strict=True):
        reading = lazy_pinyin(char, style=Style.NORMAL)[0]
        out.append(reading if "v" in reading and reading.replace("v", "u") == token else token)
    return tuple(out)


def _umlaut_syllables(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Romanised words split into syllables when only a ü written as v ('Lv Pengyi') kept
    `vigil.names.normalise` from splitting them."""
    if not any(t in _V_SYLLABLES for t in tokens):
        return tokens
    split = [(t,) if t in _V_SYLLABLES else segment_syllables(t) for t in tokens]
    if any(part is None for part in split):
        return tokens
    return tuple(syllable for part in split if part for syllable in part)


def _written_syllables(raw: str, keys: NameKeys) -> tuple[str, ...]:
    """The syllables of a romanised name, each written word split apart: `vigil.names.normalise`
    joins the given name's words and splits the join again, so that a Wade-Giles given name
    written with its hyphen, 'Hui-hsuan', may come apart as huih + suan; split word by word it
    is hui + hsuan. The tokens as that module reads them when the words do not split."""
    words = [w for w in re.split(r"[^a-z]+", fold_latin(raw).replace("'", "")) if w]
    surname = keys.surname
    if surname not in words:
        return keys.tokens
    given = words[: words.index(surname)] + words[words.index(surname) + 1 :]
    if "".join(given) != keys.canonical[len(surname) :].replace(" ", ""):
        return keys.tokens
    parts = [segment_syllables(w) for w in (surname, *given)]
    if any(part is None for part in parts):
        return keys.tokens
    return tuple(syllable for part in parts if part for syllable in part)


def _readings_agree(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    """Whether the tokens pair off with a common reading each, surname first or last."""
    if len(a) != len(b):
        return False
    orders = (b, b[1:] + b[:1], b[-1:] + b[:-1])
    return any(all(x & y for x, y in zip(a, order, strict=True)) for order in orders)


def _edits(a: NameForm, b: NameForm) -> int:
    """Fewest letter edits (a transposition counts as one, even of letters a second slip
    touched: 'David' → 'Dvid' → 'vDid' is two) between the spelled forms."""
    return min(DamerauLevenshtein.distance(x, y) for x in a.compacts for y in b.compacts)


# Readings of further surnames of the Hundred Family Surnames (百家姓) and other lists, beyond
# the common ones `vigil.names.normalise` knows: a surname slip is suspected only when the
# token is the reading of no surname at all.
_MORE_SURNAME_LIST = """
    a ao ba bian bin bo bu cang cen chai chao che chi chong chu cong dan dang di diao dou e fei
    gan geng gou gui ha hai hang heng hong hua huan hui huo jian jiao jie ju kan kou kuai kuang
    kui lang lao le leng lian liao ling lou luan lv mai man mei men miao min ming mu na nan
    nian nie nong pang pei pi ping pu qiang qiao qing qu quan que ran rao rong ru ruan rui sang
    sha shang she sheng shu shuai shuang si sui suo tai teng tong tu tuo weng xi xian xin xing
    xiu xuan ying yong you yue yun zai zan zang zhen zhi zhuang zhuo zong zu zuo
"""
_MORE_SURNAMES = frozenset(_MORE_SURNAME_LIST.split())


def _is_surname(token: str) -> bool:
    return token in PINYIN_SURNAMES or token in SURNAME_VARIANTS or token in _MORE_SURNAMES


def _surname_slip(a: NameForm, b: NameForm) -> bool:
    """Whether `a` is `b` with one letter wrong in the surname that makes it no surname at all
    ('hen Taoguo' for Chen Taoguo): well-formed syllables, but not a name anyone bears."""
    return (
        bool(a.surname and b.surname)
        and not _is_surname(a.surname)
        and _is_surname(b.surname)
        and OSA.distance(a.surname, b.surname) == 1
        and _edits(a, b) == 1
    )


@dataclass(frozen=True, slots=True)
class NameForm:
    """What the matcher keeps of one name: readings, phonetic keys, spelled forms, Hanzi."""

    raw: str
    phonetic: frozenset[str]  # coarse: romanisation variants collapse (a blocking key)
    keys: frozenset[str]  # the exact toneless reading, order-insensitive
    compacts: tuple[str, ...]  # romanised, surname-first and given-first, no spaces
    hanzi: str
    surname: str
    syllabic: bool  # every token is a real syllable, so no typo is suspected
    han: bool  # written in Han characters only
    reading: str  # sorted toneless syllables
    readings: tuple[frozenset[str], ...]  # per token, the pinyin it may stand for

    @property
    def count_keys(self) -> tuple[str, ...]:
        """Keys namesakes are counted under: the characters, the reading, and for a name of
        three or more characters each pattern with one given-name character left open."""
        if not self.han:
            return (f"r:{self.reading}",)
        return (f"h:{self.hanzi}", f"r:{self.reading}", *self.open_patterns)

    @property
    def open_patterns(self) -> tuple[str, ...]:
        h = self.hanzi
        if len(h) < 3:
            return ()
        return tuple(f"w:{h[:i]}?{h[i + 1 :]}" for i in range(1, len(h)))


@lru_cache(maxsize=1_500_000)
def name_form(raw: str) -> NameForm | None:
    keys: NameKeys = normalise_name(raw)
    if not keys.tokens:
        return None
    surname = keys.surname
    rest = keys.canonical[len(surname) :].replace(" ", "")
    compacts = (keys.canonical.replace(" ", ""), rest + surname)
    han = keys.script == "han"
    if han:
        tokens = _han_syllables(keys.hanzi, keys.tokens)
    elif keys.script == "latin" and len(keys.tokens) > 2:
        tokens = _umlaut_syllables(_written_syllables(raw, keys))
    else:
        tokens = _umlaut_syllables(keys.tokens)
    syllabic = han or all(_is_syllable(t) for t in tokens)
    last = len(tokens) - 1
    readings = tuple(
        frozenset({t}) if han else token_readings(t, i in (0, last)) for i, t in enumerate(tokens)
    )
    reading = " ".join(sorted(tokens))
    return NameForm(
        raw,
        keys.phonetic,
        keys.keys,
        compacts,
        keys.hanzi,
        surname,
        syllabic,
        han,
        reading,
        readings,
    )


def given_character_dropped(short: str, long: str) -> bool:
    """Whether the Han name `short` is `long` with one given-name character left out (the
    surname and at least one given-name character kept: 张明 for 张小明, not 张 for 张伟)."""
    if len(short) < 2 or len(long) != len(short) + 1 or short[0] != long[0]:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(1, len(long)))


def word_left_out(short: str, long: str) -> bool:
    """Whether the name `short`, written in letters, is `long` with one word left out, in any
    order, at least two words kept (John Smith for John Michael Smith): forms without a field
    for a middle name or a patronymic drop it."""
    kept, full = normalise_name(short).canonical.split(), normalise_name(long).canonical.split()
    if len(kept) < 2 or len(full) != len(kept) + 1:
        return False
    rest = list(full)
    for word in kept:
        if word not in rest:
            return False
        rest.remove(word)
    return True


def word_initialled(short: str, long: str) -> bool:
    """Whether the name `short`, written in letters, is `long` with some words given as their
    initials, in the same order, at least two whole words kept (Brent W. Burton for Brent
    Wyatt Burton; Frye, Dorothy S.): forms with a field for a middle initial write it so."""
    kept, full = normalise_name(short).canonical.split(), normalise_name(long).canonical.split()
    if len(kept) != len(full) or kept == full:
        return False
    for word, whole in zip(kept, full, strict=True):
        if word != whole and not (len(word) == 1 and len(whole) > 1 and whole[0] == word):
            return False
    return sum(len(word) > 1 for word in kept) >= 2


def name_feature(a: NameForm, b: NameForm) -> tuple[float, str]:
    """Similarity of two names in [0, 1] and why.

    A difference of script or romanisation is no difference: 1.0 for the same reading
    (张伟 ~ Zhang Wei ~ Wei Zhang), 0.95 for a Wade-Giles or dialect spelling of it. A real
    difference is: two Han names that differ in a character score 0.9 only if the characters
    sound the same (an input-method slip); otherwise they are different names, except that a
    three-character name with one other-sounding given-name character scores 0.7, enough to
    alert only with the exact birth date or the identity number, and so does a given-name
    character added or dropped (张明 vs 张小明). Two well-formed romanised
    names that read differently are different names, except that a record written in letters
    one letter from a listed name scores 0.85 (a slip or another name: enough to alert only
    with the exact birth date or the identity number, and without the number only when the
    record's name is rare, see `score_person`), but not a record in Han characters (王伟 vs
    Wang Fei): Han characters carry no letter slip, so a Han record and a listed name in
    letters (John Wang) that do not read the same are different names. A name that is not
    well-formed romanised Chinese gets typo tolerance of a letter, or of two in a name of four
    letters or more; a transposition counts as one edit; a middle name left out, or given as
    its initial, scores as a letter slip does. ü is not u (吕 lü vs 卢 lu).
    """
    if a.han and b.han and a.hanzi and b.hanzi:
        if a.hanzi == b.hanzi:
            return 1.0, f"same name ({a.raw} ~ {b.raw})"
        if len(a.readings) == len(b.readings) and all(
            x & y for x, y in zip(a.readings, b.readings, strict=True)
        ):
            return 0.9, f"same sound, different characters ({a.hanzi} vs {b.hanzi})"
        if len(a.hanzi) == len(b.hanzi) >= 3 and a.hanzi[0] == b.hanzi[0]:
            diffs = sum(x != y for x, y in zip(a.hanzi, b.hanzi, strict=True))
            if diffs == 1:
                return 0.7, f"one character differs and sounds different ({a.hanzi} vs {b.hanzi})"
        if given_character_dropped(a.hanzi, b.hanzi) or given_character_dropped(b.hanzi, a.hanzi):
            return 0.7, f"one given-name character added or dropped ({a.hanzi} vs {b.hanzi})"
        return 0.0, f"different names ({a.raw} vs {b.raw})"
    if a.keys & b.keys and set(a.compacts) & set(b.compacts):
        return 1.0, f"same name ({a.raw} ~ {b.raw})"
    # the coarse phonetic keys may split a name's syllables otherwise (Lv Pengyi, 吕鹏怡)
    if _readings_agree(a.readings, b.readings):
        return 0.95, f"same name in another romanisation ({a.raw} ~ {b.raw})"
    if a.syllabic and b.syllabic:
        if _surname_slip(a, b) or _surname_slip(b, a):
            return 0.9, f"one letter differs and makes the surname no surname ({a.raw} vs {b.raw})"
        # the record (`a`) carries the slip, so it must be written in letters
        shortest = min(len(a.compacts[0]), len(b.compacts[0]))
        if not a.han and _edits(a, b) == 1 and shortest >= 4:
            return SPELLING_SLIP, f"one letter differs, or another name ({a.raw} vs {b.raw})"
        return 0.0, f"different names ({a.raw} vs {b.raw})"
    if a.han:  # a record in Han characters carries no letter slip
        return 0.0, f"different names ({a.raw} vs {b.raw})"
    if word_left_out(a.raw, b.raw) or word_left_out(b.raw, a.raw):
        return 0.9, f"a middle name left out ({a.raw} vs {b.raw})"
    if word_initialled(a.raw, b.raw) or word_initialled(b.raw, a.raw):
        return 0.9, f"a middle name given as its initial ({a.raw} vs {b.raw})"
    edits = _edits(a, b)
    if edits <= 2 and min(len(a.compacts[0]), len(b.compacts[0])) >= edits + 2:
        score = 0.9 if edits == 1 else 0.8
        return score, f"spelling differs in {edits} letter(s) ({a.raw} vs {b.raw})"
    return 0.0, f"different names ({a.raw} vs {b.raw})"
