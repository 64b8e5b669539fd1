"""Evaluation set I (bench/parcel_declarations_i.py): its interface, balance and evasions."""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
CAS = re.compile(r"\b(\d{2,7})-(\d{2})-(\d)\b")
ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff")


@pytest.fixture(scope="module")
def gen():
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("parcel_declarations_i")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def rows(gen):
    return gen.generate(6_000, 11)


def _by_label(rows) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for r in rows:
        found.setdefault(r.label, []).append(r.text)
    return found


def test_deterministic_for_n_and_seed(gen) -> None:
    first = gen.generate(1_500, 7)
    assert first == gen.generate(1_500, 7)
    assert len(first) == 1_500 and all(isinstance(r, gen.Declaration) for r in first)
    other = gen.generate(1_500, 8)
    assert sum(a.text != b.text for a, b in zip(first, other, strict=True)) > 1_000


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_banned_share_is_about_45_percent(gen, seed) -> None:
    sample = gen.generate(2_000, seed)
    share = sum(r.banned for r in sample) / len(sample)
    assert 0.42 <= share <= 0.48


def test_labels_agree_with_truth_and_cover_every_class(gen, rows) -> None:
    counts = Counter(r.label for r in rows)
    assert set(counts) == set(gen.LABELS)
    assert min(counts.values()) >= 20, counts.most_common()[-3:]
    for r in rows:
        assert r.banned == r.label.startswith(("plain:", "evasion:")), r
    # Every category of the catalogue named plainly, and the harmless side is not one class.
    assert len([lab for lab in counts if lab.startswith("plain:")]) >= 20
    assert len([lab for lab in counts if lab.startswith("lookalike:")]) >= 15


def test_few_repeated_texts_and_no_text_both_banned_and_harmless(rows) -> None:
    texts = Counter(r.text for r in rows)
    repeats = sum(c - 1 for c in texts.values())
    assert repeats / len(rows) <= 0.05
    banned = {r.text for r in rows if r.banned}
    harmless = {r.text for r in rows if not r.banned}
    assert banned & harmless == set()


def test_name_tables_line_up(gen) -> None:
    for item in gen.ITEMS:
        assert len(item.tones.split()) == len(item.zh), item
        assert len(item.trad) == len(item.zh), item
        assert all(item.en), item


def _cas_is_valid(number: str, check: str) -> bool:
    digits = number[::-1]
    return sum((k + 1) * int(d) for k, d in enumerate(digits)) % 10 == int(check)


def test_cas_numbers_carry_valid_check_digits(gen, rows) -> None:
    listed = [i.cas for i in gen.ITEMS if i.cas] + [
        m.group(0) for phrases in gen.HARMLESS.values() for p in phrases for m in CAS.finditer(p)
    ]
    assert len(listed) > 60
    for cas in listed:
        a, b, check = cas.split("-")
        assert _cas_is_valid(a + b, check), cas
    cas_rows = _by_label(rows)["evasion:cas"]
    known = {i.cas for i in gen.ITEMS}
    assert all(any(m.group(0) in known for m in CAS.finditer(t)) for t in cas_rows)


def test_each_surface_evasion_really_alters_the_text(gen, rows) -> None:
    by = _by_label(rows)
    assert all(ZERO_WIDTH & set(t) for t in by["evasion:zero_width"])
    assert all(any("\uff01" <= c <= "\uff5e" for c in t) for t in by["evasion:fullwidth"])
    # Cyrillic or Greek letters, or Kangxi radicals standing in for ideographs.
    assert all(
        any(unicodedata.name(c, "").startswith(("CYRILLIC", "GREEK", "KANGXI")) for c in t)
        for t in by["evasion:homoglyph"]
    )
    assert all(any(c.isdigit() or c in "@$!|" for c in t) for t in by["evasion:leet"])
    names = {i.zh for i in gen.ITEMS} | {e.lower() for i in gen.ITEMS for e in i.en}
    for label in ("evasion:homophone", "evasion:radical_split", "evasion:mixed_script"):
        assert not any(name in t for t in by[label] for name in names if len(name) > 1), label
    trad_only = {i.trad for i in gen.ITEMS if i.trad != i.zh}
    assert sum(any(n in t for n in trad_only) for t in by["evasion:traditional"]) > 0.6 * len(
        by["evasion:traditional"]
    )


def test_lookalikes_share_words_with_banned_goods(gen) -> None:
    """The harmless side is hard on purpose: many phrases hold a banned item's word."""
    stems = ["枪", "弹", "象牙", "珊瑚", "烟花", "炸", "gun", "bullet", "ivory", "firework"]
    phrases = [p for key, ps in gen.HARMLESS.items() if key.startswith("lookalike:") for p in ps]
    hits = [p for p in phrases if any(s in p.lower() for s in stems)]
    assert len(hits) >= 40
