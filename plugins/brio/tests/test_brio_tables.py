"""The fixed integer tables and the arithmetic coder, checked on their own."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aura_brio import coder, tables


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
    cs = np.zeros(4, dtype=np.int64)
    coder.encode_start(cs)
    for p, y in decisions:
        coder.encode_bit(cs, out, p, y)
    coder.encode_flush(cs, out)
    body = out[: cs[2]].copy()
    assert len(body) == 0 or body[-1] != 0 or len(decisions) > 0
    ds = np.zeros(4, dtype=np.int64)
    coder.decode_start(ds, body)
    assert [coder.decode_bit(ds, body, p) for p, _ in decisions] == [y for _, y in decisions]
    assert coder.decode_canonical(ds, body)
    assert not coder.decode_overrun(ds, body)
