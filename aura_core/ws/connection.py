"""One WebSocket connection whose application sends and receives ``str``.

:class:`AuraConnection` wraps a ``websockets`` connection (server or client side)
after the handshake has settled an :class:`~aura_core.ws.negotiation.Agreement`:

* AURA agreed: each message goes out as one binary frame holding one AURA payload
  (``marker || body``, decodable on its own); a streamed reply goes out as one
  fragmented binary message in the stream format (:mod:`aura_core.ws.stream`).
* Nothing agreed: plain text frames, as before AURA.

Whatever arrives that cannot be decoded closes *this* connection with a close code
and reason that say why (:data:`CLOSE_CODES`), and surfaces to the application as
``websockets.exceptions.ConnectionClosedError`` whose ``__cause__`` is the decode error.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from time import perf_counter
from typing import NoReturn

from websockets.asyncio.connection import Connection
from websockets.exceptions import ConnectionClosedOK
from websockets.frames import CloseCode
from websockets.typing import Data

from aura_core.compressor import Compressor
from aura_core.errors import (
    AuraDecodeError,
    InvalidTextError,
    OutputLimitError,
    ProfileMismatchError,
    UnknownMarkerError,
)
from aura_core.markers import RAW
from aura_core.profile import Profile
from aura_core.registry import Registry
from aura_core.ws.audit import AuditLog
from aura_core.ws.metrics import STREAM_METHOD, TEXT_METHOD, Metrics
from aura_core.ws.negotiation import Agreement
from aura_core.ws.stream import STREAM_MARK, StreamDecoder, StreamEncoder, chunk_words, stream_dictionary
from aura_core.ws.wire import WireCounter, frame_header_size

log = logging.getLogger("aura_core.ws")

#: Default bound on the UTF-8 size of one received message (or streamed reply).
DEFAULT_MAX_MESSAGE_SIZE = 1 << 20
#: How :meth:`AuraConnection.send_stream` may send: see :meth:`Compressors.sends_streams`.
STREAM_POLICIES = ("auto", "always", "never")
#: A reply like an assistant's (written for this purpose): what :meth:`Compressors.prepare`
#: runs through every codec once, and what the ``"auto"`` stream policy measures.
REFERENCE_REPLY = (
    "Sure! Here is a short overview of how you can do this.\n\n"
    "1. **Install the package.** Run `pip install requests` in your terminal. If you use a "
    "virtual environment, activate it first.\n"
    "2. **Send the request.** The following example sends a GET request and prints the status code:\n\n"
    "```python\nimport requests\n\n"
    'response = requests.get("https://example.com/api/items", timeout=10)\n'
    'print(response.status_code)\nfor item in response.json():\n    print(item["name"])\n```\n\n'
    "3. **Handle errors.** Wrap the call in a `try` block and catch `requests.RequestException`, so "
    "that a network problem does not stop your program.\n\n"
    "This approach works well for small scripts. For larger projects you may want to create a session, "
    "add retries and log every failure. Let me know if you have any questions, or if you would like me "
    "to explain any part in more detail!"
)


class BinaryOnPlainConnection(AuraDecodeError):
    """A binary frame arrived on a connection that negotiated no AURA subprotocol."""


#: Application close codes (RFC 6455 reserves 4000-4999 for applications).
UNKNOWN_MARKER = 4001
PROFILE_MISMATCH = 4002
#: Which close code each kind of undecodable message gets (most specific first).
CLOSE_CODES: tuple[tuple[type[Exception], int], ...] = (
    (UnknownMarkerError, UNKNOWN_MARKER),
    (ProfileMismatchError, PROFILE_MISMATCH),
    (OutputLimitError, CloseCode.MESSAGE_TOO_BIG),
    (BinaryOnPlainConnection, CloseCode.UNSUPPORTED_DATA),
    (AuraDecodeError, CloseCode.INVALID_DATA),
)
#: RFC 6455 limits a close reason to 123 bytes of UTF-8.
MAX_REASON = 123


def close_code_for(exc: Exception) -> int:
    for kind, code in CLOSE_CODES:
        if isinstance(exc, kind):
            return code
    return CloseCode.INTERNAL_ERROR


def close_reason(exc: Exception) -> str:
    """``"<ErrorType>: <message>"`` cut to the 123 bytes a close frame can carry."""
    reason = f"{type(exc).__name__}: {exc}".encode()
    return reason[:MAX_REASON].decode("utf-8", "ignore")


class Compressors:
    """The Compressors of one process's connections, built once and shared.

    A Compressor carries no state from one message to the next, so connections can
    share it.  There is one per agreed profile (``None`` included), holding only that
    profile: each side of a connection encodes, and its peer therefore sends, with the
    agreed profile alone.  A peer that decodes fewer codecs gets a
    :meth:`~aura_core.Compressor.restricted` copy that shares the loaded profile, so
    nothing a client offers can make a profile's trained state (seconds to build,
    megabytes to hold) be built twice.  A profile not loaded yet is loaded, on the
    event loop, by the first connection that agrees on it; :meth:`prepare` loads one
    ahead of time and runs every codec once, so that codecs that set themselves up
    on first use (JIT compilation) do not stall the first connections either.
    """

    def __init__(self, registry: Registry, max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE) -> None:
        self.registry = registry
        self.max_message_size = max_message_size
        self.installed = frozenset(c.marker for c in registry.codecs)
        self._built: dict[tuple[str | None, frozenset[int]], Compressor] = {}
        self._streams_pay: dict[tuple[str | None, frozenset[int]], bool] = {}

    def _key(self, profile: Profile | None, markers: frozenset[int]) -> tuple[str | None, frozenset[int]]:
        return (profile.hash if profile is not None else None, (markers | {RAW}) & self.installed)

    def prepare(self, profile: Profile | None) -> Compressor:
        """The Compressor encoding with ``profile`` and every installed codec, ready to use."""
        key = self._key(profile, self.installed)
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = Compressor(
                profile=profile, max_output_size=self.max_message_size, registry=self.registry
            )
            for codec in built.codecs:
                alone = built.restricted([codec.name])
                # A new str object each time: a codec may keep work done for a text object.
                text = "".join(REFERENCE_REPLY)
                alone.decompress(alone.compress(text).compressed_data)
            self._streams_pay[key] = _streams_pay(built, profile)
        return built

    def get(self, agreement: Agreement) -> Compressor:
        """The Compressor for what ``agreement`` allows this side to send."""
        full = self.prepare(agreement.profile)
        key = self._key(agreement.profile, agreement.markers)
        built = self._built.get(key)
        if built is None:
            built = self._built[key] = full.restricted(self.registry.codec_for_marker(m).name for m in key[1])
        return built

    def sends_streams(self, agreement: Agreement, policy: str) -> bool:
        """Whether a connection with ``agreement`` sends streamed replies in the stream format.

        ``policy`` is ``"always"`` (whenever the peer decodes them), ``"never"``, or
        ``"auto"``: when the format carries :data:`REFERENCE_REPLY`, cut in chunks,
        in fewer bytes than one AURA message per chunk would with this agreement.
        A strong trained per-message codec can beat a stream (measured in
        docs/websocket.md), which is why this is measured, not assumed.
        """
        if policy not in STREAM_POLICIES:
            raise ValueError(f"stream policy must be one of {', '.join(STREAM_POLICIES)}, not {policy!r}")
        if not agreement.streams or policy == "never":
            return False
        if policy == "always":
            return True
        key = self._key(agreement.profile, agreement.markers)
        if key not in self._streams_pay:
            self._streams_pay[key] = _streams_pay(self.get(agreement), agreement.profile)
        return self._streams_pay[key]


def _streams_pay(compressor: Compressor, profile: Profile | None) -> bool:
    """Whether the stream format sends :data:`REFERENCE_REPLY`'s chunks in fewer bytes (frame headers included)."""
    chunks = chunk_words(REFERENCE_REPLY)
    separate = sum(
        len(p) + frame_header_size(len(p), masked=False)
        for p in (compressor.compress(c).compressed_data for c in chunks)
    )
    encoder = StreamEncoder(stream_dictionary(profile))
    fragments = [encoder.encode(c) for c in chunks] + [encoder.finish(), b""]
    streamed = sum(len(f) + frame_header_size(len(f), masked=False) for f in fragments)
    return streamed < separate


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidTextError(f"text holds a lone surrogate at index {exc.start}, which UTF-8 cannot carry") from None


