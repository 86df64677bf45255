"""The load test behind ``aura loadtest``: N concurrent clients replay a corpus, once per variant.

Every variant replays the same prompts against the same demo server (the one of
``aura serve``, started in-process on an ephemeral loopback port unless ``url`` is
given): users connect at once, each sends its contiguous slice of the prompts one at
a time and waits for the reply, which it compares with the reply the demo server is
known to give (:class:`~aura_core.ws.demo.ReplyBook`).  Variants differ only in what
the client offers in the handshake: nothing (plain text), permessage-deflate with
and without context takeover, or AURA.

Wire bytes are the payload bytes of the data frames each client sent and received,
counted by :class:`~aura_core.ws.wire.WireCounter` after every extension (so
permessage-deflate's output is what is counted) — the same instrument for every
variant.  Frame headers are reported separately.
"""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from time import perf_counter
from typing import Any

from attrs import define, field, frozen
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from aura_core.profile import Profile
from aura_core.registry import default_registry
from aura_core.ws.client import connect
from aura_core.ws.connection import AuraConnection, Compressors
from aura_core.ws.demo import STREAM_PATH, ReplyBook
from aura_core.ws.metrics import Metrics
from aura_core.ws.wire import Tally


@frozen
class Variant:
    """One way of connecting: what the client offers in the handshake."""

    name: str
    description: str
    aura: bool = False
    streams: bool = False
    #: Parameters of websockets' ``ClientPerMessageDeflateFactory``; ``None``: no deflate.
    deflate: dict[str, Any] | None = None

    def connect_options(self) -> dict[str, Any]:
        extensions = [ClientPerMessageDeflateFactory(**self.deflate)] if self.deflate is not None else None
        return {"compression": None, "extensions": extensions}


PLAIN = Variant("plain", "text frames, no compression")
DEFLATE_NO_CONTEXT = Variant(
    "deflate-no-context",
    "permessage-deflate, server_ and client_no_context_takeover",
    deflate={"server_no_context_takeover": True, "client_no_context_takeover": True},
)
DEFLATE_12 = Variant(
    "deflate-12",
    "permessage-deflate, context takeover, websockets' default 12-bit windows and memLevel 5",
    deflate={"server_max_window_bits": 12, "client_max_window_bits": 12, "compress_settings": {"memLevel": 5}},
)
DEFLATE = Variant("deflate", "permessage-deflate, context takeover, 15-bit windows (zlib's defaults)", deflate={})
AURA = Variant("aura", "AURA, every message decodable on its own", aura=True)
AURA_STREAM = Variant("aura-stream", "AURA, streamed replies in the stream format", aura=True, streams=True)
VARIANTS = {v.name: v for v in (PLAIN, DEFLATE_NO_CONTEXT, DEFLATE_12, DEFLATE, AURA, AURA_STREAM)}


def default_variants(stream: bool) -> tuple[Variant, ...]:
    """Every variant that means something for whole (``stream=False``) or streamed replies."""
    base = (PLAIN, DEFLATE_NO_CONTEXT, DEFLATE_12, DEFLATE, AURA)
    return (*base, AURA_STREAM) if stream else base


@define
class VariantResult:
    """What one variant's replay did."""

    variant: Variant
    sent: int = 0
    received: int = 0
    altered: int = 0
    #: Data frames clients sent (prompts) and received (replies).
    up: Tally = field(factory=Tally)
    down: Tally = field(factory=Tally)
    latencies: list[float] = field(factory=list)
    #: Connections that ended early, by exception type.
    errors: Counter[str] = field(factory=Counter)
    #: True when the time bound stopped the replay before every prompt was sent.
    cut: bool = False
    #: The clients' own metrics (methods the server's replies used, ratios, latencies).
    metrics: Metrics = field(factory=Metrics)

    @property
    def lost(self) -> int:
        return self.sent - self.received

    @property
    def complete(self) -> bool:
        """Every prompt was sent and answered: the replay can be compared with another."""
        return not self.cut and not self.errors and self.lost == 0

    @property
    def payload(self) -> int:
        return self.up.payload + self.down.payload

    @property
    def wire(self) -> int:
        return self.up.wire + self.down.wire

    def latency_ms(self) -> tuple[float, float, float] | None:
        """Round-trip p50, p95, p99 in milliseconds (``None`` with fewer than two replies)."""
        if len(self.latencies) < 2:
            return None
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[49] * 1e3, cuts[94] * 1e3, cuts[98] * 1e3

    def as_dict(self) -> dict[str, Any]:
        latency = self.latency_ms()
        return {
            "variant": self.variant.name,
            "description": self.variant.description,
            "sent": self.sent,
            "received": self.received,
            "altered": self.altered,
            "lost": self.lost,
            "cut_by_time": self.cut,
            "errors": dict(self.errors),
            "up": {"frames": self.up.frames, "payload": self.up.payload, "headers": self.up.headers},
            "down": {"frames": self.down.frames, "payload": self.down.payload, "headers": self.down.headers},
            "latency_ms": dict(zip(("p50", "p95", "p99"), latency)) if latency else None,
            "reply_methods": dict(self.metrics.directions["in"].methods),
        }


async def receive_reply(conn: AuraConnection, length: int) -> str:
    """One reply of ``length`` characters, however it comes: one message, a stream, or a message per chunk.

    Whether a streamed reply comes as a stream or as a message per chunk is the
    sender's choice (``streams`` policy), so the receiver counts characters.
    """
    got = await conn.recv()
    while len(got) < length:
        got += await conn.recv()
    return got


