"""aura-zstd on the four real corpora, subsampled to keep the suite fast."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aura_core import Compressor, Profile, ProfileMismatchError

from zstd_testing import OURS

CATEGORIES = ("ai", "user", "log", "json")
TEST_BYTES = 60_000

Load = Callable[[str, str, int], list[str]]


def total(compressor: Compressor, texts: list[str]) -> int:
    results = compressor.compress_many(texts)
    assert compressor.decompress_many([r.compressed_data for r in results]) == texts
    return sum(r.compressed_size for r in results)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_round_trips_and_its_dictionary_beats_plain_zstd(
    category: str, corpus: Load, corpus_profiles: dict[str, Profile]
) -> None:
    texts = corpus(category, "test", TEST_BYTES)
    with_dictionary = total(Compressor(profile=corpus_profiles[category], codecs=["zstd-dict"]), texts)
    plain = total(Compressor(codecs=["zstd"]), texts)
    assert with_dictionary < plain


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_profile_never_makes_the_compressor_worse_on_its_own_category(
    category: str, corpus: Load, corpus_profiles: dict[str, Profile]
) -> None:
    texts = corpus(category, "test", TEST_BYTES)
    assert total(Compressor(profile=corpus_profiles[category], codecs=OURS), texts) <= total(
        Compressor(codecs=OURS), texts
    )


@pytest.mark.parametrize(("profile", "texts"), [("log", "user"), ("user", "json"), ("json", "ai"), ("ai", "log")])
def test_a_profile_of_another_category_never_makes_the_compressor_worse(
    profile: str, texts: str, corpus: Load, corpus_profiles: dict[str, Profile]
) -> None:
    messages = corpus(texts, "test", TEST_BYTES)
    with_profile = total(Compressor(profile=corpus_profiles[profile], codecs=OURS), messages)
    assert with_profile <= total(Compressor(codecs=OURS), messages)


def test_two_real_profiles_from_different_corpora_refuse_each_others_bodies(
    corpus: Load, corpus_profiles: dict[str, Profile]
) -> None:
    log, user = corpus_profiles["log"], corpus_profiles["user"]
    assert log.profile_id == user.profile_id and log.hash != user.hash
    for sender, receiver, category in ((log, user, "log"), (user, log, "user")):
        encoder = Compressor(profile=sender, codecs=["zstd-dict"])
        decoder = Compressor(profile=receiver)
        payloads = [encoder.compress(t).compressed_data for t in corpus(category, "test", 20_000)]
        assert any(p[0] == 0x03 for p in payloads)
        for payload in payloads:
            if payload[0] == 0x03:
                with pytest.raises(ProfileMismatchError):
                    decoder.decompress(payload)
