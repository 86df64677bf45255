"""A 32-bit range coder over static integer frequency tables.

Slots of one template have very skewed value distributions (a status code that is
"200" nine times in ten costs a fraction of a bit), so the body codes them with
fractional bits rather than whole bytes.  Everything is integer arithmetic, so every
platform produces and reads the same bits; docs/codecs/templates.md specifies the
coder step by step for reimplementation.

The encoder ends the stream with the fewest bytes that pin the final interval down,
and drops trailing zero bytes: the decoder reads zeros past the end of its input.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from aura_core.errors import CorruptBodyError

TOP = 1 << 32
MASK = TOP - 1
BOTTOM = 1 << 24
#: The largest total a frequency table may have; keeps ``range // total`` >= 256.
MAX_TOTAL = 1 << 16
#: Uniform values wider than this are coded in chunks of this many bits.
CHUNK_BITS = 16


class FrequencyTable:
    """Symbols ``0..n-1`` with integer frequencies (each >= 1, sum <= ``MAX_TOTAL``)."""

    __slots__ = ("cumulative", "freqs", "total")

    def __init__(self, freqs: Sequence[int]) -> None:
        if not freqs or min(freqs) < 1:
            raise ValueError("a frequency table needs at least one symbol, each with frequency >= 1")
        cumulative = [0]
        for freq in freqs:
            cumulative.append(cumulative[-1] + freq)
        if cumulative[-1] > MAX_TOTAL:
            raise ValueError(f"frequencies sum to {cumulative[-1]}, more than {MAX_TOTAL}")
        self.freqs = tuple(freqs)
        self.cumulative = cumulative
        self.total = cumulative[-1]

    @classmethod
    def from_counts(cls, counts: Sequence[int]) -> FrequencyTable:
        """Quantize raw counts: ``1 + count * (MAX_TOTAL - n) // sum`` (the documented rule)."""
        n = len(counts)
        total = sum(counts)
        if total == 0:
            return cls([1] * n)
        spare = MAX_TOTAL - n
        return cls([1 + count * spare // total for count in counts])

    def __len__(self) -> int:
        return len(self.freqs)


class RangeEncoder:
    """Accumulates symbols; :meth:`finish` returns the shortest stream that decodes them."""

    __slots__ = ("low", "out", "range")

    def __init__(self) -> None:
        self.low = 0
        self.range = MASK
        self.out = bytearray()

    def _carry(self) -> None:
        i = len(self.out) - 1
        while self.out[i] == 0xFF:
            self.out[i] = 0
            i -= 1
        self.out[i] += 1

    def encode(self, cum: int, freq: int, total: int) -> None:
        r = self.range // total
        self.low += r * cum
        if self.low >= TOP:
            self._carry()
            self.low -= TOP
        self.range = r * freq
        while self.range < BOTTOM:
            self.out.append(self.low >> 24)
            self.low = (self.low << 8) & MASK
            self.range <<= 8

    def encode_symbol(self, table: FrequencyTable, symbol: int) -> None:
        self.encode(table.cumulative[symbol], table.freqs[symbol], table.total)

    def encode_uniform(self, value: int, bits: int) -> None:
        """``value`` in ``[0, 2**bits)``, high chunks first."""
        while bits > 0:
            step = min(bits, CHUNK_BITS)
            bits -= step
            self.encode((value >> bits) & ((1 << step) - 1), 1, 1 << step)

    def finish(self) -> bytes:
        low, high = self.low, self.low + self.range
        for shift in range(32, -1, -1):
            step = 1 << shift
            value = -(-low // step) * step
            if value < high:
                break
        if value >= TOP:
            self._carry()
            value -= TOP
        self.out += value.to_bytes(4, "big")
        return bytes(self.out).rstrip(b"\x00")


class RangeDecoder:
    """Reads what :class:`RangeEncoder` wrote; bytes past the end read as zero."""

    __slots__ = ("code", "data", "pos", "range")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos
        self.code = 0
        self.range = MASK
        for _ in range(4):
            self.code = (self.code << 8) | self._next()

    def _next(self) -> int:
        pos = self.pos
        self.pos += 1
        return self.data[pos] if pos < len(self.data) else 0

    def target(self, total: int) -> tuple[int, int]:
        """The scaled position inside ``[0, total)`` and the scale, before :meth:`consume`."""
        r = self.range // total
        value = self.code // r
        if value >= total:
            raise CorruptBodyError("range-coded stream is corrupt (value outside every symbol)")
        return value, r

    def consume(self, r: int, cum: int, freq: int) -> None:
        self.code -= r * cum
        self.range = r * freq
        while self.range < BOTTOM:
            self.code = ((self.code << 8) | self._next()) & MASK
            self.range <<= 8

    def decode_symbol(self, table: FrequencyTable) -> int:
        value, r = self.target(table.total)
        symbol = bisect_right(table.cumulative, value) - 1
        self.consume(r, table.cumulative[symbol], table.freqs[symbol])
        return symbol

    def decode_uniform(self, bits: int) -> int:
        result = 0
        while bits > 0:
            step = min(bits, CHUNK_BITS)
            bits -= step
            value, r = self.target(1 << step)
            self.consume(r, value, 1)
            result = (result << step) | value
        return result

    @property
    def overrun(self) -> int:
        """How many bytes past the end of the input were read as zero."""
        return max(0, self.pos - len(self.data))
