"""Brotli (0x01): the best general-purpose codec that needs no trained state.

Brotli's built-in static dictionary of English and markup makes it the strongest
untrained choice on short text.  The body is a bare brotli stream.
"""

from __future__ import annotations

import brotli

from aura_core import __version__, markers
from aura_core.codec import Codec, CodecContext
from aura_core.codecs.raw import decode_utf8
from aura_core.errors import CorruptBodyError, OutputLimitError

#: Quality chosen by measurement on the short-message corpora (docs/codecs/brotli.md).
QUALITY = 9


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
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=self.quality)

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        decompressor = brotli.Decompressor()
        try:
            out = decompressor.process(body, output_buffer_limit=ctx.max_output_size + 1)
        except brotli.error as exc:
            raise CorruptBodyError(f"brotli body does not parse: {exc}") from None
        if len(out) > ctx.max_output_size:
            raise OutputLimitError(ctx.max_output_size)
        if not decompressor.is_finished():
            raise CorruptBodyError("brotli body is truncated")
        return decode_utf8(out, "brotli output")
