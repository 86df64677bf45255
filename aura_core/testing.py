"""Golden vectors for test suites: proof that payloads written once keep decoding forever.

A marker's body format never changes once published (docs/markers.md), and golden
vectors are how a test suite proves it, following numcodecs'
``check_backwards_compatibility``::

    from aura_core.testing import check_golden_vectors

    def test_golden_vectors():
        check_golden_vectors(Path(__file__).parent / "golden" / "mycodec.json", ["mycodec"], TEXTS)

The first run, when the file does not exist, encodes every text with each named codec
and writes the file (with a warning): commit it.  Every later run decodes every vector
in the file and fails unless each one gives back exactly its text.  A vector file is
never regenerated or edited: when a body format changes the codec takes a new marker,
its new vectors go into a new file, and the old file keeps proving that the old
marker still decodes.  Vectors that need trained state carry their profile in the
file, so it must be a small one.

File format (JSON, UTF-8)::

    {"about": ..., "aura_core": "<version that wrote it>",
     "profile": "<hex of Profile.to_bytes()>" | null,
     "vectors": [{"codec": "<name>", "text": "<message>", "payload": "<hex: marker || body>"}, ...]}

This module is part of aura-core so that third-party plugins' test suites can use it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import frozen

from aura_core import __version__
from aura_core.compressor import Compressor
from aura_core.errors import AuraDecodeError
from aura_core.profile import Profile
from aura_core.registry import Registry

ABOUT = (
    "AURA golden vectors: written once by aura_core.testing.check_golden_vectors and committed; "
    "every test run decodes them. Never regenerate or edit this file."
)


@frozen
class GoldenVector:
    """One payload and the text it must decode to."""

    codec: str
    text: str
    payload: bytes


@frozen
class GoldenFile:
    """The vectors of one file and the profile they need, if any."""

    vectors: tuple[GoldenVector, ...]
    profile: Profile | None = None

    @property
    def codecs(self) -> set[str]:
        return {vector.codec for vector in self.vectors}


def write_golden_vectors(
    path: Path,
    codecs: Sequence[str],
    texts: Iterable[str],
    *,
    profile: Profile | None = None,
    registry: Registry | None = None,
) -> GoldenFile:
    """Encode every text with each codec (bypassing the selector) and write the file.

    Raises :class:`ValueError` when a codec declines every text: its vectors would
    prove nothing.
    """
    compressor = Compressor(profile=profile, registry=registry)
    texts = list(texts)
    vectors: list[GoldenVector] = []
    for name in codecs:
        codec = compressor.registry.codec(name)
        encoded = [
            GoldenVector(name, text, bytes([codec.marker]) + body)
            for text in texts
            if (body := codec.encode(text, text.encode("utf-8"), compressor.context)) is not None
        ]
        if not encoded:
            raise ValueError(f"codec {name!r} declined every text; give it texts it encodes")
        vectors += encoded
    golden = GoldenFile(tuple(vectors), profile)
    document = {
        "about": ABOUT,
        "aura_core": __version__,
        "profile": profile.to_bytes().hex() if profile is not None else None,
        "vectors": [{"codec": v.codec, "text": v.text, "payload": v.payload.hex()} for v in golden.vectors],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return golden


def read_golden_vectors(path: Path) -> GoldenFile:
    """Read a file written by :func:`write_golden_vectors`."""
    document = json.loads(path.read_text(encoding="utf-8"))
    profile = document.get("profile")
    return GoldenFile(
        vectors=tuple(
            GoldenVector(v["codec"], v["text"], bytes.fromhex(v["payload"])) for v in document["vectors"]
        ),
        profile=Profile.from_bytes(bytes.fromhex(profile), source=f"profile in {path}") if profile else None,
    )


def golden_failures(golden: GoldenFile, registry: Registry | None = None) -> list[str]:
    """What is wrong with decoding ``golden`` today: one line per failing vector."""
    compressor = Compressor(decode_profiles=[golden.profile] if golden.profile else [], registry=registry)
    failures = []
    for number, vector in enumerate(golden.vectors):
        where = f"vector {number} ({vector.codec}, text {vector.text[:40]!r})"
        try:
            owner = compressor.registry.codec_for_marker(vector.payload[0]).name
            if owner != vector.codec:
                failures.append(f"{where}: marker 0x{vector.payload[0]:02X} now belongs to {owner!r}")
                continue
            decoded = compressor.decompress(vector.payload)
        except AuraDecodeError as exc:
            failures.append(f"{where}: {type(exc).__name__}: {exc}")
            continue
        if decoded != vector.text:
            failures.append(f"{where}: decodes to {decoded[:40]!r}")
    return failures


def check_golden_vectors(
    path: str | Path,
    codecs: Sequence[str],
    texts: Iterable[str],
    *,
    profile: Profile | None = None,
    registry: Registry | None = None,
) -> GoldenFile:
    """Write the vector file if it is missing; then require every vector in it to decode.

    Raises :class:`AssertionError` listing each vector that no longer decodes to its
    text, and when the file holds no vector for one of ``codecs`` (a new codec's
    vectors go into a new file; this one is never regenerated).
    """
    path = Path(path)
    if not path.exists():
        write_golden_vectors(path, codecs, texts, profile=profile, registry=registry)
        warnings.warn(f"wrote new golden vectors to {path}: commit this file", stacklevel=2)
    golden = read_golden_vectors(path)
    failures = [
        f"{path} has no vectors for codec {name!r}: write them to a new file, never regenerate this one"
        for name in codecs
        if name not in golden.codecs
    ]
    failures += golden_failures(golden, registry)
    if failures:
        raise AssertionError(f"{len(failures)} golden vector failure(s) in {path}:\n" + "\n".join(failures))
    return golden
