"""Bounded readers shared by the built-in normalizers' decoders.

Every field of a normalizer's binary form has a known size or range, so a decoder
checks it before using it: truncated or hostile input raises
:class:`~aura_core.errors.CorruptBodyError` and never allocates from an unchecked length.
"""

from __future__ import annotations

from aura_core.errors import CorruptBodyError
from aura_core.varint import decode_varint


def read_bytes(data: bytes, pos: int, count: int, what: str) -> tuple[bytes, int]:
    """Read ``count`` fixed bytes at ``pos``; return them and the offset after them."""
    end = pos + count
    if end > len(data):
        raise CorruptBodyError(f"{what}: needs {count} bytes at offset {pos}, {max(len(data) - pos, 0)} left")
    return data[pos:end], end


def read_below(data: bytes, pos: int, limit: int, what: str) -> tuple[int, int]:
    """Read one varint that must be below ``limit``; return it and the offset after it.

    The varint may take no more bytes than ``limit - 1`` needs, so a run of
    continuation bits is rejected early.
    """
    value, end = decode_varint(data, pos, max_bytes=max(1, ((limit - 1).bit_length() + 6) // 7))
    if value >= limit:
        raise CorruptBodyError(f"{what} is {value} at offset {pos}; it must be below {limit}")
    return value, end
