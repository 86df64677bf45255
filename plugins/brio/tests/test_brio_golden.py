"""Golden vectors: payloads written once (scripts/make_golden.py) must decode, and re-encode, forever."""

from __future__ import annotations

from typing import Any

from aura_core import Compressor


def test_golden_payloads_decode(golden: dict[str, Any], compressor: Compressor) -> None:
    for vector in golden["vectors"]:
        assert compressor.decompress(bytes.fromhex(vector["payload"])) == vector["text"]


def test_encoder_reproduces_golden_payloads(golden: dict[str, Any], compressor: Compressor) -> None:
    codec = compressor.registry.codec("brio")
    for vector in golden["vectors"]:
        text = vector["text"]
        body = codec.encode(text, text.encode("utf-8"), compressor.context)
        assert body is not None
        assert (bytes([codec.marker]) + body).hex() == vector["payload"]


def test_golden_profile_is_small(golden: dict[str, Any]) -> None:
    assert len(golden["profile"]) // 2 < 100_000
