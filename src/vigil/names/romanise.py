"""Romanising names: Hanzi to toneless pinyin, folding Latin letters, reading Wade-Giles as
pinyin, splitting a joined romanised word into syllables. Pure."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from vigil.names.surnames import COMPOUND_SURNAMES, SURNAME_READINGS, SURNAME_VARIANTS

_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)


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
