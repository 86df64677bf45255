"""Measuring one contender on one test set: sizes, round trips, timings, memory.

A contender is anything that turns a message into a payload and back: a Compressor
restricted to one codec, the selector, the oracle, or an anchor.  Every message is
encoded and decoded on its own; the first pass checks each round trip and counts the
bytes, and every pass is timed per size bucket, keeping the best of ``reps`` passes
(these machines are shared, so the fastest pass is the least disturbed one).
"""

from __future__ import annotations

import bisect
import gc
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from attrs import field, frozen

#: Upper bounds (UTF-8 bytes, inclusive) of the size buckets; the last bucket is open.
BUCKET_LIMITS = (64, 256, 1024, 4096)
BUCKET_LABELS = ("<=64 B", "<=256 B", "<=1 KiB", "<=4 KiB", ">4 KiB")
#: Messages the memory pass compresses and decompresses (plus the largest one).
MEMORY_MESSAGES = 200
#: Failures kept with their details per row; the rest are only counted.
MAX_FAILURE_DETAILS = 5


def bucket_of(size: int) -> int:
    return bisect.bisect_left(BUCKET_LIMITS, size)


@frozen
class MessageSet:
    """The test messages, their UTF-8 bytes, and which messages fall in which bucket."""

    texts: tuple[str, ...]
    datas: tuple[bytes, ...]
    buckets: tuple[tuple[int, ...], ...]

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> MessageSet:
        datas = tuple(t.encode("utf-8") for t in texts)
        members: list[list[int]] = [[] for _ in BUCKET_LABELS]
        for index, data in enumerate(datas):
            members[bucket_of(len(data))].append(index)
        return cls(tuple(texts), datas, tuple(tuple(m) for m in members))

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def total_bytes(self) -> int:
        return sum(map(len, self.datas))

    @property
    def output_bound(self) -> int:
        """One output bound for the whole file, as the anchors use: largest message + 64 B."""
        return max(map(len, self.datas), default=0) + 64

    def memory_sample(self) -> list[int]:
        """The first messages and the largest one: what the memory pass runs."""
        indices = list(range(min(MEMORY_MESSAGES, len(self))))
        if self.datas:
            largest = max(range(len(self)), key=lambda i: len(self.datas[i]))
            if largest not in indices:
                indices.append(largest)
        return indices


@frozen
class Engine:
    """A contender ready to run: the calls the timed loops make."""

    #: True when ``compress`` takes the text, False when it takes the UTF-8 bytes.
    takes_text: bool
    compress: Callable[[Any], Any]
    decompress: Callable[[bytes], str | bytes]
    #: Turns what ``compress`` returned into (payload, name of the method that made it).
    unpack: Callable[[Any], tuple[bytes, str]]


@frozen
class Contender:
    """One row of the report, and how to build what it measures."""

    name: str
    #: "codec", "selector", "oracle", "anchor" or "baseline".
    kind: str
    build: Callable[[], Engine]
    #: Bytes of trained state this row encodes with (its profile part or dictionary).
    state_bytes: int | None = None
    train_seconds: float | None = None
    #: Measure the peak Python heap of building and running it (the selector: the Compressor users run).
    measure_memory: bool = False

    @property
    def framing(self) -> str:
        """AURA payloads carry their marker byte; anchors are bare codec output."""
        return "bare" if self.kind in ("anchor", "baseline") else "marker"


@frozen
class Timing:
    """Best time over the measured passes for some messages."""

    seconds: float
    messages: int
    bytes: int

    @property
    def messages_per_second(self) -> float | None:
        return self.messages / self.seconds if self.seconds > 0 else None

    @property
    def megabytes_per_second(self) -> float | None:
        """Original UTF-8 bytes per second, 1 MB = 10^6 B."""
        return self.bytes / self.seconds / 1e6 if self.seconds > 0 else None

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.seconds + other.seconds, self.messages + other.messages, self.bytes + other.bytes)


NO_TIME = Timing(0.0, 0, 0)


@frozen
class BucketResult:
    label: str
    messages: int
    original_bytes: int
    encoded_bytes: int
    compress: Timing
    decompress: Timing

    @property
    def ratio(self) -> float | None:
        return self.original_bytes / self.encoded_bytes if self.encoded_bytes else None


@frozen
class Failure:
    """A message that did not come back exactly."""

    index: int
    #: "compress", "decompress" or "mismatch".
    stage: str
    detail: str


@frozen
class RowResult:
    """Everything measured for one contender on one test set."""

    name: str
    kind: str
    framing: str
    messages: int
    original_bytes: int
    encoded_bytes: int
    #: The method (codec name) that produced each message's payload.
    methods: tuple[str, ...] = field(repr=False)
    #: Timed passes made (the best one counts).
    passes: int
    compress: Timing
    decompress: Timing
    buckets: tuple[BucketResult, ...]
    failure_count: int
    failures: tuple[Failure, ...]
    peak_memory: int | None
    state_bytes: int | None
    train_seconds: float | None

    @property
    def ratio(self) -> float | None:
        return self.original_bytes / self.encoded_bytes if self.encoded_bytes else None

    @property
    def bytes_saved(self) -> int:
        return self.original_bytes - self.encoded_bytes

    @property
    def wins(self) -> dict[str, int]:
        """Messages per method, most first."""
        return dict(Counter(self.methods).most_common())


