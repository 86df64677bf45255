"""Measure BRIO against the anchors in one run: ratio, throughput, profile size, memory, training time.

For each category: train a profile holding only the brio part on <cat>.train.jsonl,
encode every message of <cat>.test.jsonl on its own with brio alone (marker byte and
profile reference included; a message brio declines is charged raw + 1), and next to
it, in the same process, the strongest zstd-dict anchor (64 and 112 KiB dictionaries
trained on the same train file, level 19, frame magic, content size, checksum and
dict id stripped, as in shared/anchors) and brotli quality 11's compress throughput on
the same messages.  Each category runs in its own process so its memory figures are
its own; the memory a user sees is measured in yet another process that only loads
the saved profile into a Compressor (every installed codec, as `aura` would) and
round-trips messages with it.

    python scripts/measure.py                      # all categories, whole files
    python scripts/measure.py --test-limit 300     # quicker, subsampled test files
    python scripts/measure.py --curve ai,user      # ratio vs table size
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPORA = Path(os.environ.get("AURA_CORPORA", Path(__file__).resolve().parents[3].parent / "shared" / "corpora"))
CATEGORIES = ("ai", "user", "log", "json")
DICT_KIB = (64, 112)


def rss_mib(field: str = "VmRSS") -> float:
    """Resident memory now (VmRSS) or its high-water mark (VmHWM) of this process, in MiB.

    VmHWM rather than getrusage's ru_maxrss: a child started by fork and exec
    inherits its parent's ru_maxrss, but VmHWM starts afresh with the new program.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(category: str, split: str, limit: int | None) -> list[str]:
    from aura_core.corpus import read_jsonl

    return list(itertools.islice(read_jsonl(CORPORA / f"{category}.{split}.jsonl"), limit))


def zstd_dict_ratio(train: list[bytes], test: list[bytes]) -> tuple[str, float]:
    """The strongest zstd-dict anchor row (magicless, level 19) measured here and now."""
    import zstandard

    best = ("", 0.0)
    samples = [m for m in train if m]
    for kib in DICT_KIB:
        raw = zstandard.train_dictionary(kib * 1024, samples, threads=-1).as_bytes()
        cctx = zstandard.ZstdCompressor(
            level=19,
            dict_data=zstandard.ZstdCompressionDict(raw),
            write_content_size=False,
            write_checksum=False,
            write_dict_id=False,
        )
        size = sum(len(cctx.compress(m)) - 4 for m in test)
        ratio = sum(map(len, test)) / size
        if ratio > best[1]:
            best = (f"zstd-dict{kib}k-19", ratio)
    return best


