"""Synthetic Chinese people and corrupted duplicate records, for demos and benchmarks.

Pure and seeded: the same seed gives the same people. Faker zh_CN people are written in
simplified Hanzi, zh_TW people in traditional Hanzi. Every person is fictitious.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import opencc
from faker import Faker
from pypinyin import Style, lazy_pinyin

from vigil.core.ids import cn_id_check_char
from vigil.names import COMPOUND_SURNAMES, SURNAME_READINGS

CORRUPTIONS: tuple[str, ...] = (
    "pinyin",
    "wade_giles",
    "script_twin",
    "swapped_order",
    "given_joined_or_split",
    "name_typo",
    "birth_date_digit",
    "id_missing",
    "id_typo",
)

_REGIONS = ("110105", "310104", "440106", "330106", "510107", "420102", "360426", "320102")

# Wade-Giles spellings used for surnames (Taiwan passports), the rest by syllable rules.
_WADE_GILES_SURNAMES = {
    "zhang": "Chang",
    "xu": "Hsu",
    "cai": "Tsai",
    "chen": "Chen",
    "zhou": "Chou",
    "zhao": "Chao",
    "xie": "Hsieh",
    "jiang": "Chiang",
    "zheng": "Cheng",
    "huang": "Huang",
    "li": "Lee",
    "liu": "Liu",
    "wu": "Wu",
    "lin": "Lin",
    "guo": "Kuo",
    "he": "Ho",
    "gao": "Kao",
    "qian": "Chien",
}
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch'"),
    ("sh", "sh"),
    ("x", "hs"),
    ("q", "ch'"),
    ("j", "ch"),
    ("z", "ts"),
    ("c", "ts'"),
    ("r", "j"),
    ("g", "k"),
    ("k", "k'"),
    ("d", "t"),
    ("t", "t'"),
    ("b", "p"),
    ("p", "p'"),
)
_WG_FINALS = (("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("ue", "ueh"))
_COMMON_HANZI = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国文辉志"


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    person_id: str
    surname: str  # Hanzi
    given: str  # Hanzi
    birth_date: date
    sex: str  # "M" / "F"
    id_number: str
    address: str
    phone: str
    locale: str  # "zh_CN" or "zh_TW"

    @property
    def name(self) -> str:
        return self.surname + self.given


def resident_id(region: str, birth: date, sequence: int) -> str:
    """A valid 18-character CN resident identity number (GB 11643-1999 check character)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + cn_id_check_char(body)


def generate_people(count: int, seed: int = 7, taiwan_share: float = 0.3) -> list[SyntheticPerson]:
    """`count` fictitious people, about `taiwan_share` of them from Faker zh_TW."""
    rng = random.Random(seed)
    fakers = {"zh_CN": Faker("zh_CN"), "zh_TW": Faker("zh_TW")}
    for offset, faker in enumerate(fakers.values()):
        faker.seed_instance(seed + offset)
    people = []
    for i in range(count):
        locale = "zh_TW" if rng.random() < taiwan_share else "zh_CN"
        faker = fakers[locale]
        sex = rng.choice("MF")
        given = faker.first_name_male() if sex == "M" else faker.first_name_female()
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
        sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
        people.append(
            SyntheticPerson(
                person_id=f"P{i:07d}",
                surname=faker.last_name(),
                given=given,
                birth_date=birth,
                sex=sex,
                id_number=resident_id(rng.choice(_REGIONS), birth, sequence),
                address=faker.address().replace("\n", " "),
                phone=faker.phone_number(),
                locale=locale,
            )
        )
    return people


# --- Romanisation ----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def _pinyin_parts(person: SyntheticPerson) -> tuple[str, list[str]]:
    surname = _simplified(person.surname)
    if surname in COMPOUND_SURNAMES:
        sur = COMPOUND_SURNAMES[surname]
    else:
        sur = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL))
    given = lazy_pinyin(_simplified(person.given), style=Style.NORMAL, v_to_u=True)
    return sur, [g.replace("ü", "u") for g in given]


def wade_giles(syllable: str, keep_apostrophe: bool = True) -> str:
    """Pinyin syllable → Wade-Giles, e.g. 'xiao' → 'hsiao', 'qian' → "ch'ien"."""
    whole = {"zi": "tzu", "ci": "tz'u", "si": "ssu", "ri": "jih", "er": "erh", "ye": "yeh"}
    if syllable in whole:
        result = whole[syllable]
    else:
        result = syllable
        for old, new in _WG_INITIALS:
            if result.startswith(old):
                result = new + result[len(old) :]
                break
        for old, new in _WG_FINALS:
            if result.endswith(old):
                result = result[: -len(old)] + new
                break
        if syllable in ("zhi", "chi", "shi"):
            result += "h"
        if syllable in ("ge", "ke", "he"):
            result = result[:-1] + "o"
        if syllable.startswith("y") and syllable.endswith("an"):
            result = result[:-2] + "en"
    return result if keep_apostrophe else result.replace("'", "")


def _romanised(person: SyntheticPerson, rng: random.Random, style: str) -> str:
    surname, given = _pinyin_parts(person)
    if style == "wade_giles":
        surname = _WADE_GILES_SURNAMES.get(surname, wade_giles(surname, False).capitalize())
        keep = rng.random() < 0.5
        given = [wade_giles(g, keep) for g in given]
        return f"{surname.capitalize()} {'-'.join(given).capitalize()}"
    return f"{surname.capitalize()} {''.join(given).capitalize()}"


