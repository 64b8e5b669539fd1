"""Cyrillic and Greek letters drawn like Latin ones (the `homoglyph` and `confusables`
classes): folded where they stand in for Latin letters, never in real Russian or Greek."""

from __future__ import annotations

from datetime import date

import pytest

from tests.screening.parcel_cases import CATALOGUE, DAY, decide, items
from vigil.screening.parcel_evasion import ALL_EVASIONS, FoldingWords, fold_lookalikes
from vigil.screening.parcels import BannedItem, load_catalogue, screen_parcel

WITHOUT_LOOKALIKES = ALL_EVASIONS - {"homoglyph", "confusables"}


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("рistоl", "FA-001"),  # Cyrillic р and о in a Latin word
        ("ηеrоiп 2 g", "NA-001"),  # Greek η and Cyrillic е, о, п
        ("р.i.s.t.о.l", "FA-001"),  # spelled out, Latin letters among them
        ("книги и ѕемтεх 1kg", "EX-001"),  # Cyrillic beside Greek: no real word mixes them
        ("ос spray 2 pcs", "KN-005"),  # a whole-Cyrillic word among Latin ones
        ("ісе 5g", "NA-001"),
        ("книги и сосаіпе 5g", "NA-001"),  # a whole word folded to a long term
        ("phone case + 2 x Р2Р", "NA-002"),  # a name of one token with a digit
        ("роrk рrоduсts frоm а swіnе-fеvеr zоnе", "XB-001"),  # а, a lone letter
        ("水彩，γ-羟基丁酸若干", "NA-001"),  # the catalogue's own Greek letter
    ],
)
def test_letters_standing_in_for_latin_ones_are_folded(text: str, item_id: str) -> None:
    assert item_id in items(text), decide(text).reason
    assert item_id not in items(text, evasions=WITHOUT_LOOKALIKES)


@pytest.mark.parametrize(
    ("text", "misread_as"),
    [
        ("Персики в соке 850g", "NA-001"),  # peaches in juice: соке read as coke
        ("Счётчик электроэнергии ТНС энерго 1 шт", "NA-005"),  # ТНС read as thc
        ("Магнит Норильск 2 pcs", "TX-001"),  # ...ьск read as the initials bck
        ("βιβλία για τον Γαβαλά", "NA-001"),  # Γαβαλά, a surname, read as yaba
        ("Γαβαλά 850g", "NA-001"),  # alone: it folds only in part (λ, ά), so it is Greek
        ("ΒΙΒΛΙΑ ΚΑΤΣΙΜΠΑΛΗ", "KN-003"),  # Κατσιμπάλη read as a misspelt katana
    ],
)
def test_real_russian_and_greek_are_not_read_as_latin(text: str, misread_as: str) -> None:
    assert decide(text).decision == "cleared", decide(text).reason
    # folding every look-alike, as the catalogue's own terms are folded, misreads it
    assert misread_as in items(fold_lookalikes(text.casefold()))


@pytest.mark.parametrize("text", ["книги и одежда", "βιβλία", "ΒΙΒΛΙΑ", "Персики в соке"])
def test_ordinary_russian_and_greek_stay_as_written(text: str) -> None:
    words = FoldingWords(frozenset({"coke", "pistol", "ice"}))
    assert fold_lookalikes(text.casefold(), words=words) == text.casefold()
    assert fold_lookalikes(text.casefold()) != text.casefold()  # they hold look-alikes


def test_the_catalogues_own_russian_names_are_matched_in_russian_text() -> None:
    catalogue = load_catalogue()
    catalogue.add_item(
        BannedItem("RU-001", "explosives & fireworks", (), ("порох",), "test", date(2016, 1, 1))
    )
    found = screen_parcel(catalogue, "Порох охотничий 1 кг", True, on=DAY)
    assert "RU-001" in {m.item_id for m in found.matches}, found.reason
    assert screen_parcel(catalogue, "Персики в соке 850g", True, on=DAY).decision == "cleared"
    assert len(CATALOGUE) < len(catalogue)  # the shared catalogue is left alone
