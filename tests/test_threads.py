"""Thread safety: one Compressor shared by 8 threads gives exactly the single-threaded outputs.

The Compressor holds a profile trained on subsamples of the four train corpora (when
trainable codecs are installed), so every installed codec takes part; the messages
are subsamples of the four test corpora.  Codec instances are also shared between
Compressors (one registry serves them all), which the last test exercises.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import aura_reliability
import pytest

from aura_core import Compressor, Profile, default_registry

THREADS = 8
PER_CATEGORY = 20
#: Messages longer than this are left out, to keep the run short (bytes of UTF-8).
MAX_BYTES = 4096


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = [
        text
        for category in aura_reliability.CATEGORIES
        for text in aura_reliability.corpus_sample(category, "test", PER_CATEGORY, step=7)
        if len(text.encode("utf-8")) <= MAX_BYTES
    ]
    if not found:
        pytest.skip(f"corpora not found at {aura_reliability.CORPORA} (set AURA_CORPORA)")
    return found


@pytest.fixture(scope="module")
def compressor() -> Compressor:
    return aura_reliability.compressor_for(aura_reliability.trained_profile(), fresh=True)


def run_concurrently(work: list[list[int]], action: object) -> list[dict[int, object]]:
    """Run ``action(i)`` for each index of each thread's list, all threads released at once."""
    start = threading.Barrier(len(work))

    def thread(indexes: list[int]) -> dict[int, object]:
        start.wait()
        return {i: action(i) for i in indexes}  # type: ignore[operator]

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return list(pool.map(thread, work))


def test_eight_threads_produce_the_single_threaded_outputs(compressor: Compressor, texts: list[str]) -> None:
    expected = [compressor.compress(text) for text in texts]
    assert [compressor.decompress(r.compressed_data) for r in expected] == texts

    compressor.reset_statistics()

    def round_trip(i: int) -> tuple[bytes, str, str]:
        result = compressor.compress(texts[i])
        return result.compressed_data, result.method, compressor.decompress(result.compressed_data)

    # Every thread does every message, each starting at a different one.
    n = len(texts)
    orders = [[(start * n // THREADS + k) % n for k in range(n)] for start in range(THREADS)]
    for outputs in run_concurrently(orders, round_trip):
        assert outputs == {i: (r.compressed_data, r.method, texts[i]) for i, r in enumerate(expected)}

    stats = compressor.statistics()
    assert stats.messages == stats.decoded_messages == THREADS * n
    assert stats.original_bytes == THREADS * sum(r.original_size for r in expected)
    assert stats.compressed_bytes == THREADS * sum(r.compressed_size for r in expected)
    assert stats.methods == {m: THREADS * k for m, k in Counter(r.method for r in expected).items()}
    assert stats.template_hits == THREADS * sum(r.template_id is not None for r in expected)


def test_batch_calls_match_single_calls(compressor: Compressor, texts: list[str]) -> None:
    expected = [compressor.compress(text).compressed_data for text in texts]
    results = compressor.compress_many(texts, workers=THREADS)
    assert [r.compressed_data for r in results] == expected
    assert compressor.decompress_many(expected, workers=THREADS) == texts


@pytest.mark.parametrize("name", [codec.name for codec in default_registry().codecs])
def test_compressors_with_different_profiles_share_codecs_safely(name: str, texts: list[str]) -> None:
    """Two Compressors (with and without a profile) on the same text objects, from many threads.

    One codec instance serves both, so nothing a codec keeps between calls may leak one
    Compressor's profile into the other's payloads (templates once reused a plan made
    for the other Compressor's profile, emitting a reference its own decoder lacked).
    """
    codec = default_registry().codec(name)
    trained = aura_reliability.trained_profile()
    profile = None
    if codec.trainable and trained is not None:
        profile = Profile.from_bytes(aura_reliability.with_part(codec, trained.parts[codec.name]))
    with_profile = Compressor(profile=profile, codecs=[name])
    without = Compressor(codecs=[name])
    texts = texts[::3]
    pairs = [(with_profile, text) for text in texts] + [(without, text) for text in texts]

    def round_trip(i: int) -> str:
        owner, text = pairs[i]
        return owner.decompress(owner.compress(text).compressed_data)

    # Interleaved: each message goes through one Compressor, then right away the other.
    n = len(texts)
    sequence = [k for i in range(n) for k in (i, i + n)]
    assert [round_trip(i) for i in sequence] == [pairs[i][1] for i in sequence]
    orders = [sequence[t:] + sequence[:t] for t in range(THREADS)]
    for outputs in run_concurrently(orders, round_trip):
        assert outputs == {i: pairs[i][1] for i in sequence}
