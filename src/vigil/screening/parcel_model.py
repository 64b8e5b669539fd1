"""A learned second opinion on parcel declarations (#23).

Character n-grams (scikit-learn's HashingVectorizer, char_wb) of the raw declaration and of
the parcel normaliser's output, scored by a linear model fitted on sets A-H by
`bench/train_parcel_model.py`. It can only add an "inspect" to a declaration the rules
clear: it never refuses, and never clears what a rule flagged.

The weights ship as `data/parcel_model.npz` (coefficients and hashing parameters; loaded
with `allow_pickle=False`), so no code is unpickled.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vigil.screening.parcels import ParcelDecision, normalise_text

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

MODEL_PATH = Path(__file__).parent / "data" / "parcel_model.npz"
SECOND_OPINION = "learned second opinion"


@dataclass(frozen=True, eq=False)
class ParcelModel:
    """Weights of the raw text's n-grams, then of the normalised text's, each
    `n_features` long (one hashing space per reading)."""

    coef: np.ndarray
    intercept: float
    threshold: float  # inspect at or above this probability
    n_features: int
    ngram_min: int
    ngram_max: int
    _vectorizer: Any = field(default=None, repr=False, compare=False)
    _analyse: Any = field(default=None, repr=False, compare=False)
    _hash: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        if self.coef.shape != (2 * self.n_features,):
            raise ValueError(f"coef has shape {self.coef.shape}, expected ({2 * self.n_features},)")
        vectorizer = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(self.ngram_min, self.ngram_max),
            n_features=self.n_features,
            alternate_sign=False,
            norm="l2",
        )
        from sklearn.utils import murmurhash3_32

        object.__setattr__(self, "_vectorizer", vectorizer)
        object.__setattr__(self, "_analyse", vectorizer.build_analyzer())
        object.__setattr__(self, "_hash", murmurhash3_32)

    def features(self, texts: list[str]) -> spmatrix:
        from scipy.sparse import hstack

        raw = self._vectorizer.transform(texts)
        normalised = self._vectorizer.transform([normalise_text(t) for t in texts])
        return hstack([raw, normalised], format="csr")

    def scores(self, texts: list[str]) -> np.ndarray:
        """The probability, for each text, that it declares a banned item."""
        if not texts:
            return np.zeros(0)
        margins = self.features(texts) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-margins)), dtype=float)

    def score(self, text: str) -> float:
        """`scores([text])[0]` without scikit-learn's per-call overhead (ten times faster on
        one text): the same analyser and the same hash (sklearn's murmurhash3_32, as
        FeatureHasher uses it), summed and L2-normalised per reading."""
        margin = self.intercept
        for offset, reading in ((0, text), (self.n_features, normalise_text(text))):
            counts: dict[int, int] = {}
            for gram in self._analyse(reading):
                slot = offset + _slot(self._hash(gram, 0), self.n_features)
                counts[slot] = counts.get(slot, 0) + 1
            if counts:
                slots = np.fromiter(counts, dtype=np.int64, count=len(counts))
                values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                margin += float(self.coef[slots] @ values) / math.sqrt(float(values @ values))
        return 1.0 / (1.0 + math.exp(-margin))

    def nearest_terms(self, text: str, k: int = 3) -> list[str]:
        """The `k` n-grams in the text (raw or normalised) that weigh most towards banned."""
        weights: dict[str, float] = {}
        for offset, reading in ((0, text), (self.n_features, normalise_text(text))):
            for gram in set(self._analyse(reading)):
                slot = offset + _slot(self._hash(gram, 0), self.n_features)
                weight = float(self.coef[slot])
                if weight > weights.get(gram.strip(), -np.inf):
                    weights[gram.strip()] = weight
        ranked = sorted(
            # a Latin gram of two letters says little to a reader; two Han characters do
            ((w, g) for g, w in weights.items() if w > 0 and len(g) >= (3 if g.isascii() else 2)),
            key=lambda wg: (-wg[0], -len(wg[1]), wg[1]),  # heavier, then longer
        )
        return [g for _, g in ranked[:k]]

    def with_threshold(self, threshold: float) -> ParcelModel:
        return dataclasses.replace(self, threshold=threshold)


def _slot(h: int, n_features: int) -> int:
    """FeatureHasher's column for a signed 32-bit hash (sklearn's _hashing_fast)."""
    if h == -(2**31):
        return (2**31 - 1 - (n_features - 1)) % n_features
    return abs(h) % n_features


def save_model(
    model: ParcelModel,
    path: Path,
    check_texts: tuple[str, ...] = (),
    check_scores: np.ndarray | None = None,
) -> None:
    """`check_texts` and the trainer's `check_scores` of them travel with the weights, so
    that a test can show the loaded model reproduces the fitted one."""
    np.savez_compressed(
        path,
        coef=model.coef.astype(np.float32),
        intercept=np.float64(model.intercept),
        threshold=np.float64(model.threshold),
        n_features=np.int64(model.n_features),
        ngram_range=np.array([model.ngram_min, model.ngram_max], dtype=np.int64),
        check_texts=np.array(check_texts, dtype=np.str_),
        check_scores=np.zeros(0) if check_scores is None else np.asarray(check_scores),
    )


def load_checks(path: Path = MODEL_PATH) -> tuple[list[str], np.ndarray]:
    """The texts saved with the weights, and the trainer's scores of them."""
    with np.load(path, allow_pickle=False) as data:
        return [str(t) for t in data["check_texts"]], np.asarray(data["check_scores"])


def load_model(path: Path = MODEL_PATH) -> ParcelModel:
    with np.load(path, allow_pickle=False) as data:
        ngram = data["ngram_range"]
        return ParcelModel(
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            n_features=int(data["n_features"]),
            ngram_min=int(ngram[0]),
            ngram_max=int(ngram[1]),
        )


@lru_cache(maxsize=1)
def shipped_model() -> ParcelModel:
    """The shipped weights, loaded once per process."""
    return load_model(MODEL_PATH)


def with_second_opinion(
    decision: ParcelDecision, declared_contents: str, model: ParcelModel
) -> ParcelDecision:
    """The rules' decision, raised to inspect where the rules cleared and the model's score
    reaches its threshold. Anything the rules flagged is returned unchanged."""
    if decision.decision != "cleared":
        return decision
    score = model.score(declared_contents)
    if score < model.threshold:
        return decision
    terms = ", ".join(repr(t) for t in model.nearest_terms(declared_contents)) or "none"
    reason = f"{SECOND_OPINION} (score {score:.2f}); nearest terms: {terms}"
    return dataclasses.replace(
        decision, decision="inspect", reasons=(*decision.reasons, reason), model_score=score
    )
