"""The zstd-dict codec (0x03): round trips with and without a profile, mismatches, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aura_core import (
    Compressor,
    CorruptBodyError,
    InvalidTextError,
    Profile,
    ProfileMismatchError,
    default_registry,
)
from aura_zstd.zstd_dict import ZstdDictCodec

from zstd_samples import sample_messages
from zstd_testing import PROPERTY, compressible_text, context

CODEC = ZstdDictCodec()


@PROPERTY
@given(st.one_of(st.text(), compressible_text))
def test_any_text_round_trips_with_the_profile(golden_profile: Profile, text: str) -> None:
    compressor = Compressor(profile=golden_profile, codecs=["zstd-dict"])
    result = compressor.compress(text)
    assert result.method in ("zstd-dict", "raw")
    assert compressor.decompress(result.compressed_data) == text


@PROPERTY
@given(st.text())
def test_without_a_profile_the_codec_declines_and_text_goes_raw(text: str) -> None:
    ctx = context()
    assert CODEC.score(text, text.encode(), ctx) is None
    assert CODEC.encode(text, text.encode(), ctx) is None
    compressor = Compressor(codecs=["zstd-dict"])
    result = compressor.compress(text)
    assert result.method == "raw" and compressor.decompress(result.compressed_data) == text


@PROPERTY
@given(st.text(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
def test_a_lone_surrogate_is_refused_with_a_profile_too(golden_profile: Profile, text: str, surrogate: str) -> None:
    with pytest.raises(InvalidTextError):
        Compressor(profile=golden_profile, codecs=["zstd-dict"]).compress(text + surrogate + text)


@PROPERTY
@given(compressible_text)
def test_the_body_starts_with_the_profile_reference(golden_profile: Profile, text: str) -> None:
    ctx = context(golden_profile)
    body = CODEC.encode(text, text.encode(), ctx)
    assert body is not None and body.startswith(golden_profile.reference)
    assert CODEC.decode(body, ctx) == text


def test_the_dictionary_makes_samples_of_its_kind_smaller_than_plain_zstd(golden_profile: Profile) -> None:
    texts = sample_messages(200, seed=5)
    with_dictionary = Compressor(profile=golden_profile, codecs=["zstd-dict"]).compress_many(texts)
    plain = Compressor(codecs=["zstd"]).compress_many(texts)
    assert sum(r.compressed_size for r in with_dictionary) < sum(r.compressed_size for r in plain) * 2 // 3


def test_score_estimates_the_payload_from_the_measured_ratio(golden_profile: Profile) -> None:
    """The estimate orders candidates: within a factor of two of the real size, summed over samples."""
    ctx = context(golden_profile)
    texts = sample_messages(200, seed=6)
    estimated = sum(CODEC.score(t, t.encode(), ctx) or 0 for t in texts)
    actual = sum(len(CODEC.encode(t, t.encode(), ctx) or t.encode()) for t in texts)
    assert actual // 2 < estimated < actual * 2


def test_for_text_its_dictionary_does_not_help_the_score_ranks_behind_brotli_and_zstd(
    golden_profile: Profile, events_profile: Profile
) -> None:
    """The candidates are then those of a Compressor without a profile, yet alone the codec still encodes."""
    ctx = context(events_profile)
    others = [default_registry().codec(name) for name in ("brotli", "zstd")]
    texts = sample_messages(100, seed=8)  # chat and log lines, not JSON events
    scores = {text: CODEC.score(text, text.encode(), ctx) or 0 for text in texts}
    unhelped = [text for text in texts if scores[text] > len(text.encode())]
    assert len(unhelped) > 50, "a dictionary of JSON events does not help chat lines"
    for text in unhelped:
        assert all(scores[text] > other.score(text, text.encode(), ctx) for other in others)
    alone = Compressor(profile=events_profile, codecs=["zstd-dict"])
    assert sum(alone.compress(t).method == "zstd-dict" for t in unhelped) > len(unhelped) // 2


@pytest.fixture(scope="module")
def golden_payloads(golden_profile: Profile) -> tuple[list[str], list[bytes]]:
    texts = sample_messages(50, seed=3)
    compressor = Compressor(profile=golden_profile, codecs=["zstd-dict"])
    payloads = [compressor.compress(t).compressed_data for t in texts]
    assert all(p[0] == 0x03 for p in payloads)
    return texts, payloads


def test_a_decoder_holding_another_profile_under_the_same_id_refuses(
    golden_payloads: tuple[list[str], list[bytes]], golden_profile: Profile, events_profile: Profile
) -> None:
    assert events_profile.profile_id == golden_profile.profile_id and events_profile.hash != golden_profile.hash
    decoder = Compressor(profile=events_profile)
    for payload in golden_payloads[1]:
        with pytest.raises(ProfileMismatchError, match="different"):
            decoder.decompress(payload)


def test_a_decoder_without_the_profile_refuses(golden_payloads: tuple[list[str], list[bytes]]) -> None:
    decoder = Compressor()
    for payload in golden_payloads[1]:
        with pytest.raises(ProfileMismatchError, match="profile id 7"):
            decoder.decompress(payload)


def test_rotation_older_profiles_keep_decoding(
    golden_payloads: tuple[list[str], list[bytes]], golden_profile: Profile
) -> None:
    newer = Compressor(profile=_renumbered(golden_profile, 8), decode_profiles=[golden_profile])
    texts, payloads = golden_payloads
    assert [newer.decompress(p) for p in payloads] == texts


def _renumbered(profile: Profile, profile_id: int) -> Profile:
    return Profile.create(profile_id, profile.parts, {}, {}, 0, 0)


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_body_cut_inside_its_reference_or_block_is_corrupt(
    golden_payloads: tuple[list[str], list[bytes]], golden_profile: Profile, cut: int
) -> None:
    decoder = Compressor(profile=golden_profile)
    with pytest.raises(CorruptBodyError):
        decoder.decompress(golden_payloads[1][0][: 1 + cut])


def test_threads_share_one_compressor_and_get_the_single_threaded_bytes(golden_profile: Profile) -> None:
    texts = sample_messages(400, seed=4)
    compressor = Compressor(profile=golden_profile, codecs=["zstd-dict"])
    alone = [compressor.compress(t).compressed_data for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda t: compressor.compress(t).compressed_data, texts))
        decoded = list(pool.map(compressor.decompress, threaded))
    assert threaded == alone
    assert decoded == texts
    assert [r.compressed_data for r in compressor.compress_many(texts, workers=3)] == alone
