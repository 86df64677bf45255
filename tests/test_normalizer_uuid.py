"""The UUID normalizer: every case spelling of every UUID, 17 bytes for one-case spellings."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from aura_test_support import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from test_normalizer_common import check_find

from aura_core import CorruptBodyError
from aura_core.normalizers.uuid import UuidNormalizer

NORMALIZER = UuidNormalizer()


def check_claimed(text: str) -> bytes:
    encoded = NORMALIZER.encode(text)
    assert encoded is not None, text
    assert NORMALIZER.decode(encoded) == (text, len(encoded))
    assert check_find(NORMALIZER, f"id={{{text}}}, ok") == [text]
    # The bytes after the case form are the UUID itself, as the standard library reads it.
    assert encoded[1:17] == uuid.UUID(text).bytes
    return encoded


@settings(max_examples=200)
@given(value=st.uuids(), upper=st.booleans())
def test_one_case_spellings_take_17_bytes(value: uuid.UUID, upper: bool) -> None:
    text = str(value).upper() if upper else str(value)
    assert len(check_claimed(text)) == 17


@settings(max_examples=200)
@given(value=st.uuids(), cases=st.lists(st.booleans(), min_size=36, max_size=36))
def test_mixed_case_spellings_are_kept(value: uuid.UUID, cases: list[bool]) -> None:
    text = "".join(char.upper() if upper else char for char, upper in zip(str(value), cases))
    assert len(check_claimed(text)) <= 21


@pytest.mark.parametrize(
    "text",
    [
        "550e8400e29b41d4a716446655440000",  # no hyphens: any 32-digit hex hash would match
        "{550e8400-e29b-41d4-a716-446655440000}",
        "550e8400-e29b-41d4-a716-44665544000g",
        "550e8400-e29b-41d4-a716-4466554400000",
    ],
)
def test_other_spellings_are_declined(text: str) -> None:
    assert NORMALIZER.encode(text) is None


def test_mask_bits_on_digits_are_corrupt() -> None:
    data = bytes([2]) + uuid.UUID(int=0).bytes + (1 << 31).to_bytes(4, "big")
    with pytest.raises(CorruptBodyError, match="no case"):
        NORMALIZER.decode(data)


def test_undefined_case_form_is_corrupt() -> None:
    with pytest.raises(CorruptBodyError, match="case form"):
        NORMALIZER.decode(bytes([3]) + bytes(20))


def test_json_corpus_uuids_round_trip(corpora: Path) -> None:
    texts = corpus_texts(corpora, "json", "test", 300)
    found = [span for text in texts for span in check_find(NORMALIZER, text)]
    assert all(uuid.UUID(span) for span in found)
