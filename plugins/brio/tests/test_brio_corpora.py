"""BRIO on the four real corpora (subsampled): exact round trips, and smaller than brotli."""

from __future__ import annotations

import itertools
from pathlib import Path

import brotli
import pytest

from aura_core import Compressor, train_profile
from aura_core.corpus import read_jsonl

TRAIN_MESSAGES = 400
TEST_MESSAGES = 40


@pytest.mark.parametrize("category", ["ai", "user", "log", "json"])
def test_corpus_round_trip_and_ratio(corpora: Path, category: str) -> None:
    train = list(itertools.islice(read_jsonl(corpora / f"{category}.train.jsonl"), TRAIN_MESSAGES))
    test = list(itertools.islice(read_jsonl(corpora / f"{category}.test.jsonl"), TEST_MESSAGES))
    profile = train_profile(train, progress=False, codecs=["brio"])
    compressor = Compressor(profile=profile, codecs=["brio"])
    codec = compressor.registry.codec("brio")
    brio_bytes = brotli_bytes = 0
    for text in test:
        data = text.encode("utf-8")
        body = codec.encode(text, data, compressor.context)
        assert body is not None
        assert compressor.decompress(bytes([codec.marker]) + body) == text
        brio_bytes += 1 + len(body)
        brotli_bytes += 1 + len(brotli.compress(data, quality=11))
    assert brio_bytes < brotli_bytes
