"""LEB128 varints and zig-zag integers (aura_core.varint), as docs/wire-format.md defines them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aura_core import CorruptBodyError
from aura_core.varint import MAX_VARINT_BYTES, decode_varint, decode_zigzag, encode_varint, encode_zigzag

UNSIGNED = st.integers(min_value=0, max_value=2 ** (7 * MAX_VARINT_BYTES) - 1)


@given(UNSIGNED, st.binary(max_size=4), st.binary(max_size=4))
def test_round_trip_at_any_offset(value: int, before: bytes, after: bytes) -> None:
    encoded = encode_varint(value)
    assert decode_varint(before + encoded + after, len(before)) == (value, len(before) + len(encoded))


@given(UNSIGNED)
def test_seven_bits_per_byte_high_bit_on_all_but_last(value: int) -> None:
    encoded = encode_varint(value)
    assert len(encoded) == max(1, -(-value.bit_length() // 7))
    assert all(byte & 0x80 for byte in encoded[:-1]) and not encoded[-1] & 0x80
    assert sum((byte & 0x7F) << (7 * i) for i, byte in enumerate(encoded)) == value


def test_small_ids_cost_one_byte() -> None:
    assert {len(encode_varint(v)) for v in range(128)} == {1}
    assert len(encode_varint(128)) == 2


def test_negative_values_are_refused() -> None:
    with pytest.raises(ValueError, match="unsigned"):
        encode_varint(-1)


@given(st.integers(min_value=128, max_value=2**64))
def test_every_truncation_is_corrupt(value: int) -> None:
    encoded = encode_varint(value)
    for end in range(len(encoded)):
        with pytest.raises(CorruptBodyError, match="ends inside a varint"):
            decode_varint(encoded[:end])


def test_overlong_varint_is_refused_after_max_bytes() -> None:
    endless = b"\x80" * 1000
    with pytest.raises(CorruptBodyError, match=f"longer than {MAX_VARINT_BYTES} bytes"):
        decode_varint(endless)
    with pytest.raises(CorruptBodyError, match="longer than 2 bytes"):
        decode_varint(encode_varint(2**14), max_bytes=2)


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1), st.binary(max_size=3))
def test_zigzag_round_trip(value: int, after: bytes) -> None:
    encoded = encode_zigzag(value)
    assert decode_zigzag(encoded + after) == (value, len(encoded))
    # The mapping of docs/wire-format.md: n >= 0 -> 2n, n < 0 -> -2n - 1.
    assert decode_varint(encoded)[0] == (2 * value if value >= 0 else -2 * value - 1)


def test_zigzag_keeps_small_magnitudes_short() -> None:
    assert {len(encode_zigzag(v)) for v in range(-64, 64)} == {1}


@given(st.integers(min_value=0, max_value=2**56), st.integers(min_value=1, max_value=3))
def test_only_the_shortest_form_is_accepted(value: int, padding: int) -> None:
    encoded = bytearray(encode_varint(value))
    encoded[-1] |= 0x80
    padded = bytes(encoded) + b"\x80" * (padding - 1) + b"\x00"
    with pytest.raises(CorruptBodyError, match="not in its shortest form"):
        decode_varint(padded, max_bytes=len(padded))