# --- Corruptions -----------------------------------------------------------------------


def _edit(text: str, rng: random.Random, alphabet: str) -> str:
    if not text:
        return text
    pos = rng.randrange(len(text))
    action = rng.choice(("replace", "delete", "insert", "swap"))
    if action == "replace":
        return text[:pos] + rng.choice(alphabet) + text[pos + 1 :]
    if action == "delete" and len(text) > 2:
        return text[:pos] + text[pos + 1 :]
    if action == "swap" and pos + 1 < len(text):
        return text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
    return text[:pos] + rng.choice(alphabet) + text[pos:]


def base_record(person: SyntheticPerson) -> dict[str, str]:
    return {
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "id_number": person.id_number,
        "address": person.address,
        "phone": person.phone,
    }


def corrupt(person: SyntheticPerson, corruption: str, rng: random.Random) -> dict[str, str]:
    """A record of `person` with one kind of corruption applied."""
    record = base_record(person)
    if corruption == "pinyin":
        record["name"] = _romanised(person, rng, "pinyin")
    elif corruption == "wade_giles":
        record["name"] = _romanised(person, rng, "wade_giles")
    elif corruption == "script_twin":
        converter = "t2s" if person.locale == "zh_TW" else "s2t"
        record["name"] = str(_converter(converter).convert(person.name))
    elif corruption == "swapped_order":
        surname, given = _pinyin_parts(person)
        record["name"] = f"{''.join(given).capitalize()} {surname.upper()}"
    elif corruption == "given_joined_or_split":
        surname, given = _pinyin_parts(person)
        joiner = rng.choice((" ", "-", ""))
        record["name"] = f"{surname.upper()} {joiner.join(g.capitalize() for g in given)}"
    elif corruption == "name_typo":
        name = person.surname + _edit(person.given, rng, _COMMON_HANZI)
        if rng.random() < 0.5:
            name = person.surname + _edit(name[len(person.surname) :], rng, _COMMON_HANZI)
        record["name"] = name
    elif corruption == "birth_date_digit":
        digits = person.birth_date.strftime("%Y%m%d")
        pos = rng.randrange(2, 8)
        if rng.random() < 0.5 and pos < 7:
            digits = digits[:pos] + digits[pos + 1] + digits[pos] + digits[pos + 2 :]
        else:
            digits = (
                digits[:pos]
                + str((int(digits[pos]) + rng.randrange(1, 9)) % 10)
                + digits[pos + 1 :]
            )
        record["birth_date"] = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    elif corruption == "id_missing":
        record["id_number"] = ""
    elif corruption == "id_typo":
        ident = person.id_number
        pos = rng.randrange(6, 17)
        record["id_number"] = ident[:pos] + str((int(ident[pos]) + 1) % 10) + ident[pos + 1 :]
    else:
        raise ValueError(f"unknown corruption {corruption!r}")
    # Everyday gaps: the identity number, phone or address is often not filed, so the
    # name and birth date must carry the link.
    if corruption not in ("id_typo", "id_missing") and rng.random() < 0.5:
        record["id_number"] = ""
    if rng.random() < 0.3:
        record["phone"] = ""
    if rng.random() < 0.2:
        record["address"] = ""
    return record


@dataclass(frozen=True, slots=True)
class BenchmarkRecord:
    record_id: str
    person_id: str
    corruption: str  # "original" for the clean record
    name: str
    birth_date: str
    sex: str
    id_number: str
    address: str
    phone: str


def linkage_records(
    people: list[SyntheticPerson], seed: int = 11, duplicate_share: float = 0.6
) -> Iterator[BenchmarkRecord]:
    """Each person's clean record, and for `duplicate_share` of them one corrupted twin,
    cycling through every corruption type."""
    rng = random.Random(seed)
    for i, person in enumerate(people):
        yield BenchmarkRecord(f"R{i:07d}a", person.person_id, "original", **base_record(person))
        if rng.random() < duplicate_share:
            corruption = CORRUPTIONS[i % len(CORRUPTIONS)]
            record = corrupt(person, corruption, rng)
            yield BenchmarkRecord(f"R{i:07d}b", person.person_id, corruption, **record)


def with_relative(person: SyntheticPerson, rng: random.Random, index: int) -> SyntheticPerson:
    """A fictitious relative: same surname and home address; their own given name, birth
    date, identity number and mobile phone."""
    gap = timedelta(days=rng.randrange(365 * 20, 365 * 30))
    birth = person.birth_date + gap if person.birth_date.year < 1980 else person.birth_date - gap
    phone = "1" + "".join(str(rng.randrange(10)) for _ in range(10))
    return replace(
        person,
        person_id=f"{person.person_id}-r{index}",
        given=rng.choice(_COMMON_HANZI) + rng.choice(_COMMON_HANZI),
        birth_date=birth,
        id_number=resident_id(person.id_number[:6], birth, rng.randrange(0, 999)),
        phone=phone,
    )


def as_dict(record: BenchmarkRecord) -> dict[str, str]:
    return asdict(record)
