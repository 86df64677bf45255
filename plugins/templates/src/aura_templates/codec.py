"""The templates codec (marker 0x04): a template id, then its slots, range-coded.

Body (docs/codecs/templates.md has every bit)::

    varint(template_id * 2 + has_block)
    [profile reference, 2 bytes]           when template_id >= 16 (not a starter template)
    [varint(n) text block of n bytes]      when has_block
    range-coded stream                     slots, tail (or the JSON document), to the end

The starter templates (ids 0-15) need no profile; every other template is in the
profile the reference names.  Among the templates that match, the codec encodes the
best few and keeps the smallest body.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import field, frozen

from aura_core.codec import Codec, CodecContext, TrainedPart
from aura_core.corpus import Corpus
from aura_core.errors import CorruptBodyError, TemplateHintError
from aura_core.training import TrainContext
from aura_core.varint import decode_varint, encode_varint
from aura_templates import __version__, jsonmodel
from aura_templates.index import Match
from aura_templates.rangecoder import RangeDecoder, RangeEncoder
from aura_templates.slots import ALL_INLINE, BLOCK_MIN, MAX_CHARACTERS, TextChannel, decode_budget, over_budget
from aura_templates.starter import starter_set
from aura_templates.template import hint_values
from aura_templates.templateset import STARTER_IDS, TemplateSet
from aura_templates.training import kind_table, train_templates

#: How many matching templates are actually encoded per message.
TRIED = 2
#: Rough share of its size an unmatched stretch of text keeps, in eighths (for :meth:`score`).
_UNCOVERED_EIGHTHS = 3
_JSON_EIGHTHS = 1


@frozen
class Plan:
    """One way to encode a message: which template set, with which reference, what to code."""

    templates: TemplateSet = field(repr=False)
    reference: bytes
    match: Match | None = None
    document: jsonmodel.Value | None = None
    #: The document's structure template, if it has one (else the structure is coded).
    structure: int | None = None

    @property
    def template_id(self) -> int:
        if self.match is not None:
            return self.match.template.template_id
        if self.structure is not None:
            return self.structure
        assert self.templates.json is not None
        return self.templates.json.template_id


class TemplatesCodec(Codec):
    name = "templates"
    marker = 0x04
    version = __version__
    requires_core = ">=0.1,<0.2"
    trainable = True
    accepts_hints = True

    def __init__(self) -> None:
        self.starter = starter_set()
        #: (text, context, plans) of the last message scored: the selector encodes right after
        #: scoring.  The context is part of the key: one codec instance serves every
        #: Compressor of the registry, each with its own profile.
        self._last: tuple[str | None, CodecContext | None, list[Plan]] = (None, None, [])

    # -- choosing ----------------------------------------------------------------------

    def _plans(self, text: str, ctx: CodecContext) -> list[Plan]:
        last_text, last_ctx, last_plans = self._last
        if last_text is text and last_ctx is ctx:
            return last_plans
        plans: list[Plan] = []
        if len(text) > MAX_CHARACTERS:
            return plans
        held = ctx.encoding_state(self)
        if held is not None:
            reference, templates = held
            if templates.json is not None and text[:1] in ("{", "["):
                try:
                    document = jsonmodel.parse(text)
                except jsonmodel.NotMinifiedJson:
                    document = None
                if document is not None:
                    structure = templates.json.structure_of(document)
                    if structure is not None:
                        plans.append(Plan(templates, reference, document=document, structure=structure))
                    plans.append(Plan(templates, reference, document=document))
            plans.extend(Plan(templates, reference, match=m) for m in templates.index.matches(text)[:TRIED])
        plans.extend(Plan(self.starter, b"", match=m) for m in self.starter.index.matches(text)[:TRIED])
        plans.sort(key=lambda p: self._estimate(p, text))
        self._last = (text, ctx, plans)
        return plans

    def _estimate(self, plan: Plan, text: str) -> int:
        if plan.document is not None:
            return (2 if plan.structure is not None else 3) + len(text) * _JSON_EIGHTHS // 8
        assert plan.match is not None
        entry = plan.templates.entries[plan.match.template.template_id]
        uncovered = sum(len(v) for v, m in zip(plan.match.values, entry.slots, strict=True) if v not in m.index)
        if plan.match.tail not in entry.tail.index:
            uncovered += len(plan.match.tail)
        return 1 + len(plan.reference) + uncovered * _UNCOVERED_EIGHTHS // 8

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int | None:
        plans = self._plans(text, ctx)
        return self._estimate(plans[0], text) if plans else None

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        bodies = []
        for plan in self._plans(text, ctx)[:TRIED]:
            if plan.match is not None and not all(
                m.accepts(v, ctx) for m, v in zip(plan.templates.entries[plan.template_id].slots, plan.match.values)
            ):
                continue
            bodies.append(self._encode_plan(plan, ctx))
        return min(bodies, key=len) if bodies else None

    def encode_hint(
        self, text: str, data: bytes, template_id: int, slots: Sequence[object], ctx: CodecContext
    ) -> bytes:
        if len(text) > MAX_CHARACTERS:
            raise TemplateHintError(f"templates codes messages of up to {MAX_CHARACTERS:,} characters, not {len(text):,}")
        if template_id < STARTER_IDS:
            templates, reference = self.starter, b""
        else:
            held = ctx.encoding_state(self)
            if held is None:
                raise TemplateHintError(
                    f"template {template_id} is not a starter template (ids 0-{STARTER_IDS - 1}) and the "
                    "Compressor has no profile with templates"
                )
            reference, templates = held
        entry = templates.entries.get(template_id)
        if entry is None:
            raise TemplateHintError(f"template {template_id} is not in the profile (see `aura templates show`)")
        values = hint_values(entry.template, slots)
        for slot, model, value in zip(entry.template.slots, entry.slots, values, strict=True):
            if not model.accepts(value, ctx):
                raise TemplateHintError(f"slot {slot.name!r} of template {template_id} cannot hold {value!r}")
        rendered = entry.template.render(values)
        if rendered != text:
            at = next((i for i, (a, b) in enumerate(zip(rendered, text)) if a != b), min(len(rendered), len(text)))
            raise TemplateHintError(
                f"template {template_id} with these slots renders {rendered[max(0, at - 20) : at + 20]!r}… "
                f"but the text has {text[max(0, at - 20) : at + 20]!r}… (first difference at character {at})"
            )
        match = Match(entry.template, tuple(values), "")
        return self._encode_plan(Plan(templates, reference, match=match), ctx)

    # -- the body --------------------------------------------------------------------------

    def _encode_plan(self, plan: Plan, ctx: CodecContext) -> bytes:
        """Long escaped strings go to a compressed block when that is smaller than coding them inline."""
        stream, channel = self._stream(plan, TextChannel(plan.templates.charmodel, BLOCK_MIN), ctx)
        if not channel.pieces:
            return self._body(plan, stream, None)
        body = self._body(plan, stream, plan.templates.block.compress(channel.text))
        if plan.templates.charmodel is not None:
            inline, _ = self._stream(plan, TextChannel(plan.templates.charmodel, ALL_INLINE), ctx)
            inline_body = self._body(plan, inline, None)
            if len(inline_body) < len(body):
                return inline_body
        return body

    def _stream(self, plan: Plan, channel: TextChannel, ctx: CodecContext) -> tuple[bytes, TextChannel]:
        enc = RangeEncoder()
        if plan.document is not None:
            assert plan.templates.json is not None
            if plan.structure is not None:
                plan.templates.json.encode_values(enc, plan.document, channel, ctx)
            else:
                plan.templates.json.encode(enc, plan.document, channel, ctx)
        else:
            assert plan.match is not None
            entry = plan.templates.entries[plan.template_id]
            values = plan.match.values
            for target, (model, value) in enumerate(zip(entry.slots, values, strict=True)):
                predictor = entry.predictors.get(target)
                guess = predictor.guess(values) if predictor is not None else None
                if guess is not None:
                    assert predictor is not None
                    enc.encode_symbol(predictor.table, int(guess != value))
                    if guess == value:
                        continue
                model.encode(enc, value, channel, ctx)
            entry.tail.encode(enc, plan.match.tail, channel, ctx)
        return enc.finish(), channel

    def _body(self, plan: Plan, stream: bytes, block: bytes | None) -> bytes:
        head = encode_varint(plan.template_id * 2 + (block is not None)) + plan.reference
        if block is not None:
            head += encode_varint(len(block)) + block
        return head + stream

    def template_id(self, body: bytes) -> int | None:
        try:
            return decode_varint(body)[0] >> 1
        except CorruptBodyError:
            return None

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        head, pos = decode_varint(body)
        template_id, has_block = head >> 1, head & 1
        templates: TemplateSet
        if template_id < STARTER_IDS:
            templates = self.starter
        else:
            templates, pos = ctx.decoding_state(self, body, pos)
        block = ""
        if has_block:
            size, pos = decode_varint(body, pos)
            if pos + size > len(body):
                raise CorruptBodyError(f"text block of {size:,} bytes runs past the end of the body")
            block = templates.block.decompress(body[pos : pos + size], ctx.max_output_size)
            pos += size
        channel = TextChannel(templates.charmodel, BLOCK_MIN if has_block else ALL_INLINE, block)
        dec = RangeDecoder(body, pos)
        if templates.json is not None and template_id == templates.json.template_id:
            text = templates.json.decode(dec, channel, ctx)
        elif templates.json is not None and template_id in templates.json.structures:
            text = templates.json.decode(dec, channel, ctx, structure=template_id)
        else:
            entry = templates.entries.get(template_id)
            if entry is None:
                raise CorruptBodyError(f"template {template_id} is not in the {'starter set' if template_id < STARTER_IDS else 'profile'}")
            budget = decode_budget(ctx) - entry.template.constant_size
            values: list[str] = []
            for target, model in enumerate(entry.slots):
                predictor = entry.predictors.get(target)
                guess = predictor.guess(values) if predictor is not None else None
                if guess is not None and dec.decode_symbol(predictor.table) == 0:  # type: ignore[union-attr]
                    value = guess
                    if len(value) > budget:
                        raise over_budget(decode_budget(ctx) - budget + len(value), ctx)
                else:
                    value = model.decode(dec, channel, ctx, budget)
                budget -= len(value)
                values.append(value)
            tail = entry.tail.decode(dec, channel, ctx, budget)
            text = entry.template.render(values) + tail
        if not channel.exhausted:
            raise CorruptBodyError("text block holds more text than the slots use")
        ctx.check_output_size(len(text.encode("utf-8", "surrogatepass")))
        return text

    # -- training --------------------------------------------------------------------------

    def train(self, corpus: Corpus, ctx: TrainContext) -> TrainedPart | None:
        previous_part = ctx.previous_part(self.name)
        previous = self.load_state(previous_part) if previous_part is not None else None
        templates, report = train_templates(
            corpus, ctx.normalizers, previous=previous, track=lambda items, what: ctx.track(items, what)
        )
        if not templates.entries and templates.json is None:
            return None
        kind_names = {v: k for k, v in kind_table(ctx.normalizers).items()}
        ctx.lines.extend(report.lines(kind_names))
        summary = (
            f"{len(templates.entries)} templates{' + JSON model' if templates.json else ''}, "
            f"coverage {report.coverage:.1%}"
        )
        return TrainedPart(templates.to_part(), summary)

    def load_state(self, data: bytes) -> TemplateSet:
        return TemplateSet.from_part(data)

