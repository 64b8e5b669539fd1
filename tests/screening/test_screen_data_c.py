"""Evaluation set C (bench/screen_data_c.py): its interface, identity numbers and calendars."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def gen():
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("screen_data_c")
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def data(gen):
    return gen.generate(5_000, 2_000, 5, 0.1)


def test_interface_and_truth(gen, data) -> None:
    listed, records = data
    assert len(listed) == 5_000 and len(records) == 2_000
    assert all(isinstance(r, gen.ListedRow) for r in listed)
    by_id = {r.entry_id: r for r in listed}
    assert len(by_id) == len(listed)
    matched = [r for r in records if r.truth is not None]
    assert len(matched) == 200
    assert all(r.truth in by_id and r.corruption for r in matched)
    assert all(r.corruption == "" for r in records if r.truth is None)
    assert len({r.record_id for r in records}) == len(records)
    assert Counter(r.corruption == "clean" for r in matched)[True] > 20


def test_identity_numbers_are_valid_and_unique(data) -> None:
    listed, records = data
    numbers = [r.id_number for r in listed if r.id_number]
    assert len(numbers) > 4_000 and len(set(numbers)) == len(numbers)
    # The check character, by python-stdnum's own formula.
    assert all(ric.calc_check_digit(n) == n[-1] for n in numbers)
    # python-stdnum also checks the region code was in use in the birth year; its table starts
    # in 1983, so only numbers of people born since 1984 can pass it (830000 is not in it).
    recent = [n for n in numbers if n[6:10] >= "1984" and not n.startswith("83")]
    assert len(recent) > 1_000 and all(ric.is_valid(n) for n in recent)
    strangers = {r.id_number for r in records if r.truth is None and len(r.id_number) == 18}
    assert not strangers & set(numbers)


def test_unlabelled_fields_are_filed_exactly(data) -> None:
    listed, records = data
    by_id = {r.entry_id: r for r in listed}
    for r in records:
        if r.truth is None:
            continue
        e = by_id[r.truth]
        if e.id_number and "id-" not in r.corruption:
            assert r.id_number == e.id_number
        if len(e.birth_date) == 10 and "date-" not in r.corruption:
            assert r.birth_date == e.birth_date
        if r.id_number and "id-" not in r.corruption:
            assert ric.calc_check_digit(r.id_number) == r.id_number[-1]


def test_deterministic(gen) -> None:
    assert gen.generate(300, 100, 9, 0.2) == gen.generate(300, 100, 9, 0.2)
    assert gen.generate(300, 100, 9, 0.2) != gen.generate(300, 100, 10, 0.2)


@pytest.mark.parametrize(
    ("born", "lunar"),
    [
        ("1985-02-20", "1985-01-01"),  # Chinese New Year dates from the almanac
        ("1966-01-21", "1966-01-01"),
        ("2004-01-22", "2004-01-01"),
        ("1985-02-19", "1984-12-30"),  # New Year's Eve: the year before
        ("2004-05-19", "2004-04-01"),  # 2004 had a leap second month: 四月初一
        ("1987-08-24", "1987-07-01"),  # after 1987's leap sixth month
    ],
)
def test_lunar_birthday(gen, born: str, lunar: str) -> None:
    assert gen.lunar_as_filed(date.fromisoformat(born)) == lunar


def test_wade_giles(gen) -> None:
    got = [gen.wade_giles(s) for s in ("zhang", "xiao", "qing", "guo", "xue", "zhi", "rong")]
    assert got == ["chang", "hsiao", "ch'ing", "kuo", "hsüeh", "chih", "jung"]
