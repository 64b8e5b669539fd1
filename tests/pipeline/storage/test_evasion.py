"""A listed person cannot slip past screening by how the name is written: full-width letters
are the letters they show (NFKC), and a name with an invisible character is refused at
intake rather than stored unscreened."""

from __future__ import annotations

import pytest

from tests.pipeline.storage.test_pipeline import (
    FUTURE,
    WANTED_ID,
    _file,
    _list,
    _stay_on_a_passport,
)
from tests.pipeline.storage.test_pipeline import world as world
from tests.world import World
from vigil import pipeline

pytestmark = pytest.mark.storage


def test_a_full_width_name_is_screened_as_the_name_it_shows(world: World) -> None:
    _list(
        world,
        {
            "entry_id": "W-7",
            "kind": "person",
            "name": "张晓明",
            "birth_date": "1949-12-31",
            "id_number": WANTED_ID,
            "expires_at": FUTURE,
        },
    )
    for name in ("Ｚｈａｎｇ Ｘｉａｏｍｉｎｇ", "Zhang\u200bXiaoming", "Zhang Xiaoming\x00"):
        filed = _file(world, "hotel", _stay_on_a_passport(name), "hotel")
        assert filed.status_code == (202 if name[0] == "Ｚ" else 422), (name, filed.text)
    report = pipeline.drain(world.runtime)
    assert report.events == 1 and report.failed == 0 and len(report.alerts) == 1
