"""A tip's text, fuzzed: whatever is only whitespace (spaces, tabs, line breaks, ideographic
spaces) or has fewer than 5 characters besides it is refused as a `text` error; anything
else is kept, stripped of the whitespace around it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.intel.tips.schemas import TIP_CATEGORIES, TipIn

SPACE = st.text(alphabet=" \t\n\r\u3000\u00a0\u2003", max_size=30)
VISIBLE = st.characters(categories=["L", "N", "P", "S"])


@given(padding=SPACE, core=st.text(alphabet=VISIBLE, max_size=4), tail=SPACE)
def test_blank_or_too_short_text_is_refused(padding: str, core: str, tail: str) -> None:
    with pytest.raises(ValidationError) as refused:
        TipIn(text=padding + core + tail)
    assert {e["loc"][0] for e in refused.value.errors()} == {"text"}


@given(padding=SPACE, core=st.text(alphabet=VISIBLE, min_size=5, max_size=200), tail=SPACE)
def test_text_with_five_visible_characters_is_kept_stripped(
    padding: str, core: str, tail: str
) -> None:
    assert TipIn(text=padding + core + tail).text == core


@given(category=st.text(max_size=20))
def test_only_the_fixed_categories_are_taken(category: str) -> None:
    if category in TIP_CATEGORIES:
        assert TipIn(text="a van at 3am", category=category).category == category
    else:
        with pytest.raises(ValidationError):
            TipIn(text="a van at 3am", category=category)
