"""Probabilistic record linkage (Fellegi–Sunter) with EM-estimated m/u, blocking,
explanations and chaining-safe clustering.

Pure module: takes a DataFrame, returns DataFrames; no I/O.

Match weight of a pair: ω = log2(λ/(1−λ)) + Σ_i log2(m_i/u_i), where λ is the prior that a
blocked pair is a match and m_i/u_i are the probabilities of the observed agreement level of
feature i among matches/non-matches. Missing values contribute 0. The weights are about how
alike two records are, never about the person.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from vigil.registry.comparisons import (
    LEVEL_LABELS,
    MISSING,
    ComparisonKind,
    IntArray,
    PreparedColumn,
    compare,
    prepare_column,
)

__all__ = [
    "PERSON_BLOCKING",
    "PERSON_FEATURES",
    "BlockingRule",
    "Feature",
    "FeatureWeight",
    "LinkageModel",
    "Resolution",
    "block_pairs",
    "cluster_pairs",
    "compare_pairs",
    "fit_model",
    "resolve_records",
]


@dataclass(frozen=True, slots=True)
class Feature:
    """A compared field: its explanation name, input column and comparison kind."""

    name: str
    column: str
    kind: ComparisonKind


PERSON_FEATURES: tuple[Feature, ...] = (
    Feature("name", "name", "name"),
    Feature("birth_date", "birth_date", "date"),
    Feature("sex", "sex", "exact"),
    Feature("id_number", "id_number", "identifier"),
    Feature("address", "address", "address"),
    Feature("phone", "phone", "phone"),
)

# A blocking rule: names of features whose prepared values must all be equal. The special
# entries "name:keys" and "name:phonetic" use every key of the normalised name.
BlockingRule = tuple[str, ...]

PERSON_BLOCKING: tuple[BlockingRule, ...] = (
    ("name:keys",),
    ("name:phonetic",),
    ("id_number",),
    ("birth_date",),
    ("phone",),
)


@dataclass(frozen=True, slots=True)
class FeatureWeight:
    """One feature's contribution to a pair's match weight."""

    feature: str
    level: str
    weight: float  # log2(m/u); 0 when a value is missing


@dataclass
class LinkageModel:
    """Fellegi–Sunter parameters: λ and per-feature, per-level m and u probabilities."""

    features: tuple[Feature, ...]
    prior: float
    m: list[npt.NDArray[np.float64]]
    u: list[npt.NDArray[np.float64]]
    iterations: int = 0

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def level_weights(self) -> list[npt.NDArray[np.float64]]:
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]

    def weights(self, levels: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
        """Match weight ω of each row of a (pairs × features) level matrix."""
        total = np.full(len(levels), self.prior_weight)
        for f, table in enumerate(self.level_weights()):
            column = levels[:, f]
            present = column != MISSING
            total[present] += table[column[present]]
        return total

    def explain(self, levels: Sequence[int]) -> list[FeatureWeight]:
        """Per-feature weights of one pair; they sum with `prior_weight` to ω."""
        explanation = []
        for feature, table, level in zip(self.features, self.level_weights(), levels, strict=True):
            if level == MISSING:
                explanation.append(FeatureWeight(feature.name, "missing", 0.0))
            else:
                label = LEVEL_LABELS[feature.kind][level]
                explanation.append(FeatureWeight(feature.name, label, float(table[level])))
        return explanation


def probability(weight: npt.NDArray[np.float64] | float) -> npt.NDArray[np.float64]:
    """Match probability from a match weight: 2^ω / (1 + 2^ω)."""
    return np.asarray(1.0 / (1.0 + np.exp2(-np.asarray(weight, dtype=np.float64))))


# --- Blocking ---------------------------------------------------------------------------


def _rule_keys(
    rule: BlockingRule, prepared: dict[str, PreparedColumn]
) -> tuple[IntArray, npt.NDArray[np.object_]]:
    """(record index, key) rows for one rule; records with a missing part are left out."""
    if len(rule) == 1 and rule[0].endswith((":keys", ":phonetic")):
        feature, which = rule[0].split(":")
        rows: list[int] = []
        keys: list[str] = []
        for i, name in enumerate(prepared[feature].names):
            for key in name.keys if which == "keys" else name.phonetic:
                rows.append(i)
                keys.append(key)
        return np.asarray(rows, dtype=np.int64), np.asarray(keys, dtype=object)
    parts = [prepared[f].text for f in rule]
    present = np.logical_and.reduce([p != "" for p in parts])
    index = np.flatnonzero(present)
    joined = parts[0][index]
    for p in parts[1:]:
        joined = joined + "\x1f" + p[index]
    return index.astype(np.int64), joined


def block_pairs(
    prepared: dict[str, PreparedColumn],
    rules: Sequence[BlockingRule],
    sources: IntArray | None = None,
    max_block: int = 300,
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Candidate pairs (left < right) sharing a key under any rule, and which rules found
    each pair (pairs × rules).

    Blocks larger than `max_block` are skipped (a name as common as 张伟 would otherwise pair
    everyone); with `sources`, only pairs from different sources are kept (link-only).
    """
    n = len(next(iter(prepared.values())).text)
    found: list[IntArray] = []
    for rule in rules:  # a rule with no keys still gets a (empty) column
        rows, keys = _rule_keys(rule, prepared)
        if len(rows) == 0:
            found.append(np.zeros(0, np.int64))
            continue
        key_codes, _ = pd.factorize(keys)
        frame = pd.DataFrame({"i": rows, "k": key_codes}).drop_duplicates()
        sizes = frame.groupby("k")["i"].transform("size")
        frame = frame[(sizes > 1) & (sizes <= max_block)]
        merged = frame.merge(frame, on="k", suffixes=("_a", "_b"))
        a = merged["i_a"].to_numpy(np.int64)
        b = merged["i_b"].to_numpy(np.int64)
        keep = a < b
        if sources is not None:
            keep &= sources[a] != sources[b]
        found.append(np.unique(a[keep] * n + b[keep]))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 0), bool)
    codes = np.unique(np.concatenate(found))
    by_rule = np.stack([_contains(rule_codes, codes) for rule_codes in found], axis=1)
    return codes // n, codes % n, by_rule


