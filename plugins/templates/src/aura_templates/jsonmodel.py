"""JSON documents as templates: the structure is learned, the values are typed slots.

A minified JSON document is its structure (which keys, in which order, how nested,
what type each value has) plus its scalar values.  Following CLP's schema-based
JSON compression, the structure is what training learns and the values are slots
keyed by their *path* (``data.children[].data.author``): one value table per path,
shared by every document that has the path.

Structure is coded against trained counts: after key ``k`` of an object at path
``p`` the next key (or the end of the object) is one symbol of the table for
``(p, k)``; each value's type is one symbol of the table for its path; each array
element is preceded by a "more / end" symbol.  A document of a familiar shape costs
a few bits of structure in all; an unfamiliar key is escaped and spelled out.

Shapes seen at least twice in training (keys, order, nesting, value types: the CLP
schema) become *structure templates* with ids of their own: a document of such a
shape codes no structure at all, only its values.

Only minified documents are taken (no whitespace between tokens): the text is lexed,
never re-serialised, and string values keep their escapes exactly as written.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from attrs import frozen

from aura_core.codec import CodecContext
from aura_core.errors import CorruptBodyError
from aura_templates.rangecoder import FrequencyTable, RangeDecoder, RangeEncoder
from aura_templates.slots import SlotModel, TextChannel, decode_budget, over_budget
from aura_templates.template import TEXT

_TOKEN = re.compile(
    r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
    r"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|[{}\[\]:,]"
)
#: Value types, in the order of the type tables' symbols.
STRING, NUMBER, TRUE, FALSE, NULL, OBJECT, ARRAY = range(7)
_LITERALS = {"true": TRUE, "false": FALSE, "null": NULL}
_LITERAL_TEXT = {TRUE: "true", FALSE: "false", NULL: "null"}
#: Nesting deeper than this is declined when encoding and refused when decoding.
MAX_DEPTH = 256
_END = "\x00end"
_ROOT = "$"
#: Contexts and paths seen fewer times than this are not kept in the profile.
MIN_CONTEXT = 2

#: A parsed value: (type, payload) where payload is the raw scalar text, a list of
#: (raw key, value) pairs, or a list of values.
Value = tuple[int, Any]


class NotMinifiedJson(ValueError):
    """The text is not one minified JSON document this model can carry exactly."""


def parse(text: str) -> Value:
    tokens = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            raise NotMinifiedJson(f"unexpected character at {pos}")
        tokens.append(match.group())
        pos = match.end()
    if pos != len(text) or not tokens:
        raise NotMinifiedJson("trailing text")
    value, end = _parse_value(tokens, 0, 0)
    if end != len(tokens):
        raise NotMinifiedJson("more than one value")
    return value


def _parse_value(tokens: list[str], i: int, depth: int) -> tuple[Value, int]:
    if depth > MAX_DEPTH:
        raise NotMinifiedJson("nested too deeply")
    if i >= len(tokens):
        raise NotMinifiedJson("document ends early")
    token = tokens[i]
    if token == "{":
        items: list[tuple[str, Value]] = []
        i += 1
        if i < len(tokens) and tokens[i] == "}":
            return (OBJECT, items), i + 1
        while True:
            key = tokens[i] if i < len(tokens) else ""
            if not key.startswith('"') or i + 1 >= len(tokens) or tokens[i + 1] != ":":
                raise NotMinifiedJson("expected a key")
            value, i = _parse_value(tokens, i + 2, depth + 1)
            items.append((key[1:-1], value))
            if i < len(tokens) and tokens[i] == ",":
                i += 1
                continue
            if i < len(tokens) and tokens[i] == "}":
                return (OBJECT, items), i + 1
            raise NotMinifiedJson("expected , or }")
    if token == "[":
        elements: list[Value] = []
        i += 1
        if i < len(tokens) and tokens[i] == "]":
            return (ARRAY, elements), i + 1
        while True:
            value, i = _parse_value(tokens, i, depth + 1)
            elements.append(value)
            if i < len(tokens) and tokens[i] == ",":
                i += 1
                continue
            if i < len(tokens) and tokens[i] == "]":
                return (ARRAY, elements), i + 1
            raise NotMinifiedJson("expected , or ]")
    if token.startswith('"'):
        return (STRING, token[1:-1]), i + 1
    if token in _LITERALS:
        return (_LITERALS[token], None), i + 1
    if token[0] == "-" or token[0].isdigit():
        return (NUMBER, token), i + 1
    raise NotMinifiedJson(f"unexpected token {token!r}")


#: A structure template's node: ``{"o": [[key, node], ...]}``, ``{"a": [node, ...]}``, or a
#: scalar type: ``"s"`` string, ``"n"`` number, ``"b"`` true/false, ``"z"`` null.
Node = Any
_SCALARS = {STRING: "s", NUMBER: "n", TRUE: "b", FALSE: "b", NULL: "z"}
#: Structure templates kept per profile (most used first).
MAX_STRUCTURES = 4096


@frozen
class Structure:
    """A document shape (keys, order, nesting, value types) seen in training."""

    node: Node
    signature: str
    count: int = 0


def skeleton(value: Value) -> Node:
    kind, payload = value
    if kind == OBJECT:
        return {"o": [[key, skeleton(item)] for key, item in payload]}
    if kind == ARRAY:
        return {"a": [skeleton(item) for item in payload]}
    return _SCALARS[kind]


def signature(node: Node) -> str:
    return json.dumps(node, ensure_ascii=False, separators=(",", ":"))


def _checked(node: Node, depth: int) -> Node:
    """Validate a node read from a profile part (``ValueError`` if it is not one)."""
    if depth > MAX_DEPTH:
        raise ValueError("structure template nests too deeply")
    if isinstance(node, str) and node in ("s", "n", "b", "z"):
        return node
    if isinstance(node, dict) and list(node) == ["o"] and isinstance(node["o"], list):
        for member in node["o"]:
            if not (isinstance(member, list) and len(member) == 2 and isinstance(member[0], str)):
                raise ValueError("structure template member is not [key, node]")
            _checked(member[1], depth + 1)
        return node
    if isinstance(node, dict) and list(node) == ["a"] and isinstance(node["a"], list):
        for child in node["a"]:
            _checked(child, depth + 1)
        return node
    raise ValueError(f"not a structure template node: {str(node)[:40]!r}")


class _Symbols:
    """A trained table over named symbols plus an escape (the last symbol)."""

    __slots__ = ("counts", "escapes", "index", "names", "table")

    def __init__(self, counts: dict[str, int], escapes: int) -> None:
        self.counts = counts
        self.escapes = escapes
        self.names = list(counts)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.table = FrequencyTable.from_counts([*counts.values(), max(1, escapes)])

    @property
    def escape(self) -> int:
        return len(self.names)


_UNSEEN = _Symbols({}, 1)
_DEFAULT_TYPES = FrequencyTable([1] * 7)
_DEFAULT_MORE = FrequencyTable([1, 1])


class JsonModel:
    """Trained structure and value models of one corpus's JSON documents."""

    def __init__(
        self,
        template_id: int,
        keys: dict[str, tuple[dict[str, int], int]],
        types: dict[str, list[int]],
        more: dict[str, list[int]],
        strings: dict[str, SlotModel],
        numbers: dict[str, SlotModel],
        count: int = 0,
        structures: dict[int, Structure] | None = None,
    ) -> None:
        self.template_id = template_id
        self.count = count
        #: Structure templates by id: documents of a shape seen in training code only their values.
        self.structures = structures or {}
        self.by_signature = {s.signature: tid for tid, s in self.structures.items()}
        self.keys = {ctx: _Symbols(dict(c), e) for ctx, (c, e) in keys.items()}
        self.types = {p: FrequencyTable.from_counts(c) for p, c in types.items()}
        self.more = {p: FrequencyTable.from_counts(c) for p, c in more.items()}
        self._type_counts, self._more_counts = types, more
        self.strings = strings
        self.numbers = numbers
        self.untrained = SlotModel.untrained(TEXT)

    # -- training ----------------------------------------------------------------------

    @classmethod
    def train(cls, documents: Iterable[Value], template_id: int) -> JsonModel:
        keys: dict[str, Counter[str]] = defaultdict(Counter)
        types: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
        more: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        strings: dict[str, list[str]] = defaultdict(list)
        numbers: dict[str, list[str]] = defaultdict(list)
        count = 0

        def walk(value: Value, path: str) -> None:
            kind, payload = value
            types[path][kind] += 1
            if kind == OBJECT:
                previous = ""
                for key, item in payload:
                    keys[f"{path}\x1f{previous}"][key] += 1
                    walk(item, f"{path}.{key}")
                    previous = key
                keys[f"{path}\x1f{previous}"][_END] += 1
            elif kind == ARRAY:
                for item in payload:
                    more[path][0] += 1
                    walk(item, f"{path}[]")
                more[path][1] += 1
            elif kind == STRING:
                strings[path].append(payload)
            elif kind == NUMBER:
                numbers[path].append(payload)

        for document in documents:
            count += 1
            walk(document, _ROOT)
        kept_keys = {}
        for ctx, counter in keys.items():
            if counter.total() >= MIN_CONTEXT:
                common = {k: n for k, n in sorted(counter.items()) if n >= MIN_CONTEXT or k == _END}
                kept_keys[ctx] = (common, counter.total() - sum(common.values()) + len(counter))
        return cls(
            template_id,
            kept_keys,
            {p: c for p, c in types.items() if sum(c) >= MIN_CONTEXT},
            {p: c for p, c in more.items() if sum(c) >= MIN_CONTEXT},
            {p: SlotModel.train(TEXT, v) for p, v in strings.items() if len(v) >= MIN_CONTEXT},
            {p: SlotModel.train(TEXT, v) for p, v in numbers.items() if len(v) >= MIN_CONTEXT},
            count,
        )

    def with_structures(self, documents: Iterable[Value], first_id: int, previous: JsonModel | None) -> JsonModel:
        """Add the shapes seen at least twice as structure templates, keeping previous ids."""
        counts = Counter(signature(skeleton(d)) for d in documents)
        known = {s.signature: (tid, s) for tid, s in (previous.structures if previous else {}).items()}
        structures: dict[int, Structure] = {tid: Structure(s.node, s.signature, counts.get(s.signature, 0)) for tid, s in known.values()}
        next_id = max([first_id - 1, *structures]) + 1
        for sig, count in counts.most_common(MAX_STRUCTURES):
            if count < MIN_CONTEXT or sig in known:
                continue
            structures[next_id] = Structure(json.loads(sig), sig, count)
            next_id += 1
        self.structures = structures
        self.by_signature = {s.signature: tid for tid, s in structures.items()}
        return self

    def structure_of(self, document: Value) -> int | None:
        """The id of the structure template ``document`` has, if any."""
        return self.by_signature.get(signature(skeleton(document))) if self.structures else None

    def escaped_texts(self, document: Value) -> Iterable[str]:
        """The strings, numbers and keys of ``document`` that its tables do not hold (they are spelled out)."""
        pending: list[tuple[Value, str]] = [(document, _ROOT)]
        while pending:
            (kind, payload), path = pending.pop()
            if kind == OBJECT:
                previous = ""
                for key, item in payload:
                    if key not in self.keys.get(f"{path}\x1f{previous}", _UNSEEN).index:
                        yield key
                    pending.append((item, f"{path}.{key}"))
                    previous = key
            elif kind == ARRAY:
                pending.extend((item, f"{path}[]") for item in payload)
            elif kind in (STRING, NUMBER):
                model = (self.strings if kind == STRING else self.numbers).get(path)
                if model is None or payload not in model.index:
                    yield payload

    def to_json(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "count": self.count,
            "keys": {ctx: [s.counts, s.escapes] for ctx, s in self.keys.items()},
            "types": self._type_counts,
            "more": self._more_counts,
            "strings": {p: m.to_json() for p, m in self.strings.items()},
            "numbers": {p: m.to_json() for p, m in self.numbers.items()},
            "structures": [[tid, s.node, s.count] for tid, s in sorted(self.structures.items())],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JsonModel:
        if any(len(c) != 7 for c in data["types"].values()) or any(len(c) != 2 for c in data["more"].values()):
            raise ValueError("a JSON type or array table has the wrong size")
        return cls(
            int(data["template_id"]),
            {ctx: (dict(c), int(e)) for ctx, (c, e) in data["keys"].items()},
            {p: [int(n) for n in c] for p, c in data["types"].items()},
            {p: [int(n) for n in c] for p, c in data["more"].items()},
            {p: SlotModel.from_json(m) for p, m in data["strings"].items()},
            {p: SlotModel.from_json(m) for p, m in data["numbers"].items()},
            int(data.get("count", 0)),
            {int(tid): Structure(_checked(node, 0), signature(node), int(n)) for tid, node, n in data.get("structures", [])},
        )

    # -- coding ------------------------------------------------------------------------

    def encode(self, enc: RangeEncoder, document: Value, text: TextChannel, ctx: CodecContext) -> None:
        self._encode_value(enc, document, _ROOT, text, ctx)

    def encode_values(self, enc: RangeEncoder, value: Value, text: TextChannel, ctx: CodecContext, path: str = _ROOT) -> None:
        """Only the values, for a document whose structure template the decoder knows."""
        kind, payload = value
        if kind == OBJECT:
            for key, item in payload:
                self.encode_values(enc, item, text, ctx, f"{path}.{key}")
        elif kind == ARRAY:
            for item in payload:
                self.encode_values(enc, item, text, ctx, f"{path}[]")
        elif kind in (TRUE, FALSE):
            enc.encode_symbol(self.types.get(path, _DEFAULT_TYPES), kind)
        elif kind in (STRING, NUMBER):
            (self.strings if kind == STRING else self.numbers).get(path, self.untrained).encode(enc, payload, text, ctx)

    def _encode_value(self, enc: RangeEncoder, value: Value, path: str, text: TextChannel, ctx: CodecContext) -> None:
        kind, payload = value
        enc.encode_symbol(self.types.get(path, _DEFAULT_TYPES), kind)
        if kind == OBJECT:
            previous = ""
            for key, item in payload:
                self._encode_key(enc, f"{path}\x1f{previous}", key, text, ctx)
                self._encode_value(enc, item, f"{path}.{key}", text, ctx)
                previous = key
            self._encode_key(enc, f"{path}\x1f{previous}", _END, text, ctx)
        elif kind == ARRAY:
            table = self.more.get(path, _DEFAULT_MORE)
            for item in payload:
                enc.encode_symbol(table, 0)
                self._encode_value(enc, item, f"{path}[]", text, ctx)
            enc.encode_symbol(table, 1)
        elif kind == STRING:
            self.strings.get(path, self.untrained).encode(enc, payload, text, ctx)
        elif kind == NUMBER:
            self.numbers.get(path, self.untrained).encode(enc, payload, text, ctx)

    def _encode_key(self, enc: RangeEncoder, context: str, key: str, text: TextChannel, ctx: CodecContext) -> None:
        symbols = self.keys.get(context, _UNSEEN)
        symbol = symbols.index.get(key)
        if symbol is not None:
            enc.encode_symbol(symbols.table, symbol)
            return
        enc.encode_symbol(symbols.table, symbols.escape)
        if key == _END:
            enc.encode_symbol(_DEFAULT_MORE, 1)
        else:
            enc.encode_symbol(_DEFAULT_MORE, 0)
            self.untrained.encode(enc, key, text, ctx)

    def decode(self, dec: RangeDecoder, text: TextChannel, ctx: CodecContext, structure: int | None = None) -> str:
        """Decode a document: its structure from the stream, or from structure template ``structure``."""
        decoding = _Decoding(self, dec, text, ctx)
        if structure is None:
            decoding.value(_ROOT, 0)
        else:
            decoding.shaped(self.structures[structure].node, _ROOT)
        return "".join(decoding.out)


class _Decoding:
    """One document being decoded, with the output budget it may still spend."""

    def __init__(self, model: JsonModel, dec: RangeDecoder, text: TextChannel, ctx: CodecContext) -> None:
        self.model, self.dec, self.text, self.ctx = model, dec, text, ctx
        self.limit = self.budget = decode_budget(ctx)
        self.out: list[str] = []

    def emit(self, piece: str) -> None:
        self.budget -= len(piece)
        if self.budget < 0:
            raise over_budget(self.limit - self.budget, self.ctx)
        self.out.append(piece)

    def value(self, path: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise CorruptBodyError(f"JSON body nests deeper than {MAX_DEPTH}")
        model, dec = self.model, self.dec
        kind = dec.decode_symbol(model.types.get(path, _DEFAULT_TYPES))
        if kind == OBJECT:
            self.emit("{")
            previous = ""
            separator = ""
            while (key := self.key(f"{path}\x1f{previous}")) is not None:
                self.emit(f'{separator}"{key}":')
                separator = ","
                self.value(f"{path}.{key}", depth + 1)
                previous = key
            self.emit("}")
        elif kind == ARRAY:
            self.emit("[")
            table = model.more.get(path, _DEFAULT_MORE)
            separator = ""
            while dec.decode_symbol(table) == 0:
                self.emit(separator)
                separator = ","
                self.value(f"{path}[]", depth + 1)
            self.emit("]")
        elif kind in (STRING, NUMBER):
            models = model.strings if kind == STRING else model.numbers
            value = models.get(path, model.untrained).decode(dec, self.text, self.ctx, self.budget)
            self.emit(f'"{value}"' if kind == STRING else value)
        else:
            self.emit(_LITERAL_TEXT[kind])

    def shaped(self, node: Node, path: str) -> None:
        """A value whose shape is known: only scalars come from the stream."""
        if isinstance(node, dict) and "o" in node:
            separator = ""
            self.emit("{")
            for key, child in node["o"]:
                self.emit(f'{separator}"{key}":')
                separator = ","
                self.shaped(child, f"{path}.{key}")
            self.emit("}")
        elif isinstance(node, dict):
            separator = ""
            self.emit("[")
            for child in node["a"]:
                self.emit(separator)
                separator = ","
                self.shaped(child, f"{path}[]")
            self.emit("]")
        elif node == "b":
            kind = self.dec.decode_symbol(self.model.types.get(path, _DEFAULT_TYPES))
            if kind not in (TRUE, FALSE):
                raise CorruptBodyError(f"JSON body has a non-boolean where its structure template has a boolean ({path})")
            self.emit(_LITERAL_TEXT[kind])
        elif node == "z":
            self.emit("null")
        else:
            models = self.model.strings if node == "s" else self.model.numbers
            value = models.get(path, self.model.untrained).decode(self.dec, self.text, self.ctx, self.budget)
            self.emit(f'"{value}"' if node == "s" else value)

    def key(self, context: str) -> str | None:
        symbols = self.model.keys.get(context, _UNSEEN)
        symbol = self.dec.decode_symbol(symbols.table)
        if symbol != symbols.escape:
            name = symbols.names[symbol]
            return None if name == _END else name
        if self.dec.decode_symbol(_DEFAULT_MORE) == 1:
            return None
        return self.model.untrained.decode(self.dec, self.text, self.ctx, self.budget)
