"""Scale benchmark: online resolution against N persons (p50/p99 latency) and batch
resolution of N records (time, peak memory). The online part measures the live path's own
index and scorer (`registry.blocking.PersonBlocks`, which the pipeline's
`registry.online.OnlinePersonIndex` keeps in step with the database).

    python bench/resolve_scale.py [--persons 1000000] [--queries 2000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd

from vigil.demo.people import CORRUPTIONS, corrupt, generate_people, resident_id
from vigil.registry.blocking import KnownPerson, PersonBlocks
from vigil.registry.linkage import resolve_records
from vigil.registry.service import primary_name_key

DOC = "cn_resident_id"  # numbers stand in for their keyed hashes: both sides alike


def synthetic_population(count: int, seed: int = 3) -> pd.DataFrame:
    """`count` persons recombined from a Faker-made pool (Faker is too slow for millions)."""
    pool = generate_people(min(count, 20_000), seed=seed)
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        surname_of, given_of, home = rng.choice(pool), rng.choice(pool), rng.choice(pool)
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        sex = given_of.sex
        sequence = rng.randrange(500) * 2 + (sex == "M")
        rows.append(
            {
                "record_id": f"S{i:08d}",
                "name": surname_of.surname + given_of.given,
                "birth_date": birth.isoformat(),
                "sex": sex,
                "id_number": resident_id(home.id_number[:6], birth, sequence),
                "address": home.address,
                "phone": "1" + f"{rng.randrange(10**10):010d}",
            }
        )
    return pd.DataFrame(rows)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scale(persons: int, queries: int = 2000) -> None:
    started = time.perf_counter()
    population = synthetic_population(persons)
    print(f"generated {persons:,} persons in {time.perf_counter() - started:.1f}s")

    # Batch: the population plus corrupted duplicates of 10% of it.
    rng = random.Random(5)
    sample = population.sample(frac=0.1, random_state=5)
    duplicates = []
    for k, row in enumerate(sample.itertuples()):
        from vigil.demo.people import SyntheticPerson

        person = SyntheticPerson(
            row.record_id,
            row.name[:1],
            row.name[1:],
            date.fromisoformat(row.birth_date),
            row.sex,
            row.id_number,
            row.address,
            row.phone,
            "zh_CN",
        )
        record = corrupt(person, CORRUPTIONS[k % len(CORRUPTIONS)], rng)
        duplicates.append({"record_id": f"D{row.record_id}", **record})
    batch = pd.concat([population, pd.DataFrame(duplicates)], ignore_index=True)
    started = time.perf_counter()
    resolution = resolve_records(batch)
    batch_seconds = time.perf_counter() - started
    clusters = resolution.clusters.set_index("record_id")["cluster_id"]
    found = sum(clusters[f"D{r}"] == clusters[r] for r in sample["record_id"])
    print(
        f"batch: {len(batch):,} records in {batch_seconds:.1f}s "
        f"({len(resolution.links):,} scored pairs), duplicates re-found {found}/{len(sample)}, "
        f"peak RSS so far {peak_rss_mib():,.0f} MiB"
    )

    started = time.perf_counter()
    blocks = PersonBlocks()
    ids: dict[int, str] = {}
    for n, row in enumerate(population.to_dict("records"), start=1):
        name = str(row["name"])
        born = str(row["birth_date"])  # kept as filed, as the person table keeps it
        number = str(row["id_number"])
        blocks.put(KnownPerson(n, name, primary_name_key(name), born, None, [(DOC, number)]))
        ids[n] = str(row["record_id"])
    print(f"index: {len(blocks):,} persons in {time.perf_counter() - started:.1f}s")
    probes = pd.DataFrame(duplicates).sample(n=min(queries, len(duplicates)), random_state=1)
    latencies = []
    hits = review = 0
    for row in probes.to_dict("records"):
        born_text = str(row.get("birth_date") or "")
        try:  # intake takes only real dates
            born_at: str | None = date.fromisoformat(born_text).isoformat()
        except ValueError:
            born_at = None
        number = str(row.get("id_number") or "") or None
        t = time.perf_counter()
        # as the live path: an exact identity-number hit first, then the scorer
        found = blocks.by_identifier(DOC, number) if number else None
        if found is None:
            best = blocks.candidate(str(row["name"]), born_at, DOC if number else None, number)
            found = best.person_id if best is not None and best.probability >= 0.9 else None
            review += best is not None and 0.6 <= best.probability < 0.9
        latencies.append((time.perf_counter() - t) * 1000)
        hits += found is not None and ids[found] == str(row["record_id"])[1:]
    p50, p99 = np.percentile(latencies, [50, 99])
    print(
        f"online: {len(latencies):,} queries against {len(blocks):,} persons: "
        f"p50={p50:.2f} ms p99={p99:.2f} ms, linked to the right person {hits}/{len(latencies)}, "
        f"{review} more to clerical review, "
        f"peak RSS {peak_rss_mib():,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    run_scale(args.persons, args.queries)


if __name__ == "__main__":
    main()
