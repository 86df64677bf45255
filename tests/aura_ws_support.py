"""Helpers of the WebSocket tests (tests/test_ws_*.py): a real server on an ephemeral
loopback port, and real trained profiles.  Imported after ``pytest.importorskip("websockets")``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from aura_test_support import trainable_registry

from aura_core import Profile, train_profile
from aura_core.registry import Registry
from aura_core.ws.connection import AuraConnection
from aura_core.ws.server import Handler, serve

LOOPBACK = "127.0.0.1"


@asynccontextmanager
async def running(handler: Handler, **kwargs: Any) -> AsyncIterator[str]:
    """Serve ``handler`` on 127.0.0.1 at a port the OS picks; yield the ``ws://`` URL."""
    async with serve(handler, LOOPBACK, 0, **kwargs) as server:
        host, port = server.sockets[0].getsockname()[:2]
        yield f"ws://{host}:{port}"


async def echo(conn: AuraConnection) -> None:
    async for text in conn:
        await conn.send(text)


def trained_profile(profile_id: int, topic: Sequence[str], registry: Registry | None = None) -> Profile:
    """A real profile of the trainable test codec, learned from sentences about ``topic``."""
    texts = [f"the {a} and the {b} went to see the {c} again" for a in topic for b in topic for c in topic]
    return train_profile(texts, progress=False, profile_id=profile_id, registry=registry or trainable_registry())
