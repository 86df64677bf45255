"""Measure aura-templates on the shared corpora, next to anchors computed in the same run.

For each category: train a profile on ``<cat>.train.jsonl`` with every installed
trainable codec, then on ``<cat>.test.jsonl`` report

* the template hit share (messages the Compressor sent with the templates codec) and
  the match share (messages some template matched at all),
* the Compressor's ratio with every installed codec ("with"), the same Compressor
  restricted to the codecs other than templates ("without", ``codecs=``), and one
  restricted to templates (and raw) alone ("only"),
* the strongest zstd-dict anchor: zstd level 19 with a 64 KiB and a 112 KiB
  dictionary trained on the train file, frames without magic, size, checksum or
  dictionary id (as in ../shared/anchors/anchors.py, magicless table).

Then matching throughput with 10,000 generated templates relative to 100, on the
same messages (each rendered from a template both sets hold).

    python plugins/templates/scripts/measure.py [--limit N] [--categories log,json] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import zstandard
from aura_templates.index import TemplateIndex
from aura_templates.template import NUM, TEXT, Slot, Template

from aura_core import Compressor, train_profile
from aura_core.corpus import read_jsonl
from aura_core.registry import default_registry

ZSTD_MAGIC = 4


def corpora_dir() -> Path:
    default = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora"
    return Path(os.environ.get("AURA_CORPORA", default)).resolve()


def zstd_dict_anchor(train: list[str], test: list[bytes]) -> dict[str, float]:
    samples = [t.encode() for t in train if t]
    out = {}
    for kib in (64, 112):
        raw = zstandard.train_dictionary(kib * 1024, samples, threads=-1).as_bytes()
        cctx = zstandard.ZstdCompressor(
            level=19, dict_data=zstandard.ZstdCompressionDict(raw),
            write_content_size=False, write_checksum=False, write_dict_id=False,
        )
        size = sum(len(cctx.compress(m)) - ZSTD_MAGIC for m in test)
        out[f"zstd-dict{kib}k-19"] = sum(len(m) for m in test) / size
    return out


def measure_category(directory: Path, category: str, limit: int | None) -> dict[str, object]:
    train = list(read_jsonl(directory / f"{category}.train.jsonl"))
    test = list(read_jsonl(directory / f"{category}.test.jsonl"))
    if limit:
        train, test = train[:limit], test[: max(1, limit // 3)]
    started = time.perf_counter()
    profile = train_profile(train, progress=False)
    train_seconds = time.perf_counter() - started
    installed = [c.name for c in default_registry().codecs if c.name != "raw"]
    others = [name for name in installed if name != "templates"]
    full = Compressor(profile=profile)
    without = Compressor(profile=profile, codecs=others)
    only = Compressor(profile=profile, codecs=["templates"])
    original = sum(len(t.encode()) for t in test)
    sizes = {"with": 0, "without": 0, "only": 0}
    matched = 0
    started = time.perf_counter()
    for text in test:
        for label, compressor in (("with", full), ("without", without)):
            result = compressor.compress(text)
            if compressor.decompress(result.compressed_data) != text:
                raise SystemExit(f"{category}: {label} round trip failed")
            sizes[label] += result.compressed_size
        alone = only.compress(text)
        matched += alone.method == "templates"
        sizes["only"] += alone.compressed_size
    seconds = time.perf_counter() - started
    stats = full.statistics()
    anchors = zstd_dict_anchor(train, [t.encode() for t in test])
    best_anchor = max(anchors.values())
    return {
        "category": category,
        "train_messages": len(train),
        "test_messages": len(test),
        "train_seconds": round(train_seconds, 1),
        "codecs_with": installed,
        "codecs_without": others,
        "template_hit_share": stats.template_hit_rate,
        "template_match_share": matched / len(test),
        "methods_with": stats.methods,
        "ratio_with": original / sizes["with"],
        "ratio_without": original / sizes["without"],
        "ratio_templates_only": original / sizes["only"],
        "anchors": anchors,
        "ratio_vs_best_anchor": original / sizes["with"] / best_anchor,
        "templates_part_bytes": len(profile.parts.get("templates", b"")),
        "seconds_both_compressors": round(seconds, 1),
    }


def generated_templates(count: int, seed: int = 7) -> list[Template]:
    """Distinct log-like templates whose words are shared: 300 service names, 2,000 other words.

    Each template is a service name and three other words around typed slots, so a
    word is held by a dozen or more templates at 10,000: the index has to narrow
    down shared words, not pick a unique one.
    """
    rnd = random.Random(seed)
    services = [f"svc{''.join(rnd.choices('abcdefghijklmnopqrstuvwxyz', k=5))}" for _ in range(300)]
    vocabulary = ["".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(3, 9))) for _ in range(2000)]
    seen: set[tuple[str, ...]] = set()
    out = []
    while len(out) < count:
        words = (rnd.choice(services), *rnd.sample(vocabulary, 3))
        if words in seen:
            continue
        seen.add(words)
        constants = (f"{words[0]}[", f"]: {words[1]} {words[2]} for ", f" {words[3]} id=", " ms")
        slots = (Slot("pid", NUM), Slot("who", TEXT), Slot("id", NUM))
        out.append(Template(16 + len(out), constants, slots))
    return out


def matching_throughput(repeat: int = 9) -> dict[str, float]:
    """Best-of-``repeat`` rates in CPU time, the two sizes timed in alternation (the machine is shared)."""
    big = generated_templates(10_000)
    small = big[:100]
    rnd = random.Random(3)
    messages = [t.render([str(rnd.randrange(99999)), f"host{rnd.randrange(99)}", str(rnd.randrange(999))]) for t in small] * 20
    indexes = {"100": TemplateIndex(small), "10000": TemplateIndex(big)}
    best = {label: float("inf") for label in indexes}
    for _ in range(repeat):
        for label, index in indexes.items():
            started = time.process_time()
            for message in messages:
                if not index.matches(message):
                    raise SystemExit("a generated message did not match its template")
            best[label] = min(best[label], time.process_time() - started)
    rates = {label: len(messages) / seconds for label, seconds in best.items()}
    return {"messages_per_s_100": rates["100"], "messages_per_s_10000": rates["10000"],
            "relative_10000_vs_100": rates["10000"] / rates["100"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--categories", default="log,json,ai,user")
    parser.add_argument("--limit", type=int, help="use only the first N train messages (N/3 test) per category")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    directory = corpora_dir()
    if not directory.is_dir():
        raise SystemExit(f"corpora not found at {directory}; set AURA_CORPORA")
    results = {"categories": [], "matching": matching_throughput()}
    print(f"{'category':8} {'hit':>6} {'match':>6} {'with':>7} {'without':>8} {'only':>6} {'zstd-dict':>9} {'with/anchor':>11}")
    for category in args.categories.split(","):
        row = measure_category(directory, category, args.limit)
        results["categories"].append(row)
        print(
            f"{category:8} {row['template_hit_share']:6.1%} {row['template_match_share']:6.1%} "
            f"{row['ratio_with']:7.2f} {row['ratio_without']:8.2f} {row['ratio_templates_only']:6.2f} "
            f"{max(row['anchors'].values()):9.2f} "
            f"{row['ratio_vs_best_anchor']:10.2f}x",
            flush=True,
        )
    m = results["matching"]
    print(
        f"matching: {m['messages_per_s_100']:,.0f} msg/s with 100 templates, {m['messages_per_s_10000']:,.0f} "
        f"with 10,000 ({m['relative_10000_vs_100']:.2f}x)"
    )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
