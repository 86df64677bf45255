"""One benchmark run: for each test set, train a profile, build the rows, measure them.

Both ``aura bench`` and ``aura demo`` run through :func:`run`; they differ only in
their :class:`Options` and in how much of the result they print.
"""

from __future__ import annotations

import functools
import os
import platform
import time
import zlib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import brotli  # type: ignore[import-untyped]
from attrs import field, frozen

from aura_core import __version__
from aura_core.bench.anchors import BASELINE, Anchor, build_anchors, has_zstandard, zstandard_module
from aura_core.bench.measure import Contender, Engine, MessageSet, RowResult, measure
from aura_core.compressor import Compressor, CompressResult
from aura_core.corpus import Corpus, read_jsonl
from aura_core.errors import TrainingError
from aura_core.profile import Profile
from aura_core.progress import track
from aura_core.registry import Registry, default_registry
from aura_core.training import train_profile


@frozen
class BenchSet:
    """One test file, named for the report, and the train file its profile learns from."""

    name: str
    test: Path
    train: Path | None = None

    @classmethod
    def from_corpora(cls, directory: Path, categories: Sequence[str] = ()) -> list[BenchSet]:
        """Every ``<cat>.test.jsonl`` in ``directory``, paired with ``<cat>.train.jsonl`` if present."""
        sets = []
        for test in sorted(directory.glob("*.test.jsonl")):
            name = test.name.removesuffix(".test.jsonl")
            if categories and name not in categories:
                continue
            train = test.with_name(f"{name}.train.jsonl")
            sets.append(cls(name, test, train if train.exists() else None))
        return sets

    @classmethod
    def from_file(cls, test: Path, train: Path | None = None) -> BenchSet:
        return cls(test.name.removesuffix(".jsonl").removesuffix(".test"), test, train)


@frozen
class Options:
    """What to run; the defaults are those of ``aura bench``."""

    #: Timed passes per row (the first also checks every round trip); the best one counts.
    reps: int = 3
    #: No further pass once a row's passes took this many seconds (None: always ``reps``).
    rep_budget: float | None = 20.0
    #: Measure only the first N messages of each test file.
    max_messages: int | None = None
    #: Train on only the first N messages of each train file.
    max_train_messages: int | None = None
    #: Leave out anchors that compress under 1 MB/s (brotli-11).
    skip_slow: bool = False
    #: Fractions of the train file to time training on (the whole file is always timed).
    train_sizes: tuple[float, ...] = (0.125, 0.25, 0.5)
    #: Measure the selector's peak Python heap (a second pass under tracemalloc).
    measure_memory: bool = True
    #: Build the zstd anchors and the zstd-3 baseline (needs the ``bench`` extra).
    with_zstd: bool = True
    progress: bool = True
    #: Encode with this profile instead of training one per set.
    profile: Profile | None = None
    registry: Registry | None = field(default=None, eq=False)


@frozen
class TrainingPoint:
    """How long training a profile took on a prefix of the train file."""

    messages: int
    bytes: int
    seconds: float | None
    profile_bytes: int | None
    error: str | None = None


@frozen
class SetResult:
    name: str
    test: str
    train: str | None
    messages: int
    original_bytes: int
    profile_id: int | None
    profile_bytes: int | None
    profile_parts: dict[str, int]
    train_seconds: float | None
    rows: tuple[RowResult, ...]
    training_curve: tuple[TrainingPoint, ...]
    notes: tuple[str, ...]

    def row(self, name: str) -> RowResult | None:
        return next((r for r in self.rows if r.name == name), None)


@frozen
class BenchResult:
    sets: tuple[SetResult, ...]
    options: dict[str, Any]
    environment: dict[str, Any]

    @property
    def failure_count(self) -> int:
        return sum(row.failure_count for s in self.sets for row in s.rows)

    @property
    def ok(self) -> bool:
        return self.failure_count == 0


def _compressor_engine(compressor: Compressor) -> Engine:
    def unpack(result: CompressResult) -> tuple[bytes, str]:
        return result.compressed_data, result.method

    return Engine(True, compressor.compress, compressor.decompress, unpack)


def _anchor_contender(anchor: Anchor, kind: str) -> Contender:
    def build() -> Engine:
        return Engine(False, anchor.compress, anchor.decompress, lambda payload: (payload, anchor.name))

    return Contender(anchor.name, kind, build, anchor.state_bytes, anchor.train_seconds)


