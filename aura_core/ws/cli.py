"""``aura serve`` and ``aura loadtest``: the WebSocket demo server and the load test.

This module imports only click at load time, so ``aura`` works without the ``ws``
extra; the commands say how to install it when it is missing.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from aura_core.options import profile_option

if TYPE_CHECKING:
    from aura_core.profile import Profile
    from aura_core.ws.demo import ReplyBook
    from aura_core.ws.loadtest import VariantResult

_corpora_option = click.option(
    "--corpora",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="AURA_CORPORA",
    help="Directory holding user.test.jsonl (prompts) and ai.test.jsonl (replies) [env AURA_CORPORA].",
)
_prompts_option = click.option(
    "--prompts", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Prompt corpus (JSONL)."
)
_replies_option = click.option(
    "--replies", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Reply corpus (JSONL)."
)
_profile_option = profile_option("Profile to hold (repeatable; a client offers them in this order).")


F = TypeVar("F", bound=Callable[..., Any])


def _streams_option(whose: str) -> Callable[[F], F]:
    return click.option(
        "--streams",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help=f"Whether {whose} sends streamed replies in the stream format: where measured smaller than "
        "one message per chunk, always, or never.",
    )


def _require_ws() -> None:
    missing = [name for name in ("websockets",) if find_spec(name) is None]
    if missing:
        raise click.ClickException("the WebSocket commands need the ws extra: pip install 'aura-core[ws]'")


def _book(corpora: Path | None, prompts: Path | None, replies: Path | None) -> ReplyBook:
    from aura_core.ws.demo import ReplyBook

    prompts = prompts or (corpora / "user.test.jsonl" if corpora else None)
    replies = replies or (corpora / "ai.test.jsonl" if corpora else None)
    if prompts is None or replies is None or not prompts.exists() or not replies.exists():
        raise click.ClickException(
            "no corpus: give --corpora DIR (with user.test.jsonl and ai.test.jsonl), set AURA_CORPORA, "
            "or give --prompts and --replies"
        )
    return ReplyBook.load(prompts, replies)


def _profiles(paths: tuple[Path, ...]) -> list[Profile]:
    from aura_core.profile import load_profile

    return [load_profile(p) for p in paths]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@_profile_option
@_corpora_option
@_prompts_option
@_replies_option
@click.option("--chunk-delay", default=0.0, show_default=True, help="Seconds between streamed chunks (/stream).")
@_streams_option("the server")
@click.option("--audit-log", type=click.Path(dir_okay=False, path_type=Path), help="Write every message to this file.")
@click.option("--audit-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--audit-max-bytes", default=0, show_default=True, help="Rotate at this size (0: rotate by time).")
@click.option("--audit-backups", default=10, show_default=True, help="Rotated files kept (size-based rotation).")
@click.option(
    "--audit-when", default="midnight", show_default=True, help="Time-based rotation unit (logging's `when`)."
)
@click.option("--audit-retention-days", default=30, show_default=True, help="Days of rotated files kept (time-based).")
@click.option("--metrics-port", type=click.IntRange(0, 65535), help="Expose Prometheus /metrics on this port.")
@click.option(
    "--stats-interval", default=0.0, show_default=True, help="Print metrics every N seconds (0: at exit only)."
)
def serve(
    host: str,
    port: int,
    profiles: tuple[Path, ...],
    corpora: Path | None,
    prompts: Path | None,
    replies: Path | None,
    chunk_delay: float,
    streams: str,
    audit_log: Path | None,
    audit_format: str,
    audit_max_bytes: int,
    audit_backups: int,
    audit_when: str,
    audit_retention_days: int,
    metrics_port: int | None,
    stats_interval: float,
) -> None:
    """Run the demo chat server: every message is answered with a reply from a corpus.

    Clients that offer AURA in the handshake get AURA frames; any other client gets
    plain text frames (with permessage-deflate if it asks). Connect to /stream to get
    replies streamed in chunks of 1-5 words. Stop with Ctrl-C; the metrics are printed.

    \b
    Examples:
      aura serve --corpora ../shared/corpora -p chat.aura
      aura serve --corpora ../shared/corpora --audit-log audit.log --metrics-port 9108
    """
    _require_ws()
    from aura_core.ws.audit import AuditConfig, AuditLog
    from aura_core.ws.demo import serve_demo
    from aura_core.ws.metrics import Metrics

    book = _book(corpora, prompts, replies)
    held = _profiles(profiles)
    metrics = Metrics()
    if metrics_port is not None:
        if find_spec("prometheus_client") is None:
            raise click.ClickException("--metrics-port needs the metrics extra: pip install 'aura-core[metrics]'")
        metrics.serve_http(metrics_port, addr=host)
    audit = (
        AuditLog(
            AuditConfig(
                path=audit_log,
                format=audit_format,
                max_bytes=audit_max_bytes,
                backups=audit_backups,
                when=audit_when,
                retention_days=audit_retention_days,
            )
        )
        if audit_log
        else None
    )

    async def run() -> None:
        stop: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def request_stop() -> None:
            if not stop.done():
                stop.set_result(None)

        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, request_stop)
        async with serve_demo(
            book, host, port, profiles=held, audit=audit, metrics=metrics, chunk_delay=chunk_delay, streams=streams
        ) as server:
            where = ", ".join(f"ws://{s.getsockname()[0]}:{s.getsockname()[1]}" for s in server.sockets)
            click.echo(
                f"serving {len(book.replies):,} replies on {where} (/stream for streamed replies); "
                f"profiles: {', '.join(p.hash[:16] for p in held) or 'none'}; Ctrl-C to stop",
                err=True,
            )
            while not stop.done():
                await asyncio.wait([stop], timeout=stats_interval or None)
                if not stop.done():
                    click.echo(metrics.summary(), err=True)

    try:
        asyncio.run(run())
    finally:
        if audit is not None:
            audit.close()
        click.echo(metrics.summary(), err=True)


@click.command()
@click.option("--url", help="A running `aura serve` (ws://host:port); default: start one in-process on 127.0.0.1.")
@click.option("--users", default=50, show_default=True, type=click.IntRange(1, 10_000), help="Concurrent clients.")
@click.option(
    "--messages", default=2000, show_default=True, type=click.IntRange(1), help="Prompts replayed per variant."
)
@click.option("--duration", default=120.0, show_default=True, help="Seconds each variant may run before users stop.")
@click.option("--reply-timeout", default=30.0, show_default=True, help="Seconds to wait for one reply.")
@click.option("--stream", is_flag=True, help="Ask for streamed replies (chunks of 1-5 words).")
@_streams_option("the in-process server")
@click.option(
    "--variants", help="Comma-separated subset of: plain, deflate-no-context, deflate-12, deflate, aura, aura-stream."
)
@_profile_option
@_corpora_option
@_prompts_option
@_replies_option
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results here."
)
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
def loadtest(
    url: str | None,
    users: int,
    messages: int,
    duration: float,
    reply_timeout: float,
    stream: bool,
    streams: str,
    variants: str | None,
    profiles: tuple[Path, ...],
    corpora: Path | None,
    prompts: Path | None,
    replies: Path | None,
    json_path: Path | None,
    no_progress: bool,
) -> None:
    """Replay a corpus with N concurrent WebSocket clients, once per way of connecting.

    Each variant (plain text, permessage-deflate without and with context takeover,
    AURA) sends the same prompts and checks every reply. Prints messages
    sent/received/altered/lost, payload bytes on the wire per direction, and
    round-trip latency. Exit status 1 if anything was lost or altered.

    \b
    Examples:
      aura loadtest --users 50 --corpora ../shared/corpora -p chat.aura
      aura loadtest --stream --users 50 --corpora ../shared/corpora -p chat.aura
      aura loadtest --url ws://127.0.0.1:8765 --users 10 --messages 200
    """
    _require_ws()
    from aura_core.ws.loadtest import VARIANTS, LoadTest, default_variants

    chosen = default_variants(stream)
    if variants:
        unknown = [v for v in variants.split(",") if v.strip() not in VARIANTS]
        if unknown:
            raise click.ClickException(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
        chosen = tuple(VARIANTS[v.strip()] for v in variants.split(","))
    test = LoadTest(
        book=_book(corpora, prompts, replies),
        variants=chosen,
        users=users,
        messages=messages,
        duration=duration,
        reply_timeout=reply_timeout,
        stream=stream,
        streams=streams,
        profiles=_profiles(profiles),
        url=url,
    )
    results = asyncio.run(test.run(progress=not no_progress and os.environ.get("TERM") != "dumb"))
    _print_results(test, results)
    if json_path is not None:
        json_path.write_text(json.dumps(_as_json(test, results), indent=2) + "\n")
    if any(r.lost or r.altered or r.errors for r in results):
        raise SystemExit(1)


def _as_json(test: Any, results: list[VariantResult]) -> dict[str, Any]:
    from aura_core.ws.loadtest import comparisons

    return {
        "users": test.users,
        "prompts": min(test.messages, len(test.book.prompts)),
        "stream": test.stream,
        "profiles": [p.hash[:16] for p in test.profiles],
        "variants": [r.as_dict() for r in results],
        "comparisons": [
            {"variant": v, "baseline": b, "payload_ratio": ratio, "target": target}
            for v, b, ratio, target in comparisons(results, test.stream)
        ],
    }


def _print_results(test: Any, results: list[VariantResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    from aura_core.ws.loadtest import PLAIN, comparisons

    console = Console(width=max(Console().width, 150))
    plain = next((r for r in results if r.variant is PLAIN), None)
    title = (
        f"{min(test.messages, len(test.book.prompts)):,} prompts x {len(results)} variants, {test.users} users, "
        f"{'streamed' if test.stream else 'whole'} replies; payload = data-frame payload bytes on the wire"
    )
    table = Table(title=title)
    for column in (
        "variant",
        "sent",
        "recv",
        "altered",
        "lost",
        "up payload",
        "down payload",
        "total payload",
        "+ frame headers",
        "vs plain",
        "p50/p95/p99 ms",
    ):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for r in results:
        latency = r.latency_ms()
        table.add_row(
            r.variant.name,
            f"{r.sent:,}",
            f"{r.received:,}",
            f"{r.altered:,}",
            f"{r.lost:,}",
            f"{r.up.payload:,}",
            f"{r.down.payload:,}",
            f"{r.payload:,}",
            f"{r.wire:,}",
            f"{r.payload / plain.payload:.3f}" if plain and plain.payload else "-",
            "/".join(f"{v:.1f}" for v in latency) if latency else "-",
        )
    console.print(table)
    for r in results:
        notes = []
        if r.cut:
            notes.append("stopped by --duration before every prompt was sent")
        if r.errors:
            notes.append("connections ended early: " + ", ".join(f"{k} x{n}" for k, n in r.errors.items()))
        if r.variant.aura:
            replies = r.metrics.directions["in"]
            notes.append(
                "reply methods: "
                + ", ".join(f"{m} {n}" for m, n in replies.methods.most_common())
                + f"; template hit rate {replies.template_hit_rate:.1%}"
            )
        if notes:
            console.print(f"{r.variant.name}: " + "; ".join(notes), highlight=False)
    for variant, baseline, ratio, target in comparisons(results, test.stream):
        if ratio is None:
            console.print(f"{variant} / {baseline}: not comparable (a replay was incomplete)", highlight=False)
            continue
        verdict = "" if target is None else f"  (target <= {target:.2f}: {'met' if ratio <= target else 'MISSED'})"
        console.print(f"{variant} / {baseline}: {ratio:.3f} of the payload bytes{verdict}", highlight=False)
