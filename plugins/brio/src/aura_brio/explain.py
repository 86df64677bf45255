"""The metadata channel: which trained text a BRIO payload drew on, at no cost in bytes.

Decoding already knows, for every byte, whether the match model was predicting it
from the training text (and from where) and how many bits the byte cost.
:func:`explain` decodes a payload once more with that trace switched on and returns
the spans of the message that were copied from training messages, so an
application can show "this reply reused phrases from these stored messages", or
find which trained messages carry the most weight.
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

from aura_brio.codec import BrioCodec, decode_with
from aura_brio.part import MAX_MESSAGE
from aura_brio.state import BrioState
from aura_core.codecs.raw import decode_utf8
from aura_core.compressor import Compressor
from aura_core.errors import CorruptBodyError


@frozen
class MatchSpan:
    """Bytes ``[start, end)`` of the message that the match model predicted from earlier text."""

    start: int
    end: int
    #: Index of the training message the span was copied from; ``None`` when the
    #: span repeats an earlier part of the same message.
    training_message: int | None
    #: Byte offset of the span's source inside that training message (or the message itself).
    source_offset: int
    #: The copied bytes, decoded leniently for display.
    phrase: str


@frozen
class Explanation:
    text: str
    #: Bits spent on each UTF-8 byte (the end-of-message flag before it included).
    bits_per_byte: tuple[float, ...]
    spans: tuple[MatchSpan, ...]

    @property
    def copied_bytes(self) -> int:
        """How many bytes the match model predicted from training text."""
        return sum(s.end - s.start for s in self.spans if s.training_message is not None)


def explain(compressor: Compressor, payload: bytes) -> Explanation:
    """Decode a brio payload and report where its bytes came from.

    Raises the same :class:`~aura_core.errors.AuraDecodeError` subclasses as
    decoding, and :class:`CorruptBodyError` when the payload is not a brio payload.
    """
    if not payload or payload[0] != BrioCodec.marker:
        raise CorruptBodyError("explain() takes a brio payload (marker 0x05)")
    codec = compressor.registry.codec_for_marker(BrioCodec.marker)
    state, pos = compressor.context.decoding_state(codec, payload[1:])
    trace = np.zeros((MAX_MESSAGE, 3), dtype=np.int32)
    data, count = decode_with(state, payload[1 + pos :], compressor.context.max_output_size, trace)
    text = decode_utf8(data, "brio output")
    return Explanation(
        text=text,
        bits_per_byte=tuple(float(c) / 256 for c in trace[:count, 2]),
        spans=tuple(_spans(state, data, trace[:count])),
    )


def _spans(state: BrioState, data: bytes, trace: np.ndarray) -> list[MatchSpan]:
    spans: list[MatchSpan] = []
    trained = state.training_bytes
    start = first = -1
    for i in range(len(data) + 1):
        source = int(trace[i, 0]) if i < len(data) else -1
        hit = source >= 0 and _source_byte(state, data, source) == data[i]
        if start >= 0 and (not hit or source != first + (i - start)):
            spans.append(_span(state, data, start, i, first, trained))
            start = -1
        if hit and start < 0:
            start, first = i, source
    return spans


def _source_byte(state: BrioState, data: bytes, source: int) -> int:
    trained = state.training_bytes
    return int(state.model.hist[source]) if source < trained else data[source - trained]


def _span(state: BrioState, data: bytes, start: int, end: int, source: int, trained: int) -> MatchSpan:
    phrase = data[start:end].decode("utf-8", "replace")
    if source >= trained:
        return MatchSpan(start, end, None, source - trained, phrase)
    index = int(np.searchsorted(state.bounds, source, side="right")) - 1
    return MatchSpan(start, end, index, source - int(state.bounds[index]), phrase)
