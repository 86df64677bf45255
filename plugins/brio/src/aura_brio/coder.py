"""Binary arithmetic coder: 32-bit, carry-less, 12-bit probabilities, integers only.

The coder keeps an interval ``[x1, x2]`` of 32-bit integers.  A bit with
probability ``p/4096`` of being 1 splits it at ``xmid``; the 1 side keeps
``[x1, xmid]``, the 0 side ``[xmid + 1, x2]``.  Whenever both ends share their top
byte, that byte is final and is shifted out.  The encoder's flush writes the fewest
bytes that, padded with zero bytes, land inside the final interval, so a body never
carries a length and never ends with bytes the decoder does not need.  The decoder
refuses any body that is not exactly what the encoder would have written.

State lives in a small int64 array so the model's kernel can call these helpers
without allocating: encoder ``[x1, x2, bytes written]``, decoder
``[x1, x2, x, next byte to read]``.
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


@inline
def encode_start(cs: np.ndarray) -> None:
    cs[0] = 0
    cs[1] = MASK32
    cs[2] = 0


@inline
def encode_bit(cs: np.ndarray, out: np.ndarray, p: int, y: int) -> None:
    x1 = cs[0]
    x2 = cs[1]
    xmid = split(x1, x2, p)
    if y:
        x2 = xmid
    else:
        x1 = xmid + 1
    while ((x1 ^ x2) & TOP) == 0:
        n = cs[2]
        if n < out.shape[0]:
            out[n] = x2 >> 24
        cs[2] = n + 1
        x1 = (x1 << 8) & MASK32
        x2 = ((x2 << 8) & MASK32) | 255
    cs[0] = x1
    cs[1] = x2


@inline
def flush_value(x1: int, x2: int) -> tuple[int, int]:
    """(k, c): the fewest bytes k whose value c (padded with zeros) lies in [x1, x2]."""
    for k in range(5):
        shift = 32 - 8 * k
        c = ((x1 + (1 << shift) - 1) >> shift) << shift
        if c <= x2:
            return k, c
    return 4, x1


@inline
def encode_flush(cs: np.ndarray, out: np.ndarray) -> None:
    k, c = flush_value(cs[0], cs[1])
    for i in range(k):
        n = cs[2]
        if n < out.shape[0]:
            out[n] = (c >> (24 - 8 * i)) & 255
        cs[2] = n + 1


@inline
def decode_start(cs: np.ndarray, body: np.ndarray) -> None:
    x = 0
    for i in range(4):
        x = (x << 8) | (body[i] if i < body.shape[0] else 0)
    cs[0] = 0
    cs[1] = MASK32
    cs[2] = x
    cs[3] = 4


@inline
def decode_bit(cs: np.ndarray, body: np.ndarray, p: int) -> int:
    x1 = cs[0]
    x2 = cs[1]
    x = cs[2]
    xmid = split(x1, x2, p)
    if x <= xmid:
        y = 1
        x2 = xmid
    else:
        y = 0
        x1 = xmid + 1
    while ((x1 ^ x2) & TOP) == 0:
        pos = cs[3]
        x1 = (x1 << 8) & MASK32
        x2 = ((x2 << 8) & MASK32) | 255
        x = ((x << 8) & MASK32) | (body[pos] if pos < body.shape[0] else 0)
        cs[3] = pos + 1
    cs[0] = x1
    cs[1] = x2
    cs[2] = x
    return y


@inline
def decode_overrun(cs: np.ndarray, body: np.ndarray) -> bool:
    """True once the decoder has shifted out more bytes than the body holds."""
    return cs[3] - 4 > body.shape[0]


@inline
def decode_canonical(cs: np.ndarray, body: np.ndarray) -> bool:
    """True when the body ends exactly where, and as, the encoder's flush would end it."""
    k, c = flush_value(cs[0], cs[1])
    return cs[3] - 4 + k == body.shape[0] and cs[2] == c
