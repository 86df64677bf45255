"""Soak: compress and decode the corpora in a loop, across threads and WebSocket connections.

::

    python tools/soak.py                      # 5 minutes (make soak)
    python tools/soak.py --seconds 3600 --threads 8 --connections 200

One Compressor (with a profile trained on subsamples of the train corpora, when a
trainable codec is installed) is shared by ``--threads`` threads that each compress
and decode the test corpora's messages in a loop.  With the ws extra installed, an
in-process loopback server also echoes the same messages to ``--connections``
clients (half of them get the echo streamed in chunks), and clients drop their TCP
connection at random with a message in flight, then reconnect.  The run stops after
``--seconds`` or ``--max-messages``, whichever comes first, and prints messages
processed, errors, altered and lost messages, and the resident memory after warm-up
and at the end.  Exit status 1 unless every message came back exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import resource
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from attrs import define, field

from aura_core import Compressor, Profile, load_profile, train_profile
from aura_core.corpus import read_jsonl
from aura_core.registry import default_registry

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("ai", "user", "log", "json")
#: Training subsample per category: enough for a realistic profile, quick to train.
TRAIN_PER_CATEGORY = 400
#: How long a client waits for an echo (or a handshake) before counting a failure.
REPLY_TIMEOUT = 60.0
#: Characters per chunk of a streamed echo.
CHUNK = 24
#: Messages compressed and decoded once before the clock starts.
WARM_UP_MESSAGES = 200
#: Share of the run after which memory is taken as warmed up (connections open, states built).
WARM_UP_SHARE = 0.2


@define
class Tally:
    """What one path (threads or WebSocket) did; updated from many threads or tasks."""

    messages: int = 0
    altered: int = 0
    lost: int = 0
    abandoned: int = 0
    reconnects: int = 0
    errors: Counter[str] = field(factory=Counter)
    lock: threading.Lock = field(factory=threading.Lock)

    def done(self, sent: str, received: str) -> None:
        with self.lock:
            self.messages += 1
            self.altered += received != sent

    def error(self, exc: BaseException) -> None:
        with self.lock:
            self.errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1

    @property
    def failed(self) -> bool:
        return bool(self.altered or self.lost or self.errors)


@define
class Budget:
    """The run's bounds: a deadline and a message count shared by every worker."""

    deadline: float
    max_messages: int
    tallies: list[Tally]

    def spent(self) -> bool:
        return time.monotonic() >= self.deadline or sum(t.messages for t in self.tallies) >= self.max_messages


