"""The range coder: any symbol sequence over any tables comes back, and bad input is refused."""

from __future__ import annotations

import pytest
from aura_templates.rangecoder import MAX_TOTAL, FrequencyTable, RangeDecoder, RangeEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core.errors import CorruptBodyError

counts = st.lists(st.integers(0, 10**6), min_size=1, max_size=40)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("symbol"), st.integers(0, 3), st.integers(0, 10**6)),
        st.tuples(st.just("uniform"), st.integers(1, 48), st.integers(0, 2**48 - 1)),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=4, max_size=4), steps)
def test_round_trip(table_counts: list[list[int]], program: list[tuple[str, int, int]]) -> None:
    tables = [FrequencyTable.from_counts(c) for c in table_counts]
    enc = RangeEncoder()
    expected = []
    for kind, a, b in program:
        if kind == "symbol":
            symbol = b % len(tables[a])
            enc.encode_symbol(tables[a], symbol)
            expected.append(symbol)
        else:
            value = b % (1 << a)
            enc.encode_uniform(value, a)
            expected.append(value)
    data = enc.finish()
    dec = RangeDecoder(data)
    got = []
    for kind, a, _ in program:
        got.append(dec.decode_symbol(tables[a]) if kind == "symbol" else dec.decode_uniform(a))
    assert got == expected


def test_quantized_tables_fit_the_coder() -> None:
    table = FrequencyTable.from_counts([10**9, 1, 0, 5] + [3] * 5000)
    assert table.total <= MAX_TOTAL
    assert min(table.freqs) >= 1


def test_skewed_symbols_cost_fractions_of_a_byte() -> None:
    table = FrequencyTable.from_counts([999, 1])
    enc = RangeEncoder()
    for _ in range(64):
        enc.encode_symbol(table, 1)
    rare = len(enc.finish())
    enc = RangeEncoder()
    for _ in range(64):
        enc.encode_symbol(table, 0)
    assert len(enc.finish()) < 2 < rare


def test_value_outside_every_symbol_is_corrupt() -> None:
    table = FrequencyTable([1, 1, 1])
    with pytest.raises(CorruptBodyError):
        RangeDecoder(b"\xff\xff\xff\xff").decode_symbol(table)
