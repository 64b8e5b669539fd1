"""Exact match keys for objects, folded for the usual transcription confusions.

Case, spaces, dashes, dots and the O/0, I/1 and S/5 (and, in VINs, Q/0) confusions are
folded away, so `ab-12 3o` and `AB1230` give the same key while a real character
difference gives a different one.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-./·_:,]+")
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "S": "5"})
_VIN_CONFUSIONS = str.maketrans({"O": "0", "Q": "0", "I": "1", "S": "5"})


def _clean(value: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def serial_key(value: str) -> str:
    return _clean(value).translate(_CONFUSIONS)


def vin_key(value: str) -> str:
    """VINs never contain I, O or Q, so those letters are always misread digits."""
    return _clean(value).translate(_VIN_CONFUSIONS)


def plate_key(value: str) -> str:
    """Chinese plates use no I or O; the province character is kept as written."""
    return _clean(value).translate(_CONFUSIONS)


def imei_key(value: str) -> str:
    """The 14-digit body (TAC + serial); the Luhn digit and an IMEISV suffix are dropped."""
    digits = "".join(ch for ch in serial_key(value) if ch.isdigit())
    return digits[:14] if len(digits) >= 14 else ""
