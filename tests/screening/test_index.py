"""Watchlist index: lawful entries only, expiry, exact object keys, fuzzy persons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.screening.entries import (
    LegalBasis,
    PersonEntry,
    PropertyEntry,
    ScreeningRecord,
    UnlawfulEntry,
    VehicleEntry,
)
from vigil.screening.index import WatchlistIndex
from vigil.screening.keys import imei_key, serial_key, vin_key
from vigil.screening.scoring import birth_date_feature

NOW = datetime(2025, 6, 1, tzinfo=UTC)
BASIS = LegalBasis("WARRANT-7", "Example Court", NOW + timedelta(days=30))


def person(entry_id: str = "E1", **kw: object) -> PersonEntry:
    values: dict[str, object] = {"name": "张晓明", "birth_date": "1985-03-12"}
    values.update(kw)
    return PersonEntry(entry_id, legal_basis=BASIS, **values)  # type: ignore[arg-type]


def test_entry_without_legal_basis_is_rejected() -> None:
    index = WatchlistIndex()
    with pytest.raises(UnlawfulEntry, match="no reference"):
        index.add(PersonEntry("E1", "张晓明", LegalBasis("", "Court", NOW)), NOW)
    with pytest.raises(UnlawfulEntry, match="no expiry"):
        index.add(PersonEntry("E1", "张晓明", LegalBasis("W-1", "Court", None)), NOW)
    with pytest.raises(UnlawfulEntry, match="expired"):
        index.add(PersonEntry("E1", "张晓明", LegalBasis("W-1", "Court", NOW)), NOW)
    assert len(index) == 0


def test_expired_warrant_stops_matching() -> None:
    index = WatchlistIndex()
    index.add(person(), NOW)
    record = ScreeningRecord("R1", "Zhang Xiaoming", "1985-03-12")
    assert [m.entry_id for m in index.screen(record, NOW)] == ["E1"]
    later = BASIS.expires + timedelta(seconds=1)  # type: ignore[operator]
    assert index.screen(record, later) == []
    assert index.purge_expired(later) == ["E1"]
    assert len(index) == 0


def test_incremental_add_and_remove() -> None:
    index = WatchlistIndex()
    record = ScreeningRecord("R1", "李娜", "1990-01-01")
    assert index.screen(record, NOW) == []
    index.add(person("E2", name="Li Na", birth_date="1990-01-01"), NOW)
    assert [m.entry_id for m in index.screen(record, NOW)] == ["E2"]
    assert index.remove("E2")
    assert index.screen(record, NOW) == []


@pytest.mark.parametrize(
    ("name", "birth"),
    [
        ("张晓明", "1985-03-12"),
        ("張曉明", "1985-03-12"),  # traditional
        ("Zhang Xiaoming", "1985-03-12"),  # pinyin
        ("Chang Hsiao-ming", "1985-03-12"),  # Wade-Giles
        ("Xiaoming Zhang", "1985-03-12"),  # swapped
        ("Zhang Xiao Ming", "1985-03-12"),  # split
        ("Zhnag Xiaoming", "1985-03-12"),  # typo
        ("张晓明", "1985-03-13"),  # one digit
        ("张晓明", "1985-03-21"),  # transposed
        ("张晓明", "1985"),  # year only
    ],
)
def test_person_variants_match_with_explanation(name: str, birth: str) -> None:
    index = WatchlistIndex()
    index.add(person(), NOW)
    matches = index.screen(ScreeningRecord("R", name, birth), NOW)
    assert [m.entry_id for m in matches] == ["E1"]
    explanation = matches[0].explanation
    assert set(explanation) >= {"name_match", "birth_date"}
    assert all({"score", "detail"} <= set(f) for f in explanation.values())
    assert matches[0].legal_basis == "WARRANT-7"


def test_different_people_do_not_match() -> None:
    index = WatchlistIndex()
    index.add(person(id_hash="h-listed"), NOW)
    assert index.screen(ScreeningRecord("R", "张晓明", "1962-08-30"), NOW) == []
    assert index.screen(ScreeningRecord("R", "王建国", "1985-03-12"), NOW) == []
    # same name and date, but a different valid identity number
    assert index.screen(ScreeningRecord("R", "张晓明", "1985-03-12", "h-other"), NOW) == []
    hit = index.screen(ScreeningRecord("R", "Someone", "", "h-listed"), NOW)
    assert hit and "identifier_match" in hit[0].explanation


def test_birth_date_tolerance() -> None:
    assert birth_date_feature("19850312", "19850312")[0] == 1.0
    assert birth_date_feature("19850312", "19850313")[0] == 0.8
    assert birth_date_feature("19850312", "19850321")[0] == 0.8
    assert birth_date_feature("1985", "19850312")[0] == 0.7
    assert birth_date_feature("19850312", "19860413")[0] == 0.0


# --- objects --------------------------------------------------------------------------

ALNUM = "ABCDEFGHJKLMNPRTUVWXYZ0123456789"  # no confusable letters
CONFUSE = {"0": "O", "1": "I", "5": "S"}


def _disguise(value: str, data: st.DataObject) -> str:
    out = []
    for ch in value:
        if ch in CONFUSE and data.draw(st.booleans()):
            ch = CONFUSE[ch]
        if ch.isalpha() and data.draw(st.booleans()):
            ch = ch.lower()
        out.append(ch + data.draw(st.sampled_from(["", "", " ", "-", "."])))
    return "".join(out)


@settings(max_examples=60, deadline=None)
@given(serial=st.text(ALNUM, min_size=6, max_size=14), data=st.data())
def test_serial_variants_hit(serial: str, data: st.DataObject) -> None:
    index = WatchlistIndex()
    index.add(PropertyEntry("S1", BASIS, serial=serial, description="laptop"), NOW)
    seen = _disguise(serial, data)
    matches = index.screen(ScreeningRecord("R", serials=(seen,)), NOW)
    assert [m.entry_id for m in matches] == ["S1"]
    assert "serial_match" in matches[0].explanation


@settings(max_examples=60, deadline=None)
@given(serial=st.text(ALNUM, min_size=6, max_size=14), data=st.data())
def test_serial_lookalikes_do_not_hit(serial: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(serial) - 1))
    other = data.draw(st.sampled_from([c for c in ALNUM if serial_key(c) != serial_key(serial[i])]))
    changed = serial[:i] + other + serial[i + 1 :]
    index = WatchlistIndex()
    index.add(PropertyEntry("S1", BASIS, serial=serial), NOW)
    assert index.screen(ScreeningRecord("R", serials=(changed,)), NOW) == []


def _luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


@settings(max_examples=60, deadline=None)
@given(body=st.text("0123456789", min_size=14, max_size=14), data=st.data())
def test_imei_variants_hit_and_lookalikes_do_not(body: str, data: st.DataObject) -> None:
    imei = body + _luhn(body)
    index = WatchlistIndex()
    index.add(PropertyEntry("P1", BASIS, imei=imei), NOW)
    seen = _disguise(imei, data)
    assert imei_key(seen) == body
    assert [m.entry_id for m in index.screen(ScreeningRecord("R", imeis=(seen,)), NOW)] == ["P1"]
    i = data.draw(st.integers(0, 13))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != body[i]]))
    other = body[:i] + digit + body[i + 1 :]
    assert index.screen(ScreeningRecord("R", imeis=(other + _luhn(other),)), NOW) == []


VIN_CHARS = "ABCDEFGHJKLMNPRTUVWXYZ0123456789"


@settings(max_examples=60, deadline=None)
@given(vin=st.text(VIN_CHARS, min_size=17, max_size=17), data=st.data())
def test_vin_variants_hit_and_lookalikes_do_not(vin: str, data: st.DataObject) -> None:
    index = WatchlistIndex()
    index.add(VehicleEntry("V1", BASIS, vin=vin, plate="京A·12345"), NOW)
    seen = _disguise(vin, data)
    assert [m.entry_id for m in index.screen(ScreeningRecord("R", vins=(seen,)), NOW)] == ["V1"]
    i = data.draw(st.integers(0, 16))
    other = data.draw(st.sampled_from([c for c in VIN_CHARS if vin_key(c) != vin_key(vin[i])]))
    assert index.screen(ScreeningRecord("R", vins=(vin[:i] + other + vin[i + 1 :],)), NOW) == []


def test_plate_variants() -> None:
    index = WatchlistIndex()
    index.add(VehicleEntry("V1", BASIS, plate="京A·1O345"), NOW)
    assert index.screen(ScreeningRecord("R", plates=("京a 10345",)), NOW)
    assert index.screen(ScreeningRecord("R", plates=("京A 10346",)), NOW) == []
