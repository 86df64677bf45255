"""Golden vectors: payloads written once (golden/make_golden.py) that every run must decode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aura_core import Compressor, Profile

GOLDEN = Path(__file__).resolve().parent / "golden"
DOCUMENT: dict[str, Any] = json.loads((GOLDEN / "vectors.json").read_text(encoding="utf-8"))
VECTORS: list[dict[str, str]] = DOCUMENT["vectors"]


def test_the_golden_profile_is_the_one_the_vectors_were_made_with(golden_profile: Profile) -> None:
    assert (golden_profile.profile_id, golden_profile.hash) == (DOCUMENT["profile"]["id"], DOCUMENT["profile"]["hash"])
    assert (GOLDEN / DOCUMENT["profile"]["file"]).stat().st_size < 50_000


def test_both_markers_have_vectors() -> None:
    assert {bytes.fromhex(v["payload"])[0] for v in VECTORS} == {0x02, 0x03}


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: f"{v['codec']}:{v['text'][:24]}")
def test_each_vector_decodes_to_its_text(vector: dict[str, str], golden_profile: Profile) -> None:
    payload = bytes.fromhex(vector["payload"])
    decoder = Compressor(profile=golden_profile) if "profile" in vector else Compressor()
    assert decoder.decompress(payload) == vector["text"]
