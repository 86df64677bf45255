"""Presenting a benchmark: markdown tables (rich), JSON for machines, a PNG chart.

Accounting, the same as the anchors': a ratio is ``sum(original UTF-8 bytes) /
sum(encoded bytes)`` over a file, each message encoded on its own; AURA rows include
their marker byte, anchors are bare codec output.  Throughput is original UTF-8 bytes
per second (1 MB = 10^6 B) and is also given as a multiple of zstd level 3 measured
in the same run, because absolute times on a shared machine are only context.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from aura_core.bench.anchors import BASELINE, EXTRA_HINT, BenchDependencyError
from aura_core.bench.measure import BUCKET_LABELS, NO_TIME, RowResult, Timing
from aura_core.bench.runner import BenchResult, SetResult

SCHEMA = "aura-bench/1"
POOLED = "all"


def _ratio(original: int, encoded: int) -> float | None:
    return original / encoded if encoded else None


def row_names(result: BenchResult) -> list[str]:
    """Row names in the order they first appear (codecs, selector, oracle, anchors, baseline)."""
    names: list[str] = []
    for s in result.sets:
        names.extend(r.name for r in s.rows if r.name not in names)
    return names


def _rows_named(result: BenchResult, name: str) -> list[RowResult]:
    return [row for s in result.sets if (row := s.row(name)) is not None]


def _pooled_bytes(result: BenchResult, name: str) -> tuple[int, int]:
    """Original and encoded bytes of a row over every set: the "all" column."""
    rows = _rows_named(result, name)
    return sum(r.original_bytes for r in rows), sum(r.encoded_bytes for r in rows)


def pooled_ratio(result: BenchResult, name: str) -> float | None:
    return _ratio(*_pooled_bytes(result, name))


def vs_oracle(s: SetResult, row: RowResult) -> float | None:
    """How much larger the row's output is than the oracle's, in percent (the selector's regret)."""
    oracle = s.row("oracle")
    if oracle is None or not oracle.encoded_bytes:
        return None
    return (row.encoded_bytes / oracle.encoded_bytes - 1) * 100


def oracle_share(s: SetResult, row: RowResult) -> float | None:
    """Share of messages the oracle encoded with this codec."""
    oracle = s.row("oracle")
    if row.kind != "codec" or oracle is None or not oracle.messages:
        return None
    return oracle.methods.count(row.name) / oracle.messages


def vs_baseline(s: SetResult, timing: Timing, decompress: bool) -> float | None:
    """Throughput as a multiple of zstd-3's in the same set (same messages, same run)."""
    baseline = s.row(BASELINE)
    if baseline is None:
        return None
    reference = (baseline.decompress if decompress else baseline.compress).megabytes_per_second
    own = timing.megabytes_per_second
    return own / reference if own is not None and reference else None


# -- JSON ----------------------------------------------------------------------------------


def _timing_json(s: SetResult, timing: Timing, decompress: bool) -> dict[str, Any]:
    return {
        "seconds": timing.seconds,
        "messages": timing.messages,
        "bytes": timing.bytes,
        "messages_per_s": timing.messages_per_second,
        "mb_per_s": timing.megabytes_per_second,
        "vs_baseline": vs_baseline(s, timing, decompress),
    }


def _row_json(s: SetResult, row: RowResult) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "framing": row.framing,
        "messages": row.messages,
        "original_bytes": row.original_bytes,
        "encoded_bytes": row.encoded_bytes,
        "ratio": row.ratio,
        "bytes_saved": row.bytes_saved,
        "wins": row.wins,
        "oracle_share": oracle_share(s, row),
        "vs_oracle_pct": vs_oracle(s, row),
        "passes": row.passes,
        "compress": _timing_json(s, row.compress, False),
        "decompress": _timing_json(s, row.decompress, True),
        "peak_memory_bytes": row.peak_memory,
        "state_bytes": row.state_bytes,
        "train_seconds": row.train_seconds,
        "roundtrip_failures": row.failure_count,
        "failures": [{"index": f.index, "stage": f.stage, "detail": f.detail} for f in row.failures],
        "buckets": [
            {
                "bucket": b.label,
                "messages": b.messages,
                "original_bytes": b.original_bytes,
                "encoded_bytes": b.encoded_bytes,
                "ratio": b.ratio,
                "compress_mb_per_s": b.compress.megabytes_per_second,
                "decompress_mb_per_s": b.decompress.megabytes_per_second,
            }
            for b in row.buckets
        ],
    }


def _pooled_json(result: BenchResult, name: str) -> dict[str, Any]:
    original, encoded = _pooled_bytes(result, name)
    return {
        "sets": [s.name for s in result.sets if s.row(name) is not None],
        "original_bytes": original,
        "encoded_bytes": encoded,
        "ratio": _ratio(original, encoded),
    }


