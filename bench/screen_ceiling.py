"""How far can person screening go on a set? A ceiling study (issue #23, acceptance 1).

    .venv/bin/python bench/screen_ceiling.py --fit b:1 b:2 b:3 --report b:4
    .venv/bin/python bench/screen_ceiling.py --fit a:1 a:2 c:1 --choose a:3 --report b:4
    nice -n 10 .venv/bin/python bench/screen_ceiling.py --fit b:1 b:2 b:3 --report b:11:1000000

For each set and seed (`SET:SEED`, sets a, b, c of bench/screen.py; never d, the clean hold-out)
the study screens the records against the list and keeps every candidate pair the index's
blocking finds (`WatchlistIndex.candidates`, no score floor), with what is observable of it:
the posterior's `Pair` comparison vector (name, birth-date and identity-number levels, date
form and class, written as listed, the expected chance agreements), the raw name and date
similarities, the score before and after the qualifiers (the shipped score), how many listed
persons bear the name, the share of listed birth dates agreeing as well, the other candidates
that agree as well, how far apart the two birth dates are, the record's own form (script,
number, stated date against the number's), and the posterior probability the shipped batch
decision gives the pair (EM on the batch). The truth of each pair is kept, and the stranger
kind of each record where the generator tells it (for analysis only, never a feature).
Collections are cached (`--cache`), as generating and indexing are the slow part.

A gradient-boosted pair classifier (scikit-learn HistGradientBoostingClassifier, fixed seed)
is fitted on the `--fit` collections. A record alerts when any of its pairs reaches the
threshold; as in bench/screen.py, a false alert is a stranger's record that alerts and recall
counts listed persons' records that alert on their own entry. Printed per `--report`
collection: the recall / false-alert curve, the most recall at <= 1 false alert per 1,000
records with the threshold chosen on that very collection (the in-distribution ceiling, an
optimistic one) and with the threshold chosen on `--choose` (when given); the shipped
posterior's budget rule at 1 per 1,000 and its own best threshold on the same collection;
the records whose listed person no candidate pair reaches (beyond any matcher of these
candidates); and the strangers that alert at the learned operating point, by kind, with the
coarse comparison vector of their best pair and how many listed persons' own records share it
(`--cells`: the vectors no threshold separates, and the recall refusing them would cost).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import screen
from vigil.names import NameForm
from vigil.screening import posterior
from vigil.screening.entries import ScreeningRecord, person_record
from vigil.screening.index import WatchlistIndex, written_as_listed
from vigil.screening.levels import ID_LEVELS, NAME_LEVELS, id_level, name_level
from vigil.screening.posterior import PAIR_FLOOR, date_class, date_form, pair_date
from vigil.screening.scoring import (
    DATE_LEVELS,
    DEFAULT_THRESHOLD,
    _chance_keys,
    best_name,
    date_level,
    expected_chance,
    pair_level,
    score_person,
)

NOW = screen.NOW
FEATURES = (
    "name_level",
    "pair_date",  # posterior.PAIR_DATES index (a confirmed date is no slip)
    "date_level",  # scoring.DATE_LEVELS index of the dates themselves
    "id_level",
    "record_form",  # posterior.DATE_FORMS index of the record's effective date
    "date_class",
    "written",
    "exact",
    "approximate_date",
    "listed_date_digits",  # 8, 6, 4 or 0
    "record_han",  # the record's name in Han characters
    "record_numbered",
    "stated_conflicts_id",  # the stated date disagrees with the one the number embeds
    "listed_aliases",
    "name_similarity",
    "date_similarity",
    "score_before_qualifiers",
    "shipped_score",
    "weak_evidence",
    "common_name",
    "log_expected",
    "log_namesakes",
    "log_date_share",
    "others",
    "year_gap",  # -1 when either side has no year
    "day_gap",  # -1 unless both sides have the full date
    "candidates",  # of the record, from blocking
    "rank",  # of the pair by score before qualifiers within the record (0: best)
    "best_other_score",
    "posterior",  # the shipped batch decision's probability (-1: not one of its pairs)
)
F = {name: i for i, name in enumerate(FEATURES)}
# The coarse comparison vector that tells how many listed persons' own records look the same.
CELL = ("name_level", "pair_date", "id_level", "written", "record_form", "listed_date_digits")


@dataclass
class Collection:
    """One set and seed: every candidate pair and each record's truth."""

    name: str
    x: np.ndarray  # pairs × FEATURES
    pair_record: np.ndarray  # the record of each pair
    pair_true: np.ndarray  # the pair is the record's own listed person
    posterior_alert: np.ndarray  # the pair alerts under the shipped budget rule at 1 per 1,000
    shipped_alert: np.ndarray  # the pair alerts under the shipped score at its threshold
    is_match: np.ndarray  # per record
    truth_candidate: np.ndarray  # per record: its listed person is among the candidates
    kind: np.ndarray  # per record: "match" or the stranger kind ("random" where untold)
    corruption: np.ndarray  # per record

    @property
    def records(self) -> int:
        return len(self.is_match)


