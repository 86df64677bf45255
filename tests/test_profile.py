"""Profiles end to end, with the trainable test codec: training, files, the reference in
every body, mismatches, rotation, and damaged files refused at load time."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

import pytest
from aura_test_support import CATEGORIES, corpus_texts, trainable_registry
from deflate_dict_codec import DeflateDictCodec
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import (
    Compressor,
    CorruptBodyError,
    Profile,
    ProfileFormatError,
    ProfileMismatchError,
    Registry,
    load_profile,
    train_profile,
)
from aura_core.profile import MAGIC, MAX_PARTS
from aura_core.varint import encode_varint

CHAT = [
    "Sure, here is the updated function with the changes you asked for.",
    "Could you explain how the function handles an empty list?",
    "Thanks, that works. Can you also add a test for the function?",
    "The function returns the list sorted by the date of each entry.",
    "Here is an example of how you can call the function from your code.",
] * 4
LOGS = [
    "Jan 12 06:25:01 host CRON[1234]: pam_unix(cron:session): session opened for user root",
    "Jan 12 06:25:02 host sshd[2291]: Failed password for invalid user admin from 10.0.0.7 port 52144",
    "Jan 12 06:25:04 host sshd[2291]: Connection closed by invalid user admin 10.0.0.7 port 52144",
    "Jan 12 06:26:11 host postfix/smtpd[881]: connect from unknown[192.168.1.20]",
] * 5
CODEC = ["test-deflate-dict"]


@pytest.fixture
def chat(trainable_registry: Registry) -> Profile:
    return train_profile(CHAT, progress=False, registry=trainable_registry)


@pytest.fixture
def logs(trainable_registry: Registry) -> Profile:
    """A real, different profile under the same id as ``chat``."""
    return train_profile(LOGS, progress=False, registry=trainable_registry)


def compressor(registry: Registry, profile: Profile | None = None, decode: tuple[Profile, ...] = ()) -> Compressor:
    return Compressor(profile=profile, decode_profiles=decode, registry=registry, codecs=CODEC)


def payload(registry: Registry, profile: Profile, text: str) -> bytes:
    """The test codec's payload for ``text``, even where the selector would send it raw."""
    codec = registry.codec(CODEC[0])
    body = codec.encode(text, text.encode("utf-8"), compressor(registry, profile).context)
    assert body is not None
    return bytes([codec.marker]) + body


# -- identity and files ------------------------------------------------------------------


def test_two_trainings_give_two_different_profiles(chat: Profile, logs: Profile) -> None:
    assert chat.profile_id == logs.profile_id == 1
    assert chat.parts != logs.parts and chat.hash != logs.hash
    assert chat.tag != logs.tag  # otherwise the mismatch tests below would prove nothing


def test_save_and_load(chat: Profile, tmp_path: Path) -> None:
    path = tmp_path / "chat.aura"
    chat.save(path)
    assert path.read_bytes().startswith(MAGIC)
    assert load_profile(path) == chat
    assert load_profile(path).to_bytes() == chat.to_bytes()
    assert Compressor(profile=path, registry=trainable_registry()).profile == chat


def test_hash_covers_id_and_parts(chat: Profile) -> None:
    digest = hashlib.sha256(encode_varint(chat.profile_id))
    for name, data in sorted(chat.parts.items()):
        digest.update(encode_varint(len(name.encode())) + name.encode() + encode_varint(len(data)) + data)
    assert chat.hash == digest.hexdigest() and chat.tag == digest.digest()[0]


@pytest.mark.parametrize(("profile_id", "size"), [(0, 2), (1, 2), (127, 2), (128, 3), (16_383, 3), (16_384, 4)])
def test_reference_is_varint_id_and_tag(chat: Profile, profile_id: int, size: int) -> None:
    profile = Profile.create(profile_id, chat.parts, {}, {}, 1, 1)
    assert profile.reference == encode_varint(profile_id) + bytes([profile.tag])
    assert len(profile.reference) == size


