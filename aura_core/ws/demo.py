"""The demo server behind ``aura serve``: it answers every message with a reply from a corpus.

Replies are chosen so that a load-test client can predict them exactly: the i-th
prompt of the prompt corpus is answered with the i-th reply of the reply corpus
(the first occurrence wins for repeated prompts), any other text with the reply its
BLAKE2b hash picks.  A connection to ``/stream`` gets each reply streamed in chunks
of 1-5 words (:func:`chunk_words`), any other path gets whole replies.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from attrs import frozen
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

from aura_core.corpus import read_jsonl
from aura_core.profile import Profile
from aura_core.ws.audit import AuditLog
from aura_core.ws.connection import AuraConnection
from aura_core.ws.metrics import Metrics
from aura_core.ws.server import Handler, serve
from aura_core.ws.stream import chunk_words

STREAM_PATH = "/stream"


@frozen
class ReplyBook:
    """Prompts and the replies the demo server gives them."""

    prompts: Sequence[str]
    replies: Sequence[str]
    _index: dict[str, int]

    @classmethod
    def from_texts(cls, prompts: Sequence[str], replies: Sequence[str]) -> ReplyBook:
        if not replies:
            raise ValueError("the reply corpus is empty")
        index: dict[str, int] = {}
        for position, prompt in enumerate(prompts):
            index.setdefault(prompt, position % len(replies))
        return cls(prompts=list(prompts), replies=list(replies), index=index)

    @classmethod
    def load(cls, prompts: Path, replies: Path) -> ReplyBook:
        return cls.from_texts(list(read_jsonl(prompts)), list(read_jsonl(replies)))

    def reply_for(self, prompt: str) -> str:
        position = self._index.get(prompt)
        if position is None:
            digest = hashlib.blake2b(prompt.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            position = int.from_bytes(digest, "big") % len(self.replies)
        return self.replies[position]


def demo_handler(book: ReplyBook, chunk_delay: float = 0.0) -> Handler:
    """The connection handler of the demo server; ``chunk_delay`` paces streamed chunks like a model."""

    async def paced(chunks: list[str]) -> AsyncIterator[str]:
        for chunk in chunks:
            yield chunk
            await asyncio.sleep(chunk_delay)

    async def handler(conn: AuraConnection) -> None:
        streaming = urlsplit(conn.path or "").path.rstrip("/") == STREAM_PATH
        async for prompt in conn:
            reply = book.reply_for(prompt)
            if not streaming:
                await conn.send(reply)
            elif chunk_delay > 0:
                await conn.send_stream(paced(chunk_words(reply)))
            else:
                await conn.send_stream(chunk_words(reply))

    return handler


def serve_demo(
    book: ReplyBook,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    profiles: Sequence[Profile] = (),
    audit: AuditLog | None = None,
    metrics: Metrics | None = None,
    chunk_delay: float = 0.0,
    streams: str = "auto",
) -> Any:
    """The demo server (``async with serve_demo(...) as server``).

    Plain clients may negotiate permessage-deflate with any window they ask for (a
    bare ``websockets`` server caps the window at 12 bits), so the load test can
    measure deflate at its strongest as well as with websockets' defaults.
    """
    return serve(
        demo_handler(book, chunk_delay),
        host,
        port,
        profiles=profiles,
        audit=audit,
        metrics=metrics,
        streams=streams,
        compression=None,
        extensions=[ServerPerMessageDeflateFactory()],
    )
