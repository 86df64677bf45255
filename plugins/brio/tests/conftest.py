"""Fixtures of aura-brio's tests: the committed golden profile and corpus access.

The golden profile (stored in tests/golden/brio.json, aura_core.testing's format) was
trained with ``train_profile(lines of tests/golden/training.txt, profile_id=1,
codecs=["brio"])``; it is small, so tests that only need *a* profile prime it in
milliseconds.  Corpus tests train on subsamples of the shared corpora.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from aura_core import Compressor, Profile
from aura_core.testing import GoldenFile, read_golden_vectors

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO = Path(__file__).resolve().parents[3]

# Tests never assert on time; the first call of a kernel includes its compilation.
settings.register_profile("brio", deadline=None, max_examples=60, derandomize=bool(os.environ.get("CI")))
settings.load_profile("brio")


@pytest.fixture(scope="session")
def golden() -> GoldenFile:
    return read_golden_vectors(GOLDEN / "brio.json")


@pytest.fixture(scope="session")
def golden_profile(golden: GoldenFile) -> Profile:
    assert golden.profile is not None
    return golden.profile


@pytest.fixture(scope="session")
def golden_messages() -> list[str]:
    return (GOLDEN / "training.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def compressor(golden_profile: Profile) -> Compressor:
    """BRIO alone (raw as the fallback) over the golden profile."""
    return Compressor(profile=golden_profile, codecs=["brio"])


@pytest.fixture(scope="session")
def corpora() -> Path:
    path = Path(os.environ.get("AURA_CORPORA", REPO.parent / "shared" / "corpora"))
    if not (path / "ai.train.jsonl").exists():
        pytest.skip(f"corpora not found at {path} (set AURA_CORPORA to the directory holding *.train.jsonl)")
    return path