def _contains(sorted_values: IntArray, queries: IntArray) -> npt.NDArray[np.bool_]:
    if len(sorted_values) == 0:
        return np.zeros(len(queries), dtype=bool)
    pos = np.clip(np.searchsorted(sorted_values, queries), 0, len(sorted_values) - 1)
    return np.asarray(sorted_values[pos] == queries)


def distinct_patterns(
    levels: npt.NDArray[np.int8],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float64]]:
    """Distinct rows of a level matrix and their counts (rows packed into one integer)."""
    if levels.shape[1] == 0 or len(levels) == 0:
        return levels[:1], np.ones(min(len(levels), 1))
    base = int(levels.max()) + 2
    packed = np.zeros(len(levels), dtype=np.int64)
    for f in range(levels.shape[1]):
        packed = packed * base + (levels[:, f].astype(np.int64) + 1)
    _, first, counts = np.unique(packed, return_index=True, return_counts=True)
    return levels[first], counts.astype(np.float64)


def compare_pairs(
    prepared: dict[str, PreparedColumn],
    features: Sequence[Feature],
    left: IntArray,
    right: IntArray,
) -> npt.NDArray[np.int8]:
    """(pairs × features) matrix of agreement levels."""
    levels = np.empty((len(left), len(features)), dtype=np.int8)
    for f, feature in enumerate(features):
        levels[:, f] = compare(prepared[feature.name], left, right)
    return levels


# --- Estimation -------------------------------------------------------------------------


