"""Unsigned LEB128 varints: every identifier inside a body uses them.

Small ids cost one byte.  Decoding is bounded by ``max_bytes`` so a hostile run of
continuation bits is rejected after a few bytes instead of building a huge integer,
and only the shortest form is accepted, so every value has exactly one encoding.
"""

from __future__ import annotations

from aura_core.errors import CorruptBodyError

#: Ten bytes hold any 64-bit value; nothing in AURA needs more.
MAX_VARINT_BYTES = 10


def encode_varint(value: int) -> bytes:
    """Return ``value`` (>= 0) as unsigned LEB128."""
    if value < 0:
        raise ValueError(f"varints are unsigned, got {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes, pos: int = 0, max_bytes: int = MAX_VARINT_BYTES) -> tuple[int, int]:
    """Read one varint at ``pos``; return ``(value, position after it)``.

    Raises :class:`CorruptBodyError` when the data ends inside the varint or the
    varint is longer than ``max_bytes``.
    """
    value = 0
    shift = 0
    for i in range(max_bytes):
        if pos + i >= len(data):
            raise CorruptBodyError(f"body ends inside a varint at offset {pos}")
        byte = data[pos + i]
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            if byte == 0 and i > 0:
                raise CorruptBodyError(f"varint at offset {pos} is not in its shortest form")
            return value, pos + i + 1
        shift += 7
    raise CorruptBodyError(f"varint at offset {pos} is longer than {max_bytes} bytes")


def encode_zigzag(value: int) -> bytes:
    """Signed integers as varints: small magnitudes of either sign stay short."""
    return encode_varint(value * 2 if value >= 0 else -value * 2 - 1)


def decode_zigzag(data: bytes, pos: int = 0) -> tuple[int, int]:
    raw, pos = decode_varint(data, pos)
    return (raw >> 1) ^ -(raw & 1), pos
