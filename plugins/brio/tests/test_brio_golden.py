"""Golden vectors: payloads written once, which every run must decode (and the encoder reproduce).

The file is in aura_core.testing's format and is never regenerated: a change of the
body format takes a new marker (docs/markers.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from aura_core import Compressor, Profile
from aura_core.testing import GoldenFile, check_golden_vectors

GOLDEN = Path(__file__).resolve().parent / "golden" / "brio.json"

TEXTS = (
    "",
    "a",
    "The ferry to the island waits in the harbour until noon.",
    "Can you tell me when the last ferry leaves on Saturday?",
    "2026-03-15T06:02:11Z harbour-gate INFO gate opened by operator 9",
    '{"event":"ticket.sold","route":"island","fare":{"adults":3,"cars":1,"total":47.5},"at":"2026-03-15T10:11:12Z"}',
    "Zebras graze quietly; xylophones jingle.",
    "Le bac part à midi. 港は朝六時に開きます。 🚢⚓",
    "harbour " * 40,
)


def test_golden_payloads_decode(golden_profile: Profile) -> None:
    golden = check_golden_vectors(GOLDEN, ["brio"], TEXTS, profile=golden_profile)
    assert [v.text for v in golden.vectors] == list(TEXTS)
    assert all(v.payload[0] == 0x05 and v.payload[1:3] == golden_profile.reference for v in golden.vectors)


def test_encoder_reproduces_golden_payloads(golden: GoldenFile, compressor: Compressor) -> None:
    codec = compressor.registry.codec("brio")
    for vector in golden.vectors:
        body = codec.encode(vector.text, vector.text.encode("utf-8"), compressor.context)
        assert body is not None
        assert bytes([codec.marker]) + body == vector.payload


def test_golden_profile_is_small(golden_profile: Profile) -> None:
    assert len(golden_profile.to_bytes()) < 100_000


def test_reference_decoder_from_the_docs_agrees(golden: GoldenFile, golden_profile: Profile) -> None:
    """tests/brio_reference.py, written from docs/codecs/brio.md alone, decodes every golden payload."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from brio_reference import Reference

    reference = Reference(golden_profile.parts["brio"])
    for vector in golden.vectors:
        assert reference.decode(vector.payload[3:]) == vector.text.encode("utf-8")