def to_json(result: BenchResult) -> dict[str, Any]:
    """Everything measured, for machines; all but the timings repeat exactly on the same input."""
    return {
        "schema": SCHEMA,
        "environment": result.environment,
        "options": result.options,
        "baseline": BASELINE,
        "buckets": list(BUCKET_LABELS),
        "sets": [
            {
                "name": s.name,
                "test": s.test,
                "train": s.train,
                "messages": s.messages,
                "original_bytes": s.original_bytes,
                "profile": None
                if s.profile_bytes is None
                else {
                    "id": s.profile_id,
                    "bytes": s.profile_bytes,
                    "parts": s.profile_parts,
                    "train_seconds": s.train_seconds,
                },
                "training_curve": [
                    {
                        "messages": p.messages,
                        "bytes": p.bytes,
                        "seconds": p.seconds,
                        "profile_bytes": p.profile_bytes,
                        "error": p.error,
                    }
                    for p in s.training_curve
                ],
                "notes": list(s.notes),
                "rows": [_row_json(s, row) for row in s.rows],
            }
            for s in result.sets
        ],
        "pooled": {name: _pooled_json(result, name) for name in row_names(result)},
        "roundtrip_failures": result.failure_count,
        "ok": result.ok,
    }


# -- tables ----------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _times(value: float | None) -> str:
    return "—" if value is None else f"×{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _bytes(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _mib(value: int | None) -> str:
    return "—" if value is None else f"{value / 2**20:.1f} MiB"


def _table(title: str, columns: Iterable[str]) -> Table:
    table = Table(title=title, box=box.MARKDOWN, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index < 2 else "right")
    return table


def ratio_table(result: BenchResult, title: str = "Ratio per category (test messages, each on its own)") -> Table:
    """Rows × categories, plus all categories pooled: the one table ``aura demo`` prints."""
    pooled = len(result.sets) > 1
    table = _table(title, ["row", "kind", *(s.name for s in result.sets), *([POOLED] if pooled else []), "framing"])
    for name in row_names(result):
        rows = [s.row(name) for s in result.sets]
        first = _rows_named(result, name)[0]
        cells = [_f(r.ratio) if r is not None else "—" for r in rows]
        if pooled:
            cells.append(_f(pooled_ratio(result, name)))
        table.add_row(name, first.kind, *cells, "+1 B marker" if first.framing == "marker" else "bare")
    return table


def set_table(s: SetResult) -> Table:
    profile = f"profile {s.profile_bytes:,} B, trained in {s.train_seconds:.1f} s" if s.profile_bytes else "no profile"
    title = f"{s.name}: {s.messages:,} test messages, {s.original_bytes:,} B; {profile}"
    table = _table(
        title,
        [
            "row",
            "kind",
            "ratio",
            "saved B",
            "won",
            "vs oracle",
            "comp msg/s",
            "comp MB/s",
            f"comp vs {BASELINE}",
            "dec msg/s",
            "dec MB/s",
            f"dec vs {BASELINE}",
            "peak mem",
            "state B",
            "rt fail",
        ],
    )
    for row in s.rows:
        table.add_row(
            row.name,
            row.kind,
            _f(row.ratio),
            _bytes(row.bytes_saved),
            _share(oracle_share(s, row)),
            _pct(vs_oracle(s, row)),
            _f(row.compress.messages_per_second, 0),
            _f(row.compress.megabytes_per_second),
            _times(vs_baseline(s, row.compress, False)),
            _f(row.decompress.messages_per_second, 0),
            _f(row.decompress.megabytes_per_second),
            _times(vs_baseline(s, row.decompress, True)),
            _mib(row.peak_memory),
            _bytes(row.state_bytes),
            str(row.failure_count) if row.failure_count else "0",
        )
    return table


def _pooled_bucket(result: BenchResult, name: str, bucket: int) -> tuple[int, int, int, Timing]:
    messages = original = encoded = 0
    timing = NO_TIME
    for row in _rows_named(result, name):
        b = row.buckets[bucket]
        messages += b.messages
        original += b.original_bytes
        encoded += b.encoded_bytes
        timing = timing + b.compress
    return messages, original, encoded, timing


def bucket_table(result: BenchResult) -> Table:
    """Ratio and compress MB/s by message size, all categories pooled: how cost grows."""
    counts = [sum(s.rows[0].buckets[i].messages for s in result.sets if s.rows) for i in range(len(BUCKET_LABELS))]
    table = _table(
        "By message size (all categories pooled): ratio / compress MB/s",
        ["row", "kind", *(f"{label} ({n:,} msgs)" for label, n in zip(BUCKET_LABELS, counts, strict=True))],
    )
    for name in row_names(result):
        kind = _rows_named(result, name)[0].kind
        cells = []
        for bucket in range(len(BUCKET_LABELS)):
            messages, original, encoded, timing = _pooled_bucket(result, name, bucket)
            cells.append(
                "—" if not messages else f"{_f(_ratio(original, encoded))} / {_f(timing.megabytes_per_second)}"
            )
        table.add_row(name, kind, *cells)
    return table


def winners_table(result: BenchResult) -> Table:
    """Which codec the selector and the oracle chose, per category."""
    table = _table("Messages won (share per method)", ["category", "row", "methods"])
    for s in result.sets:
        for name in ("selector", "oracle"):
            row = s.row(name)
            if row is not None and row.messages:
                shares = ", ".join(f"{method} {count / row.messages:.0%}" for method, count in row.wins.items())
                table.add_row(s.name, name, shares)
    return table