def _log(value: float) -> float:
    return math.log10(max(value, 1e-9))


def _gaps(a: str, b: str) -> tuple[float, float]:
    """(years apart, days apart) of two canonical birth dates; -1 where unknown."""
    if not a or not b or a.startswith("~") or b.startswith("~"):
        return -1.0, -1.0
    year = abs(int(a[:4]) - int(b[:4]))
    if len(a) == len(b) == 8:
        try:
            da = date(int(a[:4]), int(a[4:6]), int(a[6:]))
            db = date(int(b[:4]), int(b[4:6]), int(b[6:]))
        except ValueError:
            return float(year), -1.0
        return float(year), float(abs((da - db).days))
    return float(year), -1.0


def _stated_conflict(birth: str, id_birth: str) -> bool:
    return bool(id_birth and birth and not id_birth.startswith(birth.lstrip("~")[:4]))


def record_features(
    index: WatchlistIndex, record: ScreeningRecord
) -> tuple[list[str], list[list[float]]]:
    """Every blocking candidate of the record: (entry ids, feature rows)."""
    if not (record.name or record.id_hash):
        return [], []
    form, birth, kept = index._first_pass(record, NOW, 0.0)
    floor = [k for k in kept if k[4] >= PAIR_FLOOR]
    counts = index._unnumbered if record.id_hash else index._counts
    id_birth = record.id_birth_date
    effective = id_birth or birth
    by_score = sorted(range(len(kept)), key=lambda i: -kept[i][4])
    rank = {i: r for r, i in enumerate(by_score)}
    ids, rows = [], []
    n_candidates = float(len(kept))
    for i, (person, same_id, name_score, date_score, score) in enumerate(kept):
        similarity, _, matched = best_name(form, person)
        raw_level = date_level(effective, person.birth)
        level = pair_level(birth, id_birth, person.birth)
        expected, namesakes = _chance(index, counts, form, matched, similarity, effective, person)
        others = sum(
            other is not person and n >= name_score - 1e-9 and d >= date_score
            for other, _, n, d, _ in floor
        )
        shipped, explanation = score_person(
            form,
            birth,
            record.id_hash,
            person,
            counts.chance_agreements,
            id_birth,
            others=others,
        )
        year_gap, day_gap = _gaps(effective, person.birth)
        best_other = max((k[4] for j, k in enumerate(kept) if j != i), default=0.0)
        ids.append(person.entry.entry_id)
        rows.append(
            [
                NAME_LEVELS.index(name_level(name_score)),
                pair_date(level, person.birth),
                DATE_LEVELS.index(raw_level),
                ID_LEVELS.index(id_level(record.id_hash, person.entry.id_hash)),
                date_form(effective),
                date_class(raw_level, effective, person.birth),
                written_as_listed(record.name, person.entry),
                same_id or (date_score == 1.0 and name_score >= 0.95 - 1e-9),
                0.0 < date_score < 1.0,
                len(person.birth.lstrip("~")) if person.birth else 0,
                bool(form is not None and form.han),
                bool(record.id_hash),
                _stated_conflict(birth, id_birth),
                len(person.entry.aliases),
                similarity,
                date_score,
                score,
                shipped,
                "weak_evidence" in explanation,
                "common_name" in explanation,
                _log(max(expected, others)),
                _log(namesakes),
                _log(counts.date_share(effective, person.birth)),
                others,
                year_gap,
                day_gap,
                n_candidates,
                rank[i],
                best_other,
                -1.0,
            ]
        )
    return ids, rows


