"""Profile safety: a truncated, corrupted or crafted profile is refused when it is loaded.

Every defect must surface as ``ProfileFormatError`` from ``load_profile`` (the file:
magic, version, checksum, manifest, lengths) or from ``Compressor(profile=...)`` (each
trainable codec's ``load_state``), never later when coding: a profile that loads
codes and decodes exactly (:func:`aura_reliability.check_profile`).  The crafted
files carry a valid checksum and content hash, so they get past the integrity checks
to the parsers behind them.  Loading never runs code: nothing imports pickle.
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import aura_reliability
import pytest
from aura_reliability import check_profile, flip_bits, with_part
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aura_core import Compressor, Profile, ProfileFormatError, load_profile
from aura_core.profile import FORMAT_VERSION, MAGIC
from aura_core.varint import encode_varint

TRAINABLE = {codec.name: codec for codec in aura_reliability.trainable_codecs()}
#: Modules whose import would let a file run code when loaded.
UNSAFE_MODULES = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}


@pytest.fixture(scope="module")
def profiles() -> list[Profile]:
    """The committed profiles and the one trained for these tests."""
    held = aura_reliability.held_profiles()
    if not held:
        pytest.skip("no trainable codec is installed")
    return held


def refused_at_load(data: bytes, tmp_path: Path) -> None:
    """``data`` as a file must be refused by load_profile, or by the Compressor built from it."""
    path = tmp_path / "hostile.aura"
    path.write_bytes(data)
    with pytest.raises(ProfileFormatError):
        Compressor(profile=load_profile(path))


def test_truncated_files(profiles: list[Profile], tmp_path: Path) -> None:
    for profile in profiles:
        data = profile.to_bytes()
        cuts = set(range(0, 64)) | set(range(len(data) - 40, len(data))) | set(range(0, len(data), len(data) // 50 + 1))
        for cut in sorted(cuts):
            refused_at_load(data[:cut], tmp_path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bit_flipped_files(profiles: list[Profile], tmp_path: Path, data: st.DataObject) -> None:
    file = data.draw(st.sampled_from(profiles)).to_bytes()
    bits = data.draw(st.lists(st.integers(0, 8 * len(file) - 1), min_size=1, max_size=3, unique=True))
    refused_at_load(flip_bits(file, bits), tmp_path)


# -- valid checksum, hostile container ------------------------------------------------------


def sealed(body: bytes) -> bytes:
    """A profile file body with its checksum: integrity checks pass, the parsers must cope."""
    return body + hashlib.sha256(body).digest()


def container(
    manifest: bytes | None = None,
    parts: list[tuple[bytes, bytes]] | None = None,
    version: int = FORMAT_VERSION,
    trailer: bytes = b"",
) -> bytes:
    """A file laid out as docs/profiles.md says, from raw pieces (lengths written as given)."""
    parts = parts if parts is not None else [(b"brio", b"x")]
    if manifest is None:
        document = {"profile_id": 1, "hash": "0" * 64, "parts": {name.decode("utf-8", "replace"): {} for name, _ in parts}}
        manifest = json.dumps(document).encode()
    body = MAGIC + bytes([version]) + encode_varint(len(manifest)) + manifest + encode_varint(len(parts))
    for name, data in parts:
        body += encode_varint(len(name)) + name + encode_varint(len(data)) + data
    return sealed(body + trailer)


def valid_manifest(profile_id: object, held: dict[str, bytes], changes: dict[str, object] | None = None) -> bytes:
    """The manifest Profile.create writes for the parts ``held``, with ``changes`` applied."""
    document = dict(Profile.create(1, held, {}, {}, 1, 1).manifest)
    document["profile_id"] = profile_id
    document.update(changes or {})
    return json.dumps(document).encode()


HOSTILE_CONTAINERS = {
    "wrong format version": container(version=FORMAT_VERSION + 1),
    "format version 0": container(version=0),
    "manifest not JSON": container(manifest=b"{not json"),
    "manifest not UTF-8": container(manifest=b'{"profile_id": "\xff\xfe"}'),
    "manifest a list": container(manifest=b"[1, 2, 3]"),
    "manifest nested 100000 deep": container(manifest=b"[" * 100_000 + b"]" * 100_000),
    "manifest without profile_id": container(manifest=b'{"hash": "00", "parts": {}}', parts=[]),
    "negative profile_id": container(manifest=valid_manifest(-1, {}), parts=[]),
    "profile_id a string": container(manifest=valid_manifest("1", {}), parts=[]),
    "content hash of other parts": container(manifest=valid_manifest(1, {"brio": b"y"}), parts=[(b"brio", b"x")]),
    "manifest lists other parts": container(
        manifest=valid_manifest(1, {"brio": b"x"}, {"parts": {"zstd-dict": {}}}), parts=[(b"brio", b"x")]
    ),
    "part name not UTF-8": container(parts=[(b"\xff\xfe", b"x")]),
    "trailing bytes": container(manifest=valid_manifest(1, {}), parts=[], trailer=b"\x00"),
    "huge manifest length": sealed(MAGIC + bytes([FORMAT_VERSION]) + encode_varint(2**60) + b"{}"),
    "overlong manifest length": sealed(MAGIC + bytes([FORMAT_VERSION]) + b"\x80" * 11 + b"{}"),
    "huge part count": sealed(
        MAGIC + bytes([FORMAT_VERSION]) + encode_varint(2) + b"{}" + encode_varint(2**40) + b"\x01a\x01x"
    ),
    "huge part length": sealed(
        MAGIC + bytes([FORMAT_VERSION]) + encode_varint(2) + b"{}" + encode_varint(1) + b"\x04brio" + encode_varint(2**60)
    ),
    "part name past the end": sealed(
        MAGIC + bytes([FORMAT_VERSION]) + encode_varint(2) + b"{}" + encode_varint(1) + encode_varint(2**30) + b"brio"
    ),
    "not a profile": sealed(b"PK\x03\x04" + b"\x00" * 64),
}


@pytest.mark.parametrize("data", HOSTILE_CONTAINERS.values(), ids=HOSTILE_CONTAINERS.keys())
def test_crafted_containers(data: bytes, tmp_path: Path) -> None:
    with pytest.raises(ProfileFormatError):
        Profile.from_bytes(data)
    refused_at_load(data, tmp_path)


# -- valid container, hostile parts -------------------------------------------------------------


def real_part(codec_name: str) -> bytes:
    """The smallest real part of a codec (a committed profile's, else the trained one's)."""
    return aura_reliability.profile_for(TRAINABLE[codec_name]).parts[codec_name]


@pytest.mark.parametrize("name", TRAINABLE)
@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(lambda part: b"", id="empty"),
        pytest.param(lambda part: b"\x00", id="one-zero-byte"),
        pytest.param(lambda part: part[:1], id="first-byte"),
        pytest.param(lambda part: part[: len(part) // 2], id="first-half"),
        pytest.param(lambda part: part[:-1], id="last-byte-cut"),
        pytest.param(lambda part: part + b"\x00" * 7, id="trailing-zeros"),
        pytest.param(lambda part: part[:8] + b"\xff" * 64, id="header-then-ff"),
        pytest.param(lambda part: part[:4] + b"\x80" * 32, id="overlong-varints"),
        pytest.param(lambda part: bytes(range(256)) * 4, id="byte-ramp"),
        pytest.param(lambda part: part[len(part) // 2 :], id="second-half"),
    ],
)
def test_hostile_parts(name: str, hostile: object) -> None:
    """Each outcome is a load-time refusal, or a profile that codes exactly."""
    data = hostile(real_part(name))  # type: ignore[operator]
    check_profile(with_part(TRAINABLE[name], data), TRAINABLE[name])


@pytest.mark.parametrize("name", TRAINABLE)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_mutated_parts(name: str, data: st.DataObject) -> None:
    part = real_part(name)
    bits = data.draw(st.lists(st.integers(0, 8 * len(part) - 1), min_size=1, max_size=4, unique=True))
    check_profile(with_part(TRAINABLE[name], flip_bits(part, bits)), TRAINABLE[name])


@pytest.mark.parametrize("name", TRAINABLE)
def test_hostile_part_in_a_decode_profile_is_refused_at_construction(name: str) -> None:
    hostile = Profile.from_bytes(with_part(TRAINABLE[name], b"\x00" * 16, profile_id=3))
    with pytest.raises(ProfileFormatError):
        Compressor(decode_profiles=[hostile])


# -- no code execution ----------------------------------------------------------------------------


def source_files() -> list[Path]:
    root = aura_reliability.ROOT
    return sorted(root.glob("aura_core/**/*.py")) + sorted(root.glob("plugins/*/src/**/*.py"))


def unsafe_uses(path: Path) -> list[str]:
    """Imports of modules that unpickle, and calls of eval/exec, in one source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec"):
            names = [node.func.id]
        elif isinstance(node, ast.keyword) and node.arg == "allow_pickle":
            names = ["allow_pickle"]
        else:
            continue
        found += [f"{path.name}:{node.lineno}: {name}" for name in names if name.split(".")[0] in UNSAFE_MODULES | {"eval", "exec", "allow_pickle"}]
    return found


def test_nothing_can_unpickle() -> None:
    files = source_files()
    assert len(files) > 20, "the source tree was not found"
    assert [use for path in files for use in unsafe_uses(path)] == []


def test_the_scan_finds_unsafe_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle\nfrom marshal import loads\nimport numpy as np\nnp.load(f, allow_pickle=True)\neval('1')\n")
    assert len(unsafe_uses(sample)) == 4
