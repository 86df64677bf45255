"""zstd-dict (0x03): zstd with a dictionary trained into the profile.

The body is the 2-byte profile reference followed by one compressed zstd block made
with the profile's dictionary (:mod:`aura_zstd.block`).  Which dictionary and which
level are the profile's business (:mod:`aura_zstd.training`); decoding needs only the
dictionary, and a body made with another profile's dictionary is refused by its
reference (``ProfileMismatchError``) before zstd sees it.
"""

from __future__ import annotations

import zstandard
from attrs import frozen

from aura_core import Codec, CodecContext, Corpus, ProfileFormatError, TrainContext, TrainedPart
from aura_zstd import REQUIRES_CORE, __version__, block
from aura_zstd.part import PROBE_LEVEL, DictionaryPart
from aura_zstd.perthread import PerThread
from aura_zstd.training import train_part


@frozen
class DictionaryState:
    """A profile's dictionary digested once per Compressor, with contexts per thread."""

    part: DictionaryPart
    compressors: PerThread[zstandard.ZstdCompressor]
    decompressors: PerThread[zstandard.ZstdDecompressor]
    #: Quick level-3 compressions with and without the dictionary, for :meth:`estimate`.
    probes: PerThread[zstandard.ZstdCompressor]
    plain_probes: PerThread[zstandard.ZstdCompressor]

    @classmethod
    def load(cls, part: DictionaryPart) -> DictionaryState:
        """Digest the dictionary for compression and decompression; refuse an invalid one.

        Every digested form is built here, on the loading thread: afterwards the
        threads' contexts only read them, which zstd allows concurrently.
        """
        try:
            dictionary = block.digest(part.dictionary, part.level)
            probe_dictionary = block.digest(part.dictionary, PROBE_LEVEL)
            decompressors = PerThread(lambda: block.decompressor(dictionary))
            decompressors.get()  # digests the decompression side now, on this thread
        except zstandard.ZstdError as exc:
            raise ProfileFormatError(f"zstd-dict part holds an invalid zstd dictionary: {exc}") from None
        return cls(
            part=part,
            compressors=PerThread(lambda: block.compressor(part.level, dictionary)),
            decompressors=decompressors,
            probes=PerThread(lambda: block.compressor(PROBE_LEVEL, probe_dictionary)),
            plain_probes=PerThread(lambda: block.compressor(PROBE_LEVEL)),
        )

    def estimate(self, data: bytes, reference_size: int) -> int:
        """The expected body size for ``data``; no less than raw when the dictionary does not help.

        Both probes are quick level-3 compressions.  When the one with the dictionary
        does not beat the one without by more than the profile reference costs, the
        message is not of the profile's kind and the estimate is "no better than raw":
        it ranks behind every codec that expects a gain (brotli's and zstd's estimates
        are below the text's size), so the selector tries the candidates it would have
        without a profile, and a profile does not make a Compressor worse.
        """
        probe = len(self.probes.get().compress(data))
        if probe + reference_size >= len(self.plain_probes.get().compress(data)):
            return len(data) + reference_size
        return reference_size + self.part.estimate(probe)


class ZstdDictCodec(Codec):
    name = "zstd-dict"
    marker = 0x03
    version = __version__
    requires_core = REQUIRES_CORE
    releases_gil = True
    trainable = True

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int | None:
        held = ctx.encoding_state(self)
        if held is None:
            return None
        state: DictionaryState
        reference, state = held
        return state.estimate(data, len(reference))

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        held = ctx.encoding_state(self)
        if held is None:
            return None
        state: DictionaryState
        reference, state = held
        compressed = block.block_of(state.compressors.get().compress(data))
        return None if compressed is None else reference + compressed

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        state, pos = ctx.decoding_state(self, body)
        return block.inflate(state.decompressors.get(), body[pos:], ctx, "zstd-dict body")

    def train(self, corpus: Corpus, ctx: TrainContext) -> TrainedPart:
        return train_part(corpus, ctx)

    def load_state(self, data: bytes) -> DictionaryState:
        return DictionaryState.load(DictionaryPart.from_bytes(data))
