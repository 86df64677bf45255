"""Training zstd-dict: dictionary size, trainer segment size and level, chosen by measurement.

zstd's trainer (fastcover) is fast, but its own parameter search counts the
dictionary's size against it (it optimises dictionary + data as one transfer), so for
large dictionaries it settles on small, poor ones.  Here the dictionary ships once, in
the profile, and only the messages count: each candidate is trained on most of the
sample and judged by the bytes its bodies take on a held-back slice of it.

1. Dictionary sizes from 4 KiB doubling up to 2 MiB, each with two segment sizes, at
   level 19.  A larger dictionary must make the held-out bodies at least 1% smaller to
   be kept (it costs memory and speed); the search stops at the first size that does not.
2. Levels 15-22 with the winning dictionary: a higher level must save at least 0.1%.
3. The winner is trained again on the whole sample, held-out slice included.
"""

from __future__ import annotations

from collections.abc import Sequence

import zstandard
from attrs import frozen

from aura_core import Corpus, TrainContext, TrainedPart, TrainingError
from aura_zstd import block
from aura_zstd.part import PROBE_LEVEL, SCALE_BITS, DictionaryPart

#: At most this much of a corpus is sampled: zstd's trainer needs its samples in memory.
SAMPLE_BYTES = 32 << 20
#: Every HOLDOUT_EVERY-th sampled message is held out, fewer when that exceeds HOLDOUT_BYTES.
HOLDOUT_EVERY = 8
HOLDOUT_BYTES = 512 << 10
DICTIONARY_SIZES = tuple(4096 << i for i in range(10))  # 4 KiB .. 2 MiB
#: fastcover's segment size k; its dmer size d is fixed.
SEGMENT_SIZES = (256, 1024)
DMER_SIZE = 8
#: The level dictionaries are compared at, and the levels tried with the winner.
SEARCH_LEVEL = 19
LEVELS = tuple(range(15, zstandard.MAX_COMPRESSION_LEVEL + 1))
#: A larger dictionary must bring the held-out bodies under 99/100 of the best so far,
#: a higher level under 999/1000.
SIZE_GAIN = (99, 100)
LEVEL_GAIN = (999, 1000)
MIN_MESSAGES = 16
MIN_BYTES = 8192


@frozen
class Candidate:
    """One trained dictionary and the bytes its bodies took on the held-out messages."""

    size: int
    segment: int
    dictionary: bytes
    held_out: int

    def beats(self, best: Candidate | None) -> bool:
        if best is None:
            return True
        if len(self.dictionary) <= len(best.dictionary):
            return self.held_out < best.held_out
        return self.held_out * SIZE_GAIN[1] < best.held_out * SIZE_GAIN[0]


