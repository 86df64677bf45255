"""Write tests/golden/brio.json: a small profile trained on tests/golden/training.txt and payloads made with it.

Run once when the golden set is extended; never to "fix" a failing golden test (a
failing golden test means the wire format changed, which needs a new marker).
"""

from __future__ import annotations

import json
from pathlib import Path

from aura_core import Compressor, train_profile

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"

TEXTS = [
    "",
    "a",
    "The ferry to the island waits in the harbour until noon.",
    "Can you tell me when the last ferry leaves on Saturday?",
    "2026-03-15T06:02:11Z harbour-gate INFO gate opened by operator 9",
    '{"event":"ticket.sold","route":"island","fare":{"adults":3,"cars":1,"total":47.5},"at":"2026-03-15T10:11:12Z"}',
    "Zebras graze quietly; xylophones jingle.",
    "Le bac part à midi. 港は朝六時に開きます。 🚢⚓",
    "harbour " * 40,
]


def main() -> None:
    messages = (GOLDEN / "training.txt").read_text(encoding="utf-8").splitlines()
    profile = train_profile(messages, progress=False, profile_id=1, codecs=["brio"])
    compressor = Compressor(profile=profile, codecs=["brio"])
    codec = compressor.registry.codec("brio")
    vectors = []
    for text in TEXTS:
        body = codec.encode(text, text.encode("utf-8"), compressor.context)
        vectors.append({"text": text, "payload": (bytes([codec.marker]) + body).hex()})
    golden = {"profile": profile.to_bytes().hex(), "vectors": vectors}
    (GOLDEN / "brio.json").write_text(json.dumps(golden, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
