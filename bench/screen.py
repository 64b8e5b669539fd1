"""Person screening benchmark: recall, false alerts, speed, and two baselines.

    .venv/bin/python bench/screen.py [--listed 1000000] [--records 100000] [--workers 2]

Generated data (seeded): listed persons with Chinese names (simplified, traditional Hanzi,
pinyin) and Latin names, each with a valid CN resident id (90%) and a warrant; records of
which 2% are corrupted variants of listed persons (one corruption each, and half of them
also lose the id number), the rest other people. Identity numbers are unique, as real ones
are (an earlier version drew them from 4,000 per birth date, so at 1M listed about 1% of
records shared a listed stranger's number and "matched" them), HMAC-SHA256 hashed; one
failing its check character is treated as missing.

Seeds: the weights of `vigil.screening.index` were chosen and fitted on seeds 1 and 2 (dev).
Seed 3 (the default) and seed 4 were the test seeds of earlier settings and have since been
looked into; so has seed 5. The split of the chance-agreement cut by whether the record
carries a valid identity number was chosen on seeds 1 to 5 together, and first reported on
seeds 6 on. Report a change of settings on a seed not used before.

An alert is one record to review, holding every listed entry it matched (its hits), as
`vigil.pipeline` raises them (one per kind and owning agency; this list has one owner). A
false alert is a record whose hits are all wrong: an alert on a listed person's record that
also lists some of their namesakes is a true alert. False hits (each wrong entry of an alert)
are printed too, split: exact namesakes (same name and birth date: only an identity number or
a human can tell them apart), same reading (same toneless pinyin and birth date with one side
written only in pinyin, which cannot tell the characters apart) and other.

Baselines, in the same run: (1) RapidFuzz brute force over every listed name, timed on a
sample of records and extrapolated; (2) a yente-like logic (Jaro-Winkler on the names as
written, plus birth date and id qualifiers) over the same blocking candidates.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import multiprocessing as mp
import os
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import opencc
from faker.providers.person.en_US import Provider as EnNames
from faker.providers.person.zh_CN import Provider as ZhNames
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from vigil.demo.people import resident_id, wade_giles
from vigil.names import SURNAME_READINGS
from vigil.screening.entries import LegalBasis, PersonEntry, ScreeningRecord, person_record
from vigil.screening.index import WatchlistIndex
from vigil.screening.scoring import birth_digits

NOW = datetime(2025, 6, 1, tzinfo=UTC)
KEY = b"bench-run-key"
CORRUPTIONS = (
    "script_change",
    "traditional_simplified",
    "swapped_order",
    "joined_split_given",
    "name_typo",
    "birth_digit",
    "birth_transposed",
    "birth_year_only",
    "id_missing",
    "id_typo",
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国文辉志鹏飞鑫波斌宇浩凯健俊帆"
    "帅旭宁龙林欢阳佳怡晨欣雪琳婷慧莹颖倩楠瑶璐琪晶梦琦思嘉子轩涵睿博哲瑞泽熙晓海亮成东雷斌"
    "春燕梅丹凤金荣云莉萌雨彤诗语悦淑珍琴蓉凡"
)
_T2S = opencc.OpenCC("t2s")
_HOMOPHONE_POOL: dict[str, list[str]] = {}
_IME_SLIPS = (
    "薇卫维炜玮方仿芬纳那民敏镜景立力利莉李强墙雷蕾君俊艺燕言洁捷节娇涛韬陶名鸣铭"
    "朝潮秀绣兰岚蓝霞侠平萍屏刚钢纲桂贵英瑛鹰华桦骅玉钰宇雨语国果建健剑文雯闻辉晖慧"
)
for _c in _GIVEN + _IME_SLIPS:
    _HOMOPHONE_POOL.setdefault(lazy_pinyin(_c)[0], []).append(_c)
_S2T = opencc.OpenCC("s2t")


@dataclass(frozen=True)
class Person:
    surname: str  # Hanzi, or Latin surname
    given: str
    latin: bool
    birth: date
    id_number: str


def _weighted(mapping: object) -> tuple[list[str], list[float]]:
    items = list(mapping.items()) if hasattr(mapping, "items") else [(k, 1.0) for k in mapping]  # type: ignore[attr-defined]
    return [k for k, _ in items], [float(w) for _, w in items]


ZH_SURNAMES = _weighted(ZhNames.last_names)
EN_FIRST = _weighted(EnNames.first_names)
EN_LAST = _weighted(EnNames.last_names)


_REGIONS = ("110105", "310104", "440106", "510107")
_ISSUED: set[str] = set()  # identity numbers are unique, as real ones are


def make_person(rng: random.Random) -> Person:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    while True:
        ident = resident_id(rng.choice(_REGIONS), birth, rng.randrange(1000))
        if ident not in _ISSUED:
            _ISSUED.add(ident)
            break
    if rng.random() < 0.2:
        first = rng.choices(*EN_FIRST)[0]
        last = rng.choices(*EN_LAST)[0]
        return Person(last, first, True, birth, ident)
    surname = rng.choices(*ZH_SURNAMES)[0]
    given = "".join(rng.choice(_GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
    return Person(surname, given, False, birth, ident)


@lru_cache(maxsize=100_000)
def _readings(surname: str, given: str) -> tuple[str, tuple[str, ...]]:
    sur = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname))
    return sur, tuple(lazy_pinyin(given, style=Style.NORMAL, v_to_u=True))


def _pinyin(person: Person) -> tuple[str, list[str]]:
    sur, given = _readings(person.surname, person.given)
    return sur, list(given)


def render(person: Person, style: str) -> str:
    if person.latin:
        return (
            f"{person.given} {person.surname}"
            if style != "swapped"
            else f"{person.surname.upper()}, {person.given}"
        )
    if style == "hanzi":
        return person.surname + person.given
    if style == "traditional":
        return str(_S2T.convert(person.surname + person.given))
    sur, given = _pinyin(person)
    if style == "wade_giles":
        given_wg = "-".join(wade_giles(g) for g in given).capitalize()
        return f"{wade_giles(sur, False).capitalize()} {given_wg}"
    if style == "swapped":
        return f"{''.join(given).capitalize()} {sur.capitalize()}"
    if style == "split":
        return f"{sur.capitalize()} {' '.join(g.capitalize() for g in given)}"
    return f"{sur.capitalize()} {''.join(given).capitalize()}"


def listed_name(person: Person, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    roll = rng.random()
    style = "hanzi" if roll < 0.55 else "traditional" if roll < 0.7 else "pinyin"
    alias: tuple[str, ...] = ()
    if rng.random() < 0.3:
        alias = (render(person, "pinyin" if style != "pinyin" else "hanzi"),)
    return render(person, style), alias


def _typo(text: str, rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(rng.choice((1, 1, 2))):
        chars = list(text)
        spots = [i for i, c in enumerate(chars) if c.isalpha()]
        i = rng.choice(spots)
        if "\u4e00" <= chars[i] <= "\u9fff":
            # Hanzi typos are IME slips: one given-name character becomes a homophone, or,
            # in a three-character name, any other character. Never the whole given name.
            i = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
            sound = lazy_pinyin(chars[i])[0]
            same = [c for c in _HOMOPHONE_POOL.get(sound, ()) if c != chars[i]]
            if same and (len(chars) < 3 or rng.random() < 0.6):
                chars[i] = rng.choice(same)
            elif len(chars) >= 3:
                chars[i] = rng.choice(_GIVEN)
            return "".join(chars)
        else:
            op = rng.choice(("sub", "del", "ins", "swap"))
            if op == "sub":
                chars[i] = rng.choice(letters)
            elif op == "del" and len(spots) > 4:
                del chars[i]
            elif op == "ins":
                chars.insert(i, rng.choice(letters))
            elif i + 1 < len(chars) and chars[i + 1].isalpha():
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        text = "".join(chars)
    return text


def variant(person: Person, listed: str, rng: random.Random) -> tuple[str, str, str, str]:
    """(corruption, name, birth_date, id_number) for a corrupted record of a listed person."""
    options = (
        CORRUPTIONS
        if not person.latin
        else tuple(
            c
            for c in CORRUPTIONS
            if c not in ("script_change", "traditional_simplified", "joined_split_given")
        )
    )
    corruption = rng.choice(options)
    name = listed
    birth = person.birth.strftime("%Y-%m-%d")
    ident = person.id_number
    if corruption == "script_change":
        is_han = any("\u4e00" <= c <= "\u9fff" for c in listed)
        name = render(person, rng.choice(("pinyin", "wade_giles")) if is_han else "hanzi")
    elif corruption == "traditional_simplified":
        name = (
            str(_T2S.convert(listed))
            if listed != str(_T2S.convert(listed))
            else str(_S2T.convert(listed))
        )
        if name == listed:
            name = render(person, "traditional")
    elif corruption == "swapped_order":
        name = render(person, "swapped")
    elif corruption == "joined_split_given":
        name = render(person, "split" if len(person.given) > 1 else "pinyin")
    elif corruption == "name_typo":
        name = _typo(listed, rng)
    elif corruption in ("birth_digit", "birth_transposed"):
        d = list(person.birth.strftime("%Y%m%d"))
        if corruption == "birth_digit":
            i = rng.randrange(2, 8)
            d[i] = rng.choice([x for x in "0123456789" if x != d[i]])
        else:
            pairs = [i for i in range(2, 7) if d[i] != d[i + 1]]
            i = rng.choice(pairs) if pairs else 6
            d[i], d[i + 1] = d[i + 1], d[i]
        birth = f"{''.join(d[:4])}-{''.join(d[4:6])}-{''.join(d[6:])}"
    elif corruption == "birth_year_only":
        birth = str(person.birth.year)
    elif corruption == "id_missing":
        ident = ""
    elif corruption == "id_typo":
        i = rng.randrange(6, 17)
        ident = ident[:i] + str((int(ident[i]) + rng.randrange(1, 10)) % 10) + ident[i + 1 :]
    if corruption not in ("id_missing", "id_typo") and rng.random() < 0.5:
        ident = ""
    return corruption, name, birth, ident


_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_hash(raw: str) -> str:
    """HMAC of a valid CN id; '' when missing or when the check character fails."""
    value = raw.strip().upper()
    if len(value) != 18 or not value[:17].isdigit():
        return ""
    if (
        "10X98765432"[sum(int(c) * w for c, w in zip(value[:17], _W, strict=True)) % 11]
        != value[17]
    ):
        return ""
    return hmac.new(KEY, value.encode(), hashlib.sha256).hexdigest()


# --- Run -----------------------------------------------------------------------------------

INDEX: WatchlistIndex | None = None


@dataclass
class Listed:
    people: list[Person]
    names: list[str]
    index: WatchlistIndex
    build_s: float


@dataclass
class Records:
    records: list[ScreeningRecord]
    truth: dict[str, tuple[str, str]]  # record id → (entry id, corruption)
    persons: dict[str, Person]  # record id → the person behind it (listed or not)


def build_list(count: int, rng: random.Random) -> Listed:
    """Generate `count` listed persons, then index them; `build_s` times the indexing only."""
    people = [make_person(rng) for _ in range(count)]
    names: list[str] = []
    entries: list[PersonEntry] = []
    basis = LegalBasis("WARRANT-2025-0001", "Example District Court", NOW + timedelta(days=365))
    for i, person in enumerate(people):
        name, aliases = listed_name(person, rng)
        names.append(name)
        has_id = rng.random() < 0.9
        entries.append(
            PersonEntry(
                f"E{i:07d}",
                name,
                basis,
                aliases,
                person.birth.isoformat(),
                id_hash(person.id_number) if has_id else "",
            )
        )
    index = WatchlistIndex()
    t0 = time.perf_counter()
    for entry in entries:
        index.add(entry, NOW)
    return Listed(people, names, index, time.perf_counter() - t0)


def make_records(
    count: int, listed: Listed, rng: random.Random, variant_share: float = 0.02
) -> Records:
    records: list[ScreeningRecord] = []
    truth: dict[str, tuple[str, str]] = {}
    persons: dict[str, Person] = {}
    n = len(listed.people)
    for r in range(count):
        rid = f"R{r:07d}"
        if rng.random() < variant_share:
            k = rng.randrange(n)
            corruption, name, birth, ident = variant(listed.people[k], listed.names[k], rng)
            truth[rid] = (f"E{k:07d}", corruption)
            persons[rid] = listed.people[k]
        else:
            other = make_person(rng)
            name = render(other, rng.choice(("hanzi", "hanzi", "traditional", "pinyin")))
            birth, ident = other.birth.isoformat(), other.id_number if rng.random() < 0.95 else ""
            persons[rid] = other
        records.append(person_record(rid, name, birth, ident, id_hash))
    return Records(records, truth, persons)


def _reading(person: Person) -> tuple[str, ...]:
    if person.latin:
        return (person.surname.lower(), person.given.lower())
    sur, given = _pinyin(person)
    return (sur, *given)


def false_alert_kind(
    record_person: Person, record: ScreeningRecord, listed: Person, listed_romanised: bool
) -> str:
    """Why a record that is not the listed person still alerted on it.

    - "namesake": the same name (same characters) and the same birth date: a real namesake,
      which only an identity number or a human can tell apart;
    - "same_reading": the same birth date and the same toneless reading, with the record or
      the listed entry written only in a script (pinyin) that cannot tell the characters apart;
    - "other": everything else, the matcher's own errors.
    """
    same_birth = birth_digits(record.birth_date) == listed.birth.strftime("%Y%m%d")
    if not same_birth:
        return "other"
    if (record_person.surname, record_person.given) == (listed.surname, listed.given):
        return "namesake"
    record_romanised = not any("\u4e00" <= c <= "\u9fff" for c in record.name)
    if _reading(record_person) == _reading(listed) and (record_romanised or listed_romanised):
        return "same_reading"
    return "other"


def _screen_chunk(records: list[ScreeningRecord]) -> list[tuple[str, str, float]]:
    assert INDEX is not None
    out = []
    for record in records:
        t0 = time.perf_counter()
        matches = INDEX.screen(record, NOW)
        elapsed = time.perf_counter() - t0
        out.append((record.record_id, ",".join(m.entry_id for m in matches), elapsed))
    return out


def yente_like(index: WatchlistIndex, record: ScreeningRecord) -> list[str]:
    """Jaro-Winkler on names as written, + birth-date and id qualifiers, over the candidates."""
    hits = []
    for entry_id in index.candidates(record):
        entry = index.get(entry_id)
        assert isinstance(entry, PersonEntry)
        names = (entry.name, *entry.aliases)
        score = max(JaroWinkler.similarity(record.name.lower(), n.lower()) for n in names)
        a, b = birth_digits(record.birth_date), birth_digits(entry.birth_date)
        if a and b and a[:4] != b[:4]:
            score -= 0.15
        elif a and b and len(a) == len(b) == 8 and a != b:
            score -= 0.1
        if record.id_hash and record.id_hash == entry.id_hash:
            score = 1.0
        if score >= 0.9:
            hits.append(entry_id)
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listed", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--brute-sample", type=int, default=50)
    parser.add_argument(
        "--seed", type=int, default=3, help="data seed: tune on 1 and 2 (dev), report on 3 (test)"
    )
    parser.add_argument("--variant-share", type=float, default=0.02)
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--show-false", type=int, default=0, help="print N false alerts")
    parser.add_argument("--show-missed", type=int, default=0, help="print N missed variants")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    listed = build_list(args.listed, rng)
    generate_s = time.perf_counter() - t0 - listed.build_s
    index = listed.index
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = make_records(args.records, listed, rng, args.variant_share)
    records, truth = data.records, data.truth

    global INDEX
    INDEX = index
    chunks = [records[i : i + 1000] for i in range(0, len(records), 1000)]
    # The forked workers share the index copy-on-write; frozen, the collector never walks
    # (and so never copies) it, as a preloading server would do before forking.
    gc.freeze()
    t1 = time.perf_counter()
    with mp.get_context("fork").Pool(args.workers) as pool:
        results = [row for part in pool.imap_unordered(_screen_chunk, chunks) for row in part]
    screen_s = time.perf_counter() - t1

    by_id = {r.record_id: r for r in records}
    found: dict[str, set[str]] = {rid: set(ids.split(",")) - {""} for rid, ids, _ in results}
    latencies = sorted(x for _, _, x in results)
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000
    per_type: Counter[str] = Counter()
    per_type_hit: Counter[str] = Counter()
    false_kinds: Counter[str] = Counter()
    false_pairs: list[tuple[str, str, str]] = []
    false_alerts = 0  # records alerted on with no right hit
    for rid, ids in found.items():
        wrong = ids
        if rid in truth:
            entry_id, corruption = truth[rid]
            per_type[corruption] += 1
            per_type_hit[corruption] += entry_id in ids
            wrong = ids - {entry_id}
        false_alerts += bool(ids) and wrong == ids
        for entry_id in sorted(wrong):
            entry = index.get(entry_id)
            assert isinstance(entry, PersonEntry)
            written = "".join((entry.name, *entry.aliases))
            romanised = not any("\u4e00" <= c <= "\u9fff" for c in written)
            person = listed.people[int(entry_id[1:])]
            kind = false_alert_kind(data.persons[rid], by_id[rid], person, romanised)
            false_kinds[kind] += 1
            false_pairs.append((kind, rid, entry_id))
    false_hits = sum(false_kinds.values())
    recall = sum(per_type_hit.values()) / max(1, sum(per_type.values()))
    rate = len(records) / screen_s
    per_k = 1000 / len(records)

    print(
        f"listed persons: {args.listed:,}  records: {len(records):,}  variants: {len(truth):,}"
        f"  seed: {args.seed}"
    )
    print(
        f"index build: {listed.build_s:.1f} s ({args.listed / listed.build_s:,.0f} entries/s; "
        f"generating the data took {generate_s:.1f} s more); "
        f"peak RSS after build (data + index): {rss_mb:,.0f} MiB"
    )
    print(
        f"recall: {recall:.4f}   false alerts per 1,000 records: {per_k * false_alerts:.3f}"
        f"   false hits per 1,000 records: {per_k * false_hits:.3f}"
        f"  (exact namesakes, same name and birth date: {per_k * false_kinds['namesake']:.3f};"
        f" same reading and birth date, record romanised:"
        f" {per_k * false_kinds['same_reading']:.3f};"
        f" other: {per_k * false_kinds['other']:.3f})"
    )
    print("recall per corruption:")
    for c in CORRUPTIONS:
        if per_type[c]:
            print(
                f"  {c:24} {per_type_hit[c] / per_type[c]:.4f}  (n={per_type[c]}, "
                f"missed {per_type[c] - per_type_hit[c]})"
            )
    print(
        f"speed: {rate:,.0f} records/s on {args.workers} worker processes; "
        f"p99 {p99:.2f} ms per record"
    )
    for kind, rid, entry_id in false_pairs[: args.show_false]:
        entry = index.get(entry_id)
        assert isinstance(entry, PersonEntry)
        record = by_id[rid]
        score = next(m.score for m in index.screen(record, NOW) if m.entry_id == entry_id)
        print(
            f"  false [{kind}] {record.name} {record.birth_date} id={bool(record.id_hash)} → "
            f"{entry.name} {entry.aliases} {entry.birth_date} id={bool(entry.id_hash)} "
            f"score {score}"
        )
    missed = [rid for rid, (entry_id, _) in truth.items() if entry_id not in found[rid]]
    for rid in missed[: args.show_missed]:
        entry_id, corruption = truth[rid]
        entry = index.get(entry_id)
        assert isinstance(entry, PersonEntry)
        record = by_id[rid]
        print(
            f"  missed [{corruption}] {record.name} {record.birth_date} id={bool(record.id_hash)}"
            f" → {entry.name} {entry.aliases} {entry.birth_date} id={bool(entry.id_hash)}"
        )
    if args.no_baselines:
        return

    # baseline 2: yente-like over the same candidates (accuracy)
    y_hit = y_false = y_false_hits = 0
    for record in records:
        hits = set(yente_like(index, record))
        wrong = hits
        if record.record_id in truth:
            y_hit += truth[record.record_id][0] in hits
            wrong = hits - {truth[record.record_id][0]}
        y_false += bool(hits) and wrong == hits
        y_false_hits += len(wrong)
    # baseline 1: brute force RapidFuzz over every listed name, on a sample
    sample = rng.sample(records, min(args.brute_sample, len(records)))
    t2 = time.perf_counter()
    for record in sample:
        process.extract(
            record.name, listed.names, scorer=fuzz.token_sort_ratio, limit=5, score_cutoff=85
        )
    brute_rate = len(sample) / (time.perf_counter() - t2)
    print(
        f"baseline RapidFuzz brute force (token_sort_ratio over all {args.listed:,} names, 1 core, "
        f"timed on {len(sample)} records and extrapolated): {brute_rate:,.1f} records/s; "
        f"Vigil is {rate / args.workers / brute_rate:,.0f}x faster per core"
    )
    n_var = max(1, len(truth))
    y_recall = y_hit / n_var
    y_rate = per_k * y_false
    print(
        f"baseline yente-like (Jaro-Winkler + date/id qualifiers, same candidates): recall "
        f"{y_recall:.4f}, false alerts per 1,000 {y_rate:.3f} (false hits "
        f"{per_k * y_false_hits:.3f}); Vigil recall ratio "
        f"{recall / max(1e-9, y_recall):.2f}x, false-alert ratio "
        f"{per_k * false_alerts / max(1e-9, y_rate):.3f}x"
    )
    print(f"cpu count visible: {os.cpu_count()}")


if __name__ == "__main__":
    main()