def best_time(func, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def one(category: str, args: argparse.Namespace) -> dict[str, object]:
    import brotli
    from aura_brio import BrioCodec

    import aura_core.builtins
    from aura_core import Compressor, Registry, train_profile

    base_rss = rss_mib()
    train = load(category, "train", args.train_limit)
    test = load(category, "test", args.test_limit)
    test_bytes = [t.encode("utf-8") for t in test]
    registry = Registry()
    registry.register_plugin(aura_core.builtins, "core")
    codec = BrioCodec(table_bits=args.table_bits)
    registry.register(codec)

    start = time.perf_counter()
    profile = train_profile(train, progress=False, codecs=["brio"], registry=registry)
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    compressor = Compressor(profile=profile, codecs=["brio"], registry=registry)
    load_s = time.perf_counter() - start
    loaded_rss = rss_mib()
    state = compressor.context.encoding_state(codec)[1]

    ctx = compressor.context
    payloads = []
    for text, data in zip(test, test_bytes):
        body = codec.encode(text, data, ctx)
        payloads.append(b"\x05" + body if body is not None else b"\x00" + data)
    for text, payload in zip(test, payloads):
        assert compressor.decompress(payload) == text
    ratio = sum(map(len, test_bytes)) / sum(map(len, payloads))
    anchor = ("", float("nan"))
    if not args.no_anchor:
        anchor = zstd_dict_ratio([t.encode("utf-8") for t in train], test_bytes)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{category}.aura"
        profile.save(path)
        holding = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one-load",
                    str(path),
                    "--categories",
                    category,
                    f"--test-limit={args.throughput_messages}",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

    timed = list(zip(test, test_bytes, payloads))[: args.throughput_messages]
    timed_bytes = sum(len(d) for _, d, _ in timed)
    brotli_s = best_time(lambda: [brotli.compress(d, quality=11) for _, d, _ in timed], args.reps)
    encode_s = best_time(lambda: [codec.encode(t, d, ctx) for t, d, _ in timed], args.reps)
    decode_s = best_time(lambda: [codec.decode(p[1:], ctx) for _, _, p in timed if p[0] == 5], args.reps)
    return {
        "category": category,
        "train_messages": len(train),
        "test_messages": len(test),
        "test_bytes": sum(map(len, test_bytes)),
        "brio_ratio": round(ratio, 3),
        "anchor": anchor[0],
        "anchor_ratio": round(anchor[1], 3),
        "vs_anchor": round(ratio / anchor[1], 3),
        "part_bytes": len(profile.parts["brio"]),
        "train_s": round(train_s, 2),
        "load_s": round(load_s, 2),
        "table_mib": round(state.resident_bytes / 2**20, 1),
        "rss_before_mib": round(base_rss, 1),
        "rss_loaded_mib": round(loaded_rss, 1),
        "peak_rss_mib": round(rss_mib("VmHWM"), 1),
        "compressor_rss_mib": holding["rss_mib"],
        "compressor_peak_mib": holding["peak_mib"],
        "throughput_bytes": timed_bytes,
        "brotli11_mbs": round(timed_bytes / brotli_s / 1e6, 3),
        "encode_mbs": round(timed_bytes / encode_s / 1e6, 3),
        "decode_mbs": round(timed_bytes / decode_s / 1e6, 3),
    }


def holding(path: Path, category: str, args: argparse.Namespace) -> dict[str, float]:
    """Memory of a process that only loads the profile into a Compressor and uses it."""
    from aura_core import Compressor

    compressor = Compressor(profile=path)
    for text in load(category, "test", args.test_limit):
        assert compressor.decompress(compressor.compress(text).compressed_data) == text
    return {"rss_mib": round(rss_mib(), 1), "peak_mib": round(rss_mib("VmHWM"), 1)}


def curve(category: str, args: argparse.Namespace) -> list[dict[str, object]]:
    """Ratio against table size: one training text, the tables rebuilt at each size."""
    from aura_brio.codec import BrioCodec
    from aura_brio.part import Part, TableSizes

    from aura_core import Compressor, Corpus, Profile, TrainContext

    train = load(category, "train", args.train_limit)
    test = load(category, "test", args.test_limit)
    codec = BrioCodec()
    quiet = TrainContext(normalizers=(), progress=False)
    data = codec.train(Corpus.from_texts(train), quiet).data
    trained = Part.from_bytes(data)
    rows = []
    for bits in (int(b) for b in args.curve_bits.split(",")):
        sizes = TableSizes.for_text(trained.text_bytes, bits)
        part = Part.resized(data, sizes)
        profile = Profile.create(1, {"brio": part}, {}, {"brio": "measure"}, len(train), trained.text_bytes)
        compressor = Compressor(profile=profile, codecs=["brio"])
        state = compressor.context.encoding_state(compressor.registry.codec("brio"))[1]
        size = sum(len(compressor.compress(t).compressed_data) for t in test)
        rows.append(
            {
                "category": category,
                "table_bits": bits,
                "table_mib": round(state.resident_bytes / 2**20, 1),
                "brio_ratio": round(sum(len(t.encode()) for t in test) / size, 3),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    return rows


def table(rows: list[dict[str, object]]) -> str:
    header = (
        "| category | brio ratio | strongest zstd-dict (same run) | brio / anchor | brotli-11 comp MB/s | "
        "brio comp MB/s | brio decomp MB/s | part MB | model MiB | Compressor RSS / peak MiB | "
        "measuring process RSS / peak MiB | train s | load (priming) s |"
    )
    lines = [
        header,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['category']} | {r['brio_ratio']:.2f} | {r['anchor']} {r['anchor_ratio']:.2f} | "
            f"{r['vs_anchor']:.2f}x | {r['brotli11_mbs']:.2f} | {r['encode_mbs']:.2f} | {r['decode_mbs']:.2f} | "
            f"{r['part_bytes'] / 1e6:.2f} | {r['table_mib']} | {r['compressor_rss_mib']} / {r['compressor_peak_mib']} | "
            f"{r['rss_loaded_mib']} / {r['peak_rss_mib']} | "
            f"{r['train_s']} | {r['load_s']} |"
        )
    return "\n".join(lines)


def spawn(category: str, argv: list[str]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--one", category, *argv], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    parser.add_argument("--train-limit", type=int, default=None, help="first N train messages")
    parser.add_argument("--test-limit", type=int, default=None, help="first N test messages")
    parser.add_argument("--throughput-messages", type=int, default=400, help="messages timed per category")
    parser.add_argument("--reps", type=int, default=2, help="timing repetitions (best of)")
    parser.add_argument("--table-bits", type=int, default=19)
    parser.add_argument("--no-anchor", action="store_true", help="skip the zstd-dict anchor")
    parser.add_argument("--curve", default="", help="categories for the ratio-vs-table-size curve")
    parser.add_argument("--curve-bits", default="16,18,19,20,21")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--one-curve", help=argparse.SUPPRESS)
    parser.add_argument("--one-load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args)))
        return
    if args.one_load:
        print(json.dumps(holding(args.one_load, args.categories, args)))
        return
    if args.one_curve:
        print(json.dumps(curve(args.one_curve, args)))
        return
    passthrough = [
        f"--throughput-messages={args.throughput_messages}",
        f"--reps={args.reps}",
        *(["--no-anchor"] if args.no_anchor else []),
        *([f"--train-limit={args.train_limit}"] if args.train_limit else []),
        *([f"--test-limit={args.test_limit}"] if args.test_limit else []),
    ]
    rows = []
    if args.curve:
        for category in args.curve.split(","):
            result = subprocess.run(
                [sys.executable, __file__, "--one-curve", category, *passthrough, f"--curve-bits={args.curve_bits}"],
                check=True,
                capture_output=True,
                text=True,
            )
            rows += json.loads(result.stdout.strip().splitlines()[-1])
        print("| category | table bits (orders >= 3) | model MiB | brio ratio |")
        print("|---|---|---|---|")
        for r in rows:
            print(f"| {r['category']} | {r['table_bits']} | {r['table_mib']} | {r['brio_ratio']:.3f} |")
    else:
        for category in args.categories.split(","):
            rows.append(spawn(category, [*passthrough, f"--table-bits={args.table_bits}"]))
            print(json.dumps(rows[-1]), file=sys.stderr)
        print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
