"""Measure aura-zstd on the shared corpora, next to the zstd anchor computed in the same run.

For each category: train a profile on ``<cat>.train.jsonl`` (zstd-dict only), then on
``<cat>.test.jsonl`` report

* the strongest zstd anchor: level 19 with a 64 KiB and a 112 KiB dictionary trained
  on the train file as ``../shared/anchors/anchors.py`` does, frames without magic
  number, content size, checksum or dictionary id; the better of the two;
* ``zstd-dict`` alone (``Compressor(codecs=["zstd-dict"])``: declined messages go raw)
  and the Compressor with every installed codec, marker byte included;
* generalization: each category's profile on every other category's test file,
  against a Compressor without a profile;
* throughput of ``zstd-dict`` through the Compressor against the zstandard library
  called directly with the same dictionary and level (CPU time, best of ``--reps``,
  alternating every 50 messages).

    python plugins/zstd/scripts/measure.py [--categories log,user] [--limit N] [--reps 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import zstandard

from aura_core import Compressor, Corpus, Profile, load_profile, train_profile
from aura_core.corpus import read_jsonl
from aura_core.registry import default_registry
from aura_zstd.part import DictionaryPart

CATEGORIES = ("ai", "user", "log", "json")
ANCHOR_KIB = (64, 112)
ANCHOR_LEVEL = 19
ZSTD_MAGIC = 4


def corpora_dir() -> Path:
    default = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora"
    return Path(os.environ.get("AURA_CORPORA", default)).resolve()


def ratio(original: int, compressed: int) -> float:
    return original / compressed


def anchor(train: Sequence[str], test: Sequence[bytes]) -> dict[str, float]:
    """zstd-19 with 64 and 112 KiB dictionaries, trained and stripped as anchors.py does."""
    samples: list[bytes | bytearray | memoryview] = [t.encode() for t in train if t]
    original = sum(map(len, test))
    out = {}
    for kib in ANCHOR_KIB:
        raw = zstandard.train_dictionary(kib * 1024, samples, threads=-1).as_bytes()
        dictionary = zstandard.ZstdCompressionDict(raw)
        dictionary.precompute_compress(level=ANCHOR_LEVEL)
        cctx = zstandard.ZstdCompressor(
            level=ANCHOR_LEVEL,
            dict_data=dictionary,
            write_content_size=False,
            write_checksum=False,
            write_dict_id=False,
        )
        out[f"{kib}k"] = ratio(original, sum(len(cctx.compress(m)) - ZSTD_MAGIC for m in test))
    return out


def compressor_ratio(compressor: Compressor, texts: Sequence[str]) -> float:
    results = compressor.compress_many(texts)
    assert compressor.decompress_many([r.compressed_data for r in results]) == list(texts)
    return ratio(sum(r.original_size for r in results), sum(r.compressed_size for r in results))


def cpu_seconds(function: Callable[[Any], object], items: Sequence[Any]) -> float:
    """CPU seconds this thread spends calling ``function`` on each of ``items``.

    Thread CPU time, not wall time: on a shared machine the time the process waits for
    a core is not counted (every call here runs on the calling thread).
    """
    started = time.thread_time()
    for item in items:
        function(item)
    return time.thread_time() - started


def throughput(profile: Profile, texts: Sequence[str], reps: int, chunk: int = 50) -> dict[str, float]:
    """zstd-dict through the Compressor vs zstandard direct, same dictionary and level (MB/s).

    The machines are shared, so the four runs alternate every ``chunk`` messages, each
    chunk keeps its best of ``reps`` rounds, and time is the thread's CPU time.
    """
    part = DictionaryPart.from_bytes(profile.parts["zstd-dict"])
    dictionary = zstandard.ZstdCompressionDict(part.dictionary, dict_type=zstandard.DICT_TYPE_FULLDICT)
    dictionary.precompute_compress(level=part.level)
    parameters = zstandard.ZstdCompressionParameters(
        compression_level=part.level, write_content_size=0, write_checksum=0, write_dict_id=0
    )
    cctx = zstandard.ZstdCompressor(compression_params=parameters, dict_data=dictionary)
    dctx = zstandard.ZstdDecompressor(dict_data=dictionary)
    data = [t.encode() for t in texts]
    bound = max(map(len, data)) + 64
    frames = [cctx.compress(d) for d in data]
    compressor = Compressor(profile=profile, codecs=["zstd-dict"])
    payloads = [compressor.compress(t).compressed_data for t in texts]
    best: dict[str, list[float]] = {}
    for start in range(0, len(texts), chunk):
        span = slice(start, start + chunk)
        runs: dict[str, tuple[Callable[[Any], object], Sequence[Any]]] = {
            "aura compress": (compressor.compress, texts[span]),
            "direct compress": (cctx.compress, data[span]),
            "aura decompress": (compressor.decompress, payloads[span]),
            "direct decompress": (partial(dctx.decompress, max_output_size=bound), frames[span]),
        }
        times = {name: float("inf") for name in runs}
        for _ in range(reps):
            for name, (function, items) in runs.items():
                times[name] = min(times[name], cpu_seconds(function, items))
        for name, seconds in times.items():
            best.setdefault(name, []).append(seconds)
    megabytes = sum(map(len, data)) / 1e6
    return {name: megabytes / sum(seconds) for name, seconds in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    parser.add_argument("--limit", type=int, default=0, help="first N test messages per category (0 = all)")
    parser.add_argument("--timing-limit", type=int, default=2000, help="messages per category for throughput")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-generalization", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--profile-dir", type=Path, help="reuse <category>.aura from here, or save them here")
    args = parser.parse_args()
    directory = corpora_dir()
    categories = args.categories.split(",")
    installed = [c.name for c in default_registry().codecs]
    print(
        f"zstandard {zstandard.__version__}, libzstd {'.'.join(map(str, zstandard.ZSTD_VERSION))}, "
        f"python {platform.python_version()}; installed codecs: {', '.join(installed)}\n"
    )

    profiles: dict[str, Profile] = {}
    tests: dict[str, list[str]] = {}
    results: dict[str, dict[str, Any]] = {}
    for category in categories:
        train = list(read_jsonl(directory / f"{category}.train.jsonl"))
        test = list(read_jsonl(directory / f"{category}.test.jsonl"))
        tests[category] = test[: args.limit] if args.limit else test
        saved = args.profile_dir / f"{category}.aura" if args.profile_dir else None
        loaded = saved is not None and saved.exists()
        started = time.perf_counter()
        if saved is not None and loaded:
            profiles[category] = load_profile(saved)
        else:
            profiles[category] = train_profile(Corpus.from_texts(train), codecs=["zstd-dict"], progress=False)
            if saved is not None:
                profiles[category].save(saved)
        train_seconds = time.perf_counter() - started
        anchors = anchor(train, [t.encode() for t in tests[category]])
        results[category] = {
            "anchors": anchors,
            "anchor": max(anchors.values()),
            "zstd-dict": compressor_ratio(
                Compressor(profile=profiles[category], codecs=["zstd-dict"]), tests[category]
            ),
            "compressor": compressor_ratio(Compressor(profile=profiles[category]), tests[category]),
            "no profile": compressor_ratio(Compressor(), tests[category]),
            "learned": profiles[category].manifest["parts"]["zstd-dict"]["summary"],
            "train seconds": train_seconds,
        }
        print(
            f"{category}: {'loaded' if loaded else 'trained'} in {train_seconds:.1f}s: {results[category]['learned']}",
            flush=True,
        )

    print("\n## Ratio on the test files (marker byte included)\n")
    print("| category | anchor 64k | anchor 112k | strongest anchor | zstd-dict | x anchor | Compressor | x anchor |")
    print("|---|---|---|---|---|---|---|---|")
    for category, r in results.items():
        a = r["anchor"]
        print(
            f"| {category} | {r['anchors']['64k']:.3f} | {r['anchors']['112k']:.3f} | {a:.3f} | {r['zstd-dict']:.3f} | "
            f"{r['zstd-dict'] / a:.3f} | {r['compressor']:.3f} | {r['compressor'] / a:.3f} |"
        )

    if not args.no_generalization and len(categories) > 1:
        print("\n## Generalization: profile of one category on another's test file (Compressor ratio)\n")
        print("| test \\ profile | no profile | " + " | ".join(categories) + " |")
        print("|---|---|" + "---|" * len(categories))
        for test_category in categories:
            base = results[test_category]["no profile"]
            cells = []
            for profile_category in categories:
                value = (
                    results[test_category]["compressor"]
                    if profile_category == test_category
                    else compressor_ratio(Compressor(profile=profiles[profile_category]), tests[test_category])
                )
                results[test_category].setdefault("generalization", {})[profile_category] = value
                cells.append(f"{value:.3f}{'' if value >= base else ' (worse)'}")
            print(f"| {test_category} | {base:.3f} | " + " | ".join(cells) + " |", flush=True)

    print(
        f"\n## Throughput of zstd-dict: through the Compressor vs zstandard direct (MB/s of CPU time, best of {args.reps})\n"
    )
    print("| category | aura compress | direct compress | ratio | aura decompress | direct decompress | ratio |")
    print("|---|---|---|---|---|---|---|")
    for category in categories:
        t = throughput(profiles[category], tests[category][: args.timing_limit], args.reps)
        results[category]["throughput"] = t
        print(
            f"| {category} | {t['aura compress']:.2f} | {t['direct compress']:.2f} | "
            f"{t['aura compress'] / t['direct compress']:.2f} | {t['aura decompress']:.1f} | "
            f"{t['direct decompress']:.1f} | {t['aura decompress'] / t['direct decompress']:.2f} |",
            flush=True,
        )

    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
