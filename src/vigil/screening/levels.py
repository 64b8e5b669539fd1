"""Comparison levels of the name and the identity number, for estimating m and u. Pure."""

from __future__ import annotations

NAME_LEVELS = ("exact", "variant", "sound", "slip", "other_character", "differ")
ID_LEVELS = ("same", "conflict", "record_only", "listed_only", "neither")


def name_level(similarity: float) -> str:
    """The level of a name similarity from `vigil.names.name_feature`."""
    for level, floor in (
        ("exact", 0.999),
        ("variant", 0.949),
        ("sound", 0.899),
        ("slip", 0.849),
        ("other_character", 0.001),
    ):
        if similarity >= floor:
            return level
    return "differ"


def id_level(record_hash: str, listed_hash: str) -> str:
    if record_hash and listed_hash:
        return "same" if record_hash == listed_hash else "conflict"
    if record_hash:
        return "record_only"
    return "listed_only" if listed_hash else "neither"
