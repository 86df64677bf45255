"""The demo server and the load test: replies are predictable, nothing is lost or altered, the
wire is counted exactly; ``aura serve`` and ``aura loadtest`` run from the command line."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys

import pytest

pytest.importorskip("websockets")

from aura_test_support import corpus_texts
from aura_ws_support import trained_profile
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from aura_core.cli import cli
from aura_core.ws.client import connect
from aura_core.ws.demo import ReplyBook
from aura_core.ws.loadtest import AURA, AURA_STREAM, DEFLATE, DEFLATE_NO_CONTEXT, PLAIN, LoadTest, split
from aura_core.ws.stream import MAX_WORDS_PER_CHUNK, chunk_words

pytestmark = pytest.mark.timeout(120)


@given(st.text())
def test_chunks_join_back_and_hold_one_to_five_words(text):
    chunks = chunk_words(text)
    assert "".join(chunks) == text
    assert chunks == chunk_words(text)
    for chunk in chunks:
        assert 1 <= len(chunk.split()) <= MAX_WORDS_PER_CHUNK or not chunk.strip()


def test_replies_are_paired_by_position_and_unknown_prompts_still_get_one():
    book = ReplyBook.from_texts(["hi", "bye", "hi"], ["hello!", "goodbye!"])
    assert book.reply_for("hi") == "hello!" and book.reply_for("bye") == "goodbye!"
    assert book.reply_for("something else") in book.replies
    assert book.reply_for("something else") == book.reply_for("something else")


def test_split_keeps_every_prompt_once():
    prompts = [str(n) for n in range(103)]
    slices = split(prompts, 10)
    assert [p for s in slices for p in s] == prompts and {len(s) for s in slices} == {10, 11}


@pytest.fixture(scope="module")
def book(corpora):
    return ReplyBook.from_texts(corpus_texts(corpora, "user", "test", 60), corpus_texts(corpora, "ai", "test", 60))


@pytest.mark.parametrize("stream", [False, True])
def test_a_replay_loses_and_alters_nothing_and_counts_the_wire_exactly(book, stream):
    variants = (
        (PLAIN, DEFLATE_NO_CONTEXT, DEFLATE, AURA, AURA_STREAM)
        if stream
        else (PLAIN, DEFLATE_NO_CONTEXT, DEFLATE, AURA)
    )
    count = 30 if stream else 60  # a streamed reply is ~50 messages for the per-chunk variants
    # Every variant's users hold the profile; only AURA ones offer it.
    profiles = [trained_profile(1, ("code", "python", "error", "file"))]
    test = LoadTest(
        book=book, variants=variants, users=6, messages=count, stream=stream, profiles=profiles, streams="always"
    )
    results = {r.variant.name: r for r in asyncio.run(test.run(progress=False))}
    for result in results.values():
        assert (result.sent, result.received, result.altered, result.lost) == (count,) * 2 + (0, 0), result.variant.name
        assert not result.errors and not result.cut
        assert len(result.latencies) == count
    plain, prompts = results["plain"], book.prompts[:count]
    # Plain text frames carry the text as is: the counter must see exactly its bytes.
    assert plain.up.payload == sum(len(p.encode()) for p in prompts)
    assert plain.down.payload == sum(len(book.reply_for(p).encode()) for p in prompts)
    assert plain.up.headers == 6 * count + 2 * sum(len(p.encode()) >= 126 for p in prompts)
    assert results["aura"].payload < results["deflate-no-context"].payload < plain.payload
    if stream:
        assert results["aura-stream"].down.payload < results["aura"].down.payload
        assert results["aura-stream"].metrics.directions["in"].methods == {"stream": count}


def test_the_loadtest_command_prints_the_comparison(tmp_path):
    prompts, replies = tmp_path / "prompts.jsonl", tmp_path / "replies.jsonl"
    prompts.write_text("".join(json.dumps({"text": f"question {n}?"}) + "\n" for n in range(12)))
    replies.write_text(
        "".join(
            json.dumps({"text": f"Answer {n}: here is how you can do this in Python, step by step."}) + "\n"
            for n in range(12)
        )
    )
    out = tmp_path / "results.json"
    result = CliRunner().invoke(
        cli,
        [
            "loadtest",
            "--users",
            "3",
            "--prompts",
            str(prompts),
            "--replies",
            str(replies),
            "--no-progress",
            "--variants",
            "plain,deflate-no-context,aura",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "aura / deflate-no-context" in result.output
    saved = json.loads(out.read_text())
    assert [v["variant"] for v in saved["variants"]] == ["plain", "deflate-no-context", "aura"]
    assert all(v["lost"] == 0 and v["altered"] == 0 and v["received"] == 12 for v in saved["variants"])


def test_the_loadtest_command_needs_a_corpus(monkeypatch):
    monkeypatch.delenv("AURA_CORPORA", raising=False)
    result = CliRunner().invoke(cli, ["loadtest", "--messages", "1"])
    assert result.exit_code != 0 and "--corpora" in result.output


def test_aura_serve_answers_on_loopback_and_prints_its_metrics_at_exit(tmp_path):
    prompts, replies = tmp_path / "prompts.jsonl", tmp_path / "replies.jsonl"
    prompts.write_text(json.dumps({"text": "hello?"}) + "\n")
    replies.write_text(json.dumps({"text": "Hello! How can I help you today?"}) + "\n")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aura_core.cli",
            "serve",
            "--port",
            "0",
            "--prompts",
            str(prompts),
            "--replies",
            str(replies),
            "--audit-log",
            str(tmp_path / "audit.log"),
            # "auto" would pick per-chunk messages when a codec installed here beats the stream format.
            "--streams",
            "always",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = server.stderr.readline()
        assert "ws://127.0.0.1:" in banner, banner
        url = banner.split("on ", 1)[1].split(" ", 1)[0].rstrip(",")

        async def talk():
            async with connect(url + "/stream") as conn:
                await conn.send("hello?")
                return [piece async for piece in conn.recv_streaming()]

        pieces = asyncio.run(talk())
        assert "".join(pieces) == "Hello! How can I help you today?" and len(pieces) > 1
    finally:
        server.send_signal(signal.SIGINT)
        _, rest = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "out: 1 messages (stream 1)" in rest
    assert "Hello! How can I help you today?" in (tmp_path / "audit.log").read_text(encoding="utf-8")
