"""The server helper: ``websockets``' ``serve`` with AURA negotiated in the handshake.

::

    async def handler(conn: AuraConnection) -> None:
        async for text in conn:              # str, whatever the client speaks
            await conn.send(reply_to(text))  # AURA frame, or text frame for a plain client

    async with serve(handler, "127.0.0.1", 8765, profiles=[load_profile("chat.aura")]):
        await asyncio.get_running_loop().create_future()

The handler runs once per connection, like a ``websockets`` handler, but receives an
:class:`~aura_core.ws.connection.AuraConnection`.  A connection that ends (normally,
by a network error, or because its peer sent something undecodable) ends only its own
handler; the server keeps serving the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from aura_core.profile import Profile
from aura_core.registry import Registry, default_registry
from aura_core.ws.audit import AuditLog
from aura_core.ws.connection import DEFAULT_MAX_MESSAGE_SIZE, STREAM_POLICIES, AuraConnection, Compressors
from aura_core.ws.metrics import Metrics
from aura_core.ws.negotiation import (
    DECODES_HEADER,
    PLAIN,
    STREAM_DEFLATE,
    Agreement,
    Capabilities,
    profile_name,
    select,
    server_agreement,
)
from aura_core.ws.wire import WireCounter

log = logging.getLogger("aura_core.ws")

Handler = Callable[[AuraConnection], Awaitable[None]]


class NegotiatedConnection(ServerConnection):
    """A server connection that carries what its handshake agreed (set before the handler runs)."""

    agreement: Agreement = PLAIN
    wire: WireCounter | None = None


class AuraServer:
    """The negotiation policy of one server: its profiles, its codecs, its Compressors."""

    def __init__(
        self,
        profiles: Sequence[Profile] = (),
        registry: Registry | None = None,
        *,
        streams: str = "auto",
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        if streams not in STREAM_POLICIES:
            raise ValueError(f"streams must be one of {', '.join(STREAM_POLICIES)}, not {streams!r}")
        self.registry = registry or default_registry()
        self.held = {profile_name(p): p for p in profiles}
        self.streams = streams
        self.compressors = Compressors(self.registry, max_message_size)
        self.encodes = self.compressors.installed
        # Load every profile before serving, so that no connection waits for one.
        for profile in profiles:
            self.compressors.prepare(profile)
        self.decodes = Capabilities(
            markers=self.encodes, streams=frozenset() if streams == "never" else frozenset({STREAM_DEFLATE})
        )

    def select_subprotocol(self, connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        """``websockets``' hook: pick the client's first AURA token we can honour, or none."""
        choice = select(offered, self.held)
        if choice is None:
            return None
        token, client = choice
        cast(NegotiatedConnection, connection).agreement = server_agreement(
            token, client, self.held, self.encodes, self.streams != "never"
        )
        return Subprotocol(token)

    def process_response(self, connection: ServerConnection, request: Request, response: Response) -> None:
        """``websockets``' hook: count frames from the start and state what we decode."""
        if response.status_code != 101:
            return
        negotiated = cast(NegotiatedConnection, connection)
        negotiated.wire = WireCounter(client=False).attach(connection)
        if negotiated.agreement.aura:
            response.headers[DECODES_HEADER] = self.decodes.fields()


def serve(
    handler: Handler,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    profiles: Sequence[Profile] = (),
    registry: Registry | None = None,
    streams: str = "auto",
    audit: AuditLog | None = None,
    metrics: Metrics | None = None,
    max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    **ws_kwargs: Any,
) -> Any:
    """Start a server; use as ``async with serve(...) as server:`` (a ``websockets`` server).

    :param profiles: profiles this server holds; clients offering one of them (by
        hash) get it, clients holding none get AURA without a profile.
    :param streams: whether :meth:`AuraConnection.send_stream` uses the stream format
        with clients that decode it: ``"auto"`` (where it is measured smaller than one
        message per chunk), ``"always"`` or ``"never"`` (then it is not offered either).
    :param max_message_size: largest message (UTF-8 bytes, after decoding) accepted.
    :param ws_kwargs: passed to ``websockets.asyncio.server.serve`` (``compression``
        for plain clients is websockets' default, permessage-deflate).
    """
    policy = AuraServer(profiles, registry, streams=streams, max_message_size=max_message_size)
    watchers: set[asyncio.Future[None]] = set()

    async def handle(connection: ServerConnection) -> None:
        ws = cast(NegotiatedConnection, connection)
        assert ws.wire is not None
        compressors = policy.compressors
        conn = AuraConnection(
            ws,
            ws.agreement,
            compressors.get(ws.agreement),
            ws.wire,
            audit=audit,
            metrics=metrics,
            send_streams=compressors.sends_streams(ws.agreement, streams),
        )
        log.info("connection %s: %s", conn.id, ws.agreement.token or "plain text")
        if metrics is not None:
            metrics.opened("aura" if ws.agreement.aura else "plain")
            # Count the close once the connection is really closed (after the handler,
            # whoever closes); keep the task referenced until then.
            watcher = asyncio.ensure_future(ws.wait_closed())
            watchers.add(watcher)
            watcher.add_done_callback(watchers.discard)
            watcher.add_done_callback(lambda _: metrics.closed(ws.protocol.close_code))
        try:
            await handler(conn)
        except ConnectionClosed:
            pass

    ws_kwargs.setdefault("max_size", 2 * max_message_size)
    return ws_serve(
        handle,
        host,
        port,
        select_subprotocol=policy.select_subprotocol,
        process_response=policy.process_response,
        create_connection=NegotiatedConnection,
        **ws_kwargs,
    )
