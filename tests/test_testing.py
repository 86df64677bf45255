"""aura_core.testing: the golden-vector helper must catch every way old payloads can break."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aura_test_support import core_registry, trainable_registry

from aura_core import train_profile
from aura_core.testing import ABOUT, check_golden_vectors, read_golden_vectors, write_golden_vectors

TEXTS = ["", "short", "a longer message, a longer message, a longer message"]


def edit(path: Path, number: int, **changes: str) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["vectors"][number].update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_first_run_writes_then_every_run_decodes(tmp_path: Path) -> None:
    path = tmp_path / "golden" / "core.json"
    with pytest.warns(UserWarning, match="wrote new golden vectors .* commit this file"):
        written = check_golden_vectors(path, ["raw", "brotli"], TEXTS, registry=core_registry())
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["about"] == ABOUT and document["profile"] is None
    assert [(v["codec"], v["text"]) for v in document["vectors"]] == [(c, t) for c in ("raw", "brotli") for t in TEXTS]
    assert read_golden_vectors(path) == written
    # A later run, with other texts, reads the file and writes nothing.
    before = path.read_bytes()
    assert check_golden_vectors(path, ["raw", "brotli"], ["other"], registry=core_registry()) == written
    assert path.read_bytes() == before


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    path = tmp_path / "core.json"
    write_golden_vectors(path, ["raw", "brotli"], TEXTS, registry=core_registry())
    return path


def test_a_changed_payload_fails(golden: Path) -> None:
    edit(golden, 4, payload="01" + "ff" * 6)
    with pytest.raises(AssertionError, match=r"(?s)1 golden vector failure.*vector 4 \(brotli, text 'short'\): CorruptBodyError"):
        check_golden_vectors(golden, ["brotli"], TEXTS, registry=core_registry())


def test_a_different_decoding_fails(golden: Path) -> None:
    edit(golden, 1, text="shorT")
    with pytest.raises(AssertionError, match=r"vector 1 \(raw, text 'shorT'\): decodes to 'short'"):
        check_golden_vectors(golden, ["raw"], TEXTS, registry=core_registry())


def test_a_reassigned_marker_fails(golden: Path) -> None:
    edit(golden, 1, codec="brotli")
    with pytest.raises(AssertionError, match="marker 0x00 now belongs to 'raw'"):
        check_golden_vectors(golden, ["raw"], TEXTS, registry=core_registry())


def test_a_missing_codec_fails(golden: Path) -> None:
    edit(golden, 1, payload="c3" + b"short".hex())
    with pytest.raises(AssertionError, match="unknown marker 0xC3"):
        check_golden_vectors(golden, ["raw"], TEXTS, registry=core_registry())


def test_a_codec_without_vectors_in_the_file_fails(golden: Path) -> None:
    with pytest.raises(AssertionError, match="has no vectors for codec 'test-deflate-dict': write them to a new file"):
        check_golden_vectors(golden, ["raw", "test-deflate-dict"], TEXTS, registry=trainable_registry())


def test_a_codec_that_declines_everything_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'test-deflate-dict' declined every text"):
        write_golden_vectors(tmp_path / "x.json", ["test-deflate-dict"], TEXTS, registry=trainable_registry())
    assert not (tmp_path / "x.json").exists()


def test_the_profile_travels_in_the_file(tmp_path: Path) -> None:
    registry = trainable_registry()
    profile = train_profile(["words the dictionary learns"] * 3, progress=False, registry=registry)
    path = tmp_path / "trained.json"
    write_golden_vectors(path, ["test-deflate-dict"], ["words"], profile=profile, registry=registry)
    assert read_golden_vectors(path).profile == profile
    check_golden_vectors(path, ["test-deflate-dict"], [], registry=registry)
    other = train_profile(["other words entirely"] * 3, progress=False, registry=registry)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["profile"] = other.to_bytes().hex()
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AssertionError, match="ProfileMismatchError"):
        check_golden_vectors(path, ["test-deflate-dict"], [], registry=registry)
