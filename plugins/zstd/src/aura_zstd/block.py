"""The body format both codecs share: one compressed zstd block, its frame implied.

A zstd frame made for one short message is a 4-byte magic number, a 2-byte frame
header (no content size, no checksum, no dictionary id: every optional field off), a
3-byte block header and one compressed block.  Those nine bytes say nothing the
receiver does not already know, so a body carries only the compressed block, and the
decoder rebuilds the same standard frame around it::

    frame = 28 B5 2F FD (magic) || 0x00 (frame header descriptor) || 0x38 (window 128 KiB)
            || u24le(len(block) << 3 | 0b101) (last block, compressed) || block

A message whose frame is anything else (raw blocks for incompressible texts, several
blocks above 128 KiB) is declined: raw or another codec carries it at no loss.
Because one block never decodes to more than 128 KiB, decoding is bounded by
construction; the output limit is checked before any text is built.  See
docs/codecs/zstd.md.
"""

from __future__ import annotations

import zstandard

from aura_core import CodecContext, CorruptBodyError
from aura_core.codecs.raw import decode_utf8

#: The zstd frame magic number, 0xFD2FB528 little-endian.
MAGIC = bytes.fromhex("28b52ffd")
#: zstd's Block_Maximum_Size: no block decodes to more than this, and no body is longer.
BLOCK_MAX = 128 * 1024
#: Frame header descriptor: no content size, not single-segment, no checksum, no dictionary id.
FRAME_DESCRIPTOR = 0x00
#: Window descriptor of a 128 KiB window (exponent 7, mantissa 0).  One block decodes
#: to at most 128 KiB, so in this window every offset the encoder can emit is valid:
#: within the message, and anywhere in the dictionary, which zstd keeps reachable while
#: a frame's output is no larger than its window (RFC 8878, dictionary content).  The
#: encoder's own descriptor (it may declare up to dictionary + message) is dropped.
WINDOW_DESCRIPTOR = 0x38
#: Block header type bits: last block (bit 0) of type Compressed_Block (bits 1-2 = 2).
LAST_COMPRESSED = 0b101
FRAME_HEADER = MAGIC + bytes([FRAME_DESCRIPTOR, WINDOW_DESCRIPTOR])
#: Magic, frame header and block header: the nine bytes a body leaves out.
IMPLIED = len(FRAME_HEADER) + 3
#: What every frame the encoder makes starts with (its window descriptor varies and is dropped).
_MAGIC_AND_DESCRIPTOR = MAGIC + bytes([FRAME_DESCRIPTOR])


def digest(dictionary: bytes, level: int) -> zstandard.ZstdCompressionDict:
    """A zstd dictionary prepared for compression at ``level`` (and, on first use, decompression).

    Raises ``zstandard.ZstdError`` when ``dictionary`` is not a valid zstd dictionary.
    """
    digested = zstandard.ZstdCompressionDict(dictionary, dict_type=zstandard.DICT_TYPE_FULLDICT)
    digested.precompute_compress(level=level)
    return digested


def compressor(level: int, dictionary: zstandard.ZstdCompressionDict | None = None) -> zstandard.ZstdCompressor:
    """A compression context at ``level`` with every optional frame field off (one per thread)."""
    parameters = zstandard.ZstdCompressionParameters(
        compression_level=level,
        write_content_size=0,
        write_checksum=0,
        write_dict_id=0,
    )
    return zstandard.ZstdCompressor(compression_params=parameters, dict_data=dictionary)


def decompressor(dictionary: zstandard.ZstdCompressionDict | None = None) -> zstandard.ZstdDecompressor:
    """A decompression context for rebuilt frames, optionally with a dictionary (one per thread)."""
    return zstandard.ZstdDecompressor(dict_data=dictionary)


def block_of(frame: bytes) -> bytes | None:
    """The compressed block of a one-block frame, or ``None`` when the frame is not one."""
    if len(frame) <= IMPLIED or not frame.startswith(_MAGIC_AND_DESCRIPTOR):
        return None
    if int.from_bytes(frame[len(FRAME_HEADER) : IMPLIED], "little") != (len(frame) - IMPLIED) << 3 | LAST_COMPRESSED:
        return None
    return frame[IMPLIED:]


def inflate(context: zstandard.ZstdDecompressor, block: bytes, ctx: CodecContext, what: str) -> str:
    """Decode one compressed block into text, within ``ctx``'s output limit.

    Raises :class:`CorruptBodyError` when the block is empty, too long, or does not
    decode, and :class:`~aura_core.OutputLimitError` when its text is over the limit.
    """
    if not block:
        raise CorruptBodyError(f"{what} is empty: it must hold a compressed zstd block")
    if len(block) > BLOCK_MAX:
        raise CorruptBodyError(f"{what} holds {len(block):,} bytes of block; a zstd block is at most {BLOCK_MAX:,}")
    frame = FRAME_HEADER + (len(block) << 3 | LAST_COMPRESSED).to_bytes(3, "little") + block
    try:
        out = context.decompress(frame, max_output_size=BLOCK_MAX)
    except zstandard.ZstdError as exc:
        raise CorruptBodyError(f"{what} does not decode as a zstd block: {exc}") from None
    ctx.check_output_size(len(out))
    return decode_utf8(out, f"{what}'s output")
