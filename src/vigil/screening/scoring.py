"""Scoring a record against one listed person. Pure: no I/O, no clock.

Each candidate is scored like yente: weighted main features (name, birth date), an identifier
match that overrides, and qualifiers (Fellegi–Sunter style discounts of weak evidence, counted
on the list by `vigil.screening.index`). Every feature's contribution is in the explanation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from vigil.core.dates import normalise_birth_date, typo_neighbours
from vigil.core.lunar import lunar_birthday
from vigil.names import SPELLING_SLIP, NameForm, name_feature
from vigil.screening.entries import Explanation, PersonEntry
from vigil.screening.levels import id_level, name_level

NAME_WEIGHT = 0.65
BIRTH_DATE_WEIGHT = 0.35
ID_MATCH_SCORE = 0.97
ID_CONFLICT_PENALTY = 0.30
DEFAULT_THRESHOLD = 0.80
WEAK_EVIDENCE_PENALTY = 0.15
# An agreement short of exact on both name and birth date (a slip in either, the year only,
# no date) is weak evidence when many listed persons share it: alert only if fewer than this
# many of them are expected to agree that well with a random record by chance. For a record
# without a valid identity number:
MAX_CHANCE_AGREEMENTS = 5.5
# A record with a valid identity number can be a listed person only if that person has no
# number on file (any other is matched or ruled out by the number), so its chance agreements
# are counted among those; and whether a record carries a number is itself evidence (a
# Fellegi-Sunter comparison level of its own), so it gets a cut of its own:
MAX_CHANCE_AGREEMENTS_NUMBERED = 0.03
# Both are scaled by how often a record of the listed person agrees at that level (the
# Fellegi-Sunter m-probability). NO_DATE_M and the spelling-slip score are set by hand; the
# other weights below were fitted on the dev seeds 1 and 2 of bench/screen.py at 1M listed
# and 100k records (a grid search on the candidate pairs for the most recall at under one
# false alert per 1,000 records on either seed, then checked by full runs), so they describe
# that benchmark's corruptions, not measured keying habits, and should be refitted from alert
# feedback. The cut was chosen again, on the same seeds, once an alert became one record to
# review with all its hits (`vigil.pipeline`): a grid over it and the m-probabilities below,
# with false alerts counted per record, kept the m-probabilities and moved it from 2.5 to
# 4.0. It was then split by the record's number (a grid over both cuts on seeds 1 to 5, the
# m-probabilities kept): 5.5 without a number, 0.03 with one. That split is the benchmark's
# too: there half the records of listed persons lose their number and 5 % of other records
# have none, so a record without one is far likelier to be a listed person's.
DATE_SLIP_M = 0.03  # a wrong digit or two digits swapped
# The share of date slips that are adjacent transpositions (Verhoeff 1969 found 10-20 % of
# keying slips in digit strings; the benchmark has as many of each). There are far fewer
# transposition neighbours of a date than wrong-digit ones, so each level is counted apart.
TRANSPOSITION_SHARE = 0.5
# A record that gives only the year agrees on what it gives; above 1 as fitted: once the
# other listed namesakes of that year are counted as chance agreements seen (`others` in
# `score_person`), the expected count from the list's years alone overstates the risk.
YEAR_ONLY_M = 1.5
NO_DATE_M = 1.0
# Set by hand, by analogy (not fitted): a year and month agree with far fewer listed persons
# than a year (the u-count says by how much), and are about as common a way of filing as the
# year alone; a day/month swap and a two-digit year are keying habits as rare as a slip.
YEAR_MONTH_M = 1.5
SWAPPED_DAY_MONTH_M = 0.03
TWO_DIGIT_YEAR_M = 0.03
# A lunar-calendar birthday filed as if it were Gregorian (`vigil.core.lunar`): a filing habit
# of its own, set by hand as about as rare as a day/month swap.
LUNAR_M = 0.03
# The m-probabilities of the birth-date comparison levels, as the chance check uses them
# (relative to an exact agreement). `vigil.screening.weights` re-estimates them from data.
DATE_M: dict[str, float] = {
    "exact": 1.0,
    "year_month": YEAR_MONTH_M,
    "swapped_day_month": SWAPPED_DAY_MONTH_M,
    "two_digit_year": TWO_DIGIT_YEAR_M,
    "digit": DATE_SLIP_M * (1 - TRANSPOSITION_SHARE),
    "transposed": DATE_SLIP_M * TRANSPOSITION_SHARE,
    "lunar": LUNAR_M,
    "year": YEAR_ONLY_M,
    "none": NO_DATE_M,
}
HOMOPHONE_M = 0.02  # a given-name character replaced by one of the same sound
OTHER_CHARACTER_M = 0.003  # in a name of three characters, one of another sound
SPELLING_SLIP_M = 0.0005


def birth_digits(raw: str) -> str:
    """A filed birth date in canonical form (`vigil.core.dates.normalise_birth_date`):
    '1985-03-12' → '19850312'; '1985-03' → '198503'; '1985' → '1985'; '85-03-12' →
    '~850312'; anything else → ''."""
    return normalise_birth_date(raw)


# Birth-date comparison levels (Fellegi-Sunter): each has a similarity for the weighted score,
# a hand-set m-probability (how often a record of the listed person agrees at that level; the
# priors that `vigil.screening.weights` re-estimates from data), and a u-probability counted on
# the list (`vigil.screening.index`: how many listed persons share the partial value).
DATE_LEVELS = (
    "exact",
    "year_month",
    "swapped_day_month",
    "two_digit_year",
    "digit",
    "transposed",
    "lunar",
    "year",
    "none",
    "differ",
)
DATE_SIMILARITY = {
    "exact": 1.0,
    "year_month": 0.8,
    "swapped_day_month": 0.8,
    "two_digit_year": 0.8,
    "digit": 0.8,
    "transposed": 0.8,
    "lunar": 0.8,
    "year": 0.7,
    "none": 0.5,
    "differ": 0.0,
}


def _swapped(a: str) -> str:
    """The full date with day and month swapped, when both are ≤ 12 and differ; else ""."""
    month, day = a[4:6], a[6:]
    both = "01" <= day <= "12" and "01" <= month <= "12"
    return a[:4] + day + month if month != day and both else ""


def date_level(a: str, b: str) -> str:
    """How two canonical birth dates (record, listed) agree: one of DATE_LEVELS."""
    if not a or not b:
        return "none"
    if a.startswith("~") or b.startswith("~"):
        short, other = (a, b) if a.startswith("~") else (b, a)
        if other.startswith("~"):
            return "exact" if a == b else "differ"
        if len(other) == 8:
            return "two_digit_year" if other[2:] == short[1:] else "differ"
        return "year" if other[2:4] == short[1:3] else "differ"
    if len(a) != len(b) or len(a) < 8:
        common = min(len(a), len(b))
        if a[:common] != b[:common]:
            return "differ"
        return "year_month" if common == 6 else "year"
    if a == b:
        return "exact"
    if _swapped(a) == b:
        return "swapped_day_month"
    if slip := slip_kind(a, b):
        return slip
    # one side filed the other's lunar-calendar birthday as a Gregorian date
    return "lunar" if a == lunar_birthday(b) or b == lunar_birthday(a) else "differ"


_LEVEL_DETAIL = {
    "exact": "same birth date",
    "year_month": "same birth year and month (one side gives no day)",
    "swapped_day_month": "birth dates agree with day and month swapped",
    "two_digit_year": "birth dates agree on a two-digit year, month and day (century unknown)",
    "digit": "birth dates differ in one digit",
    "transposed": "birth dates differ by transposed digits",
    "lunar": "one birth date is the other's lunar-calendar birthday",
    "year": "same birth year (year only)",
    "none": "birth date unknown on one side",
    "differ": "birth dates differ",
}


def birth_date_feature(a: str, b: str) -> tuple[float, str]:
    """Compare canonical birth dates by comparison level (DATE_LEVELS)."""
    level = date_level(a, b)
    detail = _LEVEL_DETAIL[level]
    if level not in ("exact", "none"):
        detail += f" ({a or '-'} vs {b or '-'})"
    return DATE_SIMILARITY[level], detail


def slip_kind(a: str, b: str) -> str:
    """ "digit" or "transposed" when two 8-digit dates are one such slip apart, else ""."""
    if len(a) != 8 or len(b) != 8:
        return ""
    diffs = [i for i in range(8) if a[i] != b[i]]
    if len(diffs) == 1:
        return "digit"
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]:
        return "transposed" if a[diffs[1]] == b[diffs[0]] else ""
    return ""


@lru_cache(maxsize=50_000)
def plausible_neighbours(birth: str, kind: str = "") -> tuple[str, ...]:
    """The typo neighbours of a birth date (of one kind) that are dates at all."""
    return tuple(
        d for d in typo_neighbours(birth, kind) if "01" <= d[4:6] <= "12" and "01" <= d[6:] <= "31"
    )


@dataclass(frozen=True, slots=True)
class ListedPerson:
    entry: PersonEntry
    names: tuple[NameForm, ...]
    birth: str
    expires: datetime | None = None  # the legal basis's expiry in UTC (checked when added)

    def lawful_at(self, now_utc: datetime) -> bool:
        """The entry was lawful when added and is frozen: only its expiry can lapse."""
        return self.expires is not None and now_utc < self.expires


ChanceFn = Callable[[str, str, str], tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Weights:
    """The settings of the chance check that data may re-estimate: the birth-date levels'
    m-probabilities and the two cuts (see MAX_CHANCE_AGREEMENTS)."""

    date_m: tuple[tuple[str, float], ...] = tuple(DATE_M.items())
    cut: float = MAX_CHANCE_AGREEMENTS
    cut_numbered: float = MAX_CHANCE_AGREEMENTS_NUMBERED

    def date_m_table(self) -> dict[str, float]:
        return dict(self.date_m)


DEFAULT_WEIGHTS = Weights()


def record_birth(birth: str, id_birth: str, listed: str) -> tuple[float, str]:
    """The birth-date feature, with the date a valid identity number embeds taking precedence
    over the stated one: a slip in a number with a correct check character is very unlikely,
    so a date it confirms that still differs from the listed one is no slip but a difference."""
    if not id_birth:
        return birth_date_feature(birth, listed)
    note = ""
    if id_conflict(birth, id_birth):
        # the comparison level "id_conflict": the filed date disagrees with the one the valid
        # number embeds. It is about the register's care, as common among strangers as among
        # listed persons (m ≈ u), so it carries no weight of its own: the embedded date is used.
        note = f"; the stated {birth} disagrees with it and is taken for a slip"
    score, detail = birth_date_feature(id_birth, listed)
    if score == 1.0:
        detail = f"same birth date ({id_birth}, embedded in the record's identity number)"
    elif 0.0 < score < 1.0 and len(listed) == 8:
        score = 0.0
        detail = (
            f"birth dates differ ({id_birth} vs {listed}); the record's is embedded in its "
            "identity number, so the difference is no slip"
        )
    elif score == DATE_SIMILARITY["year"]:
        detail = "same birth year (the list gives the year only)"
    return score, detail + note


def id_conflict(birth: str, id_birth: str) -> bool:
    """Whether a filed birth date disagrees with the one a valid identity number embeds (a
    partial date that agrees as far as it goes does not)."""
    if not birth or not id_birth:
        return False
    return date_level(birth, id_birth) not in ("exact", "year_month", "year", "two_digit_year")


def _chance_keys(
    form: NameForm, matched: NameForm, name_score: float
) -> tuple[list[str], str, float]:
    """How to count the listed persons who agree with the record's name as well as `matched`
    does: (count keys, what they share, the m-probability of that agreement)."""
    if name_score >= 0.95:
        if form.han and matched.han:  # the same characters: count those who have them
            return [f"h:{form.hanzi}"], "this name", 1.0
        return [f"r:{form.reading}", f"r:{matched.reading}"], "this name", 1.0
    if name_score == SPELLING_SLIP and form.syllabic and matched.syllabic:
        # how many listed persons would bear the record's very name, from how common its
        # syllables are on the list: a rare name a letter from a listed one is likely a slip
        return [f"t:{form.reading}"], "the record's name (from its syllables)", SPELLING_SLIP_M
    if not (form.han and matched.han):
        return [], "", 1.0
    if name_score == 0.9:  # a homophone: count everyone who reads so
        return [f"r:{form.reading}", f"r:{matched.reading}"], "this reading", HOMOPHONE_M
    # one character differs, or one was added or dropped: count the longer name's pattern
    # with that character left open
    long, short = form.hanzi, matched.hanzi
    if len(short) > len(long):
        long, short = short, long
    diff = next(
        (i for i, (x, y) in enumerate(zip(long, short, strict=False)) if x != y), len(short)
    )
    pattern = f"{long[:diff]}?{long[diff + 1 :]}"
    return [f"w:{pattern}"], f"the characters {pattern}", OTHER_CHARACTER_M


def chance_check(
    form: NameForm,
    matched: NameForm,
    name_score: float,
    date_score: float,
    birth: str,
    listed_birth: str,
    chance: ChanceFn,
    date_m_table: dict[str, float] | None = None,
) -> tuple[float, float, float, str] | None:
    """(namesakes, expected chance agreements, m-probability of the agreement, what the
    namesakes share) for an agreement short of exact on name or birth date; None when no
    count applies. The agreement is weak evidence when `expected` exceeds
    `MAX_CHANCE_AGREEMENTS` × m."""
    date_m = _date_m(date_score, birth, listed_birth, date_m_table or DATE_M)
    if date_m is None or (name_score >= 0.95 and date_score == 1.0):
        return None  # namesakes agreeing exactly on both: a human must tell
    keys, shared, name_m = _chance_keys(form, matched, name_score)
    if not keys:
        return None
    namesakes, expected = max(chance(key, birth, listed_birth) for key in keys)
    return namesakes, expected, name_m * date_m, shared


def _date_m(date_score: float, birth: str, listed: str, table: dict[str, float]) -> float | None:
    """How often a record of the listed person agrees on birth date at this level."""
    if date_score == 0.0:
        return None
    return table.get(date_level(birth, listed))


def _compared_names(form: NameForm, names: tuple[NameForm, ...]) -> tuple[NameForm, ...]:
    """The listed names a record's name is compared with. Han characters carry more than any
    romanisation of them: a record in Han characters is compared with the listed ones only
    (when there are any); and a listed romanised alias that spells a listed Han name's reading
    is left out, as that name's exact pinyin stands for it (its letters, read as Wade-Giles,
    would stand for other syllables too: 'Kong Chun' for 孔春 is no 'Kong Jun')."""
    han = tuple(f for f in names if f.han)
    if not han:
        return names
    if form.han:
        return han
    return tuple(f for f in names if f.han or not any(f.reading == h.reading for h in han))


def best_name(form: NameForm | None, person: ListedPerson) -> tuple[float, str, NameForm | None]:
    """The listed name the record's agrees with best: (similarity, why, that name)."""
    name_score, name_detail, matched = 0.0, "no name to compare", None
    if form is not None:
        for listed in _compared_names(form, person.names):
            s, d = name_feature(form, listed)
            if s > name_score:
                name_score, name_detail, matched = s, d, listed
    return name_score, name_detail, matched


