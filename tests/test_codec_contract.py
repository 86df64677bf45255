"""The codec contract, checked on every installed codec: aura-core's and every plugin's.

A codec may decline a message (trainable codecs do without a profile), but what it
encodes must decode to exactly the text, within the output limit, and bad bodies must
raise an ``AuraDecodeError`` subclass, never anything else.
"""

from __future__ import annotations

import random

import pytest
from aura_test_support import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import AuraDecodeError, Codec, Compressor, OutputLimitError, default_registry

CODECS = default_registry().codecs
CONTEXT = Compressor().context
by_name = pytest.mark.parametrize("codec", CODECS, ids=lambda codec: codec.name)


def sixty_four_kib_text(seed: int = 64) -> str:
    """64 KiB of UTF-8 from every plane (no surrogates), the largest message the design expects."""
    rng = random.Random(seed)
    chars: list[str] = []
    size = 0
    while size < 64 * 1024:
        char = chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0xD800), rng.randrange(0x10000, 0x110000)]))
        chars.append(char)
        size += len(char.encode())
    return "".join(chars)


def round_trip(codec: Codec, text: str) -> None:
    data = text.encode("utf-8")
    body = codec.encode(text, data, CONTEXT)
    if body is not None:
        assert codec.decode(body, CONTEXT) == text


@by_name
@settings(max_examples=40)
@given(text=st.text())
def test_round_trip_of_any_text(codec: Codec, text: str) -> None:
    round_trip(codec, text)


@by_name
@pytest.mark.parametrize(
    "text",
    ["", "\x00", "\x00" * 300, "a\x00b\r\n\t\u2028\ufeff", sixty_four_kib_text()],
    ids=["empty", "nul", "nuls", "controls", "64KiB"],
)
def test_round_trip_of_edge_cases(codec: Codec, text: str) -> None:
    round_trip(codec, text)


@by_name
@settings(max_examples=60)
@given(body=st.binary(max_size=300))
def test_random_bodies_decode_or_raise_a_decode_error(codec: Codec, body: bytes) -> None:
    try:
        assert isinstance(codec.decode(body, CONTEXT), str)
    except AuraDecodeError:
        pass


@by_name
def test_output_limit_is_enforced(codec: Codec, corpora) -> None:
    for text in corpus_texts(corpora, "user", "test", 20) + corpus_texts(corpora, "log", "test", 20):
        data = text.encode("utf-8")
        body = codec.encode(text, data, CONTEXT)
        if body is None:
            continue
        limited = Compressor(max_output_size=len(data) - 1).context
        with pytest.raises(OutputLimitError):
            codec.decode(body, limited)


@by_name
def test_every_truncation_fails_or_decodes_to_a_string(codec: Codec, corpora) -> None:
    for text in corpus_texts(corpora, "ai", "test", 2):
        body = codec.encode(text, text.encode("utf-8"), CONTEXT)
        for end in range(len(body or b"")):
            try:
                assert isinstance(codec.decode(body[:end], CONTEXT), str)
            except AuraDecodeError:
                pass
