"""Golden vectors: payloads of both markers written once, which every run must decode.

The file (aura_core.testing's format) holds the small profile the zstd-dict vectors
were made with; it is never regenerated (see aura_core.testing).
"""

from __future__ import annotations

from pathlib import Path

from aura_core import Profile
from aura_core.testing import check_golden_vectors

GOLDEN = Path(__file__).resolve().parent / "golden" / "zstd.json"
TEXTS = (
    "Hi! Could you help me reset my router? It stopped working yesterday.",
    "2024-05-03T10:15:00Z ERROR [billing] request 48213 from 10.0.7.19 took 1532 ms",
    '{"event":"purchase","user_id":123,"items":[{"sku":"SKU-0042","qty":2},{"sku":"SKU-0042","qty":2}]}',
)


def test_both_markers_decode(golden_profile: Profile) -> None:
    golden = check_golden_vectors(GOLDEN, ["zstd", "zstd-dict"], TEXTS, profile=golden_profile)
    assert {vector.payload[0] for vector in golden.vectors} == {0x02, 0x03}
    assert all(v.payload[1:3] == golden_profile.reference for v in golden.vectors if v.codec == "zstd-dict")
    assert len(golden_profile.to_bytes()) < 50_000
