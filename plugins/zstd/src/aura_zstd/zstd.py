"""zstd (0x02): plain zstd, for messages no trained state helps.

The body is one compressed zstd block (:mod:`aura_zstd.block`).  Without a dictionary
zstd rarely beats brotli on short text (on 600 test messages of each corpus, plain
zstd's payloads are 4-10% larger than brotli's at quality 9), but it still wins on
some messages, and it is the codec of the family that needs no profile.
"""

from __future__ import annotations

from aura_core import Codec, CodecContext
from aura_zstd import REQUIRES_CORE, __version__, block
from aura_zstd.perthread import PerThread

#: Levels 17-22 give the same sizes on the corpora (within 0.05%); 19 is zstd's
#: highest non-"ultra" level, the one the anchors measure.
LEVEL = 19


class ZstdCodec(Codec):
    name = "zstd"
    marker = 0x02
    version = __version__
    requires_core = REQUIRES_CORE
    releases_gil = True

    def __init__(self, level: int = LEVEL) -> None:
        self.level = level
        self._compressors = PerThread(lambda: block.compressor(level))
        self._decompressors = PerThread(block.decompressor)

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int:
        # Just above brotli's estimate (5/8 + 2): plain zstd's bodies run a little larger
        # than brotli's on short text, so when only two candidates are encoded and a
        # trained codec is one of them, brotli is the other.
        return len(data) * 11 // 16 + 3

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        return block.block_of(self._compressors.get().compress(data))

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        return block.inflate(self._decompressors.get(), body, ctx, "zstd body")