def _chance(
    index: WatchlistIndex,
    counts: object,
    form: NameForm | None,
    matched: NameForm | None,
    similarity: float,
    birth: str,
    person: object,
) -> tuple[float, float]:
    """(listed persons expected to agree this well by chance, listed persons bearing the
    name), as the posterior counts them."""
    listed_birth = person.birth  # type: ignore[attr-defined]
    if form is None or matched is None:
        return float(len(index._persons)), float(len(index._persons))
    chance = counts.chance_agreements  # type: ignore[attr-defined]
    expected = expected_chance(form, matched, similarity, birth, listed_birth, chance)
    keys, _, _ = _chance_keys(form, matched, similarity)
    keys = keys or [f"r:{form.reading}", f"r:{matched.reading}"]
    return expected, max(chance(key, birth, listed_birth)[0] for key in keys)


def _kinds(which: str, gen: object, listed: int, records: int, seed: int) -> tuple:
    """(list rows, record rows, each record's kind) from the set's generator."""
    if which == "b":
        rows, recs, kinds = gen.generate_with_kinds(listed, records, seed)  # type: ignore[attr-defined]
        return rows, recs, [kinds[r.record_id] for r in recs]
    if which == "c":
        rows, recs, kinds = gen.generate_with_kinds(listed, records, seed)  # type: ignore[attr-defined]
        return rows, recs, [k or "match" for k in kinds]
    screen._ISSUED.clear()  # generator A keeps issued numbers across calls
    rows, recs = gen.generate(listed, records, seed)  # type: ignore[attr-defined]
    return rows, recs, ["match" if r.truth else "random" for r in recs]


def collect(which: str, seed: int, listed: int, n_records: int) -> Collection:
    if which == "d":
        raise SystemExit("set D is the clean hold-out: not used here")
    t0 = time.perf_counter()
    gen = screen.load_generator(which)
    rows, recs, kinds = _kinds(which, gen, listed, n_records, seed)
    index, _ = screen.build_index(rows)
    records = [
        person_record(r.record_id, r.name, r.birth_date, r.id_number, screen.id_hash) for r in recs
    ]
    xs: list[list[float]] = []
    pair_record: list[int] = []
    pair_true: list[bool] = []
    shipped_alert: list[bool] = []
    truth_candidate = []
    post_pairs = []
    where: dict[tuple[int, str], int] = {}
    for r, (row, record) in enumerate(zip(recs, records, strict=True)):
        ids, feats = record_features(index, record)
        shipped = {m.entry_id for m in index._screen_person(record, NOW, DEFAULT_THRESHOLD)}
        for entry_id, feat in zip(ids, feats, strict=True):
            where[(r, entry_id)] = len(xs)
            xs.append(feat)
            pair_record.append(r)
            pair_true.append(entry_id == row.truth)
            shipped_alert.append(entry_id in shipped)
        truth_candidate.append(bool(row.truth) and row.truth in ids)
        post_pairs.append(index.pairs(record, NOW, controls=posterior.USE_CONTROLS))
    x = np.array(xs, dtype=np.float64).reshape(-1, len(FEATURES))
    decision = posterior.decide_batch(
        post_pairs,
        posterior.form_shares(screen.birth_digits(r.birth_date) for r in records if not r.id_hash),
        sum(bool(r.id_hash) for r in records) / len(records),
        index.numbered_share(),
        index.partial_share(),
    )
    posterior_alert = np.zeros(len(xs), dtype=bool)
    for r, (ps, prob) in enumerate(zip(post_pairs, decision.probability, strict=True)):
        for p, q in zip(ps, prob, strict=True):
            if (r, p.entry_id) in where:
                x[where[(r, p.entry_id)], F["posterior"]] = float(q)
        for entry_id in posterior.decide(ps, list(prob), decision.threshold):
            posterior_alert[where[(r, entry_id)]] = True
    print(
        f"  collected {which}:{seed} ({listed:,} listed, {n_records:,} records): {len(xs):,} "
        f"pairs in {time.perf_counter() - t0:.0f} s; budget threshold {decision.threshold:.4f}",
        flush=True,
    )
    return Collection(
        f"{which}:{seed}",
        x,
        np.array(pair_record, dtype=np.int64),
        np.array(pair_true, dtype=bool),
        posterior_alert,
        np.array(shipped_alert, dtype=bool),
        np.array([r.truth is not None for r in recs], dtype=bool),
        np.array(truth_candidate, dtype=bool),
        np.array(kinds),
        np.array([r.corruption for r in recs]),
    )


