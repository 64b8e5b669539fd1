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

from rapidfuzz import fuzz

from vigil.names.romanise import (
    fold_latin,
    pinyin_syllables,
    romanise_han,
    segment_syllables,
    to_simplified,
    wade_giles_to_pinyin,
)
from vigil.names.surnames import PINYIN_SURNAMES, SURNAME_VARIANTS

__all__ = ["NameKeys", "name_similarity", "normalise_name"]

_LATIN_SURNAMES = PINYIN_SURNAMES | frozenset(SURNAME_VARIANTS)

_HAN_RE = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U00030000-\U0003134f"
)
# A word: a run of Han characters, of Latin letters (with Wade-Giles apostrophes), or of
# any other letters.
# ü written as "yu" after l and n (吕 Lyu, 女 Nyu: the spelling of Chinese passports since
# 2012, which have no ü) is the v that pinyin keyboards write: 'lyu' → 'lv', 'lyue' → 'lve'.
_YU_AS_UMLAUT = re.compile(r"^([ln])yu(e?)(?![aiou])")
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
            word = word.replace("’", "'").replace("ʻ", "'").replace("‘", "'")
            romanised.append(_YU_AS_UMLAUT.sub(r"\1v\2", word))
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
