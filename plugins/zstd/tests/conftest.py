"""Shared fixtures of aura-zstd's tests: the golden profile, trained profiles, the corpora."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from aura_core import Profile, train_profile
from aura_core.corpus import read_jsonl
from aura_core.testing import read_golden_vectors

from zstd_samples import sample_messages

GOLDEN = Path(__file__).resolve().parent / "golden"


def corpora_dir() -> Path:
    repo = Path(__file__).resolve().parents[3]
    return Path(os.environ.get("AURA_CORPORA", repo.parent / "shared" / "corpora")).resolve()


@pytest.fixture(scope="session")
def golden_profile() -> Profile:
    """The small committed profile the zstd-dict golden vectors were made with (stored in their file)."""
    profile = read_golden_vectors(GOLDEN / "zstd.json").profile
    assert profile is not None
    return profile


@pytest.fixture(scope="session")
def events_profile() -> Profile:
    """A second profile, trained on different self-written messages (JSON events), id 7 like the golden one."""
    return train_profile(sample_messages(kind="events"), codecs=["zstd-dict"], profile_id=7, progress=False)


@pytest.fixture(scope="session")
def corpus() -> Callable[[str, str, int], list[str]]:
    """``corpus(category, split, max_bytes)``: the first messages of a corpus file up to
    ``max_bytes`` of UTF-8 (the files are in hash order, so a fair sample), or a clean skip."""
    directory = corpora_dir()
    if not (directory / "log.train.jsonl").is_file():
        pytest.skip(f"corpora not found at {directory} (set AURA_CORPORA to the directory holding *.train.jsonl)")

    def load(category: str, split: str, max_bytes: int) -> list[str]:
        total = 0

        def within(text: str) -> bool:
            nonlocal total
            total += len(text.encode("utf-8"))
            return total <= max_bytes

        return list(itertools.takewhile(within, read_jsonl(directory / f"{category}.{split}.jsonl")))

    return load


@pytest.fixture(scope="session")
def corpus_profiles(corpus: Callable[[str, str, int], list[str]]) -> dict[str, Profile]:
    """A zstd-dict profile per category, each trained on ~150 KB of its train file (id 1 for all)."""
    return {
        category: train_profile(corpus(category, "train", 150_000), codecs=["zstd-dict"], progress=False)
        for category in ("ai", "user", "log", "json")
    }
