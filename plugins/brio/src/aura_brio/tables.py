"""Fixed integer tables every BRIO encoder and decoder must share bit for bit.

Nothing here is learned: the tables are derived by integer rules that
docs/codecs/brio.md states, so a decoder in another language can rebuild them
exactly (the doc lists the 33 squash points verbatim).
"""

from __future__ import annotations

import math

import numpy as np

#: squash(x) = 4096 / (1 + exp(-x/256)) sampled at x = -2048, -1920, ..., 2048, rounded
#: and clamped to [1, 4095].
#: Written out so no platform's exp() ever decides a bit.
SQUASH_POINTS = (
    1, 2, 4, 6, 10, 17, 27, 45, 74, 120, 194, 311, 488, 747, 1102, 1546,
    2048, 2550, 2994, 3349, 3608, 3785, 3902, 3976, 4022, 4051, 4069, 4079, 4086, 4090, 4092, 4094, 4095,
)  # fmt: skip

#: Caps of a bit-history count, by how many of the opposite bit the history holds
#: (0, 1-2, 3 or more): long one-sided runs are worth remembering, mixed ones are not.
RUN_CAP = 48
MIXED_CAP = 20
NOISY_CAP = 6


def squash(x: int) -> int:
    """Logistic function in the 12-bit domain, by linear interpolation of SQUASH_POINTS."""
    x = min(x, 2047)
    x = max(x, -2047)
    j = (x >> 7) + 16
    w = x & 127
    return (SQUASH_POINTS[j] * (128 - w) + SQUASH_POINTS[j + 1] * w + 64) >> 7


def squash_table() -> np.ndarray:
    """squash(x) for x in [-2047, 2047], indexed by x + 2047."""
    return np.array([squash(x) for x in range(-2047, 2048)], dtype=np.int32)


def stretch_table() -> np.ndarray:
    """stretch(p) for p in [0, 4095]: the smallest x with squash(x) >= p (clamped at 2047)."""
    table = np.empty(4096, dtype=np.int32)
    x = -2047
    for p in range(4096):
        while x < 2047 and squash(x) < p:
            x += 1
        table[p] = x
    return table


def _bump(mine: int, other: int) -> tuple[int, int]:
    """One more observation of a bit: its count grows (capped), the opposite count decays."""
    if other > 2:
        other = (other + 1) // 2
    cap = RUN_CAP if other == 0 else MIXED_CAP if other <= 2 else NOISY_CAP
    return min(mine + 1, cap), other


def _history_states() -> list[tuple[int, int]]:
    """All (n0, n1) pairs reachable from (0, 0), ordered by (n0 + n1, n1)."""
    seen = {(0, 0)}
    todo = [(0, 0)]
    while todo:
        n0, n1 = todo.pop()
        one = _bump(n1, n0)
        zero = _bump(n0, n1)
        for state in ((zero[0], zero[1]), (one[1], one[0])):
            if state not in seen:
                seen.add(state)
                todo.append(state)
    return sorted(seen, key=lambda s: (s[0] + s[1], s[1]))


def history_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bit-history state machine: next state, bucket priority, and the (n0, n1) of each state.

    ``next[2 * s + y]`` is the state after bit ``y`` in state ``s``; state 0 is the
    empty history.  ``priority[s]`` = min(n0 + n1, 255) decides which hash bucket a
    new context replaces.
    """
    states = _history_states()
    if len(states) > 256:
        raise AssertionError("bit-history states must fit in a byte")
    index = {s: i for i, s in enumerate(states)}
    nxt = np.zeros(512, dtype=np.uint8)
    priority = np.zeros(256, dtype=np.uint8)
    counts = np.zeros((256, 2), dtype=np.int32)
    for i, (n0, n1) in enumerate(states):
        zero = _bump(n0, n1)
        one = _bump(n1, n0)
        nxt[2 * i] = index[(zero[0], zero[1])]
        nxt[2 * i + 1] = index[(one[1], one[0])]
        priority[i] = min(n0 + n1, 255)
        counts[i] = (n0, n1)
    return nxt, priority, counts


def reciprocal_table(size: int = 1024) -> np.ndarray:
    """Adaptation rates 1/(n + 1.5) in 16-bit fixed point: 131072 // (2n + 3)."""
    return np.array([131072 // (2 * n + 3) for n in range(size)], dtype=np.int32)


def cost_table() -> np.ndarray:
    """-log2(p / 4096) in 1/256 bit for p in [0, 4095]; reporting only, never decides a bit."""
    return np.array([0] + [round(-math.log2(p / 4096) * 256) for p in range(1, 4096)], dtype=np.int32)
