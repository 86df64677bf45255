"""Bad bodies raise AuraDecodeError subclasses: never a crash, a hang or a huge allocation."""

from __future__ import annotations

import pytest
from aura_templates.profiles import mine_profile
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import Compressor, CorruptBodyError, OutputLimitError, Profile, ProfileMismatchError
from aura_core.errors import AuraDecodeError
from aura_core.varint import encode_varint

MARKER = b"\x04"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_random_bodies_fail_cleanly(compressor: Compressor, body: bytes) -> None:
    try:
        text = compressor.decompress(MARKER + body)
    except AuraDecodeError:
        return
    assert isinstance(text, str)


def test_truncations_fail_cleanly(compressor: Compressor) -> None:
    text = "web-1.example.net - - [12/Mar/2024:10:01:02 +0000] \"GET /index.html HTTP/1.1\" 200 5120"
    payload = compressor.compress(text).compressed_data
    for cut in range(1, len(payload)):
        try:
            compressor.decompress(payload[:cut])
        except AuraDecodeError:
            pass


def test_block_length_past_the_end(compressor: Compressor) -> None:
    with pytest.raises(CorruptBodyError):
        compressor.decompress(MARKER + encode_varint(2 * 2 + 1) + encode_varint(10**9) + b"x")


def test_unknown_template_id_in_profile(compressor: Compressor) -> None:
    assert compressor.profile is not None
    body = encode_varint(9999 * 2) + compressor.profile.reference + b"\x00"
    with pytest.raises(CorruptBodyError, match="template 9999"):
        compressor.decompress(MARKER + body)


def test_huge_slot_length_is_bounded(sample_profile: Profile) -> None:
    """A stream claiming a 16M-character slot is refused before anything is built."""
    small = Compressor(profile=sample_profile, max_output_size=1000)
    # Starter template 2 has one text slot; 0xFF bytes drive its length to the long form.
    with pytest.raises((CorruptBodyError, OutputLimitError)):
        small.decompress(MARKER + encode_varint(2 * 2) + b"\xff" * 12)


def test_other_profile_is_refused(sample_profile: Profile) -> None:
    other, _ = mine_profile(["alpha beta 1", "alpha beta 2", "gamma 3"] * 5, profile_id=sample_profile.profile_id, progress=False)
    text = "Order #4711 has been shipped."
    payload = Compressor(profile=sample_profile, codecs=["templates"]).compress(text).compressed_data
    with pytest.raises(ProfileMismatchError):
        Compressor(profile=other).decompress(payload)
    with pytest.raises(ProfileMismatchError):
        Compressor().decompress(payload)
