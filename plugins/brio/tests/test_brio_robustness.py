"""Decoding is total and bounded: any body gives back the exact text it encodes, or a specific error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aura_core import (
    AuraDecodeError,
    Compressor,
    CorruptBodyError,
    OutputLimitError,
    Profile,
    ProfileFormatError,
    ProfileMismatchError,
    train_profile,
)

MESSAGES = [
    "",
    "The ferry waits in the harbour.",
    '{"event":"ticket.sold","route":"island","fare":{"adults":2}}',
    "2026-03-14T06:02:11Z harbour-gate INFO gate opened",
    "Паром ждёт 🚢 " * 5,
]


def _check_total(compressor: Compressor, payload: bytes) -> None:
    """Either an AuraDecodeError subclass, or text whose encoding is exactly this payload."""
    codec = compressor.registry.codec("brio")
    try:
        text = compressor.decompress(payload)
    except (CorruptBodyError, OutputLimitError, ProfileMismatchError):
        return
    body = codec.encode(text, text.encode("utf-8"), compressor.context)
    assert body is not None and bytes([codec.marker]) + body == payload


@given(st.binary(max_size=64))
def test_random_bodies(compressor: Compressor, code: bytes) -> None:
    reference = compressor.profile.reference
    _check_total(compressor, b"\x05" + reference + code)
    _check_total(compressor, b"\x05" + code)


@given(st.sampled_from(MESSAGES), st.data())
def test_mutated_bodies(compressor: Compressor, text: str, data: st.DataObject) -> None:
    payload = bytearray(compressor.compress(text).compressed_data)
    if payload[0] != 0x05:
        return
    action = data.draw(st.sampled_from(["flip", "truncate", "append", "insert"]))
    if action == "flip":
        at = data.draw(st.integers(1, len(payload) - 1))
        payload[at] ^= data.draw(st.integers(1, 255))
    elif action == "truncate":
        del payload[data.draw(st.integers(1, len(payload) - 1)) :]
    elif action == "append":
        payload += data.draw(st.binary(min_size=1, max_size=8))
    else:
        at = data.draw(st.integers(1, len(payload)))
        payload[at:at] = data.draw(st.binary(min_size=1, max_size=4))
    _check_total(compressor, bytes(payload))


@pytest.mark.parametrize("text", MESSAGES[1:])
def test_truncations_never_give_the_original(compressor: Compressor, text: str) -> None:
    """A body is the one encoding of its text: a cut body is refused or is another text's encoding."""
    payload = compressor.compress(text).compressed_data
    refused = 0
    for end in range(1, len(payload)):
        try:
            assert compressor.decompress(payload[:end]) != text
        except AuraDecodeError:
            refused += 1
        _check_total(compressor, payload[:end])
    assert refused > 0


def test_trailing_bytes_are_refused(compressor: Compressor) -> None:
    payload = compressor.compress(MESSAGES[1]).compressed_data
    for tail in (b"\x00", b"\x01", b"\xff\xff"):
        with pytest.raises(CorruptBodyError):
            compressor.decompress(payload + tail)


def test_output_limit(golden_profile: Profile) -> None:
    text = "The harbour opens at six in the morning. " * 10
    big = Compressor(profile=golden_profile, codecs=["brio"])
    payload = big.compress(text).compressed_data
    assert payload[0] == 0x05
    small = Compressor(profile=golden_profile, codecs=["brio"], max_output_size=len(text.encode()) - 1)
    with pytest.raises(OutputLimitError):
        small.decompress(payload)
    exact = Compressor(profile=golden_profile, codecs=["brio"], max_output_size=len(text.encode()))
    assert exact.decompress(payload) == text


def test_zero_output_limit_still_decodes_empty(golden_profile: Profile) -> None:
    limited = Compressor(profile=golden_profile, codecs=["brio"], max_output_size=0)
    codec = limited.registry.codec("brio")
    body = codec.encode("", b"", limited.context)
    assert codec.decode(body, limited.context) == ""


def test_other_profile_is_refused(compressor: Compressor, golden_messages: list[str]) -> None:
    """Two real, different profiles under the same id: the decoder refuses, never guesses."""
    other = train_profile(golden_messages[:12], progress=False, profile_id=1, codecs=["brio"])
    assert other.hash != compressor.profile.hash
    decoder = Compressor(profile=other, codecs=["brio"])
    payload = compressor.compress("The ferry waits in the harbour until noon.").compressed_data
    assert payload[0] == 0x05
    with pytest.raises(ProfileMismatchError):
        decoder.decompress(payload)
    with pytest.raises(ProfileMismatchError):
        Compressor(codecs=["brio"]).decompress(payload)
    other2 = train_profile(golden_messages[:12], progress=False, profile_id=2, codecs=["brio"])
    both = Compressor(profile=other2, decode_profiles=[compressor.profile], codecs=["brio"])
    assert both.decompress(payload) == "The ferry waits in the harbour until noon."


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b[:3],
        lambda b: b"XXXX" + b[4:],
        lambda b: b[:4] + b"\x09" + b[5:],
        lambda b: b[:-5],
        lambda b: b + b"\x00",
        lambda b: b[:5] + b"\x07" + b[6:],
    ],
)
def test_malformed_part_fails_at_load(golden_profile: Profile, mutate: Callable[[bytes], bytes]) -> None:
    codec = Compressor(codecs=["brio"]).registry.codec("brio")
    with pytest.raises(ProfileFormatError):
        codec.load_state(mutate(golden_profile.parts["brio"]))


def test_no_profile_means_not_applicable() -> None:
    plain = Compressor(codecs=["brio"])
    codec = plain.registry.codec("brio")
    assert codec.score("hello", b"hello", plain.context) is None
    assert codec.encode("hello", b"hello", plain.context) is None
    assert plain.compress("hello").method == "raw"
