"""The four real corpora, subsampled: everything round-trips; log lines mostly hit templates."""

from __future__ import annotations

import pytest
from aura_templates.profiles import mine_profile

from aura_core import Compressor

SIZES = {"log": (800, 200), "json": (150, 40), "ai": (200, 40), "user": (400, 80)}


@pytest.mark.parametrize("category", sorted(SIZES))
def test_corpus_round_trips(corpus, category: str) -> None:
    train_count, test_count = SIZES[category]
    profile, report = mine_profile(corpus(category, "train", train_count), progress=False)
    only = Compressor(profile=profile, codecs=["templates"])
    test = corpus(category, "test", test_count)
    for text in test:
        result = only.compress(text)
        assert only.decompress(result.compressed_data) == text
    stats = only.statistics()
    if category == "log":
        assert stats.template_hit_rate >= 0.8
        assert stats.compression_ratio > 4
    if category == "json":
        assert report.json_documents > 0 and stats.template_hit_rate > 0.9
