"""The BRIO codec (marker 0x05): a primed context-mixing model driving an arithmetic coder.

Body: ``varint(profile id) || hash tag || code``.  ``code`` is the arithmetic-coded
sequence of (end-of-message flag, byte) decisions; there is no length field, the
flag before every byte stands in for it.  docs/codecs/brio.md is the normative
description.
"""

from __future__ import annotations

import numpy as np

from aura_brio import __version__
from aura_brio.model import CORRUPT, DECODE, EMPTY, ENCODE, NO_TRACE, NONCANONICAL, OK, OVERFLOW, readonly, run_message
from aura_brio.part import MAX_MESSAGE, MAX_TEXT_BYTES, Part, TableSizes
from aura_brio.state import BrioState
from aura_core.codec import Codec, CodecContext, TrainedPart
from aura_core.codecs.raw import decode_utf8
from aura_core.corpus import Corpus
from aura_core.errors import CorruptBodyError, OutputLimitError
from aura_core.training import TrainContext

#: Default cap (log2 of 16-byte buckets) of each order >= 3 context table: 2**19
#: buckets = 8 MiB per table, chosen from the ratio-vs-size curve in the README so a
#: Compressor holding the largest profile stays under 256 MB resident.
TABLE_BITS = 19


def code_capacity(size: int) -> int:
    """Room for the code of a ``size``-byte message: 9 decisions of at most 12 bits per byte.

    The carry-less coder can lose a few more bits in rare narrow intervals; the
    encoder never writes past this room, and a code that would not fit is declined.
    """
    return 14 * size + 16


class BrioCodec(Codec):
    name = "brio"
    marker = 0x05
    version = __version__
    requires_core = ">=0.1,<0.2"
    trainable = True

    def __init__(self, table_bits: int = TABLE_BITS, max_text_bytes: int = MAX_TEXT_BYTES) -> None:
        self.table_bits = table_bits
        self.max_text_bytes = max_text_bytes

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int | None:
        if len(data) > MAX_MESSAGE or ctx.encoding_state(self) is None:
            return None
        # Primed on the same kind of messages BRIO typically codes 4-6x smaller.
        return len(data) // 5 + 3

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        held = ctx.encoding_state(self)
        if held is None or len(data) > MAX_MESSAGE:
            return None
        reference, state = held
        out = np.empty(code_capacity(len(data)), dtype=np.uint8)
        with state.lock:
            _, count = run_message(state.model, ENCODE, readonly(data), EMPTY, out, NO_TRACE)
        if count > out.shape[0]:
            return None
        return reference + out[:count].tobytes()

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        state, pos = ctx.decoding_state(self, body)
        data, _ = decode_with(state, body[pos:], ctx.max_output_size, NO_TRACE)
        return decode_utf8(data, "brio output")

    def train(self, corpus: Corpus, ctx: TrainContext) -> TrainedPart | None:
        messages: list[bytes] = []
        total = 0
        texts = corpus.sample(self.max_text_bytes)  # every message when the corpus fits
        for text in ctx.track(texts, "brio: collecting training text", total=len(texts)):
            raw = text.encode("utf-8", "surrogatepass")
            if 0 < len(raw) <= MAX_MESSAGE and total + len(raw) <= self.max_text_bytes:
                messages.append(raw)
                total += len(raw)
        if not messages:
            return None
        sizes = TableSizes.for_text(total, self.table_bits)
        data = Part.of(sizes, messages).to_bytes()
        summary = (
            f"{len(messages):,} messages, {total:,} bytes of training text stored in {len(data):,} bytes; "
            f"{sizes.bytes / 2**20:.0f} MiB of tables when loaded"
        )
        return TrainedPart(data=data, summary=summary)

    def load_state(self, data: bytes) -> BrioState:
        return BrioState.load(data)


def decode_with(state: BrioState, code: bytes, max_output_size: int, trace: np.ndarray) -> tuple[bytes, int]:
    """Decode ``code`` (the body after its profile reference); return (bytes, count).

    The output never exceeds ``min(max_output_size, MAX_MESSAGE)`` bytes, and the
    decoder stops as soon as it would read past the body: any input is decoded in
    time proportional to at most 65536 output bytes.
    """
    limit = min(max(max_output_size, 0), MAX_MESSAGE)
    out = np.empty(limit, dtype=np.uint8)
    with state.lock:
        status, count = run_message(state.model, DECODE, EMPTY, readonly(code), out, trace)
    if status == OVERFLOW:
        if max_output_size < MAX_MESSAGE:
            raise OutputLimitError(max_output_size)
        raise CorruptBodyError(f"brio body decodes past {MAX_MESSAGE} bytes, more than any brio message holds")
    if status == CORRUPT:
        raise CorruptBodyError("brio body ends before its end-of-message flag: truncated or corrupted")
    if status == NONCANONICAL:
        raise CorruptBodyError("brio body has bytes after its end, or altered final bytes: corrupted")
    assert status == OK
    return out[:count].tobytes(), count
