"""In-memory watchlist match index. Pure: no I/O, no clock (callers pass `now`).

Updated incrementally: `add` and `remove` touch only the keys and counts of one entry.

Persons are found through blocking keys, so a record meets few candidates:
- the identity-number hash;
- the full birth date (or the one a valid resident identity number embeds,
  `ScreeningRecord.id_birth_date`) with a little of the name, for a name slip when the date is
  intact: the first Han character and the length of the name, or the first or the last letter
  of the romanised name (a slip of a letter or two leaves one of them as it was);
- each phonetic name key (script, order and romanisation insensitive, from
  `vigil.names`) combined with the birth year, with the month-day, and with the
  sorted birth-date digits (catches one wrong digit, transposed digits and year-only dates);
- the birth year with the name as spelled, for a slip of one character when the date is not
  intact either (`_spelling_keys`: a Han character added, dropped or changed, one letter
  edit, a middle name left out); the year of the Gregorian day a filed lunar birthday stands
  for; and for a record without a birth date, its phonetic name in any year (a missing date
  is no evidence, not a disagreement).

Each candidate is scored like yente: weighted main features (name, birth date), an identifier
match that overrides, and qualifiers. Every feature's contribution is in the explanation.

The name feature tells a difference of script or romanisation (张伟 ~ Zhang Wei ~ Chang Wei)
from a real difference (王伟 vs 王飞, Zhou vs Zou): Han characters are compared as characters,
and a character that differs counts as a slip only if it sounds the same; romanised names are
compared by the pinyin their syllables may stand for, not by the coarse blocking key; a listed
romanised alias that only spells a listed Han name is compared through that name's exact pinyin,
and ü is kept apart from u (吕 lü is not 卢 lu).

The birth date a record's valid identity number embeds stands in for the stated one: it
corrects a slip in the stated date, and a date it confirms that still differs from the listed
one is a real difference, not a slip. Two valid identity numbers that differ veto the match.

Without an agreeing identity number, weak evidence is discounted (Fellegi–Sunter style):
name and birth date that both agree only approximately; and an agreement short of exact on
both (a birth-date slip, the year only, no date, a homophone or another character in a Han
name) that so many listed persons share that a chance agreement is likely. How many share it
is counted on the list itself, as entries are added: the same characters, the same reading,
the same characters but one, how common the syllables of a romanised name are (a rare name
one letter from a listed one is more likely a slip than another person), and the birth dates
one slip of that kind away; for a record with a valid identity number, only among the listed
persons without one, as the number matches or rules out the others. Whether the record carries
a number at all is evidence too: a record without one is weighed more leniently. Other
listed persons that agree with the record as well are chance agreements seen, so at least that
many are expected. Finally an exact agreement with one listed person explains the record, so
its approximate date agreements with others are dropped.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime

from vigil.core.clock import as_utc, utcnow
from vigil.core.lunar import gregorian_of_lunar
from vigil.names import NameForm, name_form, normalise_name
from vigil.screening.entries import (
    Entry,
    Match,
    PersonEntry,
    PropertyEntry,
    ScreeningRecord,
    UnlawfulEntry,
    entry_problem,
)
from vigil.screening.keys import imei_key, plate_key, serial_key, vin_key
from vigil.screening.levels import ID_LEVELS, NAME_LEVELS, id_level, name_level
from vigil.screening.posterior import (
    CONTROL_FLOOR,
    DATE_CLASSES,
    FALSE_ALERT_BUDGET,
    MIN_BATCH,
    PAIR_FLOOR,
    USE_CONTROLS,
    Pair,
    date_class,
    date_form,
    decide,
    decide_batch,
    form_shares,
    pair_date,
)
from vigil.screening.posterior import PRIORS as POSTERIOR_PRIORS
from vigil.screening.posterior import Model as PosteriorModel
from vigil.screening.scoring import (
    BIRTH_DATE_WEIGHT,
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    ID_CONFLICT_PENALTY,
    NAME_WEIGHT,
    ListedPerson,
    Weights,
    best_name,
    birth_digits,
    date_level,
    expected_chance,
    pair_level,
    plausible_neighbours,
    record_birth,
    score_person,
)

DAYS_PRIOR = 36_525  # before the list is long, birth dates are taken as spread over 100 years
PRIOR_WEIGHT = 1_000
MAX_BLOCK = 2_000  # a key shared by more entries than this is too common to block on


def _person_keys(
    forms: Iterable[NameForm], birth: str, id_hash: str, *, query: bool, confirmed: bool = False
) -> Iterator[str]:
    """Blocking keys. A record whose birth date its identity number confirms (`confirmed`)
    can only match a listed person born that very day (found by the date keys, or by name in
    that year), or listed with the year only or no date (any other date differs for real), so
    it looks up nothing more."""
    forms = tuple(forms)
    if id_hash:
        yield "i:" + id_hash
    if len(birth) == 8:
        yield from _date_name_keys(forms, birth, query=query)
    phonetic = {key for form in forms for key in form.phonetic}
    for key in phonetic:
        if confirmed:
            yield f"y:{birth[:4]}:{key}"
            yield f"o:{birth[:4]}:{key}"
        elif len(birth) == 8:
            yield f"y:{birth[:4]}:{key}"
            yield f"m:{birth[4:]}:{key}"
            yield f"s:{''.join(sorted(birth))}:{key}"
        elif len(birth) in (4, 6):  # the year only, or the year and month
            yield f"y:{birth[:4]}:{key}"
            if not query:
                yield f"o:{birth[:4]}:{key}"  # listed with the year only (or year and month)
        elif birth.startswith("~") and query:  # a two-digit year: the month and day
            yield f"m:{birth[3:]}:{key}"
            # and the listed persons of that year in either century listed with the year
            # (and month) only, whose date the month and day cannot find
            yield from (f"o:{century}{birth[1:3]}:{key}" for century in ("19", "20"))
        if not birth or query:
            yield f"n:{key}"  # entries without a date; records without one look here
    if len(birth) >= 4 and not birth.startswith("~") and not confirmed:
        yield from _spelling_keys(forms, birth[:4], query=query)
    if query and len(birth) == 8 and not confirmed:
        # the record's date may be a lunar-calendar birthday filed as Gregorian: the listed
        # person was born on the Gregorian day it stands for, in the next year for a birth
        # in January or February (the keys of the same year are looked up already)
        for year in {solar[:4] for solar in gregorian_of_lunar(birth)} - {birth[:4]}:
            yield from (f"y:{year}:{key}" for key in phonetic)
            yield from _spelling_keys(forms, year, query=query)


def _date_name_keys(forms: tuple[NameForm, ...], birth: str, *, query: bool) -> Iterator[str]:
    """The full birth date with a little of the name, for a name slip that changes the
    phonetic key (the phonetic keys catch the rest): the first Han character and the length of
    the name (another character in the given name; a character read another way), and the
    first and the last letter of the romanised name (a slip of a letter or two leaves one of
    them as it was). A record in Han characters carries no letter slip: it looks up the first
    letter of its reading only, and, like any record, in the order written only, as a listed
    name is keyed in both orders."""
    for form in forms:
        if form.han and form.hanzi:
            yield f"d:{birth}:{form.hanzi[0]}{len(form.hanzi)}"
        for compact in form.compacts[:1] if query else form.compacts:
            if compact:
                yield f"d:{birth}:<{compact[0]}"
                if not (query and form.han):
                    yield f"d:{birth}:>{compact[-1]}"


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_HAN_DELETION = 3  # a two-character name less one character is a surname alone


def _spelling_keys(forms: tuple[NameForm, ...], year: str, *, query: bool) -> Iterator[str]:
    """The birth year with the name as spelled, for a slip of one character that changes the
    phonetic key when the birth date is not intact either. Han characters: the name and, for
    three characters or more, the name less each character (a listed person and a record meet
    when they share one: a character added, dropped or changed). Letters (any romanised form,
    the listed ones in both orders): the listed name as spelled, and with each word left out
    of a name of three words or more (a middle name dropped); a record written in letters
    that is no well-formed pinyin (whose slips the phonetic keys and the date keys catch, at
    a fraction of the cost) looks up every spelling one letter edit from its own (a letter
    changed, added, dropped or two swapped), and its own with each word left out (a middle
    name added)."""
    for form in forms:
        if form.han and form.hanzi:
            hanzi = form.hanzi
            yield f"h:{year}:{hanzi}"
            if len(hanzi) >= MIN_HAN_DELETION:  # the surname kept
                yield from (f"h:{year}:{hanzi[:i]}{hanzi[i + 1 :]}" for i in range(1, len(hanzi)))
        if query and form.han:
            continue  # Han characters carry no letter slip
        words = normalise_name(form.raw).canonical.split()
        for compact in form.compacts[:1] if query else form.compacts:
            if not compact:
                continue
            yield f"w:{year}:{compact}"
            if query and not form.syllabic:
                yield from (f"w:{year}:{v}" for v in _one_edit(compact))
        if len(words) >= 3:
            for i in range(len(words)):
                yield f"w:{year}:{''.join(words[:i] + words[i + 1 :])}"


def _one_edit(word: str) -> set[str]:
    """Every string one letter edit from `word`: a letter dropped, changed or added, or two
    adjacent letters swapped."""
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}
    out.update(word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        out.update(head + c + tail for c in _LETTERS)
        if tail:
            out.update(head + c + tail[1:] for c in _LETTERS)
    out.discard(word)
    return out


def _folded(name: str) -> str:
    return "".join(name.split()).casefold()


def written_as_listed(name: str, entry: PersonEntry) -> bool:
    """Whether a record writes the name as the list does, a listed alias included (case and
    spaces aside): one comparison level below "the same name" (`posterior`)."""
    folded = _folded(name)
    return bool(folded) and any(folded == _folded(n) for n in (entry.name, *entry.aliases))


class _ListCounts:
    """How common names and birth dates are among a set of listed persons."""

    def __init__(self) -> None:
        self.names: Counter[str] = Counter()  # "h:" + Han characters, "r:" + reading, "w:" …
        self.dates: Counter[str] = Counter()
        self.years: Counter[str] = Counter()
        self.months: Counter[str] = Counter()  # "YYYYMM"
        self.short: Counter[str] = Counter()  # "YYMMDD", for a two-digit year
        self.dated = 0  # persons listed with at least a birth year
        self.full_dates = 0  # of them, with the full date
        # the syllables (or words) of the listed readings, for how common a reading is
        self.syllables: Counter[str] = Counter()
        self.syllable_total = 0
        self.name_lengths: Counter[int] = Counter()  # readings by their number of syllables

    def count(self, person: ListedPerson, step: int) -> None:
        for key in {key for f in person.names for key in f.count_keys}:
            self.names[key] += step
        for tokens in {tuple(f.reading.split()) for f in person.names}:
            for token in tokens:
                self.syllables[token] += step
            self.syllable_total += step * len(tokens)
            self.name_lengths[len(tokens)] += step
        if len(person.birth) == 8:
            self.dates[person.birth] += step
            self.full_dates += step
            self.short[person.birth[2:]] += step
        if len(person.birth) >= 6 and not person.birth.startswith("~"):
            self.months[person.birth[:6]] += step
        if person.birth:
            self.years[person.birth[:4]] += step
            self.dated += step

    def chance_agreements(
        self, name_key: str, birth: str, listed_birth: str
    ) -> tuple[float, float]:
        """(listed persons under this name key, how many of them are expected to agree with
        `birth` as well as `listed_birth` does, by chance), assuming name and birth date are
        independent."""
        namesakes = (
            self.reading_frequency(name_key[2:])
            if name_key.startswith("t:")
            else float(self.names[name_key])
        )
        return namesakes, namesakes * self.date_share(birth, listed_birth)

    def date_share(self, birth: str, listed_birth: str) -> float:
        """The share of listed persons whose birth date agrees with `birth` as well as
        `listed_birth` does (the u-probability of that birth-date level for this value);
        1.0 when either is unknown."""
        dated = self.dated
        level = date_level(birth, listed_birth)
        if level == "exact" and len(birth) == 8:
            seen, prior = self.dates[birth], 1 / DAYS_PRIOR
        elif level in ("digit", "transposed"):
            near = plausible_neighbours(birth, level)
            seen = sum(self.dates[d] for d in near)
            prior = len(near) / DAYS_PRIOR
        elif level in ("swapped_day_month", "lunar"):
            seen, prior = self.dates[listed_birth], 1 / DAYS_PRIOR
        elif level == "two_digit_year":  # any century on the list
            seen, prior = self.short[listed_birth[2:]], 1 / DAYS_PRIOR
        elif level == "year_month":
            seen, prior = self.months[birth[:6]], 30 / DAYS_PRIOR
        elif level in ("year", "exact"):
            seen, prior = (
                self.years[(listed_birth if len(listed_birth) >= 4 else birth)[:4]],
                365 / DAYS_PRIOR,
            )
            if birth.startswith("~") or listed_birth.startswith("~"):
                full = listed_birth if not listed_birth.startswith("~") else birth
                seen = sum(self.years[c + full[2:4]] for c in ("19", "20"))
        else:
            return 1.0
        # the list's own birth dates, shrunk towards a uniform spread for a short list
        return (seen + PRIOR_WEIGHT * prior) / (dated + PRIOR_WEIGHT)

    def reading_frequency(self, reading: str) -> float:
        """How many listed persons are expected to bear this reading (space-separated
        syllables or words, in any order), from how common names of that length and each of
        its syllables are on the list, taken as independent."""
        tokens = reading.split()
        if not tokens:
            return 0.0
        expected = self.name_lengths[len(tokens)] * float(math.factorial(len(tokens)))
        for times in Counter(tokens).values():
            expected /= math.factorial(times)
        for token in tokens:
            expected *= (self.syllables[token] + 0.5) / (self.syllable_total + 1)
        return expected


class WatchlistIndex:
    """All lawful entries of the watchlists, keyed for fast screening."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._persons: dict[str, ListedPerson] = {}
        self._blocks: dict[str, list[str]] = {}
        self._objects: dict[str, set[str]] = {}  # "vin:…", "imei:…" → entry ids
        # how common names and birth dates are on the list, for the chance of agreement: among
        # all listed persons, and among those listed without an identity number, the only
        # ones a record with a valid number can match by name and birth date
        self._counts = _ListCounts()
        self._unnumbered = _ListCounts()
        self._unnumbered_total = 0
        self._lock = threading.Lock()
        # the chance check's m-probabilities and cuts: the hand-set priors until data
        # re-estimates them (`vigil.screening.weights`)
        self.weights: Weights = DEFAULT_WEIGHTS

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    # updates --------------------------------------------------------------------------

    def add(self, entry: Entry, now: datetime | None = None) -> None:
        """List an entry (replacing one with the same id). Raises UnlawfulEntry.

        `now` defaults to the wall clock; screening re-checks expiry with its own `now`."""
        problem = entry_problem(entry, now or utcnow())
        if problem:
            raise UnlawfulEntry(f"watchlist entry {entry.entry_id or '?'} rejected: {problem}")
        with self._lock:
            if entry.entry_id in self._entries:
                self._unlink(entry.entry_id)
            self._entries[entry.entry_id] = entry
            for key in self._keys_of(entry):
                if isinstance(entry, PersonEntry):
                    self._blocks.setdefault(key, []).append(entry.entry_id)
                else:
                    self._objects.setdefault(key, set()).add(entry.entry_id)

    def remove(self, entry_id: str) -> bool:
        with self._lock:
            if entry_id not in self._entries:
                return False
            self._unlink(entry_id)
            return True

    def purge_expired(self, now: datetime) -> list[str]:
        """Drop entries whose legal basis has lapsed; returns their ids (for the audit)."""
        expired = [
            e.entry_id
            for e in list(self._entries.values())
            if not e.legal_basis.valid_at(now, expiry_required=isinstance(e, PersonEntry))
        ]
        for entry_id in expired:
            self.remove(entry_id)
        return expired

    def _keys_of(self, entry: Entry) -> list[str]:
        if isinstance(entry, PersonEntry):
            forms = tuple(
                f for f in (name_form(n) for n in (entry.name, *entry.aliases)) if f is not None
            )
            expires = entry.legal_basis.expires
            person = ListedPerson(
                entry, forms, birth_digits(entry.birth_date), as_utc(expires) if expires else None
            )
            if entry.entry_id not in self._persons:
                self._count(person, +1)
            self._persons[entry.entry_id] = person
            return sorted(set(_person_keys(forms, person.birth, entry.id_hash, query=False)))
        if isinstance(entry, PropertyEntry):
            keys = [f"serial:{serial_key(entry.serial)}" if entry.serial.strip() else ""]
            keys.append(f"imei:{imei_key(entry.imei)}" if imei_key(entry.imei) else "")
            if not imei_key(entry.imei) and entry.imei.strip():
                keys.append(f"serial:{serial_key(entry.imei)}")
            return [k for k in keys if k]
        keys = [f"vin:{vin_key(entry.vin)}" if entry.vin.strip() else ""]
        keys.append(f"plate:{plate_key(entry.plate)}" if entry.plate.strip() else "")
        return [k for k in keys if k]

    def _unlink(self, entry_id: str) -> None:
        entry = self._entries.pop(entry_id)
        for key in self._keys_of(entry):
            if isinstance(entry, PersonEntry):
                ids = self._blocks.get(key, [])
                if entry_id in ids:
                    ids.remove(entry_id)
                if not ids:
                    self._blocks.pop(key, None)
            else:
                members = self._objects.get(key, set())
                members.discard(entry_id)
                if not members:
                    self._objects.pop(key, None)
        person = self._persons.pop(entry_id, None)
        if person is not None:
            self._count(person, -1)

    def _count(self, person: ListedPerson, step: int) -> None:
        self._counts.count(person, step)
        if not person.entry.id_hash:
            self._unnumbered.count(person, step)
            self._unnumbered_total += step

    def chance_agreements(
        self, name_key: str, birth: str, listed_birth: str, *, unnumbered: bool = False
    ) -> tuple[float, float]:
        """`_ListCounts.chance_agreements` among all listed persons, or among those listed
        without an identity number (`unnumbered`)."""
        counts = self._unnumbered if unnumbered else self._counts
        return counts.chance_agreements(name_key, birth, listed_birth)

    # screening ------------------------------------------------------------------------

    def screen(
        self, record: ScreeningRecord, now: datetime, threshold: float = DEFAULT_THRESHOLD
    ) -> list[Match]:
        """Matches of one record against entries lawful at `now`, best first."""
        matches = self._screen_objects(record, now)
        if record.name or record.id_hash:
            matches.extend(self._screen_person(record, now, threshold))
        return sorted(matches, key=lambda m: -m.score)

    def candidates(self, record: ScreeningRecord) -> set[str]:
        """Entry ids sharing a blocking key with the record (exposed for benchmarks).

        The birth date its identity number embeds replaces the stated one, so that a slip in
        the stated birth date does not hide the listed person."""
        form = name_form(record.name) if record.name else None
        forms = (form,) if form else ()
        confirmed = bool(record.id_birth_date)
        birth = record.id_birth_date or birth_digits(record.birth_date)
        found: set[str] = set()
        for key in _person_keys(forms, birth, record.id_hash, query=True, confirmed=confirmed):
            ids = self._blocks.get(key)
            if ids and (len(ids) <= MAX_BLOCK or key.startswith("i:")):
                found.update(ids)
        if not birth:
            found.update(self._undated_candidates(forms))
        return found

    def _undated_candidates(self, forms: tuple[NameForm, ...]) -> set[str]:
        """For a record without a birth date (no evidence either way): the listed persons of
        its phonetic name born in any year, unless there are more than MAX_BLOCK of them."""
        found: set[str] = set()
        for key in {key for form in forms for key in form.phonetic}:
            named: list[str] = []
            for year, listed in self._counts.years.items():
                if listed > 0:
                    named.extend(self._blocks.get(f"y:{year}:{key}", ()))
                    if len(named) > MAX_BLOCK:
                        break
            if len(named) <= MAX_BLOCK:
                found.update(named)
        return found

    def _lawful(self, entry: Entry, now: datetime) -> bool:
        return entry.legal_basis.valid_at(now, expiry_required=isinstance(entry, PersonEntry))

    def screen_settings(
        self, record: ScreeningRecord, now: datetime, settings: list[tuple[float, Weights]]
    ) -> list[list[Match]]:
        """The person matches of one record under each (threshold, weights) setting, exactly
        as `screen` with those settings would find them (the first pass runs once, at the
        lowest threshold, since what it keeps at a higher one is a subset). For benchmarks
        that choose a threshold on one data set and report it on another."""
        if not (record.name or record.id_hash) or not settings:
            return [[] for _ in settings]
        low = min(t for t, _ in settings)
        form, birth, kept = self._first_pass(record, now, low)
        out = []
        for threshold, weights in settings:
            subset = [k for k in kept if k[4] >= threshold]
            matches = self._second_pass(record, form, birth, subset, threshold, weights)
            out.append(sorted(matches, key=lambda m: -m.score))
        return out

    def comparisons(self, record: ScreeningRecord, now: datetime) -> list[tuple[str, float, str]]:
        """The pairs that `vigil.screening.weights` estimates m from: the record against each
        candidate whose name agrees with it (the same name, in any script or romanisation:
        the pairs are blocked on the name) and whose birth date agrees at any level short of
        "differ" (blocking finds those). Each as (birth-date level, its u-probability for
        this value, counted on the list, identity-number level)."""
        if not record.name:
            return []
        _, birth, kept = self._first_pass(record, now, NAME_WEIGHT * 0.95)
        out = []
        for person, _, name_score, _, _ in kept:
            if name_score < 0.95 - 1e-9:
                continue
            level = date_level(record.id_birth_date or birth, person.birth)
            if level == "differ":
                continue
            share = self._counts.date_share(record.id_birth_date or birth, person.birth)
            out.append((level, share, id_level(record.id_hash, person.entry.id_hash)))
        return out

    def pairs(
        self, record: ScreeningRecord, now: datetime, *, controls: bool = False
    ) -> list[Pair]:
        """The record's candidate pairs for the posterior decision (`vigil.screening.posterior`):
        each listed person whose score before the qualifiers reaches `PAIR_FLOOR`, with the
        pair's name, birth-date and identity-number levels and the listed persons expected to
        agree with the record as well by chance (counted among those without a number for a
        record with a valid one), at least the other candidates that agree as well. With
        `controls`, also the known non-matches (two valid numbers that differ) whose score
        before the qualifiers reaches `CONTROL_FLOOR` (`posterior.fit(use_controls=True)`)."""
        if not (record.name or record.id_hash):
            return []
        floor = CONTROL_FLOOR - ID_CONFLICT_PENALTY if controls else PAIR_FLOOR
        form, birth, found = self._first_pass(record, now, floor)
        kept = [k for k in found if k[4] >= PAIR_FLOOR]
        counts = self._unnumbered if record.id_hash else self._counts
        id_birth = record.id_birth_date
        out = []
        for person, same_id, name_score, date_score, score in found:
            level = pair_level(birth, id_birth, person.birth)
            # the dates' own relation (a slip the number rules out is still a near date)
            klass = date_class(
                date_level(id_birth or birth, person.birth), id_birth or birth, person.birth
            )
            conflict = bool(record.id_hash and person.entry.id_hash) and not same_id
            if score < PAIR_FLOOR and not (conflict and klass < len(DATE_CLASSES)):
                continue
            # the similarity itself (the first pass's is rounded: 0.9 would miss its keys)
            similarity, _, matched = best_name(form, person)
            if form is not None and matched is not None:
                expected = expected_chance(
                    form,
                    matched,
                    similarity,
                    id_birth or birth,
                    person.birth,
                    counts.chance_agreements,
                )
            else:
                expected = float(len(self._persons))
            others = sum(
                other is not person and n >= name_score - 1e-9 and d >= date_score
                for other, _, n, d, _ in kept
            )
            out.append(
                Pair(
                    person.entry.entry_id,
                    NAME_LEVELS.index(name_level(name_score)),
                    pair_date(level, person.birth),
                    ID_LEVELS.index(id_level(record.id_hash, person.entry.id_hash)),
                    max(expected, float(others)),
                    same_id or (date_score == 1.0 and name_score >= 0.95 - 1e-9),
                    0.0 < date_score < 1.0,
                    date_form(id_birth or birth),
                    klass,
                    written_as_listed(record.name, person.entry),
                )
            )
        return out

    def screen_batch(
        self,
        records: list[ScreeningRecord],
        now: datetime,
        threshold: float | None = None,
        priors: PosteriorModel = POSTERIOR_PRIORS,
        budget_per_k: float = FALSE_ALERT_BUDGET,
        min_batch: int = MIN_BATCH,
    ) -> tuple[list[list[Match]], PosteriorModel]:
        """The posterior decision (`vigil.screening.posterior.decide_batch`) on a batch of
        records: m and the share of matches estimated by EM on the batch itself, then each
        record's person matches whose posterior probability reaches the threshold (the
        match's score is that probability). The threshold is `threshold` when given, else the
        lowest that keeps the batch's expected false alerts within `budget_per_k` per 1,000
        records. A batch of fewer than `min_batch` records (one filing screened alone) is
        decided as `screen` decides it, and the priors are returned as the model."""
        if len(records) < min_batch:
            return [
                self._screen_person(r, now, DEFAULT_THRESHOLD) if r.name or r.id_hash else []
                for r in records
            ], priors
        pairs = [self.pairs(r, now, controls=USE_CONTROLS) for r in records]
        decision = decide_batch(
            pairs,
            form_shares(birth_digits(r.birth_date) for r in records if not r.id_hash),
            sum(bool(r.id_hash) for r in records) / max(len(records), 1),
            self.numbered_share(),
            self.partial_share(),
            priors,
            budget_per_k=budget_per_k,
            threshold=threshold,
        )
        model, threshold = decision.model, decision.threshold
        out: list[list[Match]] = []
        for record, ps, prob in zip(records, pairs, decision.probability, strict=True):
            chance = [float(x) for x in prob]
            by_id = dict(zip((p.entry_id for p in ps), chance, strict=True))
            matches = []
            for entry_id in decide(ps, chance, threshold):
                entry = self._entries[entry_id]
                explanation = {
                    "posterior": {
                        "score": round(by_id[entry_id], 4),
                        "detail": "posterior probability that the record is the listed "
                        f"person (EM on this batch of {len(records)} records)",
                        "threshold": round(threshold, 4),
                    }
                }
                matches.append(
                    Match(
                        record.record_id,
                        entry_id,
                        "person",
                        round(by_id[entry_id], 4),
                        explanation,
                        entry.legal_basis.reference,
                    )
                )
            out.append(sorted(matches, key=lambda m: -m.score))
        return out, model

    def partial_share(self) -> float:
        """The share of listed persons whose birth date is the year (and month) only."""
        listed = len(self._persons)
        full = self._counts.full_dates
        return (self._counts.dated - full) / listed if listed else 0.0

    def numbered_share(self) -> float:
        """The share of listed persons with an identity number on file."""
        listed = len(self._persons)
        return 1 - self._unnumbered_total / listed if listed else 0.0

    def _screen_person(
        self, record: ScreeningRecord, now: datetime, threshold: float
    ) -> list[Match]:
        form, birth, kept = self._first_pass(record, now, threshold)
        return self._second_pass(record, form, birth, kept, threshold, self.weights)

    def _first_pass(
        self, record: ScreeningRecord, now: datetime, threshold: float
    ) -> tuple[NameForm | None, str, list[tuple[ListedPerson, bool, float, float, float]]]:
        """The candidates whose score before the qualifiers reaches `threshold`, with (same
        id, name similarity, date similarity, that score)."""
        form = name_form(record.name) if record.name else None
        birth = birth_digits(record.birth_date)
        now_utc = as_utc(now)
        kept: list[tuple[ListedPerson, bool, float, float, float]] = []
        for entry_id in self.candidates(record):
            person = self._persons.get(entry_id)
            if person is None or not person.lawful_at(now_utc):
                continue
            same_id = bool(record.id_hash) and record.id_hash == person.entry.id_hash
            date_score, _ = record_birth(birth, record.id_birth_date, person.birth)
            # qualifiers only subtract: skip the name when even a perfect one falls short
            if not same_id and NAME_WEIGHT + BIRTH_DATE_WEIGHT * date_score < threshold:
                continue
            score, explanation = score_person(
                form, birth, record.id_hash, person, None, record.id_birth_date, below=threshold
            )
            if score >= threshold:
                name_score = explanation["name_match"]["score"] / NAME_WEIGHT
                date_score = 1.0 if same_id else date_score
                kept.append((person, same_id, name_score, date_score, score))
        return form, birth, kept

    def _second_pass(
        self,
        record: ScreeningRecord,
        form: NameForm | None,
        birth: str,
        kept: list[tuple[ListedPerson, bool, float, float, float]],
        threshold: float,
        weights: Weights,
    ) -> list[Match]:
        # A record with a valid identity number can agree by chance, by name and birth date,
        # only with listed persons who have no number on file: any other is matched or ruled
        # out by the number.
        counts = self._unnumbered if record.id_hash else self._counts
        out: list[tuple[Match, float]] = []  # with the birth-date similarity
        exact = False  # a listed person agrees exactly, by identity number or name and date
        for person, same_id, name_score, date_score, _ in kept:
            # listed persons who agree with the record as well as this one: all but one of
            # them at most agree by chance
            others = sum(
                other is not person and n >= name_score - 1e-9 and d >= date_score
                for other, _, n, d, _ in kept
            )
            score, explanation = score_person(
                form,
                birth,
                record.id_hash,
                person,
                counts.chance_agreements,
                record.id_birth_date,
                others=others,
                weights=weights,
            )
            if score >= threshold:
                exact |= same_id or (date_score == 1.0 and name_score >= 0.95 - 1e-9)
                entry = person.entry
                basis = entry.legal_basis.reference
                match = Match(record.record_id, entry.entry_id, "person", score, explanation, basis)
                out.append((match, date_score))
        # An exact agreement explains the record: its birth date is then no slip, so an
        # approximate date agreement with another listed person is no evidence for them.
        return [m for m, date_score in out if not (exact and 0.0 < date_score < 1.0)]

    def _screen_objects(self, record: ScreeningRecord, now: datetime) -> list[Match]:
        probes: list[tuple[str, str, str]] = []  # (key, feature, raw)
        probes += [(f"vin:{vin_key(v)}", "vin_match", v) for v in record.vins if v.strip()]
        probes += [(f"plate:{plate_key(p)}", "plate_match", p) for p in record.plates if p]
        for imei in record.imeis:
            if imei_key(imei):
                probes.append((f"imei:{imei_key(imei)}", "imei_match", imei))
        probes += [(f"serial:{serial_key(s)}", "serial_match", s) for s in record.serials if s]
        out: list[Match] = []
        seen: set[str] = set()
        for key, feature, raw in probes:
            for entry_id in sorted(self._objects.get(key, ())):
                entry = self._entries.get(entry_id)
                if entry is None or entry_id in seen or not self._lawful(entry, now):
                    continue
                seen.add(entry_id)
                detail = f"{raw!r} equals the listed identifier after folding case, spacing "
                detail += "and O/0, I/1, S/5 confusions"
                out.append(
                    Match(
                        record.record_id,
                        entry_id,
                        entry.kind,
                        1.0,
                        {feature: {"score": 1.0, "detail": detail}},
                        entry.legal_basis.reference,
                    )
                )
        return out
