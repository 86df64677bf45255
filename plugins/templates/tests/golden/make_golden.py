"""Write the golden vectors once: ``python tests/golden/make_golden.py`` from plugins/templates.

Existing vectors are never rewritten (they prove old bodies keep decoding); run this
only to add vectors for a new body feature, after deleting nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from aura_templates.profiles import mine_profile
from templates_samples import sample_messages, sized_requests

from aura_core import Compressor, load_profile

#: Profiles are written once; a new one is added when a release adds to the part format.
PROFILES = {
    "sample-profile.bin": "0.1.0, before JSON structure templates",
    "sample-profile-structures.bin": "0.1.0, with JSON structure templates",
    "sample-profile-predictors.bin": "0.1.0, with slot predictors",
}
VECTORS = HERE / "vectors.json"

TEXTS = [
    "web-2.example.net - - [12/Mar/2024:10:07:41 +0000] \"GET /api/v1/orders HTTP/1.1\" 200 1834",
    "web-9.example.com - - [12/Mar/2024:10:59:00 +0000] \"GET /brand/new/path.css HTTP/1.1\" 404 0",
    "Mar 12 10:44:02 gw sshd[4242]: Failed password for mallory from 192.168.3.77 port 50022 ssh2",
    "Order #31337 has been delivered.",
    "Order #5 has been cancelled.",
    '{"id":77,"user":"carol","action":"purchase","ok":true,"tags":["b"],"meta":{"ip":"10.0.1.9","score":0.25}}',
    '{"id":1,"user":"erin","action":"login","ok":false,"tags":[],"meta":{"ip":"10.0.3.1","score":0.5}}',
    '{"id":42,"user":"bob","action":"logout","ok":true,"tags":["a"],"meta":{"ip":"10.0.2.200","score":0.125}}',
    "I'm sorry, but I can't help with that request. Is there something else I can do?",
    *sized_requests(3, seed=99),
    "Sure, here are some ideas for a rainy weekend:\n\n1. Bake bread.\n2. Read a long novel.\n3. Visit a museum.",
]


def main() -> None:
    compressors: list[tuple[str | None, Compressor]] = [(None, Compressor(codecs=["templates"]))]
    for name in PROFILES:
        path = HERE / name
        if not path.exists():
            texts = sample_messages() + (sized_requests() if "predictors" in name else [])
            profile, _ = mine_profile(texts, handwritten=["Order #{order_id:num} has been {status}."], progress=False)
            path.write_bytes(profile.to_bytes())
        compressors.append((name, Compressor(profile=load_profile(path), codecs=["templates"])))
    vectors = json.loads(VECTORS.read_text()) if VECTORS.exists() else []
    known = {(v["text"], v["profile"]) for v in vectors}
    for name, compressor in compressors:
        for text in TEXTS:
            result = compressor.compress(text)
            if result.method != "templates" or (text, name) in known:
                continue
            vectors.append({"text": text, "profile": name, "template_id": result.template_id,
                            "payload": result.compressed_data.hex()})
    VECTORS.write_text(json.dumps(vectors, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(vectors)} vectors")


if __name__ == "__main__":
    main()
