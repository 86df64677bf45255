"""Slot codecs: each slot value as an index into its trained value table, or escaped.

Every slot of every template has a :class:`SlotModel`: the values seen at least
twice in training with their counts (the CLP variable dictionary, one per slot), and
an escape symbol.  An escaped value is coded by its kind: digits as a length and
base-10 chunks, hex as nibbles, normalizer kinds as the normalizer's binary form,
and text through a :class:`TextChannel` (the character model inline, or a
compressed block at the front of the body).  docs/codecs/templates.md has the bits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aura_core.codec import CodecContext
from aura_core.errors import AuraDecodeError, CorruptBodyError, OutputLimitError
from aura_templates.charmodel import CharModel
from aura_templates.rangecoder import FrequencyTable, RangeDecoder, RangeEncoder
from aura_templates.template import HEX, HEX_UPPER, NUM, TEXT, valid_for_kind

#: Lengths 0..63 are symbols of their own; 64 means "64 + a 24-bit number follows".
LONG_LENGTH = 64
LONG_LENGTH_BITS = 24
#: A value enters a slot's table when seen this often in training.
MIN_VALUE_COUNT = 2
#: Entries kept per value table (most frequent first).
MAX_VALUES = 4096
#: In bodies with a text block, shorter escaped strings are still coded inline.
BLOCK_MIN = 16
#: Normalizer binary forms are compact; a longer one in a body is corrupt.
MAX_FORM_BYTES = 64
#: ``inline_below`` for bodies without a block: everything inline.
ALL_INLINE = 1 << 62
#: The most characters a body decodes to: AURA's largest message (64 KiB).  Decoding
#: spends Python work on every character, and bytes past the end of a stream read as
#: zeros, so a few hostile bytes could otherwise claim as many characters as
#: ``max_output_size`` allows (minutes of work at the default 64 MiB).  Longer
#: messages are left to the other codecs.
MAX_CHARACTERS = 1 << 16
_DIGIT_CHUNK = 4
_HEX_CHUNK = 4


class TextChannel:
    """Where escaped text goes: inline through the character model, or into the text block.

    A string shorter than ``inline_below`` characters is coded inline (its length is
    known first, so the decoder makes the same choice); longer ones are slices of the
    block.  ``inline_below`` is 0 without a character model, unbounded for bodies
    without a block, and :data:`BLOCK_MIN` otherwise.
    """

    def __init__(self, model: CharModel | None, inline_below: int, block: str = "") -> None:
        self.model = model
        self.inline_below = inline_below if model is not None else 0
        self.pieces: list[str] = []
        self.block = block
        self.offset = 0

    def write(self, enc: RangeEncoder, text: str) -> None:
        if len(text) < self.inline_below:
            assert self.model is not None
            self.model.encode(enc, text)
        else:
            self.pieces.append(text)

    def read(self, dec: RangeDecoder, length: int) -> str:
        if length < self.inline_below:
            assert self.model is not None
            return self.model.decode(dec, length)
        end = self.offset + length
        if end > len(self.block):
            raise CorruptBodyError(f"text slot of {length:,} characters runs past the end of the text block")
        piece = self.block[self.offset : end]
        self.offset = end
        return piece

    @property
    def text(self) -> str:
        """Everything that goes into the block, in order."""
        return "".join(self.pieces)

    @property
    def exhausted(self) -> bool:
        return self.offset == len(self.block)


class SlotModel:
    """The value table and escape coding of one slot (or one template's tail)."""

    __slots__ = ("counts", "escapes", "index", "kind", "length_counts", "lengths", "table", "values")

    def __init__(self, kind: int, counts: Mapping[str, int], escapes: int, length_counts: list[int]) -> None:
        if len(length_counts) != LONG_LENGTH + 1:
            raise ValueError(f"length table must have {LONG_LENGTH + 1} counts")
        self.kind = kind
        self.counts = dict(counts)
        self.escapes = escapes
        self.length_counts = length_counts
        self.values = list(self.counts)
        self.index = {value: i for i, value in enumerate(self.values)}
        self.table = FrequencyTable.from_counts([*self.counts.values(), max(1, escapes)])
        self.lengths = FrequencyTable.from_counts(length_counts)

    @classmethod
    def untrained(cls, kind: int) -> SlotModel:
        return cls(kind, {}, 1, [0] * (LONG_LENGTH + 1))

    @classmethod
    def train(cls, kind: int, values: Iterable[str], form_length: Callable[[str], int] = len) -> SlotModel:
        """Learn from training values; ``form_length`` measures an escaped value as coded."""
        seen = Counter(values)
        common = [(v, n) for v, n in seen.most_common() if n >= MIN_VALUE_COUNT][:MAX_VALUES]
        kept = dict(sorted(common, key=lambda item: (-item[1], item[0])))
        escapes = sum(seen.values()) - sum(kept.values())
        lengths = [0] * (LONG_LENGTH + 1)
        for value, count in seen.items():
            if value not in kept:
                lengths[min(form_length(value), LONG_LENGTH)] += count
        return cls(kind, kept, escapes, lengths)

    def merged(self, other: SlotModel) -> SlotModel:
        """Counts of both models added up (extending a profile with more messages)."""
        total = Counter(self.counts) + Counter(other.counts)
        kept = dict(sorted(total.items(), key=lambda item: (-item[1], item[0]))[:MAX_VALUES])
        escapes = self.escapes + other.escapes + total.total() - sum(kept.values())
        lengths = [a + b for a, b in zip(self.length_counts, other.length_counts, strict=True)]
        return SlotModel(self.kind, kept, escapes, lengths)

    def to_json(self) -> list[object]:
        return [self.kind, list(self.counts.items()), self.escapes, self.length_counts]

    @classmethod
    def from_json(cls, data: list[Any]) -> SlotModel:
        kind, counts, escapes, lengths = data
        return cls(int(kind), {str(v): int(n) for v, n in counts}, int(escapes), [int(n) for n in lengths])

    # -- coding ------------------------------------------------------------------------

    def accepts(self, value: str, ctx: CodecContext) -> bool:
        if value in self.index:
            return True
        if self.kind >= 16:
            normalizer = ctx.normalizer_by_type(self.kind)
            form = normalizer.encode(value) if normalizer is not None else None
            # Trust, but verify: a normalizer that would change the text is not used.
            return form is not None and len(form) <= MAX_FORM_BYTES and normalizer.decode(form) == (value, len(form))  # type: ignore[union-attr]
        return valid_for_kind(self.kind, value)

    def encode(self, enc: RangeEncoder, value: str, text: TextChannel, ctx: CodecContext) -> None:
        """Code ``value`` (the caller checked :meth:`accepts`)."""
        symbol = self.index.get(value)
        if symbol is not None:
            enc.encode_symbol(self.table, symbol)
            return
        enc.encode_symbol(self.table, len(self.values))
        if self.kind == TEXT:
            self._encode_length(enc, len(value))
            text.write(enc, value)
        elif self.kind == NUM:
            self._encode_length(enc, len(value))
            for i in range(0, len(value), _DIGIT_CHUNK):
                chunk = value[i : i + _DIGIT_CHUNK]
                enc.encode(int(chunk), 1, 10 ** len(chunk))
        elif self.kind in (HEX, HEX_UPPER):
            self._encode_length(enc, len(value))
            for i in range(0, len(value), _HEX_CHUNK):
                chunk = value[i : i + _HEX_CHUNK]
                enc.encode_uniform(int(chunk, 16), 4 * len(chunk))
        else:
            normalizer = ctx.normalizer_by_type(self.kind)
            assert normalizer is not None
            form = normalizer.encode(value)
            assert form is not None
            self._encode_length(enc, len(form))
            for byte in form:
                enc.encode_uniform(byte, 8)

    def decode(self, dec: RangeDecoder, text: TextChannel, ctx: CodecContext, budget: int) -> str:
        """Read one value; ``budget`` is how many characters the output may still grow."""
        symbol = dec.decode_symbol(self.table)
        if symbol < len(self.values):
            return self.values[symbol]
        length = self._decode_length(dec)
        if self.kind == TEXT:
            _check_budget(length, budget, ctx)
            return text.read(dec, length)
        if self.kind == NUM:
            _check_budget(length, budget, ctx)
            chunks = []
            for i in range(0, length, _DIGIT_CHUNK):
                width = min(_DIGIT_CHUNK, length - i)
                value, r = dec.target(10**width)
                dec.consume(r, value, 1)
                chunks.append(str(value).zfill(width))
            return "".join(chunks)
        if self.kind in (HEX, HEX_UPPER):
            _check_budget(length, budget, ctx)
            digits = "0123456789abcdef" if self.kind == HEX else "0123456789ABCDEF"
            chunks = []
            for i in range(0, length, _HEX_CHUNK):
                width = min(_HEX_CHUNK, length - i)
                value = dec.decode_uniform(4 * width)
                chunks.append("".join(digits[(value >> (4 * (width - 1 - j))) & 15] for j in range(width)))
            return "".join(chunks)
        normalizer = ctx.normalizer_by_type(self.kind)
        if normalizer is None:
            raise CorruptBodyError(
                f"slot type {self.kind} needs a normalizer that is not installed "
                "(16 timestamp, 17 uuid, 18 ip ship with aura-core; others with their plugins)"
            )
        if length > MAX_FORM_BYTES:
            raise CorruptBodyError(f"{normalizer.name} slot claims a {length}-byte binary form (at most {MAX_FORM_BYTES})")
        form = bytes(dec.decode_uniform(8) for _ in range(length))
        decoded, end = normalizer.decode(form, 0)
        if end != len(form):
            raise CorruptBodyError(f"{normalizer.name} slot: {len(form) - end} stray byte(s) after its binary form")
        return decoded

    def _encode_length(self, enc: RangeEncoder, length: int) -> None:
        enc.encode_symbol(self.lengths, min(length, LONG_LENGTH))
        if length >= LONG_LENGTH:
            enc.encode_uniform(length - LONG_LENGTH, LONG_LENGTH_BITS)

    def _decode_length(self, dec: RangeDecoder) -> int:
        length = dec.decode_symbol(self.lengths)
        if length == LONG_LENGTH:
            length += dec.decode_uniform(LONG_LENGTH_BITS)
        return length


def decode_budget(ctx: CodecContext) -> int:
    """How many characters one body may decode to under ``ctx``."""
    return min(ctx.max_output_size, MAX_CHARACTERS)


def over_budget(claimed: int, ctx: CodecContext) -> AuraDecodeError:
    """The error for a body that would decode to at least ``claimed`` characters, over the budget.

    Over a configured limit below :data:`MAX_CHARACTERS` the body may be sound (a
    larger ``max_output_size`` decodes it): ``OutputLimitError``.  Over
    :data:`MAX_CHARACTERS` no encoder made it: ``CorruptBodyError``.
    """
    if ctx.max_output_size < MAX_CHARACTERS:
        return OutputLimitError(ctx.max_output_size, claimed)
    return CorruptBodyError(f"body claims {claimed:,} characters or more; templates bodies hold at most {MAX_CHARACTERS:,}")


def _check_budget(length: int, budget: int, ctx: CodecContext) -> None:
    if length > budget:
        raise over_budget(decode_budget(ctx) - budget + length, ctx)
