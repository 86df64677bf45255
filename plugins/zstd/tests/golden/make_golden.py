"""Write aura-zstd's golden vectors once: ``profile.bin`` and ``vectors.json`` beside this file.

The profile is trained on the self-written messages of ``tests/zstd_samples.py``; each
vector is a text and the payload (marker included) one of the two codecs made of it, encoded by the codec
itself (not through the selector, which may prefer another codec).
Every test run decodes them (tests/test_zstd_golden.py), so a change that breaks
decoding of published bodies fails.  The files are never rewritten: this script
refuses to run while either exists.

    python plugins/zstd/tests/golden/make_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from aura_core import Compressor, train_profile

from zstd_samples import sample_messages

PROFILE_ID = 7
TEXTS = (
    "Hi! Could you help me reset my router? It stopped working yesterday.",
    "2024-05-03T10:15:00Z ERROR [billing] request 48213 from 10.0.7.19 took 1532 ms",
    "Merci ! Le café order fonctionne maintenant. 👍 Merci ! Le café order fonctionne maintenant. 👍",
    "日本語キーボード, 日本語キーボード, 日本語キーボード: ünïcödé ✓ ünïcödé ✓ ünïcödé ✓",
    '{"event":"purchase","user_id":123,"items":[{"sku":"SKU-0042","qty":2},{"sku":"SKU-0042","qty":2}]}',
    "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc" * 40,
)


def main() -> None:
    profile_path, vectors_path = HERE / "profile.bin", HERE / "vectors.json"
    if profile_path.exists() or vectors_path.exists():
        sys.exit(f"{profile_path.name} or {vectors_path.name} exists: golden vectors are written once, never rewritten")
    profile = train_profile(sample_messages(), codecs=["zstd-dict"], profile_id=PROFILE_ID, progress=False)
    vectors = []
    for name, compressor in (("zstd", Compressor()), ("zstd-dict", Compressor(profile=profile))):
        codec = compressor.registry.codec(name)
        for text in TEXTS:
            body = codec.encode(text, text.encode(), compressor.context)
            if body is None:
                sys.exit(f"{name} declined {text[:40]!r}; choose another text")
            vector = {"codec": name, "text": text, "payload": (bytes([codec.marker]) + body).hex()}
            if name == "zstd-dict":
                vector["profile"] = profile_path.name
            vectors.append(vector)
    profile.save(profile_path)
    document = {"profile": {"file": profile_path.name, "id": PROFILE_ID, "hash": profile.hash}, "vectors": vectors}
    vectors_path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {profile_path} ({profile_path.stat().st_size:,} bytes) and {len(vectors)} vectors")


if __name__ == "__main__":
    main()
