"""Metrics of AURA WebSocket connections: counters the demo prints and Prometheus scrapes.

One :class:`Metrics` object holds the counts (messages per method and direction,
text and payload bytes, template hits, expansions, encode/decode latency
histograms, connections and close codes).  It needs nothing beyond the standard
library; when ``prometheus_client`` is installed (``pip install aura-core[metrics]``)
:meth:`Metrics.collector` exports the same numbers, read at scrape time, so there is
one source of truth and no second set of counters to keep in step.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from typing import Any

from attrs import define, field

DIRECTIONS = ("in", "out")
#: Upper bounds (seconds) of the latency buckets: compressing a short message takes
#: microseconds to a few milliseconds.
LATENCY_BUCKETS = (1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 1.0)
#: Method name of text frames (plain connections) and of streamed replies.
TEXT_METHOD = "text"
STREAM_METHOD = "stream"


@define
class Histogram:
    """Counts of observations per bucket (the last bucket is +Inf) and their sum."""

    bounds: tuple[float, ...] = LATENCY_BUCKETS
    counts: list[int] = field()
    total: float = 0.0

    @counts.default
    def _zeros(self) -> list[int]:
        return [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.total += value

    @property
    def count(self) -> int:
        return sum(self.counts)

    def cumulative(self) -> list[tuple[str, int]]:
        """``(le, count)`` pairs as Prometheus wants them, ending with ``+Inf``."""
        out, running = [], 0
        for bound, count in zip((*map(repr, self.bounds), "+Inf"), self.counts):
            running += count
            out.append((bound, running))
        return out

    def upper_bound(self, quantile: float) -> float:
        """The bucket bound below which ``quantile`` of the observations fall (for printing)."""
        wanted, running = quantile * self.count, 0
        for bound, count in zip((*self.bounds, float("inf")), self.counts):
            running += count
            if running >= wanted:
                return bound
        return float("inf")


@define
class DirectionStats:
    """Messages in one direction (``in`` = received and decoded, ``out`` = encoded and sent)."""

    methods: Counter[str] = field(factory=Counter)
    text_bytes: int = 0
    payload_bytes: int = 0
    template_hits: int = 0
    expansions: int = 0

    @property
    def messages(self) -> int:
        return sum(self.methods.values())

    @property
    def ratio(self) -> float:
        return self.text_bytes / self.payload_bytes if self.payload_bytes else 1.0

    @property
    def template_hit_rate(self) -> float:
        return self.template_hits / self.messages if self.messages else 0.0


class Metrics:
    """Thread-safe counters of one server or client (a Prometheus scrape reads them from another thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.directions = {d: DirectionStats() for d in DIRECTIONS}
        self.encode_seconds = Histogram()
        self.decode_seconds = Histogram()
        self.connections: Counter[str] = Counter()
        self.active = 0
        self.closes: Counter[int] = Counter()

    def message(
        self, direction: str, method: str, text_bytes: int, payload_bytes: int, template: bool, seconds: float | None
    ) -> None:
        """Record one message: encoded and sent (``out``) or received and decoded (``in``).

        ``seconds`` is the time spent encoding or decoding it; ``None`` for text frames,
        which are not encoded.
        """
        with self._lock:
            stats = self.directions[direction]
            stats.methods[method] += 1
            stats.text_bytes += text_bytes
            stats.payload_bytes += payload_bytes
            stats.template_hits += template
            stats.expansions += payload_bytes > text_bytes
            if seconds is not None:
                (self.encode_seconds if direction == "out" else self.decode_seconds).observe(seconds)

    def opened(self, mode: str) -> None:
        with self._lock:
            self.connections[mode] += 1
            self.active += 1

    def closed(self, code: int | None) -> None:
        """Record a finished connection and its close code (1006 when none was received)."""
        with self._lock:
            self.active -= 1
            self.closes[1006 if code is None else code] += 1

    def summary(self) -> str:
        """A few human-readable lines: what the demo prints."""
        with self._lock:
            lines = [
                f"connections: {sum(self.connections.values())} ("
                + ", ".join(f"{mode} {n}" for mode, n in sorted(self.connections.items()))
                + f"), active {self.active}, close codes "
                + (", ".join(f"{code}x{n}" for code, n in sorted(self.closes.items())) or "none")
            ]
            for direction, stats in self.directions.items():
                methods = ", ".join(f"{m} {n}" for m, n in stats.methods.most_common()) or "none"
                lines.append(
                    f"{direction:>3}: {stats.messages} messages ({methods}); {stats.text_bytes:,} -> "
                    f"{stats.payload_bytes:,} bytes, ratio {stats.ratio:.2f}; template hit rate "
                    f"{stats.template_hit_rate:.1%}; {stats.expansions} expanded"
                )
            for name, histogram in (("encode", self.encode_seconds), ("decode", self.decode_seconds)):
                if histogram.count:
                    lines.append(
                        f"{name}: {histogram.count} messages, mean {histogram.total / histogram.count * 1e6:.0f} us, "
                        f"p50 <= {histogram.upper_bound(0.5) * 1e6:.0f} us, p99 <= {histogram.upper_bound(0.99) * 1e6:.0f} us"
                    )
            return "\n".join(lines)

    def collector(self) -> Any:
        """A ``prometheus_client`` collector exporting these metrics (needs aura-core[metrics])."""
        return _PrometheusCollector(self)

    def serve_http(self, port: int, addr: str = "127.0.0.1") -> Any:
        """Expose ``/metrics`` on ``addr:port`` from a daemon thread; returns the HTTP server."""
        from prometheus_client import CollectorRegistry, start_http_server

        registry = CollectorRegistry(auto_describe=True)
        registry.register(self.collector())
        server, _thread = start_http_server(port, addr=addr, registry=registry)
        return server


class _PrometheusCollector:
    """Reads a :class:`Metrics` at scrape time (prometheus_client's custom-collector protocol)."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

        m = self.metrics
        with m._lock:
            messages = CounterMetricFamily(
                "aura_ws_messages",
                "Messages by direction and method (codec, 'stream' or 'text')",
                labels=["direction", "method"],
            )
            text = CounterMetricFamily("aura_ws_text_bytes", "UTF-8 bytes of the messages' text", labels=["direction"])
            payload = CounterMetricFamily(
                "aura_ws_payload_bytes", "Bytes of the messages as sent (AURA payloads or text)", labels=["direction"]
            )
            ratio = GaugeMetricFamily("aura_ws_compression_ratio", "Text bytes / payload bytes", labels=["direction"])
            hits = CounterMetricFamily(
                "aura_ws_template_hits", "Messages encoded with a template", labels=["direction"]
            )
            hit_rate = GaugeMetricFamily("aura_ws_template_hit_rate", "Template hits / messages", labels=["direction"])
            expansions = CounterMetricFamily(
                "aura_ws_expansions", "Messages whose payload is larger than their text", labels=["direction"]
            )
            for direction, stats in m.directions.items():
                for method, count in sorted(stats.methods.items()):
                    messages.add_metric([direction, method], count)
                text.add_metric([direction], stats.text_bytes)
                payload.add_metric([direction], stats.payload_bytes)
                ratio.add_metric([direction], stats.ratio)
                hits.add_metric([direction], stats.template_hits)
                hit_rate.add_metric([direction], stats.template_hit_rate)
                expansions.add_metric([direction], stats.expansions)
            yield from (messages, text, payload, ratio, hits, hit_rate, expansions)
            for name, histogram in (("encode", m.encode_seconds), ("decode", m.decode_seconds)):
                yield HistogramMetricFamily(
                    f"aura_ws_{name}_seconds",
                    f"Time to {name} one message",
                    buckets=histogram.cumulative(),
                    sum_value=histogram.total,
                )
            connections = CounterMetricFamily("aura_ws_connections", "Connections opened by mode", labels=["mode"])
            for mode, count in sorted(m.connections.items()):
                connections.add_metric([mode], count)
            closes = CounterMetricFamily("aura_ws_closes", "Connections closed, by close code", labels=["code"])
            for code, count in sorted(m.closes.items()):
                closes.add_metric([str(code)], count)
            yield connections
            yield closes
            yield GaugeMetricFamily("aura_ws_connections_active", "Open connections", value=m.active)
