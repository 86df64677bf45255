"""Metrics: counted from real connections, agreeing with the wire counters, exported to Prometheus."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("websockets")

from aura_ws_support import running

from aura_core.ws.client import connect
from aura_core.ws.connection import AuraConnection
from aura_core.ws.metrics import Histogram, Metrics
from aura_core.ws.stream import chunk_words

pytestmark = pytest.mark.timeout(60)

TEXTS = ["a", "hello " * 40, "the quick brown fox jumps over the lazy dog, again and again and again"]
STORY = "once upon a time there was a stream of words that arrived a few at a time " * 3


async def replying(conn: AuraConnection) -> None:
    async for text in conn:
        if text == "story":
            await conn.send_stream(chunk_words(STORY))
        else:
            await conn.send(text)


def run_exchange(server: Metrics, client: Metrics, offer: bool = True) -> tuple[int, int]:
    """Send TEXTS and ask for the story; return the client's received and sent payload bytes."""

    async def scenario():
        async with (
            running(replying, metrics=server, streams="always") as url,
            connect(url, metrics=client, offer=offer) as conn,
        ):
            for text in TEXTS:
                await conn.send(text)
                assert await conn.recv() == text
            await conn.send("story")
            # Without the stream format (plain text) every chunk is a message of its own.
            messages = 1 if offer else len(chunk_words(STORY))
            assert "".join([await conn.recv() for _ in range(messages)]) == STORY
            return conn.wire.received.payload, conn.wire.sent.payload

    return asyncio.run(scenario())


def test_counters_follow_the_messages_and_agree_with_the_wire():
    server, client = Metrics(), Metrics()
    received_payload, sent_payload = run_exchange(server, client)
    out, into = server.directions["out"], server.directions["in"]
    assert into.messages == len(TEXTS) + 1 and out.messages == len(TEXTS) + 1
    assert out.methods["stream"] == 1 and into.methods["raw"] >= 1  # "a" and "story" are too short to compress
    assert out.text_bytes == sum(len(t) for t in TEXTS) + len(STORY)
    # Every message is one payload on the wire (no deflate on AURA connections).
    assert out.payload_bytes == received_payload and into.payload_bytes == sent_payload
    assert client.directions["in"].payload_bytes == out.payload_bytes
    assert out.expansions >= 1 and out.template_hits == 0
    assert out.ratio > 1
    assert server.encode_seconds.count == len(TEXTS) + 1 and server.decode_seconds.count == len(TEXTS) + 1
    assert client.connections == {"aura": 1} and client.closes == {1000: 1}


def test_plain_connections_count_text_frames_without_latency():
    server, client = Metrics(), Metrics()
    run_exchange(server, client, offer=False)
    assert server.directions["in"].methods == {"text": len(TEXTS) + 1}
    assert server.directions["out"].methods == {"text": len(TEXTS) + len(chunk_words(STORY))}
    assert server.encode_seconds.count == 0 and server.decode_seconds.count == 0
    assert server.connections == {"plain": 1}


def test_template_hit_rate_and_histogram_buckets():
    metrics = Metrics()
    metrics.message("out", "templates", 100, 10, True, 0.0002)
    metrics.message("out", "zstd-dict", 100, 40, False, 0.003)
    stats = metrics.directions["out"]
    assert stats.template_hit_rate == 0.5 and stats.ratio == 200 / 50
    histogram = Histogram(bounds=(0.001, 0.01))
    for value in (0.0005, 0.001, 0.005, 5.0):
        histogram.observe(value)
    assert histogram.counts == [2, 1, 1]
    assert histogram.cumulative() == [("0.001", 2), ("0.01", 3), ("+Inf", 4)]
    assert histogram.upper_bound(0.5) == 0.001 and histogram.upper_bound(1.0) == float("inf")


def test_prometheus_exports_the_same_numbers():
    prometheus = pytest.importorskip("prometheus_client")
    from prometheus_client.parser import text_string_to_metric_families

    server, client = Metrics(), Metrics()
    run_exchange(server, client)
    registry = prometheus.CollectorRegistry()
    registry.register(server.collector())
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(prometheus.generate_latest(registry).decode())
        for s in family.samples
    }
    assert samples[("aura_ws_messages_total", (("direction", "out"), ("method", "stream")))] == 1
    assert samples[("aura_ws_text_bytes_total", (("direction", "out"),))] == server.directions["out"].text_bytes
    assert samples[("aura_ws_payload_bytes_total", (("direction", "in"),))] == server.directions["in"].payload_bytes
    assert samples[("aura_ws_encode_seconds_count", ())] == len(TEXTS) + 1
    assert samples[("aura_ws_encode_seconds_bucket", (("le", "+Inf"),))] == len(TEXTS) + 1
    assert samples[("aura_ws_connections_total", (("mode", "aura"),))] == 1
    assert samples[("aura_ws_compression_ratio", (("direction", "out"),))] == pytest.approx(
        server.directions["out"].ratio
    )
    assert "aura_ws_template_hit_rate" in {name for name, _ in samples}