def _random_pairs(n: int, count: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    a = rng.integers(0, n, count)
    b = rng.integers(0, n, count)
    keep = a != b
    return a[keep], b[keep]


def _level_frequencies(
    levels: npt.NDArray[np.int8], weights: npt.NDArray[np.float64], sizes: Sequence[int]
) -> list[npt.NDArray[np.float64]]:
    tables = []
    for f, size in enumerate(sizes):
        column = levels[:, f]
        present = column != MISSING
        counts = np.bincount(column[present], weights=weights[present], minlength=size)
        floored = counts.astype(np.float64) + 1e-3  # no level has probability 0
        tables.append(floored / floored.sum())
    return tables


def fit_model(
    features: Sequence[Feature],
    levels: npt.NDArray[np.int8],
    random_levels: npt.NDArray[np.int8] | None = None,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
    fix_u: bool = False,
    warmup: int = 30,
) -> LinkageModel:
    """Estimate λ, m and u by expectation–maximisation on the blocked pairs.

    u starts from random record pairs (almost all non-matches, as Splink does) and is held
    fixed for a warm-up, which steers EM away from splitting on a spurious feature; then,
    unless `fix_u`, u is refined too (blocked non-matches agree more than random pairs).
    """
    sizes = [len(LEVEL_LABELS[f.kind]) for f in features]
    patterns, counts = distinct_patterns(levels)
    if random_levels is not None and len(random_levels):
        u = _level_frequencies(random_levels, np.ones(len(random_levels)), sizes)
    else:
        u = [np.full(s, 1.0 / s) for s in sizes]
    m = [np.geomspace(0.01, 1.0, s) / np.geomspace(0.01, 1.0, s).sum() for s in sizes]
    prior = 0.1
    iteration = 0
    if not counts.sum():  # no pair to learn from: the starting values stand
        return LinkageModel(tuple(features), prior, m, u, iteration)
    for iteration in range(1, max_iterations + 1):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for f in range(len(features)):
            column = patterns[:, f]
            present = column != MISSING
            log_m[present] += np.log(m[f][column[present]])
            log_u[present] += np.log(u[f][column[present]])
        odds = np.log(prior) + log_m - np.log1p(-prior) - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        new_prior = float((posterior * counts).sum() / counts.sum())
        new_prior = min(max(new_prior, 1e-9), 1 - 1e-9)
        m = _level_frequencies(patterns, posterior * counts, sizes)
        if not fix_u and iteration > warmup:
            u = _level_frequencies(patterns, (1.0 - posterior) * counts, sizes)
        converged = abs(new_prior - prior) < tolerance
        prior = new_prior
        if converged and iteration > warmup:
            break
        if converged:
            warmup = iteration
    return LinkageModel(tuple(features), prior, m, u, iteration)


# --- Clustering -------------------------------------------------------------------------


@dataclass
class _Clusters:
    parent: IntArray
    members: dict[int, list[int]] = field(default_factory=dict)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = int(self.parent[root])
        while self.parent[i] != root:
            self.parent[i], i = root, int(self.parent[i])
        return root


def cluster_pairs(
    n: int,
    left: IntArray,
    right: IntArray,
    weights: npt.NDArray[np.float64],
    link_weight: float,
    veto_weight: float,
    sources: IntArray | None = None,
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Chaining-safe connected components.

    Edges at or above `link_weight` are merged strongest first, but two clusters are only
    merged if no compared pair across them scored below `veto_weight` (a confident
    non-match) and, with `sources`, if the result holds at most one record per source.
    Returns the cluster label per record and which edges were refused.
    """
    order = np.argsort(-weights, kind="stable")
    codes = left * n + right
    by_code = np.argsort(codes)
    sorted_codes = codes[by_code]
    state = _Clusters(np.arange(n, dtype=np.int64))
    refused = np.zeros(len(weights), dtype=bool)

    def pair_weights(a: list[int], b: list[int]) -> npt.NDArray[np.float64]:
        xa, xb = np.meshgrid(np.asarray(a), np.asarray(b), indexing="ij")
        lo, hi = np.minimum(xa, xb).ravel(), np.maximum(xa, xb).ravel()
        query = lo * n + hi
        pos = np.clip(np.searchsorted(sorted_codes, query), 0, len(sorted_codes) - 1)
        hit = sorted_codes[pos] == query
        return np.asarray(weights[by_code[pos[hit]]])

    for e in order:
        if weights[e] < link_weight:
            break
        ra, rb = state.find(int(left[e])), state.find(int(right[e]))
        if ra == rb:
            continue
        ma = state.members.get(ra, [ra])
        mb = state.members.get(rb, [rb])
        if sources is not None and set(sources[ma].tolist()) & set(sources[mb].tolist()):
            refused[e] = True
            continue
        if (len(ma) > 1 or len(mb) > 1) and (pair_weights(ma, mb) < veto_weight).any():
            refused[e] = True
            continue
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        state.parent[rb] = ra
        state.members[ra] = ma + mb
        state.members.pop(rb, None)
    labels = np.array([state.find(i) for i in range(n)], dtype=np.int64)
    return labels, refused


# --- Batch resolution -------------------------------------------------------------------


@dataclass
class Resolution:
    """Result of batch resolution."""

    clusters: pd.DataFrame  # record_id, cluster_id, confidence
    review: pd.DataFrame  # record_id_l, record_id_r, match_weight, match_probability
    links: pd.DataFrame  # all scored pairs: record_id_l, record_id_r, match_weight/probability
    model: LinkageModel
    levels: npt.NDArray[np.int8]  # (pairs × features) agreement levels, rows as in `links`

    def explain(self, row: int) -> list[FeatureWeight]:
        """Per-feature weights of scored pair number `row` in `links`."""
        return self.model.explain([int(x) for x in self.levels[row]])


def prepare_records(df: pd.DataFrame, features: Sequence[Feature]) -> dict[str, PreparedColumn]:
    prepared = {}
    for feature in features:
        present = feature.column in df.columns
        values = df[feature.column].tolist() if present else [""] * len(df)
        prepared[feature.name] = prepare_column(values, feature.kind)
    return prepared


def resolve_records(
    df: pd.DataFrame,
    features: Sequence[Feature] = PERSON_FEATURES,
    blocking: Sequence[BlockingRule] = PERSON_BLOCKING,
    *,
    link_probability: float = 0.5,
    review_probability: float = 0.05,
    veto_probability: float = 0.001,
    source_column: str | None = None,
    one_per_source: bool = False,
    seed: int = 42,
    progress: Callable[[str], None] | None = None,
) -> Resolution:
    """Resolve which records describe the same person.

    Pairs at or above `link_probability` link; pairs between `review_probability` and
    `link_probability` that end up in different clusters go to the clerical review list.
    With `source_column`, only records from different sources are compared (link-only);
    with `one_per_source` a cluster holds at most one record per source.
    """
    step = progress or (lambda _message: None)
    if "record_id" not in df.columns:
        raise ValueError("input has no record_id column")
    record_ids = df["record_id"].astype(str).to_numpy()
    n = len(df)
    step("normalising fields")
    prepared = prepare_records(df, features)
    sources = None
    if source_column is not None:
        sources = np.asarray(pd.factorize(df[source_column])[0], dtype=np.int64)
    step("blocking")
    left, right, by_rule = block_pairs(prepared, blocking, sources)
    step(f"comparing {len(left):,} candidate pairs")
    levels = compare_pairs(prepared, features, left, right)
    rng = np.random.default_rng(seed)
    rand_l, rand_r = _random_pairs(n, min(200_000, max(n * 20, 1000)), rng) if n > 1 else ([], [])
    random_levels = compare_pairs(prepared, features, np.asarray(rand_l), np.asarray(rand_r))
    step("estimating m and u by EM")
    model = fit_by_blocking_rule(features, blocking, levels, by_rule, random_levels)
    model = to_all_pairs_prior(model, len(left), _pair_count(n, sources))
    weights = model.weights(levels)
    step("clustering")
    to_weight = _probability_to_weight
    labels, _refused = cluster_pairs(
        n,
        left,
        right,
        weights,
        to_weight(link_probability),
        to_weight(veto_probability),
        sources if one_per_source else None,
    )
    probabilities = probability(weights)
    clusters = _cluster_frame(record_ids, labels, left, right, probabilities)
    split = labels[left] != labels[right]
    grey = split & (probabilities >= review_probability)
    review = pd.DataFrame(
        {
            "record_id_l": record_ids[left[grey]],
            "record_id_r": record_ids[right[grey]],
            "match_weight": weights[grey],
            "match_probability": probabilities[grey],
        }
    ).sort_values("match_weight", ascending=False, ignore_index=True)
    links = pd.DataFrame(
        {
            "record_id_l": record_ids[left],
            "record_id_r": record_ids[right],
            "match_weight": weights,
            "match_probability": probabilities,
        }
    )
    return Resolution(clusters, review, links, model, levels)


def fit_by_blocking_rule(
    features: Sequence[Feature],
    blocking: Sequence[BlockingRule],
    levels: npt.NDArray[np.int8],
    by_rule: npt.NDArray[np.bool_],
    random_levels: npt.NDArray[np.int8],
) -> LinkageModel:
    """One EM session per blocking rule, on the pairs that rule finds, with that rule's own
    features hidden (their agreement is how the pair was chosen, not evidence), as Splink
    trains. Each feature's m averages the sessions that saw it; u comes from random pairs.
    The prior is the share of matches among all blocked pairs under the averaged model."""
    sessions: list[tuple[set[str], LinkageModel]] = []
    for r, rule in enumerate(blocking):
        chosen = by_rule[:, r]
        if chosen.sum() < 10:
            continue
        hidden = {entry.split(":")[0] for entry in rule}
        subset = levels[chosen].copy()
        for f, feature in enumerate(features):
            if feature.name in hidden:
                subset[:, f] = MISSING
        sessions.append((hidden, fit_model(features, subset, random_levels, fix_u=True)))
    if not sessions:
        return fit_model(features, levels, random_levels, fix_u=True)
    base = sessions[0][1]
    m = []
    for f, feature in enumerate(features):
        seen = [model.m[f] for hidden, model in sessions if feature.name not in hidden]
        m.append(np.mean(seen, axis=0) if seen else np.asarray(base.m[f]))
    combined = LinkageModel(tuple(features), 0.5, m, base.u, base.iterations)
    posterior = probability(combined.weights(levels))
    prior = float(np.clip(posterior.mean(), 1e-9, 1 - 1e-9))
    return LinkageModel(tuple(features), prior, m, base.u, base.iterations)


def mask_blocking_features(
    levels: npt.NDArray[np.int8],
    by_rule: npt.NDArray[np.bool_],
    features: Sequence[Feature],
    blocking: Sequence[BlockingRule],
) -> npt.NDArray[np.int8]:
    """Training levels where the features a pair was blocked on are hidden: agreement on
    them is how the pair was chosen, not evidence (Splink trains the same way)."""
    masked = levels.copy()
    for r, rule in enumerate(blocking):
        used = {entry.split(":")[0] for entry in rule}
        for f, feature in enumerate(features):
            if feature.name in used:
                masked[by_rule[:, r], f] = MISSING
    return masked


def to_all_pairs_prior(model: LinkageModel, blocked: int, total: int) -> LinkageModel:
    """Re-express λ over all record pairs, so that ω also counts blocking-feature agreement."""
    expected_matches = model.prior * blocked
    prior = min(max(expected_matches / max(total, 1), 1e-12), 0.5)
    return LinkageModel(model.features, prior, model.m, model.u, model.iterations)


def _pair_count(n: int, sources: IntArray | None) -> int:
    if sources is None:
        return n * (n - 1) // 2
    sizes = np.bincount(sources).astype(np.int64)
    return int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)


def _probability_to_weight(p: float) -> float:
    return math.log2(p / (1.0 - p))


def _cluster_frame(
    record_ids: npt.NDArray[np.object_],
    labels: IntArray,
    left: IntArray,
    right: IntArray,
    probabilities: npt.NDArray[np.float64],
) -> pd.DataFrame:
    """Confidence: a clustered record's best link inside its cluster; a singleton's
    1 − its best link to anyone."""
    n = len(record_ids)
    inside = labels[left] == labels[right]
    best_in = np.zeros(n)
    best_out = np.zeros(n)
    for side in (left, right):
        np.maximum.at(best_in, side[inside], probabilities[inside])
        np.maximum.at(best_out, side[~inside], probabilities[~inside])
    sizes = np.bincount(labels, minlength=n)
    clustered = sizes[labels] > 1
    confidence = np.where(clustered, best_in, 1.0 - best_out)
    _, dense = np.unique(labels, return_inverse=True)
    cluster_ids = np.array([f"C{c:07d}" for c in dense], dtype=object)
    return pd.DataFrame(
        {"record_id": record_ids, "cluster_id": cluster_ids, "confidence": confidence.round(4)}
    )