class _Raised:
    """Stands in a loop's output list for a call that raised."""

    __slots__ = ("error",)

    def __init__(self, error: Exception) -> None:
        self.error = error


def _timed_map(function: Callable[[Any], Any], items: Sequence[Any]) -> tuple[float, list[Any]]:
    """Call ``function`` on every item; a broken codec must not stop the benchmark."""
    out: list[Any] = []
    append = out.append
    started = time.perf_counter()
    for item in items:
        try:
            append(function(item))
        except Exception as exc:  # measured code may raise anything; it is reported, not fatal
            append(_Raised(exc))
    return time.perf_counter() - started, out


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection inside a timed loop: it would land on a random row."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def measure(contender: Contender, messages: MessageSet, reps: int = 1, budget: float | None = None) -> RowResult:
    """Encode and decode every message up to ``reps`` times; check the first pass exactly.

    Passes after the first are made only while the row's passes so far took less than
    ``budget`` seconds: repeating cuts noise on fast rows, and slow rows (seconds per
    pass) are not worth the minutes.
    """
    engine, peak = traced_build(contender, messages) if contender.measure_memory else (contender.build(), None)
    inputs = messages.texts if engine.takes_text else messages.datas
    count = len(messages)
    payloads: list[bytes | None] = [None] * count
    methods = ["(failed)"] * count
    failures: list[Failure] = []
    best_compress = [float("inf")] * len(BUCKET_LABELS)
    best_decompress = [float("inf")] * len(BUCKET_LABELS)
    gc.collect()
    started = time.perf_counter()
    passes = 0
    while passes < max(1, reps) and (passes == 0 or budget is None or time.perf_counter() - started < budget):
        rep, passes = passes, passes + 1
        for bucket, members in enumerate(messages.buckets):
            if not members:
                continue
            with _quiet_gc():
                seconds, outputs = _timed_map(engine.compress, [inputs[i] for i in members])
            best_compress[bucket] = min(best_compress[bucket], seconds)
            if rep == 0:
                for index, output in zip(members, outputs, strict=True):
                    if isinstance(output, _Raised):
                        failures.append(Failure(index, "compress", _describe(output.error)))
                    else:
                        payloads[index], methods[index] = engine.unpack(output)
            encoded = [i for i in members if payloads[i] is not None]
            with _quiet_gc():
                seconds, outputs = _timed_map(engine.decompress, [payloads[i] for i in encoded])
            best_decompress[bucket] = min(best_decompress[bucket], seconds)
            if rep == 0:
                for index, output in zip(encoded, outputs, strict=True):
                    if isinstance(output, _Raised):
                        failures.append(Failure(index, "decompress", _describe(output.error)))
                    elif output != inputs[index]:
                        failures.append(
                            Failure(index, "mismatch", f"decoded {output[:60]!r}, expected {inputs[index][:60]!r}")
                        )
    sizes = [len(p) if p is not None else len(messages.datas[i]) for i, p in enumerate(payloads)]
    buckets = []
    for bucket, members in enumerate(messages.buckets):
        original = sum(len(messages.datas[i]) for i in members)
        decoded = [i for i in members if payloads[i] is not None]
        buckets.append(
            BucketResult(
                label=BUCKET_LABELS[bucket],
                messages=len(members),
                original_bytes=original,
                encoded_bytes=sum(sizes[i] for i in members),
                compress=Timing(best_compress[bucket], len(members), original) if members else NO_TIME,
                decompress=Timing(best_decompress[bucket], len(decoded), sum(len(messages.datas[i]) for i in decoded))
                if members
                else NO_TIME,
            )
        )
    failures.sort(key=lambda f: f.index)
    return RowResult(
        name=contender.name,
        kind=contender.kind,
        framing=contender.framing,
        messages=count,
        original_bytes=messages.total_bytes,
        encoded_bytes=sum(sizes),
        methods=tuple(methods),
        passes=passes,
        compress=sum((b.compress for b in buckets), NO_TIME),
        decompress=sum((b.decompress for b in buckets), NO_TIME),
        buckets=tuple(buckets),
        failure_count=len(failures),
        failures=tuple(failures[:MAX_FAILURE_DETAILS]),
        peak_memory=peak,
        state_bytes=contender.state_bytes,
        train_seconds=contender.train_seconds,
    )


def traced_build(contender: Contender, messages: MessageSet) -> tuple[Engine, int]:
    """Build the contender and run a sample through it under tracemalloc; return it and the peak.

    The peak is that of Python's heap: memory that C libraries allocate outside Python's
    allocator is not seen.
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    try:
        engine = contender.build()
        inputs = messages.texts if engine.takes_text else messages.datas
        for index in messages.memory_sample():
            try:
                engine.decompress(engine.unpack(engine.compress(inputs[index]))[0])
            except Exception:  # failures are counted by the measuring pass
                continue
        return engine, max(0, tracemalloc.get_traced_memory()[1] - baseline)
    finally:
        if not was_tracing:
            tracemalloc.stop()
