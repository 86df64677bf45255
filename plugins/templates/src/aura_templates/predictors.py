"""Slot predictors: a slot's value guessed from the value of an earlier slot.

In an access log the response size follows from the requested path, the user agent
from the client host; coded on its own each costs bits that the line has already
paid for.  A predictor maps values of an earlier slot (the *source*) to the value
the later slot (the *target*) most often had with it in training.  When the source's
value is in the map, one symbol says whether the guess is right; only a wrong guess
(or a source value not in the map) codes the target through its slot model, which
is trained on exactly those rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from attrs import define, field

from aura_templates.rangecoder import FrequencyTable
from aura_templates.slots import MAX_VALUES

#: A predictor is kept when it is right this often (and at least 4 times).
MIN_HIT_SHARE = 0.3
#: Slots whose most common value already has this share are cheap enough alone.
CHEAP_SHARE = 0.9


@define
class Predictor:
    target: int
    source: int
    mapping: dict[str, str]
    hits: int
    misses: int
    table: FrequencyTable = field(init=False)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.source < self.target:
            raise ValueError(f"predictor of slot {self.target} must read an earlier slot, not {self.source}")
        self.table = FrequencyTable.from_counts([self.hits, self.misses])

    def guess(self, values: Sequence[str]) -> str | None:
        return self.mapping.get(values[self.source])

    def to_json(self) -> list[Any]:
        return [self.target, self.source, list(self.mapping.items()), self.hits, self.misses]

    @classmethod
    def from_json(cls, data: list[Any]) -> Predictor:
        target, source, mapping, hits, misses = data
        return cls(int(target), int(source), {str(k): str(v) for k, v in mapping}, int(hits), int(misses))


def _bits(column: Sequence[str]) -> dict[str, float]:
    """Rough cost of each value under a slot model trained on ``column`` (training estimate)."""
    counts = Counter(column)
    total = len(column)
    return {v: math.log2(total / c) if c >= 2 else 6 + 4.5 * len(v) for v, c in counts.items()}


def train_predictors(columns: Sequence[Sequence[str]]) -> dict[int, Predictor]:
    """For each slot, the earlier slot that predicts it best, if that saves bits."""
    predictors: dict[int, Predictor] = {}
    rows = len(columns[0]) if columns else 0
    for target in range(1, len(columns)):
        values = columns[target]
        if not rows or Counter(values).most_common(1)[0][1] >= CHEAP_SHARE * rows:
            continue
        cost = _bits(values)
        best: tuple[float, Predictor] | None = None
        for source in range(target):
            seen: dict[str, Counter[str]] = defaultdict(Counter)
            for key, value in zip(columns[source], values, strict=True):
                seen[key][value] += 1
            ranked = sorted(seen.items(), key=lambda item: (-item[1].total(), item[0]))[:MAX_VALUES]
            mapping = {key: counter.most_common(1)[0][0] for key, counter in ranked if counter.total() >= 2}
            covered = hits = 0
            saved = 0.0
            for key, value in zip(columns[source], values, strict=True):
                guess = mapping.get(key)
                if guess is not None:
                    covered += 1
                    if guess == value:
                        hits += 1
                        saved += cost[value]
            if hits < max(4, MIN_HIT_SHARE * rows):
                continue
            share = hits / covered
            flags = 0.0 if share == 1 else -covered * (share * math.log2(share) + (1 - share) * math.log2(1 - share))
            gain = saved - flags
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, Predictor(target, source, mapping, hits, covered - hits))
        if best is not None:
            predictors[target] = best[1]
    return predictors


def residual(columns: Sequence[Sequence[str]], predictors: dict[int, Predictor], target: int) -> list[str]:
    """The values of slot ``target`` its predictor does not supply (what its slot model codes)."""
    predictor = predictors.get(target)
    if predictor is None:
        return list(columns[target])
    return [
        value
        for key, value in zip(columns[predictor.source], columns[target], strict=True)
        if predictor.mapping.get(key) != value
    ]