def rss_bytes() -> int:
    """Resident memory now (Linux /proc), else the peak so far (getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@define
class RssSampler:
    """Resident memory once a second, so growth is judged after warm-up, not from the start."""

    samples: list[tuple[float, int]] = field(factory=list)
    stop: threading.Event = field(factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.samples.append((time.monotonic(), rss_bytes()))

    def at(self, moment: float) -> int:
        """The first sample taken at or after ``moment`` (the last one if none was)."""
        return next((rss for when, rss in self.samples if when >= moment), self.samples[-1][1])


def mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def corpus(corpora: Path, split: str, per_category: int | None) -> list[str]:
    texts = []
    for category in CATEGORIES:
        path = corpora / f"{category}.{split}.jsonl"
        if not path.exists():
            sys.exit(f"soak: {path} not found (set AURA_CORPORA or pass --corpora)")
        texts += list(itertools.islice(read_jsonl(path), per_category))
    return texts


def thread_loop(compressor: Compressor, messages: list[str], start: int, stride: int, budget: Budget, tally: Tally) -> None:
    """Compress and decode messages start, start + stride, ... until the budget is spent."""
    for i in itertools.count(start, stride):
        if budget.spent():
            return
        text = messages[i % len(messages)]
        try:
            received = compressor.decompress(compressor.compress(text).compressed_data)
        except Exception as exc:  # a soak counts every failure, whatever it is
            tally.error(exc)
            continue
        tally.done(text, received)


async def websocket_soak(
    messages: list[str], profile: Profile | None, connections: int, disconnect: float, budget: Budget, tally: Tally
) -> None:
    """Echo messages over ``connections`` loopback connections; drop some mid-message."""
    from websockets.exceptions import ConnectionClosed

    from aura_core.ws import connect, serve
    from aura_core.ws.connection import Compressors

    profiles = [profile] if profile is not None else []
    # The clients share their Compressors, as one process's connections should: a
    # profile's trained state is built once, not once per connection.
    compressors = Compressors(default_registry())
    compressors.prepare(profile)

    async def echo(conn):  # type: ignore[no-untyped-def]
        streamed = (conn.path or "").startswith("/stream")
        async for text in conn:
            if streamed:
                await conn.send_stream([text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""])
            else:
                await conn.send(text)

    async def echo_of(conn, length: int) -> str:  # type: ignore[no-untyped-def]
        """The echo of a ``length``-character message: one message, or one per chunk when the
        server sends a stream as separate messages (its choice when the stream format does not pay)."""
        received = await conn.recv()
        while len(received) < length:
            received += await conn.recv()
        return received

    async def client(number: int, port: int) -> None:
        rng = random.Random(number)
        uri = f"ws://127.0.0.1:{port}/{'stream' if number % 2 else 'echo'}"
        position = number
        while not budget.spent():
            try:
                # Server and clients share one event loop and the GIL with the soak threads,
                # so a handshake may wait as long as a reply.
                async with connect(
                    uri, profiles=profiles, compressors=compressors, open_timeout=REPLY_TIMEOUT
                ) as conn:
                    while not budget.spent():
                        text = messages[position % len(messages)]
                        position += connections
                        await conn.send(text)
                        if rng.random() < disconnect:
                            conn.ws.transport.abort()  # the echo is in flight: dropped with the connection
                            tally.abandoned += 1
                            break
                        try:
                            received = await asyncio.wait_for(echo_of(conn, len(text)), REPLY_TIMEOUT)
                        except (ConnectionClosed, TimeoutError) as exc:
                            tally.lost += 1
                            tally.error(exc)
                            break
                        tally.done(text, received)
            except ConnectionClosed:
                pass  # the connection this client aborted, closing
            except OSError as exc:
                tally.error(exc)
            tally.reconnects += 1

    async with serve(echo, "127.0.0.1", 0, profiles=profiles, streams="always") as server:
        port = next(iter(server.sockets)).getsockname()[1]
        await asyncio.gather(*(client(number, port) for number in range(connections)))


def ws_available() -> bool:
    try:
        import aura_core.ws.client  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300, help="how long to run (default 300)")
    parser.add_argument("--max-messages", type=int, default=10_000_000, help="stop after this many messages in all")
    parser.add_argument("--threads", type=int, default=4, help="threads sharing one Compressor (default 4)")
    parser.add_argument("--connections", type=int, default=50, help="WebSocket clients (default 50; 0: none)")
    parser.add_argument("--disconnect", type=float, default=0.01, help="chance a client drops a message in flight")
    parser.add_argument("--per-category", type=int, default=None, help="test messages per corpus (default: all)")
    parser.add_argument("--profile", type=Path, help="profile to use (default: train one on the train corpora)")
    parser.add_argument(
        "--corpora", type=Path, default=Path(os.environ.get("AURA_CORPORA", ROOT.parent / "shared" / "corpora"))
    )
    args = parser.parse_args()

    trainable = [c.name for c in default_registry().codecs if c.trainable]
    if args.profile is not None:
        profile: Profile | None = load_profile(args.profile)
    elif trainable:
        print(f"soak: training a profile ({', '.join(trainable)}) on {TRAIN_PER_CATEGORY} messages per train corpus")
        profile = train_profile(corpus(args.corpora, "train", TRAIN_PER_CATEGORY), progress=False)
    else:
        profile = None
    messages = corpus(args.corpora, "test", args.per_category)
    compressor = Compressor(profile=profile)
    for text in messages[:: max(1, len(messages) // WARM_UP_MESSAGES)]:  # lazy structures built, kernels compiled
        compressor.decompress(compressor.compress(text).compressed_data)
    compressor.reset_statistics()
    websocket = args.connections > 0 and ws_available()
    print(
        f"soak: {len(messages):,} test messages, {args.threads} threads"
        + (f", {args.connections} WebSocket connections" if websocket else ", no WebSocket (ws extra not installed)")
        + f", up to {args.seconds:g} s or {args.max_messages:,} messages",
        flush=True,
    )

    threads_tally, ws_tally = Tally(), Tally()
    rss_start = rss_bytes()
    sampler = RssSampler()
    threading.Thread(target=sampler.run, daemon=True).start()
    started = time.monotonic()
    budget = Budget(started + args.seconds, args.max_messages, [threads_tally, ws_tally])
    workers = [
        threading.Thread(target=thread_loop, args=(compressor, messages, k, args.threads, budget, threads_tally))
        for k in range(args.threads)
    ]
    if websocket:
        coroutine = websocket_soak(messages, profile, args.connections, args.disconnect, budget, ws_tally)
        workers.append(threading.Thread(target=asyncio.run, args=(coroutine,)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    rss_end = rss_bytes()
    sampler.stop.set()
    sampler.samples.append((time.monotonic(), rss_end))
    # The WebSocket side builds its Compressors and connections in the first seconds.
    rss_warm = sampler.at(started + WARM_UP_SHARE * elapsed)

    stats = compressor.statistics()
    print(f"soak: ran {elapsed:,.0f} s")
    print(
        f"threads:   {threads_tally.messages:>10,} messages ({threads_tally.messages / elapsed:,.0f}/s), "
        f"{sum(threads_tally.errors.values())} errors, {threads_tally.altered} altered; "
        f"methods {dict(Counter(stats.methods).most_common())}"
    )
    if websocket:
        print(
            f"websocket: {ws_tally.messages:>10,} messages ({ws_tally.messages / elapsed:,.0f}/s), "
            f"{sum(ws_tally.errors.values())} errors, {ws_tally.altered} altered, {ws_tally.lost} lost; "
            f"{ws_tally.abandoned:,} dropped in flight by random disconnects, {ws_tally.reconnects:,} reconnects"
        )
    for tally in (threads_tally, ws_tally):
        for error, count in tally.errors.most_common(10):
            print(f"  error x{count}: {error}")
    print(
        f"rss: {mib(rss_start)} at the start, {mib(rss_warm)} after warm-up ({WARM_UP_SHARE:.0%} of the run), "
        f"{mib(rss_end)} at the end (growth after warm-up {mib(rss_end - rss_warm)}), peak {mib(peak_rss_bytes())}"
    )
    failed = threads_tally.failed or ws_tally.failed
    print(f"result: {'FAIL' if failed else 'PASS'} (0 lost or altered required)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
