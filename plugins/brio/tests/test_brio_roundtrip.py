"""Round trips over arbitrary Unicode, through the codec directly and through the Compressor."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aura_core import Compressor, InvalidTextError


@given(st.text())
def test_codec_round_trips_any_text(compressor: Compressor, text: str) -> None:
    codec = compressor.registry.codec("brio")
    body = codec.encode(text, text.encode("utf-8"), compressor.context)
    assert body is not None
    assert codec.decode(body, compressor.context) == text


@given(
    st.text(alphabet=st.characters(codec="utf-8")) | st.text(alphabet='ferry harbour island noon\n{}":,', max_size=300)
)
def test_compressor_round_trips(compressor: Compressor, text: str) -> None:
    result = compressor.compress(text)
    assert result.method in ("brio", "raw")
    assert result.compressed_size <= result.original_size + 1
    assert compressor.decompress(result.compressed_data) == text


def test_lone_surrogate_is_refused(compressor: Compressor) -> None:
    with pytest.raises(InvalidTextError):
        compressor.compress("harbour \ud800 ferry")


def test_in_domain_text_uses_brio(compressor: Compressor, golden_messages: list[str]) -> None:
    result = compressor.compress("The ferry to the island leaves the harbour at noon when the wind turns north.")
    assert result.method == "brio"
    assert result.compressed_size * 3 < result.original_size


def test_messages_do_not_influence_each_other(compressor: Compressor) -> None:
    """Each message is coded from the same primed state, whatever was coded before."""
    text = "Tickets for the island ferry are sold at the kiosk."
    first = compressor.compress(text).compressed_data
    for other in ("x" * 500, "zzzz qqqq " * 30, "The harbour opens at six."):
        compressor.compress(other)
        compressor.decompress(compressor.compress(other).compressed_data)
    assert compressor.compress(text).compressed_data == first


def test_longest_message_round_trips(compressor: Compressor) -> None:
    text = ("The lighthouse keeper writes the weather into a logbook. " * 1200)[:65536]
    result = compressor.compress(text)
    assert result.method == "brio"
    assert compressor.decompress(result.compressed_data) == text


def test_longer_message_is_declined(compressor: Compressor) -> None:
    text = "a" * 65537
    codec = compressor.registry.codec("brio")
    assert codec.encode(text, text.encode(), compressor.context) is None
    assert compressor.decompress(compressor.compress(text).compressed_data) == text


def test_threads_share_one_compressor(compressor: Compressor, golden_messages: list[str]) -> None:
    """Coding mutates and restores the shared model under a lock: threads see sequential results."""
    texts = [m[::-1] + " " + m for m in golden_messages] * 3
    expected = [compressor.compress(t).compressed_data for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        payloads = list(pool.map(lambda t: compressor.compress(t).compressed_data, texts))
        decoded = list(pool.map(compressor.decompress, payloads))
    assert payloads == expected
    assert decoded == texts
