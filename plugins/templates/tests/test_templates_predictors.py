"""Slot predictors: found where one slot determines another, and coded both ways."""

from __future__ import annotations

import random

from aura_templates.predictors import residual, train_predictors
from aura_templates.profiles import mine_profile, templates_of

from aura_core import Compressor


def test_size_follows_path() -> None:
    rnd = random.Random(4)
    sizes = {f"/p{i}.html": str(rnd.randrange(100, 99999)) for i in range(12)}
    paths = [rnd.choice(list(sizes)) for _ in range(300)]
    columns = [paths, [sizes[p] if rnd.random() < 0.9 else "0" for p in paths]]
    predictors = train_predictors(columns)
    assert predictors[1].source == 0
    assert predictors[1].hits > 200
    assert len(residual(columns, predictors, 1)) == predictors[1].misses


def test_independent_slots_get_no_predictor() -> None:
    rnd = random.Random(5)
    columns = [[str(rnd.randrange(50)) for _ in range(300)], [str(rnd.randrange(50)) for _ in range(300)]]
    assert train_predictors(columns) == {}


def test_predicted_slots_round_trip() -> None:
    rnd = random.Random(6)
    sizes = {f"/p{i}.html": str(rnd.randrange(100, 99999)) for i in range(12)}

    def line() -> str:
        path = rnd.choice(list(sizes))
        size = sizes[path] if rnd.random() < 0.85 else str(rnd.randrange(10**6))
        return f"10.0.0.{rnd.randrange(9)} GET {path} {size} ms={rnd.randrange(999)}"

    profile, _ = mine_profile([line() for _ in range(400)], progress=False)
    assert any(e.predictors for e in templates_of(profile).entries.values())
    compressor = Compressor(profile=profile, codecs=["templates"])
    for text in [line() for _ in range(100)]:
        assert compressor.decompress(compressor.compress(text).compressed_data) == text
