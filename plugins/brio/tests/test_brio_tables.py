"""The fixed integer tables and the arithmetic coder, checked on their own."""

from __future__ import annotations

import numpy as np
from aura_brio import coder, tables
from hypothesis import given
from hypothesis import strategies as st


def test_squash_and_stretch_are_monotone_inverses() -> None:
    squash = tables.squash_table()
    stretch = tables.stretch_table()
    assert np.all(np.diff(squash) >= 0) and squash[0] >= 1 and squash[-1] <= 4095
    assert np.all(np.diff(stretch) >= 0)
    for p in range(1, 4095):
        assert tables.squash(int(stretch[p])) >= p


def test_bit_histories_fit_a_byte_and_stay_reachable() -> None:
    nxt, priority, counts = tables.history_tables()
    used = len(tables._history_states())
    assert used <= 256
    assert np.all(nxt[: 2 * used] < used)
    assert tuple(counts[0]) == (0, 0) and priority[0] == 0
    state = 0
    for _ in range(100):
        state = int(nxt[2 * state + 1])
    assert counts[state][1] == tables.RUN_CAP and counts[state][0] == 0


@given(st.lists(st.tuples(st.integers(1, 4095), st.integers(0, 1)), max_size=400))
def test_coder_round_trips_any_decisions(decisions: list[tuple[int, int]]) -> None:
    out = np.zeros(16 * len(decisions) + 16, dtype=np.uint8)
    x1, x2, n = 0, coder.MASK32, 0
    for p, y in decisions:
        x1, x2, n = coder.encode_bit(x1, x2, n, out, p, y)
    n = coder.encode_flush(x1, x2, n, out)
    body = out[:n].copy()
    x1, x2, x, pos = 0, coder.MASK32, coder.decode_start(body), 4
    decoded = []
    for p, _ in decisions:
        y, x1, x2, x, pos = coder.decode_bit(x1, x2, x, pos, body, p)
        decoded.append(y)
    assert decoded == [y for _, y in decisions]
    assert coder.decode_canonical(x1, x2, x, pos, body)
    assert not coder.decode_overrun(pos, body)
    assert not coder.decode_canonical(x1, x2, x, pos, np.append(body, np.uint8(0)))
