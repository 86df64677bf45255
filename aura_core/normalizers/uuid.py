"""UUIDs in the 8-4-4-4-12 hex spelling, in any letter case, kept exactly.

The binary form is a case varint followed by the 16 bytes of the UUID: 17 bytes for
an all-lowercase or all-uppercase UUID (36 characters), 21 for mixed case, whose
per-digit case mask follows the bytes.
"""

from __future__ import annotations

import re
from uuid import UUID

from aura_core import __version__
from aura_core.errors import CorruptBodyError
from aura_core.normalizer import Normalizer
from aura_core.normalizers.wire import read_below, read_bytes
from aura_core.varint import encode_varint

#: Case forms: every letter lowercase, every letter uppercase, or a mask per hex digit.
LOWER, UPPER, MIXED = 0, 1, 2
DIGITS = 32
_HEX = "[0-9A-Fa-f]"


class UuidNormalizer(Normalizer):
    """8-4-4-4-12 hex UUIDs (any version); braces or ``urn:uuid:`` stay outside the span."""

    name = "uuid"
    type_id = 17
    version = __version__
    pattern = re.compile(
        rf"(?<![0-9A-Za-z]){_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}(?![0-9A-Za-z])"
    )

    def encode(self, value: str) -> bytes | None:
        if not self.pattern.fullmatch(value):
            return None
        digits = value.replace("-", "")
        raw = bytes.fromhex(digits)
        if digits == digits.lower():
            return encode_varint(LOWER) + raw
        if digits == digits.upper():
            return encode_varint(UPPER) + raw
        mask = sum(1 << (DIGITS - 1 - i) for i, char in enumerate(digits) if char.isupper())
        return encode_varint(MIXED) + raw + mask.to_bytes(4, "big")

    def decode(self, data: bytes, pos: int = 0) -> tuple[str, int]:
        form, pos = read_below(data, pos, MIXED + 1, "uuid case form")
        raw, pos = read_bytes(data, pos, 16, "uuid")
        text = str(UUID(bytes=raw))
        if form == UPPER:
            return text.upper(), pos
        if form == MIXED:
            mask_bytes, pos = read_bytes(data, pos, 4, "uuid case mask")
            text = _apply_mask(text, int.from_bytes(mask_bytes, "big"))
        return text, pos


def _apply_mask(text: str, mask: int) -> str:
    """Uppercase the hex digits whose mask bit is set (bit 31 is the first digit)."""
    chars = list(text)
    digit = 0
    for index, char in enumerate(chars):
        if char == "-":
            continue
        if mask >> (DIGITS - 1 - digit) & 1:
            if char.isdigit():
                raise CorruptBodyError(f"uuid case mask {mask:08x} marks digit {digit} ({char!r}), which has no case")
            chars[index] = char.upper()
        digit += 1
    return "".join(chars)
