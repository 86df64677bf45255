"""The brotli codec (marker 0x01): a bare brotli stream of the UTF-8 text (docs/codecs/brotli.md)."""

from __future__ import annotations

import brotli
import pytest
from aura_test_support import CATEGORIES, core_context, core_registry, corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import AuraDecodeError, Compressor, CorruptBodyError, OutputLimitError
from aura_core.codecs.brotli import MAX_WINDOW_BITS, MIN_WINDOW_BITS, BrotliCodec, window_bits

BROTLI = BrotliCodec()
CONTEXT = core_context()


def encode(text: str) -> bytes:
    return BROTLI.encode(text, text.encode("utf-8"), CONTEXT)


@settings(max_examples=60)
@given(st.text())
def test_round_trip(text: str) -> None:
    assert BROTLI.decode(encode(text), CONTEXT) == text


@settings(max_examples=30)
@given(st.text())
def test_body_is_a_bare_brotli_stream(text: str) -> None:
    # Any RFC 7932 decoder reads the body: no framing of AURA's own.
    assert brotli.decompress(encode(text)) == text.encode("utf-8")


@given(st.integers(min_value=0, max_value=2**26))
def test_window_covers_the_message_and_is_never_larger_than_needed(size: int) -> None:
    bits = window_bits(size)
    assert MIN_WINDOW_BITS <= bits <= MAX_WINDOW_BITS
    # Brotli's window holds (1 << bits) - 16 bytes.
    assert (1 << bits) - 16 >= size or bits == MAX_WINDOW_BITS
    assert bits == MIN_WINDOW_BITS or (1 << (bits - 1)) - 16 < size


def test_short_messages_use_the_one_bit_window_header() -> None:
    # RFC 7932 9.1: a first bit of 0 means WBITS = 16, the shortest stream header.
    assert encode("Hello, world")[0] & 1 == 0


def test_every_truncation_is_corrupt(corpora) -> None:
    for text in corpus_texts(corpora, "user", "test", 3):
        body = encode(text)
        for end in range(len(body)):
            with pytest.raises(CorruptBodyError):
                BROTLI.decode(body[:end], CONTEXT)


@given(st.text(), st.binary(min_size=1, max_size=8))
def test_trailing_bytes_are_corrupt(text: str, tail: bytes) -> None:
    with pytest.raises(CorruptBodyError):
        BROTLI.decode(encode(text) + tail, CONTEXT)


@given(st.binary(max_size=200))
def test_random_bodies_never_crash(body: bytes) -> None:
    try:
        BROTLI.decode(body, CONTEXT)
    except AuraDecodeError:
        pass


def test_invalid_utf8_inside_a_valid_stream_is_corrupt() -> None:
    with pytest.raises(CorruptBodyError, match="not valid UTF-8"):
        BROTLI.decode(brotli.compress(b"ok \xed\xa0\x80"), CONTEXT)


def test_bomb_stops_at_the_output_limit() -> None:
    bomb = brotli.compress(b"\0" * 10_000_000, quality=1)
    assert len(bomb) < 10_000
    limited = Compressor(registry=core_registry(), max_output_size=1_000_000)
    with pytest.raises(OutputLimitError, match="over the limit of 1,000,000 bytes"):
        limited.decompress(b"\x01" + bomb)


@given(st.text(min_size=1))
def test_output_limit_is_exact(text: str) -> None:
    data = text.encode("utf-8")
    payload = b"\x01" + encode(text)
    assert Compressor(registry=core_registry(), max_output_size=len(data)).decompress(payload) == text
    with pytest.raises(OutputLimitError):
        Compressor(registry=core_registry(), max_output_size=len(data) - 1).decompress(payload)


@pytest.mark.parametrize("category", CATEGORIES)
def test_corpus_messages_round_trip_and_shrink_in_total(corpora, category: str) -> None:
    texts = corpus_texts(corpora, category, "test", 40)
    bodies = [encode(text) for text in texts]
    assert [BROTLI.decode(body, CONTEXT) for body in bodies] == texts
    assert sum(map(len, bodies)) < sum(len(t.encode()) for t in texts)


@pytest.mark.parametrize("quality", [0, 5, 11])
@pytest.mark.parametrize("window", [10, 22, 24])
@pytest.mark.parametrize("mode", [brotli.MODE_GENERIC, brotli.MODE_TEXT])
def test_streams_from_any_encoder_settings_decode(quality: int, window: int, mode: int) -> None:
    """The encoder's settings are not part of the format: any brotli stream of UTF-8 decodes."""
    text = "Any encoder may write the body: ünïcödé, 日本語, 🙂. " * 20
    body = brotli.compress(text.encode(), mode=mode, quality=quality, lgwin=window)
    assert BROTLI.decode(body, CONTEXT) == text
