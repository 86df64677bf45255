"""The raw codec (marker 0x00): the body is the UTF-8 text as is."""

from __future__ import annotations

import pytest
from aura_test_support import core_context, core_registry
from hypothesis import given
from hypothesis import strategies as st

from aura_core import Compressor, CorruptBodyError, OutputLimitError
from aura_core.codecs.raw import RawCodec

RAW = RawCodec()
CONTEXT = core_context()


@given(st.text())
def test_body_is_the_utf8_and_round_trips(text: str) -> None:
    data = text.encode("utf-8")
    assert RAW.encode(text, data, CONTEXT) == data
    assert RAW.decode(data, CONTEXT) == text


@given(st.binary())
def test_any_body_decodes_exactly_or_is_corrupt(body: bytes) -> None:
    try:
        expected = body.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(CorruptBodyError, match="not valid UTF-8"):
            RAW.decode(body, CONTEXT)
    else:
        assert RAW.decode(body, CONTEXT) == expected


@pytest.mark.parametrize(
    "body",
    [b"\xed\xa0\x80", b"\xc0\x80", b"\xff", b"abc\xe2\x82"],
    ids=["encoded-surrogate", "overlong-nul", "ff", "truncated-sequence"],
)
def test_invalid_utf8_is_corrupt(body: bytes) -> None:
    with pytest.raises(CorruptBodyError):
        RAW.decode(body, CONTEXT)


@given(st.text(min_size=1))
def test_output_limit_is_checked_before_decoding(text: str) -> None:
    data = text.encode("utf-8")
    assert RAW.decode(data, core_context(len(data))) == text
    small = Compressor(registry=core_registry(), max_output_size=len(data) - 1)
    with pytest.raises(OutputLimitError) as caught:
        small.decompress(b"\x00" + data)
    assert (caught.value.limit, caught.value.claimed) == (len(data) - 1, len(data))