def training_table(result: BenchResult) -> Table:
    table = _table("Training time against corpus size", ["category", "messages", "bytes", "seconds", "profile B"])
    for s in result.sets:
        for point in s.training_curve:
            table.add_row(
                s.name,
                f"{point.messages:,}",
                f"{point.bytes:,}",
                _f(point.seconds) if point.error is None else f"failed: {point.error}",
                _bytes(point.profile_bytes),
            )
    return table


def notes(result: BenchResult) -> list[str]:
    """Rich-markup lines: what is missing from the run, and every round-trip failure."""
    lines = [escape(f"{s.name}: {note}") for s in result.sets for note in s.notes]
    for s in result.sets:
        for row in s.rows:
            for failure in row.failures:
                where = f"{s.name} / {row.name}: message {failure.index} ({failure.stage})"
                lines.append(f"[red]ROUND-TRIP FAILURE[/] {escape(where)}: {escape(failure.detail)}")
            if row.failure_count > len(row.failures):
                more = f"{s.name} / {row.name}: {row.failure_count - len(row.failures)} more"
                lines.append(f"[red]ROUND-TRIP FAILURE[/] {escape(more)}")
    return lines


def status_line(result: BenchResult) -> str:
    checked = sum(len(s.rows) * s.messages for s in result.sets)
    if result.ok:
        return f"round trip: all {checked:,} message encodings decoded exactly"
    return f"[red]round trip: {result.failure_count:,} of {checked:,} message encodings did not come back exactly[/]"


def print_report(result: BenchResult, console: Console) -> None:
    for s in result.sets:
        console.print(set_table(s))
        console.print()
    console.print(ratio_table(result))
    console.print()
    console.print(bucket_table(result))
    console.print()
    console.print(winners_table(result))
    if any(s.training_curve for s in result.sets):
        console.print()
        console.print(training_table(result))
    console.print()
    env = result.environment
    libraries = ", ".join(f"{k} {v}" for k, v in env["libraries"].items())
    console.print(f"{env['cpu']}, {env['cpus']} CPUs, Python {env['python']}; {libraries}", highlight=False)
    for line in notes(result):
        console.print(line, highlight=False)
    console.print(status_line(result), highlight=False)


# -- chart ----------------------------------------------------------------------------------


def ensure_plotting() -> ModuleType:
    """matplotlib's pyplot on a file-only backend, or an error that says how to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise BenchDependencyError(f"--plot draws with matplotlib, which is not installed: {EXTRA_HINT}") from None
    return plt


def plot(result: BenchResult, path: Path) -> None:
    """Ratio per row per category (bars) and ratio by message size (lines) in one PNG."""
    plt = ensure_plotting()
    names = row_names(result)
    groups = [s.name for s in result.sets] + ([POOLED] if len(result.sets) > 1 else [])
    colours = plt.get_cmap("tab20")
    figure, (bars, lines) = plt.subplots(2, 1, figsize=(max(10, 1.6 * len(groups) + 6), 10))
    width = 0.8 / max(1, len(names))
    for index, name in enumerate(names):
        values = []
        for group in groups:
            if group == POOLED:
                values.append(pooled_ratio(result, name) or 0.0)
            else:
                row = next(s for s in result.sets if s.name == group).row(name)
                values.append((row.ratio or 0.0) if row is not None else 0.0)
        kind = _rows_named(result, name)[0].kind
        bars.bar(
            [g + (index - (len(names) - 1) / 2) * width for g in range(len(groups))],
            values,
            width,
            label=name,
            color=colours(index % 20),
            hatch="//" if kind in ("anchor", "baseline") else None,
            edgecolor="white" if kind not in ("selector", "oracle") else "black",
        )
    bars.set_xticks(range(len(groups)), groups)
    bars.set_ylabel("ratio (original / encoded bytes)")
    bars.set_title("Ratio per category (hatched: anchors, bare output; AURA rows include the marker byte)")
    bars.grid(axis="y", alpha=0.3)
    bars.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    for index, name in enumerate(names):
        kind = _rows_named(result, name)[0].kind
        points = [
            (b, _ratio(o, e))
            for b in range(len(BUCKET_LABELS))
            for m, o, e, _ in [_pooled_bucket(result, name, b)]
            if m
        ]
        if points:
            lines.plot(
                [BUCKET_LABELS[b] for b, _ in points],
                [r for _, r in points],
                marker="o",
                label=name,
                color=colours(index % 20),
                linestyle="--" if kind in ("anchor", "baseline") else "-",
                linewidth=2.5 if kind in ("selector", "oracle") else 1.2,
            )
    lines.set_xlabel("message size (UTF-8 bytes)")
    lines.set_ylabel("ratio")
    lines.set_title("Ratio by message size, all categories pooled (dashed: anchors)")
    lines.grid(alpha=0.3)
    lines.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
