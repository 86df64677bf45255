"""The zstd-dict part of a profile: the dictionary, its level, and how to estimate sizes.

Format (all of it read by :meth:`DictionaryPart.from_bytes`, documented in
docs/codecs/zstd.md)::

    part = version:u8 (1) || level:u8 (1..22) || varint(probe_scale) || dictionary

``dictionary`` is a zstd dictionary as zstd's trainer writes it (magic
``37 A4 30 EC``, dictionary id, entropy tables, content); it runs to the end of the
part.  ``probe_scale`` is how many body bytes the encoder made per 65,536 bytes of
*probe* (a quick level-3 compression with the same dictionary) on held-out messages
at training; the selector's size estimate is the probe's size scaled by it, in
integers so every platform ranks alike.  Decoding needs only the dictionary.
"""

from __future__ import annotations

import zstandard
from attrs import frozen

from aura_core import CorruptBodyError, ProfileFormatError
from aura_core.varint import decode_varint, encode_varint

PART_VERSION = 1
#: The first four bytes of every zstd dictionary (0xEC30A437, little-endian).
DICTIONARY_MAGIC = bytes.fromhex("37a430ec")
SCALE_BITS = 16
#: The level of the quick compression ``probe_scale`` refers to.
PROBE_LEVEL = 3
LEVELS = range(1, zstandard.MAX_COMPRESSION_LEVEL + 1)


@frozen
class DictionaryPart:
    """What zstd-dict learned from a corpus."""

    #: zstd compression level the encoder uses (decoding does not depend on it).
    level: int
    #: Body bytes per 2**16 bytes of probe (level-3 frame), measured on held-out messages.
    probe_scale: int
    #: The zstd dictionary (header, entropy tables and content).
    dictionary: bytes

    def estimate(self, probe_size: int) -> int:
        """The expected block size for a message whose probe frame took ``probe_size`` bytes, rounded up."""
        return (probe_size * self.probe_scale + (1 << SCALE_BITS) - 1) >> SCALE_BITS

    def to_bytes(self) -> bytes:
        return bytes([PART_VERSION, self.level]) + encode_varint(self.probe_scale) + self.dictionary

    @classmethod
    def from_bytes(cls, data: bytes) -> DictionaryPart:
        """Parse a part; raise :class:`ProfileFormatError` on anything but a valid one."""
        if len(data) < 3:
            raise ProfileFormatError(f"zstd-dict part is truncated ({len(data)} bytes)")
        if data[0] != PART_VERSION:
            raise ProfileFormatError(
                f"zstd-dict part has format version {data[0]}; this aura-zstd reads version {PART_VERSION}: "
                "upgrade aura-zstd, or retrain the profile"
            )
        level = data[1]
        if level not in LEVELS:
            raise ProfileFormatError(
                f"zstd-dict part names compression level {level}, outside {LEVELS.start}-{LEVELS.stop - 1}"
            )
        try:
            probe_scale, pos = decode_varint(data, 2)
        except CorruptBodyError as exc:
            raise ProfileFormatError(f"zstd-dict part is malformed: {exc}") from None
        dictionary = bytes(data[pos:])
        if not dictionary.startswith(DICTIONARY_MAGIC):
            raise ProfileFormatError("zstd-dict part does not hold a zstd dictionary (magic 37 A4 30 EC missing)")
        return cls(level=level, probe_scale=probe_scale, dictionary=dictionary)