@settings(max_examples=40)
@given(text=st.text(min_size=1))
def test_every_body_starts_with_the_reference_and_round_trips(text: str) -> None:
    registry = trainable_registry()
    profile = train_profile(CHAT, progress=False, registry=registry)
    data = payload(registry, profile, text)
    assert data[1:3] == profile.reference
    assert compressor(registry, decode=(profile,)).decompress(data) == text


def test_without_a_profile_the_trainable_codec_declines(trainable_registry: Registry) -> None:
    assert compressor(trainable_registry).compress("the function " * 20).method == "raw"


# -- mismatches ---------------------------------------------------------------------------


TEXT = "Could you add a test for the function that sorts the list?"


def test_missing_profile_id(trainable_registry: Registry, chat: Profile) -> None:
    other = train_profile(LOGS, progress=False, profile_id=2, registry=trainable_registry)
    with pytest.raises(ProfileMismatchError, match=f"profile id 1 \\(hash starting {chat.tag:02x}\\).*holds profile ids: 2"):
        compressor(trainable_registry, decode=(other,)).decompress(payload(trainable_registry, chat, TEXT))
    with pytest.raises(ProfileMismatchError, match="holds profile ids: none"):
        compressor(trainable_registry).decompress(payload(trainable_registry, chat, TEXT))


def test_different_profile_under_the_same_id(trainable_registry: Registry, chat: Profile, logs: Profile) -> None:
    data = payload(trainable_registry, chat, TEXT)
    # What the check prevents: the same stream read with the other dictionary is other text.
    assert zlib.decompressobj(-15, zdict=logs.parts[CODEC[0]]).decompress(data[3:]) != TEXT.encode()
    with pytest.raises(ProfileMismatchError, match=f"hash starts {chat.tag:02x}.*has hash {logs.hash[:16]}"):
        compressor(trainable_registry, decode=(logs,)).decompress(data)


@settings(max_examples=25)
@given(text=st.text(min_size=1))
def test_a_different_profile_never_yields_text(text: str) -> None:
    registry = trainable_registry()
    chat_profile = train_profile(CHAT, progress=False, registry=registry)
    logs_profile = train_profile(LOGS, progress=False, registry=registry)
    with pytest.raises(ProfileMismatchError):
        compressor(registry, decode=(logs_profile,)).decompress(payload(registry, chat_profile, text))


def test_same_id_and_tag_but_no_part_for_the_codec(trainable_registry: Registry, chat: Profile) -> None:
    # A profile from another set of plugins whose hash happens to share the tag byte.
    lookalike = next(
        p for i in range(100_000) if (p := Profile.create(1, {"other-codec": encode_varint(i)}, {}, {}, 1, 1)).tag == chat.tag
    )
    with pytest.raises(ProfileMismatchError, match="holds no 'test-deflate-dict' part"):
        compressor(trainable_registry, decode=(lookalike,)).decompress(payload(trainable_registry, chat, TEXT))


def test_body_cut_inside_the_reference(trainable_registry: Registry, chat: Profile) -> None:
    decoder = compressor(trainable_registry, decode=(chat,))
    with pytest.raises(CorruptBodyError, match="ends inside a varint"):
        decoder.decompress(bytes([DeflateDictCodec.marker]))
    with pytest.raises(CorruptBodyError, match="ends inside its profile reference"):
        decoder.decompress(bytes([DeflateDictCodec.marker, chat.profile_id]))


def test_two_different_profiles_cannot_share_an_id_in_one_compressor(
    trainable_registry: Registry, chat: Profile, logs: Profile
) -> None:
    with pytest.raises(ValueError, match="two different profiles share id 1"):
        compressor(trainable_registry, chat, decode=(logs,))
    assert compressor(trainable_registry, chat, decode=(chat,)).context.profiles.profiles == [chat]


# -- rotation -----------------------------------------------------------------------------


