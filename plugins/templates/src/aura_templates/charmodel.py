"""A static order-2 character model for the text nobody's value table knew.

Hostnames, paths and short free-text tails are too short for a compressor with a
frame header; coded character by character against counts learned in training they
cost two to four bits a character.  Each character is tried in its order-2 context
(the two characters before it), then its order-1 context, then the order-0 table,
each step paying an escape when the character was not seen there; a character seen
nowhere is sent as its 21-bit code point.  Strings start with the context ``"\\0\\0"``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from aura_core.errors import CorruptBodyError
from aura_templates.rangecoder import FrequencyTable, RangeDecoder, RangeEncoder

#: Contexts kept per order, most frequent first (bounds the profile size).
MAX_CONTEXTS = (1, 1024, 6144)
#: A context is kept when seen this many times, a character in it when seen this often.
MIN_CONTEXT_COUNT = 8
MIN_SYMBOL_COUNT = 2
CODE_POINT_BITS = 21
_START = "\x00\x00"


class ContextTable:
    """The characters seen after one context, plus an escape (the last symbol)."""

    __slots__ = ("chars", "index", "table")

    def __init__(self, counts: Mapping[str, int], escapes: int) -> None:
        self.chars = list(counts)
        self.index = {c: i for i, c in enumerate(self.chars)}
        self.table = FrequencyTable.from_counts([*counts.values(), max(1, escapes)])

    @property
    def escape(self) -> int:
        return len(self.chars)


class CharModel:
    """Order-2/1/0 tables with escapes; built from counts stored in the profile."""

    def __init__(self, orders: list[dict[str, tuple[dict[str, int], int]]]) -> None:
        #: orders[k][context] = (char counts, escape count) for contexts of length k.
        self.orders = orders
        self.tables = [{ctx: ContextTable(counts, esc) for ctx, (counts, esc) in order.items()} for order in orders]
        if "" not in self.tables[0]:
            self.tables[0][""] = ContextTable({}, 1)

    @classmethod
    def train(cls, texts: Iterable[str]) -> CharModel:
        counts: list[dict[str, Counter[str]]] = [{}, {}, {}]
        for text in texts:
            history = _START + text
            for i, char in enumerate(text):
                for order in range(3):
                    context = history[i + 2 - order : i + 2]
                    counts[order].setdefault(context, Counter())[char] += 1
        orders: list[dict[str, tuple[dict[str, int], int]]] = []
        for order, contexts in enumerate(counts):
            ranked = sorted(contexts.items(), key=lambda item: (-item[1].total(), item[0]))
            kept: dict[str, tuple[dict[str, int], int]] = {}
            for context, chars in ranked[: MAX_CONTEXTS[order]]:
                if order and chars.total() < MIN_CONTEXT_COUNT:
                    continue
                common = {c: n for c, n in sorted(chars.items()) if n >= MIN_SYMBOL_COUNT}
                escapes = len(chars) + sum(n for n in chars.values() if n < MIN_SYMBOL_COUNT)
                kept[context] = (common, escapes)
            orders.append(kept)
        return cls(orders)

    def merged(self, other: CharModel) -> CharModel:
        """Counts of both models added up (extending a profile with more messages)."""
        orders = []
        for mine, theirs in zip(self.orders, other.orders, strict=True):
            order = dict(mine)
            for context, (counts, escapes) in theirs.items():
                held, held_escapes = order.get(context, ({}, 0))
                order[context] = (dict(Counter(held) + Counter(counts)), held_escapes + escapes)
            orders.append(order)
        return CharModel(orders)

    def to_json(self) -> list[dict[str, list[object]]]:
        return [{ctx: [counts, esc] for ctx, (counts, esc) in order.items()} for order in self.orders]

    @classmethod
    def from_json(cls, data: list[dict[str, list[object]]]) -> CharModel:
        if not isinstance(data, list) or len(data) != 3:
            raise ValueError("character model must have three orders")
        return cls([{ctx: (dict(counts), int(esc)) for ctx, (counts, esc) in order.items()} for order in data])  # type: ignore[call-overload]

    def _contexts(self, history: str, i: int) -> list[ContextTable]:
        found = []
        for order in (2, 1, 0):
            table = self.tables[order].get(history[i + 2 - order : i + 2])
            if table is not None:
                found.append(table)
        return found

    def encode(self, enc: RangeEncoder, text: str) -> None:
        history = _START + text
        for i, char in enumerate(text):
            for context in self._contexts(history, i):
                symbol = context.index.get(char)
                if symbol is not None:
                    enc.encode_symbol(context.table, symbol)
                    break
                enc.encode_symbol(context.table, context.escape)
            else:
                enc.encode_uniform(ord(char), CODE_POINT_BITS)

    def decode(self, dec: RangeDecoder, length: int) -> str:
        history = list(_START)
        for i in range(length):
            context_key = "".join(history[i : i + 2])
            char = None
            for context in self._contexts(context_key, 0):
                symbol = dec.decode_symbol(context.table)
                if symbol != context.escape:
                    char = context.chars[symbol]
                    break
            if char is None:
                point = dec.decode_uniform(CODE_POINT_BITS)
                if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                    raise CorruptBodyError(f"text slot holds an invalid code point U+{point:X}")
                char = chr(point)
            history.append(char)
        return "".join(history[2:])
