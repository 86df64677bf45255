"""The client helper: ``websockets``' ``connect`` that offers AURA in the handshake.

::

    async with connect("ws://127.0.0.1:8765", profiles=[load_profile("chat.aura")]) as conn:
        await conn.send("Hello!")
        async for piece in conn.recv_streaming():   # a streamed reply, chunk by chunk
            print(piece, end="", flush=True)

The client offers every profile it holds (in the order given, most preferred first)
and what it decodes; whatever the server accepts, the application sends and receives
``str``.  With ``offer=False`` it is a plain text client (and offers permessage-deflate
unless told otherwise), which is how the load test measures the baselines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import connect as ws_connect
from websockets.typing import Subprotocol

from aura_core.profile import Profile
from aura_core.registry import Registry, default_registry
from aura_core.ws.audit import AuditLog
from aura_core.ws.connection import DEFAULT_MAX_MESSAGE_SIZE, STREAM_POLICIES, AuraConnection, Compressors
from aura_core.ws.metrics import Metrics
from aura_core.ws.negotiation import DECODES_HEADER, client_agreement, client_tokens
from aura_core.ws.wire import WireCounter


@asynccontextmanager
async def connect(
    uri: str,
    *,
    profiles: Sequence[Profile] = (),
    registry: Registry | None = None,
    offer: bool = True,
    streams: str = "auto",
    audit: AuditLog | None = None,
    metrics: Metrics | None = None,
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    compressors: Compressors | None = None,
    **ws_kwargs: Any,
) -> AsyncIterator[AuraConnection]:
    """Open a connection; the AURA offer is made from ``profiles`` and the installed codecs.

    :param offer: offer AURA at all (``False``: a plain text client).
    :param streams: ``"auto"`` or ``"always"``: say that this client decodes streamed
        replies, and send its own in the stream format where it is measured smaller
        (``"auto"``) or whenever the server decodes them; ``"never"``: neither.
    :param max_message_size: largest message (UTF-8 bytes, after decoding) accepted.
    :param compressors: share Compressors between many connections of one process
        (made from ``registry``); by default each connection builds its own.
    :param ws_kwargs: passed to ``websockets.asyncio.client.connect``.  ``compression``
        defaults to none when offering AURA (its payloads are compressed already) and
        to permessage-deflate otherwise.
    """
    if compressors is None:
        compressors = Compressors(registry or default_registry(), max_message_size)
    elif registry is not None and registry is not compressors.registry:
        raise ValueError("compressors= must be built from the registry this connection uses")
    installed = compressors.installed
    ws_kwargs.setdefault("compression", None if offer else "deflate")
    ws_kwargs.setdefault("max_size", 2 * max_message_size)
    if streams not in STREAM_POLICIES:
        raise ValueError(f"streams must be one of {', '.join(STREAM_POLICIES)}, not {streams!r}")
    offered = client_tokens(installed, profiles, streams != "never")
    tokens = [Subprotocol(t) for t in offered] if offer else None
    opened = None
    try:
        async with ws_connect(uri, subprotocols=tokens, **ws_kwargs) as ws:
            wire = WireCounter(client=True).attach(ws)
            assert ws.response is not None
            agreement = client_agreement(ws.subprotocol, ws.response.headers.get(DECODES_HEADER), profiles, installed)
            compressor = compressors.get(agreement)
            if metrics is not None:
                metrics.opened("aura" if agreement.aura else "plain")
                opened = ws
            yield AuraConnection(
                ws,
                agreement,
                compressor,
                wire,
                audit=audit,
                metrics=metrics,
                send_streams=compressors.sends_streams(agreement, streams),
            )
    finally:
        if metrics is not None and opened is not None:
            metrics.closed(opened.protocol.close_code)