def test_rotation_keeps_old_messages_decoding(trainable_registry: Registry, chat: Profile) -> None:
    new = train_profile(LOGS, progress=False, previous=chat, registry=trainable_registry)
    assert new.profile_id == chat.profile_id + 1
    old_payload = payload(trainable_registry, chat, TEXT)
    rotated = compressor(trainable_registry, new, decode=(chat,))
    new_payload = rotated.compress(LOGS[0]).compressed_data
    assert new_payload[1:3] == new.reference
    assert rotated.decompress(old_payload) == TEXT
    assert rotated.decompress(new_payload) == LOGS[0]
    with pytest.raises(ProfileMismatchError, match="holds profile ids: 2"):
        compressor(trainable_registry, new).decompress(old_payload)


def test_corpus_profiles_per_category(trainable_registry: Registry, corpora) -> None:
    profiles = {
        category: train_profile(
            corpus_texts(corpora, category, "train", 300),
            progress=False,
            profile_id=number,
            registry=trainable_registry,
        )
        for number, category in enumerate(CATEGORIES, 1)
    }
    holder = compressor(trainable_registry, decode=tuple(profiles.values()))
    for category, profile in profiles.items():
        texts = corpus_texts(corpora, category, "test", 30)
        results = compressor(trainable_registry, profile).compress_many(texts)
        assert [holder.decompress(r.compressed_data) for r in results] == texts
        others = compressor(trainable_registry, decode=tuple(p for p in profiles.values() if p is not profile))
        for result in results:
            if result.method != "raw":
                with pytest.raises(ProfileMismatchError):
                    others.decompress(result.compressed_data)


# -- damaged files ------------------------------------------------------------------------


def seal(body: bytes) -> bytes:
    """A file with a valid checksum around ``body``: what a hostile or buggy writer can make."""
    return body + hashlib.sha256(body).digest()


def container(manifest: object, parts: dict[bytes, bytes], version: int = 1, count: int | None = None) -> bytes:
    raw = json.dumps(manifest).encode()
    body = MAGIC + bytes([version]) + encode_varint(len(raw)) + raw + encode_varint(len(parts) if count is None else count)
    for name, data in parts.items():
        body += encode_varint(len(name)) + name + encode_varint(len(data)) + data
    return seal(body)


def test_every_truncation_is_refused(chat: Profile) -> None:
    data = chat.to_bytes()
    for end in range(len(data)):
        with pytest.raises(ProfileFormatError):
            Profile.from_bytes(data[:end])


def test_every_flipped_bit_is_refused(chat: Profile) -> None:
    data = chat.to_bytes()
    for position in range(len(data)):
        for bit in (0x01, 0x80):
            damaged = bytearray(data)
            damaged[position] ^= bit
            with pytest.raises(ProfileFormatError):
                Profile.from_bytes(bytes(damaged))


def test_damaged_files_fail_at_load_time(chat: Profile, tmp_path: Path) -> None:
    path = tmp_path / "damaged.aura"
    path.write_bytes(chat.to_bytes()[:-5])
    with pytest.raises(ProfileFormatError, match="truncated or corrupted \\(checksum mismatch\\)"):
        load_profile(path)
    with pytest.raises(ProfileFormatError, match="truncated or corrupted"):
        Compressor(profile=path, registry=trainable_registry())
    with pytest.raises(ProfileFormatError, match="cannot read profile"):
        load_profile(tmp_path / "missing.aura")
    path.write_bytes(b"PK\x03\x04 not a profile")
    with pytest.raises(ProfileFormatError, match="not an AURA profile"):
        load_profile(path)


