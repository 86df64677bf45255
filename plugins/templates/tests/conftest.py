"""Shared fixtures: a small profile trained on self-written messages, and the corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aura_templates.profiles import mine_profile
from templates_samples import sample_messages

from aura_core import Compressor, Profile
from aura_core.corpus import read_jsonl

HANDWRITTEN = ("Order #{order_id:num} has been {status}.",)


@pytest.fixture(scope="session")
def sample_profile() -> Profile:
    profile, _ = mine_profile(sample_messages(), handwritten=HANDWRITTEN, progress=False)
    return profile


@pytest.fixture(scope="session")
def compressor(sample_profile: Profile) -> Compressor:
    return Compressor(profile=sample_profile)


def corpora_dir() -> Path:
    repo = Path(__file__).resolve().parents[3]
    return Path(os.environ.get("AURA_CORPORA", repo / ".." / "shared" / "corpora")).resolve()


@pytest.fixture(scope="session")
def corpus():
    """``corpus(category, split, count)``: the first ``count`` messages, or a clean skip."""
    directory = corpora_dir()
    if not (directory / "log.train.jsonl").is_file():
        pytest.skip(f"corpora not found at {directory} (set AURA_CORPORA)")

    def load(category: str, split: str, count: int) -> list[str]:
        out = []
        for text in read_jsonl(directory / f"{category}.{split}.jsonl"):
            out.append(text)
            if len(out) == count:
                break
        return out

    return load
