"""`aura bench` and `aura demo`: real runs on small real files, the JSON they write, failures."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from aura_core.bench.anchors import build_anchors
from aura_core.bench.cli import bench, bundled_sample, demo
from aura_core.bench.measure import BUCKET_LABELS, BUCKET_LIMITS, MessageSet, measure
from aura_core.bench.report import to_json
from aura_core.bench.runner import BenchSet, Options, _anchor_contender, run
from aura_core.codec import Codec, CodecContext
from aura_core.codecs.brotli import BrotliCodec
from aura_core.codecs.raw import RawCodec
from aura_core.corpus import read_jsonl
from aura_core.registry import Registry

CORPORA = Path(os.environ.get("AURA_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
ANCHOR_RESULTS = CORPORA.parent / "anchors" / "results.json"
FAST = ["--reps", "1", "--skip-slow", "--train-sizes", "", "--no-progress"]


def _write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    return path


def _sample_texts(name: str, count: int) -> list[str]:
    lines = (bundled_sample() / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines[:count]]


def _core_registry(*extra: Codec) -> Registry:
    """A registry holding the core codecs (and ``extra``), registered in code."""
    registry = Registry()
    for codec in (RawCodec(), BrotliCodec(), *extra):
        assert registry.register(codec)
    return registry


def _invoke(command: Any, args: list[str], registry: Registry | None = None) -> Any:
    return CliRunner().invoke(command, args, obj=registry, catch_exceptions=False)


class TruncatingCodec(Codec):
    """Deliberately broken: drops the last character of every message longer than 20 bytes."""

    name = "broken-for-tests"
    marker = 0xC7
    version = "0"

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int:
        return 0

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes:
        return data[:-1] if len(data) > 20 else b""

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        return body.decode("utf-8", "replace")


ROW_KEYS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "kind": str,
    "framing": str,
    "messages": int,
    "original_bytes": int,
    "encoded_bytes": int,
    "ratio": (float, type(None)),
    "bytes_saved": int,
    "wins": dict,
    "oracle_share": (float, type(None)),
    "vs_oracle_pct": (float, type(None)),
    "compress": dict,
    "decompress": dict,
    "peak_memory_bytes": (int, type(None)),
    "state_bytes": (int, type(None)),
    "train_seconds": (float, type(None)),
    "roundtrip_failures": int,
    "passes": int,
    "failures": list,
    "buckets": list,
}
TIMING_KEYS = {"seconds", "messages", "bytes", "messages_per_s", "mb_per_s", "vs_baseline"}


def _check_schema(report: dict[str, Any]) -> None:
    assert report["schema"] == "aura-bench/1"
    assert report["baseline"] == "zstd-3"
    assert report["buckets"] == list(BUCKET_LABELS)
    assert isinstance(report["ok"], bool) and isinstance(report["roundtrip_failures"], int)
    assert {"python", "libraries", "plugins", "cpu"} <= set(report["environment"])
    for s in report["sets"]:
        assert {
            "name",
            "test",
            "train",
            "messages",
            "original_bytes",
            "profile",
            "training_curve",
            "notes",
            "rows",
        } <= set(s)
        kinds = {row["kind"] for row in s["rows"]}
        assert {"codec", "selector", "oracle", "anchor", "baseline"} <= kinds
        for row in s["rows"]:
            assert set(row) == set(ROW_KEYS), row["name"]
            for key, expected in ROW_KEYS.items():
                assert isinstance(row[key], expected), (row["name"], key, row[key])
            assert row["framing"] == ("bare" if row["kind"] in ("anchor", "baseline") else "marker")
            assert row["messages"] == s["messages"] and row["original_bytes"] == s["original_bytes"]
            assert sum(row["wins"].values()) == row["messages"]
            for timing in (row["compress"], row["decompress"]):
                assert set(timing) == TIMING_KEYS
            assert [b["bucket"] for b in row["buckets"]] == list(BUCKET_LABELS)
            assert sum(b["messages"] for b in row["buckets"]) == row["messages"]
            assert sum(b["encoded_bytes"] for b in row["buckets"]) == row["encoded_bytes"]
    for name, pooled in report["pooled"].items():
        assert set(pooled) == {"sets", "original_bytes", "encoded_bytes", "ratio"}, name


def test_json_schema_of_a_real_run(tmp_path: Path) -> None:
    out, chart = tmp_path / "bench.json", tmp_path / "bench.png"
    result = _invoke(
        bench,
        [
            "--corpora",
            str(bundled_sample()),
            "--category",
            "user",
            "--max-messages",
            "40",
            "--max-train-messages",
            "400",
            "--reps",
            "1",
            "--skip-slow",
            "--train-sizes",
            "0.5",
            "--no-progress",
            "--json",
            str(out),
            "--plot",
            str(chart),
        ],
    )
    assert result.exit_code == 0, result.output
    assert chart.read_bytes().startswith(b"\x89PNG")
    report = json.loads(out.read_text())
    _check_schema(report)
    (user,) = report["sets"]
    assert user["name"] == "user" and user["messages"] == 40
    rows = {row["name"]: row for row in user["rows"]}
    assert {"raw", "brotli", "selector", "oracle", "zlib-9", "zstd-19", "zstd-3"} <= set(rows)
    assert "brotli-11" not in rows  # --skip-slow
    # The oracle is never beaten by a single codec with the same profile.
    assert all(
        rows["oracle"]["encoded_bytes"] <= row["encoded_bytes"] for row in user["rows"] if row["kind"] == "codec"
    )
    assert rows["oracle"]["vs_oracle_pct"] == 0.0
    assert report["ok"] and "round trip: all" in result.output
    assert "user" in result.output and "selector" in result.output


def test_a_codec_that_loses_characters_fails_the_run(tmp_path: Path) -> None:
    test = _write_jsonl(tmp_path / "chat.test.jsonl", _sample_texts("user.test.jsonl", 30))
    out = tmp_path / "bench.json"
    registry = _core_registry(TruncatingCodec())
    result = _invoke(bench, [str(test), *FAST, "--json", str(out)], registry)
    assert result.exit_code == 1
    assert "ROUND-TRIP FAILURE" in result.output and "broken-for-tests" in result.output
    report = json.loads(out.read_text())
    assert not report["ok"] and report["roundtrip_failures"] > 0
    rows = {row["name"]: row for row in report["sets"][0]["rows"]}
    broken = rows["broken-for-tests"]
    assert broken["roundtrip_failures"] > 0
    assert broken["failures"][0]["stage"] == "mismatch"
    assert rows["raw"]["roundtrip_failures"] == 0 and rows["brotli"]["roundtrip_failures"] == 0


def test_empty_files_give_an_empty_report_not_a_crash(tmp_path: Path) -> None:
    test = _write_jsonl(tmp_path / "empty.test.jsonl", [])
    train = _write_jsonl(tmp_path / "empty.train.jsonl", [])
    out = tmp_path / "bench.json"
    result = _invoke(bench, [str(test), "--train", str(train), *FAST, "--json", str(out)], _core_registry())
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    (empty,) = report["sets"]
    assert empty["messages"] == 0 and empty["profile"] is None
    assert any("no profile" in note for note in empty["notes"])
    assert all(row["ratio"] is None and row["encoded_bytes"] == 0 for row in empty["rows"])


def test_one_message(tmp_path: Path) -> None:
    (text,) = _sample_texts("ai.test.jsonl", 1)
    test = _write_jsonl(tmp_path / "one.test.jsonl", [text])
    train = _write_jsonl(tmp_path / "one.train.jsonl", [text])
    out = tmp_path / "bench.json"
    result = _invoke(bench, [str(test), "--train", str(train), *FAST, "--json", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    _check_schema(report)
    (one,) = report["sets"]
    size = len(text.encode("utf-8"))
    for row in one["rows"]:
        assert row["messages"] == 1 and row["original_bytes"] == size
        assert row["roundtrip_failures"] == 0
    rows = {row["name"]: row for row in one["rows"]}
    assert rows["raw"]["encoded_bytes"] == size + 1


def test_without_the_bench_extra_bench_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)  # what `import zstandard` meets when it is not installed
    test = _write_jsonl(tmp_path / "a.test.jsonl", ["hello"])
    result = CliRunner().invoke(bench, [str(test), *FAST])
    assert result.exit_code == 1
    assert "pip install 'aura-core[bench]'" in result.output


def test_demo_without_the_bench_extra_leaves_out_the_zstd_anchors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)
    _write_jsonl(tmp_path / "chat.train.jsonl", _sample_texts("user.train.jsonl", 60))
    _write_jsonl(tmp_path / "chat.test.jsonl", _sample_texts("user.test.jsonl", 20))
    result = _invoke(demo, ["--sample", str(tmp_path), "--no-progress"], _core_registry())
    assert result.exit_code == 0, result.output
    assert "| brotli-11 " in result.output and "| zlib-9 " in result.output
    assert "zstd-19" not in result.output and "pip install 'aura-core[bench]'" in result.output


def test_no_input_is_a_usage_error() -> None:
    result = CliRunner().invoke(bench, [])
    assert result.exit_code == 2 and "--corpora" in result.output


def test_demo_runs_on_the_bundled_sample() -> None:
    result = _invoke(demo, ["--no-progress"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("| row"))
    for category in ("ai", "json", "user", "all"):
        assert f" {category} " in header
    for row in ("raw", "brotli", "selector", "oracle", "zlib-9"):
        assert f"| {row} " in result.output
    assert "round trip: all" in result.output


def test_same_input_same_numbers(tmp_path: Path) -> None:
    test = _write_jsonl(tmp_path / "a.test.jsonl", _sample_texts("json.test.jsonl", 8))
    train = _write_jsonl(tmp_path / "a.train.jsonl", _sample_texts("json.train.jsonl", 30))
    options = Options(reps=1, skip_slow=True, train_sizes=(), progress=False, registry=_core_registry())

    def sizes() -> list[tuple[str, int, dict[str, int]]]:
        report = to_json(run([BenchSet.from_file(test, train)], options))
        return [(r["name"], r["encoded_bytes"], r["wins"]) for r in report["sets"][0]["rows"]]

    assert sizes() == sizes()


@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=300), max_size=20))
def test_every_message_lands_in_exactly_one_bucket(texts: list[str]) -> None:
    messages = MessageSet.from_texts(texts)
    placed = sorted(i for bucket in messages.buckets for i in bucket)
    assert placed == list(range(len(texts)))
    for bucket, members in enumerate(messages.buckets):
        for i in members:
            size = len(messages.datas[i])
            assert bucket == len(BUCKET_LIMITS) or size <= BUCKET_LIMITS[bucket]
            assert bucket == 0 or size > BUCKET_LIMITS[bucket - 1]


@pytest.mark.skipif(
    not ANCHOR_RESULTS.exists(), reason=f"anchor figures not found at {ANCHOR_RESULTS} (set AURA_CORPORA)"
)
def test_anchors_reproduce_the_published_figures() -> None:
    """The log category in full: every anchor ratio equals shared/anchors/results.json's."""
    published = json.loads(ANCHOR_RESULTS.read_text())["test"]["log"]["codecs"]
    messages = MessageSet.from_texts(list(read_jsonl(CORPORA / "log.test.jsonl")))
    anchors = build_anchors(messages.output_bound, list(read_jsonl(CORPORA / "log.train.jsonl")))
    measured = {a.name: measure(_anchor_contender(a, "anchor"), messages).ratio for a in anchors.anchors}
    expected = {
        "brotli-11": published["brotli-11"]["ratio"],
        "zlib-9": published["zlib-9 raw"]["ratio"],
        "zstd-3": published["zstd-3"]["ratio_magicless"],
        "zstd-19": published["zstd-19"]["ratio_magicless"],
        "zstd-19-dict64k": published["zstd-dict64k-19"]["ratio_magicless"],
        "zstd-19-dict112k": published["zstd-dict112k-19"]["ratio_magicless"],
    }
    assert measured == pytest.approx(expected, rel=1e-9)


def test_further_passes_stop_at_the_budget() -> None:
    messages = MessageSet.from_texts(_sample_texts("user.test.jsonl", 20))
    (zlib_9,) = [a for a in build_anchors(messages.output_bound, None, skip_slow=True).anchors if a.name == "zlib-9"]
    contender = _anchor_contender(zlib_9, "anchor")
    assert measure(contender, messages, reps=3, budget=None).passes == 3
    assert measure(contender, messages, reps=3, budget=0.0).passes == 1  # the first pass is always made
