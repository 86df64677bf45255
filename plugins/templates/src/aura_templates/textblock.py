"""The text block: escaped text of one message, compressed as one piece.

Long tails (the free text after a templated opening, a JSON document's long string
values) compress better together, with repeats inside the message found by a real
LZ coder, than character by character.  With a profile the block is zstd
(magicless frame, no checksum, size or dictionary id) with the dictionary trained on
the profile's escaped text; without one it is brotli, whose built-in dictionary
knows common English.
"""

from __future__ import annotations

import io
import threading

import brotli
import zstandard

from aura_core.errors import CorruptBodyError, OutputLimitError

ZSTD_LEVEL = 19
BROTLI_QUALITY = 11
_READ_CHUNK = 1 << 16


def _zstd_params() -> zstandard.ZstdCompressionParameters:
    return zstandard.ZstdCompressionParameters.from_level(
        ZSTD_LEVEL,
        format=zstandard.FORMAT_ZSTD1_MAGICLESS,
        write_checksum=False,
        write_content_size=False,
        write_dict_id=False,
    )


class ZstdBlock:
    """zstd with the profile's dictionary (or none).

    A zstd context keeps per-call state, so one must never serve two threads at once
    (concurrent calls crash the interpreter): each thread gets its own pair of
    contexts, built on first use.  The dictionary is digested here, on the loading
    thread, so afterwards the threads' contexts only read it.
    """

    def __init__(self, dictionary: bytes | None) -> None:
        self.dictionary = zstandard.ZstdCompressionDict(dictionary) if dictionary else None
        self._local = threading.local()
        if self.dictionary is not None:
            # Digest the dictionary once, not on every message.
            self.dictionary.precompute_compress(compression_params=_zstd_params())
            self.decompress(self.compress(""), 0)  # builds the decompression side of the digest

    def _contexts(self) -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
        held: tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor] | None = getattr(self._local, "held", None)
        if held is None:
            held = self._local.held = (
                zstandard.ZstdCompressor(dict_data=self.dictionary, compression_params=_zstd_params()),
                zstandard.ZstdDecompressor(dict_data=self.dictionary, format=zstandard.FORMAT_ZSTD1_MAGICLESS),
            )
        return held

    def compress(self, text: str) -> bytes:
        return bytes(self._contexts()[0].compress(text.encode("utf-8")))

    def decompress(self, block: bytes, limit: int) -> str:
        out = bytearray()
        try:
            with self._contexts()[1].stream_reader(io.BytesIO(block), read_across_frames=False) as reader:
                while True:
                    chunk = reader.read(_READ_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limit:
                        raise OutputLimitError(limit)
        except zstandard.ZstdError as exc:
            raise CorruptBodyError(f"text block does not parse as zstd: {exc}") from None
        return _utf8(bytes(out))


class BrotliBlock:
    """brotli at its best quality: for bodies made without a profile."""

    def compress(self, text: str) -> bytes:
        return bytes(brotli.compress(text.encode("utf-8"), mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY))

    def decompress(self, block: bytes, limit: int) -> str:
        decompressor = brotli.Decompressor()
        try:
            out = decompressor.process(block, output_buffer_limit=limit + 1)
        except brotli.error as exc:
            raise CorruptBodyError(f"text block does not parse as brotli: {exc}") from None
        if len(out) > limit:
            raise OutputLimitError(limit)
        if not decompressor.is_finished():
            raise CorruptBodyError("text block (brotli) is truncated")
        return _utf8(out)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptBodyError(f"text block is not valid UTF-8 at byte {exc.start}") from None


def train_dictionary(texts: list[str], size: int) -> bytes | None:
    """A zstd dictionary for the escaped text of training, or ``None`` when there is too little."""
    samples: list[bytes | bytearray | memoryview[int]] = [t.encode("utf-8") for t in texts if t]
    total = sum(len(s) for s in samples)
    if total < 1024 or len(samples) < 8:
        return None
    if total <= size * 4:
        return b"".join(samples)[-size:]
    try:
        return zstandard.train_dictionary(size, samples, level=ZSTD_LEVEL).as_bytes()
    except zstandard.ZstdError:
        return b"".join(samples)[-size:]
