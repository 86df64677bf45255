"""The profile part: training text and table sizes, stored compactly and read back exactly."""

from __future__ import annotations

from aura_brio.part import MAX_MESSAGE, Part, TableSizes
from hypothesis import given
from hypothesis import strategies as st


@given(st.lists(st.binary(min_size=1, max_size=200), min_size=1, max_size=30), st.integers(0, 1 << 26))
def test_part_round_trips(messages: list[bytes], text_bytes: int) -> None:
    sizes = TableSizes.for_text(text_bytes, 19)
    part = Part.of(sizes, messages)
    assert Part.from_bytes(part.to_bytes()) == part
    assert part.lengths == tuple(map(len, messages)) and part.text == b"".join(messages)


def test_table_sizes_follow_the_text_within_caps() -> None:
    small = TableSizes.for_text(3_000, 19)
    large = TableSizes.for_text(8_000_000, 19)
    assert small.bucket_bits == (12, 12, 12, 12, 12, 12) and small.match_bits == 12
    assert large.bucket_bits == (12, 17, 19, 19, 19, 19) and large.match_bits == 22
    assert large.bytes == sum(16 << b for b in large.bucket_bits) + (4 << 22)


def test_resized_part_keeps_the_text(golden_messages: list[str]) -> None:
    messages = tuple(m.encode() for m in golden_messages)
    original = Part.of(TableSizes.for_text(100, 19), messages)
    bigger = TableSizes((12, 13, 14, 15, 16, 17), 13)
    part = Part.from_bytes(Part.resized(original.to_bytes(), bigger))
    assert part.sizes == bigger and (part.lengths, part.text) == (original.lengths, original.text)


def test_longest_message_fits() -> None:
    part = Part.of(TableSizes.for_text(MAX_MESSAGE, 19), [b"x" * MAX_MESSAGE])
    assert Part.from_bytes(part.to_bytes()).text_bytes == MAX_MESSAGE