def load(spec: str, args: argparse.Namespace) -> Collection:
    """A collection (SET:SEED, or SET:SEED:LISTED for another list size than --listed) from
    the cache, or collected and cached."""
    which, seed, *size = spec.split(":")
    listed = int(size[0]) if size else args.listed
    path = os.path.join(args.cache, f"{which}_{seed}_{listed}_{args.records}.npz")
    if os.path.exists(path):
        z = np.load(path)
        return Collection(spec, *(z[f] for f in _FIELDS))
    c = collect(which, int(seed), listed, args.records)
    os.makedirs(args.cache, exist_ok=True)
    np.savez_compressed(path, **{f: getattr(c, f) for f in _FIELDS})
    return c


_FIELDS = (
    "x",
    "pair_record",
    "pair_true",
    "posterior_alert",
    "shipped_alert",
    "is_match",
    "truth_candidate",
    "kind",
    "corruption",
)


# --- record-level evaluation ------------------------------------------------------------


def record_scores(c: Collection, pair_score: np.ndarray) -> np.ndarray:
    """Each record's score: for a listed person's record, its own pair's (it alerts on its
    own entry); for a stranger's, its best pair's. -inf where there is none."""
    out = np.full(c.records, -np.inf)
    own = c.pair_true | ~c.is_match[c.pair_record]
    np.maximum.at(out, c.pair_record[own], pair_score[own])
    return out


@dataclass
class Point:
    threshold: float
    recall: float
    false_per_k: float


def curve(c: Collection, scores: np.ndarray) -> list[Point]:
    """Recall and false alerts per 1,000 records at every distinct threshold."""
    match = scores[c.is_match]
    stranger = np.sort(scores[~c.is_match])
    n_match = max(1, int(c.is_match.sum()))
    out = []
    for t in np.unique(scores[np.isfinite(scores)])[::-1]:
        false = len(stranger) - np.searchsorted(stranger, t, side="left")
        out.append(Point(float(t), float((match >= t).sum()) / n_match, 1000 * false / c.records))
    return out


def at_threshold(c: Collection, scores: np.ndarray, t: float) -> Point:
    n_match = max(1, int(c.is_match.sum()))
    recall = float((scores[c.is_match] >= t).sum()) / n_match
    return Point(t, recall, 1000 * float((scores[~c.is_match] >= t).sum()) / c.records)


def best_under(points: list[Point], limit: float = 1.0) -> Point:
    ok = [p for p in points if p.false_per_k <= limit]
    return max(ok, key=lambda p: (p.recall, -p.false_per_k)) if ok else Point(1.0, 0.0, 0.0)


def alert_outcome(c: Collection, pair_alert: np.ndarray) -> Point:
    """Recall and false alerts of a decision given per pair."""
    return at_threshold(c, record_scores(c, pair_alert.astype(np.float64)), 0.5)


# --- the classifier -----------------------------------------------------------------------


def fit(collections: list[Collection], features: list[int]) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.concatenate([c.x[:, features] for c in collections])
    y = np.concatenate([c.pair_true for c in collections])
    categorical = [FEATURES[i] in _CATEGORICAL for i in features]
    model = HistGradientBoostingClassifier(
        max_iter=400,
        learning_rate=0.05,
        max_leaf_nodes=31,
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=np.array(categorical),
        random_state=0,
    )
    model.fit(x, y)
    return model


