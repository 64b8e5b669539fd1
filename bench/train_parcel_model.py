"""Fit the learned second opinion on parcel declarations (#23) and measure it honestly.

    .venv/bin/python bench/train_parcel_model.py [--n 3000] [--seed 101] [--out PATH]

Sets A-H (bench/parcels.py's generator and the independently written
parcel_declarations_{b..h}) are drawn with a seed the bench does not use. Leave-one-set-out:
for each set, a model is fitted on the other seven and scored on it; the regularisation and
the threshold are the pair with the best mean recall of "rules OR model" over the eight
left-out sets, subject to a mean precision of at least --min-precision. The shipped model is
then fitted on all eight sets with that pair and written, with no pickle, to
src/vigil/screening/data/parcel_model.npz. Set I (the clean hold-out) is never read here.
The run is deterministic: the same arguments write the same weights.
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from scipy.sparse import spmatrix, vstack
from sklearn.linear_model import LogisticRegression

from vigil.screening.parcel_model import MODEL_PATH, ParcelModel, save_model
from vigil.screening.parcels import load_catalogue, screen_parcel

SETS = ("A", "B", "C", "D", "E", "F", "G", "H")  # never I: it is the clean hold-out
N_FEATURES = 2**18  # per reading (raw, normalised)
NGRAMS = (1, 4)
C_GRID = (1.0, 4.0, 16.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.30, 0.991, 0.01))
CHECK_TEXTS = (
    "2 pcs kitchen knives and a box of tea",
    "雷管 5 枚",
    "toy car, socks",
    "gun p0wder for fireworks",
    "手机壳、数据线",
)


@dataclass
class LabelledSet:
    name: str
    texts: list[str]
    banned: np.ndarray  # bool, toy/model cases (label None) left out
    rules_flag: np.ndarray  # bool: the rules inspect or refuse
    features: spmatrix | None = None


def draw_set(name: str, n: int, seed: int) -> list[tuple[str, bool | None]]:
    if name == "A":
        import parcels as bench_parcels  # bench/ is on sys.path

        return [(d.text, d.banned) for d in bench_parcels.generate(load_catalogue(), n, seed)]
    module = importlib.import_module(f"parcel_declarations_{name.lower()}")
    return [(c.text, c.banned) for c in module.generate(n, seed)]


def build_sets(n: int, seed: int, featuriser: ParcelModel) -> list[LabelledSet]:
    catalogue = load_catalogue()
    today = date(2025, 6, 1)  # the bench's date
    out = []
    for name in SETS:
        cases = [(t, b) for t, b in draw_set(name, n, seed) if b is not None]
        texts = [t for t, _ in cases]
        flags = [screen_parcel(catalogue, t, True, on=today).decision != "cleared" for t in texts]
        labelled = LabelledSet(
            name, texts, np.array([b for _, b in cases], dtype=bool), np.array(flags, dtype=bool)
        )
        labelled.features = featuriser.features(texts)
        out.append(labelled)
        print(
            f"set {name}: {len(texts)} labelled declarations, {int(labelled.banned.sum())} banned"
        )
    return out


def fit(sets: list[LabelledSet], c: float) -> LogisticRegression:
    x = vstack([s.features for s in sets], format="csr")
    y = np.concatenate([s.banned for s in sets])
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    return model.fit(x, y)


def precision_recall(truth: np.ndarray, flag: np.ndarray) -> tuple[float, float]:
    tp = int((truth & flag).sum())
    fp = int((~truth & flag).sum())
    fn = int((truth & ~flag).sum())
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def leave_one_set_out(sets: list[LabelledSet]) -> dict[float, list[np.ndarray]]:
    """For each C, the left-out scores of every set (a model fitted on the other seven)."""
    scores: dict[float, list[np.ndarray]] = {}
    for c in C_GRID:
        scores[c] = []
        for i, held in enumerate(sets):
            model = fit([s for j, s in enumerate(sets) if j != i], c)
            scores[c].append(model.predict_proba(held.features)[:, 1])
        print(f"  C={c:g}: fitted {len(sets)} leave-one-set-out models")
    return scores


def choose(
    sets: list[LabelledSet], scores: dict[float, list[np.ndarray]], min_precision: float
) -> tuple[float, float, float, float]:
    """(C, threshold, mean precision, mean recall) of the best combined mean recall."""
    best: tuple[float, float, float, float] | None = None
    for c, by_set in scores.items():
        for t in THRESHOLDS:
            pr = [
                precision_recall(s.banned, s.rules_flag | (p >= t))
                for s, p in zip(sets, by_set, strict=True)
            ]
            mean_p = float(np.mean([p for p, _ in pr]))
            mean_r = float(np.mean([r for _, r in pr]))
            if mean_p < min_precision:
                continue
            if best is None or (mean_r, t) > (best[3], best[1]):
                best = (c, t, mean_p, mean_r)
    if best is None:  # no threshold keeps the precision: the model adds nothing
        return C_GRID[0], 1.0, float("nan"), float("nan")
    return best


def print_table(sets: list[LabelledSet], scores: list[np.ndarray], threshold: float) -> None:
    print(f"leave-one-set-out at threshold {threshold:.2f} (each set scored by a model fitted")
    print("on the other seven; the rules were written against all eight, so rules-only is")
    print("in-sample and flatters the rules):")
    print(
        f"  {'set':4} {'n':>5}  {'rules P':>8} {'rules R':>8}  {'model P':>8} {'model R':>8}"
        f"  {'comb P':>8} {'comb R':>8}  {'rescued':>9} {'false':>9}"
    )
    rows = []
    for s, p in zip(sets, scores, strict=True):
        model_flag = p >= threshold
        rules = precision_recall(s.banned, s.rules_flag)
        alone = precision_recall(s.banned, model_flag)
        both = precision_recall(s.banned, s.rules_flag | model_flag)
        added = model_flag & ~s.rules_flag
        # rule misses the model catches, and innocents the rules cleared that it flags
        rescued = f"{int((added & s.banned).sum())}/{int((s.banned & ~s.rules_flag).sum())}"
        false = f"{int((added & ~s.banned).sum())}/{int((~s.banned & ~s.rules_flag).sum())}"
        rows.append((*rules, *alone, *both))
        print(
            f"  {s.name:4} {len(s.texts):5}  {rules[0]:8.4f} {rules[1]:8.4f}  {alone[0]:8.4f}"
            f" {alone[1]:8.4f}  {both[0]:8.4f} {both[1]:8.4f}  {rescued:>9} {false:>9}"
        )
    means = np.mean(np.array(rows), axis=0)
    print(
        f"  {'mean':4} {'':5}  {means[0]:8.4f} {means[1]:8.4f}  {means[2]:8.4f} {means[3]:8.4f}"
        f"  {means[4]:8.4f} {means[5]:8.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000, help="declarations drawn per set")
    parser.add_argument(
        "--seed", type=int, default=101, help="a seed bench/parcels.py does not use"
    )
    parser.add_argument("--min-precision", type=float, default=0.98)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    featuriser = ParcelModel(np.zeros(2 * N_FEATURES), 0.0, 1.0, N_FEATURES, *NGRAMS)
    sets = build_sets(args.n, args.seed, featuriser)
    scores = leave_one_set_out(sets)
    c, threshold, mean_p, mean_r = choose(sets, scores, args.min_precision)
    print(
        f"chosen: C={c:g}, threshold {threshold:.2f} (leave-one-set-out mean combined "
        f"precision {mean_p:.4f}, recall {mean_r:.4f}; precision floor {args.min_precision})"
    )
    print_table(sets, scores[c], threshold)

    final = fit(sets, c)
    model = ParcelModel(
        final.coef_[0].astype(np.float32).astype(np.float64),
        float(final.intercept_[0]),
        threshold,
        N_FEATURES,
        *NGRAMS,
    )
    # scikit-learn's own scores of a few texts, kept with the weights for the loader's test
    check_scores = final.predict_proba(featuriser.features(list(CHECK_TEXTS)))[:, 1]
    save_model(model, args.out, CHECK_TEXTS, check_scores)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes); scores of the check texts:")
    for text, score in zip(CHECK_TEXTS, check_scores, strict=True):
        print(f"  {score:.4f}  {text}")


if __name__ == "__main__":
    main()
