"""The trained state: templates with their slot models, and the profile part that stores it.

Part format (docs/codecs/templates.md): ``b"ATPL"``, format version ``u8``,
``varint(n) brotli(JSON)`` with the templates, slot models, character model and JSON
models, then ``varint(n)`` and the zstd dictionary of the text block (``n = 0``: none).
JSON keeps the part readable and safe to load (no pickle); brotli keeps it small.
Counts are stored raw: the frequency tables are derived from them by the documented
integer rule, so a profile can be extended with more counts later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import brotli
from attrs import define, field

from aura_core.errors import CorruptBodyError, ProfileFormatError
from aura_core.varint import decode_varint, encode_varint
from aura_templates.charmodel import CharModel
from aura_templates.index import TemplateIndex
from aura_templates.jsonmodel import JsonModel
from aura_templates.predictors import Predictor
from aura_templates.slots import SlotModel
from aura_templates.template import Slot, Template, TemplateSyntaxError
from aura_templates.textblock import BrotliBlock, ZstdBlock

MAGIC = b"ATPL"
FORMAT_VERSION = 1
#: Template ids below this are the built-in starter set, usable without a profile.
STARTER_IDS = 16
MAX_META_BYTES = 64 << 20


@define
class TemplateEntry:
    """A template with what training learned about it."""

    template: Template
    slots: list[SlotModel]
    tail: SlotModel
    #: Training messages that used it (for ``aura templates show``).
    count: int = 0
    #: Slots whose value an earlier slot's value predicts, by target slot.
    predictors: dict[int, Predictor] = field(factory=dict)

    @classmethod
    def untrained(cls, template: Template) -> TemplateEntry:
        return cls(template, [SlotModel.untrained(s.kind) for s in template.slots], SlotModel.untrained(0))


@define
class TemplateSet:
    """Everything the codec needs to encode and decode with one set of templates."""

    entries: dict[int, TemplateEntry]
    charmodel: CharModel | None = None
    dictionary: bytes | None = None
    json: JsonModel | None = None
    _index: TemplateIndex | None = field(default=None, init=False)
    _block: ZstdBlock | BrotliBlock | None = field(default=None, init=False)

    @property
    def index(self) -> TemplateIndex:
        if self._index is None:
            self._index = TemplateIndex(e.template for e in self.entries.values())
        return self._index

    @property
    def block(self) -> ZstdBlock | BrotliBlock:
        if self._block is None:
            self._block = ZstdBlock(self.dictionary) if self.charmodel is not None else BrotliBlock()
        return self._block

    def next_id(self) -> int:
        """The id the next new template takes: one past every id held (the JSON model's too)."""
        held = [STARTER_IDS - 1, *self.entries]
        if self.json is not None:
            held += [self.json.template_id, *self.json.structures]
        return max(held) + 1

    def templates(self) -> Iterable[Template]:
        return (e.template for e in self.entries.values())

    # -- the profile part ----------------------------------------------------------------

    def to_part(self) -> bytes:
        meta = {
            "templates": [
                [
                    e.template.template_id,
                    e.template.source,
                    list(e.template.constants),
                    [[s.name, s.kind] for s in e.template.slots],
                    e.count,
                    [m.to_json() for m in e.slots],
                    e.tail.to_json(),
                    [p.to_json() for _, p in sorted(e.predictors.items())],
                ]
                for e in sorted(self.entries.values(), key=lambda e: e.template.template_id)
            ],
            "charmodel": self.charmodel.to_json() if self.charmodel is not None else None,
            "json": self.json.to_json() if self.json is not None else None,
        }
        packed = bytes(brotli.compress(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode(), quality=9))
        dictionary = self.dictionary or b""
        return MAGIC + bytes([FORMAT_VERSION]) + encode_varint(len(packed)) + packed + encode_varint(len(dictionary)) + dictionary

    @classmethod
    def from_part(cls, data: bytes) -> TemplateSet:
        """Parse a part; any defect is a :class:`ProfileFormatError` (at load time, never at decode)."""
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 1:
            raise ProfileFormatError("templates part does not start with b'ATPL'")
        if data[len(MAGIC)] != FORMAT_VERSION:
            raise ProfileFormatError(
                f"templates part has format version {data[len(MAGIC)]}; this aura-templates reads {FORMAT_VERSION}: upgrade it"
            )
        try:
            pos = len(MAGIC) + 1
            size, pos = decode_varint(data, pos)
            packed = data[pos : pos + size]
            pos += size
            dict_size, pos = decode_varint(data, pos)
            dictionary = data[pos : pos + dict_size]
            if pos + dict_size != len(data) or len(packed) != size:
                raise ProfileFormatError("templates part has a bad layout")
            decompressor = brotli.Decompressor()
            raw = decompressor.process(packed, output_buffer_limit=MAX_META_BYTES)
            if not decompressor.is_finished():
                raise ProfileFormatError("templates part metadata is truncated or too large")
            meta = json.loads(raw)
            entries = {}
            for tid, source, constants, slots, count, models, tail, *more in meta["templates"]:
                template = Template(int(tid), tuple(constants), tuple(Slot(n, int(k)) for n, k in slots), source)
                models = [SlotModel.from_json(m) for m in models]
                if len(models) != len(template.slots):
                    raise ProfileFormatError(f"template {tid}: {len(models)} slot models for {len(template.slots)} slots")
                predictors = [Predictor.from_json(p) for p in (more[0] if more else [])]  # absent before 0.1.0's predictors
                if any(p.target >= len(models) for p in predictors):
                    raise ProfileFormatError(f"template {tid}: a predictor names a slot it does not have")
                entries[template.template_id] = TemplateEntry(
                    template, models, SlotModel.from_json(tail), int(count), {p.target: p for p in predictors}
                )
            charmodel = CharModel.from_json(meta["charmodel"]) if meta["charmodel"] is not None else None
            jsonmodel = JsonModel.from_json(meta["json"]) if meta["json"] is not None else None
            if jsonmodel is not None:
                json_ids = [jsonmodel.template_id, *jsonmodel.structures]
                if len(set(json_ids)) != len(json_ids) or set(json_ids) & set(entries) or min(json_ids) < STARTER_IDS:
                    raise ProfileFormatError("JSON model or structure template ids collide with other template ids")
            if any(tid < STARTER_IDS for tid in entries):
                raise ProfileFormatError(f"template ids below {STARTER_IDS} belong to the starter set")
        except ProfileFormatError:
            raise
        except (CorruptBodyError, brotli.error, ValueError, TypeError, KeyError, TemplateSyntaxError) as exc:
            raise ProfileFormatError(f"templates part is malformed: {type(exc).__name__}: {exc}") from None
        return cls(entries, charmodel, bytes(dictionary) or None, jsonmodel)