_CATEGORICAL = {"name_level", "pair_date", "date_level", "id_level", "record_form", "date_class"}


def predict(model: object, c: Collection, features: list[int]) -> np.ndarray:
    if not len(c.x):
        return np.zeros(0)
    return np.asarray(model.predict_proba(c.x[:, features])[:, 1])  # type: ignore[attr-defined]


GOAL_RECALL = 0.99
# Strangers per listed person's own record above which a coarse vector counts as ambiguous:
# twice the goal's rate (1 false alert per 1,000 records against 20 matches per 1,000).
AMBIGUOUS_RATIO = 0.1

# --- report -------------------------------------------------------------------------------


def print_curve(points: list[Point], limits: tuple[float, ...] = (0.25, 0.5, 1, 2, 5, 10)) -> None:
    print(
        "    " + "  ".join(f"@{lim:g}/1k: {best_under(points, lim).recall:.4f}" for lim in limits)
    )


def cell_of(row: np.ndarray) -> tuple[int, ...]:
    return tuple(int(row[F[f]]) for f in CELL)


def describe_cell(cell: tuple[int, ...]) -> str:
    name, pdate, ids, written, form, listed = cell
    return (
        f"name {NAME_LEVELS[name]}{' (as listed)' if written else ''}, date "
        f"{posterior.PAIR_DATES[pdate]}, id {ID_LEVELS[ids]}, record date "
        f"{posterior.DATE_FORMS[form]}, listed date {listed} digits"
    )


def cells_report(
    train: list[Collection], c: Collection, pair_score: np.ndarray, threshold: float, top: int
) -> None:
    """The strangers alerting at `threshold`: by kind, and by the coarse vector of their best
    pair, with how many listed persons' own records (training collections) share it."""
    true_cells: Counter[tuple[int, ...]] = Counter()
    for t in train:
        for row in t.x[t.pair_true]:
            true_cells[cell_of(row)] += 1
    n_true = sum(true_cells.values())
    best: dict[int, int] = {}
    for i, r in enumerate(c.pair_record):
        if not c.is_match[r] and (r not in best or pair_score[i] > pair_score[best[r]]):
            best[r] = i
    alerting = {r: i for r, i in best.items() if pair_score[i] >= threshold}
    by_kind = Counter(str(c.kind[r]) for r in alerting)
    print(f"    false alerts at threshold {threshold:.4f} by stranger kind: {dict(by_kind)}")
    by_cell: dict[tuple[int, ...], Counter[str]] = defaultdict(Counter)
    for r, i in alerting.items():
        by_cell[cell_of(c.x[i])][str(c.kind[r])] += 1
    test_true: Counter[tuple[int, ...]] = Counter(cell_of(row) for row in c.x[c.pair_true])
    n_match = int(c.is_match.sum())
    print(
        "    their best pair's coarse vector (name, date, id, record date form, listed date);"
        " true pairs with it in training (share of all true pairs), in this collection:"
    )
    for cell, kinds in sorted(by_cell.items(), key=lambda kv: -sum(kv[1].values()))[:top]:
        print(
            f"      {sum(kinds.values()):4d} false  {dict(kinds)}\n"
            f"           {describe_cell(cell)}; true in training {true_cells[cell]}"
            f" ({true_cells[cell] / max(1, n_true):.4f}), here {test_true[cell]}"
            f" (refusing it costs recall {test_true[cell] / max(1, n_match):.4f})"
        )
    shared = [cell for cell in by_cell if true_cells[cell] >= 10]
    hidden = sum(sum(by_cell[cell].values()) for cell in shared)
    print(f"    {hidden} of {len(alerting)} have a vector that >= 10 true training pairs share")


def best_pairs(c: Collection) -> dict[int, int]:
    """Each stranger record's best pair by the score before the qualifiers (model-free)."""
    key = c.x[:, F["score_before_qualifiers"]] + 1e-3 * c.x[:, F["posterior"]]
    best: dict[int, int] = {}
    for i, r in enumerate(c.pair_record):
        if not c.is_match[r] and (r not in best or key[i] > key[best[r]]):
            best[r] = i
    return best