def train_part(corpus: Corpus, ctx: TrainContext) -> TrainedPart:
    """Learn a dictionary and a level from ``corpus``.

    Raises :class:`TrainingError` when the corpus is too small to learn from.
    """
    samples = [s for s in (text.encode("utf-8", "surrogatepass") for text in corpus.sample(SAMPLE_BYTES)) if s]
    sampled = sum(map(len, samples))
    if len(samples) < MIN_MESSAGES or sampled < MIN_BYTES:
        raise TrainingError(
            f"training a zstd dictionary needs at least {MIN_MESSAGES} non-empty messages and {MIN_BYTES:,} bytes; "
            f"the corpus has {len(samples):,} non-empty messages, {sampled:,} bytes. "
            "Train on more messages of the kind you will compress."
        )
    stride = max(HOLDOUT_EVERY, -(-sampled // HOLDOUT_BYTES))
    held_out = samples[stride - 1 :: stride]
    fit = [s for i, s in enumerate(samples) if i % stride != stride - 1]
    held_bytes = sum(map(len, held_out))

    best, tried = _search_dictionary(fit, held_out, ctx)
    level, level_bytes, levels = _search_level(best, held_out, ctx)
    ctx.lines.append(
        "zstd-dict held-out ratio by dictionary: "
        + ", ".join(f"{c.size >> 10}K/k{c.segment} {held_bytes / c.held_out:.3f}" for c in tried)
    )
    ctx.lines.append(
        "zstd-dict held-out ratio by level: " + ", ".join(f"{lvl} {held_bytes / size:.3f}" for lvl, size in levels)
    )
    probe = block.compressor(PROBE_LEVEL, block.digest(best.dictionary, PROBE_LEVEL))
    probe_bytes = sum(len(probe.compress(data)) for data in held_out)
    dictionary = _train(best.size, samples, best.segment)
    part = DictionaryPart(
        level=level,
        probe_scale=-(-(level_bytes << SCALE_BITS) // probe_bytes),
        dictionary=dictionary,
    )
    summary = (
        f"{len(dictionary):,}-byte dictionary (segment {best.segment}, dmer {DMER_SIZE}), level {level}, "
        f"from {len(samples):,} messages ({sampled:,} bytes); held-out ratio {held_bytes / level_bytes:.2f}"
    )
    return TrainedPart(part.to_bytes(), summary)


def _search_dictionary(
    fit: Sequence[bytes], held_out: Sequence[bytes], ctx: TrainContext
) -> tuple[Candidate, list[Candidate]]:
    """The best dictionary by held-out size, and every candidate tried."""
    fit_bytes = sum(map(len, fit))
    sizes = [size for size in DICTIONARY_SIZES if size <= fit_bytes] or [DICTIONARY_SIZES[0]]
    best: Candidate | None = None
    tried: list[Candidate] = []
    for size in ctx.track(sizes, "zstd-dict: dictionary sizes", total=len(sizes)):
        previous = best
        for segment in SEGMENT_SIZES:
            dictionary = _train(size, fit, segment)
            candidate = Candidate(size, segment, dictionary, _held_out_size(dictionary, SEARCH_LEVEL, held_out))
            tried.append(candidate)
            if candidate.beats(best):
                best = candidate
        if previous is not None and best is previous:
            break
    assert best is not None  # sizes is never empty
    return best, tried


def _search_level(
    best: Candidate, held_out: Sequence[bytes], ctx: TrainContext
) -> tuple[int, int, list[tuple[int, int]]]:
    """The level to use with ``best``, its held-out size, and every level's size."""
    chosen: tuple[int, int] | None = None
    sizes: list[tuple[int, int]] = []
    for level in ctx.track(LEVELS, "zstd-dict: levels", total=len(LEVELS)):
        size = best.held_out if level == SEARCH_LEVEL else _held_out_size(best.dictionary, level, held_out)
        sizes.append((level, size))
        if chosen is None or size * LEVEL_GAIN[1] < chosen[1] * LEVEL_GAIN[0]:
            chosen = (level, size)
    assert chosen is not None  # LEVELS is never empty
    return chosen[0], chosen[1], sizes


def _train(size: int, samples: Sequence[bytes], segment: int) -> bytes:
    """One fastcover run with fixed parameters, on every sample given."""
    buffers: list[bytes | bytearray | memoryview] = list(samples)
    try:
        trained = zstandard.train_dictionary(size, buffers, k=segment, d=DMER_SIZE, split_point=1.0)
    except zstandard.ZstdError as exc:
        raise TrainingError(
            f"zstd's dictionary trainer found nothing to learn in this corpus ({exc}); "
            "train on more, and more repetitive, messages of the kind you will compress"
        ) from None
    return trained.as_bytes()


def _held_out_size(dictionary: bytes, level: int, messages: Sequence[bytes]) -> int:
    """Bytes of the blocks ``dictionary`` at ``level`` makes of ``messages`` (declined ones count raw)."""
    compressor = block.compressor(level, block.digest(dictionary, level))
    total = 0
    for data in messages:
        compressed = block.block_of(compressor.compress(data))
        total += len(data) if compressed is None else len(compressed)
    return total
