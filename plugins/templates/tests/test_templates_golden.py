"""Golden vectors: bodies written by earlier versions decode to the same text forever."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aura_core import Compressor, load_profile

GOLDEN = Path(__file__).resolve().parent / "golden"
VECTORS = json.loads((GOLDEN / "vectors.json").read_text(encoding="utf-8"))


def test_profiles_are_small() -> None:
    for name in {v["profile"] for v in VECTORS if v["profile"]}:
        assert (GOLDEN / str(name)).stat().st_size < 50_000


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v['profile']}:{v['text'][:30]}")
def test_golden_vector_decodes(vector: dict[str, object]) -> None:
    profile = load_profile(GOLDEN / str(vector["profile"])) if vector["profile"] else None
    compressor = Compressor(profile=profile)
    payload = bytes.fromhex(str(vector["payload"]))
    assert payload[0] == 0x04
    assert compressor.decompress(payload) == vector["text"]
    codec = compressor.registry.codec("templates")
    assert codec.template_id(payload[1:]) == vector["template_id"]


def test_vectors_cover_both_body_kinds() -> None:
    """With and without a profile, with a text block and without."""
    kinds = {(v["profile"] is not None, bytes.fromhex(str(v["payload"]))[1] & 1) for v in VECTORS}
    assert {(True, 0), (False, 1)} <= kinds