def split(prompts: Sequence[str], users: int) -> list[Sequence[str]]:
    """Contiguous slices, one per user, as equal as possible."""
    count = len(prompts)
    return [prompts[k * count // users : (k + 1) * count // users] for k in range(users)]


async def replay(
    url: str,
    variant: Variant,
    book: ReplyBook,
    slices: Sequence[Sequence[str]],
    *,
    profiles: Sequence[Profile] = (),
    stream: bool = False,
    duration: float = 120.0,
    reply_timeout: float = 30.0,
    on_reply: Callable[[], None] = lambda: None,
    compressors: Compressors | None = None,
) -> VariantResult:
    """Run one variant: one concurrent client per slice; stop sending when ``duration`` has passed.

    ``compressors`` lets the users share Compressors (built from the default
    registry), so a profile's trained state is built once, not once per user.
    """
    result = VariantResult(variant)
    compressors = compressors or Compressors(default_registry())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration
    uri = url.rstrip("/") + (STREAM_PATH if stream else "/")

    async def user(prompts: Sequence[str]) -> None:
        try:
            async with connect(
                uri,
                profiles=profiles,
                offer=variant.aura,
                streams="auto" if variant.streams else "never",
                metrics=result.metrics,
                compressors=compressors,
                **variant.connect_options(),
            ) as conn:
                try:
                    for prompt in prompts:
                        if loop.time() >= deadline:
                            result.cut = True
                            break
                        expected = book.reply_for(prompt)
                        start = perf_counter()
                        await conn.send(prompt)
                        result.sent += 1
                        async with asyncio.timeout(reply_timeout):
                            got = await receive_reply(conn, len(expected))
                        result.latencies.append(perf_counter() - start)
                        result.received += 1
                        result.altered += got != expected
                        on_reply()
                finally:
                    result.up.merge(conn.wire.sent)
                    result.down.merge(conn.wire.received)
        except (TimeoutError, ConnectionClosed, OSError) as exc:
            result.errors[type(exc).__name__] += 1

    await asyncio.gather(*(user(s) for s in slices if s))
    return result


@frozen
class LoadTest:
    """A whole load test: every variant replays the same prompts, one variant after another."""

    book: ReplyBook
    variants: Sequence[Variant]
    users: int = 50
    #: How many prompts to replay (from the start of the prompt corpus).
    messages: int = 2000
    #: Seconds each variant may take before its users stop sending.
    duration: float = 120.0
    reply_timeout: float = 30.0
    stream: bool = False
    profiles: Sequence[Profile] = ()
    #: A running server (``aura serve``); ``None`` starts the demo server in-process.
    url: str | None = None
    #: Stream policy of the in-process server (``aura serve --streams`` for a running one).
    streams: str = "auto"

    async def run(self, progress: bool = True) -> list[VariantResult]:
        if self.url is not None:
            return await self._run_all(self.url, progress)
        from aura_core.ws.demo import serve_demo

        async with serve_demo(self.book, "127.0.0.1", 0, profiles=self.profiles, streams=self.streams) as server:
            port = server.sockets[0].getsockname()[1]
            return await self._run_all(f"ws://127.0.0.1:{port}", progress)

    async def _run_all(self, url: str, progress: bool) -> list[VariantResult]:
        from rich.console import Console
        from rich.progress import Progress

        prompts = list(self.book.prompts[: self.messages])
        slices = split(prompts, max(1, min(self.users, len(prompts))))
        compressors = Compressors(default_registry())
        if self.profiles:  # load the preferred profile before any clock runs
            compressors.prepare(self.profiles[0])
        results = []
        with Progress(console=Console(stderr=True), transient=True, disable=not progress) as bar:
            for variant in self.variants:
                task = bar.add_task(f"{variant.name:<19}", total=len(prompts))
                results.append(
                    await replay(
                        url,
                        variant,
                        self.book,
                        slices,
                        profiles=self.profiles,
                        stream=self.stream,
                        duration=self.duration,
                        reply_timeout=self.reply_timeout,
                        on_reply=partial(bar.advance, task),
                        compressors=compressors,
                    )
                )
        return results


#: AURA's targets for whole replies: its payload bytes over each deflate variant's.
TARGETS = {DEFLATE_NO_CONTEXT.name: 0.8, DEFLATE_12.name: 1.0, DEFLATE.name: 1.0}


def comparisons(results: Sequence[VariantResult], stream: bool) -> list[tuple[str, str, float | None, float | None]]:
    """``(variant, baseline, ratio of payload bytes, target)`` for each AURA variant against the others.

    The ratio is ``None`` unless both replays are complete (every prompt answered),
    since bytes of different replays do not compare.  Targets apply to the ``aura``
    variant on whole replies (``TARGETS``); streamed replies are compared without one.
    """
    by_name = {r.variant.name: r for r in results}
    out = []
    for result in results:
        if not result.variant.aura:
            continue
        for baseline in (PLAIN.name, DEFLATE_NO_CONTEXT.name, DEFLATE_12.name, DEFLATE.name, AURA.name):
            other = by_name.get(baseline)
            if other is None or other is result or not other.payload:
                continue
            target = None if stream or result.variant is not AURA else TARGETS.get(baseline)
            ratio = result.payload / other.payload if result.complete and other.complete else None
            out.append((result.variant.name, baseline, ratio, target))
    return out
