"""The ``aura`` verbs of aura-core, run through click with real files."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aura_core.cli import cli

TEXTS = ["Hello there!", "", "héllo ✓ 日本語 🙂", "The quick brown fox jumps over the lazy dog. " * 5]


@pytest.mark.parametrize("verb", ["compress", "decompress", "train", "plugins"])
def test_every_verb_explains_itself_with_an_example(verb: str) -> None:
    result = CliRunner().invoke(cli, [verb, "--help"])
    assert result.exit_code == 0 and "Example" in result.output


@pytest.mark.parametrize("text", TEXTS)
def test_a_message_round_trips_through_files(tmp_path: Path, text: str) -> None:
    source, payload = tmp_path / "in.txt", tmp_path / "out.bin"
    source.write_text(text, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["compress", str(source), "-o", str(payload)]).exit_code == 0
    assert len(payload.read_bytes()) <= len(text.encode()) + 1
    result = runner.invoke(cli, ["decompress", str(payload)])
    assert result.exit_code == 0 and result.stdout_bytes.decode("utf-8") == text


def test_base64_and_jsonl_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    encoded = runner.invoke(cli, ["compress", "--base64"], input="Order #1234 has shipped.")
    decoded = runner.invoke(cli, ["decompress", "--base64"], input=encoded.stdout)
    assert decoded.stdout == "Order #1234 has shipped."
    messages = tmp_path / "messages.jsonl"
    messages.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS), encoding="utf-8")
    compressed = tmp_path / "compressed.jsonl"
    assert runner.invoke(cli, ["compress", "--jsonl", str(messages), "-o", str(compressed)]).exit_code == 0
    records = [json.loads(line) for line in compressed.read_text().splitlines()]
    assert [r["original_size"] for r in records] == [len(t.encode()) for t in TEXTS]
    assert all(len(base64.b64decode(r["payload"])) == r["compressed_size"] for r in records)
    result = runner.invoke(cli, ["decompress", "--jsonl", str(compressed)])
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == TEXTS


def test_bad_input_is_one_clear_line_and_exit_status_1(tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["decompress", "--base64"], input=base64.b64encode(b"\xfeabc").decode())
    assert unknown.exit_code == 1 and "UnknownMarkerError: unknown marker 0xFE" in unknown.output
    assert "Traceback" not in unknown.output
    not_jsonl = tmp_path / "bad.jsonl"
    not_jsonl.write_text("not json\n")
    bad = runner.invoke(cli, ["compress", "--jsonl", str(not_jsonl)])
    assert bad.exit_code == 1 and "line 1" in bad.output


def test_plugins_json_lists_the_built_ins() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    report = json.loads(result.output)
    (core,) = [p for p in report["plugins"] if p["distribution"] == "aura-core"]
    assert {(c["name"], c["marker"]) for c in core["codecs"]} == {("raw", 0), ("brotli", 1)}
    assert {n["name"] for n in core["normalizers"]} == {"timestamp", "uuid", "ip"}
