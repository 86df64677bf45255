"""Brotli (0x01): the best general-purpose codec that needs no trained state.

Brotli's built-in static dictionary of English and markup makes it the strongest
untrained choice on short text.  The body is a bare brotli stream (RFC 7932) of the
UTF-8 text; docs/codecs/brotli.md has the format and the measurement behind
:data:`QUALITY` and :func:`window_bits`.
"""

from __future__ import annotations

import brotli

from aura_core import __version__, markers
from aura_core.codec import Codec, CodecContext
from aura_core.codecs.raw import decode_utf8
from aura_core.errors import CorruptBodyError, OutputLimitError

#: Quality chosen by measurement on the short-message corpora (docs/codecs/brotli.md):
#: 10 and 11 gain 13-18 % ratio over 9 on chat text, and 11 gains 1.5-2 % over 10.
QUALITY = 11
#: The smallest and largest sliding windows brotli allows (log2 of the size).
MIN_WINDOW_BITS = 16
MAX_WINDOW_BITS = 24


def window_bits(size: int) -> int:
    """The window that just covers a message of ``size`` bytes, but never below 16.

    Brotli allocates its encoder tables from the window size, so the default 4 MiB
    window costs more time than the work itself on a short message (30x at quality
    9).  A 64 KiB window (16 bits) is also the one whose size fits in one header bit.
    """
    return max(MIN_WINDOW_BITS, min(MAX_WINDOW_BITS, (size + 15).bit_length()))


class BrotliCodec(Codec):
    name = "brotli"
    marker = markers.BROTLI
    version = __version__
    releases_gil = True

    def __init__(self, quality: int = QUALITY) -> None:
        self.quality = quality

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int:
        # Brotli rarely shrinks short text below ~60%; the estimate only orders candidates.
        return len(data) * 5 // 8 + 2

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes:
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=self.quality, lgwin=window_bits(len(data)))

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        decompressor = brotli.Decompressor()
        try:
            # The buffer stops growing past the limit, so a bomb allocates at most a block more.
            out = decompressor.process(body, output_buffer_limit=ctx.max_output_size + 1)
        except brotli.error as exc:
            raise CorruptBodyError(f"brotli body does not parse (truncated, corrupted or trailing bytes): {exc}") from None
        if len(out) > ctx.max_output_size:
            raise OutputLimitError(ctx.max_output_size)
        if not decompressor.is_finished():
            raise CorruptBodyError("brotli body is truncated: the stream ends before its last block")
        return decode_utf8(out, "brotli output")
