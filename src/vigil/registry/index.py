"""In-memory blocking index for online resolution of one record against many persons.

Pure module. Holds each person's normalised fields and blocking keys; `resolve` scores
the candidates that share a key with the Fellegi–Sunter model and explains each weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from vigil.names import NameKeys
from vigil.registry.comparisons import PreparedColumn, compare, prepare_column
from vigil.registry.linkage import (
    PERSON_BLOCKING,
    BlockingRule,
    FeatureWeight,
    LinkageModel,
    probability,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: str
    match_weight: float
    match_probability: float
    explanation: tuple[FeatureWeight, ...]


@dataclass
class PersonIndex:
    """Blocking index of persons; the features are the model's."""

    model: LinkageModel
    blocking: tuple[BlockingRule, ...] = PERSON_BLOCKING
    max_candidates: int = 500
    _ids: list[str] = field(default_factory=list)
    _text: dict[str, list[str]] = field(default_factory=dict)
    _names: dict[str, list[NameKeys]] = field(default_factory=dict)
    _keys: dict[str, list[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._ids)

    def _prepare(self, record: Mapping[str, object]) -> dict[str, PreparedColumn]:
        return {
            f.name: prepare_column([record.get(f.column, "")], f.kind) for f in self.model.features
        }

    def _block_keys(self, prepared: dict[str, PreparedColumn]) -> set[str]:
        keys: set[str] = set()
        for r, rule in enumerate(self.blocking):
            if len(rule) == 1 and rule[0].endswith((":keys", ":phonetic")):
                feature, which = rule[0].split(":")
                name = prepared[feature].names[0]
                values = name.keys if which == "keys" else name.phonetic
                keys.update(f"{r}\x1f{v}" for v in values)
                continue
            parts = [str(prepared[f].text[0]) for f in rule]
            if all(parts):
                keys.add(f"{r}\x1f" + "\x1f".join(parts))
        return keys

    def add(self, person_id: str, record: Mapping[str, object]) -> None:
        """Index one person's record."""
        prepared = self._prepare(record)
        position = len(self._ids)
        self._ids.append(person_id)
        for name, column in prepared.items():
            self._text.setdefault(name, []).append(str(column.text[0]))
            if column.names:
                self._names.setdefault(name, []).append(column.names[0])
        for key in self._block_keys(prepared):
            self._keys.setdefault(key, []).append(position)

    def resolve(self, record: Mapping[str, object], limit: int = 10) -> list[Candidate]:
        """Best-scoring indexed persons for `record`, strongest first, with explanations."""
        prepared = self._prepare(record)
        found: set[int] = set()
        for key in self._block_keys(prepared):
            bucket = self._keys.get(key, ())
            if len(bucket) <= self.max_candidates:
                found.update(bucket)
        if not found:
            return []
        candidates = np.fromiter(found, dtype=np.int64, count=len(found))
        count = len(candidates)
        left = np.zeros(count, dtype=np.int64)
        right = np.arange(1, count + 1, dtype=np.int64)
        levels = np.empty((count, len(self.model.features)), dtype=np.int8)
        for f, feature in enumerate(self.model.features):
            query = prepared[feature.name]
            texts = np.empty(count + 1, dtype=object)
            texts[0] = query.text[0]
            stored = self._text[feature.name]
            texts[1:] = [stored[i] for i in candidates]
            names: tuple[NameKeys, ...] = ()
            phonetic = None
            if query.names:
                stored_names = self._names[feature.name]
                names = (query.names[0], *(stored_names[i] for i in candidates))
                phonetic = np.array([min(n.phonetic, default="") for n in names], dtype=object)
            codes = np.where(texts == texts[0], 0, 1).astype(np.int64)
            codes[texts == ""] = -1
            column = PreparedColumn(feature.kind, texts, codes, names, phonetic)
            levels[:, f] = compare(column, left, right)
        weights = self.model.weights(levels)
        best = np.argsort(-weights)[:limit]
        return [
            Candidate(
                self._ids[candidates[k]],
                float(weights[k]),
                float(probability(weights[k])),
                tuple(self.model.explain([int(x) for x in levels[k]])),
            )
            for k in best
        ]
