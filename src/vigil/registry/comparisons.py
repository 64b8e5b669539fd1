"""Field preparation and vectorised pairwise comparison levels for record linkage.

Pure module. Each comparison kind turns two aligned arrays of prepared values into an int8
array of agreement levels (higher = more alike, -1 = a value is missing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from vigil.names import NameKeys, normalise_name

ComparisonKind = Literal["name", "date", "identifier", "exact", "phone", "text", "address"]

MISSING = -1

# Level labels, highest level last; level i has label LEVEL_LABELS[kind][i].
LEVEL_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("different", "similar", "close", "same reading", "same name"),
    "date": ("different", "two digits differ", "same year", "one digit or transposition", "same"),
    "identifier": ("different", "two edits", "one edit", "same"),
    "exact": ("different", "same"),
    "phone": ("different", "one edit", "same"),
    "text": ("different", "similar", "close", "same"),
    "address": ("different", "similar", "close", "same"),
}

IntArray = npt.NDArray[np.int64]
Levels = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class PreparedColumn:
    """One feature's values for every record, normalised for comparison."""

    kind: ComparisonKind
    text: npt.NDArray[np.object_]  # normalised string ("" = missing)
    codes: IntArray  # factorised `text`, -1 for missing
    names: tuple[NameKeys, ...] = ()
    phonetic_text: npt.NDArray[np.object_] | None = None


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    return "" if text in ("nan", "none", "null", "<na>") else text


def normalise_date(value: object) -> str:
    """'1985-03-07', '1985/3/7', '19850307' → '19850307'; '1985' → '1985'; else digits."""
    text = _clean(value)
    parts = re.findall(r"\d+", text)
    if len(parts) == 3 and len(parts[0]) == 4:
        return f"{parts[0]}{int(parts[1]):02d}{int(parts[2]):02d}"
    if len(parts) == 3 and len(parts[2]) == 4:  # day/month/year
        return f"{parts[2]}{int(parts[1]):02d}{int(parts[0]):02d}"
    return "".join(parts)


def normalise_identifier(value: object) -> str:
    return re.sub(r"[^0-9a-z]", "", _clean(value)).upper()


def normalise_phone(value: object) -> str:
    digits = re.sub(r"\D", "", _clean(value))
    return digits[-9:]  # drop country and trunk prefixes


def normalise_text(value: object) -> str:
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", _clean(value)) if not unicodedata.combining(ch)
    )
    return " ".join(re.findall(r"\w+", text))


def normalise_sex(value: object) -> str:
    text = _clean(value)
    if text in ("m", "male", "man", "男", "1"):
        return "m"
    if text in ("f", "female", "woman", "女", "2"):
        return "f"
    return ""


def prepare_column(values: Sequence[object], kind: ComparisonKind) -> PreparedColumn:
    """Normalise one column of raw values for the given comparison kind."""
    names: tuple[NameKeys, ...] = ()
    phonetic_text = None
    if kind == "name":
        names = tuple(normalise_name(_clean(v)) for v in values)
        text = np.array([" ".join(sorted(n.tokens)) for n in names], dtype=object)
        phonetic_text = np.array([min(n.phonetic) if n.phonetic else "" for n in names], object)
    elif kind == "date":
        text = np.array([normalise_date(v) for v in values], dtype=object)
    elif kind == "identifier":
        text = np.array([normalise_identifier(v) for v in values], dtype=object)
    elif kind == "phone":
        text = np.array([normalise_phone(v) for v in values], dtype=object)
    elif kind == "exact" and all(normalise_sex(v) or not _clean(v) for v in values[:200]):
        text = np.array([normalise_sex(v) or _clean(v) for v in values], dtype=object)
    else:
        text = np.array([normalise_text(v) for v in values], dtype=object)
    codes, _ = pd.factorize(text)
    codes = np.asarray(codes, dtype=np.int64)
    codes[text == ""] = -1
    return PreparedColumn(kind, text, codes, names, phonetic_text)


def _scores(scorer: Any, a: npt.NDArray[np.object_], b: npt.NDArray[np.object_]) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0)
    return np.asarray(cpdist(list(a), list(b), scorer=scorer, workers=1))


def compare(column: PreparedColumn, left: IntArray, right: IntArray) -> Levels:
    """Agreement levels of records `left[k]` and `right[k]` on one feature."""
    code_a, code_b = column.codes[left], column.codes[right]
    levels = np.zeros(len(left), dtype=np.int8)
    missing = (code_a < 0) | (code_b < 0)
    same = (code_a == code_b) & ~missing
    rest = np.flatnonzero(~missing & ~same)
    a, b = column.text[left[rest]], column.text[right[rest]]
    top = len(LEVEL_LABELS[column.kind]) - 1
    kind = column.kind
    if kind == "name":
        levels[same] = top
        _name_levels(column, left, right, same, rest, levels)
    elif kind == "date":
        levels[same] = top
        edits = _scores(DamerauLevenshtein.distance, a, b)
        year_a = np.array([s[:4] for s in a], dtype=object)
        year_b = np.array([s[:4] for s in b], dtype=object)
        full = np.array([len(x) == 8 and len(y) == 8 for x, y in zip(a, b, strict=True)], bool)
        sub = np.zeros(len(rest), dtype=np.int8)
        sub[(edits <= 2) & full] = 1
        sub[year_a == year_b] = 2
        sub[(edits <= 1) & full] = 3
        levels[rest] = sub
    elif kind in ("identifier", "phone"):
        levels[same] = top
        edits = _scores(DamerauLevenshtein.distance, a, b)
        sub = np.zeros(len(rest), dtype=np.int8)
        if kind == "identifier":
            sub[edits <= 2] = 1
        sub[edits <= 1] = top - 1
        levels[rest] = sub
    elif kind == "exact":
        levels[same] = 1
    else:
        levels[same] = top
        if kind == "address":
            sim = _scores(fuzz.token_set_ratio, a, b) / 100.0
        else:
            sim = _scores(JaroWinkler.similarity, a, b)
        sub = np.zeros(len(rest), dtype=np.int8)
        sub[sim >= 0.8] = 1
        sub[sim >= 0.92] = 2
        levels[rest] = sub
    levels[missing] = MISSING
    return levels


def _name_levels(
    column: PreparedColumn,
    left: IntArray,
    right: IntArray,
    same: npt.NDArray[np.bool_],
    rest: IntArray,
    levels: Levels,
) -> None:
    names = column.names
    # Same syllables but different Hanzi (张伟 vs 章伟): a shared reading, not the same name.
    for k in np.flatnonzero(same).tolist():
        ha, hb = names[left[k]].hanzi, names[right[k]].hanzi
        if ha and hb and ha != hb:
            levels[k] = 3
    if len(rest) == 0:
        return
    assert column.phonetic_text is not None
    spelled = _scores(fuzz.ratio, column.text[left[rest]], column.text[right[rest]])
    sounded = _scores(
        fuzz.ratio, column.phonetic_text[left[rest]], column.phonetic_text[right[rest]]
    )
    sim = np.maximum(spelled, sounded) / 100.0
    sub = np.zeros(len(rest), dtype=np.int8)
    sub[sim >= 0.7] = 1
    sub[sim >= 0.85] = 2
    for k, pair in enumerate(rest.tolist()):
        if not names[left[pair]].phonetic.isdisjoint(names[right[pair]].phonetic):
            sub[k] = 3
    levels[rest] = sub
