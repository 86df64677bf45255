"""Profiles: the trained state encoder and decoder must share, in one safe file.

A profile holds one opaque part per trainable codec (each written and read by the
codec that owns it), a manifest, and a content hash.  A body made with a profile
starts with a two-byte reference, ``varint(profile id) || hash tag``, so a decoder
can tell which profile it needs and refuse one that is merely numbered alike.

File format (docs/profiles.md): ``b"AURAPROF"``, format version ``u8``, then
``varint(len) manifest-JSON``, ``varint(part count)``, each part as
``varint(len) name varint(len) data``, and finally the SHA-256 of everything before.
No pickle: loading a hostile file can fail, never execute anything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from aura_core.errors import CorruptBodyError, ProfileFormatError, ProfileMismatchError
from aura_core.varint import decode_varint, encode_varint

if TYPE_CHECKING:
    from aura_core.codec import Codec

MAGIC = b"AURAPROF"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 1 << 20
MAX_PARTS = 256


def _content_hash(profile_id: int, parts: Mapping[str, bytes], salt: int = 0) -> str:
    digest = hashlib.sha256(encode_varint(profile_id))
    if salt:
        digest.update(b"salt" + encode_varint(salt))
    for name in sorted(parts):
        raw = name.encode()
        digest.update(encode_varint(len(raw)) + raw + encode_varint(len(parts[name])))
        digest.update(parts[name])
    return digest.hexdigest()


@frozen
class Profile:
    """Trained state for every trainable codec, identified by id and content hash."""

    profile_id: int
    parts: Mapping[str, bytes]
    manifest: Mapping[str, Any]

    @classmethod
    def create(
        cls,
        profile_id: int | None,
        parts: Mapping[str, bytes],
        summaries: Mapping[str, str],
        versions: Mapping[str, str],
        corpus_messages: int,
        corpus_bytes: int,
        avoid_tags: Collection[int] = (),
        previous: Profile | None = None,
    ) -> Profile:
        """Bundle trained parts; the hash tag differs from every tag in ``avoid_tags``.

        A profile that replaces ``previous`` takes the next id unless ``profile_id`` is
        given, and avoids its predecessor's tag (a salt in the hash moves it), so a
        decoder can never confuse the two even if both ended up under one id.
        """
        from aura_core import __version__

        if previous is not None:
            avoid_tags = {*avoid_tags, previous.tag}
            if profile_id is None:
                profile_id = previous.profile_id + 1
        if profile_id is None:
            profile_id = 1

        salt = next(s for s in range(257) if int(_content_hash(profile_id, parts, s)[:2], 16) not in avoid_tags)
        manifest = {
            "profile_id": profile_id,
            "hash": _content_hash(profile_id, parts, salt),
            "salt": salt,
            "aura_core": __version__,
            "corpus": {"messages": corpus_messages, "bytes": corpus_bytes},
            "parts": {
                name: {"bytes": len(parts[name]), "version": versions.get(name), "summary": summaries.get(name, "")}
                for name in sorted(parts)
            },
        }
        return cls(profile_id=profile_id, parts=dict(parts), manifest=manifest)

    @property
    def hash(self) -> str:
        return str(self.manifest["hash"])

    @property
    def tag(self) -> int:
        """The hash byte every body carries after the profile id."""
        return int(self.hash[:2], 16)

    @property
    def reference(self) -> bytes:
        return encode_varint(self.profile_id) + bytes([self.tag])

    def to_bytes(self) -> bytes:
        manifest = json.dumps(self.manifest, sort_keys=True).encode()
        out = bytearray(MAGIC + bytes([FORMAT_VERSION]))
        out += encode_varint(len(manifest)) + manifest + encode_varint(len(self.parts))
        for name in sorted(self.parts):
            raw = name.encode()
            out += encode_varint(len(raw)) + raw + encode_varint(len(self.parts[name])) + self.parts[name]
        out += hashlib.sha256(out).digest()
        return bytes(out)

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "profile") -> Profile:
        """Parse and verify a profile; raise :class:`ProfileFormatError` on any defect."""
        if not data.startswith(MAGIC):
            raise ProfileFormatError(f"{source} is not an AURA profile (no {MAGIC!r} header)")
        if len(data) < len(MAGIC) + 1 + 32:
            raise ProfileFormatError(f"{source} is truncated ({len(data)} bytes)")
        body, checksum = data[:-32], data[-32:]
        if hashlib.sha256(body).digest() != checksum:
            raise ProfileFormatError(f"{source} is truncated or corrupted (checksum mismatch); copy it again")
        if body[len(MAGIC)] != FORMAT_VERSION:
            raise ProfileFormatError(
                f"{source} has format version {body[len(MAGIC)]}, this aura-core reads {FORMAT_VERSION}; upgrade aura-core"
            )
        try:
            pos = len(MAGIC) + 1
            size, pos = decode_varint(body, pos)
            if size > MAX_MANIFEST_BYTES or pos + size > len(body):
                raise ProfileFormatError(f"{source}: manifest length {size} is out of bounds")
            manifest = json.loads(body[pos : pos + size].decode("utf-8"))
            pos += size
            count, pos = decode_varint(body, pos)
            if count > MAX_PARTS:
                raise ProfileFormatError(f"{source}: {count} parts is more than {MAX_PARTS}")
            parts: dict[str, bytes] = {}
            for _ in range(count):
                size, pos = decode_varint(body, pos)
                name = body[pos : pos + size].decode("utf-8")
                pos += size
                size, pos = decode_varint(body, pos)
                if pos + size > len(body):
                    raise ProfileFormatError(f"{source}: part {name!r} runs past the end of the file")
                parts[name] = bytes(body[pos : pos + size])
                pos += size
        except (CorruptBodyError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            # RecursionError: a manifest of deeply nested brackets.
            raise ProfileFormatError(f"{source} is malformed: {exc}") from None
        if pos != len(body) or not isinstance(manifest, dict):
            raise ProfileFormatError(f"{source} is malformed: unexpected layout")
        profile_id = manifest.get("profile_id")
        if not isinstance(profile_id, int) or profile_id < 0:
            raise ProfileFormatError(f"{source}: manifest has no valid profile_id")
        salt = manifest.get("salt", 0)
        if not isinstance(salt, int) or salt < 0 or manifest.get("hash") != _content_hash(profile_id, parts, salt):
            raise ProfileFormatError(f"{source}: content hash does not match its parts")
        listed = manifest.get("parts")
        if not isinstance(listed, dict) or sorted(listed) != sorted(parts):
            raise ProfileFormatError(f"{source}: the manifest lists other parts than the file holds")
        return cls(profile_id=profile_id, parts=parts, manifest=manifest)


def load_profile(path: str | Path) -> Profile:
    """Read a profile file written by :meth:`Profile.save`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileFormatError(f"cannot read profile {path}: {exc.strerror}") from None
    return Profile.from_bytes(data, source=str(path))


