"""Binary arithmetic coder: 32-bit, carry-less, 12-bit probabilities, integers only.

The coder keeps an interval ``[x1, x2]`` of 32-bit integers.  A bit with
probability ``p/4096`` of being 1 splits it at ``xmid``; the 1 side keeps
``[x1, xmid]``, the 0 side ``[xmid + 1, x2]``.  Whenever both ends share their top
byte, that byte is final and is shifted out.  The encoder's flush writes the fewest
bytes that, padded with zero bytes, land inside the final interval, so a body never
carries a length and never ends with bytes the decoder does not need.  The decoder
refuses any body that is not exactly what the encoder would have written.

The helpers take and return the coder's registers as plain integers, so once
inlined into the model's kernel they live in CPU registers: encoder
``(x1, x2, bytes written)``, decoder ``(x1, x2, x, next byte to read)``.
"""

from __future__ import annotations

import numpy as np

from aura_brio.jit import inline, kernel

MASK32 = 0xFFFFFFFF
TOP = 0xFF000000


@inline
def split(x1: int, x2: int, p: int) -> int:
    """The last value of the 1 side for a bit that is 1 with probability p/4096."""
    r = x2 - x1
    return x1 + (r >> 12) * p + (((r & 0xFFF) * p) >> 12)


@kernel
def encode_bit(x1: int, x2: int, n: int, out: np.ndarray, p: int, y: int) -> tuple[int, int, int]:
    xmid = split(x1, x2, p)
    if y:
        x2 = xmid
    else:
        x1 = xmid + 1
    while ((x1 ^ x2) & TOP) == 0:
        if n < out.shape[0]:
            out[n] = x2 >> 24
        n += 1
        x1 = (x1 << 8) & MASK32
        x2 = ((x2 << 8) & MASK32) | 255
    return x1, x2, n


@inline
def flush_value(x1: int, x2: int) -> tuple[int, int]:
    """(k, c): the fewest bytes k whose value c (padded with zeros) lies in [x1, x2]."""
    for k in range(4):
        shift = 32 - 8 * k
        c = ((x1 + (1 << shift) - 1) >> shift) << shift
        if c <= x2:
            return k, c
    return 4, x1


@kernel
def encode_flush(x1: int, x2: int, n: int, out: np.ndarray) -> int:
    k, c = flush_value(x1, x2)
    for i in range(k):
        if n < out.shape[0]:
            out[n] = (c >> (24 - 8 * i)) & 255
        n += 1
    return n


@kernel
def decode_start(body: np.ndarray) -> int:
    x = 0
    for i in range(4):
        x = (x << 8) | (body[i] if i < body.shape[0] else 0)
    return x


@kernel
def decode_bit(x1: int, x2: int, x: int, pos: int, body: np.ndarray, p: int) -> tuple[int, int, int, int, int]:
    xmid = split(x1, x2, p)
    if x <= xmid:
        y = 1
        x2 = xmid
    else:
        y = 0
        x1 = xmid + 1
    while ((x1 ^ x2) & TOP) == 0:
        x1 = (x1 << 8) & MASK32
        x2 = ((x2 << 8) & MASK32) | 255
        x = ((x << 8) & MASK32) | (body[pos] if pos < body.shape[0] else 0)
        pos += 1
    return y, x1, x2, x, pos


@kernel
def decode_overrun(pos: int, body: np.ndarray) -> bool:
    """True once the decoder has shifted out more bytes than the body holds."""
    return bool(pos - 4 > body.shape[0])


@kernel
def decode_canonical(x1: int, x2: int, x: int, pos: int, body: np.ndarray) -> bool:
    """True when the body ends exactly where, and as, the encoder's flush would end it."""
    k, c = flush_value(x1, x2)
    return bool(pos - 4 + k == body.shape[0] and x == c)
