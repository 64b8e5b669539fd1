"""All person-name handling, pure (no database, no I/O).

`normalise`: a name into comparable keys across scripts and romanisations, built on
`romanise` and the surname tables in `surnames`; `reading`: names as the screening matcher
reads and compares them. Registry and screening use it through these public names only.
"""

from vigil.names.normalise import NameKeys, name_similarity, normalise_name
from vigil.names.reading import (
    SPELLING_SLIP,
    NameForm,
    name_feature,
    name_form,
    token_readings,
)
from vigil.names.romanise import (
    fold_latin,
    pinyin_syllables,
    romanise_han,
    segment_syllables,
    to_simplified,
    wade_giles_to_pinyin,
)
from vigil.names.surnames import (
    COMPOUND_SURNAMES,
    PINYIN_SURNAMES,
    SURNAME_READINGS,
    SURNAME_VARIANTS,
)

__all__ = [
    "COMPOUND_SURNAMES",
    "PINYIN_SURNAMES",
    "SPELLING_SLIP",
    "SURNAME_READINGS",
    "SURNAME_VARIANTS",
    "NameForm",
    "NameKeys",
    "fold_latin",
    "name_feature",
    "name_form",
    "name_similarity",
    "normalise_name",
    "pinyin_syllables",
    "romanise_han",
    "segment_syllables",
    "to_simplified",
    "token_readings",
    "wade_giles_to_pinyin",
]
