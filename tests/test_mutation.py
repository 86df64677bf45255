"""Mutated payloads of every installed codec: exact text or a documented AuraDecodeError.

The valid payloads are each codec's golden vectors and fresh bodies of corpus
messages; hypothesis flips bits in them, truncates, extends and splices them.  Every
result goes through :func:`aura_reliability.check_payload`: it decodes to a ``str``
that decodes the same way twice and survives re-compression, or it raises one of
the documented ``AuraDecodeError`` subclasses.  A stateful test interleaves
compress, decompress and reset_statistics on one Compressor and keeps a model of
what its statistics must say.
"""

from __future__ import annotations

import functools
from collections import Counter

import aura_reliability
import pytest
from aura_reliability import check_payload, mutations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from aura_core import Compressor, InvalidTextError, default_registry

CODECS = [codec.name for codec in default_registry().codecs]
Pool = list[tuple[Compressor, bytes]]
#: Corpus messages per category encoded afresh by every codec, and the longest taken (bytes).
FRESH_PER_CATEGORY = 6
FRESH_MAX_BYTES = 2048


@pytest.fixture(scope="module")
def pools() -> dict[str, Pool]:
    """Valid payloads of each codec, each with a Compressor that holds the profile it needs."""
    registry = default_registry()
    pools: dict[str, Pool] = {name: [] for name in CODECS}
    for vector in aura_reliability.payload_vectors():
        codec = registry.codec_for_marker(vector.payload[0])
        pools[codec.name].append((aura_reliability.compressor_for(vector.profile), vector.payload))
    fresh = aura_reliability.compressor_for(aura_reliability.trained_profile())
    texts = [
        text
        for category in aura_reliability.CATEGORIES
        for text in aura_reliability.corpus_sample(category, "test", 4 * FRESH_PER_CATEGORY)
        if len(text.encode("utf-8")) <= FRESH_MAX_BYTES
    ]
    texts = texts[:: max(1, len(texts) // (FRESH_PER_CATEGORY * len(aura_reliability.CATEGORIES)))]
    for codec in registry.codecs:
        for text in texts + list(aura_reliability.SAMPLE_TEXTS):
            body = codec.encode(text, text.encode("utf-8"), fresh.context)
            if body is not None:
                pools[codec.name].append((fresh, bytes([codec.marker]) + body))
    return pools


def test_every_codec_has_valid_payloads(pools: dict[str, Pool]) -> None:
    """Without valid payloads a codec's mutation test would prove nothing."""
    assert [name for name, pool in pools.items() if not pool] == []


def cut_points(size: int) -> set[int]:
    """Where to cut a payload: every point near either end (headers, final bytes), a few between."""
    return set(range(min(size, 24))) | set(range(max(0, size - 8), size)) | set(range(0, size, max(1, size // 16)))


@pytest.mark.parametrize("codec", CODECS)
def test_truncations(codec: str, pools: dict[str, Pool]) -> None:
    for compressor, payload in pools[codec]:
        for cut in sorted(cut_points(len(payload))):
            check_payload(compressor, payload[:cut])


@pytest.mark.parametrize("codec", CODECS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_payloads(codec: str, pools: dict[str, Pool], data: st.DataObject) -> None:
    pool = pools[codec]
    compressor, payload = data.draw(st.sampled_from(pool), label="payload")
    _, other = data.draw(st.sampled_from(pool), label="other")
    bits = data.draw(st.lists(st.integers(0, 8 * len(payload) - 1), min_size=1, max_size=4), label="bits")
    cut = data.draw(st.integers(0, 1 << 16), label="cut")
    extra = data.draw(st.binary(min_size=1, max_size=32), label="extra")
    for _, mutated in mutations(payload, other, extra, bits, cut):
        check_payload(compressor, mutated)


@functools.cache
def stateful_compressor() -> Compressor:
    """One Compressor of its own for every run of the state machine (loading a profile is slow)."""
    return aura_reliability.compressor_for(aura_reliability.trained_profile(), fresh=True)


class CompressorStatistics(RuleBasedStateMachine):
    """compress / decompress / reset_statistics in any order; statistics always match a model."""

    payloads = Bundle("payloads")

    @initialize()
    def start(self) -> None:
        self.compressor = stateful_compressor()
        self.compressor.reset_statistics()
        self.reset_model()

    def reset_model(self) -> None:
        self.messages = self.original = self.compressed = self.templates = self.expansions = self.decoded = 0
        self.methods: Counter[str] = Counter()

    def count(self, text: str, payload: bytes, method: str, template: bool) -> None:
        size = len(text.encode("utf-8"))
        self.messages += 1
        self.original += size
        self.compressed += len(payload)
        self.methods[method] += 1
        self.templates += template
        self.expansions += len(payload) > size

    @rule(target=payloads, text=st.text(max_size=200) | st.sampled_from(aura_reliability.SAMPLE_TEXTS))
    def compress(self, text: str) -> tuple[bytes, str]:
        result = self.compressor.compress(text)
        self.count(text, result.compressed_data, result.method, result.template_id is not None)
        return result.compressed_data, text

    @rule(texts=st.lists(st.text(max_size=60), max_size=5))
    def compress_many(self, texts: list[str]) -> None:
        for text, result in zip(texts, self.compressor.compress_many(texts), strict=True):
            self.count(text, result.compressed_data, result.method, result.template_id is not None)

    @rule(text=st.text(max_size=20), where=st.integers(0, 20), surrogate=st.integers(0xD800, 0xDFFF))
    def compress_lone_surrogate(self, text: str, where: int, surrogate: int) -> None:
        with pytest.raises(InvalidTextError):
            self.compressor.compress(text[:where] + chr(surrogate) + text[where:])

    @rule(item=payloads)
    def decompress(self, item: tuple[bytes, str]) -> None:
        payload, text = item
        assert self.compressor.decompress(payload) == text
        self.decoded += 1

    @rule(payload=st.binary(max_size=40))
    def decompress_hostile(self, payload: bytes) -> None:
        try:
            self.compressor.decompress(payload)
        except aura_reliability.DOCUMENTED_DECODE_ERRORS:
            return
        self.decoded += 1

    @rule()
    def reset_statistics(self) -> None:
        self.compressor.reset_statistics()
        self.reset_model()

    @invariant()
    def statistics_match_the_model(self) -> None:
        stats = self.compressor.statistics()
        assert (stats.messages, stats.original_bytes, stats.compressed_bytes) == (
            self.messages,
            self.original,
            self.compressed,
        )
        assert {m: n for m, n in stats.methods.items() if n} == dict(+self.methods)
        assert sum(stats.methods.values()) == stats.messages
        assert (stats.template_hits, stats.expansions, stats.decoded_messages) == (
            self.templates,
            self.expansions,
            self.decoded,
        )
        assert stats.bytes_saved == self.original - self.compressed


TestCompressorStatistics = CompressorStatistics.TestCase
TestCompressorStatistics.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
