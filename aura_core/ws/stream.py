"""Streamed replies: each chunk compressed with the earlier chunks of the same reply as context.

A reply produced a few words at a time cannot wait for its end to be compressed, and
compressing each 1-5-word chunk on its own gains almost nothing.  A stream therefore
keeps one raw deflate (RFC 1951) compressor for the whole reply and flushes it after
every chunk with ``Z_PARTIAL_FLUSH``, which ends the chunk's block and adds a 10-bit
empty block, so the receiver can inflate every byte of the chunk the moment it
arrives, without knowing where fragments begin or end.  The agreed profile can prime
the compressor with a preset dictionary.

Stream message (one WebSocket binary message, docs/websocket.md "Streamed replies")::

    0xFF || format:u8 (=1) || raw deflate stream ending with a final (BFINAL) block

The first fragment carries the two header bytes and the first chunk; each later
fragment carries one chunk; the final fragment ends the deflate stream.  deflate is
what every platform ships (zlib; browsers' ``DecompressionStream("deflate-raw")``
when no dictionary is used), which keeps the format easy to reimplement.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zlib

from aura_core.errors import CorruptBodyError, InvalidTextError, OutputLimitError
from aura_core.profile import Profile
from aura_core.ws.negotiation import STREAM_DEFLATE

#: First byte of a stream message.  In aura.v1 no AURA payload starts with it: 0xFF is
#: reserved in the marker table, and aura.v1 cannot negotiate extended markers.
STREAM_MARK = 0xFF
HEADER = bytes([STREAM_MARK, STREAM_DEFLATE])
#: Profile part whose last ``WINDOW`` bytes prime the stream, when the agreed profile has it.
DICTIONARY_PART = "zstd-dict"
#: Deflate's window: the most of a preset dictionary it can use.
WINDOW = 32 * 1024
_WBITS = -15


_WORD = re.compile(r"\s*\S+\s*")
MAX_WORDS_PER_CHUNK = 5


def chunk_words(text: str) -> list[str]:
    """Split a reply into chunks of 1-5 words (with their spacing) that join back to ``text``.

    Chunk sizes come from the BLAKE2b digest of the text, so sender and receiver
    agree on them without a random generator.
    """
    words = _WORD.findall(text)
    if not words:
        return [text] if text else []
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass")).digest()
    chunks, start, turn = [], 0, 0
    while start < len(words):
        size = 1 + digest[turn % len(digest)] % MAX_WORDS_PER_CHUNK
        chunks.append("".join(words[start : start + size]))
        start += size
        turn += 1
    return chunks


def stream_dictionary(profile: Profile | None) -> bytes | None:
    """The preset dictionary of format 1: the tail of the agreed profile's ``zstd-dict`` part."""
    part = profile.parts.get(DICTIONARY_PART) if profile is not None else None
    return bytes(part[-WINDOW:]) if part else None


class StreamEncoder:
    """Compresses the chunks of one reply, in order; one instance per reply."""

    def __init__(self, dictionary: bytes | None = None, level: int = 9) -> None:
        self._deflate = (
            zlib.compressobj(level, zlib.DEFLATED, _WBITS, 9, zdict=dictionary)
            if dictionary
            else zlib.compressobj(level, zlib.DEFLATED, _WBITS, 9)
        )
        self._header = HEADER
        self.original_size = 0
        self.encoded_size = 0
        self.chunks = 0

    def _emit(self, data: bytes) -> bytes:
        out = self._header + data
        self._header = b""
        self.encoded_size += len(out)
        return out

    def encode(self, chunk: str) -> bytes:
        """The fragment for ``chunk``: everything the receiver needs to show it now."""
        try:
            data = chunk.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidTextError(
                f"stream chunk holds a lone surrogate at index {exc.start}, which UTF-8 cannot carry"
            ) from None
        self.original_size += len(data)
        self.chunks += 1
        return self._emit(self._deflate.compress(data) + self._deflate.flush(zlib.Z_PARTIAL_FLUSH))

    def finish(self) -> bytes:
        """The last fragment: ends the deflate stream so the receiver can tell it is complete."""
        return self._emit(self._deflate.flush(zlib.Z_FINISH))


class StreamDecoder:
    """Inflates one stream message fed in pieces of any size; returns text as soon as it is whole.

    Raises :class:`CorruptBodyError` for a bad header, a deflate error, invalid UTF-8,
    bytes after the final block or a message that ends before it, and
    :class:`OutputLimitError` before producing more than ``max_output_size`` bytes.
    """

    def __init__(self, dictionary: bytes | None, max_output_size: int) -> None:
        self._inflate = zlib.decompressobj(_WBITS, zdict=dictionary) if dictionary else zlib.decompressobj(_WBITS)
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._header = b""
        self.max_output_size = max_output_size
        self.original_size = 0
        self.encoded_size = 0

    def feed(self, data: bytes) -> str:
        self.encoded_size += len(data)
        if len(self._header) < len(HEADER):
            need = len(HEADER) - len(self._header)
            self._header += data[:need]
            data = data[need:]
            if len(self._header) == len(HEADER) and self._header != HEADER:
                raise CorruptBodyError(
                    f"stream header is {self._header.hex()}, expected {HEADER.hex()} (stream format {STREAM_DEFLATE})"
                )
        if not data:
            return ""
        if self._inflate.eof:
            raise CorruptBodyError("stream has bytes after its final deflate block")
        remaining = self.max_output_size - self.original_size
        try:
            out = self._inflate.decompress(data, remaining + 1)
        except zlib.error as exc:
            raise CorruptBodyError(f"stream does not inflate: {exc}") from None
        if len(out) > remaining:
            raise OutputLimitError(self.max_output_size)
        if self._inflate.unused_data:
            raise CorruptBodyError("stream has bytes after its final deflate block")
        self.original_size += len(out)
        return self._text(out, final=False)

    def finish(self) -> str:
        """Call at the end of the message: the rest of the text, or an error if it is incomplete."""
        if len(self._header) < len(HEADER):
            raise CorruptBodyError(f"stream message of {len(self._header)} bytes ends inside its header")
        if not self._inflate.eof:
            raise CorruptBodyError("stream message ends before its final deflate block")
        return self._text(b"", final=True)

    def _text(self, data: bytes, final: bool) -> str:
        try:
            return self._utf8.decode(data, final)
        except UnicodeDecodeError as exc:
            raise CorruptBodyError(f"stream text is not valid UTF-8: {exc.reason}") from None
