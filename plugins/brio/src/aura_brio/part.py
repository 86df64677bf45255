"""BRIO's part of a profile: table sizes and the training messages, lzma-compressed.

BRIO does not store its trained tables: it stores the text they are learned from,
which is several times smaller than any table that remembers the same contexts,
and which the match model needs anyway.  Loading replays that text through the
model (the deterministic *priming* of docs/codecs/brio.md), so encoder and decoder
build bit-identical tables from the same part.

Layout (all integers are unsigned LEB128 varints unless noted)::

    "BRIO"  format:u8=1  n_tables  bits[n_tables]:u8  match_bits:u8
    n_messages  text_bytes  blob_bytes  blob

``blob`` is an .xz stream of ``varint(len(m)) for every message`` followed by the
messages' UTF-8 bytes, concatenated in training order.
"""

from __future__ import annotations

import lzma
from collections.abc import Sequence

from attrs import frozen

from aura_core.errors import CorruptBodyError, ProfileFormatError
from aura_core.varint import decode_varint, encode_varint

MAGIC = b"BRIO"
FORMAT = 1
#: The longest message BRIO codes (and trains on): the AURA message size range.
MAX_MESSAGE = 65536
#: Training text is capped so loading a profile (which replays it) stays bounded.
MAX_TEXT_BYTES = 48 << 20
MAX_MESSAGES = 1 << 22
#: Table-size bounds a part may declare (log2 of buckets / match-table slots).
BITS_RANGE = range(8, 25)


@frozen
class TableSizes:
    """log2 sizes of the hashed tables: one per context, then the match table."""

    bucket_bits: tuple[int, ...]
    match_bits: int

    @classmethod
    def for_text(cls, text_bytes: int, max_bits: int) -> TableSizes:
        """Tables about as large as the training text needs, within ``max_bits`` per table.

        A context of order >= 3 claims roughly one 16-byte bucket per training byte,
        so a table of 2**bitlen(n) buckets holds them with room to spare; smaller
        orders have few distinct contexts and get small fixed caps.
        """
        need = max(text_bytes, 1).bit_length()
        caps = (12, 17, max_bits, max_bits, max_bits, max_bits)
        bucket_bits = tuple(max(10, min(cap, need)) for cap in caps)
        return cls(bucket_bits=bucket_bits, match_bits=max(12, min(22, need)))

    @property
    def bytes(self) -> int:
        """Resident size of the tables these sizes make."""
        return sum(16 << b for b in self.bucket_bits) + (4 << self.match_bits)


@frozen
class Part:
    sizes: TableSizes
    #: Length of each training message, in training order.
    lengths: tuple[int, ...]
    #: The training messages, concatenated.
    text: bytes

    @classmethod
    def of(cls, sizes: TableSizes, messages: Sequence[bytes]) -> Part:
        return cls(sizes=sizes, lengths=tuple(len(m) for m in messages), text=b"".join(messages))

    @property
    def text_bytes(self) -> int:
        return len(self.text)

    def to_bytes(self) -> bytes:
        raw = b"".join(encode_varint(n) for n in self.lengths) + self.text
        # A dictionary as large as the text (not preset 9's fixed 64 MiB) keeps the
        # ratio of preset 9 at a fraction of its memory while training and loading.
        dict_size = max(1 << 20, 1 << (len(raw) - 1).bit_length())
        filters = [{"id": lzma.FILTER_LZMA2, "preset": 6 | lzma.PRESET_EXTREME, "dict_size": min(dict_size, 1 << 26)}]
        blob = lzma.compress(raw, format=lzma.FORMAT_XZ, check=lzma.CHECK_NONE, filters=filters)
        header = bytearray(MAGIC + bytes([FORMAT]))
        header += encode_varint(len(self.sizes.bucket_bits)) + bytes(self.sizes.bucket_bits)
        header += bytes([self.sizes.match_bits])
        header += encode_varint(len(self.lengths)) + encode_varint(self.text_bytes) + encode_varint(len(blob))
        return bytes(header) + blob

    @staticmethod
    def resized(data: bytes, sizes: TableSizes) -> bytes:
        """The part ``data`` with other table sizes; its compressed text is reused as is."""
        header = MAGIC + bytes([FORMAT]) + encode_varint(len(sizes.bucket_bits))
        if not data.startswith(header):
            raise ProfileFormatError("not a brio part of this format")
        at = len(header) + len(sizes.bucket_bits) + 1
        return bytes(header + bytes(sizes.bucket_bits) + bytes([sizes.match_bits]) + data[at:])

    @classmethod
    def from_bytes(cls, data: bytes) -> Part:
        """Parse a part; every defect is a :class:`ProfileFormatError`."""
        if not data.startswith(MAGIC):
            raise ProfileFormatError("the brio part does not start with b'BRIO'")
        if len(data) < 5 or data[4] != FORMAT:
            raise ProfileFormatError(
                f"the brio part has format {data[4] if len(data) > 4 else None}, this aura-brio reads {FORMAT}; "
                "upgrade aura-brio"
            )
        try:
            count, pos = decode_varint(data, 5)
            if count != 6 or pos + count + 1 > len(data):
                raise ProfileFormatError(f"the brio part declares {count} context tables, expected 6")
            bucket_bits = tuple(data[pos : pos + count])
            match_bits = data[pos + count]
            pos += count + 1
            n_messages, pos = decode_varint(data, pos)
            text_bytes, pos = decode_varint(data, pos)
            blob_bytes, pos = decode_varint(data, pos)
        except CorruptBodyError as exc:
            raise ProfileFormatError(f"the brio part header is malformed: {exc}") from None
        if any(b not in BITS_RANGE for b in bucket_bits + (match_bits,)):
            raise ProfileFormatError(f"the brio part declares table sizes {bucket_bits}, {match_bits} out of range")
        if n_messages > MAX_MESSAGES or text_bytes > MAX_TEXT_BYTES or pos + blob_bytes != len(data):
            raise ProfileFormatError("the brio part's sizes are out of bounds or do not match its length")
        expected = None
        try:
            decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
            raw = decompressor.decompress(data[pos:], max_length=text_bytes + 10 * n_messages + 1)
            expected = decompressor.eof and not decompressor.unused_data
        except lzma.LZMAError as exc:
            raise ProfileFormatError(f"the brio part's text does not decompress: {exc}") from None
        if not expected:
            raise ProfileFormatError("the brio part's text is truncated or longer than declared")
        lengths, pos = _lengths(raw, n_messages, text_bytes)
        return cls(sizes=TableSizes(bucket_bits=bucket_bits, match_bits=match_bits), lengths=lengths, text=raw[pos:])


def _lengths(raw: bytes, n_messages: int, text_bytes: int) -> tuple[tuple[int, ...], int]:
    """The message lengths at the start of ``raw``, and where the text after them begins."""
    lengths = []
    pos = 0
    try:
        for _ in range(n_messages):
            size, pos = decode_varint(raw, pos)
            if size > MAX_MESSAGE:
                raise ProfileFormatError(f"the brio part holds a {size}-byte message, over {MAX_MESSAGE}")
            lengths.append(size)
    except CorruptBodyError as exc:
        raise ProfileFormatError(f"the brio part's message lengths are malformed: {exc}") from None
    if sum(lengths) != text_bytes or pos + text_bytes != len(raw):
        raise ProfileFormatError("the brio part's message lengths do not add up to its text")
    return tuple(lengths), pos
