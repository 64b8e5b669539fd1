"""A person's birth date as the registry takes it over its API: as filed, at its precision."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from vigil.registry.schemas import PersonIn


@pytest.mark.parametrize("filed", ["1985-03-12", "1985-03", "1985"])
def test_each_iso_form_is_kept_as_given(filed: str) -> None:
    assert PersonIn(name="王伟", birth_date=filed).birth_date == filed


def test_a_python_date_is_a_full_date() -> None:
    assert PersonIn(name="王伟", birth_date=date(1985, 3, 12)).birth_date == "1985-03-12"


@pytest.mark.parametrize("junk", ["85-03-12", "1985/03/12", "19850312", "1985-02-30", "1899"])
def test_anything_else_is_refused_at_the_field(junk: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PersonIn(name="王伟", birth_date=junk)
    (error,) = caught.value.errors()
    assert error["loc"] == ("birth_date",)
