"""The anchors: existing compressors measured next to AURA in the same run.

They are built exactly as ``shared/anchors/anchors.py`` builds them, so their ratios
reproduce the published anchor figures byte for byte (same library versions, same
input bytes):

* ``brotli-11``: ``brotli.compress(data, quality=11)``;
* ``zlib-9``: raw deflate, level 9, window 15, memory level 9;
* ``zstd-19``: level 19 without content size, checksum or dictionary id, and without
  the 4-byte frame magic (decoded as ``FORMAT_ZSTD1_MAGICLESS``);
* ``zstd-19-dict64k`` / ``zstd-19-dict112k``: the same with a dictionary that
  ``zstandard.train_dictionary(size, samples, threads=-1)`` learns from every non-empty
  message of the train file (capped at 32 MiB by a seeded shuffle, as the anchors do);
* ``zstd-3``: level 3, magicless: the throughput baseline every row is compared with.

Anchors are bare codec output: no marker byte, because they are not decodable in a
mixed stream; AURA rows pay their marker.  Decoders that need an output bound (zstd
frames carry no content size) get one bound per file: the largest message plus 64 B.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import cast

import brotli  # type: ignore[import-untyped]
from attrs import frozen

from aura_core.errors import AuraError

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Dictionary sizes of the trained-dictionary anchors, in KiB.
DICT_SIZES_KIB = (64, 112)
#: Training samples are capped like the anchors script's ``--train-cap-mb 32``.
TRAIN_CAP_BYTES = 32 * 2**20
BASELINE = "zstd-3"
EXTRA_HINT = "pip install 'aura-core[bench]'"


class BenchDependencyError(AuraError):
    """An optional library of the ``bench`` extra is missing."""


def zstandard_module() -> ModuleType:
    """The ``zstandard`` module, or a :class:`BenchDependencyError` that says how to get it."""
    try:
        import zstandard
    except ImportError:
        raise BenchDependencyError(
            f"aura bench measures the zstd anchors and the zstd-3 baseline with zstandard, which is "
            f"not installed: {EXTRA_HINT}"
        ) from None
    return zstandard


def has_zstandard() -> bool:
    try:
        zstandard_module()
    except BenchDependencyError:
        return False
    return True


@frozen
class Anchor:
    """One existing compressor: bytes in, bytes out, no marker."""

    name: str
    compress: Callable[[bytes], bytes]
    decompress: Callable[[bytes], bytes]
    #: Bytes of trained state (the dictionary), if any.
    state_bytes: int | None = None
    #: Seconds spent training that state.
    train_seconds: float | None = None
    #: Compresses well under 1 MB/s; ``--skip-slow`` leaves it out.
    slow: bool = False


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


def _inflate(payload: bytes) -> bytes:
    return zlib.decompress(payload, -15)


def _brotli_11(data: bytes) -> bytes:
    return cast(bytes, brotli.compress(data, quality=11))


def _magicless(compress: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Drop the frame magic: what FORMAT_ZSTD1_MAGICLESS writes for the same parameters."""

    def compress_magicless(data: bytes) -> bytes:
        return compress(data)[len(ZSTD_MAGIC) :]

    return compress_magicless


def zstd_anchor(
    name: str, level: int, bound: int, dictionary: bytes | None = None, train_seconds: float | None = None
) -> Anchor:
    """A magicless zstd anchor at ``level``, with an optional trained dictionary."""
    zstd = zstandard_module()
    if dictionary is None:
        compressor = zstd.ZstdCompressor(
            level=level, write_content_size=False, write_checksum=False, write_dict_id=False
        )
        decompressor = zstd.ZstdDecompressor(format=zstd.FORMAT_ZSTD1_MAGICLESS)
    else:
        prepared = zstd.ZstdCompressionDict(dictionary)
        prepared.precompute_compress(level=level)
        compressor = zstd.ZstdCompressor(
            level=level, dict_data=prepared, write_content_size=False, write_checksum=False, write_dict_id=False
        )
        decompressor = zstd.ZstdDecompressor(
            dict_data=zstd.ZstdCompressionDict(dictionary), format=zstd.FORMAT_ZSTD1_MAGICLESS
        )

    def decompress(payload: bytes) -> bytes:
        return cast(bytes, decompressor.decompress(payload, max_output_size=bound))

    return Anchor(
        name=name,
        compress=_magicless(compressor.compress),
        decompress=decompress,
        state_bytes=None if dictionary is None else len(dictionary),
        train_seconds=train_seconds,
    )


def train_samples(train: Sequence[str], cap_bytes: int = TRAIN_CAP_BYTES, seed: int = 0) -> list[bytes]:
    """Every non-empty train message as UTF-8; over the cap, a seeded shuffle's prefix."""
    samples = [s for s in (t.encode("utf-8") for t in train) if s]
    if sum(map(len, samples)) <= cap_bytes:
        return samples
    random.Random(seed).shuffle(samples)
    kept: list[bytes] = []
    total = 0
    for sample in samples:
        if total >= cap_bytes:
            break
        kept.append(sample)
        total += len(sample)
    return kept


@frozen
class AnchorSet:
    """The anchors of one test set, and why any of them is missing."""

    anchors: tuple[Anchor, ...]
    notes: tuple[str, ...]


def build_anchors(
    test_bound: int, train: Sequence[str] | None, *, with_zstd: bool = True, skip_slow: bool = False
) -> AnchorSet:
    """The anchors for a test set whose largest message is ``test_bound - 64`` bytes.

    ``train`` (the train file's messages) enables the dictionary anchors.  Without
    ``with_zstd`` only the anchors the core's own dependencies provide are built.
    """
    notes: list[str] = []
    anchors = [Anchor("brotli-11", _brotli_11, brotli.decompress, slow=True), Anchor("zlib-9", _deflate, _inflate)]
    if skip_slow:
        anchors = [a for a in anchors if not a.slow]
        notes.append("brotli-11 skipped (--skip-slow)")
    if not with_zstd:
        notes.append(f"zstd anchors and the zstd-3 baseline need zstandard: {EXTRA_HINT}")
        return AnchorSet(tuple(anchors), tuple(notes))
    anchors.append(zstd_anchor("zstd-19", 19, test_bound))
    if train:
        zstd = zstandard_module()
        samples = train_samples(train)
        for kib in DICT_SIZES_KIB:
            started = time.perf_counter()
            try:
                dictionary = zstd.train_dictionary(kib * 1024, samples, threads=-1).as_bytes()
            except zstd.ZstdError as exc:
                notes.append(f"zstd-19-dict{kib}k: dictionary training failed on {len(samples)} samples ({exc})")
                continue
            elapsed = time.perf_counter() - started
            anchors.append(zstd_anchor(f"zstd-19-dict{kib}k", 19, test_bound, dictionary, elapsed))
    else:
        notes.append("dictionary anchors need a train file")
    anchors.append(zstd_anchor(BASELINE, 3, test_bound))
    return AnchorSet(tuple(anchors), tuple(notes))