class ProfileSet:
    """The profiles a Compressor holds, with each codec's state built once.

    One profile encodes; every held profile decodes (rotation: messages made with an
    older profile keep decoding after a new one is trained).
    """

    def __init__(self, codecs: Sequence[Codec], encoding: Profile | None, decoding: Sequence[Profile] = ()) -> None:
        self.encoding = encoding
        # id -> (profile, its tag, each codec's state); the tag and the encoding side's
        # (reference, state) pairs are computed here once, not per message.
        self._states: dict[int, tuple[Profile, int, dict[str, Any]]] = {}
        trainable = {c.name: c for c in codecs if c.trainable}
        for profile in ([encoding] if encoding is not None else []) + list(decoding):
            held = self._states.get(profile.profile_id)
            if held is not None:
                if held[0].hash != profile.hash:
                    raise ValueError(
                        f"two different profiles share id {profile.profile_id}; "
                        "retrain one with another id (aura train --id N)"
                    )
                continue
            states = {name: trainable[name].load_state(part) for name, part in profile.parts.items() if name in trainable}
            self._states[profile.profile_id] = (profile, profile.tag, states)
        self._encoding: dict[str, tuple[bytes, Any]] = {}
        if encoding is not None:
            reference = encoding.reference
            self._encoding = {name: (reference, state) for name, state in self._states[encoding.profile_id][2].items()}

    @property
    def profiles(self) -> list[Profile]:
        return [held[0] for held in self._states.values()]

    def encoding_state(self, codec_name: str) -> tuple[bytes, Any] | None:
        return self._encoding.get(codec_name)

    def decoding_state(self, codec_name: str, body: bytes, pos: int = 0) -> tuple[Any, int]:
        profile_id, pos = decode_varint(body, pos)
        if pos >= len(body):
            raise CorruptBodyError("body ends inside its profile reference")
        tag = body[pos]
        held = self._states.get(profile_id)
        if held is None:
            have = ", ".join(str(i) for i in sorted(self._states)) or "none"
            raise ProfileMismatchError(
                f"this message was encoded with profile id {profile_id} (hash starting {tag:02x}); "
                f"this decoder holds profile ids: {have}. Load that profile to decode it."
            )
        profile, held_tag, states = held
        if held_tag != tag:
            raise ProfileMismatchError(
                f"this message was encoded with profile id {profile_id} whose hash starts {tag:02x}, "
                f"but the profile held under id {profile_id} has hash {profile.hash[:16]}…: a different "
                "profile. Load the profile the sender used."
            )
        state = states.get(codec_name)
        if state is None:
            raise ProfileMismatchError(
                f"profile id {profile_id} ({profile.hash[:16]}…) holds no {codec_name!r} part; "
                "the sender's profile was trained with a plugin this one lacks"
            )
        return state, pos + 1
