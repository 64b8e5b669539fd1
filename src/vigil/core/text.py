"""Characters that let a record pass for another: control characters (C0, DEL and C1),
zero-width characters and bidirectional overrides. Identity fields (names, document
numbers) refuse all of them; free text refuses control characters except tab, LF and CR.
A value that holds one is a field error at intake, never stored, so screening sees what a
person reads."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

# C0 except tab and line breaks (free text has lines: a tip, a CSV cell in quotes), DEL, C1
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# zero-width, invisible joiners and bidirectional marks, embeddings, overrides and isolates
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u180e]")


def text_problem(value: str) -> str | None:
    """Why free text cannot be stored, or None."""
    if _CONTROL_IN_TEXT.search(value):
        return "contains a control character"
    return None


def identity_problem(value: str) -> str | None:
    """Why an identity value (a name, a document number) cannot be stored, or None."""
    if _CONTROL.search(value):
        return "contains a control character"
    if _INVISIBLE.search(value):
        return "contains an invisible or text-direction character"
    return None


def normalise_name(value: str) -> str:
    """NFKC: full-width and compatibility forms read as the letters they show."""
    return unicodedata.normalize("NFKC", value)


def _checked_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _checked_identity(value: str) -> str:
    problem = identity_problem(value)
    if problem:
        raise ValueError(problem)
    return normalise_name(value)


# pydantic types for request models outside intake (tips, cases, clues)
SafeText = Annotated[str, AfterValidator(_checked_text)]
SafeName = Annotated[str, AfterValidator(_checked_identity)]


def ascii_digits(value: str) -> bool:
    """Whether `value` is one or more of the digits 0-9. `str.isdigit` also holds for '²' and
    other digits that `int` refuses, or reads in another script: never a number a client or
    an operator typed here."""
    return value.isascii() and value.isdigit()