def pair_level(birth: str, id_birth: str, listed_birth: str) -> str:
    """The birth-date level of a pair as the decision uses it: the date a valid identity
    number embeds stands in for the stated one, and a date it confirms is no slip."""
    level = date_level(id_birth or birth, listed_birth)
    if id_birth and len(listed_birth) == 8 and level not in ("exact", "none"):
        level = "differ"
    return level


def expected_chance(
    form: NameForm,
    matched: NameForm,
    name_score: float,
    birth: str,
    listed_birth: str,
    chance: ChanceFn,
) -> float:
    """How many listed persons are expected to agree with the record's name (as well as
    `matched` does) and birth date (as well as `listed_birth` does) by chance: N times the
    u-probability of the pair's name and birth-date levels for these values. A name with no
    count of its own (a spelling difference in a name not in Chinese) is counted under the
    listed name's reading."""
    keys, _, _ = _chance_keys(form, matched, name_score)
    if not keys:
        keys = [f"r:{form.reading}", f"r:{matched.reading}"]
    return max(chance(key, birth, listed_birth)[1] for key in keys)


def score_person(
    form: NameForm | None,
    birth: str,
    id_hash: str,
    person: ListedPerson,
    chance: ChanceFn | None = None,
    id_birth: str = "",
    below: float = 0.0,
    others: int = 0,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[float, Explanation]:
    """Score = 0.65·name + 0.35·birth date; an equal identity hash overrides; two valid but
    different identity numbers subtract a qualifier (no score can then reach the default
    threshold). The birth date a valid identity number embeds (`id_birth`) stands in for the
    stated one. Without an agreeing identity number, two further qualifiers subtract when the
    evidence is weak: when name and birth date both agree only approximately, and when the
    agreement, not exact on both, is one that so many listed persons share that a chance
    agreement is likely (`chance`; Fellegi–Sunter with frequency-based u-probabilities;
    the cut is MAX_CHANCE_AGREEMENTS_NUMBERED for a record with a valid number, whose `chance`
    counts only listed persons without one).
    `others` listed persons that agree with the record at least as well are chance agreements
    seen, all of them but one at most, so at least that many are expected.
    Contributions are in the explanation; a score that falls short of `below` even before
    the qualifiers (which only subtract) comes without one, as screening drops it anyway."""
    explanation: Explanation = {}
    name_score, name_detail, matched = best_name(form, person)
    date_score, date_detail = record_birth(birth, id_birth, person.birth)
    score = NAME_WEIGHT * name_score + BIRTH_DATE_WEIGHT * date_score
    listed_hash = person.entry.id_hash
    if score < below and not (id_hash and id_hash == listed_hash):
        return round(score, 4), explanation
    # the comparison levels go with the contributions, so that officers' decisions on alerts
    # can re-estimate the levels' m-probabilities (`vigil.screening.weights`)
    level = pair_level(birth, id_birth, person.birth)  # a confirmed date is no slip
    explanation["name_match"] = {
        "score": round(NAME_WEIGHT * name_score, 4),
        "detail": f"{name_detail}; similarity {name_score:.2f} × weight {NAME_WEIGHT}",
        "level": name_level(name_score),
    }
    explanation["birth_date"] = {
        "score": round(BIRTH_DATE_WEIGHT * date_score, 4),
        "detail": f"{date_detail}; similarity {date_score:.2f} × weight {BIRTH_DATE_WEIGHT}",
        "level": level,
    }
    ids = id_level(id_hash, listed_hash)
    if ids in ("record_only", "listed_only", "neither"):
        explanation["identity_number"] = {
            "score": 0.0,
            "detail": {
                "record_only": "the record carries a valid identity number, the list has none",
                "listed_only": "the list has an identity number, the record carries no valid one",
                "neither": "neither the record nor the list has an identity number",
            }[ids],
            "level": ids,
        }
    if id_hash and listed_hash and id_hash == listed_hash:
        explanation["identifier_match"] = {
            "score": ID_MATCH_SCORE,
            "detail": "identity number equals the listed one (keyed hash)",
        }
        return round(min(1.0, max(score, ID_MATCH_SCORE + 0.03 * name_score)), 4), explanation
    if id_hash and listed_hash:
        explanation["identifier_mismatch"] = {
            "score": -ID_CONFLICT_PENALTY,
            "detail": "both identity numbers are valid and differ: not the same person",
        }
        score -= ID_CONFLICT_PENALTY
    elif 0.0 < name_score < 0.95 and 0.0 < date_score < 1.0:
        explanation["weak_evidence"] = {
            "score": -WEAK_EVIDENCE_PENALTY,
            "detail": "name and birth date both agree only approximately, and no identity "
            "number confirms",
        }
        score -= WEAK_EVIDENCE_PENALTY
    elif (
        chance is not None
        and form is not None
        and matched is not None
        and (
            check := chance_check(
                form,
                matched,
                name_score,
                date_score,
                id_birth or birth,
                person.birth,
                chance,
                weights.date_m_table(),
            )
        )
        is not None
    ):
        namesakes, expected, m, shared = check
        cut = weights.cut_numbered if id_hash else weights.cut
        date_m = weights.date_m_table().get(level) or 1.0
        explanation["birth_date"]["chance"] = {
            "expected": round(max(expected, others), 6),
            "name_m": m / date_m,
            "numbered": bool(id_hash),
        }
        if max(expected, others) > cut * m:
            seen = f", and {others} other(s) on the list do" if others > expected else ""
            count = f"{namesakes:,.0f}" if namesakes >= 10 else f"{namesakes:.2g}"
            bearers = "listed persons without an identity number" if id_hash else "listed persons"
            explanation["common_name"] = {
                "score": -WEAK_EVIDENCE_PENALTY,
                "detail": f"{count} {bearers} share {shared}; {expected:.2g} of "
                f"them are expected to agree this closely on birth date by chance{seen}, and "
                "no identity number confirms",
            }
            score -= WEAK_EVIDENCE_PENALTY
    return round(min(1.0, max(0.0, score)), 4), explanation