async def _binary(first: Data, rest: AsyncIterator[Data]) -> AsyncIterator[bytes]:
    """A binary message's fragments as ``bytes`` (older websockets versions hand out bytearrays)."""
    assert not isinstance(first, str)
    yield bytes(first)
    async for fragment in rest:
        assert not isinstance(fragment, str)  # every fragment of a message has the type of its first
        yield bytes(fragment)


async def _aiter(chunks: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    if isinstance(chunks, AsyncIterable):
        async for chunk in chunks:
            yield chunk
    else:
        for chunk in chunks:
            yield chunk


class AuraConnection:
    """The application's side of one connection: ``send``/``recv`` of ``str``, streamed replies.

    Made by :func:`aura_core.ws.server.serve` and :func:`aura_core.ws.client.connect`;
    ``ws`` is the underlying ``websockets`` connection for anything else.
    """

    def __init__(
        self,
        ws: Connection,
        agreement: Agreement,
        compressor: Compressor,
        wire: WireCounter,
        *,
        audit: AuditLog | None = None,
        metrics: Metrics | None = None,
        send_streams: bool = False,
    ) -> None:
        self.ws = ws
        self.agreement = agreement
        self.compressor = compressor
        self.wire = wire
        self.audit = audit
        self.metrics = metrics
        #: Whether :meth:`send_stream` uses the stream format (:meth:`Compressors.sends_streams`).
        self.send_streams = send_streams
        #: Short connection id used in the audit log and in log messages.
        self.id = ws.id.hex[:12]
        self._dictionary = stream_dictionary(agreement.profile)

    @property
    def path(self) -> str | None:
        """The request path of a server-side connection (``/stream`` in the demo)."""
        return self.ws.request.path if self.ws.request is not None else None

    # -- sending -------------------------------------------------------------------

    async def send(self, text: str) -> None:
        """Send one message: an AURA payload in a binary frame, or a text frame on a plain connection."""
        if not self.agreement.aura:
            data = _utf8(text)
            await self.ws.send(data, text=True)
            self._record("out", text, TEXT_METHOD, len(data), None, None)
            return
        start = perf_counter()
        result = self.compressor.compress(text)
        elapsed = perf_counter() - start
        await self.ws.send(result.compressed_data)
        self._record("out", text, result.method, result.compressed_size, result.template_id, elapsed)

    async def send_stream(self, chunks: Iterable[str] | AsyncIterable[str]) -> None:
        """Send a reply as it is produced, each chunk leaving as soon as the iterable yields it.

        With :attr:`send_streams`, the reply is one fragmented binary message whose
        chunks are compressed with the earlier ones as context.  Otherwise each chunk is
        its own message: an AURA payload, or a text frame on a plain connection.
        """
        if not self.send_streams:
            async for chunk in _aiter(chunks):
                await self.send(chunk)
            return
        encoder = StreamEncoder(self._dictionary)
        pieces: list[str] = []
        elapsed = 0.0

        async def fragments() -> AsyncIterator[bytes]:
            nonlocal elapsed
            async for chunk in _aiter(chunks):
                if chunk:
                    start = perf_counter()
                    fragment = encoder.encode(chunk)
                    elapsed += perf_counter() - start
                    pieces.append(chunk)
                    yield fragment
            yield encoder.finish()

        await self.ws.send(fragments())
        self._record("out", "".join(pieces), STREAM_METHOD, encoder.encoded_size, None, elapsed, encoder.chunks)

    # -- receiving -----------------------------------------------------------------

    async def recv(self) -> str:
        """The next message, whole (a streamed reply is returned once complete)."""
        return "".join([piece async for piece in self.recv_streaming()])

    async def __aiter__(self) -> AsyncIterator[str]:
        """Messages until the peer closes normally (raises ``ConnectionClosedError`` otherwise)."""
        try:
            while True:
                yield await self.recv()
        except ConnectionClosedOK:
            return

    async def recv_streaming(self) -> AsyncIterator[str]:
        """The next message's text as it arrives: a streamed reply chunk by chunk, anything else whole."""
        fragments = aiter(self.ws.recv_streaming())
        first = await anext(fragments)
        try:
            if isinstance(first, str):
                async for piece in self._text_message(first, fragments):
                    yield piece
            elif not self.agreement.aura:
                raise BinaryOnPlainConnection("binary frames need the aura.v1 subprotocol; send text frames")
            elif first[:1] == bytes([STREAM_MARK]):
                async for piece in self._stream_message(_binary(first, fragments)):
                    yield piece
            else:
                yield await self._payload_message(_binary(first, fragments))
        except AuraDecodeError as exc:
            await self._fail(exc)

    async def _text_message(self, first: str, fragments: AsyncIterator[Data]) -> AsyncIterator[str]:
        pieces = [first]
        yield first
        async for piece in fragments:
            assert isinstance(piece, str)  # every fragment of a message has the type of its first
            pieces.append(piece)
            yield piece
        text = "".join(pieces)
        self._record("in", text, TEXT_METHOD, len(text.encode()), None, None)

    async def _payload_message(self, fragments: AsyncIterator[bytes]) -> str:
        payload = b"".join([fragment async for fragment in fragments])
        start = perf_counter()
        text = self.compressor.decompress(payload)
        elapsed = perf_counter() - start
        codec = self.compressor.registry.codec_for_marker(payload[0])
        self._record("in", text, codec.name, len(payload), codec.template_id(payload[1:]), elapsed)
        return text

    async def _stream_message(self, fragments: AsyncIterator[bytes]) -> AsyncIterator[str]:
        decoder = StreamDecoder(self._dictionary, self.compressor.context.max_output_size)
        pieces: list[str] = []
        elapsed = 0.0
        async for fragment in fragments:
            start = perf_counter()
            piece = decoder.feed(fragment)
            elapsed += perf_counter() - start
            if piece:
                pieces.append(piece)
                yield piece
        chunks = len(pieces)
        tail = decoder.finish()
        if tail:
            pieces.append(tail)
            yield tail
        self._record("in", "".join(pieces), STREAM_METHOD, decoder.encoded_size, None, elapsed, chunks)

    async def _fail(self, exc: AuraDecodeError) -> NoReturn:
        code, reason = close_code_for(exc), close_reason(exc)
        log.warning("connection %s: closing with %d: %s", self.id, code, reason)
        await self.ws.close(code, reason)
        await self.ws.wait_closed()
        raise self.ws.protocol.close_exc from exc

    # -- bookkeeping ---------------------------------------------------------------

    def _record(
        self,
        direction: str,
        text: str,
        method: str,
        size: int,
        template_id: int | None,
        seconds: float | None,
        chunks: int | None = None,
    ) -> None:
        if self.metrics is not None:
            self.metrics.message(direction, method, len(text.encode()), size, template_id is not None, seconds)
        if self.audit is not None:
            self.audit.record(self.id, direction, text, method, size, template_id, chunks)

    async def close(self, code: int = CloseCode.NORMAL_CLOSURE, reason: str = "") -> None:
        await self.ws.close(code, reason)