def compressor_contenders(registry: Registry, profile: Profile | None, measure_memory: bool = True) -> list[Contender]:
    """Every installed codec alone (with the raw fallback), the selector, and the oracle.

    The codec rows are restricted copies of one Compressor, so a profile's trained state
    (which can take seconds to build) is loaded once for all of them; the selector and
    the oracle are built afresh, the selector under tracemalloc when ``measure_memory``.
    """

    def fresh(oracle: bool = False) -> Compressor:
        return Compressor(profile=profile, registry=registry, oracle=oracle)

    shared = functools.cache(fresh)

    def alone(name: str) -> Contender:
        def build() -> Engine:
            return _compressor_engine(shared().restricted([name]))

        part = profile.parts.get(name) if profile is not None else None
        return Contender(name, "codec", build, None if part is None else len(part))

    whole = len(profile.to_bytes()) if profile is not None else None
    return [
        *(alone(codec.name) for codec in registry.codecs),
        Contender("selector", "selector", lambda: _compressor_engine(fresh()), whole, measure_memory=measure_memory),
        Contender("oracle", "oracle", lambda: _compressor_engine(fresh(oracle=True)), whole),
    ]


def _train(texts: list[str], registry: Registry, progress: bool) -> tuple[Profile | None, TrainingPoint]:
    """Train a profile on ``texts``; the point says how long it took, or why it failed."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    started = time.perf_counter()
    try:
        profile = train_profile(Corpus.from_texts(texts), progress=progress, registry=registry)
    except TrainingError as exc:
        return None, TrainingPoint(len(texts), size, None, None, str(exc))
    return profile, TrainingPoint(len(texts), size, time.perf_counter() - started, len(profile.to_bytes()))


def training_curve(
    texts: list[str], fractions: Sequence[float], registry: Registry, progress: bool = False
) -> list[TrainingPoint]:
    """Training time on growing prefixes of the train file (the whole file is timed by the caller)."""
    points = []
    for fraction in sorted(set(fractions)):
        count = int(len(texts) * fraction)
        if 0 < count < len(texts):
            points.append(_train(texts[:count], registry, progress)[1])
    return points


def run_set(bench_set: BenchSet, options: Options) -> SetResult:
    """Train (if there is a train file), then measure every row on the test file."""
    registry = options.registry or default_registry()
    texts = list(read_jsonl(bench_set.test))[: options.max_messages]
    messages = MessageSet.from_texts(texts)
    notes: list[str] = []
    train: list[str] | None = None
    if bench_set.train is not None:
        train = list(read_jsonl(bench_set.train))[: options.max_train_messages]
    profile = options.profile
    seconds: float | None = None
    curve: list[TrainingPoint] = []
    if profile is None and train is not None:
        profile, full = _train(train, registry, options.progress)
        seconds = full.seconds
        if profile is None:
            notes.append(f"no profile: {full.error}")
        else:
            curve = [*training_curve(train, options.train_sizes, registry, options.progress), full]
    anchors = build_anchors(messages.output_bound, train, with_zstd=options.with_zstd, skip_slow=options.skip_slow)
    notes.extend(anchors.notes)
    contenders = compressor_contenders(registry, profile, options.measure_memory)
    contenders += [_anchor_contender(a, "baseline" if a.name == BASELINE else "anchor") for a in anchors.anchors]
    rows = [
        measure(contender, messages, options.reps, options.rep_budget)
        for contender in track(contenders, f"{bench_set.name}: measuring", enabled=options.progress)
    ]
    return SetResult(
        name=bench_set.name,
        test=str(bench_set.test),
        train=str(bench_set.train) if bench_set.train else None,
        messages=len(messages),
        original_bytes=messages.total_bytes,
        profile_id=profile.profile_id if profile else None,
        profile_bytes=len(profile.to_bytes()) if profile else None,
        profile_parts={name: len(part) for name, part in profile.parts.items()} if profile else {},
        train_seconds=seconds,
        rows=tuple(rows),
        training_curve=tuple(curve),
        notes=tuple(notes),
    )


def environment(registry: Registry) -> dict[str, Any]:
    """Versions that decide the numbers: Python, libraries, installed plugins, CPU."""
    libraries: dict[str, str] = {"brotli": getattr(brotli, "__version__", "?"), "zlib": zlib.ZLIB_RUNTIME_VERSION}
    if has_zstandard():
        zstd = zstandard_module()
        libraries["zstandard"] = zstd.__version__
        libraries["libzstd"] = ".".join(map(str, zstd.ZSTD_VERSION))
    try:
        libraries["matplotlib"] = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        pass
    return {
        "aura_core": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "libraries": libraries,
        "plugins": [
            {
                "name": p.name,
                "distribution": p.distribution,
                "version": p.version,
                "status": p.status,
                "codecs": [c.name for c in p.codecs],
            }
            for p in registry.plugins
        ],
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(sets: Sequence[BenchSet], options: Options) -> BenchResult:
    registry = options.registry or default_registry()
    results = tuple(run_set(s, options) for s in sets)
    settings: dict[str, Any] = {
        "reps": options.reps,
        "rep_budget": options.rep_budget,
        "max_messages": options.max_messages,
        "max_train_messages": options.max_train_messages,
        "skip_slow": options.skip_slow,
        "train_sizes": list(options.train_sizes),
        "with_zstd": options.with_zstd,
        "measure_memory": options.measure_memory,
        "profile": options.profile.profile_id if options.profile else None,
    }
    return BenchResult(results, settings, environment(registry))
