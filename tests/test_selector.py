"""The selector's mechanics, with codecs whose body sizes the test decides.

The policy's effect on real codecs is in test_compressor.py; here sized stand-in codecs
make each rule observable: which candidates get encoded, ties, declines, and the exact
arithmetic of the advantage threshold.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from aura_test_support import core_context, core_registry
from hypothesis import given
from hypothesis import strategies as st

from aura_core import Codec, CodecContext, Compressor
from aura_core.codecs.raw import RawCodec
from aura_core.selector import Policy, select

RAW = RawCodec()
CONTEXT = core_context()


class SizedCodec(Codec):
    """Scores ``score`` and encodes to ``size`` bytes (``None``: declines); records its calls."""

    version = "0"

    def __init__(self, name: str, score: int | None, size: int | None) -> None:
        self.name, self.marker = name, 0xC0
        self._score, self._size = score, size
        self.encoded = 0

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int | None:
        return self._score

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        self.encoded += 1
        return None if self._size is None else bytes([len(self.name)]) * self._size

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        raise NotImplementedError("the selector never decodes")


TEXT = "x" * 100
DATA = TEXT.encode()


def winner(codecs: list[Codec], **policy: object) -> tuple[str, int]:
    codec, body = select(TEXT, DATA, codecs, RAW, CONTEXT, Policy(**policy))
    return codec.name, len(body)


def test_only_the_best_scored_candidates_are_encoded() -> None:
    good, better, unscored = SizedCodec("good", 50, 40), SizedCodec("better", 30, 60), SizedCodec("skip", None, 1)
    far = SizedCodec("far", 90, 10)
    assert winner([good, better, unscored, far], candidates=2) == ("good", 40)
    assert (good.encoded, better.encoded, unscored.encoded, far.encoded) == (1, 1, 0, 0)


def test_oracle_encodes_every_scored_codec_and_keeps_the_smallest() -> None:
    codecs = [SizedCodec("good", 50, 40), SizedCodec("better", 30, 60), SizedCodec("far", 90, 10)]
    assert winner(codecs, oracle=True) == ("far", 10)
    assert [c.encoded for c in codecs] == [1, 1, 1]


def test_ties_go_to_the_first_codec() -> None:
    assert winner([SizedCodec("first", 10, 20), SizedCodec("second", 10, 20)]) == ("first", 20)


def test_declined_and_larger_bodies_leave_raw() -> None:
    assert winner([SizedCodec("declines", 1, None), SizedCodec("expands", 2, 101)]) == ("raw", 100)
    assert winner([SizedCodec("equal", 1, 100)]) == ("raw", 100)


def test_min_compression_size_skips_every_codec() -> None:
    codec = SizedCodec("small", 1, 1)
    assert winner([codec], min_compression_size=101) == ("raw", 100)
    assert codec.encoded == 0
    assert winner([codec], min_compression_size=100) == ("small", 1)


@given(st.integers(min_value=1, max_value=99), st.fractions(min_value=1, max_value=10, max_denominator=1000))
def test_advantage_threshold_is_exact(size: int, threshold: Fraction) -> None:
    expected = "sized" if 100 >= threshold * size else "raw"
    assert winner([SizedCodec("sized", 1, size)], binary_advantage_threshold=threshold)[0] == expected


@pytest.mark.parametrize(("threshold", "body_size"), [(1.1, 50), (2.7, 90)])
def test_compressor_threshold_means_the_decimal_number(threshold: float, body_size: int) -> None:
    """A body exactly ``threshold`` times smaller than the text qualifies.

    In floats 1.1 x 50 is 55.00000000000001 and 2.7 x 90 is 243.00000000000003, so a float
    comparison would send these texts raw; the selector decides with the decimal 11/10, 27/10.
    """
    text_size = int(Fraction(str(threshold)) * body_size)
    assert threshold * body_size > text_size  # the case a float comparison gets wrong
    policy = Compressor(registry=core_registry(), binary_advantage_threshold=threshold).policy
    text = "x" * text_size
    codec, _ = select(text, text.encode(), [SizedCodec("sized", 1, body_size)], RAW, CONTEXT, policy)
    assert codec.name == "sized"