def ambiguous_cells(train: list[Collection], c: Collection, ratio: float, top: int) -> None:
    """The coarse vectors that strangers (by their best pair) show at least `ratio` times per
    listed person's own record on the training collections, with at least 10 of the latter:
    vectors no matcher of these fields can admit without that many false alerts per match
    gained (the goal allows 1 per 1,000 records against 20 matches per 1,000: 0.05). Printed:
    each such vector's true pairs and strangers here, by kind, and what refusing them all
    costs."""
    true_n: Counter[tuple[int, ...]] = Counter()
    false_n: Counter[tuple[int, ...]] = Counter()
    for t in train:
        true_n.update(cell_of(row) for row in t.x[t.pair_true])
        false_n.update(cell_of(t.x[i]) for i in best_pairs(t).values())
    shared = {cell for cell, n in true_n.items() if n >= 10 and false_n[cell] >= ratio * n}
    here_true: Counter[tuple[int, ...]] = Counter(cell_of(row) for row in c.x[c.pair_true])
    here_false: dict[tuple[int, ...], Counter[str]] = defaultdict(Counter)
    for r, i in best_pairs(c).items():
        if cell_of(c.x[i]) in shared:
            here_false[cell_of(c.x[i])][str(c.kind[r])] += 1
    n_match = max(1, int(c.is_match.sum()))
    lost = sum(here_true[cell] for cell in shared)
    kinds: Counter[str] = Counter()
    for k in here_false.values():
        kinds.update(k)
    print(
        f"  vectors with >= {ratio:g} strangers per true pair in training ({len(shared)}):"
        f" here {lost} true pairs (refusing them all costs recall {lost / n_match:.4f}) and"
        f" {sum(kinds.values())} strangers by kind {dict(kinds)}"
    )
    order = sorted(shared, key=lambda cell: -here_true[cell] - sum(here_false[cell].values()))
    for cell in order[:top]:
        print(
            f"      true {here_true[cell]:3d}, strangers {sum(here_false[cell].values()):4d}"
            f" {dict(here_false[cell])}; training {true_n[cell]} / {false_n[cell]}:"
            f" {describe_cell(cell)}"
        )


