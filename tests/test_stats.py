"""Statistics: the counters agree with the results the Compressor returned."""

from __future__ import annotations

from collections import Counter

from aura_test_support import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import Compressor, Statistics


def check_consistent(statistics: Statistics, results: list, decoded: int) -> None:
    assert statistics.messages == len(results)
    assert statistics.original_bytes == sum(r.original_size for r in results)
    assert statistics.compressed_bytes == sum(r.compressed_size for r in results)
    assert statistics.methods == dict(Counter(r.method for r in results))
    assert statistics.expansions == sum(r.compressed_size > r.original_size for r in results)
    assert statistics.template_hits == sum(r.template_id is not None for r in results)
    assert statistics.decoded_messages == decoded
    assert statistics.bytes_saved == statistics.original_bytes - statistics.compressed_bytes
    if results:
        assert statistics.compression_ratio == statistics.original_bytes / statistics.compressed_bytes
        assert statistics.template_hit_rate == statistics.template_hits / statistics.messages


@settings(max_examples=30)
@given(st.lists(st.text(), max_size=12), st.integers(min_value=0, max_value=12))
def test_counters_match_the_results(texts: list[str], decodes: int) -> None:
    compressor = Compressor()
    results = [compressor.compress(text) for text in texts]
    decodes = min(decodes, len(results))
    for result in results[:decodes]:
        compressor.decompress(result.compressed_data)
    check_consistent(compressor.statistics(), results, decodes)


def test_corpus_batch_and_reset(corpora) -> None:
    compressor = Compressor()
    texts = corpus_texts(corpora, "log", "test", 80) + corpus_texts(corpora, "user", "test", 80)
    results = compressor.compress_many(texts)
    compressor.decompress_many([r.compressed_data for r in results])
    statistics = compressor.statistics()
    check_consistent(statistics, results, len(texts))
    assert statistics.compression_ratio > 1
    compressor.reset_statistics()
    check_consistent(compressor.statistics(), [], 0)
    assert compressor.statistics().compression_ratio == 1.0
    assert compressor.statistics().template_hit_rate == 0.0
