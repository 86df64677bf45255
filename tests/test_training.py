"""train_profile: every selected trainable codec learns from one corpus; the profile bundles it."""

from __future__ import annotations

import pytest
from aura_test_support import core_registry, corpus_texts
from deflate_dict_codec import DeflateDictCodec

import aura_core
from aura_core import Corpus, Registry, TrainingError, train_profile

TEXTS = ["the quick brown fox jumps over the lazy dog"] * 3 + ["a lazy afternoon for the brown dog"] * 2


def test_profile_holds_each_part_and_a_manifest(trainable_registry: Registry) -> None:
    profile = train_profile(TEXTS, progress=False, registry=trainable_registry)
    assert profile.profile_id == 1
    assert list(profile.parts) == ["test-deflate-dict"]
    learned = profile.parts["test-deflate-dict"]
    assert learned.endswith(b"the ")  # the most frequent word last, nearest to the message
    manifest = profile.manifest
    assert manifest["corpus"] == {"messages": len(TEXTS), "bytes": sum(len(t.encode()) for t in TEXTS)}
    assert manifest["aura_core"] == aura_core.__version__
    part = manifest["parts"]["test-deflate-dict"]
    assert part["bytes"] == len(learned) and part["version"] == DeflateDictCodec.version
    assert part["summary"].endswith(f"in a {len(learned)}-byte dictionary")


def test_training_is_deterministic(trainable_registry: Registry) -> None:
    first = train_profile(Corpus.from_texts(TEXTS), progress=False, registry=trainable_registry)
    assert train_profile(TEXTS, progress=False, registry=trainable_registry) == first


def test_progress_bars_do_not_change_the_result(trainable_registry: Registry) -> None:
    assert train_profile(TEXTS, progress=True, registry=trainable_registry) == train_profile(
        TEXTS, progress=False, registry=trainable_registry
    )


def test_ids_follow_the_previous_profile(trainable_registry: Registry) -> None:
    first = train_profile(TEXTS, progress=False, registry=trainable_registry)
    second = train_profile(TEXTS, progress=False, previous=first, registry=trainable_registry)
    assert second.profile_id == 2
    assert train_profile(TEXTS, progress=False, profile_id=40, previous=first, registry=trainable_registry).profile_id == 40


def test_empty_corpus_is_refused(trainable_registry: Registry) -> None:
    with pytest.raises(TrainingError, match="training a profile needs at least 1 messages"):
        train_profile([], progress=False, registry=trainable_registry)


def test_no_trainable_codec_is_explained() -> None:
    with pytest.raises(TrainingError, match="no trainable codec is installed"):
        train_profile(TEXTS, progress=False, registry=core_registry())


def test_codec_selection(trainable_registry: Registry) -> None:
    with pytest.raises(TrainingError, match="no trainable codec is installed \\(or selected\\)"):
        train_profile(TEXTS, progress=False, codecs=["brotli"], registry=trainable_registry)
    assert list(train_profile(TEXTS, progress=False, codecs=["test-deflate-dict"], registry=trainable_registry).parts)


def test_a_corpus_nothing_can_be_learned_from(trainable_registry: Registry) -> None:
    with pytest.raises(TrainingError, match="no codec could learn from this corpus"):
        train_profile(["?!", "..."], progress=False, registry=trainable_registry)


def test_training_on_a_real_corpus_file(trainable_registry: Registry, corpora) -> None:
    profile = train_profile(Corpus.from_jsonl(corpora / "log.train.jsonl"), progress=False, registry=trainable_registry)
    assert profile.manifest["corpus"]["messages"] == len(Corpus.from_jsonl(corpora / "log.train.jsonl"))
    compressor = aura_core.Compressor(profile=profile, registry=trainable_registry, codecs=["test-deflate-dict"])
    texts = corpus_texts(corpora, "log", "test", 50)
    results = compressor.compress_many(texts)
    assert [compressor.decompress(r.compressed_data) for r in results] == texts
    assert {r.method for r in results} == {"test-deflate-dict"}