@pytest.mark.parametrize(
    ("make", "complaint"),
    [
        (lambda p: seal(MAGIC + b"\x02" + p.to_bytes()[9:-32]), "format version 2, this aura-core reads 1"),
        (lambda p: container({**p.manifest, "hash": "0" * 64}, {k.encode(): v for k, v in p.parts.items()}), "content hash"),
        (lambda p: container({**p.manifest, "profile_id": -1}, {}), "no valid profile_id"),
        (lambda p: container([1, 2], {}), "unexpected layout"),
        (lambda p: container(p.manifest, {}, count=MAX_PARTS + 1), f"{MAX_PARTS + 1} parts"),
        (lambda p: container(p.manifest, {b"x": b"abc"})[:-35] + b"ab" + b"\0" * 33, "checksum"),
        (lambda p: seal(MAGIC + b"\x01" + encode_varint(1 << 21) + b"{}"), "manifest length"),
        (lambda p: seal(MAGIC + b"\x01\x02{}\x01\x01x\x05ab"), "part 'x' runs past the end"),
        (lambda p: seal(MAGIC + b"\x01\x03{}}\x00"), "malformed"),
        (lambda p: seal(MAGIC + b"\x01\x02{}\x00extra"), "unexpected layout"),
        (lambda p: seal(MAGIC + b"\x01\x02{}\x01\x02\xff\xfe\x00"), "malformed"),
        (lambda p: seal(MAGIC + b"\x01" + encode_varint(200_000) + b"[" * 200_000), "malformed"),
        (lambda p: container({**p.manifest, "parts": {}}, {k.encode(): v for k, v in p.parts.items()}), "manifest lists"),
    ],
    ids=[
        "future-version",
        "edited-part",
        "bad-id",
        "manifest-not-object",
        "too-many-parts",
        "bad-checksum",
        "huge-manifest",
        "part-past-end",
        "bad-json",
        "trailing-bytes",
        "bad-part-name",
        "deeply-nested-manifest",
        "manifest-parts-disagree",
    ],
)
def test_malformed_containers_with_valid_checksums(chat: Profile, make, complaint: str) -> None:
    with pytest.raises(ProfileFormatError, match=complaint):
        Profile.from_bytes(make(chat))


@settings(max_examples=200)
@given(st.binary(max_size=120))
def test_arbitrary_sealed_bodies_load_or_raise_profile_format_error(body: bytes) -> None:
    for version_and_rest in (body, b"\x01" + body):
        try:
            Profile.from_bytes(seal(MAGIC + version_and_rest))
        except ProfileFormatError:
            pass


def test_a_part_its_codec_rejects_fails_when_the_compressor_is_built(trainable_registry: Registry) -> None:
    empty = Profile.create(1, {"test-deflate-dict": b""}, {}, {}, 1, 1)
    restored = Profile.from_bytes(empty.to_bytes())  # the container itself is fine
    with pytest.raises(ProfileFormatError, match="part holds 1 to 32768 bytes, not 0"):
        compressor(trainable_registry, restored)
    with pytest.raises(ProfileFormatError):
        compressor(trainable_registry, decode=(restored,))


def test_a_profile_moves_its_tag_away_from_the_tags_it_must_avoid() -> None:
    parts = {"test-deflate-dict": b"dictionary words "}
    plain = Profile.create(1, parts, {}, {}, corpus_messages=1, corpus_bytes=17)
    moved = Profile.create(1, parts, {}, {}, corpus_messages=1, corpus_bytes=17, avoid_tags={plain.tag})
    assert plain.manifest["salt"] == 0 and moved.manifest["salt"] > 0
    assert moved.tag != plain.tag
    assert Profile.from_bytes(moved.to_bytes()) == moved


def test_a_retrained_profile_never_shares_its_predecessors_tag() -> None:
    registry = trainable_registry()
    texts = ["the profile mechanism needs a few words", "words that repeat in the corpus"] * 3
    first = train_profile(texts, progress=False, registry=registry)
    second = train_profile(texts, progress=False, previous=first, profile_id=first.profile_id, registry=registry)
    assert second.tag != first.tag


def test_a_successor_takes_the_next_id_and_another_tag_whoever_builds_it() -> None:
    parts = {"test-deflate-dict": b"dictionary words "}
    first = Profile.create(None, parts, {}, {}, corpus_messages=1, corpus_bytes=17)
    second = Profile.create(None, parts, {}, {}, corpus_messages=1, corpus_bytes=17, previous=first)
    pinned = Profile.create(first.profile_id, parts, {}, {}, corpus_messages=1, corpus_bytes=17, previous=first)
    assert (first.profile_id, second.profile_id) == (1, 2)
    assert pinned.profile_id == first.profile_id and pinned.tag != first.tag
