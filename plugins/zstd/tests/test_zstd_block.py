"""The shared body format: one compressed zstd block, its frame implied (docs/codecs/zstd.md)."""

from __future__ import annotations

import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

from aura_core import CorruptBodyError, OutputLimitError
from aura_zstd import block

from zstd_testing import PROPERTY, compressible_text, context

COMPRESSOR = block.compressor(19)
DECOMPRESSOR = block.decompressor()


def frame_of(data: bytes) -> bytes:
    return COMPRESSOR.compress(data)


@PROPERTY
@given(compressible_text)
def test_a_body_is_the_frame_minus_its_nine_header_bytes(text: str) -> None:
    frame = frame_of(text.encode())
    body = block.block_of(frame)
    if body is None:  # not a compressed block: declined
        assert int.from_bytes(frame[6:9], "little") >> 1 & 3 != 2
        return
    assert frame[:5] == block.MAGIC + bytes([block.FRAME_DESCRIPTOR])
    assert body == frame[9:]
    assert block.inflate(DECOMPRESSOR, body, context(), "test body") == text


def test_the_rebuilt_frame_is_a_standard_zstd_frame() -> None:
    """The documented nine bytes + body decode with any zstd decoder, here the one-shot API."""
    data = ("the same words, the same words, " * 30).encode()
    body = block.block_of(frame_of(data))
    assert body is not None
    rebuilt = bytes.fromhex("28b52ffd0038") + (len(body) << 3 | 0b101).to_bytes(3, "little") + body
    assert zstandard.decompress(rebuilt, max_output_size=len(data)) == data


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty input makes an empty raw block"),
        (b"x", "one byte is stored raw"),
        (bytes(range(256)), "incompressible bytes are stored raw"),
        (("several blocks " * 20_000).encode(), "more than 128 KiB takes several blocks"),
    ],
)
def test_frames_that_are_not_one_compressed_block_are_declined(data: bytes, why: str) -> None:
    assert block.block_of(frame_of(data)) is None, why


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00", b"\xff" * 7, bytes(range(40)), b"\x00" * (block.BLOCK_MAX + 1)],
    ids=["empty", "one-byte", "ff-run", "counting", "too-long"],
)
def test_bodies_that_are_not_a_compressed_block_raise_corrupt_body(body: bytes) -> None:
    with pytest.raises(CorruptBodyError):
        block.inflate(DECOMPRESSOR, body, context(), "test body")


def test_a_truncated_body_raises_corrupt_body() -> None:
    body = block.block_of(frame_of(("truncate me, truncate me, truncate me " * 20).encode()))
    assert body is not None
    for cut in (1, len(body) // 2, len(body) - 1):
        with pytest.raises(CorruptBodyError):
            block.inflate(DECOMPRESSOR, body[:cut], context(), "test body")


def test_a_block_that_decodes_to_invalid_utf8_raises_corrupt_body() -> None:
    body = block.block_of(frame_of(b"\xff\xfe not text \xff\xfe not text \xff\xfe not text \xff\xfe"))
    assert body is not None
    with pytest.raises(CorruptBodyError, match="UTF-8"):
        block.inflate(DECOMPRESSOR, body, context(), "test body")


def test_a_small_body_that_expands_past_the_limit_raises_output_limit() -> None:
    """The bomb: ~120 KiB of text from a body of a few dozen bytes."""
    text = "ab" * 60_000
    body = block.block_of(frame_of(text.encode()))
    assert body is not None and len(body) < 100
    with pytest.raises(OutputLimitError):
        block.inflate(DECOMPRESSOR, body, context(max_output_size=64 * 1024), "test body")
    assert block.inflate(DECOMPRESSOR, body, context(), "test body") == text


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_raise_a_decode_error(body: bytes) -> None:
    try:
        text = block.inflate(DECOMPRESSOR, body, context(max_output_size=4096), "test body")
    except (CorruptBodyError, OutputLimitError):
        return
    assert isinstance(text, str) and len(text.encode()) <= 4096
