"""Training zstd-dict and the part it writes into a profile."""

from __future__ import annotations

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from aura_core import Compressor, Corpus, ProfileFormatError, TrainContext, TrainingError, train_profile
from aura_zstd import training
from aura_zstd.part import DictionaryPart
from aura_zstd.zstd_dict import ZstdDictCodec

from zstd_samples import sample_messages
from zstd_testing import PROPERTY

CODEC = ZstdDictCodec()


def train(texts: list[str]) -> tuple[DictionaryPart, TrainContext]:
    ctx = TrainContext(normalizers=(), progress=False)
    return DictionaryPart.from_bytes(CODEC.train(Corpus.from_texts(texts), ctx).data), ctx


@pytest.mark.parametrize(
    "texts",
    [[], ["hello"] * 5, [""] * 100, ["a short line"] * 14 + ["x" * 9000], ["some words here"] * 200],
    ids=["empty", "five", "all-empty", "too-few-messages", "too-few-bytes"],
)
def test_a_corpus_too_small_gives_a_training_error_that_says_what_is_needed(texts: list[str]) -> None:
    with pytest.raises(TrainingError, match="needs at least 16 non-empty messages and 8,192 bytes"):
        train(texts)


def test_train_profile_reports_the_same_error_not_a_zstd_exception() -> None:
    with pytest.raises(TrainingError, match="zstd dictionary"):
        train_profile(["tiny"] * 3, codecs=["zstd-dict"], progress=False)


def test_the_smallest_corpus_allowed_trains() -> None:
    texts = [f"event {i} done" for i in range(training.MIN_MESSAGES)]
    texts += ["x" * (training.MIN_BYTES - sum(map(len, texts)))]
    part, _ = train(texts)
    assert part.level in training.LEVELS


def test_training_is_deterministic_and_says_what_it_learned() -> None:
    texts = sample_messages(400, seed=11)
    first, ctx = train(texts)
    second, _ = train(texts)
    assert first == second
    assert zstandard.ZstdCompressionDict(first.dictionary).dict_id() != 0
    assert len(first.dictionary) <= max(training.DICTIONARY_SIZES)
    assert any("by dictionary" in line for line in ctx.lines) and any("by level" in line for line in ctx.lines)
    summary = CODEC.train(Corpus.from_texts(texts), TrainContext(normalizers=(), progress=False)).summary
    assert f"{len(first.dictionary):,}-byte dictionary" in summary and "400 messages" in summary


def test_a_corpus_larger_than_the_sample_is_sampled(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sample_messages(1200, seed=12)
    monkeypatch.setattr(training, "SAMPLE_BYTES", 40_000)
    summary = CODEC.train(Corpus.from_texts(texts), TrainContext(normalizers=(), progress=False)).summary
    used = int(summary.split(" messages")[0].split()[-1].replace(",", ""))
    assert training.MIN_MESSAGES <= used < 1200


@PROPERTY
@given(st.integers(1, 22), st.integers(0, 1 << 40), st.binary(max_size=64))
def test_a_part_reads_back_what_was_written(level: int, probe_scale: int, content: bytes) -> None:
    part = DictionaryPart(level=level, probe_scale=probe_scale, dictionary=b"\x37\xa4\x30\xec" + content)
    assert DictionaryPart.from_bytes(part.to_bytes()) == part


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "truncated"),
        (b"\x02\x13\x05" + b"\x37\xa4\x30\xec", "format version 2"),
        (b"\x01\x00\x05" + b"\x37\xa4\x30\xec", "level 0"),
        (b"\x01\x17\x05" + b"\x37\xa4\x30\xec", "level 23"),
        (b"\x01\x13\xff\xff", "malformed"),
        (b"\x01\x13\x05" + b"raw content", "magic"),
    ],
)
def test_a_bad_part_raises_profile_format_error(data: bytes, message: str) -> None:
    with pytest.raises(ProfileFormatError, match=message):
        CODEC.load_state(data)


def test_a_dictionary_with_broken_tables_is_refused_at_load_time() -> None:
    part, _ = train(sample_messages(300, seed=13))
    broken = part.dictionary[:8] + b"\xff" * 64 + part.dictionary[72:]
    with pytest.raises(ProfileFormatError, match="invalid zstd dictionary"):
        CODEC.load_state(DictionaryPart(part.level, part.probe_scale, broken).to_bytes())


@pytest.mark.parametrize(
    "texts",
    [
        ["the very same message every time, long enough to matter. " * 3] * 200,
        ["a"] * 9000,
        ["".join(chr(0x4E00 + (i * 7919 + j * 104729) % 20000) for j in range(300)) for i in range(20)],
    ],
    ids=["identical", "one-character", "unrelated-cjk"],
)
def test_degenerate_corpora_still_train_a_part_that_loads_and_works(texts: list[str]) -> None:
    profile = train_profile(texts, codecs=["zstd-dict"], progress=False)
    compressor = Compressor(profile=profile, codecs=["zstd-dict"])
    for text in texts[:20]:
        assert compressor.decompress(compressor.compress(text).compressed_data) == text
