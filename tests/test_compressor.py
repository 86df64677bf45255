"""The Compressor: the container (marker || body), the selector's policy, batches, bad input."""

from __future__ import annotations

from fractions import Fraction

import pytest
from attrs import evolve
from aura_test_support import CATEGORIES, core_registry, corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import (
    AuraDecodeError,
    Compressor,
    CorruptBodyError,
    InvalidTextError,
    TemplateHintError,
    UnknownMarkerError,
)
from aura_core.compressor import DEFAULT_MAX_OUTPUT_SIZE
from aura_core.registry import Registry

COMPRESSOR = Compressor()
ORACLE = Compressor(oracle=True)


def check_result(compressor: Compressor, text: str) -> None:
    """Everything a CompressResult promises, for one text."""
    data = text.encode("utf-8")
    result = compressor.compress(text)
    codec = compressor.registry.codec(result.method)
    assert result.compressed_data[0] == codec.marker
    assert result.original_size == len(data)
    assert result.compressed_size == len(result.compressed_data)
    assert result.compression_ratio == len(data) / len(result.compressed_data)
    # Never expand by more than the marker byte: raw is the fallback.
    assert result.compressed_size <= len(data) + 1
    if result.method == "raw":
        assert result.compressed_data == b"\x00" + data
    assert compressor.decompress(result.compressed_data) == text


@settings(max_examples=80)
@given(st.text())
def test_any_text_round_trips_and_never_expands(text: str) -> None:
    check_result(COMPRESSOR, text)


@pytest.mark.parametrize("text", ["", "\x00", "\x00" * 1000, "é" * 40_000, "🙂" * 16_384], ids=repr)
def test_edge_cases_round_trip(text: str) -> None:
    check_result(COMPRESSOR, text)


@pytest.mark.parametrize("category", CATEGORIES)
def test_corpus_messages_round_trip(corpora, category: str) -> None:
    for text in corpus_texts(corpora, category, "test", 25):
        check_result(COMPRESSOR, text)


@given(st.text(), st.characters(categories=["Cs"]), st.text())
def test_lone_surrogates_are_invalid_text(before: str, surrogate: str, after: str) -> None:
    with pytest.raises(InvalidTextError, match=f"lone surrogate .* at index {len(before)}"):
        COMPRESSOR.compress(before + surrogate + after)


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="takes str"):
        COMPRESSOR.compress(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes bytes"):
        COMPRESSOR.decompress("text")  # type: ignore[arg-type]


def test_bytearray_and_memoryview_payloads_decode() -> None:
    payload = COMPRESSOR.compress("hello hello hello hello").compressed_data
    assert COMPRESSOR.decompress(bytearray(payload)) == COMPRESSOR.decompress(memoryview(payload))


def test_empty_payload_is_corrupt() -> None:
    with pytest.raises(CorruptBodyError, match="empty payload"):
        COMPRESSOR.decompress(b"")


@settings(max_examples=150)
@given(st.binary(max_size=200))
def test_random_payloads_decode_or_raise_a_decode_error(payload: bytes) -> None:
    try:
        assert isinstance(COMPRESSOR.decompress(payload), str)
    except AuraDecodeError:
        pass


def test_truncated_payloads_fail_or_decode(corpora) -> None:
    for text in corpus_texts(corpora, "json", "test", 3):
        payload = COMPRESSOR.compress(text).compressed_data
        for end in range(1, len(payload)):
            try:
                assert isinstance(COMPRESSOR.decompress(payload[:end]), str)
            except AuraDecodeError:
                pass


def test_marker_of_a_known_but_missing_distribution_names_it() -> None:
    core_only = Compressor(registry=core_registry())
    with pytest.raises(UnknownMarkerError, match=r"0x03: it belongs to 'aura-zstd': install it \(pip install aura-zstd\)"):
        core_only.decompress(b"\x03\x01\x02anything")


def test_default_output_limit_is_64_mib() -> None:
    assert COMPRESSOR.context.max_output_size == DEFAULT_MAX_OUTPUT_SIZE == 64 * 1024 * 1024


def test_template_hint_without_a_hint_codec_is_refused() -> None:
    with pytest.raises(TemplateHintError, match="install aura-templates"):
        Compressor(registry=core_registry()).compress("user 42 logged in", template_id=1, slots=["42"])


def test_unknown_codec_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown codec.*nope"):
        Compressor(codecs=["brotli", "nope"])


@settings(max_examples=30)
@given(st.text(min_size=1))
def test_restricting_codecs_restricts_methods(text: str) -> None:
    assert Compressor(codecs=["brotli"]).compress(text).method in {"brotli", "raw"}
    assert Compressor(codecs=[]).compress(text).method == "raw"


# -- policy -----------------------------------------------------------------------


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_min_compression_size_sends_shorter_messages_raw(text: str, minimum: int) -> None:
    result = Compressor(min_compression_size=minimum).compress(text)
    if len(text.encode("utf-8")) < minimum:
        assert result.method == "raw"
    else:
        assert result == COMPRESSOR.compress(text)


@pytest.mark.parametrize("threshold", [1.1, 1.5, 2.0])
def test_binary_advantage_threshold(corpora, threshold: float) -> None:
    """A codec is used only when its body is ``threshold`` times smaller than the text; else raw."""
    demanding = Compressor(binary_advantage_threshold=threshold)
    outcomes = set()
    for text in corpus_texts(corpora, "user", "test", 60) + corpus_texts(corpora, "log", "test", 20):
        best = COMPRESSOR.compress(text)
        # Exact decimal arithmetic, as the selector promises (never a float comparison).
        passes = best.method != "raw" and best.original_size >= Fraction(str(threshold)) * (best.compressed_size - 1)
        result = demanding.compress(text)
        if passes:
            assert result == best
        else:
            assert result.method == "raw"
        outcomes.add(passes)
    assert outcomes == {True, False}, "the sample should hold messages on both sides of the threshold"


@given(st.text())
def test_oracle_is_never_worse_than_the_selector(text: str) -> None:
    assert ORACLE.compress(text).compressed_size <= COMPRESSOR.compress(text).compressed_size


@pytest.mark.parametrize("category", CATEGORIES)
def test_oracle_regret_on_corpora(corpora, category: str) -> None:
    texts = corpus_texts(corpora, category, "test", 30)
    selected = sum(r.compressed_size for r in COMPRESSOR.compress_many(texts))
    oracle = sum(r.compressed_size for r in ORACLE.compress_many(texts))
    assert oracle <= selected


# -- batches ----------------------------------------------------------------------


@pytest.mark.parametrize("codecs", [None, ["brotli"]], ids=["all-codecs", "threaded-brotli"])
def test_compress_many_equals_one_by_one(corpora, codecs: list[str] | None) -> None:
    # 100 messages: past the batch size where codecs that free the GIL get threads.
    texts = corpus_texts(corpora, "user", "test", 100)
    batch, single = Compressor(codecs=codecs), Compressor(codecs=codecs)
    results = batch.compress_many(texts)
    assert results == [single.compress(text) for text in texts]
    assert batch.decompress_many([r.compressed_data for r in results]) == texts
    assert batch.statistics() == evolve(single.statistics(), decoded_messages=len(texts))


def test_a_registry_without_the_raw_codec_is_refused_with_advice() -> None:
    with pytest.raises(ValueError, match=r"no raw codec .*register_plugin\(aura_core.builtins\)"):
        Compressor(registry=Registry())