def coarse_ceiling(train: list[Collection], c: Collection) -> None:
    """The ceiling of the coarse vector alone: each cell's true-pair share on the training
    collections ranks the cells, and a record alerts on its best-ranked pair."""
    true_n: Counter[tuple[int, ...]] = Counter()
    all_n: Counter[tuple[int, ...]] = Counter()
    for t in train:
        for row, is_true in zip(t.x, t.pair_true, strict=True):
            cell = cell_of(row)
            all_n[cell] += 1
            true_n[cell] += bool(is_true)
    score = np.array(
        [(true_n[cell_of(row)] + 0.01) / (all_n[cell_of(row)] + 1) for row in c.x]
    ).reshape(-1)
    pts = curve(c, record_scores(c, score))
    b = best_under(pts)
    print(f"  coarse vector only ({len(CELL)} fields): recall {b.recall:.4f} @ {b.false_per_k:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fit", nargs="+", required=True, help="SET:SEED to fit on")
    parser.add_argument(
        "--choose", nargs="*", default=[], help="SET:SEED to choose the threshold on"
    )
    parser.add_argument("--report", nargs="+", required=True, help="SET:SEED to report on")
    parser.add_argument("--listed", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--cache", default="/tmp/vigil-screen-ceiling")
    parser.add_argument("--without", nargs="*", default=[], help="features left out")
    parser.add_argument("--cells", type=int, default=8, help="coarse vectors to print")
    args = parser.parse_args()
    if any(s.startswith("d") for s in args.fit + args.choose + args.report):
        raise SystemExit("set D is the clean hold-out: not used here")
    features = [i for i, f in enumerate(FEATURES) if f not in args.without]
    train = [load(s, args) for s in args.fit]
    choose = [load(s, args) for s in args.choose]
    report = [load(s, args) for s in args.report]
    print(
        f"fit on {', '.join(args.fit)}: {sum(len(c.x) for c in train):,} pairs, "
        f"{sum(int(c.pair_true.sum()) for c in train):,} true; features left out: "
        f"{args.without or 'none'}"
    )
    model = fit(train, features)
    chosen: float | None = None
    if choose:
        # one threshold over the choosing collections pooled as one batch of records
        pooled = [(c, record_scores(c, predict(model, c, features))) for c in choose]
        scores = np.concatenate([s for _, s in pooled])
        joined = Collection(
            "+".join(args.choose),
            np.zeros((0, len(FEATURES))),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=bool),
            np.zeros(0, dtype=bool),
            np.zeros(0, dtype=bool),
            np.concatenate([c.is_match for c, _ in pooled]),
            np.concatenate([c.truth_candidate for c, _ in pooled]),
            np.concatenate([c.kind for c, _ in pooled]),
            np.concatenate([c.corruption for c, _ in pooled]),
        )
        b = best_under(curve(joined, scores))
        chosen = b.threshold
        print(
            f"threshold chosen on {joined.name}: {chosen:.5f} (there: recall {b.recall:.4f}"
            f" @ {b.false_per_k:.3f})"
        )
    for c in report:
        n_match = int(c.is_match.sum())
        print(f"== report on {c.name}: {c.records:,} records, {n_match:,} of listed persons ==")
        out_of_reach = int((c.is_match & ~c.truth_candidate).sum())
        print(
            f"  listed person not among the blocking candidates: {out_of_reach}"
            f" (recall ceiling of these candidates {1 - out_of_reach / max(1, n_match):.4f})"
        )
        shipped = alert_outcome(c, c.shipped_alert)
        post = alert_outcome(c, c.posterior_alert)
        post_pts = curve(c, record_scores(c, np.maximum(c.x[:, F["posterior"]], -1.0)))
        pb = best_under(post_pts)
        print(
            f"  shipped score (threshold {DEFAULT_THRESHOLD}): recall {shipped.recall:.4f} @ "
            f"{shipped.false_per_k:.3f}"
        )
        print(f"  posterior budget rule at 1/1k: recall {post.recall:.4f} @ {post.false_per_k:.3f}")
        print(
            f"  posterior, best threshold on this collection: recall {pb.recall:.4f} @ "
            f"{pb.false_per_k:.3f} (threshold {pb.threshold:.4f}); at other limits:"
        )
        print_curve(post_pts)
        pair_score = predict(model, c, features)
        scores = record_scores(c, pair_score)
        pts = curve(c, scores)
        best = best_under(pts)
        print(
            f"  learned, best threshold on this collection: recall {best.recall:.4f} @ "
            f"{best.false_per_k:.3f} (threshold {best.threshold:.5f}); at other limits:"
        )
        print_curve(pts)
        if chosen is not None:
            p = at_threshold(c, scores, chosen)
            print(
                f"  learned, threshold chosen on {','.join(args.choose)}: recall {p.recall:.4f}"
                f" @ {p.false_per_k:.3f}"
            )
        missed = Counter()
        for label, m, s in zip(c.corruption, c.is_match, scores, strict=True):
            if m and s < best.threshold:
                for part in str(label).split("+"):
                    missed[part] += 1
        top = dict(missed.most_common(10))
        print(f"    missed at the best threshold by corruption label: {top}")
        coarse_ceiling(train, c)
        ambiguous_cells(train, c, AMBIGUOUS_RATIO, args.cells)
        print("  the false alerts at the best threshold for <= 1/1k:")
        cells_report(train, c, pair_score, best.threshold, args.cells)
        goal = [p for p in pts if p.recall >= GOAL_RECALL]
        if goal:
            g = min(goal, key=lambda p: p.false_per_k)
            print(
                f"  the false alerts to reach recall {GOAL_RECALL} (threshold {g.threshold:.5f}:"
                f" recall {g.recall:.4f} @ {g.false_per_k:.3f}):"
            )
            cells_report(train, c, pair_score, g.threshold, args.cells)


if __name__ == "__main__":
    main()
